"""Clock correction, order of application and intervals (services/ordering.py)."""
import random
from collections import namedtuple
from datetime import datetime, timedelta

import pytest

from services import contract, ordering
from services.tests.support import T0, at, span

Ev = namedtuple('Ev', 'name seq at')


# -- clock -------------------------------------------------------------------------------------

class TestClock:

    RECEIVED = datetime(2026, 11, 24, 7, 0, 3, 120000)

    def test_terminal_ten_minutes_behind(self):
        sent_at = self.RECEIVED - timedelta(minutes=10)
        offset = ordering.clock_offset(self.RECEIVED, sent_at)
        assert offset == timedelta(minutes=10)
        assert ordering.offset_ms(offset) == 600000
        # the event happened 5 s before sending by the terminal's clock
        event_at = sent_at - timedelta(seconds=5)
        assert ordering.corrected_time(event_at, offset) == self.RECEIVED - timedelta(seconds=5)

    def test_terminal_ten_minutes_ahead(self):
        sent_at = self.RECEIVED + timedelta(minutes=10)
        offset = ordering.clock_offset(self.RECEIVED, sent_at)
        assert offset == timedelta(minutes=-10)
        assert ordering.offset_ms(offset) == -600000
        event_at = sent_at - timedelta(seconds=5)
        corrected = ordering.corrected_time(event_at, offset)
        assert corrected == self.RECEIVED - timedelta(seconds=5)
        # by its own clock the event is 9:55 min ahead; corrected, it is in the past
        assert ordering.seconds_in_future(event_at, self.RECEIVED) == pytest.approx(595.0)
        assert ordering.seconds_in_future(corrected, self.RECEIVED) == pytest.approx(-5.0)

    def test_in_sync_terminal(self):
        offset = ordering.clock_offset(self.RECEIVED, self.RECEIVED)
        assert offset == timedelta(0)
        assert ordering.offset_ms(offset) == 0
        assert ordering.corrected_time(T0, offset) == T0

    def test_offset_from_the_contract_example(self):
        sent_at = contract.parse_time('2026-11-24T07:00:03.120Z', 'sent_at')
        received = datetime(2026, 11, 24, 7, 0, 4, 5000)
        assert ordering.offset_ms(ordering.clock_offset(received, sent_at)) == 885

    @pytest.mark.parametrize('delta,expected', [
        (timedelta(milliseconds=1234, microseconds=400), 1234),
        (timedelta(milliseconds=1234, microseconds=600), 1235),
        (-timedelta(milliseconds=1234, microseconds=600), -1235),
        (timedelta(microseconds=1), 0),
        (timedelta(hours=5), 5 * 3600 * 1000),
        (timedelta(days=-3, milliseconds=7), -3 * 86400000 + 7),
    ])
    def test_offset_ms_rounds_to_integer_milliseconds(self, delta, expected):
        value = ordering.offset_ms(delta)
        assert value == expected
        assert isinstance(value, int)

    def test_seconds_in_future(self):
        now = self.RECEIVED
        assert ordering.seconds_in_future(now + timedelta(minutes=5), now) == 300.0
        assert ordering.seconds_in_future(now + timedelta(milliseconds=1500), now) == 1.5
        assert ordering.seconds_in_future(now, now) == 0
        assert ordering.seconds_in_future(now - timedelta(hours=3), now) == -3 * 3600.0

    def test_fits_after(self):
        assert ordering.fits_after(at(10), None)
        assert ordering.fits_after(at(10), at(10))
        assert ordering.fits_after(at(10), at(5))
        assert not ordering.fits_after(at(10), at(11))


# -- application order -------------------------------------------------------------------------

def names(events):
    return [events[i].name for i in ordering.application_order(events)]


