"""The execution state of one work order: a pure function of its events in true-time order.

``fold(events, context)`` sorts the work order's events by true time (corrected ``at``, then
terminal and ``seq``, then id), drops repeated ids, and walks them once. Any delivery order,
batching or duplication of the same events therefore gives the same ``ExecutionState``; the
ORM stores events and calls this, it judges nothing about order itself.

Each event gets one ``Verdict``:
- ``applied``: valid in true-time order, counted in the state;
- ``waiting``: a partner that would make it valid may still be on its way (a stop or
  downtime end with no start before it, a start while the operator is still on the order);
  it counts nothing, and becomes ``dead`` once ``context.partner_wait`` has passed since its
  receipt;
- ``held``: implausible (quantity far above the need, an interval longer than a shift, dated
  long before its receipt): counts nothing until a supervisor approves it
  (``context.approved``) or replaces it with a correction;
- ``dead``: history makes it impossible; ``by`` names the event that made it so, if one did;
- ``superseded``: a supervisor's correction (an event whose ``corrects`` names it) replaces it,
  or the operator took it back: a tablet's ``undo`` (see ``_undos``) counts like a correction
  when it is allowed, and is refused (``dead``, ``undo_*``) when not, the target standing.

What needs the ORM (unknown work order, employee or reason, terminal bindings, the quality
gate) is judged by the caller before the fold; those events are not passed in. The records the
fold reads and returns are in ``execution_records``; the split of one person's time across
orders running at once is ``execution_split``.
"""
from datetime import datetime, timedelta

from . import errors, event_types, ordering
from .closed_labor import ClosedLabor
from .execution_machine import MachineWalk, explained_by, uncovered
from .recorded_state import state_text
from .execution_records import (APPLIED, DEAD, HELD, SUPERSEDED, WAITING, CheckRecord, DownInterval,
                                ExecutionContext, ExecutionEvent, ExecutionState, LaborInterval,
                                Verdict, true_time_key)

__all__ = ['fold', 'true_time_key', 'ExecutionEvent', 'ExecutionContext', 'ExecutionState', 'Verdict',
           'LaborInterval', 'DownInterval', 'CheckRecord', 'APPLIED', 'WAITING', 'HELD', 'DEAD', 'SUPERSEDED']

EARLIEST = datetime(2000, 1, 1)
TOLERANCE_EPSILON = 1e-9

# How long after an entry its operator may take it back from the tablet ("Undo"); which types
# may be taken back is their description's (``undoable``: what a posting reverses, good parts
# and components used; a negative scrap would block the posting).
UNDO_WINDOW = timedelta(minutes=2)

# The fold's steps by name: an event type's description names its step (services/event_types.py
# ``fold_step``, its own name by default). A step is called with the walk and the event, once
# the rules its description flags and the times are judged.
FOLD_STEPS = {}


def fold_step(name):
    """Register a step of the walk under ``name`` (a decorator)."""
    def register(step):
        if name in FOLD_STEPS:
            raise ValueError('fold step %s is registered already' % name)
        FOLD_STEPS[name] = step
        return step
    return register


# -- the fold ----------------------------------------------------------------------------------

def fold(events, context):
    """The ``ExecutionState`` of one work order from its events (any order, repeats allowed)."""
    return walk_all(events, context).state()


def walk_all(events, context):
    """The walk over all of one work order's events, before its result is read
    (``execution_resume`` keeps it to walk on from)."""
    ordered = _distinct(sorted(events, key=true_time_key))
    undo_refusals = _undos(ordered)
    replaced_by = {}
    for event in ordered:
        if event.corrects and (event.type != 'undo' or undo_refusals[event.id] is None):
            replaced_by.setdefault(event.corrects, event.id)
    walk = _Walk(context)
    walk.undo_refusals = undo_refusals
    for event in ordered:
        if event.id in replaced_by:
            walk.supersede(event, replaced_by[event.id])
        else:
            walk.step(event)
    walk.last_key = true_time_key(ordered[-1]) if ordered else None
    return walk


