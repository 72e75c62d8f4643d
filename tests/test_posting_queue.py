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
