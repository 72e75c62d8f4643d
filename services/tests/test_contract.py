"""Terminal contract v1 (DESIGN.md "Terminal contract v1"): whole requests, single events and
times, as the terminal and the dead-letter queue rely on them."""
import json
import sys
from datetime import datetime

import pytest

from services import contract, errors
from services.tests.support import DROP, body, make_event

JSON = 'application/json'
SENT_AT = '2026-11-24T07:00:03.120Z'


def request(payload, content_type=JSON):
    return contract.parse_request(body(payload), content_type)


def refused(exc_class, func, *args):
    """Call ``func`` expecting exactly ``exc_class``; return the error for further checks."""
    with pytest.raises(exc_class) as info:
        func(*args)
    exc = info.value
    assert type(exc) is exc_class
    assert exc.code and exc.message
    return exc


# -- parse_request -----------------------------------------------------------------------------

class TestParseRequest:

    def test_valid_request_gives_sent_at_as_naive_utc_and_raw_events(self):
        raw = make_event('produce', {'qty': 5}, extra_field='kept raw')
        batch = request({'sent_at': SENT_AT, 'events': [raw]})
        assert batch.sent_at == datetime(2026, 11, 24, 7, 0, 3, 120000)
        assert batch.sent_at.tzinfo is None
        # Events are judged one by one later; the request keeps them exactly as sent.
        assert batch.events == [raw]

    def test_empty_event_list_is_a_valid_request(self):
        assert request({'sent_at': SENT_AT, 'events': []}).events == []

    def test_unknown_top_level_fields_are_ignored(self):
        batch = request({'sent_at': SENT_AT, 'events': [], 'terminal_build': '1.4.2'})
        assert batch.events == []

    @pytest.mark.parametrize('content_type', [
        'application/json', 'application/json; charset=utf-8', 'Application/JSON',
        ' application/json ;charset=UTF-8',
    ])
    def test_json_content_types_accepted(self, content_type):
        assert request({'sent_at': SENT_AT, 'events': []}, content_type).events == []

    @pytest.mark.parametrize('content_type', [
        None, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data',
        'application/jsonp', 'text/json',
    ])
    def test_non_json_content_type_is_415(self, content_type):
        exc = refused(errors.NotJson, contract.parse_request,
                      body({'sent_at': SENT_AT, 'events': []}), content_type)
        assert exc.http_status == 415
        assert exc.code == 'not_json'

    @pytest.mark.parametrize('raw', [
        b'', b'{', b'{"sent_at": }', b"{'sent_at': 'x'}", b'\xff\xfe{}', b'{"a": 1} trailing',
        b'\xef\xbb\xbf{"sent_at": "2026-11-24T07:00:03Z", "events": []}',  # UTF-8 BOM
    ])
    def test_bad_json_is_400(self, raw):
        exc = refused(errors.MalformedBody, contract.parse_request, raw, JSON)
        assert exc.http_status == 400
        assert exc.code == 'malformed_body'

    @pytest.mark.parametrize('raw', [b'[]', b'"events"', b'null', b'42', b'true', b'[{"sent_at": 1}]'])
    def test_body_not_an_object_is_400(self, raw):
        exc = refused(errors.MalformedBody, contract.parse_request, raw, JSON)
        assert exc.http_status == 400
        assert 'object' in exc.message

    def test_missing_sent_at_is_400(self):
        exc = refused(errors.MalformedBody, request, {'events': []})
        assert exc.http_status == 400
        assert 'sent_at' in exc.message

    @pytest.mark.parametrize('sent_at', [
        None, 1764000003, '', 'now', '2026-11-24T07:00:03',  # no zone
        '2026-11-24T25:00:00Z', '1999-12-31T23:59:59Z', ['2026-11-24T07:00:03Z'],
    ])
    def test_bad_sent_at_is_400_naming_the_field(self, sent_at):
        exc = refused(errors.MalformedBody, request, {'sent_at': sent_at, 'events': []})
        assert exc.http_status == 400
        assert 'sent_at' in exc.message

    @pytest.mark.parametrize('events', [DROP, None, {}, 'x', 3, {'0': {}}])
    def test_events_not_a_list_is_400(self, events):
        payload = {'sent_at': SENT_AT}
        if events is not DROP:
            payload['events'] = events
        exc = refused(errors.MalformedBody, request, payload)
        assert exc.http_status == 400
        assert 'events' in exc.message

    def test_500_events_accepted(self):
        batch = request({'sent_at': SENT_AT, 'events': [{}] * contract.MAX_EVENTS})
        assert contract.MAX_EVENTS == 500
        assert len(batch.events) == 500

    def test_501_events_is_413(self):
        exc = refused(errors.TooManyEvents, request, {'sent_at': SENT_AT, 'events': [{}] * 501})
        assert exc.http_status == 413
        assert exc.code == 'too_many_events'
        assert '500' in exc.message and '501' in exc.message

    def test_body_at_the_byte_limit_accepted(self):
        raw = body({'sent_at': SENT_AT, 'events': []})
        raw = raw + b' ' * (contract.MAX_BODY_BYTES - len(raw))
        assert len(raw) == contract.MAX_BODY_BYTES
        assert contract.parse_request(raw, JSON).events == []

    def test_body_over_the_byte_limit_is_413(self):
        raw = body({'sent_at': SENT_AT, 'events': []})
        raw = raw + b' ' * (contract.MAX_BODY_BYTES + 1 - len(raw))
        exc = refused(errors.BodyTooLarge, contract.parse_request, raw, JSON)
        assert exc.http_status == 413
        assert exc.code == 'body_too_large'
        assert str(contract.MAX_BODY_BYTES) in exc.message
        assert str(contract.MAX_BODY_BYTES + 1) in exc.message

    def test_body_size_is_judged_before_anything_else(self):
        exc = refused(errors.BodyTooLarge, contract.parse_request,
                      b'x' * (contract.MAX_BODY_BYTES + 1), 'text/plain')
        assert exc.http_status == 413

    @pytest.mark.parametrize('raw', [
        b'[' * 100000 + b']' * 100000,
        b'{"a":' * 100000 + b'1' + b'}' * 100000,
        b'{"sent_at": "2026-11-24T07:00:03Z", "events": [' + b'[' * 200000 + b']' * 200000 + b']}',
        b'[' * 500000,  # deep and unterminated
    ])
    def test_deep_nesting_is_400_not_a_crash(self, raw):
        assert len(raw) <= contract.MAX_BODY_BYTES
        exc = refused(errors.MalformedBody, contract.parse_request, raw, JSON)
        assert exc.http_status == 400

    @pytest.mark.parametrize('sent_at', ['0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])
    def test_sent_at_at_the_edge_of_datetime_is_400(self, sent_at):
        exc = refused(errors.MalformedBody, request, {'sent_at': sent_at, 'events': []})
        assert exc.http_status == 400


# -- parse_event: each type --------------------------------------------------------------------

VALID = [
    ('start', {}, {}),
    ('stop', {}, {}),
    ('produce', {'qty': 5}, {'qty': 5.0, 'lot': None}),
    ('produce', {'qty': 0.5, 'lot': 'LOT-7'}, {'qty': 0.5, 'lot': 'LOT-7'}),
    ('produce', {'qty': 1, 'lot': ''}, {'qty': 1.0, 'lot': None}),
    ('scrap', {'qty': 2, 'reason': 'BURR'}, {'qty': 2.0, 'reason': 'BURR', 'product_id': None}),
    ('scrap', {'qty': 0.25, 'reason': 'BURR', 'product_id': 9},
     {'qty': 0.25, 'reason': 'BURR', 'product_id': 9}),
    ('consume', {'product_id': 9, 'qty': 1.5}, {'product_id': 9, 'qty': 1.5, 'lot': None}),
    ('consume', {'product_id': 9, 'qty': 3, 'lot': 'L-2026-11'},
     {'product_id': 9, 'qty': 3.0, 'lot': 'L-2026-11'}),
    ('downtime_start', {'reason': 'JAM'}, {'reason': 'JAM'}),
    ('downtime_end', {}, {}),
    ('check', {'point_id': 3, 'result': 'pass'},
     {'point_id': 3, 'result': 'pass', 'value': None, 'note': None}),
    ('check', {'point_id': 3, 'result': 'fail', 'value': -12.5, 'note': 'burr on edge'},
     {'point_id': 3, 'result': 'fail', 'value': -12.5, 'note': 'burr on edge'}),
    ('check', {'point_id': 3, 'result': 'pass', 'value': 0},
     {'point_id': 3, 'result': 'pass', 'value': 0.0, 'note': None}),
    ('finish', {}, {}),
    ('machine_cycle', {'count': 1}, {'count': 1, 'good': None, 'scrap': None}),
    ('machine_cycle', {'count': 12, 'good': 11, 'scrap': 1}, {'count': 12, 'good': 11, 'scrap': 1}),
    ('machine_state', {'state': 'down', 'code': 'E-042'}, {'state': 'down', 'code': 'E-042'}),
    ('machine_state', {'state': 'running'}, {'state': 'running', 'code': None}),
    ('machine_stop_reason', {'stop': 'm:SAW-1:state:7', 'reason': 'JAM'}, {'stop': 'm:SAW-1:state:7', 'reason': 'JAM'}),
    ('maintenance_request', {'note': 'Blade guard loose'}, {'note': 'Blade guard loose'}),
    ('undo', {'event': 't1-17'}, {'event': 't1-17'}),
]


class TestParseEventValid:

    @pytest.mark.parametrize('etype,data,clean', VALID)
    def test_valid_event(self, etype, data, clean):
        event = contract.parse_event(make_event(etype, data))
        assert isinstance(event, contract.Event)
        assert event.type == etype
        assert event.id == '0f8fad5b-d9cb-469f-a165-70867728950e'
        assert event.seq == 41
        assert event.workorder_id == 17
        assert event.employee == 'B-0042'
        assert event.at == datetime(2026, 11, 24, 6, 59, 58)
        assert event.data == clean
        for name in ('qty', 'value'):
            if clean.get(name) is not None:
                assert type(event.data[name]) is float

    def test_every_type_of_the_contract_is_known(self):
        assert set(contract.EVENT_TYPES) == {
            'start', 'stop', 'produce', 'scrap', 'consume', 'downtime_start', 'downtime_end',
            'check', 'finish', 'machine_cycle', 'machine_state', 'machine_stop_reason',
            'maintenance_request', 'undo'}
        assert {etype for etype, _data, _clean in VALID} == set(contract.EVENT_TYPES)

    def test_seq_is_optional(self):
        assert contract.parse_event(make_event(seq=DROP)).seq is None
        assert contract.parse_event(make_event(seq=None)).seq is None
        assert contract.parse_event(make_event(seq=0)).seq == 0

    @pytest.mark.parametrize('data', [DROP, None])
    def test_data_may_be_absent_for_types_without_fields(self, data):
        raw = make_event('stop')
        if data is DROP:
            del raw['data']
        else:
            raw['data'] = data
        assert contract.parse_event(raw).data == {}

    def test_unknown_extra_fields_are_ignored(self):
        raw = make_event('produce', {'qty': 4, 'lot': 'L1', 'colour': 'red', 'qty_uom': 'kg'},
                         battery=81, app={'version': '1.4'}, sent_by='tablet-3')
        event = contract.parse_event(raw)
        assert event.data == {'qty': 4.0, 'lot': 'L1'}
        assert event.workorder_id == 17
        # the raw event is not changed (the caller stores it as sent)
        assert raw['battery'] == 81 and raw['data']['colour'] == 'red'

    def test_id_and_text_are_stripped(self):
        event = contract.parse_event(make_event(
            'scrap', {'qty': 1, 'reason': ' BURR '}, id='  abc-1  ', employee=' B-0042 '))
        assert event.id == 'abc-1'
        assert event.employee == 'B-0042'
        assert event.data['reason'] == 'BURR'

    def test_times_with_offset_are_converted_to_utc(self):
        event = contract.parse_event(make_event(at='2026-11-24T08:59:58.250+02:00'))
        assert event.at == datetime(2026, 11, 24, 6, 59, 58, 250000)

    def test_text_of_200_characters_accepted(self):
        text = 'x' * contract.MAX_TEXT
        event = contract.parse_event(make_event('check', {'point_id': 1, 'result': 'pass', 'note': text},
                                                employee=text))
        assert contract.MAX_TEXT == 200
        assert event.employee == text and event.data['note'] == text

    def test_id_of_64_characters_accepted(self):
        assert contract.parse_event(make_event(id='a' * 64)).id == 'a' * 64

    def test_large_and_tiny_positive_quantities_accepted(self):
        assert contract.parse_event(make_event('produce', {'qty': 1e9})).data['qty'] == 1e9
        assert contract.parse_event(make_event('produce', {'qty': 0.001})).data['qty'] == 0.001


# -- parse_event: refusals ---------------------------------------------------------------------

REQUIRED_DATA = [
    ('produce', {'qty': 5}, 'qty'),
    ('scrap', {'qty': 2, 'reason': 'BURR'}, 'qty'),
    ('scrap', {'qty': 2, 'reason': 'BURR'}, 'reason'),
    ('consume', {'product_id': 9, 'qty': 1}, 'product_id'),
    ('consume', {'product_id': 9, 'qty': 1}, 'qty'),
    ('downtime_start', {'reason': 'JAM'}, 'reason'),
    ('check', {'point_id': 3, 'result': 'pass'}, 'point_id'),
    ('check', {'point_id': 3, 'result': 'pass'}, 'result'),
    ('machine_stop_reason', {'stop': 'm:SAW-1:state:7', 'reason': 'JAM'}, 'stop'),
    ('machine_stop_reason', {'stop': 'm:SAW-1:state:7', 'reason': 'JAM'}, 'reason'),
    ('maintenance_request', {'note': 'Blade guard loose'}, 'note'),
    ('undo', {'event': 't1-17'}, 'event'),
]


class TestParseEventRefused:

    @pytest.mark.parametrize('how', ['absent', 'null'])
    @pytest.mark.parametrize('etype,data,field', REQUIRED_DATA)
    def test_required_data_field_missing(self, etype, data, field, how):
        data = dict(data)
        if how == 'absent':
            del data[field]
        else:
            data[field] = None
        exc = refused(errors.FieldMissing, contract.parse_event, make_event(etype, data))
        assert exc.params['field'] == 'data.' + field
        assert '"data.%s"' % field in exc.message
        assert etype in exc.message

    @pytest.mark.parametrize('etype,data,field', [
        ('scrap', {'qty': 2}, 'reason'), ('downtime_start', {}, 'reason')])
    def test_required_text_empty_is_missing(self, etype, data, field):
        exc = refused(errors.FieldMissing, contract.parse_event,
                      make_event(etype, dict(data, **{field: ''})))
        assert exc.params['field'] == 'data.' + field

    @pytest.mark.parametrize('etype', ['produce', 'scrap', 'consume', 'downtime_start', 'check'])
    def test_data_absent_for_types_with_required_fields(self, etype):
        raw = make_event(etype)
        del raw['data']
        exc = refused(errors.FieldMissing, contract.parse_event, raw)
        assert exc.params['field'].startswith('data.')

    @pytest.mark.parametrize('data', [[], 'qty=5', 5, [{'qty': 5}]])
    def test_data_not_an_object(self, data):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event('produce', data))
        assert exc.params['field'] == 'data'

    @pytest.mark.parametrize('etype,data,field', [
        ('produce', {'qty': '5'}, 'qty'),
        ('produce', {'qty': [5]}, 'qty'),
        ('produce', {'qty': {'value': 5}}, 'qty'),
        ('produce', {'qty': 5, 'lot': 12}, 'lot'),
        ('produce', {'qty': 5, 'lot': ['L1']}, 'lot'),
        ('scrap', {'qty': 1, 'reason': 7}, 'reason'),
        ('scrap', {'qty': 1, 'reason': 'BURR', 'product_id': '9'}, 'product_id'),
        ('scrap', {'qty': 1, 'reason': 'BURR', 'product_id': 9.0}, 'product_id'),
        ('consume', {'product_id': '9', 'qty': 1}, 'product_id'),
        ('consume', {'product_id': 9.5, 'qty': 1}, 'product_id'),
        ('consume', {'product_id': -1, 'qty': 1}, 'product_id'),
        ('consume', {'product_id': 2 ** 31, 'qty': 1}, 'product_id'),
        ('consume', {'product_id': True, 'qty': 1}, 'product_id'),
        ('downtime_start', {'reason': {'code': 'JAM'}}, 'reason'),
        ('check', {'point_id': '3', 'result': 'pass'}, 'point_id'),
        ('check', {'point_id': 3, 'result': 'pass', 'value': '12.5'}, 'value'),
        ('check', {'point_id': 3, 'result': 'pass', 'note': 5}, 'note'),
    ])
    def test_wrong_data_types(self, etype, data, field):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event(etype, data))
        assert exc.params['field'] == 'data.' + field
        assert '"data.%s"' % field in exc.message

    @pytest.mark.parametrize('value', [True, False])
    def test_bool_is_not_a_number(self, value):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event('produce', {'qty': value}))
        assert exc.params['field'] == 'data.qty'
        exc = refused(errors.FieldInvalid, contract.parse_event,
                      make_event('check', {'point_id': 3, 'result': 'pass', 'value': value}))
        assert exc.params['field'] == 'data.value'

    @pytest.mark.parametrize('value', [float('nan'), float('inf'), float('-inf')])
    def test_nan_and_infinity_rejected(self, value):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event('produce', {'qty': value}))
        assert exc.params['field'] == 'data.qty'
        exc = refused(errors.FieldInvalid, contract.parse_event,
                      make_event('check', {'point_id': 3, 'result': 'fail', 'value': value}))
        assert exc.params['field'] == 'data.value'

    def test_nan_and_infinity_from_json_text_rejected(self):
        # Python's json module accepts the NaN/Infinity literals; they must not pass as numbers.
        for literal in ('NaN', 'Infinity', '-Infinity'):
            raw = json.loads('{"qty": %s}' % literal)
            with pytest.raises(errors.FieldInvalid):
                contract.parse_event(make_event('produce', raw))

    @pytest.mark.parametrize('qty', [1e9 + 1, 10 ** 30, -10 ** 30, 1e300])
    def test_quantity_out_of_range(self, qty):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event('produce', {'qty': qty}))
        assert exc.params['field'] == 'data.qty'

    @pytest.mark.parametrize('etype,data', [
        ('produce', {}), ('scrap', {'reason': 'BURR'}), ('consume', {'product_id': 9})])
    @pytest.mark.parametrize('qty', [0, 0.0, -0.0, -1, -0.5])
    def test_zero_or_negative_quantity(self, etype, data, qty):
        exc = refused(errors.QtyNotPositive, contract.parse_event, make_event(etype, dict(data, qty=qty)))
        assert exc.code == 'qty_not_positive'
        assert 'supervisor' in exc.message

    @pytest.mark.parametrize('etype', ['pause', 'Start', 'START', '', 'produce ', 'setup'])
    def test_unknown_type_lists_known_types(self, etype):
        exc = refused(errors.TypeUnknown, contract.parse_event, make_event(etype))
        for known in contract.EVENT_TYPES:
            assert known in exc.message
        assert exc.params['type'] == etype

    @pytest.mark.parametrize('etype', [5, True, ['start'], {'name': 'start'}])
    def test_type_not_a_string_is_unknown(self, etype):
        refused(errors.TypeUnknown, contract.parse_event, make_event(etype))

    def test_type_missing(self):
        exc = refused(errors.FieldMissing, contract.parse_event, make_event(type=DROP))
        assert exc.params['field'] == 'type'

    @pytest.mark.parametrize('schema', [2, 0, -1, '1', 'v1', True, 1.5, [1]])
    def test_unsupported_schema_lists_supported(self, schema):
        exc = refused(errors.SchemaUnsupported, contract.parse_event, make_event(schema=schema))
        assert 'schema 1' in exc.message
        assert exc.params['supported'] == '1'

    def test_schema_2_named_in_the_message(self):
        exc = refused(errors.SchemaUnsupported, contract.parse_event, make_event(schema=2))
        assert 'Event schema 2 is not supported' in exc.message

    def test_schema_is_judged_before_the_type(self):
        # a v2 terminal may send types this server has never heard of: say "update", not "unknown"
        refused(errors.SchemaUnsupported, contract.parse_event, make_event('rework', schema=2))

    @pytest.mark.parametrize('field', ['schema', 'id', 'workorder_id', 'employee', 'at'])
    @pytest.mark.parametrize('how', ['absent', 'null'])
    def test_required_top_level_field_missing(self, field, how):
        raw = make_event('produce', {'qty': 1}, **{field: DROP if how == 'absent' else None})
        exc = refused(errors.FieldMissing, contract.parse_event, raw)
        assert exc.params['field'] == field
        assert '"%s"' % field in exc.message

    def test_missing_field_message_names_the_event_type(self):
        exc = refused(errors.FieldMissing, contract.parse_event, make_event('produce', {'qty': 1}, at=DROP))
        assert 'produce event' in exc.message

    @pytest.mark.parametrize('event_id', ['', '   ', 17, ['x'], 'a' * 65])
    def test_unusable_id_is_missing(self, event_id):
        exc = refused(errors.FieldMissing, contract.parse_event, make_event(id=event_id))
        assert exc.params['field'] == 'id'

    def test_empty_employee_is_missing(self):
        exc = refused(errors.FieldMissing, contract.parse_event, make_event(employee=''))
        assert exc.params['field'] == 'employee'

    @pytest.mark.parametrize('field,value', [
        ('workorder_id', '17'), ('workorder_id', 17.0), ('workorder_id', True), ('workorder_id', -1),
        ('workorder_id', 2 ** 31), ('workorder_id', [17]),
        ('seq', '41'), ('seq', 4.1), ('seq', True), ('seq', -1), ('seq', 2 ** 31),
        ('employee', 42), ('employee', ['B-0042']), ('employee', {'badge': 'B-0042'}),
        ('at', 1764000000), ('at', '2026-11-24T06:59:58'), ('at', 'yesterday'), ('at', ''),
    ])
    def test_wrong_top_level_types(self, field, value):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event(**{field: value}))
        assert exc.params['field'] == field

    @pytest.mark.parametrize('raw', [None, [], 'event', 5, [make_event()]])
    def test_event_not_an_object(self, raw):
        exc = refused(errors.FieldInvalid, contract.parse_event, raw)
        assert exc.params['field'] == 'event'

    @pytest.mark.parametrize('etype,data,field', [
        ('check', {'point_id': 3, 'result': 'PASS'}, 'result'),
        ('check', {'point_id': 3, 'result': 'ok'}, 'result'),
        ('check', {'point_id': 3, 'result': True}, 'result'),
        ('check', {'point_id': 3, 'result': 1}, 'result'),
        ('check', {'point_id': 3, 'result': ['pass']}, 'result'),
        ('check', {'point_id': 3, 'result': ''}, 'result'),
    ])
    def test_check_result_must_be_pass_or_fail(self, etype, data, field):
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event(etype, data))
        assert exc.params['field'] == 'data.result'
        assert '"pass"' in exc.message and '"fail"' in exc.message

    @pytest.mark.parametrize('etype,data,field', [
        ('produce', {'qty': 1, 'lot': 'L' * 201}, 'data.lot'),
        ('scrap', {'qty': 1, 'reason': 'R' * 201}, 'data.reason'),
        ('consume', {'product_id': 9, 'qty': 1, 'lot': 'L' * 201}, 'data.lot'),
        ('downtime_start', {'reason': 'R' * 201}, 'data.reason'),
        ('check', {'point_id': 3, 'result': 'fail', 'note': 'n' * 201}, 'data.note'),
        ('start', {}, 'employee'),
    ])
    def test_text_over_200_characters_refused(self, etype, data, field):
        raw = make_event(etype, data)
        if field == 'employee':
            raw['employee'] = 'B' * 201
        exc = refused(errors.FieldInvalid, contract.parse_event, raw)
        assert exc.params['field'] == field
        assert '200' in exc.message

    @pytest.mark.parametrize('etype,data,field', [
        ('produce', {'qty': 1, 'lot': 'L1\x00'}, 'data.lot'),
        ('scrap', {'qty': 1, 'reason': 'BU\x00RR'}, 'data.reason'),
        ('downtime_start', {'reason': '\x00'}, 'data.reason'),
        ('check', {'point_id': 3, 'result': 'fail', 'note': 'a\x00b'}, 'data.note'),
        ('start', {}, 'employee'),
    ])
    def test_nul_character_refused(self, etype, data, field):
        raw = make_event(etype, data)
        if field == 'employee':
            raw['employee'] = 'B-00\x0042'
        exc = refused(errors.FieldInvalid, contract.parse_event, raw)
        assert exc.params['field'] == field
        assert 'NUL' in exc.message

    def test_long_values_are_shortened_in_messages(self):
        exc = refused(errors.TypeUnknown, contract.parse_event, make_event('z' * 5000))
        assert len(exc.message) < 400
        exc = refused(errors.FieldInvalid, contract.parse_event, make_event(workorder_id=list(range(5000))))
        assert len(exc.message) < 400

    @pytest.mark.parametrize('etype,data,field', [
        ('start', {}, 'employee'),
        ('scrap', {'qty': 1, 'reason': '   '}, 'data.reason'),
        ('downtime_start', {'reason': '\t '}, 'data.reason'),
    ])
    def test_whitespace_only_required_text_is_missing(self, etype, data, field):
        raw = make_event(etype, data)
        if field == 'employee':
            raw['employee'] = '   '
        exc = refused(errors.FieldMissing, contract.parse_event, raw)
        assert exc.params['field'] == field

    def test_deeply_nested_value_accepted_by_the_request_is_refused_not_a_crash(self):
        batch = None
        for depth in range(sys.getrecursionlimit(), 0, -10):
            # the deepest body parse_request accepts at this stack depth
            raw_body = ('{"sent_at": "%s", "events": [{"workorder_id": %s%s}]}'
                        % (SENT_AT, '[' * depth, ']' * depth)).encode()
            try:
                batch = contract.parse_request(raw_body, JSON)
                break
            except errors.MalformedBody as exc:
                assert 'nested' in exc.message
        assert batch is not None
        raw = make_event(workorder_id=batch.events[0]['workorder_id'])

        def deeper(frames):
            return contract.parse_event(raw) if not frames else deeper(frames - 1)

        with pytest.raises(errors.FieldInvalid):
            deeper(100)


