"""The posting stage: Odoo's own records brought up to a work order's recorded state.

A posting compares the state recorded now with the state posted last and makes only the
difference, through Odoo's own mechanisms: labor logs and run time, downtime records, good
quantity (stock moves valued by stock_account), scrap, consumption, checks, the finish, and the
conversion entry and cost sheet that follow. All of it in one savepoint: a posting that cannot
be made leaves Odoo's records as they were, keeps the facts, and says on the execution row what
to fix; the next posting tries again.

Postings as background jobs (OCA queue_job): one pending job per manufacturing order.

The record stage stores the state and asks for a posting; the job, run by queue_job's runner
beside the floor (channel ``root.mes_posting``, one at a time: README, "Background postings"),
brings Odoo's records of every work order of that order up to it (``_post``). The job is keyed
on the order, not on the execution rows: a burst of events on any of its work orders, in any
number of transactions, leaves one pending job, and a work order that gets its row after the
job was queued is posted by that same job.
"""
import json
import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.addons.queue_job.job import DEFAULT_MAX_RETRIES, DEFAULT_PRIORITY, job
from odoo.exceptions import UserError

from ...services import errors, recorded_state
from ...services.recorded_state import odoo_time
from ..shared.access import FINANCE, SUPERVISOR, caller

_logger = logging.getLogger(__name__)

EMPTY = {'labor': [], 'down': [], 'good_by_lot': [], 'scrap': [], 'consumption': [], 'checks': [],
         'finished_at': None, 'finish_event': None}


class PostingBlocked(Exception):
    """Odoo's records cannot follow the recorded state; the message says what to fix."""


class MesPosting(models.Model):
    """What was last posted of a work order's recorded state, and why a posting is blocked."""
    _name = 'mes.posting'
    _description = 'Posted state of a work order'

    execution_id = fields.Many2one('mes.execution', required=True, readonly=True, index=True, ondelete='cascade')
    version = fields.Integer(readonly=True)
    state_json = fields.Text(readonly=True)
    error = fields.Text(readonly=True)
    posted_at = fields.Datetime(readonly=True)

    _sql_constraints = [('execution_unique', 'unique(execution_id)', 'One posted state per work order.')]


_logger = logging.getLogger(__name__)


POSTING_CHANNEL = 'root.mes_posting'
JOB_FUNCTION = '<mes.execution>._job_post'
IDENTITY_PREFIX = 'shopfloor_mes.posting:'


# A job started or enqueued longer ago than this whose row no running job holds was left by a
# server that died (kill -9, power loss); queue_job never runs such a job again by itself.
STALE_AFTER_SECONDS = 10


# The first key of the advisory lock a running posting job holds on itself (the second is its
# uuid's hash). Not a lock on queue_job's row: on a conflict, queue_job writes that row from a
# second transaction while the job's own is still open.
JOB_LOCK_SPACE = 0x4D45   # "ME"


# The job row ``with_delay`` would write, for each order in the subquery ``orders`` that has no
# pending job yet; queue_job's own trigger wakes its runner.
ENQUEUE = """
    INSERT INTO queue_job (uuid, user_id, company_id, name, model_name, method_name, record_ids, args,
                           kwargs, func_string, state, priority, max_retries, retry, date_created,
                           channel_method_name, job_function_id, channel, identity_key)
    SELECT gen_random_uuid()::text, %%(uid)s, mo.company_id, 'MES posting of ' || mo.name, 'mes.execution',
           '_job_post', '[]', '[' || mo.id || ']', '{}', 'mes.execution()._job_post(' || mo.id || ')',
           'pending', %%(priority)s, %%(retries)s, 0, now() at time zone 'UTC', %%(function)s,
           (SELECT f.id FROM queue_job_function f WHERE f.name = %%(function)s LIMIT 1), %%(channel)s,
           %%(prefix)s || mo.id
      FROM mrp_production mo
     WHERE mo.id IN (%(orders)s)
       AND NOT EXISTS (SELECT 1 FROM queue_job q WHERE q.identity_key = %%(prefix)s || mo.id
                          AND q.state IN ('pending', 'enqueued'))
    RETURNING (args::json ->> 0)::int"""


