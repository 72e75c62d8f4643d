"""OEE of one period from a work center's facts, without the ORM (not a model).

``mes_oee_facts`` reads the records the terminal wrote into a ``Facts``; ``measure`` turns
them into the figures and loss lines of one period with ``services.oee``. Intervals are
closed (start, end) pairs of naive UTC datetimes, durations are minutes.

Counting rules, the ones a planner asks about:

- planned production time = the working calendar minus planned stops (reasons marked
  *planned*); run time = the MES machine time, plus downtime whose reason maps onto a
  *performance* loss (the machine ran, slowly: performance loss, not availability loss);
  every other downtime reason stops the machine (availability loss).
- a unit counts in the planned interval it was completed in, ``(start, end]``: good units are
  applied ``produce`` events, scrap is the finished product scrapped at the work center,
  and each failed quality check counts as one rejected unit made but not right first time,
  on top of good and scrap (total = good + scrap + rejected, as ``services.oee`` defines).
  Units completed outside planned time are reported as ``outside_qty`` and left out, as
  run time outside planned time is.
- ideal minutes = the sum over counted units of their work order's ideal time per unit;
  performance = ideal minutes / run minutes, so several products mix correctly;
  ``compute_oee`` gets the weighted ideal cycle (ideal minutes / total).
- micro-stops: running time between two completions longer than the threshold, beyond the
  time the completed units needed (``services.oee.micro_stops``); they are part of the
  performance loss, shown apart.
"""
from collections import namedtuple

from ..services import oee, ordering

Facts = namedtuple('Facts', [
    'calendar',         # [(start, end)] working calendar, leaves removed
    'planned_stops',    # [(start, end, reason_id)]
    'downtimes',        # [(start, end, reason_id)] unplanned stops (availability loss)
    'slowdowns',        # [(start, end, reason_id)] downtime mapped onto a performance loss
    'runs',             # [(start, end)] MES machine time
    'units',            # [Unit]
    'ideal',            # {workorder_id: ideal minutes per unit}
    'micro_stops',      # [(start, end)]
])
Unit = namedtuple('Unit', 'at workorder_id kind qty')       # kind: good, scrap or rejected

Loss = namedtuple('Loss', 'kind label reason_id loss_type planned minutes stops')

UNREPORTED = 'Stopped, no reason reported'
MICRO = 'Micro-stops (unreported)'
SPEED = 'Reduced speed (unexplained)'
SCRAP = 'Scrap'
REJECTED = 'Failed checks'


def measure(period, facts, now):
    """Figures of ``period`` (a closed interval) as a dict of ``mes.oee.record`` values
    (fractions, not percent) and its loss lines; None when the period has no planned time
    up to ``now``."""
    start, end = period
    horizon = min(end, now)
    if horizon <= start:
        return None
    window = [(start, horizon)]
    calendar = oee.intersect(ordering.union(facts.calendar), window)
    stops = oee.intersect(_spans(facts.planned_stops), calendar)
    planned = ordering.subtract(calendar, stops)
    if not planned:
        return None
    runs = ordering.union(facts.runs + _spans(facts.slowdowns))
    counts = count_units(facts.units, planned, facts.ideal, window)
    total = counts['good'] + counts['scrap'] + counts['rejected']
    # compute_oee wants a positive cycle: with nothing counted any will do; counted units
    # without an ideal time (no operation cycle) have no performance to speak of.
    ideal_cycle = max(counts['ideal'] / total, 1e-9) if total else 1.0
    result = oee.compute_oee(period, calendar, stops, runs, ideal_cycle, counts['good'],
                             counts['scrap'], counts['rejected'], now=now if now < end else None)
    run_planned = oee.intersect(runs, planned)
    stopped = ordering.subtract(planned, run_planned)
    reported = oee.intersect(_spans(facts.downtimes), stopped)
    micro = oee.intersect(facts.micro_stops, run_planned)
    values = {
        'calendar_minutes': ordering.minutes(calendar),
        'planned_stop_minutes': ordering.minutes(stops),
        'planned_minutes': result.planned_minutes,
        'run_minutes': result.run_minutes,
        'downtime_minutes': result.downtime_minutes,
        'reported_downtime_minutes': ordering.minutes(reported),
        'idle_minutes': ordering.minutes(ordering.subtract(stopped, reported)),
        'micro_stop_minutes': ordering.minutes(micro),
        'unplanned_run_minutes': result.unplanned_run_minutes,
        'ideal_minutes': counts['ideal'],
        'good_qty': counts['good'], 'scrap_qty': counts['scrap'],
        'rejected_qty': counts['rejected'], 'total_qty': total, 'outside_qty': counts['outside'],
        'availability': result.availability or 0.0,
        'performance': result.performance or 0.0,
        'quality': result.quality or 0.0,
        'oee': result.oee or 0.0,
        'note': _note(result, total and counts['ideal'] <= 0),
        'in_progress': now < end,
    }
    values['good_ideal_minutes'] = values['ideal_minutes'] * values['quality']
    return values, losses(facts, calendar, planned, stopped, micro, values)


