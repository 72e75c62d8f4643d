"""One operator on several work orders at once: the person's time is split between them.

An operator who starts three orders and runs them side by side works one hour per hour, not
three; each order is charged its share of every moment it shared (equal shares by default,
or in proportion to the ``weights`` a company setting gives). Machine run time is not split:
each machine really runs.
"""
from collections import namedtuple

from . import ordering

Share = namedtuple('Share', 'start end fraction')


def split_concurrent(intervals_by_workorder, now=None, weights=None):
    """Split one operator's time: ``{workorder: [(start, end), ...]}`` (that operator's labor
    intervals on each order) -> ``{workorder: [Share(start, end, fraction), ...]}``.

    Open intervals run until ``now``; without ``now`` they are not charged yet. ``weights``
    (``{workorder: positive number}``, default 1 each) sets each order's part of a shared
    moment. Consecutive pieces with the same fraction are merged.
    """
    spans = {wo: _ended(ordering.union(intervals), now) for wo, intervals in intervals_by_workorder.items()}
    weight = (lambda wo: weights[wo]) if weights else (lambda wo: 1.0)
    moments = sorted({moment for intervals in spans.values() for interval in intervals for moment in interval})
    shares = {wo: [] for wo in spans}
    for start, end in zip(moments, moments[1:]):
        active = [wo for wo, intervals in spans.items() if _covers(intervals, start, end)]
        total = sum(weight(wo) for wo in active)
        for wo in active:
            _extend(shares[wo], Share(start, end, weight(wo) / total))
    return shares


def charged_minutes(shares):
    """Minutes charged by a list of ``Share``."""
    return sum((share.end - share.start).total_seconds() * share.fraction for share in shares) / 60.0


def _ended(intervals, now):
    ended = [(start, end if end is not None else now) for start, end in intervals]
    return [(start, end) for start, end in ended if end is not None and end > start]


def _covers(intervals, start, end):
    return any(i_start <= start and end <= i_end for i_start, i_end in intervals)


def _extend(pieces, piece):
    """Append ``piece``, merged into the last one when it continues it at the same fraction."""
    if pieces and pieces[-1].end == piece.start and pieces[-1].fraction == piece.fraction:
        pieces[-1] = pieces[-1]._replace(end=piece.end)
    else:
        pieces.append(piece)
