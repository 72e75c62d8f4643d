"""The record stage on the shop floor: the same facts give the same work order whatever the
order, batching or repetition they arrive in; implausible facts wait for a supervisor; history
that arrives late rejects what it makes impossible, and says which event did."""
import random
from unittest.mock import patch
from datetime import timedelta

from ..services import execution_resume
from .common import T0, ShopFloorCase


def labor_target(production):
    """What the labor time closed so far on ``production`` costs, over all its books days."""
    return sum(amount for (_day, field, element), amount in production._mes_conversion_target_by_day().items()
               if (field, element) == ('mes_applied_labor_account_id', 'labor'))


class TestRecordPath(ShopFloorCase):

    def labor(self, wo=None):
        logs = (wo or self.wo_cut).mes_labor_log_ids.sorted('date_start')
        return [(log.employee_id.name, log.date_start[11:16], (log.date_stop or '')[11:16]) for log in logs]

    def test_a_stop_sent_from_another_tablet_before_its_start_arrives_closes_one_interval(self):
        start, stop = self.event('start', 0), self.event('stop', 60)
        waiting, = self.send([stop], terminal=self.terminal2)
        self.assertEqual(waiting['status'], 'applied')
        self.assertEqual(waiting['waiting']['code'], 'waits_for_partner')
        self.assertEqual(self.labor(), [])
        self.send_ok([start])
        self.assertEqual(self.labor(), [('Anna', '07:00', '08:00')])
        row = self.env['mes.event'].search([('event_uid', '=', stop['id'])])
        self.assertEqual((row.state, row.error_code), ('applied', False))

    def test_two_pairs_of_one_operator_in_any_order_give_sixty_minutes(self):
        events = [self.event('start', 0), self.event('stop', 30), self.event('start', 40), self.event('stop', 70)]
        for shuffled in ([3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]):
            mo = self.make_order(5)
            wo = mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
            batch = [dict(self.event(e['type'], 0, wo=wo), at=e['at']) for e in events]
            for index in shuffled:
                self.send([batch[index]])
            self.assertEqual(sum(wo.mes_labor_log_ids.mapped('duration')), 60.0, shuffled)
            self.assertEqual(self.labor(wo), [('Anna', '07:00', '07:30'), ('Anna', '07:40', '08:10')])

    def test_a_shuffled_duplicated_replay_gives_the_state_of_in_order_delivery(self):
        def history(wo):
            e = self.event
            return [e('start', 0, wo=wo), e('start', 5, wo=wo, badge='B-BEN'), e('produce', 20, wo=wo, data={'qty': 2}),
                    e('downtime_start', 25, wo=wo, data={'reason': 'BRK-MECH'}), e('downtime_end', 35, wo=wo),
                    e('scrap', 40, wo=wo, data={'qty': 1, 'reason': 'DIM'}), e('stop', 50, wo=wo, badge='B-BEN'),
                    e('produce', 55, wo=wo, data={'qty': 2}), e('stop', 60, wo=wo)]

        def replay(events, shuffle):
            wo = self.make_order(5).workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
            batch = [dict(event, workorder_id=wo.id, id='%s-%s' % (event['id'], wo.id)) for event in events]
            if shuffle:
                rng = random.Random(7)
                batch = batch + rng.sample(batch, 4)
                rng.shuffle(batch)
                for start in range(0, len(batch), 3):
                    self.send(batch[start:start + 3], terminal=rng.choice([self.terminal, self.terminal2]))
            else:
                self.send_ok(batch)
            execution = self.env['mes.execution'].search([('workorder_id', '=', wo.id)])
            return (wo.qty_produced, wo.mes_scrap_qty, sorted(wo.mes_labor_log_ids.mapped('duration')),
                    wo.mes_machine_minutes, execution.good_qty, execution.scrap_qty)

        events = history(self.wo_cut)
        self.assertEqual(replay(events, shuffle=True), replay(events, shuffle=False))

    def test_an_absurd_quantity_is_held_for_review_not_applied(self):
        self.send_ok([self.event('start', 0)])
        absurd = self.event('produce', 5, data={'qty': 1e9})
        answer, = self.send([absurd])
        self.assertEqual((answer['status'], answer['error']['code'], answer['held']),
                         ('rejected', 'held_quantity', True))
        self.assertEqual(self.wo_cut.qty_produced, 0)
        row = self.env['mes.event'].search([('event_uid', '=', absurd['id'])])
        self.assertEqual(row.state, 'held')
        # three more than planned is ordinary (one broken part, a spare): no question asked
        self.send_ok([self.event('produce', 6, data={'qty': 7})])
        self.assertEqual(self.wo_cut.qty_produced, 7)

    def test_the_company_setting_wins_over_the_plant_wide_default(self):
        self.env['ir.config_parameter'].sudo().set_param('shopfloor_mes.quantity_tolerance', '10')  # lenient plant
        self.env.user.company_id.mes_quantity_tolerance = 0.1                                        # strict company
        self.send_ok([self.event('start', 0)])
        answer, = self.send([self.event('produce', 5, data={'qty': 7})])
        self.assertEqual(answer['error']['code'], 'held_quantity')
        # 0: the company takes the plant-wide value (another order: a fold judges its whole history
        # with the limits of the moment)
        self.env.user.company_id.mes_quantity_tolerance = 0.0
        wo = self.make_order(5).workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        self.send_ok([self.event('start', 0, wo=wo), self.event('produce', 5, wo=wo, data={'qty': 7})])

    def test_a_start_dated_a_month_back_is_held_and_the_finish_does_not_close_it(self):
        old = self.event('start', -30 * 24 * 60)
        answer, = self.send([old])
        self.assertEqual(answer['error']['code'], 'held_too_old')
        self.send_ok([self.event('start', 0, badge='B-BEN'), self.event('stop', 57, badge='B-BEN'),
                      self.event('finish', 57, badge='B-BEN')])
        self.assertEqual(self.labor(), [('Ben', '07:00', '07:57')])

    def test_a_supervisor_approves_a_held_event_and_it_counts(self):
        self.env.user.company_id.mes_quantity_tolerance = 0.1     # this plant is strict
        self.send_ok([self.event('start', 0)])
        extra = self.event('produce', 5, data={'qty': 7})
        self.assertEqual(self.send([extra])[0]['error']['code'], 'held_quantity')
        row = self.env['mes.event'].search([('event_uid', '=', extra['id'])])
        row.action_approve()
        self.assertEqual((row.state, self.wo_cut.qty_produced), ('applied', 7))

    def test_a_finish_that_arrives_late_rejects_what_came_after_it_and_names_itself(self):
        self.send_ok([self.event('start', 0)])
        late_check = self.event('produce', 50, data={'qty': 1})
        self.send_ok([self.event('stop', 45)])
        finish = self.event('finish', 46)
        answer, = self.send([late_check])
        self.assertEqual(answer['status'], 'applied')
        self.send([finish])
        row = self.env['mes.event'].search([('event_uid', '=', late_check['id'])])
        self.assertEqual((row.state, row.error_code, row.blocked_by_uid), ('dead', 'workorder_finished', finish['id']))
        execution = self.env['mes.execution'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(execution.good_qty, 0)
        # the good piece posted before is taken back by reversal moves (test_costing has the ledger)
        self.assertFalse(execution.posting_error)
        self.assertEqual(self.wo_cut.qty_produced, 0)

    def test_waiting_events_are_rejected_once_the_window_passes(self):
        orphan = self.event('stop', 30)
        self.send([orphan])
        Execution = self.env['mes.execution']
        Execution._cron_expire_waiting(now=T0 + timedelta(hours=8 + 11))
        row = self.env['mes.event'].search([('event_uid', '=', orphan['id'])])
        self.assertEqual(row.state, 'waiting')
        Execution._cron_expire_waiting(now=T0 + timedelta(hours=8 + 13))
        self.assertEqual((row.state, row.error_code), ('dead', 'not_started'))

    def test_one_operator_on_three_orders_at_once_is_charged_a_third_on_each(self):
        """Anna runs three saw orders side by side for an hour: one hour of her time, 20
        minutes (10.00 at 30.00/h) on each order, not a full hour on each."""
        orders = [self.mo] + [self.make_order(5) for _ in range(2)]
        cuts = [mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw) for mo in orders]
        self.send_ok([self.event('start', 0, wo=wo) for wo in cuts])
        self.send_ok([self.event('stop', 60, wo=wo) for wo in cuts])
        for mo, wo in zip(orders, cuts):
            self.assertEqual(wo.mes_labor_log_ids.mapped('charged_minutes'), [20.0])
            self.assertAlmostEqual(labor_target(mo), 10.0)
        # one of them stopped at 30 instead: 0-30 shared by three, 30-60 by two
        self.send_ok([self.event('start', 120, wo=cuts[0]), self.event('start', 120, wo=cuts[1])])
        self.send_ok([self.event('stop', 150, wo=cuts[0]), self.event('stop', 180, wo=cuts[1])])
        second = [log.charged_minutes for log in cuts[1].mes_labor_log_ids.sorted('date_start')]
        self.assertEqual(second, [20.0, 45.0])

    def test_a_split_counts_every_interval_a_share_touches_not_only_those_near_the_last_posted(self):
        """Anna on A 07:00-08:00, B 07:30-08:30, C 08:15-09:00 (a chain: A and C never meet).
        A posted last must not charge B as if C did not exist (the window of A's time reaches B,
        not C), whatever order the postings come in."""
        orders = [self.mo] + [self.make_order(5) for _ in range(2)]
        a, b, c = [mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw) for mo in orders]
        self.send_ok([self.event('start', 30, wo=b), self.event('stop', 90, wo=b)])
        self.send_ok([self.event('start', 75, wo=c), self.event('stop', 120, wo=c)])
        b_before = b.mes_labor_log_ids.charged_minutes
        self.send_ok([self.event('start', 0, wo=a), self.event('stop', 60, wo=a)])
        self.assertEqual(b_before, 45.0 + 7.5)   # before A: alone, then with C
        # B: 07:30-08:00 with A (15), 08:00-08:15 alone (15), 08:15-08:30 with C (7.5)
        self.assertEqual(b.mes_labor_log_ids.charged_minutes, 37.5)
        self.assertEqual(a.mes_labor_log_ids.charged_minutes, 45.0)
        self.assertEqual(c.mes_labor_log_ids.charged_minutes, 37.5)

    def test_a_locked_period_blocks_the_posting_keeps_the_facts_and_posts_after_the_fix(self):
        company = self.env.user.company_id
        company.fiscalyear_lock_date = '2099-12-31'
        results = self.send_ok([self.event('start', 0), self.event('stop', 60)])
        execution = self.env['mes.execution'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertIn('lock date', execution.posting_error)
        self.assertEqual(execution.good_qty, 0)
        self.assertFalse(self.wo_cut.mes_labor_log_ids, 'a blocked posting leaves Odoo as it was')
        self.assertEqual(len(results), 2)
        self.assertTrue(self.env['mes.posting'].search([('execution_id', '=', execution.id), ('error', '!=', False)]))
        company.fiscalyear_lock_date = False
        execution.action_post_again()
        self.assertFalse(execution.posting_error)
        self.assertEqual(sum(self.wo_cut.mes_labor_log_ids.mapped('duration')), 60.0)
        self.assertAlmostEqual(labor_target(self.mo), 30.0)

    def test_an_event_twice_in_one_batch_is_answered_with_its_first_outcome(self):
        start = self.event('start', 0)
        first, again = self.send([start, dict(start)])
        self.assertEqual(first['status'], 'applied')
        self.assertEqual((again['status'], again['outcome']), ('duplicate', 'applied'))
        self.assertEqual(len(self.wo_cut.mes_labor_log_ids), 1)

    def test_a_shift_sent_event_by_event_is_walked_on_and_a_full_refold_changes_nothing(self):
        e = self.event
        shift = [e('start', 0), e('start', 5, badge='B-BEN'), e('produce', 20, data={'qty': 2}),
                 e('start', 22),                                   # Anna again: waits for a stop
                 e('downtime_start', 25, data={'reason': 'BRK-MECH'}), e('downtime_end', 35),
                 e('produce', 40, data={'qty': 1e6}),               # absurd: held
                 e('scrap', 45, data={'qty': 1, 'reason': 'DIM'}), e('stop', 50, badge='B-BEN'),
                 e('produce', 55, data={'qty': 2}), e('stop', 60)]
        Execution, Event = self.env['mes.execution'], self.env['mes.event']
        self.send([shift[0]])
        full_folds, fold_rows = [], type(Execution)._fold_rows

        def counted(execution, workorder_ids):
            full_folds.append(list(workorder_ids))
            return fold_rows(execution, workorder_ids)
        with patch.object(type(Execution), '_fold_rows', counted):
            for event in shift[1:]:
                self.send([event])
        self.assertEqual(full_folds, [], 'each event came after the last: walked on, never folded from the start')
        execution = Execution.search([('workorder_id', '=', self.wo_cut.id)])
        rows = Event.search([('workorder_id', '=', self.wo_cut.id)])
        # each request walked on from where the previous one left the order
        self.assertEqual(execution_resume.load(execution.fold_snapshot)['last_key'][-1], shift[-1]['id'])

        def recorded():
            execution.invalidate_cache()
            rows.invalidate_cache()
            return (execution.state_json, execution.version,
                    sorted((r.event_uid, r.state, r.error_code or '', r.blocked_by_uid or '') for r in rows))

        walked = recorded()
        Execution._record({row.id: self.wo_cut for row in rows}, T0 + timedelta(hours=8))
        self.assertEqual(recorded(), walked)
        states = dict((uid, state) for uid, state, _code, _by in walked[2])
        self.assertEqual(states[shift[3]['id']], 'waiting')
        self.assertEqual(states[shift[6]['id']], 'held')
        self.assertEqual(self.labor(), [('Anna', '07:00', '08:00'), ('Ben', '07:05', '07:50')])

    def test_one_event_per_request_records_in_six_statements_from_token_to_queued_posting(self):
        """Issue 17's request path, counted from the cursor: the terminal found by its token, the
        event stored with Odoo's data it needs, the order's row locked with the history its walk
        reads, the event's links, the verdicts and states, then the answer with the terminal's
        last contact and the posting job. Each request walks on from the order's snapshot."""
        token = self.terminal.issue_token()
        self.send_ok([self.event('start', 0)])
        self.send_ok([self.event('produce', 5, data={'qty': 1})])
        counts = {}
        for etype, minute, data in (('produce', 10, {'qty': 1}), ('stop', 15, None), ('start', 20, None)):
            event = self.event(etype, minute, data=data)
            received = T0 + timedelta(hours=8)
            before = self.env.cr.sql_log_count
            terminal = self.env['mes.terminal']._find_by_token(token)
            results, executions = self.env['mes.event']._record_batch(terminal, [event], received, received,
                                                                    enqueue=True)
            counts[etype] = self.env.cr.sql_log_count - before
            self.assertEqual(results[0]['status'], 'applied', results)
            executions._post()
        self.assertEqual(counts, {'produce': 6, 'stop': 6, 'start': 6})
