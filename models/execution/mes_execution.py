"""The recorded execution state of each work order: what its events say, folded in true time.

One row per work order. The record stage (``mes.event._ingest``) locks the rows of the work
orders a batch touches, in id order (terminals on one work order wait, they never fail), folds
each one's events with ``services.execution.fold`` and stores the state and every event's
verdict. Odoo's own records (stock, time logs, the ledger) follow from the stored state in the
posting stage (``_post``), never from the events one by one.
"""
import hashlib
import json
from datetime import datetime, timedelta

from odoo import _, fields, models, tools

from ...services import execution, execution_resume

# Limits of plausibility: the company's setting (res.company field), else the plant-wide system
# parameter, else the fold's default. (context name: company field, system parameter, unit)
FUTURE_TOLERANCE_PARAM = 'shopfloor_mes.future_tolerance_seconds'
PARAMS = {
    'quantity_tolerance': ('mes_quantity_tolerance', 'shopfloor_mes.quantity_tolerance', lambda v: v),
    'max_interval': ('mes_max_interval_hours', 'shopfloor_mes.max_interval_hours', lambda v: timedelta(hours=v)),
    'max_age': ('mes_max_age_days', 'shopfloor_mes.max_age_days', lambda v: timedelta(days=v)),
    'partner_wait': ('mes_partner_wait_hours', 'shopfloor_mes.partner_wait_hours', lambda v: timedelta(hours=v)),
    'future_tolerance': (None, FUTURE_TOLERANCE_PARAM, lambda v: timedelta(seconds=v)),
    'machine_stop_threshold': ('mes_machine_stop_minutes', 'shopfloor_mes.machine_stop_minutes',
                               lambda v: timedelta(minutes=v)),
}

# Where the company sets nothing. A quantity is held when it passes what is still needed by more
# than half the planned quantity: one broken part more is ordinary, 25 on a 10-piece order not.
DEFAULTS = {'quantity_tolerance': 0.5}

FOLD_COLUMNS = """id, event_uid, terminal_id, seq, type, corrected_at, received_at, employee_badge,
                  data_json, corrects_uid, approved, state, error_code, blocked_by_uid, workorder_id"""


# The record stage's writes, as common table expressions of one statement (``_store``): each
# event whose verdict moved, each execution row whose state or snapshot changed (the version
# moves only with the state).
WRITE_VERDICTS = """verdicts AS (
    UPDATE mes_event e SET state = v.state, error_code = v.code, error_message = v.message,
           blocked_by_uid = v.by, applied_at = CASE WHEN v.state = 'applied'
           THEN coalesce(e.applied_at, now() at time zone 'UTC') ELSE e.applied_at END
      FROM unnest(%(v_id)s::int[], %(v_state)s::varchar[], %(v_code)s::varchar[], %(v_message)s::text[],
                  %(v_by)s::varchar[]) AS v(id, state, code, message, by)
     WHERE e.id = v.id)"""
WRITE_STATES = """states AS (
    UPDATE mes_execution x SET state_json = v.text, version = x.version + v.bump, good_qty = v.good,
           scrap_qty = v.scrap, finished_at = v.finished_at, fold_snapshot = v.snapshot, recorded_at = %(now)s,
           state_digest = v.digest, running_event_uids = v.running,
           write_date = now() at time zone 'UTC', write_uid = %(uid)s
      FROM unnest(%(x_id)s::int[], %(x_text)s::text[], %(x_good)s::float8[], %(x_scrap)s::float8[],
                  %(x_finished)s::timestamp[], %(x_snapshot)s::text[], %(x_bump)s::int[],
                  %(x_digest)s::varchar[], %(x_running)s::text[])
           AS v(id, text, good, scrap, finished_at, snapshot, bump, digest, running)
     WHERE x.id = v.id)"""


