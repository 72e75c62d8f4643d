"""Clock correction and intervals (services/ordering.py)."""
import random
from datetime import datetime, timedelta

import pytest

from services import contract, ordering
from services.tests.support import T0, at, span


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


class TestRequestOffset:
    """The offset a request's times are corrected by: a wait in the server's queue is no clock error."""
    NOW = datetime(2026, 11, 24, 8, 0, 0)
    SLOW = timedelta(minutes=-10)       # the tablet's clock is 10 minutes fast: the server is behind it

    def test_first_request_is_a_sample(self):
        assert ordering.request_offset(self.SLOW, None, None, self.NOW) == (self.SLOW, True)

    @pytest.mark.parametrize('waited', [timedelta(0), timedelta(milliseconds=1), timedelta(seconds=20),
                                        ordering.MAX_QUEUE_WAIT])
    def test_a_request_that_waited_keeps_the_recent_sample(self, waited):
        sampled_at = self.NOW - timedelta(minutes=4)
        assert ordering.request_offset(self.SLOW + waited, self.SLOW, sampled_at, self.NOW) == (self.SLOW, False)

    def test_a_smaller_offset_is_a_new_sample(self):
        sampled_at = self.NOW - timedelta(minutes=1)
        smaller = self.SLOW - timedelta(milliseconds=3)
        assert ordering.request_offset(smaller, self.SLOW, sampled_at, self.NOW) == (smaller, True)

    def test_a_clock_set_back_by_more_than_a_request_can_wait_is_a_new_sample(self):
        sampled_at = self.NOW - timedelta(minutes=1)
        reset = self.SLOW + ordering.MAX_QUEUE_WAIT + timedelta(milliseconds=1)
        assert ordering.request_offset(reset, self.SLOW, sampled_at, self.NOW) == (reset, True)

    def test_an_old_sample_is_measured_again(self):
        sampled_at = self.NOW - ordering.SAMPLE_LIFETIME - timedelta(seconds=1)
        later = self.SLOW + timedelta(seconds=2)
        assert ordering.request_offset(later, self.SLOW, sampled_at, self.NOW) == (later, True)

    def test_a_sample_from_the_future_is_not_trusted(self):
        # a server clock set back, or a test that sends yesterday's batch after today's
        sampled_at = self.NOW + timedelta(minutes=1)
        later = self.SLOW + timedelta(seconds=2)
        assert ordering.request_offset(later, self.SLOW, sampled_at, self.NOW) == (later, True)


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
