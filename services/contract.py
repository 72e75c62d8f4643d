"""Terminal contract v1: parse and validate requests and events, without the ORM.

``parse_request`` judges the whole request (status 400/413/415 on failure); ``parse_event``
judges one event and returns an ``Event`` or raises a coded ``MesError``. Unknown extra fields
are ignored here (the raw JSON is kept by the caller).
"""
import json
from collections import namedtuple
from datetime import datetime, timezone

from . import errors, event_types

SUPPORTED_SCHEMAS = (1,)
MAX_EVENTS = 500
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_TEXT = event_types.MAX_TEXT

# Far beyond any id or quantity. CPython refuses int() of more than 4,300 digits, which would
# fail the whole request; such a number is kept as its digits and refused in its own field.
MAX_INT_DIGITS = 1000

Batch = namedtuple('Batch', 'sent_at events')
Event = namedtuple('Event', 'id seq type workorder_id employee at data')


def _quantity(field):
    def parse(data, etype):
        if data.get(field.name) is None and not field.required:
            return None
        return _number(data, field.name, etype, positive=True)
    return parse


def _number_field(field):
    def parse(data, etype):
        if data.get(field.name) is None and not field.required:
            return None
        return _number(data, field.name, etype, positive=False)
    return parse


def _text_field(field):
    name = 'data.' + field.name

    def parse(data, etype):
        value = data.get(field.name)
        if field.required and _blank(value):
            raise errors.FieldMissing(field=name, type=etype)
        if value is None or value == '':
            return None
        return _text(value, name)
    return parse


def _id_field(field):
    def parse(data, etype):
        value = data.get(field.name)
        if value is None:
            if field.required:
                raise errors.FieldMissing(field='data.' + field.name, type=etype)
            return None
        return _int(value, 'data.' + field.name)
    return parse


def _count_field(field):
    """A machine's count of cycles or parts: a whole number, at least 1 when required."""
    def parse(data, etype):
        value = _id_field(field)(data, etype)
        if field.required and value < 1:
            raise errors.QtyNotPositive(qty=value)
        return value
    return parse


def _choice_field(field):
    def parse(data, etype):
        value = data.get(field.name)
        if value is None:
            if field.required:
                raise errors.FieldMissing(field='data.' + field.name, type=etype)
            return None
        if value not in field.choices:   # a JSON list or object is never one of them
            raise errors.FieldInvalid(field='data.' + field.name, problem=_not_a_choice(field.choices, value))
        return value
    return parse


def _not_a_choice(choices, value):
    if len(choices) == 2:
        return 'must be "%s" or "%s", not %r' % (choices[0], choices[1], value)
    return 'must be one of %s, not %s' % (', '.join(choices), _short(value))


# A field's parser by its kind (services/event_types.KINDS): parser(data, type) -> the clean value.
PARSERS = {'quantity': _quantity, 'number': _number_field, 'text': _text_field, 'id': _id_field,
           'count': _count_field, 'choice': _choice_field}
_parsers = {}


def _field_parsers(described):
    """{field name: parser} of a description, made once per description."""
    if _parsers.get(described.name, (None,))[0] is not described:
        _parsers[described.name] = (described, [(f.name, PARSERS[f.kind](f)) for f in described.fields])
    return _parsers[described.name][1]


MACHINE_STATES = event_types.MACHINE_STATES
# The built-in types (services/event_types.py); the parser reads the descriptions themselves, so
# a type described later is parsed too.
EVENT_FIELDS = {name: event_types.TYPES[name].field_names() for name in event_types.TYPES}
EVENT_TYPES = tuple(EVENT_FIELDS)
MACHINE_TYPES = event_types.names(sent_by='machine')


def parse_request(body, content_type):
    """Judge a whole ``POST /mes/api/v1/events`` request; return a ``Batch``."""
    if len(body) > MAX_BODY_BYTES:
        raise errors.BodyTooLarge(size=len(body), limit=MAX_BODY_BYTES)
    if (content_type or '').split(';')[0].strip().lower() != 'application/json':
        raise errors.NotJson()
    try:
        payload = loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as exc:
        raise errors.MalformedBody(detail='not valid UTF-8 JSON (%s)' % exc)
    except RecursionError:
        raise errors.MalformedBody(detail='JSON nested too deeply')
    if not isinstance(payload, dict):
        raise errors.MalformedBody(detail='the body must be a JSON object with "sent_at" and "events"')
    if 'sent_at' not in payload:
        raise errors.MalformedBody(detail='"sent_at" is missing (the terminal clock when sending)')
    try:
        sent_at = parse_time(payload['sent_at'], 'sent_at')
    except errors.MesError as exc:
        raise errors.MalformedBody(detail=exc.message)
    events = payload.get('events')
    if not isinstance(events, list):
        raise errors.MalformedBody(detail='"events" must be a list of events')
    if len(events) > MAX_EVENTS:
        raise errors.TooManyEvents(limit=MAX_EVENTS, count=len(events))
    return Batch(sent_at, events)


class OversizedNumber(str):
    """A JSON integer too long to be a number here, kept as its digits (and stored so)."""

    def describe(self):
        return 'a number of %d digits' % len(self.lstrip('-'))


def _parse_int(text):
    return OversizedNumber(text) if len(text.lstrip('-')) > MAX_INT_DIGITS else int(text)


def loads(text):
    """``json.loads`` that never fails on a long integer (see ``MAX_INT_DIGITS``)."""
    return json.loads(text, parse_int=_parse_int)


