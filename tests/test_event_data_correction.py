"""A supervisor corrects what a held or rejected event says and resubmits it: the correction
is an event of its own that names the original, made by the supervisor with a reason; the
original stays, superseded. A correction refused too changes nothing."""
from odoo.exceptions import AccessError, UserError

from .test_security_access import SecurityCase


class TestEventDataCorrection(SecurityCase):

    def stored(self, event):
        return self.env['mes.event'].search([('event_uid', '=', event['id'])])

    def correct(self, row, user=None, **values):
        values.setdefault('why', 'typed the wrong figure; the paper traveller says so')
        wizard = self.env['mes.event.data.correction'].sudo(user or self.supervisor).create(
            dict(values, event_id=row.id))
        action = wizard.action_correct()
        return self.env['mes.event'].browse(action['res_id'])

    def test_a_held_absurd_quantity_is_corrected_and_counts_once(self):
        self.send_ok([self.event('start', 0)])
        absurd = self.event('produce', 5, data={'qty': 1e9})
        self.send([absurd])
        held = self.stored(absurd)
        self.assertEqual(held.state, 'held')
        new = self.correct(held, qty=3)
        self.assertEqual((new.state, new.type, new.corrects_uid, new.made_by, new.terminal_id),
                         ('applied', 'produce', absurd['id'], self.supervisor, self.terminal))
        self.assertIn('paper traveller', new.correction_reason)
        held.invalidate_cache()
        self.assertEqual((held.state, held.qty), ('superseded', 1e9), 'the original is kept as sent')
        self.assertEqual(self.wo_cut.qty_produced, 3)

    def test_a_rejected_scrap_with_an_unknown_reason_is_resubmitted_with_the_right_one(self):
        scrap = self.event('scrap', 5, data={'qty': 1, 'reason': 'WARPED'})
        self.send([scrap])
        dead = self.stored(scrap)
        self.assertEqual((dead.state, dead.error_code), ('dead', 'reason_unknown'))
        new = self.correct(dead, qty=1, reason_code='DIM')
        self.assertEqual(new.state, 'applied')
        dead.invalidate_cache()
        self.assertEqual((dead.state, dead.blocked_by_uid), ('superseded', new.event_uid))
        self.assertEqual(self.wo_cut.mes_scrap_qty, 1)

    def test_a_correction_that_is_refused_too_changes_nothing(self):
        scrap = self.event('scrap', 5, data={'qty': 1, 'reason': 'WARPED'})
        self.send([scrap])
        dead = self.stored(scrap)
        count = self.env['mes.event'].search_count([])
        with self.assertRaisesRegex(UserError, 'refused too'):
            self.correct(dead, qty=1, reason_code='STILL-UNKNOWN')
        self.assertEqual(self.env['mes.event'].search_count([]), count)
        self.assertEqual(dead.state, 'dead')

    def test_only_a_supervisor_corrects_and_says_why(self):
        scrap = self.event('scrap', 5, data={'qty': 1, 'reason': 'WARPED'})
        self.send([scrap])
        dead = self.stored(scrap)
        with self.assertRaises(AccessError):
            self.correct(dead, user=self.operator, reason_code='DIM')
        with self.assertRaisesRegex(UserError, 'Why'):
            self.correct(dead, reason_code='DIM', why='  ')
