"""Property: the execution state is a function of the set of events, not of their delivery.

Hypothesis draws one work order's history (operators starting and stopping on several tablets,
quantities plausible or not, downtime, checks, a finish, times old, future or tied, supervisor
corrections and approvals), then delivers it shuffled, cut into batches and with repeats, into a
store that keeps the first copy of each id, as ``mes.event`` does. The state folded from the
store, after the last batch, must equal the state folded from the history in true-time order.

FUZZ_CASES sets the number of histories (``make fuzz`` asks for over 100,000).
"""
import json
import os
import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services import ordering
from services.execution import APPLIED, ExecutionContext, ExecutionEvent, fold, true_time_key
from services.execution_resume import resume, snapshot_fold
from services.recorded_state import state_to_json
from services.tests.support import at

CASES = int(os.environ.get('FUZZ_CASES') or 300)
HISTORIES = {'count': 0}

# A history is drawn as small integers (cheap for hypothesis to make and shrink) and built into
# events here. Every choice below is a list the integers pick from.
EMPLOYEES = ('A', 'B', 'C')
TERMINALS = (1, 2, 3)
SEQS = (None, 0, 1, 2, 3)
# Mostly time events, so that pairs meet.
TYPES = ('start',) * 4 + ('stop',) * 4 + ('produce',) * 2 + ('downtime_start', 'downtime_end') * 2 \
    + ('scrap', 'consume', 'check', 'finish') + ('machine_state',) * 3 + ('machine_cycle',) + ('undo',)
# Minutes on a coarse grid, so that times tie; a month back; before 2000.
MINUTES = tuple(m * 15 for m in range(61)) + (-30 * 24 * 60, -526 * 24 * 60 * 30)
# Mostly sent at once or replayed within hours; sometimes days late, or a clock running ahead.
DELAYS = (timedelta(0),) + (timedelta(minutes=1),) * 4 + (timedelta(hours=2),) * 3 \
    + (timedelta(days=9), -timedelta(minutes=10))
DATA = {
    'start': ({},), 'stop': ({},), 'downtime_end': ({},), 'finish': ({},), 'undo': ({},),
    'produce': ({'qty': 1.0}, {'qty': 2.0, 'lot': 'L1'}, {'qty': 5.0}, {'qty': 10.0, 'lot': 'L2'}, {'qty': 1e9}),
    'scrap': ({'qty': 1.0, 'reason': 'JAM'}, {'qty': 3.0, 'reason': 'BURR', 'product_id': 900},
              {'qty': 50.0, 'reason': 'JAM', 'product_id': 501}, {'qty': 50.0, 'reason': 'BURR'}),
    'consume': ({'product_id': 501, 'qty': 4.0, 'lot': 'C7'}, {'product_id': 501, 'qty': 40.0},
                {'product_id': 502, 'qty': 1.0}),
    'downtime_start': ({'reason': 'JAM'}, {'reason': 'TOOL'}),
    'check': ({'point_id': 3, 'result': 'pass'}, {'point_id': 4, 'result': 'fail'}),
    'machine_cycle': ({'count': 1, 'good': None, 'scrap': None}, {'count': 5, 'good': 4, 'scrap': 1}),
    'machine_state': ({'state': 'down', 'code': 'E1'}, {'state': 'idle', 'code': None},
                      {'state': 'running', 'code': None}, {'state': 'setup', 'code': None}),
}
NOWS = (0, 600, 2000, 3000)

CHOICE = st.integers(0, 255)
# One integer per event, read as eight 6-bit choices: far fewer draws than eight integers.
HISTORY = st.lists(st.integers(0, 2 ** 48 - 1), min_size=1, max_size=24)


def build_history(codes):
    events = []
    for number, code in enumerate(codes):
        etype, minute, delay, employee, terminal, seq, variant, corrects = (code >> (6 * i) & 63 for i in range(8))
        etype = pick(TYPES, etype)
        moment = at(pick(MINUTES, minute))
        events.append(ExecutionEvent(
            id='e%02d' % number, terminal=pick(TERMINALS, terminal), seq=pick(SEQS, seq), type=etype,
            at=moment, received_at=moment + pick(DELAYS, delay), employee=pick(EMPLOYEES, employee),
            data=pick(DATA[etype], variant),
            # now and then a supervisor's correction of an earlier event; an undo names one always
            corrects=_corrects(events, number, corrects, etype)))
    return events


def _corrects(events, number, code, etype):
    if etype == 'undo':
        return events[code % number].id if number else 'e-none'
    return events[code % number].id if number and code < 3 else None


def pick(choices, code):
    return choices[code % len(choices)]


def deliver(events, rnd):
    """The same events shuffled, some repeated, cut into batches."""
    shuffled = events + [rnd.choice(events) for _ in range(rnd.randint(0, len(events)))]
    rnd.shuffle(shuffled)
    cuts = sorted(rnd.randint(0, len(shuffled)) for _ in range(rnd.randint(0, 4)))
    return [shuffled[a:b] for a, b in zip([0] + cuts, cuts + [len(shuffled)])]