class MesExecution(models.Model):
    _name = 'mes.execution'
    _description = 'Recorded execution of a work order'
    _order = 'id desc'

    workorder_id = fields.Many2one('mrp.workorder', required=True, readonly=True, index=True, ondelete='cascade')
    production_id = fields.Many2one('mrp.production', readonly=True, index=True, ondelete='cascade')
    version = fields.Integer(readonly=True, help='Raised by every record that changes the state.')
    state_json = fields.Text(readonly=True)
    good_qty = fields.Float(readonly=True)
    scrap_qty = fields.Float(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    recorded_at = fields.Datetime(readonly=True)
    # the fold's walk as the last record left it: the next batch walks on from here when its
    # events come after it (services/execution_resume.py)
    fold_snapshot = fields.Text(readonly=True, prefetch=False)
    # what the record stage reads back instead of the texts: the state's digest (has it
    # changed?) and the starts still running (JSON list of event ids, read with the new events)
    state_digest = fields.Char('State digest', readonly=True)
    running_event_uids = fields.Text('Running starts', readonly=True, prefetch=False)
    # What was posted lives in mes.posting, a row of its own: a posting never holds the lock
    # that the record stage takes on this row, so terminals never wait for the ledger.
    posted_version = fields.Integer(compute='_compute_posted', help='The version Odoo\'s records were last brought to.')
    posting_error = fields.Text(compute='_compute_posted',
                                help='Why Odoo\'s records could not follow; fix it and post again.')
    posted_at = fields.Datetime(compute='_compute_posted')

    def _compute_posted(self):
        postings = {p.execution_id.id: p
                    for p in self.env['mes.posting'].sudo().search([('execution_id', 'in', self.ids)])}
        for row in self:
            posting = postings.get(row.id)
            row.posted_version = posting.version if posting else 0
            row.posting_error = posting.error if posting else False
            row.posted_at = posting.posted_at if posting else False

    _sql_constraints = [('workorder_unique', 'unique(workorder_id)', 'One execution state per work order.')]

    def init(self):
        # Every request rewrites the rows it touches (their state and snapshot): kept in the
        # table, a few KB each, they filled the pages, so no update could stay on its page (HOT)
        # and each left a dead row version and an entry in every index; the record statement
        # then slowed with each batch (23 MB of table and 135 ms of lock for 100 rows after
        # 8,000 events). Texts out of line (toast_tuple_target), room on each page (fillfactor)
        # and a vacuum after every 1,000 dead versions keep the table a few pages long.
        self.env.cr.execute("""ALTER TABLE mes_execution SET (fillfactor = 25, toast_tuple_target = 128,
                               autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                               toast.autovacuum_vacuum_scale_factor = 0, toast.autovacuum_vacuum_threshold = 1000)""")
        # The texts are written on every request that touches the order: lz4 compresses and
        # expands them several times faster than PostgreSQL's default (where the server has it).
        self.env.cr.execute("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
                            "AND 'lz4' = ANY(enumvals)")
        if self.env.cr.fetchone():
            self.env.cr.execute("""ALTER TABLE mes_execution ALTER COLUMN state_json SET COMPRESSION lz4,
                                   ALTER COLUMN fold_snapshot SET COMPRESSION lz4""")
        # Rows written before the record stage kept the state's digest and the running starts
        # apart: digest their state, and fold them once from their first event.
        self.env.cr.execute("""UPDATE mes_execution SET state_digest = md5(state_json)
                               WHERE state_digest IS NULL AND state_json IS NOT NULL""")
        self.env.cr.execute("""UPDATE mes_execution SET fold_snapshot = NULL
                               WHERE running_event_uids IS NULL AND fold_snapshot IS NOT NULL""")
        # Each record reads the order's component needs; Odoo 11 leaves this column unindexed
        # (later versions index it), so the read scanned every stock move of the database.
        self.env.cr.execute("""CREATE INDEX IF NOT EXISTS stock_move_mes_raw_material_production_index
                               ON stock_move (raw_material_production_id)""")

    # -- record --------------------------------------------------------------------------------
    def _record(self, workorders_by_event, now, resume=False):
        """Fold the work orders that ``workorders_by_event`` ({event row id: work order}) touch;
        write the verdicts that changed and each changed state. Returns the changed rows (the
        caller posts them). With ``resume`` (a terminal's new events), a work order whose new
        events all come after its last walked one is walked on from its snapshot, reading only
        those events and the starts still running; any other is folded from its first event."""
        workorders = {wo.id: wo for wo in workorders_by_event.values()}
        if not workorders:
            return self.browse()
        locked = self._lock(workorders, list(workorders_by_event) if resume else None)
        walked = self._resume(locked, workorders_by_event, now) if resume else {}
        rest = [wo_id for wo_id in workorders if wo_id not in walked]
        if rest:
            for wo_id, rows in self._fold_rows(rest).items():
                walked[wo_id] = (rows, self._fold(locked[wo_id], rows, now))
        changed, verdicts, states = [], [], []
        for wo_id in sorted(workorders):
            wo, locked_row = workorders[wo_id], locked[wo_id]
            rows, result = walked.get(wo_id) or ((), self._fold(locked_row, [], now))
            verdicts.extend(_verdict_changes(wo, rows, result.state))
            digest = hashlib.md5(result.text.encode()).hexdigest()
            bump = digest != locked_row[3]
            if bump or result.snapshot != locked_row[9]:
                states.append((locked_row[0], result.text, result.state, result.snapshot, int(bump), digest,
                               json.dumps(result.running)))
            if bump:
                changed.append(locked_row[0])
        self._store(states, verdicts, now)
        self.invalidate_cache()
        self.env['mes.event'].invalidate_cache()
        return self.browse(changed)

    def _resume(self, locked, workorders_by_event, now):
        """{work order id: (rows read, ``execution_resume.Walked``)} of the work orders walked
        on from their snapshot; the others are left out."""
        walked = {}
        for wo_id, row in locked.items():
            saved, rows = execution_resume.load(row[9]), row[10]
            if not saved or not rows:
                continue
            new = [r for r in rows if r['id'] in workorders_by_event]
            result = execution_resume.resume(saved, self._fold_events(new),
                                             self._fold_context(locked[wo_id], rows, now), record=True)
            if result is not None:
                walked[wo_id] = (rows, result)
        return walked

    def _cron_expire_waiting(self, now=None):
        """Fold again the work orders with events waiting for a partner longer than the window:
        they are rejected now, naming what they waited for."""
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        self.env.cr.execute("""SELECT DISTINCT workorder_id, id FROM mes_event
                               WHERE state = 'waiting' AND folded AND workorder_id IS NOT NULL""")
        workorders = self.env['mrp.workorder'].sudo()
        by_event = {event_id: workorders.browse(wo_id) for wo_id, event_id in self.env.cr.fetchall()}
        return self._record(by_event, now)._post()

    def _lock(self, workorder_ids, new_ids=None):
        """The execution rows of ``workorder_ids``, created when missing and locked in id order,
        with what the fold needs of the work order, its order and company, in one statement:
        the planned quantity, the product made, the components needed, the company's limits
        of plausibility; with ``new_ids`` (event rows), the rows a walk on from the snapshot
        reads: those new events and the starts still running. The upsert's no-op update is
        the lock (it waits for a terminal holding the row and then sees its commit, as
        ``FOR UPDATE`` would). The state's text is not read back, only its digest: the text
        grows with the order's history, and reading it for a comparison cost more than the
        rest of the statement."""
        self.env.cr.execute("""
            WITH x AS (
                INSERT INTO mes_execution (workorder_id, production_id, version,
                                           create_uid, write_uid, create_date, write_date)
                SELECT wo.id, wo.production_id, 0, %(uid)s, %(uid)s, now() at time zone 'UTC',
                       now() at time zone 'UTC'
                  FROM mrp_workorder wo WHERE wo.id = ANY(%(ids)s) ORDER BY wo.id
                ON CONFLICT (workorder_id) DO UPDATE SET version = mes_execution.version
                RETURNING id, workorder_id, version, state_digest, fold_snapshot, running_event_uids),
            walk_on AS (
                SELECT e.workorder_id, json_agg(json_build_object(
                           'id', e.id, 'event_uid', e.event_uid, 'terminal_id', e.terminal_id, 'seq', e.seq,
                           'type', e.type, 'corrected_at', e.corrected_at::text,
                           'received_at', e.received_at::text, 'employee_badge', e.employee_badge,
                           'data_json', e.data_json, 'corrects_uid', e.corrects_uid, 'approved', e.approved,
                           'state', e.state, 'error_code', e.error_code, 'blocked_by_uid', e.blocked_by_uid,
                           'workorder_id', e.workorder_id)) AS rows
                  FROM mes_event e
                 WHERE e.id IN (SELECT id FROM mes_event WHERE id = ANY(%(new_ids)s)
                                UNION ALL
                                SELECT r.id
                                  FROM x, json_array_elements_text(x.running_event_uids::json) AS running(uid)
                                  JOIN mes_event r ON r.event_uid = running.uid
                                 WHERE %(resume)s AND r.workorder_id = x.workorder_id)
                   AND e.folded AND e.state != 'discarded'
                 GROUP BY e.workorder_id)
            SELECT x.id, x.workorder_id, x.version, x.state_digest, mo.product_qty, mo.product_id,
                   (SELECT json_object_agg(n.product_id, n.qty)
                      FROM (SELECT m.product_id, SUM(m.product_uom_qty) AS qty FROM stock_move m
                             WHERE m.raw_material_production_id = mo.id AND m.state != 'cancel'
                             GROUP BY m.product_id) n), mo.company_id,
                   json_build_object('mes_quantity_tolerance', c.mes_quantity_tolerance,
                                     'mes_max_interval_hours', c.mes_max_interval_hours,
                                     'mes_max_age_days', c.mes_max_age_days,
                                     'mes_partner_wait_hours', c.mes_partner_wait_hours,
                                     'mes_machine_stop_minutes', c.mes_machine_stop_minutes),
                   x.fold_snapshot, CASE WHEN x.fold_snapshot IS NOT NULL THEN w.rows END
              FROM x
              JOIN mrp_workorder wo ON wo.id = x.workorder_id
              JOIN mrp_production mo ON mo.id = wo.production_id
              LEFT JOIN res_company c ON c.id = mo.company_id
              LEFT JOIN walk_on w ON w.workorder_id = x.workorder_id
             ORDER BY x.workorder_id""", {'uid': self.env.uid, 'ids': sorted(set(workorder_ids)),
                                          'resume': new_ids is not None, 'new_ids': new_ids or []})
        return {row[1]: row for row in self.env.cr.fetchall()}

    def _fold_rows(self, workorder_ids):
        """Every event that takes part in the fold of these work orders, grouped by work order."""
        self.env.cr.execute("SELECT " + FOLD_COLUMNS + """ FROM mes_event
                            WHERE workorder_id = ANY(%s) AND folded AND state != 'discarded'""",
                            (list(workorder_ids),))
        rows = {}
        for row in self.env.cr.dictfetchall():
            rows.setdefault(row['workorder_id'], []).append(row)
        return rows

    def _fold_context(self, locked_row, rows, now):
        """The fold's context: the company's limits, and the work order's planned quantity,
        product and component needs as ``_lock`` read them with the row."""
        _id, _wo, _version, _state, planned_qty, product_id, needs, _company_id, company_limits = locked_row[:9]
        return execution.ExecutionContext(
            now=now, planned_qty=planned_qty, product_id=product_id,
            component_needs={int(product): qty for product, qty in (needs or {}).items()},
            approved=frozenset(r['event_uid'] for r in rows if r['approved']),
            **self._limits(json.dumps(company_limits, sort_keys=True)))

    @tools.ormcache('company_limits')
    def _limits(self, company_limits):
        """The limits of plausibility for a company's settings (``company_limits``, as JSON),
        else the plant's system parameters, else the defaults. Cached like the parameters
        themselves: writing a parameter clears Odoo's caches, and a company's settings are
        part of the key."""
        params = self.env['ir.config_parameter'].sudo()
        settings = json.loads(company_limits) or {}
        limits = {}
        for name, (field, key, convert) in PARAMS.items():
            value = (settings.get(field) if field else 0.0) or float(params.get_param(key) or 0.0) \
                or DEFAULTS.get(name)
            if value:
                limits[name] = convert(float(value))
        return limits

    def _fold(self, locked_row, rows, now):
        """The ``execution_resume.Walked`` of the whole history ``rows``, for the record stage."""
        return execution_resume.snapshot_fold(self._fold_events(rows), self._fold_context(locked_row, rows, now),
                                              record=True)

    @staticmethod
    def _fold_events(rows):
        return [execution.ExecutionEvent(
            id=r['event_uid'], terminal=r['terminal_id'] or 0, seq=r['seq'], type=r['type'],
            at=_dt(r['corrected_at']), received_at=_dt(r['received_at']), employee=r['employee_badge'],
            data=json.loads(r['data_json'] or '{}'), corrects=r['corrects_uid']) for r in rows]

    def _store(self, states, verdicts, now):
        """Write, in one statement, the states (row id, state JSON, state, snapshot, 1 when the
        state itself changed, the JSON's digest, the running starts' ids as JSON) and the
        verdicts that moved (event row id, state, code, message, by)."""
        if not states and not verdicts:
            return
        v_columns = [list(column) for column in zip(*verdicts)] if verdicts else [[]] * 5
        params = dict(zip(('v_id', 'v_state', 'v_code', 'v_message', 'v_by'), v_columns))
        params.update(
            now=now, uid=self.env.uid, x_id=[s[0] for s in states], x_text=[s[1] for s in states],
            x_good=[s[2].good for s in states], x_scrap=[sum(q for _k, q in s[2].scrap) for s in states],
            x_finished=[s[2].finished_at for s in states], x_snapshot=[s[3] for s in states],
            x_bump=[s[4] for s in states], x_digest=[s[5] for s in states], x_running=[s[6] for s in states])
        self.env.cr.execute('WITH ' + WRITE_VERDICTS + ', ' + WRITE_STATES + ' SELECT 1', params)

    def name_get(self):
        return [(x.id, x.sudo().workorder_id.display_name or _('Execution %d') % x.id) for x in self]


def _verdict_changes(wo, rows, state):
    """The verdicts of ``state`` that differ from what ``rows`` store."""
    verdicts = dict(state.verdicts)
    names = {}
    changes = []
    for row in rows:
        verdict = verdicts.get(row['event_uid'])
        if verdict is None:
            continue
        if (row['state'], row['error_code'], row['blocked_by_uid']) == (verdict.status, verdict.code, verdict.by):
            continue
        if verdict.code and not names:   # read only for a message to write
            names.update(wo='%s (%s)' % (wo.name, wo.production_id.name), wc=wo.workcenter_id.name)
        error = verdict.error(**names)
        changes.append((row['id'], verdict.status, verdict.code, error.message if error else None, verdict.by))
    return changes


def _dt(value):
    if value is None or isinstance(value, datetime):
        return value
    return fields.Datetime.from_string(value)