class MesExecutionPosting(models.Model):
    _inherit = 'mes.execution'

    def _posting(self):
        """This execution's posted state, created when missing and locked: two postings of one
        work order never run at once (the second waits, or is retried)."""
        self.ensure_one()
        self.env.cr.execute("""INSERT INTO mes_posting (execution_id, version, create_uid, write_uid,
                                                        create_date, write_date)
                               VALUES (%s, 0, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
                               ON CONFLICT (execution_id) DO NOTHING""", (self.id, self.env.uid, self.env.uid))
        self.env.cr.execute("SELECT id FROM mes_posting WHERE execution_id = %s FOR UPDATE", (self.id,))
        return self.env['mes.posting'].sudo().browse(self.env.cr.fetchone()[0])

    def _post(self):
        """Post each execution whose recorded version is ahead of its posted one."""
        for execution in self.sudo():
            posting = execution._posting()
            if execution.version == posting.version and not posting.error:
                continue
            try:
                with self.env.cr.savepoint():
                    # each order's journal items of this posting gather in one entry per books
                    # day, posted at its end (mrp.production._mes_post)
                    costed = execution.with_context(mes_posting_entry=True)._post_difference(posting)
                    costed._mes_post_entries()
                    posting.write({'state_json': execution.state_json, 'version': execution.version,
                                   'error': False, 'posted_at': fields.Datetime.now()})
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                raise   # a conflict or a lost connection: the whole transaction is retried
            except (PostingBlocked, UserError, errors.MesError) as exc:
                # the savepoint rolled the rows back, not the ORM's cache of them: what it still
                # holds (moves done, quantities) would make the next posting skip real work
                self.invalidate_cache()   # all models, all fields
                message = getattr(exc, 'name', None) or getattr(exc, 'message', None) or str(exc)
                _logger.warning('MES posting of %s blocked: %s', execution.workorder_id.display_name, message)
                posting.write({'error': message})
            except Exception as exc:  # a bug in a posting must not lose the recorded facts
                self.invalidate_cache()   # all models, all fields
                _logger.exception('MES posting of %s failed', execution.workorder_id.display_name)
                posting.write({'error': _('The posting failed (%s: %s); the facts are recorded. '
                                                    'The failure is logged for the administrator; post again '
                                                    'once it is fixed.') % (type(exc).__name__, exc)})
        self.invalidate_cache(['posted_version', 'posting_error', 'posted_at'])
        return self

    def _cron_post_pending(self, limit=200):
        """Post what is recorded and not posted yet (a posting deferred by a conflict, or
        blocked until its cause was fixed), oldest first; and give back to the runner the
        posting jobs a server that died left running."""
        self._mes_requeue_stale_postings()
        self.env.cr.execute("""SELECT e.id FROM mes_execution e LEFT JOIN mes_posting p ON p.execution_id = e.id
                               WHERE e.version > coalesce(p.version, 0)
                               ORDER BY e.recorded_at NULLS FIRST, e.id LIMIT %s""", (limit,))
        pending = self.browse([row[0] for row in self.env.cr.fetchall()])
        blocked = pending._post().filtered('posting_error')
        return pending - blocked

    @api.model
    @caller(SUPERVISOR, FINANCE)
    def action_post_pending(self):
        """Post everything recorded and not posted yet, now (the cron and the jobs do it within
        seconds; this is for a supervisor who wants it at once, and for the tests)."""
        while self._cron_post_pending():
            pass
        return True

    @caller(SUPERVISOR, FINANCE)
    def action_post_again(self):
        """After fixing what blocked a posting (an account, a reason, a price): post now."""
        self.check_access_rule('write')
        self.sudo()._post()
        return True

    def _post_difference(self, posting):
        """Post what changed since ``posting``; returns the orders whose cost it touched, their
        conversion and cost sheet brought up to date once, after every fact of the posting."""
        wo = self.workorder_id.with_context(mes_no_autofinish=True)
        new, old = json.loads(self.state_json or 'null') or EMPTY, json.loads(posting.state_json or 'null') or EMPTY
        events = self._events(new)
        timed = self._post_labor(wo, new, old, events)
        down_since = self._post_downtime(wo, new, old, events)
        if down_since:
            # downtime cuts the run time of every work order on the work center from then on
            logs = self.env['mes.labor.log'].search([('workcenter_id', '=', wo.workcenter_id.id), '|',
                                                     ('date_stop', '=', False), ('date_stop', '>', down_since)])
            timed |= logs.mapped('workorder_id') | wo
        costed = timed._mes_sync_run_time(timed.ids) if timed else wo.production_id.browse()
        moved = [self._post_good(wo, new, old), self._post_scrap(wo, new, old, events),
                 self._post_consumption(wo, new, old), self._post_finish(wo, new, old, events)]
        self._post_checks(wo, new, old, events)
        if any(moved):
            costed |= wo.production_id
        costed._mes_cost_changed(cause=_cause(events, new, old))
        return costed | wo.production_id

    def _events(self, state):
        """The stored events a state names, by event id."""
        uids = {i[3] for i in state['labor']} | {i[4] for i in state['labor'] if i[4]}
        uids |= {d[3] for d in state['down']} | set(state['checks'])
        if state['finish_event']:
            uids.add(state['finish_event'])
        found = self.env['mes.event'].sudo().search([('event_uid', 'in', list(uids))]) if uids else []
        return {e.event_uid: e for e in found}

    def _last_event(self, wo, etype):
        return self.env['mes.event'].sudo().search([('workorder_id', '=', wo.id), ('type', '=', etype),
                                                    ('state', '=', 'applied')], order='corrected_at desc, id desc',
                                                   limit=1)

    # -- time ----------------------------------------------------------------------------------
    def _post_labor(self, wo, new, old, events):
        """Labor logs equal to the recorded intervals (one per start event); returns the work
        orders whose labor changed: this one, and those an operator's split time moved."""
        if new['labor'] == old['labor']:
            return wo.browse()
        Labor = self.env['mes.labor.log'].sudo()
        logs = {log.start_event_id.event_uid: log for log in Labor.search([('workorder_id', '=', wo.id)])}
        wanted = {i[3]: i for i in new['labor']}
        # the logs' stored figures (duration, work center, order) computed once for all of them
        with self.env.norecompute():
            self._post_labor_logs(wo, Labor, logs, wanted, events)
        Labor.recompute()
        if new['labor']:
            _mark_started(wo, min(i[1] for i in new['labor']))
        # an operator on several orders at once: each is charged its share; the others' cost moves too
        return wo | Labor.search([('workorder_id', '=', wo.id)])._mes_split_concurrent()

    def _post_labor_logs(self, wo, Labor, logs, wanted, events):
        """Create, move or drop ``wo``'s labor logs (``logs``, by start event) to the recorded
        intervals (``wanted``)."""
        for uid, (_badge, start, end, start_uid, end_uid, by_finish) in sorted(wanted.items(), key=lambda w: w[1][1]):
            values = {'date_start': odoo_time(start), 'date_stop': odoo_time(end),
                      'stop_event_id': events[end_uid].id if end_uid in events else False,
                      'closed_by_finish': by_finish}
            log = logs.pop(uid, None)
            corrected = events[start_uid].corrects_uid if start_uid in events else None
            if log is None and corrected in logs:
                # a supervisor's correction supersedes this interval's start: the same log moves
                log = logs.pop(corrected)
                values['start_event_id'] = events[start_uid].id
            if log is None:
                start_event = events[start_uid]
                employee = start_event.employee_id
                Labor.create(dict(values, employee_id=employee.id, workorder_id=wo.id, start_event_id=start_event.id,
                                  hourly_rate=employee.sudo().timesheet_cost))
            elif 'start_event_id' in values or (log.date_start, log.date_stop or False, log.stop_event_id.id,
                                                log.closed_by_finish) != (values['date_start'], values['date_stop'],
                                                                          values['stop_event_id'], by_finish):
                log.write(values)
        for log in logs.values():
            log.unlink()   # its start was judged otherwise since (history arrived): cost follows

    def _post_downtime(self, wo, new, old, events):
        """Downtime records equal to the recorded intervals; the earliest moment touched, if any."""
        if new['down'] == old['down']:
            return None
        Productivity = self.env['mrp.workcenter.productivity'].sudo()
        mine = Productivity.search([('workorder_id', '=', wo.id), ('mes_reason_id', '!=', False),
                                    ('mes_event_id', '!=', False)])
        records = {p.mes_event_id.event_uid: p for p in mine}
        touched = []
        for start, end, reason_code, start_uid, _end_uid in new['down']:
            record = records.pop(start_uid, None)
            if record is None:
                reason = self._reason(reason_code, 'downtime')
                loss = reason.loss_id or self.env['mrp.workcenter.productivity.loss'].search(
                    [('loss_type', '=', 'availability')], limit=1)
                Productivity.create({
                    'workcenter_id': wo.workcenter_id.id, 'workorder_id': wo.id, 'loss_id': loss.id,
                    'mes_reason_id': reason.id, 'mes_event_id': events[start_uid].id, 'description': reason.name,
                    'date_start': odoo_time(start), 'date_end': odoo_time(end), 'user_id': self.env.uid})
                touched.append(odoo_time(start))
            elif (record.date_start, record.date_end or False) != (odoo_time(start), odoo_time(end)):
                touched.append(min(record.date_start, odoo_time(start)))
                record.write({'date_start': odoo_time(start), 'date_end': odoo_time(end)})
            if record is not None and record.mes_reason_id.code != reason_code:
                # a supervisor corrected the reason: the same record, now on its loss
                reason = self._reason(reason_code, 'downtime')
                touched.append(min(record.date_start, odoo_time(start)))
                record.write({'mes_reason_id': reason.id, 'description': reason.name,
                              'loss_id': (reason.loss_id or record.loss_id).id})
        for record in records.values():
            touched.append(record.date_start)
            record.unlink()
        return min(touched) if touched else None

    # -- quantities ------------------------------------------------------------------------------
    def _post_good(self, wo, new, old):
        deltas = recorded_state.deltas(new['good_by_lot'], old['good_by_lot'])
        if not deltas:
            return
        event = self._last_event(wo, 'produce')
        product = wo.production_id.product_id
        # what this operation backflushes, and the finished product at the last one
        self._check_prices(product | wo.production_id.move_raw_ids.filtered(
            lambda m: m.workorder_id == wo or not m.workorder_id).mapped('product_id'))
        dated = wo.with_context(**_books_context(wo, event))
        for lot_name, qty in sorted(deltas.items(), key=lambda d: d[0] or ''):
            lot = self._lot(product, lot_name) if lot_name else None
            if qty < 0:
                # a produce judged otherwise after it was posted: reversed, never edited
                dated._mes_unproduce(-qty, lot, event)
                continue
            _mark_started(wo, fields.Datetime.from_string(event.corrected_at))
            dated._mes_produce(qty, lot, event)
        return True

    def _post_scrap(self, wo, new, old, events):
        deltas = recorded_state.deltas([((r, p), q) for r, p, q in new['scrap']],
                                       [((r, p), q) for r, p, q in old['scrap']])
        if not deltas:
            return
        production = wo.production_id
        event = self._last_event(wo, 'scrap')
        at = fields.Datetime.from_string(event.corrected_at)
        books_day = _books_context(wo, event)
        for (reason_code, product_id), qty in sorted(deltas.items(), key=lambda d: (d[0][0], d[0][1] or 0)):
            if qty < 0:
                raise PostingBlocked(_('The scrap of %s went down by %s after it was posted: correct the '
                                       'scrap by hand, then post again.') % (wo.display_name, -qty))
            reason = self._reason(reason_code, 'scrap')
            if not product_id or product_id == production.product_id.id:
                wo.with_context(**books_day)._mes_scrap_wip(qty, reason, event, at)
                continue
            # a component spoilt at the machine: it is lost from stock
            product = self.env['product.product'].browse(product_id)
            scrap = self.env['stock.scrap'].sudo().create({
                'product_id': product.id, 'product_uom_id': product.uom_id.id, 'scrap_qty': qty,
                'location_id': production.location_src_id.id, 'production_id': production.id, 'workorder_id': wo.id,
                'mes_reason_id': reason.id, 'mes_event_id': event.id, 'origin': production.name,
                'date_expected': fields.Datetime.to_string(at)})
            production.company_id._mes_costing_setup()
            scrap.with_context(mes_scrap_id=scrap.id, **books_day).do_scrap()
        return True

    def _post_consumption(self, wo, new, old):
        deltas = recorded_state.deltas([((product, lot), qty) for product, lot, qty in new['consumption']],
                                       [((product, lot), qty) for product, lot, qty in old['consumption']])
        if not deltas:
            return
        event = self._last_event(wo, 'consume')
        self._check_prices(self.env['product.product'].browse([product_id for product_id, _lot in deltas]))
        dated = wo.with_context(**_books_context(wo, event))
        for (product_id, lot_name), qty in sorted(deltas.items(), key=lambda d: (d[0][0], d[0][1] or '')):
            product = self.env['product.product'].browse(product_id)
            if qty > 0:
                dated._mes_consume(product, qty, self._lot(product, lot_name) if lot_name else None, event)
            else:
                dated._mes_return_component(product, -qty, event)
        return True

    # -- checks and the finish -------------------------------------------------------------------
    def _post_checks(self, wo, new, old, events):
        Check = self.env['mes.quality.check'].sudo()
        for uid in new['checks']:
            if uid in old['checks'] or Check.search_count([('event_id', '=', events[uid].id)]):
                continue
            event = events[uid]
            data = json.loads(event.data_json)
            point = self.env['mes.quality.point'].sudo().browse(data['point_id'])
            Check._record_from_event(event, point, wo, event.employee_id,
                                     fields.Datetime.from_string(event.corrected_at), data)

    def _post_finish(self, wo, new, old, events):
        if new['finished_at'] == old['finished_at']:
            return
        if not new['finished_at']:
            raise PostingBlocked(_('%s was finished and its finish was judged otherwise since: reopen the '
                                   'work order by hand, then post again.') % wo.display_name)
        stamp = odoo_time(new['finished_at'])
        if wo.state != 'done':
            wo._mes_sync_machine_time()
            wo.with_context(mes_no_autofinish=False).button_finish()
        wo.write({'date_finished': stamp})
        return True

    # -- lookups -----------------------------------------------------------------------------------
    def _check_prices(self, products):
        """Stock valued at standard needs a standard: a product without one would move at zero
        and leave WIP and the stock accounts wrong. Blocks the posting, naming what to set."""
        unpriced = products.filtered(lambda p: p.valuation == 'real_time' and p.cost_method == 'standard'
                                     and not p.standard_price)
        if unpriced:
            raise PostingBlocked(_('%s has no standard price, so its stock moves cannot be valued: set its cost '
                                   '(Inventory, Products, the product\'s Cost), then post again.')
                                 % ', '.join(unpriced.mapped('display_name')))

    def _reason(self, code, kind):
        reason = self.env['mes.reason'].sudo().search(
            [('code', '=', code), ('kind', '=', kind), ('is_category', '=', False)], limit=1)
        if not reason:
            raise PostingBlocked(_('No active %s reason has code "%s" any more: restore it, then post again.')
                                 % (kind, code))
        return reason

    def _lot(self, product, name):
        Lot = self.env['stock.production.lot'].sudo()
        return Lot.search([('product_id', '=', product.id), ('name', '=', name)], limit=1) \
            or Lot.create({'product_id': product.id, 'name': name})

    def _enqueue_params(self):
        return {'uid': self.env.uid, 'priority': DEFAULT_PRIORITY, 'retries': DEFAULT_MAX_RETRIES,
                'function': JOB_FUNCTION, 'channel': POSTING_CHANNEL, 'prefix': IDENTITY_PREFIX,
                'executions': self.ids}

    def _enqueue_posting(self):
        """Queue the posting of these executions' orders; an order already waiting for its
        posting keeps its one pending job. Returns the ids of the orders that got a new job.

        One statement for the whole batch, where ``with_delay`` costs about 40 per order (a
        search for the identity key, then an ORM create with mail.thread's followers and
        tracking). The row is the one ``with_delay`` would write, and queue_job's own trigger
        wakes its runner. Two transactions racing for one order may both queue a job: the
        second finds nothing ahead to post (``_post`` works by difference)."""
        if not self:
            return []
        self.env.cr.execute(self._enqueue_sql(), self._enqueue_params())
        return [row[0] for row in self.env.cr.fetchall()]

    def _enqueue_sql(self):
        """The statement that queues these executions' postings (parameters: ``_enqueue_params``);
        the record path runs it inside the statement that answers the terminal."""
        return ENQUEUE % {'orders': """SELECT coalesce(x.production_id, wo.production_id)
                                         FROM mes_execution x JOIN mrp_workorder wo ON wo.id = x.workorder_id
                                        WHERE x.id = ANY(%(executions)s)"""}

    def _register_hook(self):
        """At server start (registry load): run again the postings a dead server left. None of
        this server's jobs runs yet, and another server's running ones hold their rows."""
        result = super()._register_hook()
        self._mes_requeue_stale_postings(older_than=0)
        return result

    def _mes_requeue_stale_postings(self, older_than=STALE_AFTER_SECONDS):
        """Give back to the runner the posting jobs a server that died left ``started`` or
        ``enqueued``: they fill the channel and nothing behind them runs (queue_job's README
        asks for this by hand). A running job holds an advisory lock on itself until its
        transaction ends (``_job_post``), so live ones are left alone, also those of another
        server. Running one again is safe: a posting brings Odoo's records up to the recorded
        state by difference, in one transaction. A job that was running each time its server
        died, as often as it may be retried, is failed (it may be what kills the server)."""
        self.env.cr.execute("""
            UPDATE queue_job q
               SET state = CASE WHEN q.state = 'started' AND q.retry + 1 >= q.max_retries AND q.max_retries > 0
                                THEN 'failed' ELSE 'pending' END,
                   retry = q.retry + CASE WHEN q.state = 'started' THEN 1 ELSE 0 END,
                   exc_info = CASE WHEN q.state = 'started' AND q.retry + 1 >= q.max_retries AND q.max_retries > 0
                                   THEN 'The server stopped while running this posting, ' || (q.retry + 1)
                                        || ' times: see the server log.' ELSE q.exc_info END,
                   date_enqueued = NULL, date_started = NULL
             WHERE q.id IN (SELECT s.id FROM queue_job s
                             WHERE s.channel = %(channel)s AND s.state IN ('started', 'enqueued')
                               AND coalesce(s.date_started, s.date_enqueued)
                                   < (now() at time zone 'UTC') - make_interval(secs => %(age)s)
                               FOR UPDATE SKIP LOCKED)
               -- taken only when no running job holds it; ours until this transaction ends
               AND pg_try_advisory_xact_lock(%(space)s, hashtext(q.uuid))
            RETURNING q.uuid, q.state""", {'channel': POSTING_CHANNEL, 'age': older_than, 'space': JOB_LOCK_SPACE})
        rows = self.env.cr.fetchall()
        if rows:
            _logger.warning('posting jobs left by a stopped server given back to the runner: %s',
                            ', '.join('%s (%s)' % row for row in rows))
        return rows

    @job(default_channel=POSTING_CHANNEL)
    def _job_post(self, production_id):
        """The job: post every execution of the order whose recorded state is ahead."""
        uuid = self.env.context.get('job_uuid')
        if uuid:
            # held until the job's transaction ends: a live job is never taken for a stale one
            self.env.cr.execute('SELECT pg_advisory_xact_lock(%s, hashtext(%s))', (JOB_LOCK_SPACE, uuid))
        executions = self.sudo().search(['|', ('production_id', '=', production_id),
                                         ('workorder_id.production_id', '=', production_id)], order='id')
        executions._post()
        return 'posted %d execution(s) of manufacturing order %d' % (len(executions), production_id)