class TestApplicationOrder:

    def test_empty(self):
        assert ordering.application_order([]) == []

    def test_seq_wins_over_time(self):
        # the terminal's sequence is its true order, even when its clock jumped backwards
        events = [Ev('b', 2, at(0)), Ev('a', 1, at(30)), Ev('c', 3, at(-60))]
        assert names(events) == ['a', 'b', 'c']

    def test_time_breaks_seq_ties(self):
        events = [Ev('late', 5, at(10)), Ev('early', 5, at(1)), Ev('mid', 5, at(5))]
        assert names(events) == ['early', 'mid', 'late']

    def test_events_without_seq_come_after_by_time(self):
        events = [Ev('n2', None, at(6)), Ev('s2', 2, at(50)), Ev('s1', 1, at(40)),
                  Ev('n1', None, at(-5)), Ev('s0', 0, at(60))]
        assert names(events) == ['s0', 's1', 's2', 'n1', 'n2']

    def test_seq_zero_is_not_treated_as_missing(self):
        events = [Ev('none', None, at(0)), Ev('zero', 0, at(100))]
        assert names(events) == ['zero', 'none']

    def test_equal_keys_keep_request_order(self):
        events = [Ev(str(i), 7, at(3)) for i in range(10)]
        assert ordering.application_order(events) == list(range(10))
        events = [Ev(str(i), None, at(3)) for i in range(10)]
        assert ordering.application_order(events) == list(range(10))

    def test_returns_indices_of_the_input(self):
        events = [Ev('b', 2, at(0)), Ev('a', 1, at(0))]
        assert ordering.application_order(events) == [1, 0]
        assert events == [Ev('b', 2, at(0)), Ev('a', 1, at(0))]  # input untouched

    @pytest.mark.parametrize('seed', range(20))
    def test_shuffled_batch_comes_back_in_seq_order(self, seed):
        rng = random.Random(seed)
        # seq 100..199 with times that go back and forth (the clock was adjusted mid-shift)
        batch = [Ev('e%d' % seq, seq, at(rng.randint(-600, 600))) for seq in range(100, 200)]
        shuffled = batch[:]
        rng.shuffle(shuffled)
        ordered = [shuffled[i] for i in ordering.application_order(shuffled)]
        assert [e.seq for e in ordered] == list(range(100, 200))

    def test_works_with_parsed_events(self):
        def event(seq, at_text):
            return contract.Event('id%s' % seq, seq, 'start', 17, 'B-1',
                                  contract.parse_time(at_text, 'at'), {})
        events = [event(3, '2026-11-24T07:00:00Z'), event(None, '2026-11-24T06:00:00Z'),
                  event(1, '2026-11-24T08:00:00Z')]
        assert ordering.application_order(events) == [2, 0, 1]


# -- union -------------------------------------------------------------------------------------

class TestUnion:

    def test_empty(self):
        assert ordering.union([]) == []

    def test_single(self):
        assert ordering.union([span(0, 30)]) == [span(0, 30)]

    def test_overlap(self):
        assert ordering.union([span(0, 30), span(20, 50)]) == [span(0, 50)]

    def test_touching(self):
        assert ordering.union([span(0, 30), span(30, 50)]) == [span(0, 50)]

    def test_gap_kept(self):
        assert ordering.union([span(0, 30), span(31, 50)]) == [span(0, 30), span(31, 50)]

    def test_nested(self):
        assert ordering.union([span(0, 60), span(10, 20)]) == [span(0, 60)]
        assert ordering.union([span(10, 20), span(0, 60)]) == [span(0, 60)]

    def test_same_start(self):
        assert ordering.union([span(0, 10), span(0, 40), span(0, 20)]) == [span(0, 40)]

    def test_open_interval_absorbs_later_ones(self):
        got = ordering.union([span(0, None), span(10, 20), span(30, None), span(100, 200)])
        assert got == [span(0, None)]

    def test_open_interval_starting_inside_a_closed_one(self):
        assert ordering.union([span(0, 30), span(20, None)]) == [span(0, None)]
        assert ordering.union([span(0, 30), span(30, None)]) == [span(0, None)]

    def test_open_interval_after_a_gap(self):
        assert ordering.union([span(0, 30), span(40, None)]) == [span(0, 30), span(40, None)]

    def test_open_and_closed_with_the_same_start(self):
        assert ordering.union([span(0, 30), span(0, None)]) == [span(0, None)]
        assert ordering.union([span(0, None), span(0, 30)]) == [span(0, None)]

    def test_unsorted_input(self):
        got = ordering.union([span(40, 50), span(0, 10), span(5, 20), span(45, 60)])
        assert got == [span(0, 20), span(40, 60)]

    def test_input_not_mutated(self):
        intervals = [span(40, 50), span(0, 10), span(5, 20)]
        copy = list(intervals)
        ordering.union(intervals)
        assert intervals == copy


