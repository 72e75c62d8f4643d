"""A raw event on its way in, without the ORM: its text as stored (never lost, whatever it
holds), the fields that make even a refused event findable, the batch parsed (each event or the
error refusing it) and a refusal's message as it can be stored."""
import json

from . import contract, errors, ordering, server_time


def dump(raw):
    """The raw event as stored text: JSON with sorted keys, \\u-escaped where PostgreSQL cannot
    keep a character, a ``repr`` when JSON cannot write it at all."""
    try:
        text = json.dumps(raw, ensure_ascii=False, sort_keys=True)
        # NUL and lone surrogates cannot be stored as text: keep them \u-escaped instead
        return text if contract.storable(text) else json.dumps(raw, ensure_ascii=True, sort_keys=True)
    except (RecursionError, ValueError, TypeError):
        # deeper than json can write back: keep what can be kept, never lose the event
        return json.dumps({'unstorable_event': repr(raw)[:10000]})


def best_effort_fields(raw, offset):
    """What can be read from a raw event (a dict) before judging it, so that even a rejected
    event is findable by type, work order and time; ``offset`` is the terminal's clock offset
    (a timedelta). Nothing here may raise."""
    values = {}
    if isinstance(raw.get('type'), str) and contract.storable(raw['type']):
        values['type'] = raw['type'][:40]
    seq = raw.get('seq')
    if isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq < 2 ** 31:
        values['seq'] = seq
    wo = raw.get('workorder_id')
    if isinstance(wo, int) and not isinstance(wo, bool) and 0 <= wo < 2 ** 31:
        values['workorder_ref'] = wo
    if isinstance(raw.get('employee'), str) and contract.storable(raw['employee']):
        values['employee_badge'] = raw['employee'][:64]
    try:
        at = contract.parse_time(raw.get('at'), 'at')
        values['terminal_at'] = server_time.text(at)
        values['corrected_at'] = server_time.text(ordering.corrected_time(at, offset))
    except errors.MesError:
        pass
    return values


def parse_all(raw_events, indexes=None):
    """{request index: the parsed event, or the MesError that refuses it}; ``indexes``: the
    request indexes of ``raw_events`` (default 0, 1, ...)."""
    parsed = {}
    for index, raw in zip(indexes if indexes is not None else range(len(raw_events)), raw_events):
        try:
            parsed[index] = contract.parse_event(raw)
        except errors.MesError as exc:
            parsed[index] = exc
    return parsed


def storable_message(exc):
    """A refusal's message as PostgreSQL can store it: a NUL or a lone surrogate (quoted from
    what the terminal sent) written as its escape."""
    message = exc.message
    if not contract.storable(message):
        message = message.encode('utf-8', 'backslashreplace').decode('utf-8').replace('\x00', '\\x00')
    return message
