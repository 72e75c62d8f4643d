"""What a machine says about a work order (machine_cycle, machine_state), folded in true time
beside the operators' reports: counts side by side, unexplained stops past the threshold."""
import random
from datetime import timedelta

from services.execution import APPLIED, DEAD, WAITING, ExecutionContext, ExecutionEvent, fold
from services.execution_machine import STOP_THRESHOLD, MachineStop, machine_to_json, stops_to_classify
from services.execution_resume import resume, snapshot_fold
from services.tests.support import at

MACHINE = 'SAW-1'


def cycle(number, minute, count=1, good=None, scrap=None):
    return ExecutionEvent(id='m:%s:cycle:%d' % (MACHINE, number), terminal=9, seq=number, type='machine_cycle',
                          at=at(minute), received_at=at(minute), employee=MACHINE,
                          data={'count': count, 'good': good, 'scrap': scrap})


def state(number, minute, value, code=None):
    return ExecutionEvent(id='m:%s:state:%d' % (MACHINE, number), terminal=9, seq=number, type='machine_state',
                          at=at(minute), received_at=at(minute), employee=MACHINE,
                          data={'state': value, 'code': code})


def operator(event_id, etype, minute, **data):
    return ExecutionEvent(id=event_id, terminal=1, seq=None, type=etype, at=at(minute), received_at=at(minute),
                          employee='B-1', data=data)


def context(now_minute=600, **limits):
    return ExecutionContext(now=at(now_minute), planned_qty=100.0, product_id=900, **limits)


def classify(event_id, minute, stop_number, reason='JAM'):
    return operator(event_id, 'machine_stop_reason', minute, stop='m:%s:state:%d' % (MACHINE, stop_number),
                    reason=reason)


class TestCounts:

    def test_cycles_and_the_machines_counts_are_kept_apart_from_the_operators(self):
        events = [operator('s', 'start', 0), cycle(1, 1, good=1), cycle(2, 2, good=1),
                  cycle(3, 3, count=3, good=2, scrap=1), operator('p', 'produce', 4, qty=3.0, lot=None)]
        result = fold(events, context())
        assert (result.machine.cycles, result.machine.good, result.machine.scrap) == (5, 4, 1)
        assert result.good == 3.0            # the operator's count, not summed with the machine's
        assert all(v.status == APPLIED for _id, v in result.verdicts)

    def test_a_machine_that_counts_cycles_only_reports_no_good_or_scrap(self):
        result = fold([cycle(1, 1), cycle(2, 2)], context())
        assert (result.machine.cycles, result.machine.good, result.machine.scrap) == (2, None, None)

    def test_a_message_delivered_twice_counts_once_and_order_does_not_matter(self):
        events = [cycle(n, n, good=1) for n in range(1, 30)] + [state(1, 5, 'down'), state(2, 9, 'running')]
        shuffled = events + random.Random(7).sample(events, 10)
        random.Random(8).shuffle(shuffled)
        assert fold(shuffled, context()) == fold(events, context())
        assert fold(shuffled, context()).machine.cycles == 29

    def test_a_cycle_after_the_finish_belongs_to_no_order_here(self):
        result = fold([cycle(1, 1), operator('f', 'finish', 2), cycle(2, 3)], context())
        assert result.machine.cycles == 1
        assert result.verdict('m:SAW-1:cycle:2').status == DEAD