# -- subtract ----------------------------------------------------------------------------------

class TestSubtract:

    def test_no_holes(self):
        assert ordering.subtract([span(0, 60)], []) == [span(0, 60)]

    def test_hole_in_middle(self):
        assert ordering.subtract([span(0, 60)], [span(20, 30)]) == [span(0, 20), span(30, 60)]

    def test_hole_covering_all(self):
        assert ordering.subtract([span(10, 20)], [span(0, 60)]) == []
        assert ordering.subtract([span(10, 20)], [span(10, 20)]) == []

    def test_hole_at_the_edges(self):
        assert ordering.subtract([span(10, 50)], [span(0, 20)]) == [span(20, 50)]
        assert ordering.subtract([span(10, 50)], [span(40, 70)]) == [span(10, 40)]
        assert ordering.subtract([span(10, 50)], [span(10, 20)]) == [span(20, 50)]

    def test_disjoint_and_touching_holes_change_nothing(self):
        assert ordering.subtract([span(10, 50)], [span(0, 5), span(60, 70)]) == [span(10, 50)]
        assert ordering.subtract([span(10, 50)], [span(0, 10), span(50, 70)]) == [span(10, 50)]

    def test_open_interval_minus_closed_hole(self):
        assert ordering.subtract([span(0, None)], [span(10, 20)]) == [span(0, 10), span(20, None)]

    def test_open_interval_minus_hole_before_it(self):
        assert ordering.subtract([span(30, None)], [span(10, 20)]) == [span(30, None)]
        assert ordering.subtract([span(30, None)], [span(10, 40)]) == [span(40, None)]

    def test_open_ended_hole(self):
        assert ordering.subtract([span(0, 60)], [span(30, None)]) == [span(0, 30)]
        assert ordering.subtract([span(40, 60)], [span(30, None)]) == []
        assert ordering.subtract([span(0, 60)], [span(60, None)]) == [span(0, 60)]

    def test_open_interval_minus_open_hole(self):
        assert ordering.subtract([span(0, None)], [span(30, None)]) == [span(0, 30)]
        assert ordering.subtract([span(30, None)], [span(0, None)]) == []

    def test_several_unsorted_overlapping_holes(self):
        got = ordering.subtract([span(0, 100)], [span(50, 60), span(10, 20), span(15, 25)])
        assert got == [span(0, 10), span(25, 50), span(60, 100)]

    def test_several_intervals_and_holes(self):
        got = ordering.subtract([span(0, 30), span(50, 80), span(20, 40)],
                                [span(35, 55), span(70, None)])
        assert got == [span(0, 35), span(55, 70)]

    def test_labour_minus_downtime_example(self):
        # 8 h shift, 45 min downtime of which 15 min in the break, 30 min break
        labour = [span(0, 240), span(270, 510)]
        down = [span(100, 130), span(255, 285)]
        net = ordering.subtract(labour, down)
        assert net == [span(0, 100), span(130, 240), span(285, 510)]
        assert ordering.minutes(net) == 435.0


# -- minutes -----------------------------------------------------------------------------------

