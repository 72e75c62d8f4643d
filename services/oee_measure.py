"""OEE of one period from a work center's facts, without the ORM (not a model).

``models/oee/facts.py`` reads the records the terminal and the machines wrote into a ``Facts``;
``measure`` classifies the period's time once (``services.oee_timeline.segments``, the same
computation the timeline bar draws) and sums it into the figures and loss lines of the period.
Intervals are closed (start, end) pairs of naive UTC datetimes, durations are minutes.

Counting rules, the ones a planner asks about:

- planned production time = the working calendar, on days the work center had work scheduled
  (a work order planned there) or done (time logged, units made), minus planned stops (reasons
  marked *planned*). A day with nothing scheduled is no loss.
- run time = the MES machine time, plus downtime whose reason maps onto a *performance* loss
  (the machine ran, slowly), less **unexplained stops**: machine time with no output for longer
  than the threshold (a company setting, 5 minutes unless set) counts as stopped (availability
  loss). Shorter pauses are **micro-stops**: part of run time and of the performance loss,
  shown apart. Every other downtime reason stops the machine (availability loss).
- a unit counts in the planned interval it was completed in, ``(start, end]``: good units are
  applied ``produce`` events, scrap is the finished product scrapped at the work center,
  and each failed quality check counts as one rejected unit made but not right first time,
  on top of good and scrap (total = good + scrap + rejected, as ``services.oee`` defines).
  Units completed outside planned time are reported as ``outside_qty`` and left out.
- ideal minutes: where a machine reports cycles on a work order, its cycles x the ideal cycle
  time; else the units counted x their work order's ideal time per unit. Performance = ideal
  minutes / run minutes, so several products mix correctly.
"""
from collections import namedtuple

from . import oee, oee_timeline, ordering

Facts = namedtuple('Facts', [
    'calendar',         # [(start, end)] working calendar, leaves removed
    'scheduled',        # [(start, end)] local days with work scheduled or done
    'planned_stops',    # [(start, end, reason_id)]
    'downtimes',        # [(start, end, reason_id)] unplanned stops (availability loss)
    'slowdowns',        # [(start, end, reason_id)] downtime mapped onto a performance loss
    'runs',             # [(start, end)] MES machine time
    'units',            # [Unit]
    'cycles',           # [Cycle] the machines' cycles
    'ideal',            # {workorder_id: ideal minutes per unit}
    'per_cycle',        # {workorder_id: ideal minutes per machine cycle} where a machine reports
    'micro_stops',      # [(start, end)] pauses without output up to the threshold
    'unexplained_stops',  # [(start, end)] longer ones: stopped, nobody said why
])
Unit = namedtuple('Unit', 'at workorder_id kind qty')       # kind: good, scrap or rejected
Cycle = namedtuple('Cycle', 'at workorder_id count')

Loss = namedtuple('Loss', 'kind label reason_id loss_type planned minutes stops')

UNREPORTED = 'Stopped, no reason reported'
NO_OUTPUT = 'No output, no reason reported'
MICRO = 'Micro-stops (unreported)'
SPEED = 'Reduced speed (unexplained)'
SCRAP = 'Scrap'
STARTUP = 'Startup rejects'
REJECTED = 'Failed checks'


def measure(period, facts, now):
    """Figures of ``period`` (a closed interval) as a dict of ``mes.oee.record`` values
    (fractions, not percent) and its loss lines; None when the period has no planned time
    up to ``now``."""
    start, end = period
    if min(end, now) <= start:
        return None
    parts = timeline(facts, period, now)
    by_state, by_plan = oee_timeline.totals(parts)
    planned_minutes = by_plan.get('plan', 0.0)
    if planned_minutes <= 0:
        return None
    planned = ordering.union([(p.start, p.end) for p in parts if p.plan == 'plan'])
    window = [(start, min(end, now))]
    counts = count_units(facts, planned, window)
    total = counts['good'] + counts['scrap'] + counts['rejected']
    minutes = {state: by_state.get(state, 0.0) for state in oee_timeline.IN_PLAN + ('overtime', 'planned')}
    run = sum(minutes[state] for state in oee_timeline.RUNNING)
    ratios = oee.ratios(planned_minutes, run, counts['ideal'], counts['good'], total)
    values = {
        'calendar_minutes': by_plan.get('plan', 0.0) + by_plan.get('stop', 0.0),
        'planned_stop_minutes': by_plan.get('stop', 0.0),
        'planned_minutes': planned_minutes,
        'run_minutes': run,
        'downtime_minutes': planned_minutes - run,
        'reported_downtime_minutes': minutes['down'],
        'idle_minutes': minutes['idle'],
        'unexplained_stop_minutes': minutes['stop'],
        'micro_stop_minutes': minutes['micro'],
        'unplanned_run_minutes': minutes['overtime'],
        'ideal_minutes': counts['ideal'],
        'good_qty': counts['good'], 'scrap_qty': counts['scrap'],
        'rejected_qty': counts['rejected'], 'total_qty': total, 'outside_qty': counts['outside'],
        'cycle_qty': counts['cycles'],
        'startup_reject_qty': counts['startup_scrap'] + counts['startup_rejected'],
        'availability': ratios.availability or 0.0,
        'performance': ratios.performance or 0.0,
        'quality': ratios.quality or 0.0,
        'oee': ratios.oee or 0.0,
        'note': _note(ratios, total and counts['ideal'] <= 0),
        'in_progress': now < end,
    }
    values['good_ideal_minutes'] = values['ideal_minutes'] * values['quality']
    return values, losses(parts, values, counts)


