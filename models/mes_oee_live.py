"""OEE kept live: a cron every minute recomputes the work centers whose facts moved.

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

from odoo import _, api, fields, models
from odoo.tools.safe_eval import safe_eval

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


class MesOeeRecordLive(models.Model):
    _inherit = 'mes.oee.record'

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
            except Exception:  # noqa: BLE001 - one work center's failure must not stop the others
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