class TestMinutes:

    def test_empty(self):
        assert ordering.minutes([]) == 0.0
        assert ordering.minutes([], now=at(10)) == 0.0

    def test_closed(self):
        assert ordering.minutes([span(0, 30), span(40, 50)]) == 40.0

    def test_seconds_are_fractions(self):
        assert ordering.minutes([(at(0), at(0) + timedelta(seconds=90))]) == 1.5

    def test_open_interval_without_now_counts_nothing(self):
        assert ordering.minutes([span(0, 30), span(40, None)]) == 30.0

    def test_open_interval_counts_up_to_now(self):
        assert ordering.minutes([span(0, 30), span(40, None)], now=at(60)) == 50.0

    def test_now_does_not_change_closed_intervals(self):
        assert ordering.minutes([span(0, 30)], now=at(10)) == 30.0

    def test_open_interval_starting_after_now_counts_nothing(self):
        assert ordering.minutes([span(40, None)], now=at(20)) == 0.0

    def test_empty_and_reversed_intervals_count_nothing(self):
        assert ordering.minutes([span(10, 10), span(30, 20)]) == 0.0


# -- pairing -----------------------------------------------------------------------------------

class TestPairStart:

    def test_nothing_known(self):
        assert ordering.pair_start([], at(0)) == ('open', None)

    def test_overlap_inside_a_closed_interval(self):
        existing = [(1, at(0), at(60))]
        assert ordering.pair_start(existing, at(30)) == ('overlap', 1)
        assert ordering.pair_start(existing, at(0)) == ('overlap', 1)

    def test_start_at_the_end_of_a_closed_interval_is_new(self):
        assert ordering.pair_start([(1, at(0), at(60))], at(60)) == ('open', None)

    def test_overlap_after_an_open_start(self):
        existing = [(1, at(0), at(30)), (2, at(40), None)]
        assert ordering.pair_start(existing, at(45)) == ('overlap', 2)
        assert ordering.pair_start(existing, at(600)) == ('overlap', 2)

    def test_late_start_before_an_existing_interval_lands_in_its_place(self):
        # the terminal was offline; its start is older than intervals other terminals reported
        existing = [(1, at(60), at(120)), (2, at(180), None)]
        assert ordering.pair_start(existing, at(30)) == ('open', None)
        assert ordering.pair_start(existing, at(150)) == ('open', None)
        assert ordering.pair_start(existing, at(90)) == ('overlap', 1)

    def test_open_new_interval_before_a_running_one(self):
        assert ordering.pair_start([(7, at(60), None)], at(10)) == ('open', None)


class TestPairStop:

    def test_nothing_known(self):
        assert ordering.pair_stop([], at(0)) == ('none', None)

    def test_closes_the_running_interval(self):
        assert ordering.pair_stop([(1, at(0), None)], at(30)) == ('close', 1)

    def test_stop_at_the_very_start_closes_it(self):
        assert ordering.pair_stop([(1, at(0), None)], at(0)) == ('close', 1)

    def test_closes_the_latest_running_interval_started_before(self):
        existing = [(1, at(0), None), (2, at(60), None), (3, at(120), None)]
        assert ordering.pair_stop(existing, at(90)) == ('close', 2)
        assert ordering.pair_stop(existing, at(30)) == ('close', 1)
        assert ordering.pair_stop(existing, at(500)) == ('close', 3)

    def test_order_of_existing_does_not_matter(self):
        existing = [(3, at(120), None), (1, at(0), None), (2, at(60), None)]
        assert ordering.pair_stop(existing, at(90)) == ('close', 2)

    def test_closed_intervals_are_never_closed_again(self):
        existing = [(1, at(0), at(30)), (2, at(10), None)]
        assert ordering.pair_stop(existing, at(20)) == ('close', 2)
        assert ordering.pair_stop([(1, at(0), at(30))], at(20)) == ('none', None)

    def test_none_when_the_only_running_interval_starts_later(self):
        assert ordering.pair_stop([(1, at(60), None)], at(30)) == ('none', None)
        assert ordering.pair_stop([(1, at(0), at(20)), (2, at(60), None)], at(30)) == ('none', None)


