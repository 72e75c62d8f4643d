"""A work center's time, classified once: the OEE record's minutes and its timeline bar are
both sums over the same ``segments`` (no ORM).

Two questions decide a moment:

- **its plan**: ``plan`` (planned production time: the working calendar on a day with work
  scheduled, less planned stops), ``stop`` (a planned stop: break, changeover), ``unscheduled``
  (calendar time on a day nothing was scheduled or done: no loss), ``closed`` (outside the
  calendar) or ``future`` (after now);
- **what the machine did**, inside planned time: ``stop`` (logged in, running, but no output for
  longer than the threshold: an unexplained stop, availability), ``micro`` (a shorter pause, at
  least one ideal cycle long: performance), ``slow`` (a reported slowdown; it wins over those two
  guesses), ``running``, ``down``
  (a reported stop), ``idle`` (nobody running, nothing reported). Outside planned time, any
  running is ``overtime``.

Gaps between completions are judged by ``classify_gaps``: between two completions only the
running time counts; all of it but the ideal time of the units completed at the gap's end is the
pause. The time from a run's first start to the first completion is judged the same way, and
so is the time from the last completion to the end of a run that has ended (nothing completed
at its end). A run still open at ``now`` is judged up to ``now`` after its last completion, less
one ideal cycle (the unit in progress): longer than the threshold, it is an unexplained stop up
to ``now`` (the live OEE shows a machine standing as it stands); shorter, nothing yet, since the
next unit may simply not be reported yet.

Intervals are closed (start, end) naive-UTC datetimes; minutes are floats.
"""
from collections import namedtuple
from datetime import timedelta

from . import ordering

Completion = namedtuple('Completion', 'at needed cycle')   # needed, cycle: ideal minutes
Gaps = namedtuple('Gaps', 'micro stops')
Segment = namedtuple('Segment', 'state reason start end plan plan_reason')

IN_PLAN = ('stop', 'micro', 'slow', 'running', 'down', 'idle')
RUNNING = ('running', 'slow', 'micro')     # the states whose minutes are run time (availability)
DEFAULT_STOP_THRESHOLD = 5.0


def classify_gaps(completions, runs, threshold_minutes, now):
    """Pauses without output: ``Gaps(micro, stops)``, each a union of intervals.

    ``completions``: [Completion] (any order); ``runs``: running intervals (None end = open,
    running until ``now``). A pause longer than ``threshold_minutes`` is an unexplained stop; a
    shorter one is a micro-stop when it lasts at least the completing units' one ideal cycle,
    else it is speed loss (left running)."""
    if threshold_minutes is None or threshold_minutes <= 0:
        raise ValueError('the stop threshold must be positive minutes')
    closed_runs = ordering.union([(s, now if e is None else min(e, now)) for s, e in runs
                                  if (now if e is None else min(e, now)) > s])
    if not closed_runs:
        return Gaps([], [])
    done = sorted((c for c in completions if c.cycle > 0 and c.needed >= 0), key=lambda c: c.at)
    micro, stops = [], []

    def judge(start, end, needed, cycle):
        running = ordering.intersect([(start, end)], closed_runs)
        pause = _trim_end(running, timedelta(minutes=needed))
        minutes = ordering.minutes(pause)
        if minutes > threshold_minutes:
            stops.extend(pause)
        elif minutes >= cycle and minutes > 0:
            micro.extend(pause)

    # the first gap starts where the running does
    boundary = closed_runs[0][0]
    for completion in done:
        if completion.at <= boundary:
            continue
        judge(boundary, completion.at, completion.needed, completion.cycle)
        boundary = completion.at
    last_end = closed_runs[-1][1]
    if done and last_end > boundary and last_end < now:      # a run that ended after its last output
        judge(boundary, last_end, 0.0, done[-1].cycle)
    elif done and last_end > boundary:                        # still running at now, no output since
        stops.extend(_open_tail(ordering.intersect([(boundary, now)], closed_runs), done[-1].cycle,
                                threshold_minutes))
    return Gaps(ordering.union(micro), ordering.union(stops))


def _open_tail(running, cycle, threshold_minutes):
    """The unexplained stop of a run still open after its last output: its running time beyond
    one ideal ``cycle`` (the unit in progress), when longer than the threshold, up to now; else
    nothing yet (a shorter pause is judged when the next unit or the run's end arrives)."""
    pause = _trim_start(running, timedelta(minutes=cycle))
    return pause if ordering.minutes(pause) > threshold_minutes else []


