"""A work order's recorded state as JSON, without the ORM: the parts of an ``ExecutionState``
(services/execution.py) that Odoo's records follow, as ``mes.execution`` stores them. The
posting compares the recorded JSON before and after a fold and books the difference
(``deltas``)."""
import json
import math

from .closed_labor import interval_to_json
from .server_time import stamp
from .execution_machine import machine_to_json

QTY_DIGITS = 6      # a quantity moved when it differs at this many decimals


def state_to_json(state):
    """The parts of an ``ExecutionState`` that Odoo's records follow, as plain JSON."""
    return dict(_state_json(state), labor=[interval_to_json(i) for i in state.labor])


def state_text(state, labor_json):
    """The recorded state's JSON text as the record stage stores it: labor (``labor_json``, the
    intervals' JSON text in the order the walk closed them, then the open ones) first, then the
    rest of ``state`` (whose own labor is left out) with its keys sorted."""
    rest = json.dumps(_state_json(state), sort_keys=True)
    return '{"labor": ' + labor_json + ', ' + rest[1:]


def _state_json(state):
    """The state's parts but labor."""
    # maintenance requests only when there are any: the states recorded before keep their text
    return dict(_state_parts(state), **({'maintenance': list(state.maintenance)} if state.maintenance else {}))


def _state_parts(state):
    return {
        'down': [[_s(d.start), _s(d.end), d.reason, d.start_event, d.end_event] for d in state.down],
        'good': state.good,
        'good_by_lot': [[lot, qty] for lot, qty in state.good_by_lot],
        'scrap': [[reason, product, qty] for (reason, product), qty in state.scrap],
        'consumption': [[product, lot, qty] for (product, lot), qty in state.consumption],
        'checks': [c.event_id for c in state.checks],
        'finished_at': _s(state.finished_at),
        'finish_event': state.finish_event,
        'machine': machine_to_json(state.machine),   # the machine's own counts and stops, if any
    }


def _s(moment):
    """A recorded time: to the microsecond (Odoo's own datetimes keep the second)."""
    return stamp(moment)


def odoo_time(stamp):
    """A recorded time ('%Y-%m-%d %H:%M:%S.%f') as Odoo stores datetimes (to the second);
    False for none."""
    return stamp[:19] if stamp else False


def deltas(new_pairs, old_pairs):
    """{key: new - old} for the keys whose quantity moved; each of ``new_pairs`` and
    ``old_pairs`` is [(key, qty)] as the recorded JSON holds them (a list key read back from
    JSON is a tuple again), a key may repeat."""
    totals = {}
    for key, qty in new_pairs:
        key = tuple(key) if isinstance(key, list) else key
        totals[key] = totals.get(key, 0.0) + qty
    for key, qty in old_pairs:
        key = tuple(key) if isinstance(key, list) else key
        totals[key] = totals.get(key, 0.0) - qty
    return {key: qty for key, qty in totals.items() if _moved(qty)}


def _moved(qty):
    """Not zero at QTY_DIGITS decimals, judged as Odoo's ``float_compare(qty, 0.0,
    precision_digits=6)`` does: rounded half away from zero, then compared with the step."""
    step = 10 ** -QTY_DIGITS
    return not abs(_round_half_up(_round_half_up(qty, step), step)) < step


def _round_half_up(value, step):
    """Odoo's ``float_round(value, precision_rounding=step)``: an epsilon scaled to the value
    tips a tie its binary approximation left just below 0.5 away from zero."""
    if step == 0 or value == 0:
        return 0.0
    normalized = value / step
    normalized += math.copysign(2 ** (math.log(abs(normalized), 2) - 53), normalized)
    return _round_away(normalized) * step


def _round_away(number):
    """Python 2's round (a half away from zero), as Odoo 11 rounds under Python 3."""
    rounded = round(number)
    if round(number + 1) - rounded != 1:       # a tie, rounded to even
        return number + math.copysign(0.5, number)
    return math.copysign(rounded, number)