def deliver_in_order(events, rnd):
    """The events in this order, some repeated at the end, cut into small batches."""
    events = events + [rnd.choice(events) for _ in range(rnd.randint(0, 2))]
    size = rnd.randint(1, 4)
    return [events[i:i + size] for i in range(0, len(events), size)]


def context_for(events, now, approved):
    return ExecutionContext(
        now=at(pick(NOWS, now)), planned_qty=10.0, product_id=900, component_needs={501: 20.0},
        approved=frozenset(pick(events, code).id for code in approved))


@settings(max_examples=CASES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(HISTORY, CHOICE, st.lists(CHOICE, max_size=3), st.integers(0, 2 ** 32))
def test_any_delivery_order_batching_and_duplication_gives_the_same_state(codes, now, approved, seed):
    events = build_history(codes)
    context = context_for(events, now, approved)
    batches = deliver(events, random.Random(seed))
    in_true_time = fold(sorted(events, key=true_time_key), context)

    store = {}
    for batch in batches:
        for event in batch:
            store.setdefault(event.id, event)
        fold(list(store.values()), context)   # what the request answering that batch folds
    delivered = fold(list(store.values()), context)

    assert hash(delivered) == hash(in_true_time) and delivered == in_true_time
    assert fold([e for batch in batches for e in batch], context) == in_true_time
    assert_consistent(in_true_time, events)
    HISTORIES['count'] += 1


@settings(max_examples=CASES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(HISTORY, CHOICE, st.lists(CHOICE, max_size=3), st.integers(0, 2 ** 32))
def test_walking_on_from_the_last_record_gives_what_a_full_fold_gives(codes, now, approved, seed):
    """What ``mes.execution`` does per request: walk the batch's new events on from the stored
    snapshot when they all come after it, else fold the whole store; keep each event's latest
    verdict as the event log does. After the last batch, the log and the state are a full
    fold's."""
    events = build_history(codes)
    context = context_for(events, now, approved)
    in_true_time = fold(events, context)
    store, log, snapshot, resumed, recorded = {}, {}, None, 0, None
    rnd = random.Random(seed)
    # in true time (each batch walks on), as received (late ones now and then), or shuffled
    batches = rnd.choice([deliver_in_order(sorted(events, key=true_time_key), rnd),
                          deliver_in_order(sorted(events, key=lambda e: (e.received_at, e.id)), rnd),
                          deliver(events, rnd)])
    for batch in batches:
        new = []
        for event in batch:
            if event.id not in store:
                store[event.id] = event
                new.append(event)
        if not new:
            continue
        walked = resume(snapshot, new, context)
        if walked is None:
            state, snapshot, _running, _text = snapshot_fold(list(store.values()), context)
        else:
            state, snapshot, resumed = walked.state, walked.snapshot, resumed + 1
        log.update(state.verdicts)
        # as the record stage walks: the recorded text, the closed labor kept as text
        recorded = resume(recorded.snapshot if recorded else None, new, context, record=True) \
            or snapshot_fold(list(store.values()), context, record=True)
    assert sorted(log.items()) == list(in_true_time.verdicts)
    assert _without_verdicts(state) == _without_verdicts(in_true_time)
    # the recorded text is the same however the batches were walked, and holds the full fold's state
    assert recorded.text == snapshot_fold(events, context, record=True).text
    text, full = json.loads(recorded.text), json.loads(json.dumps(state_to_json(in_true_time)))
    assert sorted(map(json.dumps, text.pop('labor'))) == sorted(map(json.dumps, full.pop('labor')))
    assert text == full
    HISTORIES['resumed'] = HISTORIES.get('resumed', 0) + resumed


def _without_verdicts(state):
    return state.__class__(**dict(vars(state), verdicts=()))


def assert_consistent(state, events):
    """What holds in any state: one verdict per event, no operator in two places at once,
    good equal to the applied produce, the machine running only while someone works."""
    assert [event_id for event_id, _verdict in state.verdicts] == sorted(e.id for e in events)
    for employee in EMPLOYEES:
        own = [(i.start, i.end) for i in state.labor if i.employee == employee]
        assert len(ordering.union(own)) == len(own) or _touching(own)
    applied = {event_id for event_id, verdict in state.verdicts if verdict.status == APPLIED}
    assert state.good == sum(e.data['qty'] for e in sorted(events, key=true_time_key)
                             if e.type == 'produce' and e.id in applied)
    labor = [(i.start, i.end) for i in state.labor]
    assert ordering.subtract(state.run, labor) == []
    assert state.machine.cycles == sum(e.data['count'] for e in events
                                       if e.type == 'machine_cycle' and e.id in applied)


def _touching(intervals):
    """Intervals that only meet end to start (a stop and the next start at the same moment)."""
    ordered = sorted(intervals, key=lambda i: i[0])
    return all(a[1] is not None and a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))


def teardown_module():
    # make fuzz reads this line to prove how many histories were tried
    print('\nexecution histories: %d (walks resumed from a snapshot: %d)'
          % (HISTORIES['count'], HISTORIES.get('resumed', 0)))