def scheduled_days(days, busy):
    """The local ``days`` (closed intervals) that overlap any ``busy`` interval (work orders
    scheduled, time logged, units completed); a day without any is not planned time."""
    busy = [(s, e) for s, e in busy if e is not None]

    def overlaps(day_start, day_end, b_start, b_end):
        if b_start == b_end:                        # an instant: a unit completed
            return day_start <= b_start < day_end
        return b_start < day_end and day_start < b_end

    return [(s, e) for s, e in days if any(overlaps(s, e, b_s, b_e) for b_s, b_e in busy)]


def segments(window, now, calendar, scheduled, planned_stops, downtimes, slowdowns, runs, micro, stops):
    """[Segment] covering ``window`` without gaps, adjacent equal ones merged.

    ``calendar``, ``scheduled``, ``runs``, ``micro``, ``stops``: [(start, end)];
    ``planned_stops``, ``downtimes``, ``slowdowns``: [(start, end, reason)]."""
    start, end = window
    horizon = max(start, min(end, now))
    layers = {
        'calendar': [(s, e, None) for s, e in calendar], 'scheduled': [(s, e, None) for s, e in scheduled],
        'pstop': planned_stops, 'down': downtimes, 'slow': slowdowns,
        'running': [(s, e, None) for s, e in runs], 'micro': [(s, e, None) for s, e in micro],
        'stop': [(s, e, None) for s, e in stops]}
    cuts = {start, end, horizon}
    for spans in layers.values():
        cuts.update(t for s, e, _r in spans for t in (s, e) if t is not None and start < t < end)
    cuts = sorted(cuts)
    result = []
    for a, b in zip(cuts, cuts[1:]):
        segment = _segment(layers, a, b, a >= horizon)
        last = result[-1] if result else None
        if last and (last.state, last.reason, last.plan, last.plan_reason) == \
                (segment.state, segment.reason, segment.plan, segment.plan_reason) and last.end == a:
            result[-1] = last._replace(end=b)
        else:
            result.append(segment)
    return result


def _segment(layers, a, b, future):
    if future:
        return Segment('future', None, a, b, 'future', None)
    moment = a + (b - a) / 2
    at = {name: _at(spans, moment) for name, spans in layers.items()}
    if at['calendar'] is False:
        plan, plan_reason = 'closed', None
    elif at['pstop'] is not False:
        plan, plan_reason = 'stop', at['pstop']
    elif at['scheduled'] is False:
        plan, plan_reason = 'unscheduled', None
    else:
        plan, plan_reason = 'plan', None
    ran = at['running'] is not False or at['slow'] is not False
    if plan != 'plan':
        if ran:
            return Segment('overtime', None, a, b, plan, plan_reason)
        state = {'stop': 'planned', 'unscheduled': 'unscheduled', 'closed': 'closed'}[plan]
        return Segment(state, plan_reason, a, b, plan, plan_reason)
    for state in ('slow', 'stop', 'micro', 'running', 'down'):     # a reported slowdown beats a guess
        if at[state] is not False:
            return Segment(state, at[state] if state in ('slow', 'down') else None, a, b, plan, None)
    return Segment('idle', None, a, b, plan, None)


def _at(spans, moment):
    """The reason (or None) of the first span containing ``moment``; False when none does."""
    for s, e, reason in spans:
        if s <= moment < e:
            return reason
    return False


def totals(parts):
    """Minutes per state, and per plan, of ``parts`` ([Segment])."""
    by_state, by_plan = {}, {}
    for part in parts:
        minutes = (part.end - part.start).total_seconds() / 60.0
        by_state[part.state] = by_state.get(part.state, 0.0) + minutes
        by_plan[part.plan] = by_plan.get(part.plan, 0.0) + minutes
    return by_state, by_plan


def pieces(parts, state, reason=None, by_reason=False):
    """Intervals of ``parts`` in ``state`` (and ``reason`` when ``by_reason``), contiguous ones joined."""
    return ordering.union([(p.start, p.end) for p in parts
                           if p.state == state and (not by_reason or p.reason == reason)])


def _trim_start(spans, length):
    """Sorted closed ``spans`` with ``length`` of time removed from their start."""
    kept = list(spans)
    while kept and length > timedelta(0):
        start, end = kept.pop(0)
        if end - start > length:
            kept.insert(0, (start + length, end))
        length -= end - start
    return kept


def _trim_end(spans, length):
    """Sorted closed ``spans`` with ``length`` of time removed from their end."""
    kept = list(spans)
    while kept and length > timedelta(0):
        start, end = kept.pop()
        if end - start > length:
            kept.append((start, end - length))
        length -= end - start
    return kept
