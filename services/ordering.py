"""Time and order of terminal events, without the ORM.

Terminal clocks drift; the server measures each request's offset (server receipt minus the
terminal's ``sent_at``) and corrects every event time by it. The order the fold applies events
in is ``execution_records.true_time_key`` (corrected time, then terminal and ``seq``).
"""
from datetime import timedelta
from typing import NamedTuple


def clock_offset(received_at, sent_at):
    """Server clock minus terminal clock as one request measures it, as a timedelta: the
    clock's error plus the time the request took to reach the server's clock reading."""
    return received_at - sent_at


# A request can wait in a busy or restarting server's queue before its receipt time is read,
# and the wait adds to the measured offset: a batch that waited 20 s would land 20 s late,
# after events its tablet sent later (a finish before the produce tapped ahead of it). A clock
# does not jump by seconds between requests minutes apart, so the smallest offset measured
# lately is the clock's (NTP's clock filter keeps its least-delayed sample for the same reason).
SAMPLE_LIFETIME = timedelta(minutes=10)   # long enough to span an outage, short against drift
MAX_QUEUE_WAIT = timedelta(seconds=30)    # the tablet gives up on a request after 30 s (api.js)


class ClockSample(NamedTuple):
    offset: timedelta     # what this request's event times are corrected by
    sampled: bool         # measured now (the terminal keeps it as its sample) or a kept sample


def request_offset(measured, known, known_at, now):
    """The offset to correct a request's times by: the terminal's kept sample ``known`` (measured
    at ``known_at``, both None when there is none) while it is recent and ``measured`` exceeds
    it by no more than a request can wait; else ``measured``, a new sample (a smaller offset,
    an old sample, or a clock set anew)."""
    if known is not None and known_at is not None and timedelta(0) <= now - known_at <= SAMPLE_LIFETIME \
            and timedelta(0) <= measured - known <= MAX_QUEUE_WAIT:
        return ClockSample(known, False)
    return ClockSample(measured, True)


def offset_ms(offset):
    return int(round(offset.total_seconds() * 1000))


def corrected_time(at, offset):
    return at + offset


def seconds_in_future(corrected_at, now):
    """How far ahead of the server an event claims to be (<= 0 when in the past)."""
    return (corrected_at - now).total_seconds()


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


def intersect(intervals, others):
    """The parts of ``intervals`` that lie inside ``others``."""
    return subtract(intervals, subtract(intervals, others))


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


def first_overlap(existing, start, end):
    """The key of the first of ``existing`` intervals (key, start, end; end None while running)
    that shares time with ``start``..``end`` (``end`` None: running on), or None. Intervals
    that only touch (one stops when the other starts) do not overlap."""
    for key, other_start, other_end in sorted(existing, key=lambda i: i[1]):
        if not _disjoint(start, end, other_start, other_end):
            return key
    return None
