"""Hypothesis strategies for hostile terminal input: any JSON value, unicode edge cases,
injection strings, events near and far from valid, and whole request bodies (bytes, sizes,
nesting, content types)."""
import json
import os
from datetime import datetime, timedelta

from hypothesis import strategies as st

from ...services import event_types
from ...services.contract import format_time as iso

# Whole run budget: `make fuzz` sets FUZZ_CASES=100000 (or more); `make test` runs a sample.
TOTAL = int(os.environ.get('FUZZ_CASES') or 4000)


def budget(name, share, minimum):
    value = os.environ.get(name)
    return int(value) if value else max(minimum, int(TOTAL * share))


INJECTIONS = [
    "'; DROP TABLE mes_event; --", "\" OR 1=1 --", "1; DELETE FROM hr_employee", "') OR ('a'='a",
    "%s%s%s", "%(id)s", "{0}{1}", "\\'; SELECT pg_sleep(5); --", "$$; COPY mes_event TO '/tmp/x'; $$",
    "<script>alert('xss')</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
    "javascript:alert(1)", "{{7*7}}", "${7*7}", "<t t-esc=\"1\"/>", "&lt;b&gt;", "../../etc/passwd",
]
UNICODE_EDGES = [
    '', ' ', '\t\n', '\u200b', '\u202e' + 'evil', '\ufeff', 'Ä' * 3, 'e\u0301', '\U0001f600',
    '\U0001f468\u200d\U0001f469',
    '\uffff', '\u2028', '\x7f', '\x1b[31m', 'ﷺ', 'İ', 'ß', '\u0660\u0661', 'x' * 201, 'x' * 64, 'x' * 65, '\\', '"',
]
NUL_AND_SURROGATES = ['\x00', 'a\x00b', '\ud800', '\udfff', 'x\udc80y']

# Characters: everything, including lone surrogates (JSON's "\ud800" decodes to one).
ALL_CHARS = st.characters(blacklist_categories=())
SAFE_CHARS = st.characters(blacklist_categories=('Cs',), blacklist_characters='\x00')


def texts(storable_only=False):
    chars = SAFE_CHARS if storable_only else ALL_CHARS
    edges = [t for t in UNICODE_EDGES]
    if not storable_only:
        edges += NUL_AND_SURROGATES
    return st.one_of(st.text(chars, max_size=30), st.sampled_from(INJECTIONS), st.sampled_from(edges),
                     # long strings around the 200-character limit, cheaply
                     st.tuples(st.sampled_from(['x', 'ä', '\U0001f600', '<', "'"]), st.integers(190, 260)).map(
                         lambda pair: pair[0] * pair[1]))


def numbers():
    return st.one_of(st.integers(), st.integers(-3, 3), st.integers(2 ** 31 - 2, 2 ** 31 + 2),
                     st.integers(-2 ** 63, 2 ** 64), st.floats(allow_nan=True, allow_infinity=True),
                     st.sampled_from([0, -0.0, 1e9, 1e9 + 1, 1e-300, 5e-324, 0.1]))


def json_values(storable_only=False, max_leaves=12):
    scalars = st.one_of(st.none(), st.booleans(), numbers(), texts(storable_only))
    return st.recursive(scalars, lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(texts(storable_only), children, max_size=4)),
        max_leaves=max_leaves)


def times(now=None, near_only=False):
    """ISO strings around now and at the edges, plus things that are not times."""
    now = now or datetime.utcnow()
    near = st.integers(-7 * 24 * 3600, 600).map(lambda s: iso(now + timedelta(seconds=s)))
    if near_only:
        return near
    return st.one_of(
        near, st.sampled_from(['2026-11-24T06:59:58.000Z', '2026-11-24T06:59:58+02:00', '2026-11-24T06:59:58',
                               '2026-13-01T00:00:00Z', '1999-12-31T23:59:59Z', '2200-01-01T00:00:01Z',
                               '2200-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'now', '', '2026-11-24',
                               '24/11/2026 07:00', '9999-12-31T23:59:59Z',
                               '2026-11-24T06:59:58.000000001Z', '2026-11-24T06:59:58.000z', ' 2026-11-24T06:59:58Z ']),
        texts(), numbers(), st.none(), st.booleans())


# Every described type (services/event_types.py), its data drawn from its fields' descriptions.
EVENT_TYPES = list(event_types.TYPES)
DATA_FIELDS = sorted({f.name for described in event_types.TYPES.values() for f in described.fields})
NAMED_TEXT = st.text(SAFE_CHARS, min_size=1, max_size=20).filter(str.strip)


def field_values(field, pools):
    """Valid values of a described field; what it names is drawn from ``pools`` (reason,
    product, quality_point: the codes and ids the caller's floor has, some unknown)."""
    if field.names in pools:
        return st.sampled_from(list(pools[field.names]))
    if field.kind == 'quantity':
        return st.sampled_from([1, 2, 0.5, 1.25])
    if field.kind == 'number':
        return st.one_of(st.sampled_from([0, -12.5, 3.25]), st.floats(-event_types.MAX_NUMBER, event_types.MAX_NUMBER))
    if field.kind == 'id':
        return st.integers(0, event_types.MAX_ID)
    if field.kind == 'count':
        return st.integers(1 if field.required else 0, 12)
    if field.kind == 'choice':
        return st.sampled_from(list(field.choices))
    if field.names == 'event':
        return st.uuids().map(lambda u: u.hex)
    return NAMED_TEXT if field.required else st.one_of(st.none(), NAMED_TEXT)


