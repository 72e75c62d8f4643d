"""OEE per work center and period (day, shift, week), stored for graph and pivot views.

Records are derived data: ``refresh`` recomputes them from what the terminal wrote (time logs,
events, scrap, checks) whenever asked (button, and within a minute of every fact by the live
cron below); nobody edits them by hand.

OEE kept live: a cron every minute recomputes the work centers whose facts moved.

Nothing is added to the record path. Staleness is read from what the two stages already
write: ``mes_execution.recorded_at`` (the record stage, also the expiry cron and a
supervisor's correction) and ``mes_posting.posted_at`` (Odoo's time logs and scrap, which OEE
reads, land there). A work center is recomputed when either moved since the last live run;
the dates recomputed reach back to the earliest true time of the events received meanwhile
(a tablet replaying yesterday's queue recomputes yesterday). Work centers whose figures are
still counting (a period in progress) are also recomputed once their figures are older than
``shopfloor_mes.oee_max_age_minutes`` (15), so an open stop shows its length.

The watermark (the time of the last live run) is a system parameter; each run looks a
margin further back than it, since a transaction that began before the run may commit after
it with an earlier stamp.
"""
import logging
from datetime import datetime, timedelta

import psycopg2

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

from ...services import oee_measure, server_time
from ..shared.access import SUPERVISOR, caller
from . import facts as oee_facts

PERIOD_KINDS = [('day', 'Day'), ('shift', 'Shift'), ('week', 'Week')]
PERCENT = ('availability', 'performance', 'quality', 'oee')


_logger = logging.getLogger(__name__)


WATERMARK_PARAM = 'shopfloor_mes.oee_live_until'
MAX_AGE_PARAM = 'shopfloor_mes.oee_max_age_minutes'
DEFAULT_MAX_AGE = 15.0
MARGIN = timedelta(minutes=2)       # longer than a record transaction or a posting
LOOKBACK = timedelta(minutes=30)    # events behind a posting were received at most this before it
FIRST_RUN = timedelta(days=1)
LOCK_KEY = 0x6d65736f6565   # 'mesoee': one refresh run at a time (pg_try_advisory_xact_lock)
MOVED = """
    SELECT wo.workcenter_id FROM mes_execution x JOIN mrp_workorder wo ON wo.id = x.workorder_id
     WHERE x.recorded_at > %(since)s
    UNION
    SELECT wo.workcenter_id FROM mes_posting p JOIN mes_execution x ON x.id = p.execution_id
      JOIN mrp_workorder wo ON wo.id = x.workorder_id
     WHERE p.posted_at > %(since)s"""


EARLIEST = """
    SELECT workcenter_id, min(corrected_at) FROM mes_event
     WHERE received_at > %(lookback)s AND workcenter_id IN %(ids)s AND corrected_at IS NOT NULL
     GROUP BY workcenter_id"""


AGED = """
    SELECT DISTINCT workcenter_id FROM mes_oee_record
     WHERE in_progress AND computed_at < %(aged)s"""


