"""A work order's closed labor intervals, kept as the JSON text they were stored as.

Closed intervals never change, and they are most of what a long order's recorded state holds.
The record stage walks on from a snapshot for each new batch: parsing every closed interval
from the snapshot and writing it out again, for each order each time, cost more than the rest
of the walk after a few hundred events. ``ClosedLabor`` keeps the stored ones as text, adds the
newly closed ones after them, and writes the whole list by joining the two texts; it parses the
stored ones only when someone asks for the intervals themselves (a full state).

The text of a list is the same whether it was written at once or joined from its parts
(``json.dumps`` of the whole list), so the recorded state does not depend on how it was walked.
"""
import json

from .execution_records import LaborInterval
from .server_time import moment, stamp


def interval_to_json(interval):
    """A labor interval as the recorded state and the snapshot hold it."""
    return [interval.employee, stamp(interval.start), stamp(interval.end), interval.start_event,
            interval.end_event, interval.closed_by_finish]


def interval_from_json(item):
    employee, start, end, start_event, end_event, closed_by_finish = item
    return LaborInterval(employee, moment(start), moment(end), start_event, end_event, closed_by_finish)


def join_json(first, second):
    """The text of a JSON list that is the list ``first`` (text) followed by ``second`` (text)."""
    if first == '[]':
        return second
    if second == '[]':
        return first
    return first[:-1] + ', ' + second[1:]


class ClosedLabor:
    """Append-only list of closed labor intervals: ``stored`` (the JSON text read back from a
    snapshot) followed by those closed since."""

    def __init__(self, stored='[]'):
        self._stored = stored
        self._parsed = None if stored != '[]' else []
        self.added = []

    def append(self, interval):
        self.added.append(interval)

    def intervals(self):
        """All of them, in the order they were closed."""
        if self._parsed is None:
            self._parsed = [interval_from_json(item) for item in json.loads(self._stored)]
        return self._parsed + self.added

    def __iter__(self):
        return iter(self.intervals())

    def __len__(self):
        return len(self.intervals())

    def to_json(self, after=()):
        """The JSON text of all of them, then of ``after`` (intervals still open)."""
        extra = self.added + list(after)
        if not extra:
            return self._stored
        return join_json(self._stored, json.dumps([interval_to_json(i) for i in extra]))
