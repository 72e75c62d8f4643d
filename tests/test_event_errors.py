"""Every event-level error code: the event is kept, dead, with a precise code, and nothing of
it is applied."""
from datetime import timedelta

from .common import ShopFloorCase, T0


class TestEventErrors(ShopFloorCase):

    def test_contract_errors_are_stored_dead(self):
        cases = [
            ({'type': 'produce', 'data': {}}, 'field_missing'),
            ({'type': 'produce', 'data': {'qty': 'five'}}, 'field_invalid'),
            ({'type': 'produce', 'data': {'qty': -2}}, 'qty_not_positive'),
            ({'type': 'scrap', 'data': {'qty': 0, 'reason': 'DIM'}}, 'qty_not_positive'),
            ({'type': 'teleport'}, 'type_unknown'),
            ({'schema': 2}, 'schema_unsupported'),
            ({'at': 'yesterday'}, 'field_invalid'),
        ]
        for change, code in cases:
            event = self.event('start', 1)
            event.update(change)
            row = self.assert_rejected(event, code)
            self.assertIn(event['id'], row.raw)
        self.assertFalse(self.wo_cut.mes_labor_log_ids)

    def test_time_in_future_beyond_tolerance(self):
        received = self.event('start', 0)
        # sent at minute 0 by a correct clock, but claims minute 10: 600 s ahead, tolerance 120 s
        self.assert_rejected(self.event('start', 10), 'time_in_future',
                             received_at=self.T(0))
        self.assert_rejected(received, 'time_in_future', received_at=self.T(-5))
        # within tolerance it is accepted
        self.send_ok([self.event('start', 1)], received_at=self.T(0))

    def T(self, minute):
        return T0 + timedelta(minutes=minute)

    def test_unknown_work_order(self):
        event = self.event('start', 0)
        event['workorder_id'] = 999999
        row = self.assert_rejected(event, 'workorder_unknown')
        self.assertEqual(row.workorder_ref, 999999)

    def test_work_center_not_bound_to_terminal(self):
        self.assert_rejected(self.event('start', 0, wo=self.wo_paint), 'workcenter_not_on_terminal')

    def test_unknown_employee(self):
        self.assert_rejected(self.event('start', 0, badge='NOBODY'), 'employee_unknown')

    def test_employee_not_allowed_on_work_center(self):
        # Carl is qualified for paint only
        row = self.assert_rejected(self.event('start', 0, badge='B-CARL'), 'employee_not_allowed')
        self.assertEqual(row.employee_id, self.carl)
        self.assertFalse(self.wo_cut.mes_labor_log_ids)

    def test_scrap_on_cancelled_order(self):
        mo = self.make_order(1)
        cut = mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        mo.action_cancel()
        self.assertEqual(cut.state, 'cancel')
        self.assert_rejected(self.event('scrap', 5, wo=cut, data={'qty': 1, 'reason': 'DIM'}), 'workorder_cancelled')
        self.assertFalse(self.env['stock.scrap'].search([('workorder_id', '=', cut.id)]))

    def test_produce_after_finish(self):
        self.send_ok([self.event('start', 0), self.event('finish', 30)])
        row = self.assert_rejected(self.event('produce', 40, data={'qty': 1}), 'workorder_finished')
        self.assertIn('07:30:00', row.error_message)
        self.assertEqual(self.wo_cut.qty_produced, 0)

    def test_unknown_reason(self):
        self.assert_rejected(self.event('scrap', 1, data={'qty': 1, 'reason': 'GREMLINS'}), 'reason_unknown')
        # a downtime reason is not a scrap reason, and a category is not pickable
        self.assert_rejected(self.event('scrap', 2, data={'qty': 1, 'reason': 'BRK-MECH'}), 'reason_unknown')
        self.assert_rejected(self.event('downtime_start', 3, data={'reason': 'DT-BRK'}), 'reason_unknown')
        self.assertFalse(self.env['stock.scrap'].search([('workorder_id', '=', self.wo_cut.id)]))

    def test_unknown_product_and_component_not_on_order(self):
        self.assert_rejected(self.event('consume', 1, data={'product_id': 999999, 'qty': 1}), 'product_unknown')
        self.assert_rejected(self.event('consume', 1, data={'product_id': self.other.id, 'qty': 1}),
                             'component_not_on_order')

    def test_lot_required_for_tracked_product(self):
        self.stool.tracking = 'lot'
        mo = self.make_order(1)
        cut = mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        self.assert_rejected(self.event('produce', 1, wo=cut, data={'qty': 1}), 'lot_required')
        self.assertEqual(cut.qty_produced, 0)

    def expire_waiting(self):
        """Let a one-hour partner window pass with nothing arriving (the cron's sweep)."""
        self.env['ir.config_parameter'].sudo().set_param('shopfloor_mes.partner_wait_hours', '1')
        self.env['mes.execution']._cron_expire_waiting(now=T0 + timedelta(hours=8 + 2))

    def test_a_second_start_or_a_stop_without_start_waits_for_its_partner_then_is_rejected(self):
        first = self.event('start', 0)
        self.send_ok([first])
        second, orphan = self.event('start', 5), self.event('stop', 5, badge='B-BEN')
        for answer in self.send([second, orphan]):
            self.assertEqual(answer['status'], 'applied', answer)
            self.assertEqual(answer['waiting']['code'], 'waits_for_partner', answer)
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)
        self.expire_waiting()
        Event = self.env['mes.event']
        started = Event.search([('event_uid', '=', second['id'])])
        self.assertEqual((started.state, started.error_code, started.blocked_by_uid),
                         ('dead', 'already_started', first['id']))
        stopped = Event.search([('event_uid', '=', orphan['id'])])
        self.assertEqual((stopped.state, stopped.error_code), ('dead', 'not_started'))
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)

    def test_downtime_already_open_and_no_open_downtime_after_the_window(self):
        orphan_end = self.event('downtime_end', 1)
        self.assertIn('waiting', self.send([orphan_end])[0])
        self.send_ok([self.event('downtime_start', 2, data={'reason': 'BRK-MECH'})])
        second = self.event('downtime_start', 3, data={'reason': 'NO-MAT'})
        self.assertIn('waiting', self.send([second])[0])
        self.expire_waiting()
        codes = {e.event_uid: e.error_code for e in self.env['mes.event'].search([('state', '=', 'dead')])}
        self.assertEqual((codes[orphan_end['id']], codes[second['id']]), ('no_open_downtime', 'downtime_already_open'))

    def test_unknown_check_point(self):
        self.assert_rejected(self.event('check', 1, data={'point_id': 999999, 'result': 'pass'}), 'check_point_unknown')
        other_op = self.env['mes.quality.point'].create({'name': 'Paint gloss',
                                                         'operation_id': self.wo_paint.operation_id.id})
        self.assert_rejected(self.event('check', 1, data={'point_id': other_op.id, 'result': 'pass'}),
                             'check_point_unknown')

    def test_a_failing_posting_keeps_the_fact_and_leaves_odoo_records_as_they_were(self):
        # a failure while Odoo's records follow (fault injected into the machine-time write):
        # the event is recorded, the posting is rolled back whole and says why; posting again
        # after the fix brings the records up to date
        Workorder = type(self.env['mrp.workorder'])
        original = Workorder._mes_add_run_time

        def broken(self, loss, intervals):
            raise RuntimeError('disk on fire')
        Workorder._mes_add_run_time = broken
        try:
            self.send_ok([self.event('start', 0)])
        finally:
            Workorder._mes_add_run_time = original
        execution = self.env['mes.execution'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertIn('RuntimeError', execution.posting_error)
        self.assertGreater(execution.version, execution.posted_version)
        self.assertFalse(self.wo_cut.mes_labor_log_ids)
        execution.action_post_again()
        self.assertFalse(execution.posting_error)
        self.assertEqual(execution.posted_version, execution.version)
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)