# -- times -------------------------------------------------------------------------------------

class TestTimes:

    @pytest.mark.parametrize('text,expected', [
        ('2026-11-24T06:59:58.000Z', datetime(2026, 11, 24, 6, 59, 58)),
        ('2026-11-24T06:59:58Z', datetime(2026, 11, 24, 6, 59, 58)),
        ('2026-11-24T06:59:58.120z', datetime(2026, 11, 24, 6, 59, 58, 120000)),
        ('2026-11-24T06:59:58.123456Z', datetime(2026, 11, 24, 6, 59, 58, 123456)),
        ('2026-11-24T06:59:58+00:00', datetime(2026, 11, 24, 6, 59, 58)),
        ('2026-11-24T08:59:58.000+02:00', datetime(2026, 11, 24, 6, 59, 58)),
        ('2026-11-24T01:29:58-05:30', datetime(2026, 11, 24, 6, 59, 58)),
        ('2026-11-24T00:30:00+02:00', datetime(2026, 11, 23, 22, 30)),  # previous day in UTC
        ('2026-12-31T23:30:00-01:00', datetime(2027, 1, 1, 0, 30)),  # next year in UTC
        ('  2026-11-24T06:59:58Z  ', datetime(2026, 11, 24, 6, 59, 58)),
    ])
    def test_zoned_times_become_naive_utc(self, text, expected):
        moment = contract.parse_time(text, 'at')
        assert moment == expected
        assert moment.tzinfo is None

    @pytest.mark.parametrize('text', [
        '2026-11-24T06:59:58', '2026-11-24T06:59:58.000', '2026-11-24'])
    def test_time_without_zone_refused(self, text):
        exc = refused(errors.FieldInvalid, contract.parse_time, text, 'at')
        assert exc.params['field'] == 'at'
        assert 'zone' in exc.message

    @pytest.mark.parametrize('value', [
        '', 'Z', 'now', 'yesterday 10:00', '24/11/2026 06:59', '2026-13-01T00:00:00Z',
        '2026-11-31T00:00:00Z', '2026-11-24T24:00:01Z', '2026-11-24T06:59:58+02:00Z',
        '\ud800', '2026-11-24T06:61:00Z',
        None, 1764000000, 1764000000.5, True, [], {}, ['2026-11-24T06:59:58Z'],
    ])
    def test_garbage_refused(self, value):
        exc = refused(errors.FieldInvalid, contract.parse_time, value, 'sent_at')
        assert exc.params['field'] == 'sent_at'
        assert '"sent_at"' in exc.message

    @pytest.mark.parametrize('text', [
        '1999-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2200-01-01T00:00:00.001Z',
        '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '2000-01-01T01:00:00+02:00'])
    def test_out_of_range_refused(self, text):
        exc = refused(errors.FieldInvalid, contract.parse_time, text, 'at')
        assert 'range' in exc.message

    @pytest.mark.parametrize('text,expected', [
        ('2000-01-01T00:00:00Z', datetime(2000, 1, 1)),
        ('2200-01-01T00:00:00Z', datetime(2200, 1, 1)),
        ('2000-01-01T02:00:00+02:00', datetime(2000, 1, 1)),
    ])
    def test_range_bounds_accepted(self, text, expected):
        assert contract.parse_time(text, 'at') == expected

    @pytest.mark.parametrize('text', ['0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])
    def test_out_of_datetime_range_after_offset_refused(self, text):
        exc = refused(errors.FieldInvalid, contract.parse_time, text, 'at')
        assert 'range' in exc.message

    @pytest.mark.parametrize('moment,text', [
        (datetime(2026, 11, 24, 6, 59, 58), '2026-11-24T06:59:58.000Z'),
        (datetime(2026, 11, 24, 6, 59, 58, 120000), '2026-11-24T06:59:58.120Z'),
        (datetime(2026, 11, 24, 6, 59, 58, 7000), '2026-11-24T06:59:58.007Z'),
        (datetime(2026, 11, 24, 6, 59, 58, 999999), '2026-11-24T06:59:58.999Z'),  # truncated
        (datetime(2000, 1, 1), '2000-01-01T00:00:00.000Z'),
    ])
    def test_format_time_with_milliseconds(self, moment, text):
        assert contract.format_time(moment) == text

    @pytest.mark.parametrize('text', [
        '2026-11-24T06:59:58.000Z', '2026-11-24T06:59:58.120Z', '2026-11-24T06:59:58.007Z',
        '2000-01-01T00:00:00.000Z', '2199-12-31T23:59:59.999Z'])
    def test_round_trip_text(self, text):
        assert contract.format_time(contract.parse_time(text, 'at')) == text

    def test_round_trip_moments(self):
        moment = datetime(2026, 11, 24, 6, 0, 0, 1000)
        for step in range(500):
            moment = moment.replace(microsecond=(step * 7919 % 1000) * 1000)
            assert contract.parse_time(contract.format_time(moment), 'at') == moment

    def test_round_trip_with_offset(self):
        moment = contract.parse_time('2026-11-24T08:59:58.345+02:00', 'at')
        assert contract.format_time(moment) == '2026-11-24T06:59:58.345Z'
