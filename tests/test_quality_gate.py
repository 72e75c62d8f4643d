"""A blocking check holds the work order: produce and finish sent by the terminal are rejected
with a coded error until the check passes; measurements are judged against the limits."""
from .quality_common import QualityCase


class TestBlockingChecks(QualityCase):

    def test_first_piece_must_pass_before_production_and_finish(self):
        point = self.point(name='First piece approval', frequency='first', blocking=True)
        self.send_ok([self.event('start', 0)])
        # the operator reports production before the first piece was checked: refused
        row = self.assert_rejected(self.produce(5, 1), 'quality_check_blocking')
        self.assertIn('To produce work order Cut', row.error_message)
        self.assertIn('First piece approval', row.error_message)
        self.assertIn('still to do', row.error_message)
        self.assert_rejected(self.event('finish', 6), 'quality_check_blocking')
        self.assertEqual(self.wo_cut.qty_produced, 0)
        self.assertIn('First piece approval', self.wo_cut.mes_quality_hold)
        # the first piece passes: production goes on, and the supervisor's retry of the
        # rejected report now applies it
        self.send_ok([self.check(7, point)])
        self.assertFalse(self.wo_cut.mes_quality_hold)
        row.action_retry()
        self.assertEqual(row.state, 'applied')
        self.send_ok([self.produce(20, 4), self.event('finish', 30)])
        self.assertEqual((self.wo_cut.qty_produced, self.wo_cut.state), (5, 'done'))

    def test_a_failed_blocking_check_holds_until_a_new_check_passes(self):
        point = self.length_point(name='Length every 2nd', frequency='nth', frequency_n=2, blocking=True)
        self.send_ok([self.event('start', 0), self.produce(5, 1), self.produce(10, 1)])
        self.assertEqual(self.pieces_due(point), [2])
        self.assert_rejected(self.produce(12, 1), 'quality_check_blocking')
        # piece 2 measures 451.4 mm, outside 449-451: a fail although the operator tapped pass
        self.send_ok([self.check(13, point, 'pass', value=451.4)])
        check = self.checks(point)
        self.assertEqual((check.result, check.operator_result, check.value), ('fail', 'pass', 451.4))
        row = self.assert_rejected(self.produce(14, 1), 'quality_check_blocking')
        self.assertIn('latest result is a fail', row.error_message)
        # the setter corrects the stop; the next piece measures in tolerance
        self.send_ok([self.check(20, point, 'pass', value=450.3), self.produce(21, 1)])
        self.assertEqual(self.wo_cut.qty_produced, 3)

    def test_tapped_fail_stands_inside_the_limits(self):
        point = self.length_point()
        self.send_ok([self.check(3, point, 'fail', value=450.0, note='scratch')])
        self.assertEqual(self.checks(point).result, 'fail')

    def test_measurement_without_a_value_is_rejected(self):
        point = self.length_point()
        row = self.assert_rejected(self.check(3, point, 'pass'), 'check_value_missing')
        self.assertIn('mm', row.error_message)
        # nothing of the rejected event remains: the due check is still to do or absent
        self.assertFalse(self.checks(point, state='done'))

    def test_non_blocking_checks_do_not_hold_the_work_order(self):
        self.point(frequency='first', blocking=False)
        self.send_ok([self.event('start', 0), self.produce(5, 2)])
        self.assertEqual(self.wo_cut.qty_produced, 2)

    def test_the_gate_concerns_only_the_operation_the_point_is_on(self):
        self.point(name='Gloss', operation_id=self.wo_paint.operation_id.id, blocking=True)
        self.send_ok([self.event('start', 0), self.produce(5, 5), self.event('finish', 9)])
        self.assertEqual(self.wo_cut.state, 'done')
