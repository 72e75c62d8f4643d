"""Overall equipment effectiveness from the terminal's records, without the ORM.

OEE = availability x performance x quality, the usual definition (not Odoo 11's productive
time / logged time):

- planned production time = working calendar within the period, minus planned stops
  (breaks, changeover, planned maintenance);
- availability = run time / planned production time;
- performance = ideal cycle time x total count / run time;
- quality = good count / total count.

Intervals follow ``ordering``: (start, end) naive-UTC datetimes, ``end`` None = still open.
All durations are minutes (floats); the ideal cycle time is minutes per unit.
"""
from collections import namedtuple

from . import ordering

OeeResult = namedtuple('OeeResult', [
    'planned_minutes',        # calendar minus planned stops, within the period
    'run_minutes',            # run time inside planned time (the A numerator)
    'downtime_minutes',       # planned time not running: the unplanned stops (availability loss)
    'unplanned_run_minutes',  # running outside planned time: reported, counted nowhere else
    'availability',           # None when there is no planned time
    'performance',            # raw; above 1.0 means the ideal cycle time is set too slow
    'performance_capped',     # min(performance, 1.0), for displays that must stay within 100 %
    'quality',                # None when nothing was counted
    'oee',                    # availability x raw performance x quality
    'good',
    'total',
])

Ratios = namedtuple('Ratios', 'availability performance quality oee')
Reliability = namedtuple('Reliability', 'failures operating_minutes repair_minutes mtbf mttr')


def compute_oee(period, calendar, planned_stops, runs, ideal_cycle_minutes,
                good, scrap=0, rejected=0, now=None):
    """OEE of one work center over ``period`` (a closed (start, end) interval).

    ``calendar``: working intervals already expanded to datetimes by the caller;
    ``planned_stops``: breaks, changeovers, planned maintenance; ``runs``: run intervals.
    ``good``, ``scrap`` and ``rejected`` (failed checks' rejected units) are the counts for the
    period; total = good + scrap + rejected. The caller should pass the counts made within
    planned time if it wants performance to match run time exactly.
    ``now``: for a period still in progress, everything (planned time too) is counted up to
    ``now``, and open intervals end there; otherwise they end at the period's end.

    Run time outside planned time (overtime, running through a break) is clipped out of
    availability and reported as ``unplanned_run_minutes``: counting it would let overtime
    push availability above 100 %.

    OEE uses the raw performance, so OEE = ideal cycle time x good / planned time exactly;
    capping would hide a wrong ideal cycle time. With planned time but no units counted, OEE
    is 0 (nothing good was made) although quality is undefined.
    """
    period_start, period_end = period
    if period_end is None or period_end <= period_start:
        raise ValueError('period must be a closed interval with end after start')
    if ideal_cycle_minutes is None or ideal_cycle_minutes <= 0:
        raise ValueError('ideal cycle time must be positive minutes per unit')
    if min(good, scrap, rejected) < 0:
        raise ValueError('counts must not be negative')

    horizon = period_end if now is None else max(period_start, min(period_end, now))
    planned = ordering.subtract(_clip(calendar, period_start, horizon),
                                _clip(planned_stops, period_start, horizon))
    run_all = ordering.union(_clip(runs, period_start, horizon))
    run_planned = ordering.intersect(run_all, planned)

    planned_minutes = ordering.minutes(planned)
    run_minutes = ordering.minutes(run_planned)
    unplanned_run_minutes = ordering.minutes(ordering.subtract(run_all, planned))
    total = good + scrap + rejected

    availability = run_minutes / planned_minutes if planned_minutes > 0 else None
    if total == 0:
        performance = 0.0
    elif run_minutes > 0:
        performance = ideal_cycle_minutes * total / run_minutes
    else:
        performance = None          # units counted without run time: cannot be judged
    quality = good / total if total else None

    if availability is None or performance is None:
        oee = None
    elif total == 0:
        oee = 0.0
    else:
        oee = availability * performance * quality

    return OeeResult(
        planned_minutes=planned_minutes,
        run_minutes=run_minutes,
        downtime_minutes=planned_minutes - run_minutes,
        unplanned_run_minutes=unplanned_run_minutes,
        availability=availability,
        performance=performance,
        performance_capped=None if performance is None else min(performance, 1.0),
        quality=quality,
        oee=oee,
        good=good,
        total=total,
    )


def ratios(planned_minutes, run_minutes, ideal_minutes, good, total):
    """A, P, Q and OEE from a period's sums, by the rules of ``compute_oee``: availability None
    without planned time, performance 0 with nothing counted and None for units counted
    without run time, quality None with nothing counted, OEE 0 with nothing counted."""
    if min(planned_minutes, run_minutes, ideal_minutes, good, total) < 0:
        raise ValueError('minutes and counts must not be negative')
    availability = run_minutes / planned_minutes if planned_minutes > 0 else None
    if total == 0:
        performance = 0.0
    elif run_minutes > 0:
        performance = ideal_minutes / run_minutes
    else:
        performance = None
    quality = good / total if total else None
    if availability is None or performance is None:
        result = None
    elif total == 0:
        result = 0.0
    else:
        result = availability * performance * quality
    return Ratios(availability, performance, quality, result)


def _clip(intervals, start, end):
    """Intervals cut to [start, end]; open ones end at ``end``."""
    clipped = []
    for i_start, i_end in intervals:
        i_start = max(i_start, start)
        i_end = end if i_end is None else min(i_end, end)
        if i_end > i_start:
            clipped.append((i_start, i_end))
    return clipped


# -- reliability -------------------------------------------------------------------------------

def mtbf_mttr(breakdowns, operating_minutes, now=None):
    """MTBF = operating time / failures, MTTR = total repair time / failures (minutes).

    ``breakdowns`` are repair intervals, one per failure; one still open is repaired up to
    ``now``, which is then required. Both figures are None without failures."""
    if operating_minutes < 0:
        raise ValueError('operating time must not be negative')
    if now is None and any(end is None for _, end in breakdowns):
        raise ValueError('a breakdown is still open: pass now to count its repair time')
    failures = len(breakdowns)
    repair = sum(ordering.minutes([b], now) for b in breakdowns)
    return Reliability(
        failures=failures,
        operating_minutes=operating_minutes,
        repair_minutes=repair,
        mtbf=operating_minutes / failures if failures else None,
        mttr=repair / failures if failures else None,
    )


def shift_label(hour_from, hour_to):
    """A shift's name on the OEE records, from its calendar hours (floats): 6.0, 14.5 ->
    '06:00-14:30' (24.0 is the next midnight, '24:00')."""
    return '%s-%s' % (_clock(hour_from), _clock(hour_to))


def _clock(hours):
    minutes = int(round(hours * 60))
    return '%02d:%02d' % (minutes // 60, minutes % 60)
