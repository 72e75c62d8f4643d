"""The work center's side of OEE: its local time zone, its working calendar as datetimes,
the micro-stop threshold, its equipment for maintenance, and the screens it opens."""
from datetime import datetime, time, timedelta

import pytz

from odoo import _, fields, models
from odoo.addons.base.res.res_partner import _tz_get
from odoo.exceptions import UserError

from ...services import ordering
from ...services.oee import shift_label
from . import mes_workcenter_timeline
from ..shared.access import caller

OEE_DAYS = 30   # the window of the work center's OEE (the OEE screen's "Last 30 days")


class MrpWorkcenterOee(models.Model):
    _inherit = 'mrp.workcenter'

    mes_tz = fields.Selection(
        _tz_get, 'Time zone',
        help='Where the work center is: its working calendar hours and the day, shift and week '
             'boundaries of OEE are local times of this zone. Empty: the company\'s time zone, '
             'else UTC.')
    mes_micro_stop_minutes = fields.Float(
        'Stop threshold (min)',
        help='Running with no output for longer than this (beyond the time the units completed '
             'needed) is an unexplained stop, an availability loss; a shorter pause is a '
             'micro-stop. 0: the company\'s stop threshold (5 minutes unless set).')
    mes_equipment_id = fields.Many2one(
        'maintenance.equipment', 'Equipment', ondelete='set null',
        help='The machine maintenance looks after: a breakdown here opens a maintenance '
             'request on it, and its MTBF and MTTR come from those requests.')
    mes_downtime_is_breakdown = fields.Boolean(related='mes_downtime_reason_id.is_breakdown', readonly=True)
    mes_failure_count = fields.Integer(related='mes_equipment_id.mes_failure_count', readonly=True)
    mes_mtbf_hours = fields.Float(related='mes_equipment_id.mes_mtbf_hours', readonly=True)
    mes_mttr_hours = fields.Float(related='mes_equipment_id.mes_mttr_hours', readonly=True)
    mes_oee_record_ids = fields.One2many('mes.oee.record', 'workcenter_id', 'OEE records')
    # One OEE everywhere: Odoo's own figures (productive / logged time, expected / actual
    # duration of done orders) are replaced by the MES's, read from its records the way the
    # OEE pivot reads them (days of the last 30, ratios of the sums: mes.oee.record.read_group).
    oee = fields.Float(compute='_compute_oee', help='OEE (%) of the last 30 days, from the MES OEE records: '
                       'availability x performance x quality of their summed minutes and units.')
    performance = fields.Float('Performance', compute='_compute_performance',
                               help='Performance (%) of the last 30 days, from the MES OEE records: '
                                    'ideal time of the units counted / run time.')
    blocked_time = fields.Float('Stopped time', compute='_compute_blocked_time', digits=(16, 2),
                                help='Hours stopped in planned production time over the last 30 days '
                                     '(MES OEE records: reported and unreported stops).')
    productive_time = fields.Float('Run time', compute='_compute_productive_time', digits=(16, 2),
                                   help='Hours run in planned production time over the last 30 days (MES OEE records).')
    mes_availability = fields.Float('Availability', compute='_compute_oee')
    mes_quality = fields.Float('Quality', compute='_compute_oee')
    mes_oee_computed_at = fields.Datetime(
        'OEE computed at', compute='_compute_oee',
        help='When the latest period of these figures was computed (they follow the facts within a minute).')

    # -- local time ----------------------------------------------------------------------------
    def _mes_tz(self):
        self.ensure_one()
        name = self.mes_tz or self.company_id.partner_id.tz or self.env.user.company_id.partner_id.tz
        return pytz.timezone(name or 'UTC')

    def _mes_local_date(self, moment):
        """The local date of a naive UTC ``moment``."""
        return pytz.utc.localize(moment).astimezone(self._mes_tz()).date()

    def _mes_local_str(self, moment, fmt='%Y-%m-%d %H:%M %Z'):
        return pytz.utc.localize(moment).astimezone(self._mes_tz()).strftime(fmt)

    def _mes_utc(self, day, hours=0.0):
        """Naive UTC of local ``day`` at ``hours`` (a float, 24 = next midnight)."""
        local = datetime.combine(day, time()) + timedelta(minutes=round(hours * 60))
        aware = self._mes_tz().localize(local, is_dst=False)
        return aware.astimezone(pytz.utc).replace(tzinfo=None)

    # -- working calendar ----------------------------------------------------------------------
    def _mes_calendar_intervals(self, start, end):
        """The working calendar between naive-UTC ``start`` and ``end`` as (label, start, end)
        in naive UTC, labelled by local hours ("06:00-14:00"), clipped to the window; the
        calendar's leaves for all resources or this work center are taken out. Attendances are
        expanded in the work center's zone, so daylight saving days keep their local hours."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return []
        result = []
        day, last = self._mes_local_date(start) - timedelta(days=1), self._mes_local_date(end)
        while day <= last:
            for attendance in _day_attendances(calendar, day):
                s = max(self._mes_utc(day, attendance.hour_from), start)
                e = min(self._mes_utc(day, attendance.hour_to), end)
                if e > s:
                    result.append((shift_label(attendance.hour_from, attendance.hour_to), s, e))
            day += timedelta(days=1)
        leaves = self._mes_leaves(start, end)
        return [(label, s, e) for label, s0, e0 in result for s, e in ordering.subtract([(s0, e0)], leaves)]

    def _mes_leaves(self, start, end):
        leaves = self.resource_calendar_id.leave_ids.filtered(
            lambda l: not l.resource_id or l.resource_id == self.resource_id)
        spans = [(fields.Datetime.from_string(leave.date_from), fields.Datetime.from_string(leave.date_to))
                 for leave in leaves]
        return [(s, e) for s, e in spans if s < end and e > start]

    def _mes_shifts(self, day):
        """The shifts of local ``day``: [(label, start, end)] in naive UTC, one per distinct
        attendance hours (leaves are not taken out: a shift on leave simply has no planned time)."""
        self.ensure_one()
        shifts = {}
        for attendance in _day_attendances(self.resource_calendar_id, day):
            label = shift_label(attendance.hour_from, attendance.hour_to)
            shifts.setdefault(label, (label, self._mes_utc(day, attendance.hour_from),
                                      self._mes_utc(day, attendance.hour_to)))
        return sorted(shifts.values(), key=lambda s: s[1])

    # -- the OEE Odoo's screens show: the MES's ---------------------------------------------------
    def _compute_oee(self):
        figures = self._mes_oee_figures()
        for workcenter in self:
            group = figures.get(workcenter.id, {})
            workcenter.oee = round(group.get('oee', 0.0), 2)
            workcenter.mes_availability = group.get('availability', 0.0)
            workcenter.mes_quality = group.get('quality', 0.0)
            workcenter.mes_oee_computed_at = group.get('computed_at', False)

    def _compute_performance(self):
        figures = self._mes_oee_figures()
        for workcenter in self:
            workcenter.performance = figures.get(workcenter.id, {}).get('performance', 0.0)

    def _compute_blocked_time(self):
        figures = self._mes_oee_figures()
        for workcenter in self:
            workcenter.blocked_time = figures.get(workcenter.id, {}).get('downtime_minutes', 0.0) / 60.0

    def _compute_productive_time(self):
        figures = self._mes_oee_figures()
        for workcenter in self:
            workcenter.productive_time = figures.get(workcenter.id, {}).get('run_minutes', 0.0) / 60.0

    def _mes_oee_domain(self):
        """The records behind the work centers' figures: the days of the last 30 (the OEE
        screen's default filters: Days, Last 30 days)."""
        since = fields.Date.from_string(fields.Date.context_today(self)) - timedelta(days=OEE_DAYS)
        return [('workcenter_id', 'in', self.ids), ('period_kind', '=', 'day'),
                ('date', '>=', fields.Date.to_string(since))]

    def _mes_oee_figures(self):
        """{work center id: {oee, availability, performance, quality (percent), run_minutes,
        downtime_minutes, computed_at}} over ``_mes_oee_domain``."""
        if not self.ids:
            return {}
        Record = self.env['mes.oee.record'].sudo()
        domain = self._mes_oee_domain()
        groups = Record.read_group(domain, ['workcenter_id', 'oee', 'availability', 'performance', 'quality',
                                            'run_minutes', 'downtime_minutes'], ['workcenter_id'])
        figures = {group['workcenter_id'][0]: group for group in groups}
        # when the latest day of each was computed
        self.env.cr.execute("""SELECT DISTINCT ON (workcenter_id) workcenter_id, computed_at FROM mes_oee_record
                                WHERE workcenter_id IN %s AND period_kind = 'day' AND date >= %s
                                ORDER BY workcenter_id, period_start DESC""", (tuple(self.ids), domain[-1][2]))
        for workcenter_id, computed_at in self.env.cr.fetchall():
            if workcenter_id in figures and computed_at:
                figures[workcenter_id]['computed_at'] = str(computed_at)[:19]
        return figures

    # -- screens -------------------------------------------------------------------------------
    def _mes_time_log_domain(self, start, end):
        """Time logs of this work center overlapping ``start``-``end`` (naive UTC or strings)."""
        self.ensure_one()
        start, end = (fields.Datetime.to_string(v) if isinstance(v, datetime) else v for v in (start, end))
        return [('workcenter_id', '=', self.id), ('date_start', '<', end),
                '|', ('date_end', '=', False), ('date_end', '>', start)]

    def _mes_timeline_html(self, start, end, now):
        self.ensure_one()
        return mes_workcenter_timeline.render(self, start, end, now)

    @caller()
    def action_mes_oee(self):
        """The OEE records behind this work center's figures (days of the last 30)."""
        self.ensure_one()
        return self.env['mes.oee.record']._oee_action(
            [('workcenter_id', '=', self.id)], {'search_default_kind_day': 1, 'search_default_last_30': 1},
            title=self.name)

    @caller()
    def action_mes_losses(self):
        """The loss lines (downtime Pareto) of this work center."""
        self.ensure_one()
        action = self.env.ref('shopfloor_mes.mes_oee_loss_action_pareto').read()[0]
        action['domain'] = [('workcenter_id', '=', self.id)]
        action['name'] = '%s: %s' % (action['name'], self.name)
        return action

    @caller()
    def action_mes_timeline(self):
        self.ensure_one()
        today = self._mes_local_date(datetime.utcnow())
        return self.env['mes.workcenter.timeline'].create({'workcenter_id': self.id, 'date': today})._action_open()

    @caller()
    def action_mes_breakdown_request(self):
        """From the board: open (or show) the maintenance request of the breakdown going on."""
        self.ensure_one()
        down = self.env['mrp.workcenter.productivity'].search([
            ('workcenter_id', '=', self.id), ('mes_reason_id', '!=', False), ('date_end', '=', False)], limit=1)
        if not down:
            raise UserError(_('%s is not down now: a maintenance request is opened from an open '
                              'downtime with a breakdown reason.') % self.name)
        return down.action_mes_maintenance_request()


def _day_attendances(calendar, day):
    weekday = str(day.weekday())
    stamp = fields.Date.to_string(day)
    return calendar.attendance_ids.filtered(
        lambda a: a.dayofweek == weekday and not (a.date_from and a.date_from > stamp)
        and not (a.date_to and a.date_to < stamp)).sorted('hour_from')
