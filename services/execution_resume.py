"""Walking on from where the last record left a work order, instead of from its first event.

A request folds the work orders its batch touches. Folding a work order's whole history each
time costs in proportion to that history (a long order slows every later batch); yet most
events arrive in true-time order, after everything already walked. ``snapshot`` keeps the walk's
own state (who is on the order, open downtime, quantities, closed intervals) with the true-time
key of the last event walked; ``resume`` walks only the new events from it.

It gives the state a full fold would, with one difference the caller handles: the result's
verdicts are those of the events walked now, plus the still-running starts judged again at the
end. An event that would not come after the last one walked, a supervisor's correction, or a
context other than the snapshot's (the plan or the limits changed) cannot be walked on from it:
``resume`` answers None and the caller folds the whole history (``snapshot_fold``). Time moving
on changes verdicts of waiting events only through a full fold (``mes.execution``'s expiry cron).
"""
import json
from typing import List, NamedTuple, Optional

from .closed_labor import ClosedLabor
from .execution import walk_all, _Walk
from .execution_machine import MachineWalk
from .execution_records import (APPLIED, CheckRecord, DownInterval, ExecutionEvent, ExecutionState, Verdict,
                                true_time_key)
# the recorded times of the snapshot, as the closed labor and the recorded state write them
from .server_time import moment as _d, stamp as _t

# 2: the closed labor intervals after the rest, as their own JSON text (services/closed_labor.py)
FORMAT = 2


class Walked(NamedTuple):
    """A walk's result: the state, the snapshot to walk on from, the starts still running and,
    walked for the record stage, the recorded state's JSON text (then the state leaves out
    labor and run time: ``_Walk.recorded``)."""
    state: ExecutionState
    snapshot: str
    running: List[str]
    text: Optional[str] = None


def snapshot_fold(events, context, record=False):
    """The ``Walked`` of a full fold of ``events``."""
    walk = walk_all(events, context)
    return _walked(walk, sorted({e.corrects for e in events if e.corrects}), record)


def running_ids(walk):
    """The starts still running at the end of ``walk``: a walk on from its snapshot judges
    them again at its own end, so the caller reads them with the new events."""
    return sorted(event.id for event in walk.running.values())


def load(snapshot):
    """A stored snapshot's text read back (None for none, or one of another format). The closed
    labor stays text (``labor_json``)."""
    if not snapshot:
        return None
    head, _newline, labor = snapshot.partition('\n')
    saved = json.loads(head)
    if not saved or saved.get('format') != FORMAT:
        return None
    saved['labor_json'] = labor or '[]'
    return saved


def resume(saved, events, context, record=False):
    """The ``Walked`` after walking the new ``events`` on from the ``load``-ed snapshot; None
    when they cannot be walked on from it."""
    if isinstance(saved, str):
        saved = load(saved)
    if not saved or not events:
        return None
    if saved['context'] != _fingerprint(context):
        return None
    ordered = sorted(events, key=true_time_key)
    last = _load_key(saved['last_key'])
    if last is not None and not true_time_key(ordered[0]) > last:
        return None
    if any(event.corrects or event.id in saved['corrected'] for event in ordered) \
            or len({e.id for e in ordered}) != len(ordered):
        return None
    walk = _load(saved, context)
    for event in ordered:
        walk.step(event)
    walk.last_key = true_time_key(ordered[-1])
    return _walked(walk, saved['corrected'], record)


def _walked(walk, corrected, record):
    state, text = walk.recorded() if record else (walk.state(), None)
    return Walked(state, _dump(walk, corrected), running_ids(walk), text)


def _fingerprint(context):
    """What the walk judges with, besides the events and now: the same fingerprint, the same walk."""
    return [context.planned_qty, context.product_id, sorted([int(k), v] for k, v in context.component_needs.items()),
            context.quantity_tolerance, context.max_interval.total_seconds(), context.max_age.total_seconds(),
            context.partner_wait.total_seconds(), context.future_tolerance.total_seconds(),
            context.machine_stop_threshold.total_seconds()]