def _cause(events, new, old):
    """The time facts this posting carries, named on the entry that absorbs them: which event,
    from which terminal, by whom (a correction says who made it)."""
    before = {tuple(i) for i in old['labor']} | {tuple(d) for d in old['down']}
    uids = []
    for interval in new['labor'] + new['down']:
        if tuple(interval) not in before:
            uids += [uid for uid in (interval[3], interval[4]) if uid]
    named = []
    for uid in uids:
        event = events.get(uid)
        if event:
            source = event.terminal_id.name or (event.made_by.name if 'made_by' in event._fields else '') or ''
            named.append('%s %s (%s, %s)' % (event.type, uid, source, event.employee_id.name or ''))
    return '; '.join(named)


def _books_context(wo, event):
    """The context that dates the entries of ``event``'s posting by its books day (in
    ``wo``'s company): stock_account reads ``force_period_date``, and so do the MES's own."""
    if not event:
        return {}
    day = wo.production_id.company_id._mes_books_day(event.corrected_at)
    return {'force_period_date': fields.Date.to_string(day)}


def _mark_started(wo, at):
    """Odoo's own start, at the earliest recorded time: the work order and its manufacturing
    order go in progress; their start dates are the earliest reported."""
    stamp = at if isinstance(at, str) else fields.Datetime.to_string(at)
    stamp = stamp[:19]
    values = {}
    if wo.state in ('pending', 'ready'):
        values['state'] = 'progress'
    if not wo.date_start or stamp < wo.date_start:
        values['date_start'] = stamp
    if values:
        wo.write(values)
    production = wo.production_id
    if production.state in ('confirmed', 'planned'):
        production.write({'state': 'progress', 'date_start': stamp})
