"""Nonconformances: opened by a failed check or by hand, approved by a supervisor, carried out
as scrap, rework, use as is or return to supplier, each with its stock effect."""
from odoo.exceptions import UserError

from .quality_common import QualityCase


class TestNonconformance(QualityCase):

    def failed_length(self, value=451.6):
        point = self.length_point(responsible_id=self.env.user.id)
        self.send_ok([self.event('start', 0), self.check(5, point, 'pass', value=value)])
        return self.checks(point).nonconformance_ids

    def by_hand(self, **values):
        defaults = {'workorder_id': self.wo_cut.id, 'qty': 2.0, 'reason_id': self.scrap_reason.id}
        defaults.update(values)
        return self.env['mes.nonconformance'].create(defaults)

    def test_a_failed_check_opens_one_for_the_piece_and_tells_the_supervisors(self):
        nc = self.failed_length()
        self.assertEqual(len(nc), 1)
        self.assertEqual((nc.state, nc.origin, nc.qty, nc.product_id, nc.reason_id, nc.employee_id),
                         ('draft', 'check', 1.0, self.stool, self.scrap_reason, self.anna))
        self.assertTrue(nc.name.startswith('NC'))
        self.assertIn('451.6', nc.description)
        # the supervisors follow it; the point's responsible has the to-do
        self.assertIn(self.env.user.partner_id, nc.message_partner_ids)
        self.assertEqual(nc.activity_ids.mapped('user_id'), self.env.user)
        self.assertIn(nc, self.wo_cut.mes_nonconformance_ids)

    def test_approval_is_a_supervisor_decision_in_turn(self):
        nc = self.by_hand()
        # an operator may open one, not approve it
        with self.assertRaises(UserError) as refused:
            nc.sudo(self.operator_user).action_approve()
        self.assertEqual(refused.exception.code, 'supervisor_required')
        # the disposition is missing
        with self.assertRaises(UserError) as refused:
            nc.action_approve()
        self.assertEqual(refused.exception.code, 'nonconformance_incomplete')
        self.assertIn('disposition', refused.exception.name)
        # not carried out before approval
        nc.disposition = 'use_as_is'
        with self.assertRaises(UserError) as refused:
            nc.action_done()
        self.assertEqual(refused.exception.code, 'state_refused')
        with self.assertRaises(UserError) as refused:
            nc.write({'state': 'approved'})                    # only through its buttons
        self.assertEqual(refused.exception.code, 'state_refused')
        nc.action_approve()
        self.assertEqual((nc.state, nc.approved_by), ('approved', self.env.user))
        # once approved, the decision does not change
        with self.assertRaises(UserError):
            nc.disposition = 'scrap'
        nc.action_done()
        self.assertEqual(nc.state, 'done')
        with self.assertRaises(UserError) as refused:
            nc.action_cancel()
        self.assertEqual(refused.exception.code, 'state_refused')

    def test_no_context_key_lets_a_client_write_a_state(self):
        """Over XML-RPC a client sets any context: the state moves only through its buttons."""
        nc = self.by_hand()
        for key in ('mes_quality_transition', 'mes_transition', 'mes_event_internal'):
            with self.assertRaises(UserError) as refused:
                nc.sudo(self.operator_user).with_context(**{key: True}).write({'state': 'done'})
            self.assertEqual(refused.exception.code, 'state_refused')
        self.assertEqual(nc.state, 'draft')

    def test_scrap_makes_a_done_scrap_with_the_reason_on_the_work_order(self):
        nc = self.failed_length()
        nc.write({'disposition': 'scrap'})
        nc.action_approve()
        nc.action_done()
        scrap = nc.scrap_id
        self.assertEqual((scrap.state, scrap.product_id, scrap.scrap_qty, scrap.mes_reason_id),
                         ('done', self.stool, 1.0, self.scrap_reason))
        self.assertEqual((scrap.workorder_id, scrap.production_id), (self.wo_cut, self.mo))
        self.assertEqual(scrap.location_id, self.stool.property_stock_production)
        self.wo_cut.invalidate_cache()
        self.assertEqual(self.wo_cut.mes_scrap_qty, 1.0)

    def test_scrapping_a_defective_component_takes_it_from_stock(self):
        before = self.tube.with_context(location=self.stock.id).qty_available
        nc = self.by_hand(product_id=self.tube.id, qty=3.0, disposition='scrap')
        nc.action_approve()
        nc.action_done()
        self.assertEqual(nc.scrap_id.location_id, self.mo.location_src_id)
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 3)

    def test_rework_creates_a_rework_work_order_on_the_same_order(self):
        nc = self.failed_length()
        nc.write({'disposition': 'rework'})
        nc.action_approve()
        nc.action_done()
        rework = nc.rework_workorder_id
        self.assertTrue(rework.name.startswith('Rework'))
        self.assertEqual((rework.production_id, rework.workcenter_id, rework.operation_id),
                         (self.mo, self.saw, self.cut_op))
        self.assertEqual((rework.mes_is_rework, rework.mes_rework_of_id, rework.mes_rework_qty, rework.state),
                         (True, self.wo_cut, 1.0, 'ready'))
        self.assertEqual(rework.duration_expected, 0.0)
        self.assertIn(rework, self.mo.workorder_ids)

    def test_reworked_pieces_are_counted_not_made_again(self):
        nc = self.by_hand(qty=1.0, disposition='rework')
        nc.action_approve()
        nc.action_done()
        rework = nc.rework_workorder_id
        stool_before = self.stool.qty_available
        finished = self.mo.move_finished_ids.filtered(lambda m: m.product_id == self.stool)
        done_before = sum(finished.mapped('quantity_done'))
        self.send_ok([self.event('start', 60, wo=rework), self.produce(80, 1, wo=rework),
                      self.event('finish', 90, wo=rework)])
        self.assertEqual((rework.qty_produced, rework.state), (1.0, 'done'))
        self.assertEqual(self.stool.qty_available, stool_before)
        finished = self.mo.move_finished_ids.filtered(lambda m: m.product_id == self.stool)
        self.assertEqual(sum(finished.mapped('quantity_done')), done_before)
        self.assertFalse(rework.next_work_order_id)       # no operation waits on a rework

    def test_no_rework_on_a_closed_order(self):
        nc = self.by_hand(disposition='rework')
        nc.action_approve()
        self.mo.action_cancel()
        with self.assertRaises(UserError) as refused:
            nc.action_done()
        self.assertEqual(refused.exception.code, 'rework_order_closed')

    def test_return_to_supplier_prepares_a_delivery_to_the_supplier(self):
        supplier = self.env['res.partner'].create({'name': 'Tube Mill Ltd', 'supplier': True})
        nc = self.by_hand(product_id=self.tube.id, qty=4.0, disposition='return')
        with self.assertRaises(UserError) as refused:
            nc.action_approve()
        self.assertIn('supplier', refused.exception.name)
        nc.partner_id = supplier
        nc.action_approve()
        nc.action_done()
        picking = nc.return_picking_id
        self.assertEqual((picking.partner_id, picking.location_dest_id.usage, picking.state),
                         (supplier, 'supplier', 'assigned'))
        self.assertEqual((picking.move_lines.product_id, picking.move_lines.product_uom_qty), (self.tube, 4.0))

    def test_use_as_is_moves_nothing(self):
        nc = self.by_hand(disposition='use_as_is')
        nc.action_approve()
        nc.action_done()
        self.assertEqual(nc.state, 'done')
        self.assertFalse(nc.scrap_id or nc.rework_workorder_id or nc.return_picking_id)
        self.assertFalse(self.env['stock.scrap'].search([('workorder_id', '=', self.wo_cut.id)]))

    def test_cancel_from_draft_or_approved(self):
        nc = self.by_hand(disposition='scrap')
        nc.action_cancel()
        self.assertEqual(nc.state, 'cancel')
        with self.assertRaises(UserError):
            nc.action_approve()