# -- properties --------------------------------------------------------------------------------

def random_intervals(rng, count, with_open=False):
    intervals = []
    for _ in range(count):
        start = rng.randint(0, 600)
        intervals.append(span(start, start + rng.randint(0, 90)))
    if with_open:
        for _ in range(rng.randint(1, 3)):
            intervals.append(span(rng.randint(0, 700), None))
    return intervals


def covered(intervals, horizon):
    """Brute force: the set of whole minutes [m, m+1) covered, open intervals up to horizon."""
    minutes = set()
    for start, end in intervals:
        first = int((start - T0).total_seconds() // 60)
        last = horizon if end is None else int((end - T0).total_seconds() // 60)
        minutes.update(range(first, last))
    return minutes


class TestProperties:

    @pytest.mark.parametrize('with_open', [False, True])
    def test_union_and_minutes_do_not_depend_on_input_order(self, with_open):
        rng = random.Random(20261124)
        intervals = random_intervals(rng, 25, with_open)
        now = at(800)
        ordered = sorted(intervals, key=lambda i: (i[0], i[1] is None, i[1] or T0))
        expected_union = ordering.union(ordered)
        expected_minutes = ordering.minutes(expected_union, now=now)
        expected_raw_minutes = ordering.minutes(ordered, now=now)
        for _ in range(200):
            shuffled = intervals[:]
            rng.shuffle(shuffled)
            assert ordering.union(shuffled) == expected_union
            assert ordering.minutes(ordering.union(shuffled), now=now) == expected_minutes
            assert ordering.minutes(shuffled, now=now) == expected_raw_minutes
            assert ordering.minutes(ordering.union(shuffled)) == ordering.minutes(expected_union)

    @pytest.mark.parametrize('seed', range(50))
    def test_union_matches_brute_force(self, seed):
        rng = random.Random(seed)
        intervals = random_intervals(rng, rng.randint(0, 20), with_open=seed % 2 == 1)
        horizon = 1000
        merged = ordering.union(intervals)
        assert covered(merged, horizon) == covered(intervals, horizon)
        assert ordering.minutes(merged, now=at(horizon)) == len(covered(intervals, horizon))
        # sorted, disjoint and not touching; only the last may be open
        for (s1, e1), (s2, _e2) in zip(merged, merged[1:]):
            assert e1 is not None and s1 <= e1 < s2

    @pytest.mark.parametrize('seed', range(50))
    def test_subtract_matches_brute_force(self, seed):
        rng = random.Random(1000 + seed)
        intervals = random_intervals(rng, rng.randint(0, 12), with_open=seed % 3 == 0)
        holes = random_intervals(rng, rng.randint(0, 8), with_open=seed % 4 == 0)
        horizon = 1000
        rest = ordering.subtract(intervals, holes)
        assert covered(rest, horizon) == covered(intervals, horizon) - covered(holes, horizon)
        assert all(end is None or end > start for start, end in rest)
        rng.shuffle(intervals)
        rng.shuffle(holes)
        assert ordering.subtract(intervals, holes) == rest


# -- a supervisor's corrected interval against the operator's others ---------------------------

class TestFirstOverlap:

    EXISTING = [('a', at(0), at(30)), ('b', at(60), None)]

    def test_inside_before_and_touching(self):
        assert ordering.first_overlap(self.EXISTING, at(10), at(20)) == 'a'
        assert ordering.first_overlap(self.EXISTING, at(30), at(60)) is None   # touches both
        assert ordering.first_overlap(self.EXISTING, at(-10), at(0)) is None

    def test_a_running_interval_overlaps_everything_after_its_start(self):
        assert ordering.first_overlap(self.EXISTING, at(500), at(510)) == 'b'
        assert ordering.first_overlap(self.EXISTING, at(40), None) == 'b'
