"""A throwaway event type added through its description and its fold step alone goes through
the record path like a built-in one: stored, judged on the Odoo data its description asks for
(the reason it names), folded with its step and the rules its description flags, answered."""
from ..services import event_types, execution
from .common import ShopFloorCase

BIN_CALL = event_types.EventType(
    'bin_call', (event_types.Field('reason', 'text', required=True, names='reason'),
                 event_types.Field('bins', 'count', required=True)),
    reason_kind='downtime', refused_after_finish=True, example=(('reason', 'JAM'), ('bins', 2)),
    doc='the operator calls for empty bins, saying why (a throwaway type of this test)')


def bin_call_step(walk, event):
    walk.apply(event)


class TestEventTypeAdded(ShopFloorCase):

    def describe_bin_call(self):
        event_types.register(BIN_CALL)
        self.addCleanup(event_types.unregister, BIN_CALL.name)
        execution.fold_step(BIN_CALL.step)(bin_call_step)
        self.addCleanup(execution.FOLD_STEPS.pop, BIN_CALL.step)

    def bin_call(self, minute, reason=None, bins=2):
        return self.event('bin_call', minute, data={'reason': reason or self.down_reason.code, 'bins': bins})

    def test_unknown_until_described(self):
        self.assert_rejected(self.bin_call(5), 'type_unknown')

    def test_recorded_judged_and_folded_from_its_description(self):
        self.describe_bin_call()
        call = self.bin_call(5)
        self.send_ok([self.event('start', 0), call])
        row = self.env['mes.event'].search([('event_uid', '=', call['id'])])
        self.assertEqual((row.type, row.state, row.employee_id), ('bin_call', 'applied', self.anna))
        # the record path looks up the reason of the kind its description names
        self.assert_rejected(self.bin_call(6, reason='NO-SUCH'), 'reason_unknown')
        self.assert_rejected(self.bin_call(7, bins=0), 'qty_not_positive')
        # and the fold refuses it after the finish, as its description flags
        self.send_ok([self.event('finish', 10)])
        self.assert_rejected(self.bin_call(12), 'workorder_finished')
