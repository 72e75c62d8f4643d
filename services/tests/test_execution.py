"""The execution fold (services/execution.py) and split labor (services/execution_split.py),
as the shop floor lives them: tablets out of order, late replays, implausible reports."""
import itertools
from datetime import timedelta

import pytest

from services import errors, ordering
from services.execution import (APPLIED, DEAD, HELD, SUPERSEDED, WAITING, ExecutionContext,
                                 ExecutionEvent, fold)
from services.execution_split import Share, charged_minutes, split_concurrent
from services.tests.support import at, span

NOW = at(8 * 60)       # the morning after T0's shift start


def ev(etype, minute, id=None, employee='B-1', terminal=1, seq=None, received=None, **data):
    """An event ``minute`` minutes after T0, received a minute later unless told."""
    return ExecutionEvent(id=id or '%s@%s/%s' % (etype, minute, employee), terminal=terminal, seq=seq,
                          type=etype, at=at(minute), received_at=received or at(minute + 1),
                          employee=employee, data=data)


def context(**overrides):
    values = dict(now=NOW, planned_qty=10.0, product_id=900)
    values.update(overrides)
    return ExecutionContext(**values)


def labor_minutes(state, employee='B-1'):
    return ordering.minutes([(i.start, i.end) for i in state.labor if i.employee == employee])


def status(state, event):
    return state.verdict(event.id).status


# -- start and stop, whatever order they arrive in ---------------------------------------------

class TestLaborOutOfOrder:

    def test_start_and_stop_on_two_tablets_arriving_stop_first_give_one_60_minute_interval(self):
        start = ev('start', 0, terminal=1)
        stop = ev('stop', 60, terminal=2)
        # the stop reaches the server first: it waits for its start, counting nothing
        alone = fold([stop], context())
        assert alone.verdict(stop.id).status == WAITING
        assert alone.verdict(stop.id).code == 'waits_for_partner'
        assert alone.labor == ()
        # the start arrives: one interval, both applied
        both = fold([stop, start], context())
        assert labor_minutes(both) == 60
        assert status(both, start) == status(both, stop) == APPLIED

    def test_two_pairs_of_one_operator_in_any_order_give_60_minutes_not_90(self):
        events = [ev('start', 0), ev('stop', 30), ev('start', 60), ev('stop', 90)]
        states = {fold(order, context()) for order in itertools.permutations(events)}
        assert len(states) == 1
        state = states.pop()
        assert labor_minutes(state) == 60
        assert [(i.start, i.end) for i in state.labor] == [span(0, 30), span(60, 90)]

    def test_a_stop_whose_start_never_comes_goes_dead_after_the_wait_window(self):
        stop = ev('stop', 60)
        late = fold([stop], context(now=stop.received_at + timedelta(hours=12, seconds=1)))
        assert late.verdict(stop.id).status == DEAD
        assert late.verdict(stop.id).code == 'not_started'
        assert late.verdict(stop.id).by is None

    def test_a_second_start_waits_for_the_stop_between_and_is_applied_when_it_arrives(self):
        first, second, stop_between = ev('start', 0), ev('start', 120), ev('stop', 60)
        state = fold([first, second], context())
        assert status(state, second) == WAITING
        state = fold([first, second, stop_between], context())
        assert status(state, second) == APPLIED
        assert [(i.start, i.end) for i in state.labor] == [span(0, 60), span(120, None)]

    def test_a_double_start_goes_dead_after_the_window_naming_the_running_start(self):
        first, double = ev('start', 0), ev('start', 5, terminal=2)
        state = fold([first, double], context(now=at(5 + 13 * 60)))
        verdict = state.verdict(double.id)
        assert (verdict.status, verdict.code, verdict.by) == (DEAD, 'already_started', first.id)

    def test_the_same_event_delivered_twice_counts_once(self):
        start, stop = ev('start', 0), ev('stop', 45)
        assert fold([start, stop, start, stop, stop], context()) == fold([start, stop], context())

    def test_operators_overlapping_run_the_machine_once(self):
        events = [ev('start', 0, employee='A'), ev('stop', 60, employee='A'),
                  ev('start', 30, employee='B'), ev('stop', 90, employee='B')]
        state = fold(events, context())
        assert labor_minutes(state, 'A') + labor_minutes(state, 'B') == 120
        assert state.run == (span(0, 90),)


