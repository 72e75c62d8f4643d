"""An operator takes back a quantity already sent (issue 19, item 6): the tablet's ``undo`` names
it; the fold supersedes it and the posting reverses what it had posted, so the order, the stock
and the WIP are as before the entry. An undo that is not allowed is refused and changes nothing."""
from .test_costing import CostingCase


class TestUndoFromTerminal(CostingCase):

    def on_hand(self, product):
        return product.with_context(location=self.stock.id).qty_available

    def paint_event(self, etype, minute, **kw):
        return self.event(etype, minute, wo=self.wo_paint, badge=kw.pop('badge', 'B-CARL'), **kw)

    def row(self, event):
        return self.env['mes.event'].search([('event_uid', '=', event['id'])])

    def test_produce_3_then_undo_it_and_the_order_stock_and_wip_are_as_before(self):
        self.step([self.paint_event('start', 30)], terminal=self.paint_terminal)
        before = (self.on_hand(self.stool), self.on_hand(self.seat), self.on_hand(self.screw),
                  self.balance(self.wip_lines(self.mo)))
        three = self.paint_event('produce', 40, data={'qty': 3})
        self.step([three], terminal=self.paint_terminal)
        self.assertEqual(self.wo_paint.qty_produced, 3)
        self.assertEqual(self.on_hand(self.stool), before[0] + 3)
        undo = self.paint_event('undo', 41, data={'event': three['id']})
        self.step([undo], terminal=self.paint_terminal)   # the cost lines agree with the ledger (assert_invariants)
        self.assertEqual((self.row(three).state, self.row(undo).state), ('superseded', 'applied'))
        self.assertEqual(self.row(undo).corrects_uid, three['id'])
        self.wo_paint.invalidate_cache()
        self.assertEqual(self.wo_paint.qty_produced, 0)
        self.assertEqual((self.on_hand(self.stool), self.on_hand(self.seat), self.on_hand(self.screw),
                          self.balance(self.wip_lines(self.mo))), before)

    def test_an_undo_of_another_operator_or_too_late_is_refused_and_the_quantity_stands(self):
        self.step([self.paint_event('start', 30), self.paint_event('start', 30, badge='B-ANNA')],
                  terminal=self.paint_terminal)
        three = self.paint_event('produce', 40, data={'qty': 3})
        self.step([three], terminal=self.paint_terminal)
        row = self.assert_rejected(self.paint_event('undo', 41, badge='B-ANNA', data={'event': three['id']}),
                                   'undo_other_sender', terminal=self.paint_terminal)
        self.assertIn(three['id'], row.error_message)
        self.assert_rejected(self.paint_event('undo', 45, data={'event': three['id']}), 'undo_too_late',
                             terminal=self.paint_terminal)
        self.assert_rejected(self.paint_event('undo', 41, data={}), 'field_missing', terminal=self.paint_terminal)
        self.assertEqual(self.row(three).state, 'applied')
        self.wo_paint.invalidate_cache()
        self.assertEqual(self.wo_paint.qty_produced, 3)