def count_units(units, planned, ideal, window):
    """Good, scrap and rejected units completed inside ``planned``, their ideal minutes, and
    the units completed inside ``window`` but outside planned time."""
    counts = {'good': 0.0, 'scrap': 0.0, 'rejected': 0.0, 'ideal': 0.0, 'outside': 0.0}
    for unit in units:
        if _inside(unit.at, planned):
            counts[unit.kind] += unit.qty
            counts['ideal'] += unit.qty * ideal.get(unit.workorder_id, 0.0)
        elif _inside(unit.at, window):
            counts['outside'] += unit.qty
    return counts


def _inside(moment, intervals):
    return any(start < moment <= end for start, end in intervals)


def losses(facts, calendar, planned, stopped, micro, values):
    """Where the planned time went, as loss lines: planned stops (not losses, for the record),
    stops by reason, unreported stops, slowdowns by reason, micro-stops, unexplained speed
    loss, then scrap and failed checks as the ideal time of those units. ``stopped`` is the
    planned time not running."""
    lines = []
    for reason_id, spans in _by_reason(facts.planned_stops):
        lines.append(_line('planned', reason_id, 'availability', oee.intersect(spans, calendar), planned=True))
    for reason_id, spans in _by_reason(facts.downtimes):
        lines.append(_line('downtime', reason_id, 'availability', oee.intersect(spans, stopped)))
    if values['idle_minutes'] > 0:
        idle = ordering.subtract(stopped, _spans(facts.downtimes))
        lines.append(Loss('idle', UNREPORTED, False, 'availability', False, values['idle_minutes'], len(idle)))
    slow = 0.0
    for reason_id, spans in _by_reason(facts.slowdowns):
        line = _line('slowdown', reason_id, 'performance', oee.intersect(spans, planned))
        slow += line.minutes
        lines.append(line)
    if micro:
        lines.append(Loss('micro', MICRO, False, 'performance', False, values['micro_stop_minutes'], len(micro)))
    speed = values['run_minutes'] - values['ideal_minutes'] - slow - values['micro_stop_minutes']
    if speed > 1e-6:
        lines.append(Loss('speed', SPEED, False, 'performance', False, speed, 0))
    total = values['total_qty']
    for kind, label, qty in (('scrap', SCRAP, values['scrap_qty']), ('rejected', REJECTED, values['rejected_qty'])):
        if qty:
            lines.append(Loss(kind, label, False, 'quality', False, values['ideal_minutes'] * qty / total, 0))
    return [line for line in lines if line.minutes > 1e-6]


def _line(kind, reason_id, loss_type, pieces, planned=False):
    return Loss(kind, False, reason_id, loss_type, planned, ordering.minutes(pieces), len(pieces))


def _spans(intervals):
    return [(start, end) for start, end, _reason in intervals]


def _by_reason(intervals):
    grouped = {}
    for start, end, reason_id in intervals:
        grouped.setdefault(reason_id, []).append((start, end))
    return sorted(grouped.items())


def _note(result, no_ideal=False):
    if no_ideal:
        return 'Units were counted on work orders without an ideal cycle time: set the operation\'s cycle time.'
    if result.performance is None:
        return 'Units were counted without run time: performance cannot be judged.'
    if result.quality is None:
        return 'Nothing was counted in planned time.'
    if result.performance > 1.0:
        return 'Performance above 100 %: the ideal cycle time is set too slow.'
    return False


def micro_stop_intervals(units, ideal, threshold, runs):
    """Micro-stops between consecutive completions (good and scrap units) at one work center.

    ``services.oee.micro_stops`` judges one cycle per completion; a terminal often reports
    several units at once, so each gap is judged against the time the units completed at its
    end needed: the gap is a micro-stop when its running time, less the extra cycles beyond
    the first, exceeds the threshold, and everything but those units' ideal time is stopped.
    A threshold shorter than one ideal cycle is taken as one ideal cycle.
    """
    completions = sorted((u for u in units if u.kind in ('good', 'scrap')), key=lambda u: u.at)
    stops = []
    for previous, current in zip(completions, completions[1:]):
        cycle = ideal.get(current.workorder_id, 0.0)
        if cycle <= 0 or current.qty <= 0 or current.at <= previous.at:
            continue
        needed = cycle * current.qty
        limit = max(threshold, cycle) + needed - cycle
        stops.extend(oee.micro_stops([previous.at, current.at], needed, limit, runs=runs).intervals)
    return ordering.union(stops)
