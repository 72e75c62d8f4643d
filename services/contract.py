"""Terminal contract v1: parse and validate requests and events, without the ORM.

``parse_request`` judges the whole request (status 400/413/415 on failure); ``parse_event``
judges one event and returns an ``Event`` or raises a coded ``MesError``. Unknown extra fields
are ignored here (the raw JSON is kept by the caller).
"""
import json
from collections import namedtuple
from datetime import datetime, timezone

from . import errors

SUPPORTED_SCHEMAS = (1,)
MAX_EVENTS = 500
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_TEXT = 200

# Far beyond any id or quantity. CPython refuses int() of more than 4,300 digits, which would
# fail the whole request; such a number is kept as its digits and refused in its own field.
MAX_INT_DIGITS = 1000

Batch = namedtuple('Batch', 'sent_at events')
Event = namedtuple('Event', 'id seq type workorder_id employee at data')


def _need_qty(data, etype):
    return _number(data, 'qty', etype, positive=True)


# Per type: the data fields (name -> parser(data, type) returning the clean value).
def _opt_text(name):
    def parse(data, etype):
        value = data.get(name)
        if value is None or value == '':
            return None
        return _text(value, 'data.' + name)
    return parse


def _req_text(name):
    def parse(data, etype):
        if _blank(data.get(name)):
            raise errors.FieldMissing(field='data.' + name, type=etype)
        return _text(data[name], 'data.' + name)
    return parse


def _opt_int(name):
    def parse(data, etype):
        value = data.get(name)
        return None if value is None else _int(value, 'data.' + name)
    return parse


def _req_int(name):
    def parse(data, etype):
        if data.get(name) is None:
            raise errors.FieldMissing(field='data.' + name, type=etype)
        return _int(data[name], 'data.' + name)
    return parse


def _result(data, etype):
    value = data.get('result')
    if value is None:
        raise errors.FieldMissing(field='data.result', type=etype)
    if value not in ('pass', 'fail'):
        raise errors.FieldInvalid(field='data.result', problem='must be "pass" or "fail", not %r' % (value,))
    return value


def _opt_value(data, etype):
    if data.get('value') is None:
        return None
    return _number(data, 'value', etype, positive=False)


def _count(name, required):
    """A machine's count of cycles or parts: a whole number, at least 1 when required."""
    def parse(data, etype):
        value = data.get(name)
        if value is None:
            if required:
                raise errors.FieldMissing(field='data.' + name, type=etype)
            return None
        value = _int(value, 'data.' + name)
        if required and value < 1:
            raise errors.QtyNotPositive(qty=value)
        return value
    return parse


def _machine_state(data, etype):
    value = data.get('state')
    if value is None:
        raise errors.FieldMissing(field='data.state', type=etype)
    if value not in MACHINE_STATES:
        raise errors.FieldInvalid(field='data.state', problem='must be one of %s, not %s' % (
            ', '.join(MACHINE_STATES), _short(value)))
    return value


MACHINE_STATES = ('running', 'idle', 'down', 'setup')

EVENT_FIELDS = {
    'start': {},
    'stop': {},
    'produce': {'qty': _need_qty, 'lot': _opt_text('lot')},
    'scrap': {'qty': _need_qty, 'reason': _req_text('reason'), 'product_id': _opt_int('product_id')},
    'consume': {'product_id': _req_int('product_id'), 'qty': _need_qty, 'lot': _opt_text('lot')},
    'downtime_start': {'reason': _req_text('reason')},
    'downtime_end': {},
    'check': {'point_id': _req_int('point_id'), 'result': _result, 'value': _opt_value,
              'note': _opt_text('note')},
    'finish': {},
    # sent by a machine terminal (the MQTT bridge), never by a tablet; "employee" is the machine
    'machine_cycle': {'count': _count('count', True), 'good': _count('good', False),
                      'scrap': _count('scrap', False)},
    'machine_state': {'state': _machine_state, 'code': _opt_text('code')},
    # sent by a tablet: the operator's reason for a machine's unexplained stop ("stop" is the id
    # of the machine_state event that began it, as the work order's "machine" shows it)
    'machine_stop_reason': {'stop': _req_text('stop'), 'reason': _req_text('reason')},
    # sent by a tablet: the operator asks for maintenance of the work center's equipment; the
    # posting opens the maintenance.request (models/mes_maintenance_from_terminal.py)
    'maintenance_request': {'note': _req_text('note')},
    # sent by a tablet: the operator takes back their own produce or consume ("event" is its id)
    # within minutes of it; the fold judges whether it may (services/execution.py _undos)
    'undo': {'event': _req_text('event')},
}
EVENT_TYPES = tuple(EVENT_FIELDS)
MACHINE_TYPES = ('machine_cycle', 'machine_state')


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
    if not isinstance(etype, str) or etype not in EVENT_FIELDS:
        raise errors.TypeUnknown(type=_short(etype), known=', '.join(EVENT_TYPES))
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
    clean = {name: parser(data, etype) for name, parser in EVENT_FIELDS[etype].items()}
    if etype == 'machine_cycle' and (clean['good'] or 0) + (clean['scrap'] or 0) > clean['count']:
        raise errors.FieldInvalid(field='data', problem='counts more good and scrap parts (%s) than cycles (%s)' % (
            (clean['good'] or 0) + (clean['scrap'] or 0), clean['count']))
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
        raise errors.FieldInvalid(field=field, problem='must be an ISO 8601 time string such as "2026-11-24T06:59:58.000Z"')
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
    if abs(value) > 1e9:
        raise errors.FieldInvalid(field='data.' + name, problem='is out of range (%s)' % _short(value))
    if positive and value <= 0:
        raise errors.QtyNotPositive(qty=_short(value))
    return float(value)


def _int(value, field):
    if isinstance(value, OversizedNumber):
        raise errors.FieldInvalid(field=field, problem='is out of range (%s)' % value.describe())
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.FieldInvalid(field=field, problem='must be an integer, not %s' % _short(value))
    if not 0 <= value < 2 ** 31:
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


