"""A work center's day as a horizontal bar: running, slowed down, micro-stops, stopped with no
output, down (with its reason), planned stops, stopped without a reason, nothing scheduled,
outside the working calendar; the same classification the OEE records are summed from.

Odoo 11 community has no gantt view; the bar is plain HTML in a computed field, shown on a
small transient form (from the board or a work center) and on every OEE record.
"""
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import html_escape

from ...services import oee_measure
from ..shared.access import caller
from . import facts as oee_facts

STATES = [  # (state, label, colour), as services.oee_timeline classifies them
    ('running', 'Running', '#28a745'),
    ('slow', 'Running slow', '#8fd19e'),
    ('micro', 'Micro-stop', '#ffc107'),
    ('stop', 'No output, no reason', '#b02a37'),
    ('down', 'Down', '#dc3545'),
    ('idle', 'Stopped, no reason', '#fd7e14'),
    ('planned', 'Planned stop', '#17a2b8'),
    ('overtime', 'Running outside planned time', '#6f42c1'),
    ('unscheduled', 'Nothing scheduled', '#f8f9fa'),
    ('closed', 'Outside working time', '#e9ecef'),
    ('future', 'Not yet', '#ffffff'),
]
LABELS = {state: label for state, label, _colour in STATES}
COLOURS = {state: colour for state, _label, colour in STATES}


def segments(workcenter, start, end, now):
    """The window's segments ([services.oee_timeline.Segment]), from the facts of the whole
    weeks around it: the classification the OEE records are summed from."""
    facts = oee_facts.collect_weeks(workcenter, start, end, now)
    return oee_measure.timeline(facts, (start, end), now)


def render(workcenter, start, end, now):
    """The bar, hour ticks, a legend, totals and the list of segments, in local time."""
    parts = [(p.state, p.reason, p.start, p.end) for p in segments(workcenter, start, end, now)]
    reasons = {r.id: r.display_name for r in workcenter.env['mes.reason'].browse(
        [p[1] for p in parts if p[1]])}
    span = (end - start).total_seconds() or 1.0

    def local(moment, fmt='%H:%M'):
        return workcenter._mes_local_str(moment, fmt)

    def title(state, reason, s, e):
        text = '%s-%s %s' % (local(s), local(e), LABELS[state])
        return text + (': %s' % reasons[reason] if reason else '')

    bar = ''.join(
        '<div title="%s" style="width:%.4f%%;background:%s;height:100%%;%s"></div>' % (
            html_escape(title(state, reason, s, e)), 100.0 * (e - s).total_seconds() / span, COLOURS[state],
            'border-left:1px solid #fff;' if state in ('down', 'micro', 'stop') else '')
        for state, reason, s, e in parts)
    ticks = _ticks(start, end, span, local)
    totals = {}
    for state, _reason, s, e in parts:
        totals[state] = totals.get(state, 0.0) + (e - s).total_seconds() / 60.0
    legend = ' '.join(
        '<span style="margin-right:12px;white-space:nowrap;"><span style="display:inline-block;width:12px;height:12px;'
        'border:1px solid #999;background:%s;"></span> %s: %d min</span>' % (colour, label, round(totals[state]))
        for state, label, colour in STATES if state in totals)
    rows = ''.join(
        '<tr><td>%s</td><td>%s</td><td style="text-align:right">%.0f</td><td>%s</td><td>%s</td></tr>' % (
            local(s, '%a %H:%M'), local(e, '%a %H:%M'), (e - s).total_seconds() / 60.0, LABELS[state],
            html_escape(reasons.get(reason, '')))
        for state, reason, s, e in parts if state not in ('closed', 'future', 'unscheduled'))
    return (
        '<div class="o_mes_timeline">'
        '<div style="display:flex;height:40px;border:1px solid #999;">%s</div>'
        '<div style="position:relative;height:18px;font-size:11px;color:#555;">%s</div>'
        '<div style="margin:8px 0;">%s</div>'
        '<table class="table table-condensed table-sm o_mes_timeline_rows"><thead><tr><th>From</th><th>To</th>'
        '<th style="text-align:right">Minutes</th><th>State</th><th>Reason</th></tr></thead><tbody>%s</tbody></table>'
        '<p class="text-muted">Times in %s.</p></div>' % (bar, ticks, legend, rows, workcenter._mes_tz().zone))


def _ticks(start, end, span, local):
    step = timedelta(hours=1) if span <= 36 * 3600 else timedelta(days=1)
    fmt = '%H' if step == timedelta(hours=1) else '%a %d'
    moment = start.replace(minute=0, second=0, microsecond=0)
    ticks = []
    while moment <= end:
        if moment >= start:
            left = 100.0 * (moment - start).total_seconds() / span
            ticks.append('<span style="position:absolute;left:%.3f%%;border-left:1px solid #999;'
                         'padding-left:2px;">%s</span>' % (left, local(moment, fmt)))
        moment += step
    return ''.join(ticks[::2] if len(ticks) > 26 else ticks)


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