class TestUnexplainedStops:

    def test_a_pause_shorter_than_the_threshold_is_a_micro_stop_not_a_stop(self):
        result = fold([state(1, 0, 'running'), state(2, 10, 'idle'), state(3, 11, 'running')], context())
        assert result.machine.stops == ()
        assert result.machine.state == 'running'

    def test_down_longer_than_the_threshold_opens_a_stop_that_closes_when_it_runs_again(self):
        result = fold([state(1, 0, 'running'), state(2, 10, 'down', 'E-042'), state(3, 13, 'idle'),
                       state(4, 40, 'running')], context())
        assert result.machine.stops == (MachineStop(at(10), at(40), 'down', 'E-042', 'm:SAW-1:state:2',
                                                    'm:SAW-1:state:4'),)

    def test_a_machine_still_idle_past_the_threshold_has_an_open_stop(self):
        events = [state(1, 0, 'running'), state(2, 10, 'idle')]
        assert fold(events, context(now_minute=11)).machine.stops == ()
        open_stop = fold(events, context(now_minute=10 + STOP_THRESHOLD.seconds // 60 + 1)).machine.stops
        assert [(s.start, s.end, s.state) for s in open_stop] == [(at(10), None, 'idle')]

    def test_the_finish_closes_the_stop(self):
        result = fold([state(1, 10, 'down'), operator('f', 'finish', 30)], context())
        assert [(s.start, s.end, s.end_event) for s in result.machine.stops] == [(at(10), at(30), 'f')]

    def test_the_recorded_json_shows_the_machine_beside_the_operator(self):
        result = fold([cycle(1, 1, good=1), state(2, 2, 'down', 'E1'), state(3, 9, 'running')], context())
        shown = machine_to_json(result.machine)
        assert shown['cycles'] == 1 and shown['good'] == 1 and shown['state'] == 'running'
        assert shown['stops'][0]['code'] == 'E1' and shown['stops'][0]['end'] is not None
        assert machine_to_json(fold([operator('s', 'start', 0)], context()).machine) is None


class TestThreshold:

    def test_the_companys_threshold_decides_what_is_a_stop(self):
        events = [state(1, 0, 'running'), state(2, 10, 'idle'), state(3, 14, 'running')]
        assert len(fold(events, context()).machine.stops) == 1                  # 4 min > 2 min
        assert fold(events, context(machine_stop_threshold=timedelta(minutes=5))).machine.stops == ()
        still_idle = events[:2]
        five = timedelta(minutes=5)
        assert fold(still_idle, context(now_minute=14, machine_stop_threshold=five)).machine.stops == ()
        assert len(fold(still_idle, context(now_minute=16, machine_stop_threshold=five)).machine.stops) == 1

    def test_a_snapshot_of_another_threshold_is_not_walked_on_from(self):
        _state, snapshot, _running, _text = snapshot_fold([state(1, 0, 'running'), state(2, 10, 'idle')], context())
        assert resume(snapshot, [state(3, 14, 'running')], context(machine_stop_threshold=timedelta(minutes=5))) is None


class TestClassification:
    """The operator's reason for an unexplained stop (machine_stop_reason)."""

    EVENTS = [operator('s', 'start', 0), state(1, 0, 'running'), state(2, 10, 'down', 'E-9'), state(3, 40, 'running')]

    def test_a_classified_stop_is_downtime_with_its_reason(self):
        result = fold(self.EVENTS + [classify('c', 15, 2)], context(now_minute=60))
        stop = result.machine.stops[0]
        assert (stop.reason, stop.reason_event) == ('JAM', 'c')
        assert [(d.start, d.end, d.reason, d.start_event) for d in result.down] == [
            (at(10), at(40), 'JAM', 'm:SAW-1:state:2')]
        assert result.run == ((at(0), at(10)), (at(40), None))     # the stop is not run time
        assert result.verdict('c').status == APPLIED
        assert machine_to_json(result.machine)['stops'][0]['reason'] == 'JAM'

    def test_an_unclassified_stop_books_no_downtime(self):
        result = fold(self.EVENTS, context(now_minute=60))
        assert result.machine.stops[0].reason is None and result.down == ()

    def test_a_stop_classified_while_open_stays_classified_when_it_closes(self):
        open_now = fold(self.EVENTS[:3] + [classify('c', 15, 2)], context(now_minute=20))
        assert [(d.end, d.reason) for d in open_now.down] == [(None, 'JAM')]
        closed = fold(self.EVENTS + [classify('c', 15, 2)], context(now_minute=60))
        assert [(d.end, d.reason) for d in closed.down] == [(at(40), 'JAM')]

    def test_the_first_classification_counts_a_second_is_refused(self):
        result = fold(self.EVENTS + [classify('c1', 15, 2), classify('c2', 16, 2, 'POWER')], context(now_minute=60))
        assert result.machine.stops[0].reason == 'JAM'
        verdict = result.verdict('c2')
        assert (verdict.status, verdict.code, verdict.by) == (DEAD, 'machine_stop_classified', 'c1')

    def test_a_reason_for_a_stop_not_known_waits_for_it_then_is_refused(self):
        waiting = fold([state(1, 0, 'running'), classify('c', 15, 2)], context(now_minute=60))
        assert (waiting.verdict('c').status, waiting.verdict('c').code) == (WAITING, 'waits_for_partner')
        late = fold([state(1, 0, 'running'), classify('c', 15, 2)], context(now_minute=15 + 13 * 60))
        assert (late.verdict('c').status, late.verdict('c').code) == (DEAD, 'machine_stop_unknown')

    def test_order_and_repeats_do_not_change_the_classified_state(self):
        events = self.EVENTS + [cycle(n, 41 + n, good=1) for n in range(10, 20)] + [classify('c', 15, 2)]
        shuffled = events + random.Random(3).sample(events, 6)
        random.Random(4).shuffle(shuffled)
        assert fold(shuffled, context(now_minute=90)) == fold(events, context(now_minute=90))

    def test_a_stop_during_a_downtime_the_operator_reported_is_explained_by_it(self):
        events = self.EVENTS + [operator('d1', 'downtime_start', 9, reason='BRK-MECH'),
                                operator('d2', 'downtime_end', 38)]
        result = fold(events, context(now_minute=60))
        stop, = result.machine.stops
        assert (stop.reason, stop.reason_event) == ('BRK-MECH', 'd1')     # explained: not asked
        assert [(d.start, d.end, d.start_event) for d in result.down] == [(at(9), at(38), 'd1')]   # booked once
        assert stops_to_classify(machine_to_json(result.machine), at(60)) == []

    def test_a_stop_still_open_during_an_open_downtime_is_not_asked(self):
        events = self.EVENTS[:3] + [operator('d1', 'downtime_start', 12, reason='BRK-MECH')]
        result = fold(events, context(now_minute=20))
        assert result.machine.open_stop.reason_event == 'd1'
        assert stops_to_classify(machine_to_json(result.machine), at(20)) == []

    def test_running_again_from_the_tablet_over_a_classified_stop_is_applied_and_ends_nothing(self):
        events = self.EVENTS[:3] + [classify('c', 15, 2), operator('e', 'downtime_end', 18)]
        result = fold(events, context(now_minute=20))
        assert result.verdict('e').status == APPLIED
        assert [(d.end, d.reason) for d in result.down] == [(None, 'JAM')]   # the machine has not run again
        unclassified = fold(self.EVENTS[:3] + [operator('e', 'downtime_end', 18)], context(now_minute=20))
        assert unclassified.verdict('e').status == WAITING

    def test_walking_on_keeps_the_classification(self):
        first = self.EVENTS[:3] + [classify('c', 15, 2)]
        _state, snapshot, _running, _text = snapshot_fold(first, context(now_minute=60))
        walked, _snapshot, _running, _text = resume(snapshot, [self.EVENTS[3]], context(now_minute=60))
        full = fold(first + [self.EVENTS[3]], context(now_minute=60))
        assert (walked.machine, walked.down) == (full.machine, full.down)
        assert walked.down[0].reason == 'JAM'


class TestStopsToClassify:
    """What the tablet is asked to classify, judged when it asks (the recorded state may be older)."""

    def test_a_stop_recorded_before_the_threshold_is_shown_once_it_has_lasted_it(self):
        recorded = machine_to_json(fold([state(1, 0, 'running'), state(2, 10, 'idle')], context(now_minute=10)).machine)
        assert recorded['stops'] == [] and recorded['open_stop']['start_event'] == 'm:SAW-1:state:2'
        assert stops_to_classify(recorded, at(11)) == []
        assert stops_to_classify(recorded, at(13)) == [{'stop': 'm:SAW-1:state:2', 'since': '2026-11-24T06:10:00.000Z',
                                                        'until': None, 'state': 'idle', 'code': None}]
        assert stops_to_classify(recorded, at(13), timedelta(minutes=5)) == []

    def test_open_first_then_closed_unclassified_ones_newest_first_classified_ones_not(self):
        events = [state(1, 0, 'running'), state(2, 10, 'down', 'E1'), state(3, 20, 'running'), state(4, 30, 'idle'),
                  state(5, 40, 'running'), state(6, 50, 'down', 'E2')]
        recorded = machine_to_json(fold(events + [classify('c', 35, 4)], context(now_minute=60)).machine)
        shown = stops_to_classify(recorded, at(60))
        assert [(s['stop'], s['until'] is None, s['code']) for s in shown] == [
            ('m:SAW-1:state:6', True, 'E2'), ('m:SAW-1:state:2', False, 'E1')]
        assert shown[1]['since'].endswith('Z') and shown[1]['until'].endswith('Z')
        assert stops_to_classify(None, at(60)) == []


class TestWalkingOn:

    def test_walking_on_from_a_snapshot_keeps_the_machine(self):
        first = [cycle(1, 1, good=1), state(2, 2, 'down', 'E1')]
        later = [cycle(3, 12, good=1), state(4, 13, 'running')]
        _state, snapshot, _running, _text = snapshot_fold(first, context())
        walked, _snapshot, _running, _text = resume(snapshot, later, context())
        assert walked.machine == fold(first + later, context()).machine   # verdicts: the walked ones only
        assert walked.machine.cycles == 2 and len(walked.machine.stops) == 1
