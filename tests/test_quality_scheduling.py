"""When checks fall due: first piece at the start, every Nth unit as produced quantities cross
N, every unit; a terminal check completes the oldest due check. (The rule in plain numbers:
services/tests/test_quality.py.)"""
from odoo.exceptions import UserError

from .quality_common import QualityCase


class TestCheckScheduling(QualityCase):

    def test_first_piece_check_is_due_when_the_work_order_starts(self):
        point = self.point(frequency='first')
        self.assertFalse(self.checks(point))                     # planned, not started: nothing due
        self.send_ok([self.event('start', 0)])
        due = self.checks(point)
        self.assertEqual((due.state, due.piece_no, due.trigger), ('todo', 1, 'start'))
        # a second operator joining does not make a second first piece
        self.send_ok([self.event('start', 2, badge='B-BEN'), self.produce(10, 2)])
        self.assertEqual(len(self.checks(point)), 1)
        # the other operation's order has nothing to do with this point
        self.assertFalse(self.checks(point, wo=self.wo_paint))

    def test_every_nth_unit_falls_due_as_produced_quantities_cross_n(self):
        point = self.point(name='Burr check', frequency='nth', frequency_n=3)
        self.send_ok([self.event('start', 0), self.produce(10, 2)])
        self.assertEqual(self.pieces_due(point), [])
        self.send_ok([self.produce(20, 2)])                      # 4 made: piece 3 is due
        self.assertEqual(self.pieces_due(point), [3])
        self.assertEqual(self.checks(point).trigger, 'qty')

        mo = self.make_order(12)
        cut = mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        self.send_ok([self.produce(30, 7, wo=cut)])              # one report crosses 3 and 6
        self.assertEqual(self.pieces_due(point, wo=cut), [3, 6])

    def test_every_unit_and_checks_done_oldest_first(self):
        point = self.point(name='Visual', frequency='every')
        self.send_ok([self.event('start', 0), self.produce(10, 2)])
        first, second = self.checks(point)
        self.assertEqual((first.piece_no, second.piece_no), (1, 2))
        # the operator checks: the oldest due check is the one completed, no new record
        self.send_ok([self.check(11, point)])
        self.assertEqual((first.state, first.result, second.state), ('done', 'pass', 'todo'))
        self.assertEqual(first.checked_at, '2026-11-24 07:11:00')
        self.assertEqual(first.employee_id, self.anna)
        self.assertEqual(len(self.checks(point)), 2)

    def test_a_check_nobody_asked_for_is_recorded_unscheduled(self):
        point = self.point(name='Burr check', frequency='nth', frequency_n=10)
        self.send_ok([self.event('start', 0), self.check(5, point, note='looked odd')])
        check = self.checks(point)
        self.assertEqual((check.state, check.trigger, check.piece_no, check.note),
                         ('done', 'operator', 0, 'looked odd'))

    def test_a_check_before_any_start_is_the_first_piece(self):
        point = self.point(frequency='first')
        self.send_ok([self.check(1, point)])
        check = self.checks(point)
        self.assertEqual((check.state, check.piece_no, check.trigger), ('done', 1, 'start'))
        self.send_ok([self.event('start', 2)])
        self.assertEqual(len(self.checks(point)), 1)

    def test_points_apply_by_product_category_and_operation(self):
        others = self.point(name='Other product', product_id=self.other.id) \
            | self.point(name='Paint gloss', operation_id=self.wo_paint.operation_id.id)
        mine = self.point(name='Stool category', operation_id=False, product_categ_id=self.stool.categ_id.id)
        self.send_ok([self.event('start', 0)])
        due = self.env['mes.quality.check'].search([('workorder_id', '=', self.wo_cut.id),
                                                    ('point_id', 'in', (mine | others).ids)])
        self.assertEqual(due.mapped('point_id'), mine)
        self.assertEqual(self.wo_cut._mes_quality_checks_due(), [
            {'check_id': due.id, 'point_id': mine.id, 'name': 'Stool category', 'piece': 1, 'blocking': False}])

    def test_non_blocking_check_left_to_do_is_missed_at_finish(self):
        point = self.point(frequency='first', blocking=False)
        self.send_ok([self.event('start', 0), self.produce(10, 5), self.event('finish', 20)])
        self.assertEqual(self.checks(point).state, 'missed')

    def test_an_inspector_records_a_due_check_in_odoo(self):
        point = self.length_point(frequency='first')
        self.send_ok([self.event('start', 0)])
        due = self.checks(point)
        with self.assertRaises(UserError) as refused:
            due.action_pass()                                    # no value typed in yet
        self.assertEqual(refused.exception.code, 'check_value_missing')
        due.write({'value': 450.4, 'has_value': True})
        due.action_pass()
        self.assertEqual((due.state, due.result, due.trigger), ('done', 'pass', 'start'))
        # a done check stays done: no second result, no state written by hand
        with self.assertRaises(UserError) as refused:
            due.action_fail()
        self.assertEqual(refused.exception.code, 'state_refused')
        with self.assertRaises(UserError):
            due.write({'state': 'todo'})
