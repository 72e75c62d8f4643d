"""A nonconformance's to-dos close when its disposition is carried out or it is cancelled
(issue 20, item 7: they stayed open in the supervisors' activities)."""
from .quality_common import QualityCase


class TestNonconformanceTodos(QualityCase):

    def failed(self, minute):
        point = self.length_point(responsible_id=self.env.user.id)
        self.send_ok([self.event('start', minute), self.check(minute + 1, point, 'pass', value=451.6)])
        nc = self.checks(point).nonconformance_ids
        self.assertEqual(len(nc.activity_ids), 1)
        return nc

    def todos(self, nc):
        return self.env['mail.activity'].search([('res_model', '=', 'mes.nonconformance'), ('res_id', '=', nc.id)])

    def test_carrying_out_the_disposition_closes_the_todo(self):
        nc = self.failed(0)
        nc.disposition = 'use_as_is'
        nc.action_approve()
        self.assertTrue(self.todos(nc), 'still to do until carried out')
        nc.action_done()
        self.assertFalse(self.todos(nc))
        self.assertTrue(nc.message_ids.filtered(lambda m: 'Disposition carried out' in (m.body or '')))

    def test_cancelling_closes_the_todo(self):
        nc = self.failed(0)
        nc.action_cancel()
        self.assertFalse(self.todos(nc))