# -- the walk as JSON ------------------------------------------------------------------------

def _dump(walk, corrected):
    # JSON, then a line of the closed labor's own JSON text: read back, it stays text (``load``)
    return json.dumps({
        'format': FORMAT,
        'corrected': corrected,   # events a correction replaces: arriving late, they need a full fold
        'context': _fingerprint(walk.context),
        'last_key': _dump_key(walk.last_key),
        'running': [_dump_event(e) for _employee, e in sorted(walk.running.items())],
        'held_starts': [_dump_event(e) for _employee, e in sorted(walk.held_starts.items())],
        'closed_at_finish': sorted(walk.closed_at_finish),
        'down_open': _dump_event(walk.down_open),
        'down_held': _dump_event(walk.down_held),
        'downs': [[_t(d.start), _t(d.end), d.reason, d.start_event, d.end_event] for d in walk.downs],
        'good': walk.good,
        'good_by_lot': [[lot, qty] for lot, qty in walk.good_by_lot.items()],
        'scrap': [[reason, product, qty] for (reason, product), qty in walk.scrap.items()],
        'consumed': [[product, lot, qty] for (product, lot), qty in walk.consumed.items()],
        'checks': [[c.event_id, _t(c.at), c.employee, c.point_id, c.result, c.value, c.note] for c in walk.checks],
        'finish': _dump_event(walk.finish),
        'machine': walk.machine.dump(),
        'maintenance': walk.maintenance,
    }, sort_keys=True) + '\n' + walk.labor.to_json()


def _load(saved, context):
    walk = _Walk(context)
    walk.running = {e.employee: e for e in map(_load_event, saved['running'])}
    # A running start was applied when walked; a hold at the end of an earlier walk (running
    # too long by then) is judged again at the end of this one, as a full fold would.
    for start in walk.running.values():
        walk.verdicts[start.id] = Verdict(APPLIED)
    walk.held_starts = {e.employee: e for e in map(_load_event, saved['held_starts'])}
    walk.closed_at_finish = set(saved['closed_at_finish'])
    walk.labor = ClosedLabor(saved['labor_json'])
    walk.down_open = _load_event(saved['down_open'])
    walk.down_held = _load_event(saved['down_held'])
    walk.downs = [DownInterval(_d(start), _d(end), reason, s_id, e_id)
                  for start, end, reason, s_id, e_id in saved['downs']]
    walk.good = saved['good']
    walk.good_by_lot = {lot: qty for lot, qty in saved['good_by_lot']}
    walk.scrap = {(reason, product): qty for reason, product, qty in saved['scrap']}
    walk.consumed = {(product, lot): qty for product, lot, qty in saved['consumed']}
    walk.checks = [CheckRecord(e_id, _d(at), emp, point, result, value, note)
                   for e_id, at, emp, point, result, value, note in saved['checks']]
    walk.finish = _load_event(saved['finish'])
    walk.machine = MachineWalk.load(saved.get('machine'), context.machine_stop_threshold)
    walk.maintenance = list(saved.get('maintenance', []))
    return walk


def _dump_event(event):
    if event is None:
        return None
    return [event.id, event.terminal, event.seq, event.type, _t(event.at), _t(event.received_at), event.employee,
            dict(event.data), event.corrects]


def _load_event(saved):
    if saved is None:
        return None
    event_id, terminal, seq, etype, at, received_at, employee, data, corrects = saved
    return ExecutionEvent(id=event_id, terminal=terminal, seq=seq, type=etype, at=_d(at), received_at=_d(received_at),
                          employee=employee, data=data, corrects=corrects)


def _dump_key(key):
    if key is None:
        return None
    at, terminal, no_seq, seq, event_id = key
    return [_t(at), terminal, no_seq, seq, event_id]


def _load_key(saved):
    if saved is None:
        return None
    at, terminal, no_seq, seq, event_id = saved
    return (_d(at), terminal, no_seq, seq, event_id)
