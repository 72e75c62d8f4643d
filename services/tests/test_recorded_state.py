"""A work order's recorded state as JSON (services/recorded_state.py): what Odoo's records and the
posting follow, from a fold of the shop floor's events."""
import json

from services.execution import ExecutionContext, ExecutionEvent, fold
from services.recorded_state import deltas, odoo_time, state_to_json
from services.tests.support import at


def ev(etype, minute, employee='B-1', **data):
    return ExecutionEvent(id='%s@%s/%s' % (etype, minute, employee), terminal=1, seq=None, type=etype,
                          at=at(minute), received_at=at(minute + 1), employee=employee, data=data)


def recorded(events):
    return state_to_json(fold(events, ExecutionContext(now=at(8 * 60), planned_qty=10.0, product_id=900)))


def test_a_short_run_as_recorded():
    state = recorded([
        ev('start', 0), ev('downtime_start', 10, reason='JAM'), ev('downtime_end', 20),
        ev('produce', 30, qty=3.0, lot='L1'), ev('scrap', 31, qty=1.0, reason='BURR'),
        ev('consume', 32, product_id=501, qty=4.0, lot='C7'), ev('check', 33, point_id=3, result='pass'),
        ev('stop', 40), ev('finish', 41)])
    assert state == {
        'labor': [['B-1', '2026-11-24 06:00:00.000000', '2026-11-24 06:40:00.000000', 'start@0/B-1', 'stop@40/B-1',
                   False]],
        'down': [['2026-11-24 06:10:00.000000', '2026-11-24 06:20:00.000000', 'JAM', 'downtime_start@10/B-1',
                  'downtime_end@20/B-1']],
        'good': 3.0,
        'good_by_lot': [['L1', 3.0]],
        'scrap': [['BURR', None, 1.0]],
        'consumption': [[501, 'C7', 4.0]],
        'checks': ['check@33/B-1'],
        'finished_at': '2026-11-24 06:41:00.000000',
        'finish_event': 'finish@41/B-1',
        'machine': None,                       # no machine reports on this work order
    }
    assert json.loads(json.dumps(state)) == state       # plain JSON, stored as text


def test_nothing_yet():
    assert recorded([]) == {'labor': [], 'down': [], 'good': 0.0, 'good_by_lot': [], 'scrap': [], 'consumption': [],
                            'checks': [], 'finished_at': None, 'finish_event': None, 'machine': None}


def test_an_open_interval_has_no_end_and_microseconds_are_kept():
    start = ExecutionEvent(id='s', terminal=1, seq=None, type='start', at=at(0).replace(microsecond=250000),
                           received_at=at(1), employee='B-1', data={})
    assert recorded([start])['labor'] == [['B-1', '2026-11-24 06:00:00.250000', None, 's', None, False]]


def test_maintenance_requests_only_when_asked_for():
    # a state recorded before requests existed keeps its text: the key appears only with one
    assert 'maintenance' not in recorded([ev('start', 0)])
    state = recorded([ev('maintenance_request', 20, note='Coolant leak'), ev('maintenance_request', 5, note='Guard')])
    assert state['maintenance'] == ['maintenance_request@5/B-1', 'maintenance_request@20/B-1']


class TestDeltas:
    """What the posting books: the difference between the recorded state it posted last and now."""

    def test_what_moved_by_key(self):
        old = [['L1', 3.0], [None, 2.0]]
        new = [['L1', 5.0], ['L2', 1.0], [None, 2.0]]
        assert deltas(new, old) == {'L1': 2.0, 'L2': 1.0}           # the unlotted 2 did not move

    def test_a_quantity_judged_otherwise_comes_back_negative(self):
        assert deltas([], [['L1', 3.0]]) == {'L1': -3.0}

    def test_list_keys_read_back_from_json_are_tuples_and_may_repeat(self):
        old = json.loads(json.dumps([[['BURR', None], 1.0]]))         # as stored: a list key
        new = [(('BURR', None), 1.0), (('BURR', None), 2.0), (('CRACK', 501), 1.0)]
        assert deltas(new, old) == {('BURR', None): 2.0, ('CRACK', 501): 1.0}

    def test_float_noise_is_no_movement_half_a_millionth_is(self):
        # judged as Odoo's float_compare(qty, 0, precision_digits=6): rounded half away from zero
        assert deltas([('x', 0.1 + 0.2)], [('x', 0.3)]) == {}
        assert deltas([('x', 3.0)], [('x', 2.9999999999)]) == {}
        assert deltas([('x', 4.9e-7)], []) == {}
        assert deltas([('x', 5e-7), ('y', 1e-6)], []) == {'x': 5e-7, 'y': 1e-6}
        assert deltas([], [('x', 5e-7)]) == {'x': -5e-7}
        assert deltas([('x', 2.5e-6)], []) == {'x': 2.5e-6}


def test_odoo_time_keeps_the_second():
    assert odoo_time('2026-11-24 06:00:00.250000') == '2026-11-24 06:00:00'
    assert odoo_time(None) is False
