"""The error catalogue (services/errors.py): stable unique codes, useful messages, and every
refusal of the contract is a coded error."""
import re

import pytest

from services import contract, errors
from services.tests.support import DROP, body, make_event


def all_error_classes():
    found, todo = [], [errors.MesError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return found


CLASSES = all_error_classes()
PLACEHOLDER = re.compile(r'%\((\w+)\)s')


def test_catalogue_is_not_empty():
    assert len(CLASSES) >= 30
    # every error the module exposes is a MesError subclass it found
    exposed = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, errors.MesError)
               and v is not errors.MesError]
    assert set(exposed) == set(CLASSES)


def test_codes_are_unique_and_non_empty():
    codes = [cls.code for cls in CLASSES]
    assert all(isinstance(code, str) and code for code in codes)
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert errors.MesError.code not in codes
    assert len({cls.__name__ for cls in CLASSES}) == len(CLASSES)


def test_codes_are_snake_case():
    for cls in CLASSES:
        assert re.match(r'^[a-z][a-z0-9_]*$', cls.code), cls.code


@pytest.mark.parametrize('cls', CLASSES, ids=lambda cls: cls.code)
def test_every_template_formats_with_its_own_params(cls):
    names = PLACEHOLDER.findall(cls.template)
    params = {name: '<%s-value>' % name for name in names}
    exc = cls(**params)
    assert exc.message and exc.code == cls.code
    assert '%(' not in exc.message
    for value in params.values():
        assert value in exc.message
    assert str(exc) == exc.message
    assert exc.as_dict() == {'code': cls.code, 'message': exc.message}
    assert exc.params == params
    assert isinstance(exc.http_status, int) and 400 <= exc.http_status <= 599
    assert isinstance(exc, Exception)


def test_explicit_message_wins_over_template():
    exc = errors.NotFound('Work order 9 is gone.', what='x')
    assert exc.message == 'Work order 9 is gone.'
    assert exc.as_dict() == {'code': 'not_found', 'message': 'Work order 9 is gone.'}


def test_params_with_percent_signs_are_not_reformatted():
    exc = errors.MalformedBody(detail='100% wrong %(x)s')
    assert exc.message == 'The request body is not valid: 100% wrong %(x)s'


@pytest.mark.parametrize('cls,status', [
    (errors.NotJson, 415), (errors.MalformedBody, 400), (errors.TooManyEvents, 413),
    (errors.BodyTooLarge, 413), (errors.Unauthorized, 401), (errors.Forbidden, 403),
    (errors.NotFound, 404), (errors.ServiceUnavailable, 503), (errors.LoginFailed, 401),
    (errors.EmployeeLocked, 423),
])
def test_whole_request_statuses(cls, status):
    assert cls.http_status == status


def test_only_service_unavailable_is_retryable():
    assert [cls.code for cls in CLASSES if cls.retryable] == ['service_unavailable']


# Every way the contract refuses input raises a coded error with a message.
REQUEST_REFUSALS = [
    (b'{}', 'text/plain'),
    (b'{', 'application/json'),
    (b'[]', 'application/json'),
    (b'{"events": []}', 'application/json'),
    (b'{"sent_at": "x", "events": []}', 'application/json'),
    (b'{"sent_at": "2026-11-24T07:00:03Z"}', 'application/json'),
    (body({'sent_at': '2026-11-24T07:00:03Z', 'events': [{}] * 501}), 'application/json'),
    (b' ' * (contract.MAX_BODY_BYTES + 1), 'application/json'),
    (b'[' * 100000, 'application/json'),
]

EVENT_REFUSALS = [
    'not an object',
    make_event(id=DROP),
    make_event(schema=DROP),
    make_event(schema=2),
    make_event('pause'),
    make_event(type=DROP),
    make_event(seq='x'),
    make_event(workorder_id=DROP),
    make_event(workorder_id='17'),
    make_event(employee=DROP),
    make_event(employee='x' * 201),
    make_event(at=DROP),
    make_event(at='2026-11-24T06:59:58'),
    make_event(data=[]),
    make_event('produce', {}),
    make_event('produce', {'qty': 0}),
    make_event('produce', {'qty': float('nan')}),
    make_event('produce', {'qty': True}),
    make_event('scrap', {'qty': 1}),
    make_event('consume', {'qty': 1}),
    make_event('downtime_start', {'reason': 'J\x00M'}),
    make_event('check', {'point_id': 1, 'result': 'maybe'}),
]


def assert_coded(exc):
    assert isinstance(exc, errors.MesError)
    assert isinstance(exc.code, str) and exc.code and exc.code != errors.MesError.code
    assert isinstance(exc.message, str) and exc.message.strip()
    assert '%(' not in exc.message
    assert exc.as_dict()['code'] == exc.code


@pytest.mark.parametrize('raw,content_type', REQUEST_REFUSALS)
def test_request_refusals_are_coded(raw, content_type):
    with pytest.raises(errors.MesError) as info:
        contract.parse_request(raw, content_type)
    assert_coded(info.value)
    assert info.value.http_status in (400, 413, 415)


@pytest.mark.parametrize('raw', EVENT_REFUSALS)
def test_event_refusals_are_coded(raw):
    with pytest.raises(errors.MesError) as info:
        contract.parse_event(raw)
    assert_coded(info.value)
    assert info.value.http_status == 422


def test_event_refusal_codes_are_the_documented_ones():
    codes = set()
    for raw in EVENT_REFUSALS:
        try:
            contract.parse_event(raw)
        except errors.MesError as exc:
            codes.add(exc.code)
    assert codes == {'field_missing', 'field_invalid', 'schema_unsupported', 'type_unknown',
                     'qty_not_positive'}
