"""What is kept of a raw event before it is judged (services/raw_event.py): its text, whatever it
holds, and the fields that make a refused event findable."""
import json
from datetime import timedelta

from services import errors, raw_event
from services.tests.support import make_event


class TestDump:

    def test_sorted_keys_and_characters_as_they_are(self):
        text = raw_event.dump({'b': 1, 'a': 'Müller'})
        assert text == '{"a": "Müller", "b": 1}'
        assert raw_event.dump({'a': 'Müller', 'b': 1}) == text      # the same content, the same text

    def test_what_postgresql_cannot_keep_is_escaped_not_lost(self):
        for value in ('a\x00b', 'x\ud800y'):
            text = raw_event.dump({'employee': value})
            assert '\x00' not in text and '\ud800' not in text
            assert json.loads(text) == {'employee': value}          # read back, it is the same

    def test_what_json_cannot_write_is_kept_as_its_repr(self):
        circular = {'data': []}
        circular['data'].append(circular)
        assert json.loads(raw_event.dump(circular)) == {'unstorable_event': "{'data': [{...}]}"}
        assert json.loads(raw_event.dump({'at': {1, 2}})) == {'unstorable_event': "{'at': {1, 2}}"}
        assert len(json.loads(raw_event.dump({'x': {'y' * 20000}}))['unstorable_event']) == 10000


class TestBestEffortFields:

    def test_a_valid_event(self):
        fields = raw_event.best_effort_fields(make_event(), timedelta(seconds=3))
        assert fields == {'type': 'start', 'seq': 41, 'workorder_ref': 17, 'employee_badge': 'B-0042',
                          'terminal_at': '2026-11-24 06:59:58', 'corrected_at': '2026-11-24 07:00:01'}

    def test_nothing_unusable_is_taken_and_nothing_raises(self):
        raw = make_event(type=7, seq=True, workorder_id=2 ** 31, employee='B-\x00', at='yesterday')
        assert raw_event.best_effort_fields(raw, timedelta(0)) == {}
        assert raw_event.best_effort_fields({'seq': -1, 'workorder_id': '17', 'at': None}, timedelta(0)) == {}

    def test_long_texts_are_cut_to_their_columns(self):
        fields = raw_event.best_effort_fields(make_event(etype='t' * 50, employee='b' * 70), timedelta(0))
        assert (len(fields['type']), len(fields['employee_badge'])) == (40, 64)


class TestParseAll:

    def test_each_event_parsed_or_refused_by_its_request_index(self):
        good, bad = make_event(), make_event(etype='teleport')
        parsed = raw_event.parse_all([good, bad])
        assert sorted(parsed) == [0, 1]
        assert (parsed[0].type, parsed[0].workorder_id) == ('start', 17)
        assert isinstance(parsed[1], errors.MesError) and parsed[1].code == 'type_unknown'
        assert sorted(raw_event.parse_all([bad, good], indexes=[7, 3])) == [3, 7]
        assert raw_event.parse_all([good, bad], indexes=[7, 3])[7].type == 'start'     # index of the same place


class TestStorableMessage:

    def test_a_message_quoting_what_cannot_be_stored_is_escaped(self):
        refused = raw_event.parse_all([make_event(etype='st\x00art'), make_event(etype='st\ud800art')])
        first, second = (raw_event.storable_message(refused[i]) for i in (0, 1))
        assert 'st\\x00art' in first and '\x00' not in first
        assert 'st\\ud800art' in second
        second.encode('utf-8')                                   # no lone surrogate left

    def test_an_ordinary_message_is_kept_as_it_is(self):
        refused = raw_event.parse_all([make_event(etype='teleport')])[0]
        assert raw_event.storable_message(refused) == refused.message
