"""What a machine says about a work order: its cycles, its counts, its unexplained stops.

The machine part of the execution fold (``services/execution.py`` walks ``machine_cycle`` and
``machine_state`` events into a ``MachineWalk`` in true-time order). Pure, like the fold.

- Cycles and the machine's good and scrap counts are summed per event (each event carries the
  cycles since the machine's previous report; a repeated event id is one event). They are kept
  apart from the operators' reports: the state shows both, side by side, never summed.
  Good or scrap is None when the machine never reported it (a counter of cycles only).
- A machine ``down`` or ``idle`` for longer than the threshold is an **unexplained stop**: it
  opens when the machine left ``running`` (or ``setup``) and closes at the next ``running`` or
  ``setup``; a shorter pause is a micro-stop (performance, not availability) and leaves no stop.
  A stop still open counts once it has lasted the threshold by ``now``. The threshold is the
  company's setting (``ExecutionContext.machine_stop_threshold``).
- The operator classifies a stop with a downtime reason (a ``machine_stop_reason`` event naming
  the ``machine_state`` event that began it); the first classification in true time counts. A
  classified stop is downtime like the operators' (the fold adds it to the state's ``down``, so
  Odoo's downtime records and OEE carry it); an unclassified one books nothing. A stop that
  overlaps a downtime an operator reported is explained by it (its reason, nothing booked twice,
  nobody asked); a stop classified first books only the minutes no operator's downtime covers
  (``uncovered``); an operator's ``downtime_end`` while a classified stop is open is applied and
  ends nothing (the machine's own ``running`` closes the stop).
"""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Optional, Tuple

from . import ordering
from .contract import format_time
# the recorded times of a machine's walk, as the fold's state and snapshot write them
from .server_time import moment as _d, stamp as _t

STOP_THRESHOLD = timedelta(minutes=2)
STOPPED = ('down', 'idle')


@dataclass(frozen=True)
class MachineStop:
    start: datetime
    end: Optional[datetime]       # None: the machine has not run again yet
    state: str                    # 'down' if the machine said down during the stop, else 'idle'
    code: Optional[str]           # the first fault code the machine gave
    start_event: str
    end_event: Optional[str]
    reason: Optional[str] = None  # the downtime reason code the operator gave, once classified
    reason_event: Optional[str] = None


@dataclass(frozen=True)
class MachineRecord:
    """The machine's side of a work order (empty when no machine reported on it)."""
    cycles: int = 0
    good: Optional[int] = None
    scrap: Optional[int] = None
    state: Optional[str] = None           # the last state the machine gave
    state_since: Optional[datetime] = None
    last_cycle_at: Optional[datetime] = None
    stops: Tuple[MachineStop, ...] = ()
    # the stop open at the end of the walk, lasted the threshold or not yet: a screen read later
    # judges it against the threshold at its own now (a machine idle sends nothing more)
    open_stop: Optional[MachineStop] = None


class MachineWalk:
    """The machine part of one walk; ``cycle`` and ``state`` take events in true-time order."""

    def __init__(self, threshold=STOP_THRESHOLD):
        self.threshold = threshold
        self.cycles, self.good, self.scrap = 0, None, None
        self.last_cycle_at = None
        self.state, self.state_since = None, None
        self.stop_open = None      # [start, state, code, start event] while down or idle
        self.stops = []
        self.reasons = {}          # start event of a stop -> (reason code, the classifying event)

    def cycle(self, event):
        data = event.data
        self.cycles += data['count']
        if data.get('good') is not None:
            self.good = (self.good or 0) + data['good']
        if data.get('scrap') is not None:
            self.scrap = (self.scrap or 0) + data['scrap']
        self.last_cycle_at = event.at

    def change(self, event):
        state = event.data['state']
        if state in STOPPED:
            if self.stop_open is None:
                self.stop_open = [event.at, state, event.data.get('code'), event.id]
            else:
                self._worsen(state, event.data.get('code'))
        else:
            self.close(event.at, event.id)
        if state != self.state:
            self.state, self.state_since = state, event.at

    def _worsen(self, state, code):
        if state == 'down':
            self.stop_open[1] = 'down'
        if self.stop_open[2] is None:
            self.stop_open[2] = code

    def close(self, at, event_id):
        """The machine runs again (or the order finished) at ``at``."""
        if self.stop_open is not None:
            start, state, code, start_id = self.stop_open
            self.stop_open = None
            if at - start > self.threshold:
                self.stops.append(MachineStop(start, at, state, code, start_id, event_id))

    def stop_start(self, stop_id):
        """When the stop begun by event ``stop_id`` began (None: no such stop so far)."""
        if self.stop_open is not None and self.stop_open[3] == stop_id:
            return self.stop_open[0]
        return next((s.start for s in self.stops if s.start_event == stop_id), None)

    def classified(self, stop_id):
        """(reason code, classifying event) of the stop, or None."""
        return self.reasons.get(stop_id)

    def classify(self, stop_id, reason, event_id):
        self.reasons[stop_id] = (reason, event_id)

    def classified_stop_open(self):
        """True while the machine's open stop has the operator's reason."""
        return self.stop_open is not None and self.stop_open[3] in self.reasons

    def record(self, now):
        stops = list(self.stops)
        if self.stop_open is not None and now - self.stop_open[0] > self.threshold:
            start, state, code, start_id = self.stop_open
            stops.append(MachineStop(start, None, state, code, start_id, None))
        open_stop = None
        if self.stop_open is not None:
            start, state, code, start_id = self.stop_open
            open_stop = self._reasoned(MachineStop(start, None, state, code, start_id, None))
        return MachineRecord(self.cycles, self.good, self.scrap, self.state, self.state_since,
                             self.last_cycle_at, tuple(map(self._reasoned, stops)), open_stop)

    def _reasoned(self, stop):
        if stop.start_event not in self.reasons:
            return stop
        reason, by = self.reasons[stop.start_event]
        return replace(stop, reason=reason, reason_event=by)

    # -- the snapshot a walk resumes from (services/execution_resume.py) -------------------------
    def dump(self):
        return {'cycles': self.cycles, 'good': self.good, 'scrap': self.scrap, 'last_cycle_at': _t(self.last_cycle_at),
                'state': self.state, 'state_since': _t(self.state_since),
                'stop_open': self.stop_open and [_t(self.stop_open[0])] + self.stop_open[1:],
                'stops': [[_t(s.start), _t(s.end), s.state, s.code, s.start_event, s.end_event] for s in self.stops],
                'reasons': sorted([stop, reason, by] for stop, (reason, by) in self.reasons.items())}

    @classmethod
    def load(cls, saved, threshold=STOP_THRESHOLD):
        walk = cls(threshold)
        if not saved:
            return walk
        walk.cycles, walk.good, walk.scrap = saved['cycles'], saved['good'], saved['scrap']
        walk.last_cycle_at = _d(saved['last_cycle_at'])
        walk.state, walk.state_since = saved['state'], _d(saved['state_since'])
        walk.stop_open = saved['stop_open'] and [_d(saved['stop_open'][0])] + saved['stop_open'][1:]
        walk.stops = [MachineStop(_d(start), _d(end), state, code, s_id, e_id)
                      for start, end, state, code, s_id, e_id in saved['stops']]
        walk.reasons = {stop: (reason, by) for stop, reason, by in saved.get('reasons', [])}
        return walk


