"""Quality checks without the ORM: which pieces of a work order a point wants checked, and what
a check's result is (``mes.quality.point`` and ``mes.quality.check`` apply them)."""
import math


def due_pieces(frequency, every_n, produced, started):
    """Piece numbers a point of ``frequency`` ('first', 'every' or 'nth', every ``every_n``)
    wants checked on a work order that has ``produced`` good units and has (or has not)
    ``started``: piece 1 once started for the first piece of a run, else each multiple of N
    (N = 1 for every unit) that the good quantity reaches.

    >>> due_pieces('first', 0, 0, True), due_pieces('nth', 10, 25, True), due_pieces('every', 0, 3.5, True)
    ([1], [10, 20], [1, 2, 3])
    """
    if frequency == 'first':
        return [1] if started else []
    step = 1 if frequency == 'every' else max(int(every_n), 1)
    whole = int(math.floor(produced + 1e-6))
    return list(range(step, whole + 1, step))


def outcome(tapped, kind, value, lower, upper):
    """The check's result: a measurement outside [lower, upper] fails whatever was tapped;
    otherwise the operator's pass or fail stands."""
    if kind == 'measure' and value is not None and not lower <= value <= upper:
        return 'fail'
    return tapped
