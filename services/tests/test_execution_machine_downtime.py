"""A machine's stop the operator classified, and a downtime the operator also reported over the
same minutes: the minutes are booked once (issue 22: a stop classified first, then covered by an
operator's downtime, was booked twice)."""
from services.execution import fold
from services.tests.support import at
from services.tests.test_execution_machine import classify, context, operator, state

# the machine: running from 0, down at 10 (fault E-9), running again at 40
MACHINE_EVENTS = [operator('s', 'start', 0), state(1, 0, 'running'), state(2, 10, 'down', 'E-9'),
                  state(3, 40, 'running')]


def booked(result):
    return [(d.start, d.end, d.reason, d.start_event) for d in result.down]


def minutes(result):
    return sum((d.end - d.start).total_seconds() for d in result.down) / 60.0


def test_classified_first_then_an_operator_downtime_over_its_end_books_the_minutes_once():
    # the operator classifies the stop at 13 as a jam, then also presses "downtime" at 20 until 45
    events = MACHINE_EVENTS + [classify('c', 13, 2), operator('d1', 'downtime_start', 20, reason='BRK-MECH'),
                               operator('d2', 'downtime_end', 45)]
    result = fold(events, context(now_minute=60))
    assert booked(result) == [(at(10), at(20), 'JAM', 'm:SAW-1:state:2'), (at(20), at(45), 'BRK-MECH', 'd1')]
    assert minutes(result) == 35.0          # 10 to 45, not 30 + 25


def test_an_operator_downtime_inside_a_classified_stop_splits_it_each_part_with_an_event_of_its_own():
    events = MACHINE_EVENTS + [classify('c', 13, 2), operator('d1', 'downtime_start', 20, reason='SETUP'),
                               operator('d2', 'downtime_end', 30)]
    result = fold(events, context(now_minute=60))
    assert booked(result) == [(at(10), at(20), 'JAM', 'm:SAW-1:state:2'), (at(20), at(30), 'SETUP', 'd1'),
                              (at(30), at(40), 'JAM', 'd2')]
    assert minutes(result) == 30.0
    assert len({d.start_event for d in result.down}) == 3      # the posting keys a record by it


def test_an_operator_downtime_covering_the_whole_classified_stop_leaves_nothing_of_the_stop():
    events = MACHINE_EVENTS + [classify('c', 13, 2), operator('d1', 'downtime_start', 5, reason='BRK-MECH'),
                               operator('d2', 'downtime_end', 50)]
    result = fold(events, context(now_minute=60))
    assert booked(result) == [(at(5), at(50), 'BRK-MECH', 'd1')]


def test_arrival_order_does_not_change_what_is_booked():
    events = MACHINE_EVENTS + [classify('c', 13, 2), operator('d1', 'downtime_start', 20, reason='SETUP'),
                               operator('d2', 'downtime_end', 30)]
    assert fold(list(reversed(events)), context(now_minute=60)).down == fold(events, context(now_minute=60)).down