# -- downtime ----------------------------------------------------------------------------------

class TestDowntime:

    def test_a_downtime_end_arriving_first_waits_then_cuts_the_run_time(self):
        start, stop = ev('start', 0), ev('stop', 120)
        down_start = ev('downtime_start', 30, reason='JAM')
        down_end = ev('downtime_end', 50)
        early = fold([start, stop, down_end], context())
        assert status(early, down_end) == WAITING
        assert early.run == (span(0, 120),)
        state = fold([start, stop, down_end, down_start], context())
        assert [(d.start, d.end, d.reason) for d in state.down] == [(at(30), at(50), 'JAM')]
        assert state.run == (span(0, 30), span(50, 120))
        assert labor_minutes(state) == 120   # the operator was there all along

    def test_a_second_downtime_start_while_down_goes_dead_after_the_window(self):
        first, second = ev('downtime_start', 0, reason='JAM'), ev('downtime_start', 10, reason='TOOL')
        state = fold([first, second], context(now=at(14 * 60)))
        verdict = state.verdict(second.id)
        assert (verdict.status, verdict.code, verdict.by) == (DEAD, 'downtime_already_open', first.id)
        assert state.down[0].end is None

    def test_downtime_reported_on_another_order_of_the_work_center_cuts_run_time(self):
        state = fold([ev('start', 0), ev('stop', 60)], context(workcenter_downtime=(span(10, 20),)))
        assert state.run == (span(0, 10), span(20, 60))


# -- quantities --------------------------------------------------------------------------------

class TestQuantities:

    def test_a_produce_of_1e9_on_a_10_piece_order_is_held_and_counts_nothing(self):
        huge, normal = ev('produce', 10, qty=1e9), ev('produce', 20, qty=10.0)
        state = fold([huge, normal], context())
        verdict = state.verdict(huge.id)
        assert (verdict.status, verdict.code) == (HELD, 'held_quantity')
        assert status(state, normal) == APPLIED
        assert state.good == 10.0

    def test_a_quantity_within_the_tolerance_is_applied_and_just_above_it_is_held(self):
        within, above = ev('produce', 10, qty=11.0), ev('produce', 10, id='other', qty=11.5)
        assert status(fold([within], context()), within) == APPLIED
        assert status(fold([above], context()), above) == HELD

    def test_what_is_still_needed_shrinks_as_good_pieces_are_made(self):
        first, second = ev('produce', 10, qty=8.0), ev('produce', 20, qty=4.0)
        state = fold([second, first], context())
        assert status(state, first) == APPLIED
        assert status(state, second) == HELD   # 2 still needed + 1 tolerance < 4

    def test_a_supervisor_approves_a_held_quantity(self):
        big = ev('produce', 10, qty=15.0)
        state = fold([big], context(approved=frozenset({big.id})))
        assert status(state, big) == APPLIED and state.good == 15.0

    def test_a_correction_replaces_the_held_event_it_names(self):
        typo = ev('produce', 10, qty=1e9)
        fixed = ExecutionEvent('fix-1', 0, None, 'produce', at(10), at(200), 'SUP', {'qty': 5.0}, corrects=typo.id)
        state = fold([typo, fixed], context())
        assert state.verdict(typo.id).status == SUPERSEDED
        assert state.verdict(typo.id).by == fixed.id
        assert status(state, fixed) == APPLIED and state.good == 5.0

    def test_scrap_by_reason_and_consumption_by_product_and_lot(self):
        events = [ev('produce', 5, qty=3.0, lot='L1'), ev('scrap', 6, qty=1.0, reason='BURR'),
                  ev('scrap', 7, qty=2.0, reason='BURR', product_id=501),
                  ev('scrap', 8, qty=1.0, reason='CRACK'),
                  ev('consume', 9, product_id=501, qty=4.0, lot='C7'), ev('consume', 10, product_id=501, qty=1.0)]
        state = fold(events, context())
        assert state.good_by_lot == (('L1', 3.0),)
        assert state.scrap == ((('BURR', None), 1.0), (('BURR', 501), 2.0), (('CRACK', None), 1.0))
        assert state.consumption == (((501, None), 1.0), ((501, 'C7'), 4.0))

    def test_consumption_far_above_the_component_need_is_held(self):
        events = [ev('consume', 9, product_id=501, qty=20.0), ev('consume', 10, product_id=501, qty=30.0)]
        state = fold(events, context(component_needs={501: 20.0}))
        assert [status(state, e) for e in events] == [APPLIED, HELD]


