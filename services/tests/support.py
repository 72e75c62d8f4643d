"""Shared builders for the plain tests (imported as ``services.tests.support``)."""
import json
from datetime import datetime, timedelta

DROP = object()
T0 = datetime(2026, 11, 24, 6, 0, 0)


def at(minutes):
    """T0 plus ``minutes`` (a naive UTC datetime)."""
    return T0 + timedelta(minutes=minutes)


def span(start, end):
    """An interval in minutes after T0; ``end`` None means still running."""
    return (at(start), None if end is None else at(end))


def make_event(etype='start', data=None, **overrides):
    """A valid raw schema-1 event (as decoded from JSON). ``overrides`` replace top-level
    fields, or remove them when given ``DROP``."""
    raw = {
        'schema': 1,
        'id': '0f8fad5b-d9cb-469f-a165-70867728950e',
        'seq': 41,
        'type': etype,
        'workorder_id': 17,
        'employee': 'B-0042',
        'at': '2026-11-24T06:59:58.000Z',
        'data': {} if data is None else data,
    }
    for key, value in overrides.items():
        if value is DROP:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


def body(payload):
    """A request body (bytes) for ``payload``."""
    return json.dumps(payload).encode('utf-8')
