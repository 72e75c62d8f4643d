"""A login request's JSON object (services/json_body.py): the content type, UTF-8 JSON, an
object; each refusal with the contract's code and HTTP status."""
import pytest

from services import errors
from services.json_body import json_object

SHAPE = '{"badge": ...}'


def refusal(body, content_type='application/json'):
    with pytest.raises(errors.MesError) as caught:
        json_object(body, content_type, SHAPE)
    return caught.value


def test_an_object_is_read():
    assert json_object(b'{"badge": "B-0042"}', 'application/json', SHAPE) == {'badge': 'B-0042'}
    assert json_object('{"badge": "Jürgen"}'.encode('utf-8'), 'Application/JSON; charset=utf-8', SHAPE) == {
        'badge': 'Jürgen'}
    assert json_object(b'{"n": 123456789012345678901234567890}', 'application/json', SHAPE)['n'] > 0


def test_only_json_is_read():
    for content_type in ('text/plain', 'application/x-www-form-urlencoded', '', None):
        exc = refusal(b'{"badge": "B-0042"}', content_type)
        assert (exc.code, exc.http_status) == ('not_json', 415)


def test_what_is_not_utf8_json_is_malformed():
    for body in (b'{"badge": ', b'\xff\xfe{}', b'{"badge": NaN', b'[' * 100000 + b']' * 100000):
        exc = refusal(body)
        assert (exc.code, exc.http_status) == ('malformed_body', 400)
        assert 'not valid UTF-8 JSON' in exc.message


def test_anything_but_an_object_says_what_to_send():
    for body in (b'[]', b'"B-0042"', b'null', b'42'):
        exc = refusal(body)
        assert exc.code == 'malformed_body' and exc.message.endswith('send {"badge": ...}')
