"""A burst of facts on one manufacturing order queues one posting job, and that job is one
queue_job's own runner can load and run: it brings the order up to what was recorded."""
from datetime import timedelta

from odoo.addons.queue_job.job import Job

from .common import T0, ShopFloorCase

RECEIVED = T0 + timedelta(hours=8)


class TestPostingQueue(ShopFloorCase):

    def record(self, events):
        _results, executions = self.env['mes.event']._record_batch(self.terminal, events, RECEIVED, RECEIVED)
        return executions, executions._enqueue_posting()

    def pending_jobs(self):
        return self.env['queue.job'].search([('model_name', '=', 'mes.execution'), ('method_name', '=', '_job_post'),
                                              ('state', 'in', ('pending', 'enqueued'))])

    def test_a_burst_on_one_order_queues_one_job_that_posts_it(self):
        _executions, queued = self.record([self.event('start', 0)])
        self.assertEqual(queued, [self.mo.id])
        _executions, queued = self.record([self.event('produce', 20, data={'qty': 2})])
        self.assertEqual(queued, [], 'the order already has its pending job')
        job_row = self.pending_jobs()
        self.assertEqual(len(job_row), 1)
        self.assertEqual((job_row.channel, job_row.name, job_row.user_id.id),
                         ('root.mes_posting', 'MES posting of %s' % self.mo.name, self.env.uid))
        self.assertEqual(job_row.job_function_id.name, '<mes.execution>._job_post')
        self.assertFalse(self.wo_cut.mes_labor_log_ids, 'recorded, not yet posted')

        job = Job.load(self.env, job_row.uuid)
        result = job.perform()
        self.assertEqual(result, 'posted 1 execution(s) of manufacturing order %d' % self.mo.id)
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)
        self.assertEqual(self.wo_cut.qty_produced, 2)

        job_row.write({'state': 'done'})
        _executions, queued = self.record([self.event('stop', 60)])
        self.assertEqual(queued, [self.mo.id], 'once the job ran, the next fact queues a new one')

    def test_facts_on_two_orders_queue_two_jobs_in_one_statement(self):
        other = self.make_order(5)
        other_cut = other.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        events = [self.event('start', 0), self.event('start', 0, wo=other_cut)]
        _results, executions = self.env['mes.event']._record_batch(self.terminal, events, RECEIVED, RECEIVED)
        before = self.env.cr.sql_log_count
        queued = executions._enqueue_posting()
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        self.assertEqual(sorted(queued), sorted([self.mo.id, other.id]))
        self.assertEqual(sorted(self.pending_jobs().mapped('args')), sorted([[self.mo.id], [other.id]]))


class TestPostingJobsAServerLeft(ShopFloorCase):
    """kill -9 leaves queue_job's row of a running posting ``started``: queue_job never runs it
    again and the posting channel stays full. The server gives such jobs back to the runner at
    start and every minute; a job still running (its advisory lock held by its transaction) is
    left alone."""

    def insert_started_jobs(self, jobs):
        with self.env.registry.cursor() as cr:
            for uuid, seconds_ago, retry in jobs:
                cr.execute("""INSERT INTO queue_job (uuid, user_id, name, model_name, method_name, state, channel,
                                                     retry, max_retries, date_created, date_started)
                              VALUES (%s, 1, 'MES posting (test)', 'mes.execution', '_job_post', 'started',
                                      'root.mes_posting', %s, 5, now() at time zone 'UTC',
                                      (now() at time zone 'UTC') - make_interval(secs => %s))""",
                           (uuid, retry, seconds_ago))

    def job_states(self, uuids):
        with self.env.registry.cursor() as cr:
            cr.execute('SELECT uuid, state, retry FROM queue_job WHERE uuid = ANY(%s)', (uuids,))
            return {uuid: (state, retry) for uuid, state, retry in cr.fetchall()}

    def test_a_job_a_dead_server_left_runs_again_and_a_running_one_is_left_alone(self):
        dead, running, just_started, crashed_often = uuids = ['mes-test-stale-%d' % n for n in range(4)]
        self.insert_started_jobs([(dead, 60, 0), (running, 60, 0), (just_started, 2, 0), (crashed_often, 60, 4)])
        live_job = self.env.registry.cursor()
        try:
            # the running job: its posting is under way in its own transaction
            self.env(cr=live_job)['mes.execution'].with_context(job_uuid=running)._job_post(self.mo.id)
            with self.env.registry.cursor() as cr:
                self.env(cr=cr)['mes.execution']._cron_post_pending()
            states = self.job_states(uuids)
            self.assertEqual(states[dead], ('pending', 1), 'a job the dead server left runs again')
            self.assertEqual(states[running], ('started', 0), 'a job another server runs is not touched')
            self.assertEqual(states[just_started], ('started', 0), 'the cron leaves a job that just started')
            self.assertEqual(states[crashed_often], ('failed', 5),
                             'a job its server died running five times is failed, not run forever')
            # at server start nothing of this server runs yet: the one just started is given back too
            with self.env.registry.cursor() as cr:
                self.env(cr=cr)['mes.execution']._register_hook()
            self.assertEqual(self.job_states(uuids)[just_started], ('pending', 1))
            self.assertEqual(self.job_states(uuids)[running], ('started', 0))
            # on a conflict queue_job writes the running job's row from another transaction
            # while the job's own is still open: nothing of ours may make that wait
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '2s'")
                cr.execute("UPDATE queue_job SET state = 'pending' WHERE uuid = %s", (running,))
                self.assertEqual(cr.rowcount, 1)
        finally:
            live_job.rollback()
            live_job.close()
            with self.env.registry.cursor() as cr:
                cr.execute('DELETE FROM queue_job WHERE uuid = ANY(%s)', (uuids,))
