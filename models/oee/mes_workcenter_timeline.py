"""A work center's day as a horizontal bar: running, slowed down, micro-stops, stopped with no
output, down (with its reason), planned stops, stopped without a reason, nothing scheduled,
outside the working calendar; the same classification the OEE records are summed from.

Odoo 11 community has no gantt view; the bar is plain HTML (services/timeline_html.py) in a
computed field, shown on a small transient form (from the board or a work center) and on every
OEE record.
"""
from datetime import datetime, timedelta

from odoo import api, fields, models

from ...services import oee_measure, timeline_html
from ..shared.access import caller
from . import facts as oee_facts


def segments(workcenter, start, end, now):
    """The window's segments ([services.oee_timeline.Segment]), from the facts of the whole
    weeks around it: the classification the OEE records are summed from."""
    facts = oee_facts.collect_weeks(workcenter, start, end, now)
    return oee_measure.timeline(facts, (start, end), now)


def render(workcenter, start, end, now):
    """The bar, hour ticks, a legend, totals and the list of segments, in the plant's time
    (services/timeline_html.py draws them)."""
    parts = segments(workcenter, start, end, now)
    reasons = {r.id: r.display_name for r in workcenter.env['mes.reason'].browse([p.reason for p in parts if p.reason])}
    return timeline_html.render(parts, reasons, start, end, workcenter._mes_local_str, workcenter._mes_tz().zone)


class MesWorkcenterTimeline(models.TransientModel):
    _name = 'mes.workcenter.timeline'
    _description = 'Work center timeline of a day'

    workcenter_id = fields.Many2one('mrp.workcenter', 'Work center', required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    days = fields.Integer(default=1, help='1: a day; 7: a week from this date.')
    timeline_html = fields.Html('Timeline', compute='_compute_timeline_html', sanitize=False)

    @api.depends('workcenter_id', 'date', 'days')
    def _compute_timeline_html(self):
        for timeline in self:
            if not (timeline.workcenter_id and timeline.date):
                timeline.timeline_html = False
                continue
            start, end = timeline._window()
            timeline.timeline_html = timeline.workcenter_id._mes_timeline_html(start, end, datetime.utcnow())

    def _window(self):
        day = fields.Date.from_string(self.date)
        wc = self.workcenter_id
        return wc._mes_utc(day), wc._mes_utc(day + timedelta(days=max(self.days, 1)))

    @api.model
    def _action_open_today(self):
        """The menu's way in: today's timeline of the first work center with a calendar, as a
        saved record shown read-only (a form on a new record asked to discard changes on leaving)."""
        workcenter = self.env['mrp.workcenter'].search([('resource_calendar_id', '!=', False)], limit=1) \
            or self.env['mrp.workcenter'].search([], limit=1)
        if not workcenter:
            return {'type': 'ir.actions.act_window_close'}
        today = workcenter._mes_local_date(datetime.utcnow())
        return self.create({'workcenter_id': workcenter.id, 'date': fields.Date.to_string(today)})._action_open()

    def _action_open(self):
        return {'type': 'ir.actions.act_window', 'res_model': self._name, 'res_id': self.id, 'view_mode': 'form',
                'views': [(False, 'form')], 'target': 'current', 'name': self.workcenter_id.name,
                'flags': {'initial_mode': 'view'}}

    def _move(self, sign):
        day = fields.Date.from_string(self.date) + timedelta(days=sign * max(self.days, 1))
        self.date = fields.Date.to_string(day)
        return self._action_open()

    @caller()
    def action_previous(self):
        return self._move(-1)

    @caller()
    def action_next(self):
        return self._move(1)

    @caller()
    def action_view_oee(self):
        action = self.workcenter_id.action_mes_oee()
        action['domain'] = action['domain'] + [('date', '=', self.date)]
        action['context'] = {'mes_oee_target': action['context'].get('mes_oee_target')}
        return action

    @caller()
    def action_view_downtime(self):
        return self.env['mrp.workcenter.productivity']._mes_downtime_action(
            self.workcenter_id._mes_time_log_domain(*self._window()) + [('mes_reason_id', '!=', False)],
            self.workcenter_id.name)

    def name_get(self):
        return [(t.id, '%s · %s' % (t.workcenter_id.display_name, t.date)) for t in self]