def parse_event(raw):
    """Judge one event (a decoded JSON value); return an ``Event`` or raise ``MesError``."""
    if not isinstance(raw, dict):
        raise errors.FieldInvalid(field='event', problem='must be a JSON object')
    event_id = raw_event_id(raw)
    if event_id is None:
        raise errors.FieldMissing(field='id', type=_text_or(raw.get('type'), 'any'))
    schema = raw.get('schema')
    if schema is None:
        raise errors.FieldMissing(field='schema', type=_text_or(raw.get('type'), 'any'))
    if schema not in SUPPORTED_SCHEMAS or isinstance(schema, bool):
        raise errors.SchemaUnsupported(schema=_short(schema), supported=', '.join(map(str, SUPPORTED_SCHEMAS)))
    etype = raw.get('type')
    if etype is None:
        raise errors.FieldMissing(field='type', type='any')
    described = event_types.get(etype)
    if described is None:
        raise errors.TypeUnknown(type=_short(etype), known=', '.join(event_types.names()))
    seq = raw.get('seq')
    if seq is not None:
        seq = _int(seq, 'seq')
    if raw.get('workorder_id') is None:
        raise errors.FieldMissing(field='workorder_id', type=etype)
    workorder_id = _int(raw['workorder_id'], 'workorder_id')
    if _blank(raw.get('employee')):
        raise errors.FieldMissing(field='employee', type=etype)
    employee = _text(raw['employee'], 'employee')
    if raw.get('at') is None:
        raise errors.FieldMissing(field='at', type=etype)
    at = parse_time(raw['at'], 'at')
    data = raw.get('data', {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise errors.FieldInvalid(field='data', problem='must be a JSON object')
    clean = {name: parser(data, etype) for name, parser in _field_parsers(described)}
    if described.data_check:
        described.data_check(clean)
    return Event(event_id, seq, etype, workorder_id, employee, at, clean)


def raw_event_id(raw):
    """The event id if it is usable (a non-empty string of sane length), else None."""
    if not isinstance(raw, dict):
        return None
    value = raw.get('id')
    if isinstance(value, str) and 0 < len(value.strip()) <= 64 and storable(value):
        return value.strip()
    return None


def storable(text):
    """True when PostgreSQL can keep ``text`` as it is: no NUL, no lone UTF-16 surrogate."""
    if '\x00' in text:
        return False
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def parse_time(value, field):
    """ISO 8601 with a zone (``Z`` or ``+hh:mm``) -> naive UTC datetime, as Odoo stores it."""
    if not isinstance(value, str):
        raise errors.FieldInvalid(
            field=field, problem='must be an ISO 8601 time string such as "2026-11-24T06:59:58.000Z"')
    text = value.strip()
    if text.endswith(('Z', 'z')):
        text = text[:-1] + '+00:00'
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise errors.FieldInvalid(field=field, problem='is not an ISO 8601 time: %s' % _short(value))
    if moment.tzinfo is None:
        raise errors.FieldInvalid(field=field, problem='needs a time zone ("Z" for UTC): %s' % _short(value))
    try:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        raise errors.FieldInvalid(field=field, problem='is out of range: %s' % _short(value))
    if not datetime(2000, 1, 1) <= moment <= datetime(2200, 1, 1):
        raise errors.FieldInvalid(field=field, problem='is out of range: %s' % _short(value))
    return moment


def format_time(moment):
    """Naive UTC datetime -> ISO 8601 with milliseconds and ``Z``."""
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def _number(data, name, etype, positive):
    value = data.get(name)
    if value is None:
        raise errors.FieldMissing(field='data.' + name, type=etype)
    if isinstance(value, OversizedNumber):
        raise errors.FieldInvalid(field='data.' + name, problem='is out of range (%s)' % value.describe())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
            or value in (float('inf'), float('-inf')):
        raise errors.FieldInvalid(field='data.' + name, problem='must be a number, not %s' % _short(value))
    if abs(value) > event_types.MAX_NUMBER:
        raise errors.FieldInvalid(field='data.' + name, problem='is out of range (%s)' % _short(value))
    if positive and value <= 0:
        raise errors.QtyNotPositive(qty=_short(value))
    return float(value)


def _int(value, field):
    if isinstance(value, OversizedNumber):
        raise errors.FieldInvalid(field=field, problem='is out of range (%s)' % value.describe())
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.FieldInvalid(field=field, problem='must be an integer, not %s' % _short(value))
    if not 0 <= value <= event_types.MAX_ID:
        raise errors.FieldInvalid(field=field, problem='is out of range (%s)' % _short(value))
    return value


def _text(value, field):
    if not isinstance(value, str) or isinstance(value, OversizedNumber):
        raise errors.FieldInvalid(field=field, problem='must be a string, not %s' % _short(value))
    if len(value) > MAX_TEXT:
        raise errors.FieldInvalid(field=field, problem='is longer than %d characters' % MAX_TEXT)
    if not storable(value):
        raise errors.FieldInvalid(field=field, problem='contains a NUL character or invalid unicode')
    return value.strip()


def _text_or(value, default):
    return value if isinstance(value, str) and len(value) <= 40 else default


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _short(value):
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value)
        except (RecursionError, ValueError, TypeError):
            text = '<%s>' % type(value).__name__
    return text if len(text) <= 60 else text[:57] + '...'
