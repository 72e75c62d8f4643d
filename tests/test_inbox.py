"""The inbox: stored before judged, idempotent, append-only, retry and discard."""
from odoo.exceptions import AccessError, UserError

from .common import ShopFloorCase


class TestInbox(ShopFloorCase):

    def test_a_repeated_event_is_not_applied_twice(self):
        events = [self.event('start', 0), self.event('produce', 5, data={'qty': 2}), self.event('stop', 10)]
        first = self.send_ok(events)
        again = self.send(events)
        self.assertEqual([r['status'] for r in again], ['duplicate'] * 3)
        self.assertEqual([r['outcome'] for r in again], ['applied'] * 3)
        self.assertEqual([r['id'] for r in again], [r['id'] for r in first])
        self.assertEqual(self.wo_cut.qty_produced, 2)
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)
        rows = self.env['mes.event'].search([('event_uid', 'in', [e['id'] for e in events])])
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows.mapped('repeat_count'), [1, 1, 1])

    def test_duplicate_of_a_rejected_event_answers_its_first_outcome(self):
        event = self.event('scrap', 1, data={'qty': 1, 'reason': 'NOPE'})
        self.send([event])
        result, = self.send([event])
        self.assertEqual(result['status'], 'duplicate')
        self.assertEqual(result['outcome'], 'rejected')
        self.assertEqual(result['error']['code'], 'reason_unknown')

    def test_same_id_twice_in_one_batch_is_applied_once(self):
        event = self.event('produce', 5, data={'qty': 1})
        results = self.send([event, dict(event)])
        self.assertEqual([r['status'] for r in results], ['applied', 'duplicate'])
        self.assertEqual(self.wo_cut.qty_produced, 1)

    def test_results_come_in_request_order_with_raw_json_kept(self):
        events = [self.event('stop', 10, seq=2), self.event('start', 0, seq=1)]
        events[0]['extra_field_from_v1_1'] = {'battery': 40}
        results = self.send_ok(events)
        self.assertEqual([r['id'] for r in results], [e['id'] for e in events])
        row = self.env['mes.event'].search([('event_uid', '=', events[0]['id'])])
        self.assertIn('battery', row.raw)           # unknown fields kept, ignored
        self.assertEqual(row.type, 'stop')
        self.assertEqual(row.workorder_id, self.wo_cut)
        self.assertEqual(row.employee_id, self.anna)

    def test_an_event_without_id_or_not_an_object_is_still_stored(self):
        no_id = self.event('start', 0)
        del no_id['id']
        results = self.send([no_id, 'garbage', 42])
        self.assertEqual([r['status'] for r in results], ['rejected'] * 3)
        self.assertEqual(results[0]['error']['code'], 'field_missing')
        self.assertEqual(results[1]['error']['code'], 'field_invalid')
        rows = self.env['mes.event'].search([('terminal_id', '=', self.terminal.id), ('state', '=', 'dead')])
        self.assertEqual(len(rows), 3)
        self.assertIn('"garbage"', rows.mapped('raw'))

    def test_events_are_append_only(self):
        self.send_ok([self.event('start', 0)])
        row = self.env['mes.event'].search([], limit=1)
        with self.assertRaises(AccessError):
            row.write({'state': 'dead'})
        with self.assertRaises(AccessError):
            row.unlink()

    def test_retry_after_fixing_the_cause_applies_through_the_same_path(self):
        event = self.event('scrap', 3, data={'qty': 2, 'reason': 'BURNT'})
        row = self.assert_rejected(event, 'reason_unknown')
        # the supervisor adds the missing reason, then retries
        self.env['mes.reason'].create({'code': 'BURNT', 'name': 'Burnt', 'kind': 'scrap'})
        row.action_retry()
        self.assertEqual(row.state, 'applied')
        self.assertEqual(row.retry_count, 1)
        self.assertEqual(row.retried_by, self.env.user)
        self.assertEqual(self.scrap_qty(), 2)
        # a duplicate now answers the new outcome, and nothing is applied again
        result, = self.send([event])
        self.assertEqual((result['status'], result['outcome']), ('duplicate', 'applied'))
        self.assertEqual(self.scrap_qty(), 2)

    def test_retry_that_still_fails_stays_dead_and_counts(self):
        row = self.assert_rejected(self.event('scrap', 3, data={'qty': 2, 'reason': 'BURNT'}), 'reason_unknown')
        row.action_retry()
        self.assertEqual((row.state, row.retry_count, row.error_code), ('dead', 1, 'reason_unknown'))
        with self.assertRaises(UserError):
            self.send_ok([self.event('start', 0)])
            self.env['mes.event'].search([('state', '=', 'applied')], limit=1).action_retry()

    def test_discard_needs_a_reason_and_keeps_who_and_why(self):
        row = self.assert_rejected(self.event('scrap', 3, data={'qty': 2, 'reason': 'BURNT'}), 'reason_unknown')
        with self.assertRaises(UserError):
            row.action_discard('  ')
        wizard = self.env['mes.event.discard'].create({'event_ids': [(6, 0, row.ids)],
                                                       'reason': 'entered on paper, keyed by hand'})
        wizard.action_discard()
        self.assertEqual(row.state, 'discarded')
        self.assertEqual(row.discarded_by, self.env.user)
        self.assertEqual(row.discard_reason, 'entered on paper, keyed by hand')
        with self.assertRaises(UserError):
            row.action_retry()

    def test_only_supervisors_retry_or_discard(self):
        row = self.assert_rejected(self.event('scrap', 3, data={'qty': 2, 'reason': 'BURNT'}), 'reason_unknown')
        operator = self.env['res.users'].create({
            'name': 'Op', 'login': 'op_inbox',
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_operator').id])]})
        with self.assertRaises(AccessError):
            row.sudo(operator).action_retry()
        with self.assertRaises(AccessError):
            row.sudo(operator).action_discard('no')
        self.assertEqual(row.state, 'dead')

    def test_terminal_clock_offset_is_measured_and_kept(self):
        from datetime import timedelta
        event = self.event('start', 0, skew=timedelta(minutes=-10))
        self.send_ok([event], skew=timedelta(minutes=-10))
        row = self.env['mes.event'].search([('event_uid', '=', event['id'])])
        self.assertEqual(row.clock_offset_ms, 600000)
        self.assertEqual(row.terminal_at, '2026-11-24 06:50:00')
        self.assertEqual(row.corrected_at, '2026-11-24 07:00:00')
        self.assertEqual(self.terminal.clock_offset_ms, 600000)