def _undos(ordered):
    """{undo event id: None when it takes its target back, else (error, by, params)}. Judged on
    the pair alone (not on the walk), so that the target is superseded before it is walked: the
    target is on this order, a produce or consume, sent by the same operator from the same
    terminal, at most ``UNDO_WINDOW`` before the undo, not yet taken back, and the order not
    finished before the undo."""
    by_id = {event.id: event for event in ordered}
    finished_at, taken, refusals = None, {}, {}
    for event in ordered:
        if event.type == 'finish' and finished_at is None:
            finished_at = event
        if event.type != 'undo':
            continue
        target = by_id.get(event.corrects)
        refusals[event.id] = refusal = _undo_refusal(event, target, finished_at, taken)
        if refusal is None:
            taken[target.id] = event.id
    return refusals


def _undo_refusal(undo, target, finish, taken):
    if target is None:
        return errors.UndoTargetUnknown, None, dict(entry=undo.corrects or '')
    if not event_types.TYPES[target.type].undoable:
        return errors.UndoNotAQuantity, target.id, dict(entry=target.id, type=target.type)
    if (target.employee, target.terminal) != (undo.employee, undo.terminal):
        return errors.UndoOtherSender, target.id, dict(entry=target.id)
    if not timedelta(0) <= undo.at - target.at <= UNDO_WINDOW:
        return errors.UndoTooLate, target.id, dict(entry=target.id, at=_stamp(target.at),
                                                  minutes=int(UNDO_WINDOW.total_seconds() // 60))
    if target.id in taken:
        return errors.UndoRepeated, taken[target.id], dict(entry=target.id, taken_by=taken[target.id])
    if finish is not None:
        return errors.WorkorderFinished, finish.id, dict(finished=_stamp(finish.at), type=undo.type,
                                                        at=_stamp(undo.at))
    return None


def _distinct(ordered):
    """One event per id (the store keeps one row per id; the first in true time wins)."""
    seen, distinct = set(), []
    for event in ordered:
        if event.id not in seen:
            seen.add(event.id)
            distinct.append(event)
    return distinct


class _Walk:
    """The state while walking the events in true-time order; one step per event type (``@fold_step``)."""

    def __init__(self, context):
        self.context = context
        self.verdicts = {}
        self.running = {}          # employee -> its start, while on the order
        self.held_starts = {}      # employee -> a held start whose stop is held with it
        self.closed_at_finish = set()   # employees whose time the finish closed
        self.labor = ClosedLabor()   # closed intervals, in the order they closed
        self.down_open = None      # the downtime_start of the downtime running now
        self.down_held = None
        self.downs = []
        self.good = 0.0
        self.good_by_lot = {}
        self.scrap = {}
        self.consumed = {}
        self.checks = []
        self.maintenance = []      # maintenance_request event ids, in true time
        self.finish = None
        self.machine = MachineWalk(context.machine_stop_threshold)   # what the machine reports
        self.last_key = None       # the true-time key of the last event walked
        self.undo_refusals = {}    # undo id -> None (allowed) or why not (``_undos``)

    # -- verdicts ----------------------------------------------------------------------------
    def judge(self, event, verdict):
        self.verdicts[event.id] = verdict

    def apply(self, event):
        self.judge(event, Verdict(APPLIED))

    def refuse(self, event, error, by=None, **params):
        self.judge(event, Verdict(DEAD, error.code, by, _params(params)))

    def hold(self, event, error, by=None, **params):
        self.judge(event, Verdict(HELD, error.code, by, _params(params)))

    def supersede(self, event, correction_id):
        self.judge(event, Verdict(SUPERSEDED, errors.EventSuperseded.code, correction_id,
                                  _params(dict(id=event.id, by=correction_id))))

    def wait_or_refuse(self, event, error, partner, by=None, **params):
        """No partner yet: wait for it within the window after receipt, then dead."""
        until = event.received_at + self.context.partner_wait
        if self.context.now <= until:
            self.judge(event, Verdict(WAITING, errors.WaitsForPartner.code, None, _params(dict(
                type=event.type, at=_stamp(event.at), partner=partner, until=_stamp(until)))))
        else:
            self.refuse(event, error, by, **params)

    def approved(self, *events):
        return any(event.id in self.context.approved for event in events)

    # -- the walk ----------------------------------------------------------------------------
    def step(self, event):
        if event.type == 'undo':
            self._undo(event)   # judged against its target's time, not on its own
            return
        if self._judged_by_time(event):
            return
        described = event_types.TYPES[event.type]
        if self.finish and described.refused_after_finish:
            # once the order is finished; a stop or downtime end still closes what ran
            self.refuse(event, errors.WorkorderFinished, self.finish.id, finished=_stamp(self.finish.at),
                        type=event.type, at=_stamp(event.at))
            return
        FOLD_STEPS[described.step](self, event)

    def _judged_by_time(self, event):
        """Refuse or hold an event for its time alone; True when it was."""
        context = self.context
        if event.at < EARLIEST:
            self.refuse(event, errors.TimeBefore2000, at=_stamp(event.at))
        elif event.at - event.received_at > context.future_tolerance:
            self.refuse(event, errors.TimeInFuture, at=_stamp(event.at),
                        ahead=int((event.at - event.received_at).total_seconds()),
                        tolerance=int(context.future_tolerance.total_seconds()))
        elif event.received_at - event.at > context.max_age and not self.approved(event):
            self.hold(event, errors.HeldTooOld, at=_stamp(event.at), received=_stamp(event.received_at),
                      days=(event.received_at - event.at).days, max_days=context.max_age.days)
            self._hold_partner_with(event)
        else:
            return False
        return True

    def _hold_partner_with(self, event):
        """The stop or downtime end that would close a held start is held with it."""
        if event.type == 'start':
            self.held_starts[event.employee] = event
        elif event.type == 'downtime_start':
            self.down_held = event

    # -- labor -------------------------------------------------------------------------------
    @fold_step('start')
    def _start(self, event):
        running = self.running.get(event.employee)
        if running and event.at - running.at > self.context.max_interval and not self.approved(running):
            # never stopped: that start is held, and this one begins the operator's new time
            self.hold(running, errors.HeldIntervalTooLong, event.id, **self._too_long(running, event.at))
            running = None
        if running:
            # a stop between the two may still arrive from another terminal
            self.wait_or_refuse(event, errors.AlreadyStarted, 'stop', running.id,
                                employee=event.employee, since=_stamp(running.at))
            return
        self.held_starts.pop(event.employee, None)
        self.running[event.employee] = event
        self.apply(event)

    @fold_step('stop')
    def _stop(self, event):
        start = self.running.pop(event.employee, None)
        held_start = self.held_starts.pop(event.employee, None)
        if start:
            self._close_labor(start, event)
        elif held_start:
            self.hold(event, errors.HeldWithPartner, held_start.id, partner='start',
                      partner_id=held_start.id, type='stop')
        elif event.employee in self.closed_at_finish:
            self.apply(event)   # the finish already closed this operator's time
        else:
            self.wait_or_refuse(event, errors.NotStarted, 'start', employee=event.employee,
                                at=_stamp(event.at))

    def _close_labor(self, start, end):
        """Close ``start``'s interval at ``end`` (a stop or the finish), unless implausible."""
        by_finish = end.type == 'finish'
        if end.at - start.at > self.context.max_interval and not self.approved(start, end):
            too_long = self._too_long(start, end.at)
            self.hold(start, errors.HeldIntervalTooLong, end.id, **too_long)
            if not by_finish:
                self.hold(end, errors.HeldIntervalTooLong, start.id, **too_long)
            return
        self.labor.append(LaborInterval(start.employee, start.at, end.at, start.id, end.id, by_finish))
        if not by_finish:
            self.apply(end)

    def _too_long(self, start, end_at):
        """The message parameters of an interval longer than a shift (``end_at`` None: open)."""
        length = (end_at or self.context.now) - start.at
        return dict(employee=start.employee, start=_stamp(start.at),
                    end=_stamp(end_at) if end_at else 'now (still running)',
                    hours=_hours(length), max_hours=_hours(self.context.max_interval))

    # -- machine downtime --------------------------------------------------------------------
    @fold_step('downtime_start')
    def _downtime_start(self, event):
        if self.down_open:
            self.wait_or_refuse(event, errors.DowntimeAlreadyOpen, 'downtime_end', self.down_open.id,
                                since=_stamp(self.down_open.at), reason=self.down_open.data.get('reason'))
            return
        self.down_held = None
        self.down_open = event
        self.apply(event)

    @fold_step('downtime_end')
    def _downtime_end(self, event):
        start, held_start = self.down_open, self.down_held
        self.down_open = self.down_held = None
        if start:
            self.downs.append(DownInterval(start.at, event.at, start.data['reason'], start.id, event.id))
            self.apply(event)
        elif held_start:
            self.hold(event, errors.HeldWithPartner, held_start.id, partner='downtime_start',
                      partner_id=held_start.id, type='downtime_end')
        elif self.machine.classified_stop_open():
            self.apply(event)   # the tablet showed the machine's classified stop: the machine's running ends it
        else:
            self.wait_or_refuse(event, errors.NoOpenDowntime, 'downtime_start', at=_stamp(event.at))

    # -- quantities and checks ---------------------------------------------------------------
    @fold_step('produce')
    def _produce(self, event):
        qty = event.data['qty']
        if self._held_for_quantity(event, qty, self.context.planned_qty, self.good):
            return
        self.good += qty
        _add(self.good_by_lot, event.data.get('lot'), qty)
        self.apply(event)

    @fold_step('scrap')
    def _scrap(self, event):
        qty, product_id = event.data['qty'], event.data.get('product_id')
        of_the_part = product_id is None or product_id == self.context.product_id
        if of_the_part and self._held_for_quantity(event, qty, self.context.planned_qty, self.good):
            return
        _add(self.scrap, (event.data['reason'], product_id), qty)
        self.apply(event)

    @fold_step('consume')
    def _consume(self, event):
        qty, product_id = event.data['qty'], event.data['product_id']
        used = sum(q for (product, _lot), q in self.consumed.items() if product == product_id)
        if self._held_for_quantity(event, qty, self.context.component_needs.get(product_id), used):
            return
        _add(self.consumed, (product_id, event.data.get('lot')), qty)
        self.apply(event)

    def _held_for_quantity(self, event, qty, need, done):
        """Hold a quantity above what is still needed by more than the tolerance."""
        if need is None or self.approved(event):
            return False
        remaining = max(need - done, 0.0)
        extra = self.context.quantity_tolerance * need
        if qty <= remaining + extra + TOLERANCE_EPSILON:
            return False
        self.hold(event, errors.HeldQuantity, type=event.type, qty=qty, remaining=remaining, extra=extra)
        return True

    @fold_step('check')
    def _check(self, event):
        data = event.data
        self.checks.append(CheckRecord(event.id, event.at, event.employee, data['point_id'],
                                       data['result'], data.get('value'), data.get('note')))
        self.apply(event)

    # -- what the machine says (kept apart from the operators' reports) ---------------------
    @fold_step('machine_cycle')
    def _machine_cycle(self, event):
        self.machine.cycle(event)
        self.apply(event)

    @fold_step('machine_state')
    def _machine_state(self, event):
        self.machine.change(event)
        self.apply(event)

    @fold_step('machine_stop_reason')
    def _machine_stop_reason(self, event):
        stop_id = event.data['stop']
        since = self.machine.stop_start(stop_id)
        earlier = self.machine.classified(stop_id)
        if since is None:
            self.wait_or_refuse(event, errors.MachineStopUnknown, 'machine_state', stop=stop_id)
        elif earlier:
            self.refuse(event, errors.MachineStopClassified, earlier[1], since=_stamp(since), reason=earlier[0])
        else:
            self.machine.classify(stop_id, event.data['reason'], event.id)
            self.apply(event)

    @fold_step('maintenance_request')
    def _maintenance_request(self, event):
        # a broken machine needs its repair whatever the order's state: never refused
        self.maintenance.append(event.id)
        self.apply(event)

    @fold_step('undo')
    def _undo(self, event):
        # allowed, it counts nothing itself: its target is superseded (walk_all)
        refusal = self.undo_refusals.get(event.id, (errors.UndoTargetUnknown, None, dict(entry=event.corrects or '')))
        if refusal is None:
            self.apply(event)
        else:
            error, by, params = refusal
            self.refuse(event, error, by, **params)

    @fold_step('finish')
    def _finish(self, event):
        for employee in sorted(self.running):
            self._close_labor(self.running[employee], event)
            self.closed_at_finish.add(employee)
        self.running.clear()
        self.machine.close(event.at, event.id)
        self.finish = event
        self.apply(event)

    # -- the result --------------------------------------------------------------------------
    def state(self):
        """The result as of ``context.now``. It leaves the walk as it was: the holds of time
        still running at the end are the result's, not the walk's (a walk resumed later
        judges them again at its own end)."""
        walked = self.verdicts
        self.verdicts = dict(walked)
        try:
            return self._state(self._still_running())
        finally:
            self.verdicts = walked

    def recorded(self):
        """(state, the recorded JSON text of it) as of ``context.now``, as the record stage
        stores them: the state leaves out the labor intervals and run time, which grow with the
        order's history; the text holds the labor, the closed intervals as they were stored
        (``ClosedLabor``) and then the open ones."""
        walked = self.verdicts
        self.verdicts = dict(walked)
        try:
            open_intervals = self._still_running()
            state = self._state(open_intervals, labor_apart=True)
            return state, state_text(state, self.labor.to_json(open_intervals))
        finally:
            self.verdicts = walked

    def _state(self, open_intervals, labor_apart=False):
        labor = [] if labor_apart else self.labor.intervals() + open_intervals
        down = self.downs + ([DownInterval(self.down_open.at, None, self.down_open.data['reason'],
                                           self.down_open.id, None)] if self.down_open else [])
        # a machine's stop during a downtime the operators reported is explained by it; one the
        # operator classified is downtime like the operators' own
        machine = explained_by(self.machine.record(self.context.now), down, self.context.now)
        operators = list(down)
        down += [DownInterval(start, end, s.reason, start_event, end_event) for s in machine.stops
                 if s.reason and self.machine.classified(s.start_event)
                 for start, end, start_event, end_event in uncovered(s, operators)]
        run = [] if labor_apart else ordering.subtract([(i.start, i.end) for i in labor],
                                                       [(d.start, d.end) for d in down]
                                                       + list(self.context.workcenter_downtime))
        return ExecutionState(
            labor=tuple(sorted(labor, key=lambda i: (i.employee, i.start))),
            run=tuple(run),
            down=tuple(sorted(down, key=lambda d: d.start)),
            good=self.good,
            good_by_lot=_sorted_items(self.good_by_lot),
            scrap=_sorted_items(self.scrap),
            consumption=_sorted_items(self.consumed),
            checks=tuple(self.checks),
            finished_at=self.finish.at if self.finish else None,
            finish_event=self.finish.id if self.finish else None,
            verdicts=tuple(sorted(self.verdicts.items())),
            machine=machine,
            maintenance=tuple(self.maintenance),
        )

    def _still_running(self):
        """Open intervals; one running longer than a shift by now is held instead."""
        open_intervals = []
        for employee, start in sorted(self.running.items()):
            if self.context.now - start.at > self.context.max_interval and not self.approved(start):
                self.hold(start, errors.HeldIntervalTooLong, **self._too_long(start, None))
            else:
                open_intervals.append(LaborInterval(employee, start.at, None, start.id, None))
        return open_intervals


def _params(params):
    return tuple(sorted(params.items()))


def _stamp(moment):
    """Times in messages as Odoo shows them (UTC)."""
    return moment.strftime('%Y-%m-%d %H:%M:%S')


def _hours(length):
    return round(length.total_seconds() / 3600, 1)


def _add(totals, key, qty):
    totals[key] = totals.get(key, 0.0) + qty


def _sorted_items(totals):
    """A mapping as sorted pairs; keys may hold None (no lot, no product)."""
    def key(item):
        parts = item[0] if isinstance(item[0], tuple) else (item[0],)
        return tuple((part is not None, part) for part in parts)
    return tuple(sorted(totals.items(), key=key))