# -- time plausibility -------------------------------------------------------------------------

class TestTimes:

    def test_a_start_dated_30_days_back_is_held_with_its_stop_and_not_closed_by_the_finish(self):
        old_start = ev('start', -30 * 24 * 60, received=at(0))
        old_stop = ev('stop', 57, received=at(58))
        finish = ev('finish', 60)
        state = fold([old_start, old_stop, finish], context())
        assert (state.verdict(old_start.id).status, state.verdict(old_start.id).code) == (HELD, 'held_too_old')
        stop_verdict = state.verdict(old_stop.id)
        assert (stop_verdict.status, stop_verdict.code, stop_verdict.by) == (HELD, 'held_with_partner', old_start.id)
        assert state.labor == () and state.finished

    def test_an_interval_longer_than_a_shift_is_held_at_both_ends_until_approved(self):
        start, stop = ev('start', 0), ev('stop', 13 * 60)
        state = fold([start, stop], context(now=at(14 * 60)))
        assert [state.verdict(e.id).code for e in (start, stop)] == ['held_interval_too_long'] * 2
        assert state.verdict(stop.id).by == start.id and state.labor == ()
        approved = fold([start, stop], context(now=at(14 * 60), approved=frozenset({stop.id})))
        assert labor_minutes(approved) == 13 * 60

    def test_a_start_never_stopped_is_held_when_the_operator_starts_again_next_day(self):
        yesterday, today = ev('start', 0), ev('start', 24 * 60)
        state = fold([yesterday, today], context(now=at(25 * 60)))
        verdict = state.verdict(yesterday.id)
        assert (verdict.code, verdict.by) == ('held_interval_too_long', today.id)
        assert status(state, today) == APPLIED
        assert [(i.start, i.end) for i in state.labor] == [span(24 * 60, None)]

    def test_time_still_running_longer_than_a_shift_is_held(self):
        start = ev('start', 0)
        assert status(fold([start], context(now=at(11 * 60))), start) == APPLIED
        assert status(fold([start], context(now=at(13 * 60))), start) == HELD

    def test_a_time_corrected_to_before_2000_is_refused(self):
        ancient = ExecutionEvent('x', 1, 1, 'produce', at(0).replace(year=1999), at(0), 'B-1', {'qty': 1.0})
        verdict = fold([ancient], context()).verdict('x')
        assert (verdict.status, verdict.code) == (DEAD, 'time_before_2000')

    def test_a_time_in_the_future_beyond_the_tolerance_is_refused(self):
        ahead = ev('start', 10, received=at(0))
        verdict = fold([ahead], context()).verdict(ahead.id)
        assert (verdict.status, verdict.code) == (DEAD, 'time_in_future')


# -- finish ------------------------------------------------------------------------------------

