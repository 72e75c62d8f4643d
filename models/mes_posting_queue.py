"""Postings as background jobs (OCA queue_job): one pending job per manufacturing order.

The record stage stores the state and asks for a posting; the job, run by queue_job's runner
beside the floor (channel ``root.mes_posting``, one at a time: README, "Background postings"),
brings Odoo's records of every work order of that order up to it (``_post``). The job is keyed
on the order, not on the execution rows: a burst of events on any of its work orders, in any
number of transactions, leaves one pending job, and a work order that gets its row after the
job was queued is posted by that same job.
"""
import logging

from odoo import models
from odoo.addons.queue_job.job import DEFAULT_MAX_RETRIES, DEFAULT_PRIORITY, job

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


class MesExecutionQueue(models.Model):
    _inherit = 'mes.execution'

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
