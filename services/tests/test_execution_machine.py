"""What a machine says about a work order (machine_cycle, machine_state), folded in true time
beside the operators' reports: counts side by side, unexplained stops past the threshold."""
import random

from services.execution import APPLIED, DEAD, ExecutionContext, ExecutionEvent, fold
from services.execution_machine import STOP_THRESHOLD, MachineStop, machine_to_json
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


def context(now_minute=600):
    return ExecutionContext(now=at(now_minute), planned_qty=100.0, product_id=900)


class TestCounts:

    def test_cycles_and_the_machines_counts_are_kept_apart_from_the_operators(self):
        events = [operator('s', 'start', 0), cycle(1, 1, good=1), cycle(2, 2, good=1), cycle(3, 3, count=3, good=2, scrap=1),
                  operator('p', 'produce', 4, qty=3.0, lot=None)]
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


class TestWalkingOn:

    def test_walking_on_from_a_snapshot_keeps_the_machine(self):
        first = [cycle(1, 1, good=1), state(2, 2, 'down', 'E1')]
        later = [cycle(3, 12, good=1), state(4, 13, 'running')]
        _state, snapshot = snapshot_fold(first, context())
        walked, _snapshot = resume(snapshot, later, context())
        assert walked.machine == fold(first + later, context()).machine   # verdicts: the walked ones only
        assert walked.machine.cycles == 2 and len(walked.machine.stops) == 1