class TestFinish:

    def test_a_produce_after_the_finish_is_dead_naming_the_finish(self):
        finish, produce = ev('finish', 60), ev('produce', 70, qty=1.0)
        verdict = fold([produce, finish], context()).verdict(produce.id)
        assert (verdict.status, verdict.code, verdict.by) == (DEAD, 'workorder_finished', finish.id)

    def test_a_finish_arriving_late_kills_what_was_answered_applied_after_it(self):
        produce, check = ev('produce', 70, qty=1.0), ev('check', 75, point_id=3, result='pass')
        finish = ev('finish', 60)
        assert fold([produce, check], context()).good == 1.0
        state = fold([produce, check, finish], context())
        assert [status(state, e) for e in (produce, check)] == [DEAD, DEAD]
        assert state.good == 0.0 and state.checks == ()

    def test_the_finish_closes_running_time_and_a_later_stop_changes_nothing(self):
        start, finish, stop = ev('start', 0), ev('finish', 57), ev('stop', 65)
        state = fold([start, finish, stop], context())
        assert [(i.start, i.end, i.closed_by_finish) for i in state.labor] == [(at(0), at(57), True)]
        assert status(state, stop) == APPLIED
        assert state.finished_at == at(57) and state.finish_event == finish.id

    def test_a_stop_before_the_finish_arriving_late_puts_the_end_back(self):
        start, finish, stop = ev('start', 0), ev('finish', 57), ev('stop', 40)
        state = fold([start, finish, stop], context())
        assert [(i.start, i.end, i.closed_by_finish) for i in state.labor] == [(at(0), at(40), False)]

    def test_a_second_finish_is_dead_naming_the_first(self):
        first, second = ev('finish', 60), ev('finish', 61, terminal=2)
        assert fold([second, first], context()).verdict(second.id).by == first.id

    def test_checks_are_recorded(self):
        check = ev('check', 30, point_id=3, result='fail', value=2.5)
        (record,) = fold([check], context()).checks
        assert (record.point_id, record.result, record.value, record.at) == (3, 'fail', 2.5, at(30))


# -- the verdict's error -----------------------------------------------------------------------

def test_a_verdict_gives_its_coded_error_with_what_only_the_orm_knows():
    first, double = ev('start', 0), ev('start', 5)
    verdict = fold([first, double], context(now=at(24 * 60))).verdict(double.id)
    error = verdict.error(wo='WO/7 (MO/3)', employee='Ana')
    assert isinstance(error, errors.AlreadyStarted)
    assert error.message == 'Ana is already on work order WO/7 (MO/3) since 2026-11-24 06:00:00 UTC; stop first.'
    assert fold([first], context()).verdict(first.id).error() is None


# -- one operator on several orders at once (execution_split) ----------------------------------

class TestSplitLabor:

    def test_an_operator_on_three_orders_at_once_gets_a_third_on_each(self):
        shares = split_concurrent({1: [span(0, 60)], 2: [span(0, 60)], 3: [span(0, 60)]})
        assert {wo: charged_minutes(s) for wo, s in shares.items()} == {1: 20, 2: 20, 3: 20}
        assert shares[1] == [Share(at(0), at(60), 1 / 3)]

    def test_only_the_shared_part_is_split(self):
        shares = split_concurrent({1: [span(0, 60)], 2: [span(30, 90)]})
        assert charged_minutes(shares[1]) == 45 and charged_minutes(shares[2]) == 45
        assert shares[1] == [Share(at(0), at(30), 1.0), Share(at(30), at(60), 0.5)]

    def test_weights_set_each_orders_part(self):
        shares = split_concurrent({1: [span(0, 60)], 2: [span(0, 60)]}, weights={1: 3, 2: 1})
        assert charged_minutes(shares[1]) == 45 and charged_minutes(shares[2]) == 15

    def test_open_time_is_charged_up_to_now_or_not_at_all(self):
        intervals = {1: [span(0, None)], 2: [span(0, 60)]}
        assert charged_minutes(split_concurrent(intervals, now=at(120))[1]) == 30 + 60
        assert split_concurrent(intervals)[1] == []

    @pytest.mark.parametrize('count', [1, 2, 5])
    def test_the_shares_add_up_to_the_time_the_person_worked(self, count):
        intervals = {wo: [span(wo * 10, wo * 10 + 45)] for wo in range(count)}
        shares = split_concurrent(intervals)
        worked = ordering.minutes(ordering.union([i for parts in intervals.values() for i in parts]))
        assert sum(charged_minutes(s) for s in shares.values()) == pytest.approx(worked)
