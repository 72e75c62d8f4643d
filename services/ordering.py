"""Time and order of terminal events, without the ORM.

Terminal clocks drift; the server measures each request's offset (server receipt minus the
terminal's ``sent_at``) and corrects every event time by it. Within a batch, events are applied
in the terminal's own order (``seq``, then corrected time), whatever order the JSON lists them.
"""
from datetime import timedelta


def clock_offset(received_at, sent_at):
    """Server clock minus terminal clock, as a timedelta (network delay is ignored: it is
    milliseconds against the minutes of drift this corrects)."""
    return received_at - sent_at


def offset_ms(offset):
    return int(round(offset.total_seconds() * 1000))


def corrected_time(at, offset):
    return at + offset


def seconds_in_future(corrected_at, now):
    """How far ahead of the server an event claims to be (<= 0 when in the past)."""
    return (corrected_at - now).total_seconds()


def application_order(events):
    """Indices of ``events`` (objects with ``seq`` and ``at``) in the order to apply them.

    The terminal's sequence number is its true order of actions; the time breaks ties and
    orders events that carry no ``seq``. The sort is stable, so equal keys keep request order.
    """
    def key(index):
        event = events[index]
        seq = event.seq
        return (seq is None, seq if seq is not None else 0, event.at)
    return sorted(range(len(events)), key=key)


def fits_after(moment, boundary):
    """True when ``moment`` is not before ``boundary`` (an unset boundary never blocks)."""
    return boundary is None or moment >= boundary


# -- intervals ---------------------------------------------------------------------------------
# An interval is a (start, end) pair of naive UTC datetimes; ``end`` None means still running.

def union(intervals):
    """Merge overlapping or touching intervals; an open interval absorbs all that follow it."""
    merged = []
    for start, end in sorted(intervals, key=lambda i: i[0]):
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                continue
            if start <= last_end:
                merged[-1] = (last_start, None if end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def subtract(intervals, holes):
    """``intervals`` minus ``holes`` (both lists of intervals; open ends allowed)."""
    result = []
    holes = union(holes)
    for start, end in union(intervals):
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            next_pieces = []
            for p_start, p_end in pieces:
                if _disjoint(p_start, p_end, hole_start, hole_end):
                    next_pieces.append((p_start, p_end))
                    continue
                if p_start < hole_start:
                    next_pieces.append((p_start, hole_start))
                if hole_end is not None and (p_end is None or hole_end < p_end):
                    next_pieces.append((hole_end, p_end))
            pieces = next_pieces
        result.extend(piece for piece in pieces if piece[1] is None or piece[1] > piece[0])
    return result


def _disjoint(a_start, a_end, b_start, b_end):
    return (a_end is not None and a_end <= b_start) or (b_end is not None and b_end <= a_start)


def minutes(intervals, now=None):
    """Total length in minutes; open intervals count up to ``now`` (or not at all)."""
    total = timedelta(0)
    for start, end in intervals:
        end = end if end is not None else now
        if end is not None and end > start:
            total += end - start
    return total.total_seconds() / 60.0


# -- pairing start/stop boundaries -------------------------------------------------------------
# Existing intervals are (key, start, end); end None marks an interval still running. A late
# start lands at its true time beside intervals already known; only a true overlap is refused.

def pair_start(existing, moment):
    """Where a start at ``moment`` goes: ('open', None) for a new interval, or ('overlap', key)
    when ``moment`` falls inside an interval already known."""
    for key, start, end in existing:
        if start <= moment and (end is None or moment < end):
            return ('overlap', key)
    return ('open', None)


def pair_stop(existing, moment):
    """Where a stop at ``moment`` goes: ('close', key) for the latest interval running since
    before ``moment``, or ('none', None) when no interval was running then."""
    running = [(start, key) for key, start, end in existing if end is None and start <= moment]
    if running:
        return ('close', max(running)[1])
    return ('none', None)


def first_overlap(existing, start, end):
    """The key of the first of ``existing`` intervals (key, start, end; end None while running)
    that shares time with ``start``..``end`` (``end`` None: running on), or None. Intervals
    that only touch (one stops when the other starts) do not overlap."""
    for key, other_start, other_end in sorted(existing, key=lambda i: i[1]):
        if not _disjoint(start, end, other_start, other_end):
            return key
    return None