def timeline(facts, window, now):
    """The one classification of ``window``'s time ([services.oee_timeline.Segment])."""
    return oee_timeline.segments(window, now, facts.calendar, facts.scheduled, facts.planned_stops,
                                 facts.downtimes, facts.slowdowns, facts.runs, facts.micro_stops,
                                 facts.unexplained_stops)


def completions(units, cycles, ideal, per_cycle):
    """What ended each gap: the machine's cycles for work orders a machine reports on, else the
    units the operators reported, good, scrap and rejected by a failed check (several units at
    once need their ideal time)."""
    result = [oee_timeline.Completion(c.at, c.count * per_cycle[c.workorder_id], per_cycle[c.workorder_id])
              for c in cycles]
    result += [oee_timeline.Completion(u.at, u.qty * ideal.get(u.workorder_id, 0.0), ideal.get(u.workorder_id, 0.0))
               for u in units if u.workorder_id not in per_cycle and u.qty > 0]
    return result


def count_units(facts, planned, window):
    """Good, scrap and rejected units completed inside ``planned``, their ideal minutes (from
    the machine's cycles on work orders a machine reports on), and the units completed inside
    ``window`` but outside planned time."""
    counts = {'good': 0.0, 'scrap': 0.0, 'rejected': 0.0, 'ideal': 0.0, 'outside': 0.0, 'cycles': 0.0,
              'startup_scrap': 0.0, 'startup_rejected': 0.0}
    first_good = {}
    for unit in facts.units:
        if unit.kind == 'good':
            first_good[unit.workorder_id] = min(unit.at, first_good.get(unit.workorder_id, unit.at))
    for unit in facts.units:
        if _inside(unit.at, planned):
            counts[unit.kind] += unit.qty
            # a reject before the order's first good unit here (or with none yet) is a startup reject
            first = first_good.get(unit.workorder_id)
            if unit.kind != 'good' and (first is None or unit.at < first):
                counts['startup_' + unit.kind] += unit.qty
            if unit.workorder_id not in facts.per_cycle:
                counts['ideal'] += unit.qty * facts.ideal.get(unit.workorder_id, 0.0)
        elif _inside(unit.at, window):
            counts['outside'] += unit.qty
    for cycle in facts.cycles:
        if _inside(cycle.at, planned):
            counts['cycles'] += cycle.count
            counts['ideal'] += cycle.count * facts.per_cycle[cycle.workorder_id]
    return counts


def _inside(moment, intervals):
    return any(start < moment <= end for start, end in intervals)


def losses(parts, values, counts):
    """Where the planned time went, as loss lines: planned stops (not losses, for the record),
    stops by reason, stops nobody reported (nobody running; running with no output), slowdowns
    by reason, micro-stops, unexplained speed loss, then scrap and failed checks as the ideal
    time of those units (rejects before an order's first good unit apart, as startup rejects)."""
    lines = []
    for reason_id in _reasons(parts, 'planned'):
        lines.append(_line('planned', reason_id, 'availability', ordering.union([
            (p.start, p.end) for p in parts if p.plan == 'stop' and p.plan_reason == reason_id]), planned=True))
    for reason_id in _reasons(parts, 'down'):
        lines.append(_line('downtime', reason_id, 'availability', oee_timeline.pieces(parts, 'down', reason_id, True)))
    for kind, state, label in (('idle', 'idle', UNREPORTED), ('gap', 'stop', NO_OUTPUT)):
        spans = oee_timeline.pieces(parts, state)
        if spans:
            lines.append(Loss(kind, label, False, 'availability', False, ordering.minutes(spans), len(spans)))
    slow = 0.0
    for reason_id in _reasons(parts, 'slow'):
        line = _line('slowdown', reason_id, 'performance', oee_timeline.pieces(parts, 'slow', reason_id, True))
        slow += line.minutes
        lines.append(line)
    micro = oee_timeline.pieces(parts, 'micro')
    if micro:
        lines.append(Loss('micro', MICRO, False, 'performance', False, values['micro_stop_minutes'], len(micro)))
    speed = values['run_minutes'] - values['ideal_minutes'] - slow - values['micro_stop_minutes']
    if speed > 1e-6:
        lines.append(Loss('speed', SPEED, False, 'performance', False, speed, 0))
    total = values['total_qty']
    startup = counts['startup_scrap'] + counts['startup_rejected']
    for kind, label, qty in (('startup', STARTUP, startup),
                             ('scrap', SCRAP, values['scrap_qty'] - counts['startup_scrap']),
                             ('rejected', REJECTED, values['rejected_qty'] - counts['startup_rejected'])):
        if qty > 1e-9:
            lines.append(Loss(kind, label, False, 'quality', False, values['ideal_minutes'] * qty / total, 0))
    return [line for line in lines if line.minutes > 1e-6]


def _reasons(parts, state):
    if state == 'planned':
        return sorted({p.plan_reason for p in parts if p.plan == 'stop' and p.plan_reason})
    return sorted({p.reason for p in parts if p.state == state and p.reason})


def _line(kind, reason_id, loss_type, pieces, planned=False):
    return Loss(kind, False, reason_id, loss_type, planned, ordering.minutes(pieces), len(pieces))


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
