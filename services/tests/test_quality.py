"""Quality checks in plain numbers (services/quality.py): which pieces are due, a check's result."""
from services.quality import due_pieces, outcome


class TestDuePieces:

    def test_first_piece_of_a_run(self):
        assert due_pieces('first', 0, 0, False) == []             # planned, not started: nothing due
        assert due_pieces('first', 0, 0, True) == [1]
        assert due_pieces('first', 0, 40, True) == [1]            # one first piece, however many follow

    def test_every_nth_unit(self):
        assert due_pieces('nth', 10, 9.99, True) == []
        assert due_pieces('nth', 10, 10, True) == [10]
        assert due_pieces('nth', 10, 25, True) == [10, 20]
        assert due_pieces('nth', 10, 29.9999999, True) == [10, 20, 30]   # float noise is not a missed check
        assert due_pieces('nth', 0, 3, True) == [1, 2, 3]                # N below 1 is every unit

    def test_every_unit(self):
        assert due_pieces('every', 0, 3.5, True) == [1, 2, 3]
        assert due_pieces('every', 7, 2, True) == [1, 2]                 # N is ignored


class TestOutcome:

    def test_a_measurement_outside_the_tolerance_fails_whatever_was_tapped(self):
        assert outcome('pass', 'measure', 10.6, 9.5, 10.5) == 'fail'
        assert outcome('pass', 'measure', 9.4, 9.5, 10.5) == 'fail'

    def test_otherwise_the_operators_verdict_stands(self):
        assert outcome('pass', 'measure', 10.5, 9.5, 10.5) == 'pass'     # the limits are inside
        assert outcome('fail', 'measure', 10.0, 9.5, 10.5) == 'fail'
        assert outcome('pass', 'measure', None, 9.5, 10.5) == 'pass'     # no value sent
        assert outcome('pass', 'passfail', 99.0, 9.5, 10.5) == 'pass'    # only a measurement is judged
