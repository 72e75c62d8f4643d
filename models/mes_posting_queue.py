"""Postings as background jobs (OCA queue_job): one pending job per manufacturing order.

The record stage stores the state and asks for a posting; the job, run by queue_job's runner
beside the floor (channel ``root.mes_posting``, one at a time: README, "Background postings"),
brings Odoo's records of every work order of that order up to it (``_post``). The job is keyed
on the order, not on the execution rows: a burst of events on any of its work orders, in any
number of transactions, leaves one pending job, and a work order that gets its row after the
job was queued is posted by that same job.
"""
from odoo import models
from odoo.addons.queue_job.job import identity_exact, job

POSTING_CHANNEL = 'root.mes_posting'


class MesExecutionQueue(models.Model):
    _inherit = 'mes.execution'

    def _enqueue_posting(self):
        """Queue the posting of these executions' orders; an order already waiting for its
        posting keeps its one pending job (identity key: model, method, order id)."""
        jobs = []
        for production in self.mapped(lambda e: e.production_id or e.workorder_id.production_id):
            jobs.append(self.sudo().browse().with_delay(
                channel=POSTING_CHANNEL, identity_key=identity_exact,
                description='MES posting of %s' % production.name)._job_post(production.id))
        return jobs

    @job(default_channel=POSTING_CHANNEL)
    def _job_post(self, production_id):
        """The job: post every execution of the order whose recorded state is ahead."""
        executions = self.sudo().search(['|', ('production_id', '=', production_id),
                                         ('workorder_id.production_id', '=', production_id)], order='id')
        executions._post()
        return 'posted %d execution(s) of manufacturing order %d' % (len(executions), production_id)