@st.composite
def event_data(draw, described, pools):
    """Valid data of a described type: its required fields, and some of the others."""
    data = {}
    for field in described.fields:
        if field.required or draw(st.booleans()):
            data[field.name] = draw(field_values(field, pools))
    return data


@st.composite
def events(draw, workorder_ids=(1,), badges=('B-ANNA',), reasons=('SCRAP',), products=(1,), points=(1,),
           storable_only=False, now=None, types=None):
    """An event that is valid, nearly valid (one or two fields broken) or garbage, of the
    described ``types`` (all by default)."""
    kind = draw(st.sampled_from(['valid', 'valid', 'mutated', 'mutated', 'mutated', 'garbage']))
    if kind == 'garbage':
        return draw(json_values(storable_only))
    etype = draw(st.sampled_from(list(types or EVENT_TYPES)))
    pools = {'reason': reasons, 'product': products, 'quality_point': points}
    data = draw(event_data(event_types.TYPES[etype], pools))
    event = {'schema': 1, 'id': draw(st.uuids()).hex, 'seq': draw(st.integers(1, 10 ** 6)),
             'type': etype, 'workorder_id': draw(st.sampled_from(list(workorder_ids))),
             'employee': draw(st.sampled_from(list(badges))), 'at': draw(times(now, near_only=True)), 'data': data}
    if kind == 'mutated':
        for _ in range(draw(st.integers(1, 2))):
            field = draw(st.sampled_from(['schema', 'id', 'seq', 'type', 'workorder_id', 'employee', 'at', 'data',
                                          'extra'] + ['data.' + name for name in DATA_FIELDS]))
            how = draw(st.sampled_from(['delete', 'value', 'injection', 'type']))
            target, key = (event.get('data'), field[5:]) if field.startswith('data.') else (event, field)
            if not isinstance(target, dict):
                continue
            if how == 'delete':
                target.pop(key, None)
            elif how == 'injection':
                target[key] = draw(st.sampled_from(INJECTIONS))
            elif how == 'type':
                target[key] = draw(st.one_of(st.lists(st.integers(), max_size=2),
                                             st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                                             st.booleans(), st.none(), numbers()))
            else:
                target[key] = draw(json_values(storable_only, max_leaves=3) if key != 'at' else times(now))
    return event


@st.composite
def bodies(draw, event_strategy, now=None, storable_only=False):
    """(body bytes, content type) of a POST to /mes/api/v1/events."""
    now = now or datetime.utcnow()
    content_type = draw(st.sampled_from(['application/json'] * 6 + [
        'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin-1', 'text/plain',
        'application/x-www-form-urlencoded', 'application/json-rpc', '', None, 'multipart/form-data; boundary=x']))
    shape = draw(st.sampled_from(['batch'] * 8 + ['bytes', 'json', 'deep', 'many', 'big', 'not_object']))
    if shape == 'bytes':
        return draw(st.binary(max_size=200)), content_type
    if shape == 'json':
        return json.dumps(draw(json_values(storable_only))).encode(), content_type
    if shape == 'deep':
        depth = draw(st.sampled_from([100, 500, 900, 950, 960, 990, 1000, 1500, 5000, 20000]))
        opener, closer = draw(st.sampled_from([('[', ']'), ('{"a":', '}')]))
        inner = opener * depth + '1' + closer * depth
        where = draw(st.sampled_from(['events', 'data', 'top']))
        if where == 'top':
            return inner.encode(), content_type
        if where == 'events':
            return ('{"sent_at": "%s", "events": %s}' % (iso(now), inner)).encode(), content_type
        return ('{"sent_at": "%s", "events": [{"schema": 1, "id": "deep-%s", "type": "start", "data": %s}]}'
                % (iso(now), draw(st.uuids()).hex, inner)).encode(), content_type
    if shape == 'many':
        count = draw(st.sampled_from([500, 501, 1000]))
        return json.dumps({'sent_at': iso(now), 'events': [{} for _ in range(count)]}).encode(), content_type
    if shape == 'big':
        size = draw(st.sampled_from([2 * 1024 * 1024 - 100, 2 * 1024 * 1024 + 1, 3 * 1024 * 1024]))
        return (b'{"sent_at": "%s", "events": [], "pad": "' % iso(now).encode()) + b'x' * size + b'"}', content_type
    if shape == 'not_object':
        return json.dumps(draw(st.lists(json_values(storable_only, 3), max_size=3))).encode(), content_type
    payload = {'sent_at': draw(st.one_of(st.just(iso(now)), st.just(iso(now)), times(now)))
               if not storable_only else iso(now), 'events': draw(st.lists(event_strategy, max_size=5))}
    if draw(st.booleans()):
        payload[draw(texts(storable_only))] = draw(json_values(storable_only, 3))   # unknown extra field
    if draw(st.integers(0, 9)) == 0:
        payload.pop(draw(st.sampled_from(['sent_at', 'events'])))
    ensure_ascii = draw(st.booleans())
    try:
        body = json.dumps(payload, ensure_ascii=ensure_ascii, allow_nan=True)
    except ValueError:
        body = json.dumps(payload)
    encoded = body.encode('utf-8', 'surrogatepass')
    return encoded, content_type