class MesOeeRecord(models.Model):
    _name = 'mes.oee.record'
    _description = 'OEE of a work center over a day, shift or week'
    _order = 'period_start desc, workcenter_id, period_kind'

    name = fields.Char(compute='_compute_name')
    workcenter_id = fields.Many2one('mrp.workcenter', 'Work center', required=True, index=True, ondelete='cascade')
    period_kind = fields.Selection(PERIOD_KINDS, 'Period', required=True, index=True)
    date = fields.Date(required=True, index=True,
                       help='Local date the period starts on (for a week: its Monday).')
    shift_label = fields.Char('Shift', help='Local hours of the shift, from the working calendar.')
    period_start = fields.Datetime(required=True, index=True)
    period_end = fields.Datetime(required=True)
    in_progress = fields.Boolean(help='Computed before the period ended: counted up to that time.')
    computed_at = fields.Datetime(readonly=True)
    note = fields.Char()
    # minutes
    calendar_minutes = fields.Float('Scheduled (min)', help='Working calendar time.')
    planned_stop_minutes = fields.Float('Planned stops (min)', help='Breaks, changeovers, planned maintenance.')
    planned_minutes = fields.Float('Planned production (min)', help='Scheduled minus planned stops.')
    run_minutes = fields.Float('Run (min)', help='Machine run time inside planned production time.')
    downtime_minutes = fields.Float('Stopped (min)', help='Planned production time not running.')
    reported_downtime_minutes = fields.Float('Reported downtime (min)', help='Stops with a reason.')
    idle_minutes = fields.Float('Unreported stop (min)', help='Stopped without a reported reason.')
    unexplained_stop_minutes = fields.Float('No output, no reason (min)', help='Running with no output for '
                                            'longer than the stop threshold, nobody said why: availability loss.')
    micro_stop_minutes = fields.Float('Micro-stops (min)', help='Pauses without output up to the stop '
                                      'threshold; part of the performance loss.')
    unplanned_run_minutes = fields.Float('Run outside plan (min)', help='Overtime and running through '
                                         'breaks: reported, not part of OEE.')
    ideal_minutes = fields.Float('Ideal time of units (min)', help='Ideal cycle time x units counted.')
    good_ideal_minutes = fields.Float('Ideal time of good units (min)', help='Fully productive time.')
    # units
    good_qty = fields.Float('Good')
    scrap_qty = fields.Float('Scrap')
    rejected_qty = fields.Float('Failed checks', help='One rejected unit per failed quality check.')
    total_qty = fields.Float('Total count')
    cycle_qty = fields.Float('Machine cycles', help='Cycles the machines reported: where they did, performance '
                             'is their ideal time, not the units reported.')
    startup_reject_qty = fields.Float('Startup rejects', help='Scrap and failed checks before the order\'s first '
                                      'good unit at the work center.')
    outside_qty = fields.Float('Units outside plan', help='Completed outside planned time: not counted.')
    # ratios, in percent; in grouped views they are recomputed from the sums (see read_group)
    availability = fields.Float('Availability (%)', group_operator='avg')
    performance = fields.Float('Performance (%)', group_operator='avg')
    quality = fields.Float('Quality (%)', group_operator='avg')
    oee = fields.Float('OEE (%)', group_operator='avg')
    oee_target = fields.Float(related='workcenter_id.oee_target', readonly=True)
    below_target = fields.Boolean(compute='_compute_below_target')
    loss_ids = fields.One2many('mes.oee.loss', 'record_id', 'Losses', readonly=True)
    timeline_html = fields.Html('Timeline', compute='_compute_timeline_html', sanitize=False)

    _sql_constraints = [('period_uniq', 'unique (workcenter_id, period_kind, period_start)',
                         'One OEE record per work center and period.')]

    def _compute_name(self):
        kinds = dict(PERIOD_KINDS)
        for record in self:
            parts = [record.workcenter_id.name, kinds.get(record.period_kind), record.date]
            if record.shift_label:
                parts.append(record.shift_label)
            record.name = ' · '.join(p for p in parts if p)

    def _compute_below_target(self):
        for record in self:
            record.below_target = record.oee < record.oee_target

    def _compute_timeline_html(self):
        for record in self:
            record.timeline_html = record.workcenter_id._mes_timeline_html(
                server_time.parse(record.period_start), server_time.parse(record.period_end), datetime.utcnow())

    # -- grouped views: ratios of sums, not averages of ratios ------------------------------
    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """In a pivot or graph, a group's ratios are recomputed from its sums, as for one
        record: availability = Σ run / Σ planned, performance = Σ ideal / Σ run, quality =
        Σ good / Σ total, OEE = their product. The shifts of a day give the day's figures, and
        a week weighs each day by its time."""
        names = [f.split(':')[0] for f in fields]
        if not any(name in PERCENT for name in names):
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        sums = ['planned_minutes', 'run_minutes', 'ideal_minutes', 'good_qty', 'total_qty']
        groups = super().read_group(domain, fields + [s for s in sums if s not in names], groupby,
                                    offset, limit, orderby, lazy)
        for group in groups:
            planned, run, ideal, good, total = (group.get(s) or 0.0 for s in sums)
            ratios = {'availability': _ratio(run, planned), 'performance': _ratio(ideal, run),
                      'quality': _ratio(good, total)}
            ratios['oee'] = ratios['availability'] * ratios['performance'] * ratios['quality']
            group.update({name: 100.0 * ratios[name] for name in PERCENT if name in names})
        return groups

    # -- refresh -------------------------------------------------------------------------------
    @caller(SUPERVISOR)
    def action_recompute(self):
        """Recompute these records' periods (the whole weeks they fall in)."""
        for workcenter in self.mapped('workcenter_id'):
            dates = [fields.Date.from_string(r.date) for r in self if r.workcenter_id == workcenter]
            self.refresh(workcenter, min(dates), max(dates))
        return {'type': 'ir.actions.client', 'tag': 'reload'}

    @api.model
    def _cron_refresh(self):
        """The hourly job of earlier versions (a database updated from one keeps it): now the
        live run, which recomputes what moved (the live cron)."""
        return self._cron_refresh_live()

    @api.model
    def refresh(self, workcenters=None, date_from=None, date_to=None, now=None):
        """Recompute the OEE records of ``workcenters`` (default: all active ones with a
        calendar) for the whole weeks (Monday to Sunday, local) containing the local dates
        ``date_from`` to ``date_to`` (default: yesterday and today). Periods not begun by
        ``now`` (default: the current time) are not written; records of periods that no
        longer have planned time are removed. Returns the records written."""
        self._check_supervisor()
        now = now or datetime.utcnow()
        if workcenters is None:
            workcenters = self.env['mrp.workcenter'].search([('resource_calendar_id', '!=', False)])
        written = self.browse()
        for workcenter in workcenters.sudo():
            local_today = workcenter._mes_local_date(now)
            first = _date(date_from) if date_from else local_today - timedelta(days=1)
            last = _date(date_to) if date_to else local_today
            monday = first - timedelta(days=first.weekday())
            while monday <= last:
                written |= self.sudo()._refresh_week(workcenter, monday, now)
                monday += timedelta(days=7)
        return written.sudo(self.env.uid)

    def _refresh_week(self, workcenter, monday, now):
        week = (workcenter._mes_utc(monday), workcenter._mes_utc(monday + timedelta(days=7)))
        facts = oee_facts.collect(workcenter, week[0], week[1], now)
        periods = [('week', monday, False, week)]
        for offset in range(7):
            day = monday + timedelta(days=offset)
            next_day = day + timedelta(days=1)
            periods.append(('day', day, False, (workcenter._mes_utc(day), workcenter._mes_utc(next_day))))
            periods += [('shift', day, label, (start, end)) for label, start, end in workcenter._mes_shifts(day)]
        existing = self.search([('workcenter_id', '=', workcenter.id),
                                ('period_start', '>=', server_time.text(week[0])),
                                ('period_start', '<', server_time.text(week[1]))])
        by_key = {(r.period_kind, r.period_start): r for r in existing}
        written = self.browse()
        for kind, day, label, period in periods:
            measured = oee_measure.measure(period, facts, now)
            if measured is None:
                continue
            values = self._prepare_values(workcenter, kind, day, label, period, *measured)
            record = by_key.pop((kind, server_time.text(period[0])), None)
            if record:
                record.write(values)
            else:
                record = self.create(values)
            written |= record
        for stale in by_key.values():
            stale.unlink()
        return written

    @api.model
    def _prepare_values(self, workcenter, kind, day, label, period, figures, losses):
        values = dict(figures, workcenter_id=workcenter.id, period_kind=kind, date=fields.Date.to_string(day),
                      shift_label=label or False, period_start=server_time.text(period[0]),
                      period_end=server_time.text(period[1]),
                      computed_at=fields.Datetime.now())
        for name in PERCENT:
            values[name] = 100.0 * values[name]
        values['loss_ids'] = [(5, 0, 0)] + [(0, 0, self.env['mes.oee.loss']._prepare_values(loss)) for loss in losses]
        return values

    def _check_supervisor(self):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(SUPERVISOR):
            raise AccessError(_('Only an MES supervisor can recompute OEE.'))

    # -- drill-down to the records the figures come from ---------------------------------------
    def _window_domain(self, field, half_open=True):
        self.ensure_one()
        return [(field, '>' if half_open else '>=', self.period_start), (field, '<=', self.period_end)]

    def _time_log_domain(self):
        self.ensure_one()
        return self.workcenter_id._mes_time_log_domain(self.period_start, self.period_end)

    def _open(self, model, domain, name, views=None):
        action = {'type': 'ir.actions.act_window', 'res_model': model, 'name': '%s: %s' % (name, self.name),
                  'view_mode': 'tree,form', 'domain': domain, 'context': {'create': False}}
        if views:
            action['views'] = views
        return action

    @caller()
    def action_view_run_time(self):
        return self._open('mrp.workcenter.productivity', self._time_log_domain() + [('mes_machine_time', '=', True)],
                          _('Run time'))

    @caller()
    def action_view_downtime(self):
        return self.env['mrp.workcenter.productivity']._mes_downtime_action(
            self._time_log_domain() + [('mes_reason_id', '!=', False)], '%s: %s' % (_('Downtime'), self.name))

    @caller()
    def action_view_produced(self):
        return self._open('mes.event', [('type', '=', 'produce'), ('state', '=', 'applied'),
                                        ('workcenter_id', '=', self.workcenter_id.id)]
                          + self._window_domain('corrected_at'), _('Produced'))

    @caller()
    def action_view_scrap(self):
        return self._open('stock.scrap', [('state', '=', 'done'),
                                          ('workorder_id.workcenter_id', '=', self.workcenter_id.id)]
                          + self._window_domain('date_expected'), _('Scrap'))

    @caller()
    def action_view_failed_checks(self):
        return self._open('mes.quality.check', [('result', '=', 'fail'),
                                                ('workorder_id.workcenter_id', '=', self.workcenter_id.id)]
                          + self._window_domain('checked_at'), _('Failed checks'))

    @caller()
    def action_view_timeline(self):
        self.ensure_one()
        timeline = self.env['mes.workcenter.timeline'].create({
            'workcenter_id': self.workcenter_id.id, 'date': self.date,
            'days': 7 if self.period_kind == 'week' else 1})
        return timeline._action_open()

    @api.model
    def _cron_refresh_live(self, now=None):
        """Every minute: recompute the work centers whose facts moved since the last run, and
        those whose figures in progress are older than the maximum age. Returns them."""
        now = now or datetime.utcnow()
        self.env.cr.execute('SELECT pg_try_advisory_xact_lock(%s)', (LOCK_KEY,))
        if not self.env.cr.fetchone()[0]:
            return self.env['mrp.workcenter']   # another run is at it
        Param = self.env['ir.config_parameter'].sudo()
        mark = Param.get_param(WATERMARK_PARAM)
        since = fields.Datetime.from_string(mark) if mark else now - FIRST_RUN
        moved = self._oee_moved(since - MARGIN)
        aged = self._oee_aged(now)
        workcenters = self.env['mrp.workcenter'].sudo().browse(sorted(set(moved) | aged)).exists()
        workcenters = workcenters.filtered('resource_calendar_id')
        done = self.env['mrp.workcenter']
        for workcenter in workcenters:
            first = moved.get(workcenter.id)
            first = workcenter._mes_local_date(first) if first else None
            today = workcenter._mes_local_date(now)
            yesterday = today - timedelta(days=1)
            try:
                with self.env.cr.savepoint():
                    self.sudo().refresh(workcenter, min(first or today, yesterday), today, now=now)
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                raise   # a conflict or a lost connection: the whole run is retried next minute
            except Exception:  # one work center's failure must not stop the others
                _logger.exception('OEE of %s could not be recomputed', workcenter.display_name)
                continue
            done |= workcenter
        Param.set_param(WATERMARK_PARAM, fields.Datetime.to_string(now))
        return done

    @api.model
    def _oee_moved(self, since):
        """{work center id: earliest true time of the events received since a little before
        ``since`` (None when none)} of the work centers whose records moved since ``since``."""
        self.env.cr.execute(MOVED, {'since': fields.Datetime.to_string(since)})
        ids = tuple(row[0] for row in self.env.cr.fetchall() if row[0])
        if not ids:
            return {}
        self.env.cr.execute(EARLIEST, {'lookback': fields.Datetime.to_string(since - LOOKBACK), 'ids': ids})
        earliest = {wc_id: fields.Datetime.from_string(at) for wc_id, at in self.env.cr.fetchall()}
        return {wc_id: earliest.get(wc_id) for wc_id in ids}

    @api.model
    def _oee_aged(self, now):
        value = self.env['ir.config_parameter'].sudo().get_param(MAX_AGE_PARAM, DEFAULT_MAX_AGE)
        try:
            age = max(float(value), 1.0)
        except ValueError:
            age = DEFAULT_MAX_AGE
        self.env.cr.execute(AGED, {'aged': fields.Datetime.to_string(now - timedelta(minutes=age))})
        return {row[0] for row in self.env.cr.fetchall()}

    # -- "computed at" on every OEE screen ----------------------------------------------------
    @api.model
    def _oee_freshness(self, domain=None):
        """When the figures of the records in ``domain`` were computed: the oldest of those
        still counting (a period in progress), else the newest; False without records."""
        domain = list(domain or [])
        counting = self.search(domain + [('in_progress', '=', True)], order='computed_at asc', limit=1)
        if counting:
            return counting.computed_at
        return self.search(domain, order='computed_at desc', limit=1).computed_at

    @api.model
    def _oee_target(self, domain=None):
        """The target the OEE graph draws: the average OEE target of the work centers with
        records in ``domain``."""
        groups = self.read_group(list(domain or []), ['workcenter_id'], ['workcenter_id'])
        workcenters = self.env['mrp.workcenter'].browse([g['workcenter_id'][0] for g in groups])
        targets = workcenters.mapped('oee_target')
        return sum(targets) / len(targets) if targets else 0.0

    @api.model
    def _oee_action(self, domain=None, context=None, title=None):
        """The OEE window (pivot, graph, list) on ``domain``, its title saying when the figures
        were computed: the title is on every view of the window, the graph's and pivot's too."""
        action = self.env.ref('shopfloor_mes.mes_oee_record_action').read()[0]
        if domain is not None:
            action['domain'] = domain
        context = dict(context if context is not None else safe_eval(action.get('context') or '{}'))
        context['mes_oee_target'] = self._oee_target(domain)
        action['context'] = context
        name = '%s: %s' % (action['name'], title) if title else action['name']
        stamp = self._oee_freshness(domain)
        if stamp:
            local = fields.Datetime.context_timestamp(self, fields.Datetime.from_string(stamp))
            name = _('%s (computed at %s)') % (name, local.strftime('%Y-%m-%d %H:%M'))
        action['name'] = action['display_name'] = name   # the web client titles by display_name
        return action


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def _date(value):
    return fields.Date.from_string(value) if isinstance(value, str) else value
