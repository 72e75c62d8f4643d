"""Property-based fuzzing of the terminal contract (services/contract.py), in plain Python: any
body and any event either parses into clean values or is refused with a coded error of the
catalogue, never with another exception."""
import json
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ...services import contract, errors
from . import strategies as S
from .conftest import count

REQUEST_CODES = {'not_json': 415, 'malformed_body': 400, 'too_many_events': 413, 'body_too_large': 413}
EVENT_CODES = {'field_missing', 'field_invalid', 'schema_unsupported', 'type_unknown', 'qty_not_positive'}
EVENT_CASES = S.budget('FUZZ_CONTRACT_EVENT_CASES', 0.5, 1500)
REQUEST_CASES = S.budget('FUZZ_CONTRACT_REQUEST_CASES', 0.25, 600)
FAST = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True)


def check_event(event, raw):
    assert event.type in contract.EVENT_TYPES
    assert isinstance(event.id, str) and 0 < len(event.id) <= 64 and event.id == raw['id'].strip()
    assert isinstance(event.workorder_id, int) and 0 <= event.workorder_id < 2 ** 31
    assert isinstance(event.employee, str) and len(event.employee) <= contract.MAX_TEXT and '\x00' not in event.employee
    assert datetime(2000, 1, 1) <= event.at <= datetime(2200, 1, 1) and event.at.tzinfo is None
    assert set(event.data) == set(contract.EVENT_FIELDS[event.type])
    for name in ('qty',):
        if name in event.data:
            assert isinstance(event.data[name], float) and 0 < event.data[name] <= 1e9
    for name in ('lot', 'note', 'reason'):
        value = event.data.get(name)
        assert value is None or (isinstance(value, str) and len(value) <= contract.MAX_TEXT and '\x00' not in value)
    if event.seq is not None:
        assert isinstance(event.seq, int) and 0 <= event.seq < 2 ** 31


@settings(max_examples=max(1, EVENT_CASES // 5), **FAST)
@given(st.lists(st.one_of(S.events(), S.events(), S.json_values()), min_size=2, max_size=10))
def test_any_event_is_parsed_clean_or_refused_with_a_code(raws):
    """Each example is a list of events (about six): every one is a case."""
    for raw in raws:
        count('contract.parse_event', 'cases')
        try:
            event = contract.parse_event(raw)
        except errors.MesError as exc:
            assert exc.code in EVENT_CODES, exc.code
            assert exc.message and isinstance(exc.message, str)
            json.dumps(exc.as_dict())   # the answer can always be sent
            count('contract.parse_event', 'rejected ' + exc.code)
            continue
        check_event(event, raw)
        count('contract.parse_event', 'accepted')


@settings(max_examples=REQUEST_CASES, **FAST)
@given(S.bodies(S.events()))
def test_any_request_body_is_a_batch_or_a_coded_whole_request_error(case):
    body, content_type = case
    count('contract.parse_request', 'cases')
    try:
        batch = contract.parse_request(body, content_type)
    except errors.MesError as exc:
        assert REQUEST_CODES.get(exc.code) == exc.http_status, (exc.code, exc.http_status)
        assert exc.message
        json.dumps(exc.as_dict())
        count('contract.parse_request', 'refused %d %s' % (exc.http_status, exc.code))
        return
    assert isinstance(batch.events, list) and len(batch.events) <= contract.MAX_EVENTS
    assert len(body) <= contract.MAX_BODY_BYTES
    assert (content_type or '').split(';')[0].strip().lower() == 'application/json'
    assert datetime(2000, 1, 1) <= batch.sent_at <= datetime(2200, 1, 1)
    count('contract.parse_request', 'accepted')
    for raw in batch.events:   # every event of an accepted batch is judged on its own
        try:
            check_event(contract.parse_event(raw), raw)
        except errors.MesError as exc:
            assert exc.code in EVENT_CODES


@settings(max_examples=max(200, EVENT_CASES // 10), **FAST)
@given(st.sampled_from(list(contract.EVENT_FIELDS)), st.data())
def test_a_valid_event_round_trips_and_unknown_fields_are_ignored(etype, data):
    count('contract.round_trip', 'cases')
    raw = data.draw(S.events())
    if not isinstance(raw, dict) or raw.get('type') != etype:
        raw = {'schema': 1, 'id': 'rt-1', 'type': etype, 'workorder_id': 7, 'employee': 'B-1',
               'at': '2026-11-24T06:59:58.000Z', 'data': {'qty': 2, 'reason': 'R', 'product_id': 3, 'point_id': 4,
                                                       'result': 'pass'}}
    try:
        first = contract.parse_event(raw)
    except errors.MesError:
        return
    extra = dict(raw, **{'x-unknown': data.draw(S.json_values(max_leaves=3))})
    extra['data'] = dict(raw.get('data') or {}, unknown_inside=1)
    assert contract.parse_event(extra) == first