def explained_by(record, downs, now):
    """``record`` with each stop not classified yet that overlaps a downtime the operators
    reported (``DownInterval``s) explained by it: that downtime's reason and start event. Such a
    stop is not asked about and books nothing of its own (the operators' downtime does)."""
    def explain(stop):
        if stop is None or stop.reason:
            return stop
        for down in downs:
            if down.start < (stop.end or now) and stop.start < (down.end or now):
                return replace(stop, reason=down.reason, reason_event=down.start_event)
        return stop
    if not downs or not (record.stops or record.open_stop):
        return record
    return replace(record, stops=tuple(map(explain, record.stops)), open_stop=explain(record.open_stop))


def uncovered(stop, downs):
    """The parts of a classified ``stop`` that no downtime of ``downs`` (the operators') covers,
    as ``(start, end, start event, end event)``: a classified stop and an operator's downtime
    over the same minutes book them once, as the operator's. A part that begins at the stop
    keeps the stop's start event; one that begins where an operator's downtime ends is named
    by that downtime's end event, so that each booked part has an event of its own."""
    holes = [(down.start, down.end) for down in downs]
    parts = []
    for start, end in ordering.subtract([(stop.start, stop.end)], holes):
        after = next((d for d in downs if d.end == start and d.end_event), None)
        before = next((d for d in downs if d.start == end), None)
        parts.append((start, end, stop.start_event if start == stop.start or after is None else after.end_event,
                      stop.end_event if end == stop.end or before is None else before.start_event))
    return parts


def machine_to_json(record):
    """The machine's side as the work order's recorded JSON shows it (None: no machine)."""
    if record is None or record == MachineRecord():
        return None
    return {'cycles': record.cycles, 'good': record.good, 'scrap': record.scrap, 'state': record.state,
            'state_since': _t(record.state_since), 'last_cycle_at': _t(record.last_cycle_at),
            'stops': [_stop_json(s) for s in record.stops],
            'open_stop': _stop_json(record.open_stop) if record.open_stop else None}


def _stop_json(stop):
    return {'start': _t(stop.start), 'end': _t(stop.end), 'state': stop.state, 'code': stop.code,
            'start_event': stop.start_event, 'end_event': stop.end_event, 'reason': stop.reason,
            'reason_event': stop.reason_event}


def stops_to_classify(machine, now, threshold=STOP_THRESHOLD):
    """The stops of a work order's recorded machine JSON (``machine_to_json``) the operator is
    asked to classify, newest first: the stop open now once it has lasted ``threshold`` by
    ``now`` (the recorded state was folded earlier), then the closed ones without a reason."""
    if not machine:
        return []
    found = {}
    for stop in machine.get('stops') or []:
        if not stop.get('reason'):
            found[stop['start_event']] = stop
    current = machine.get('open_stop')
    if current and not current.get('reason') and now - _d(current['start']) > threshold:
        found[current['start_event']] = current
    ordered = sorted(found.values(), key=lambda s: (s['end'] is None, s['start']), reverse=True)
    return [{'stop': s['start_event'], 'since': _iso(s['start']), 'until': _iso(s['end']), 'state': s['state'],
             'code': s['code']} for s in ordered]


def _iso(text):
    """A recorded time as the terminal contract writes times."""
    return format_time(_d(text)) if text else None
