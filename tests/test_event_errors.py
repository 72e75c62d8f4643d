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

    def test_already_started_and_not_started(self):
        self.send_ok([self.event('start', 0)])
        self.assert_rejected(self.event('start', 5), 'already_started')
        self.assert_rejected(self.event('stop', 5, badge='B-BEN'), 'not_started')
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)

    def test_downtime_already_open_and_no_open_downtime(self):
        self.assert_rejected(self.event('downtime_end', 1), 'no_open_downtime')
        self.send_ok([self.event('downtime_start', 2, data={'reason': 'BRK-MECH'})])
        self.assert_rejected(self.event('downtime_start', 3, data={'reason': 'NO-MAT'}), 'downtime_already_open')

    def test_unknown_check_point(self):
        self.assert_rejected(self.event('check', 1, data={'point_id': 999999, 'result': 'pass'}), 'check_point_unknown')
        other_op = self.env['mes.quality.point'].create({'name': 'Paint gloss', 'operation_id': self.wo_paint.operation_id.id})
        self.assert_rejected(self.event('check', 1, data={'point_id': other_op.id, 'result': 'pass'}), 'check_point_unknown')

    def test_internal_error_keeps_the_event_and_leaves_nothing_half_written(self):
        # a failure after the labor log was written (fault injected into the machine-time
        # write): the event is kept dead and retryable, and the labor log is rolled back
        Productivity = type(self.env['mrp.workcenter.productivity'])
        original = Productivity.create

        def broken(self, values):
            raise RuntimeError('disk on fire')
        Productivity.create = broken
        try:
            row = self.assert_rejected(self.event('start', 0), 'internal_error')
        finally:
            Productivity.create = original
        self.assertIn('RuntimeError', row.error_message)
        self.assertFalse(self.wo_cut.mes_labor_log_ids)
        row.action_retry()
        self.assertEqual(row.state, 'applied')
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)
