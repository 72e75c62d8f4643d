"""Loss classification and the one timeline (services/oee_timeline.py)."""
from datetime import datetime

import pytest

from services import oee_timeline as tl, ordering
from services.oee_timeline import Completion


def hm(hour, minute=0, day=24):
    return datetime(2026, 11, day, hour, minute)


NOW = hm(23)


class TestGaps:
    def test_a_long_pause_without_output_is_a_stop_a_short_one_a_micro_stop(self):
        # one unit every 3 min ideally; logged in and running 06:00-09:00
        done = [Completion(hm(6, 3), 3, 3),      # head 3 min: exactly its ideal cycle
                Completion(hm(6, 10), 3, 3),     # 7 min: 4 min pause -> micro-stop (< 5)
                Completion(hm(7, 21), 3, 3),     # 71 min: 68 min pause -> stop (the case)
                Completion(hm(7, 25), 3, 3)]     # 4 min: a 1 min pause, shorter than a cycle -> speed loss
        gaps = tl.classify_gaps(done, [(hm(6), hm(9))], 5.0, NOW)
        assert gaps.micro == [(hm(6, 3), hm(6, 7))]
        assert gaps.stops == [(hm(6, 10), hm(7, 18)),       # all but the last unit's 3 min
                              (hm(7, 25), hm(9))]          # the run ended 95 min after its last output

    def test_a_batch_report_needs_its_units_ideal_time(self):
        # 10 units reported at once after 32 min: they needed 30, a 2 min pause
        gaps = tl.classify_gaps([Completion(hm(6, 32), 30, 3)], [(hm(6), None)], 5.0, hm(6, 40))
        assert gaps == tl.Gaps([], [])

    def test_only_running_time_counts(self):
        runs = [(hm(6), hm(6, 20)), (hm(7), None)]      # a reported breakdown 06:20-07:00
        gaps = tl.classify_gaps([Completion(hm(7, 5), 6, 3)], runs, 5.0, hm(7, 6))
        assert gaps.stops == [(hm(6), hm(6, 19))]           # 25 running min for 6 needed: 19 stopped
        assert gaps.micro == []

    def test_an_open_run_without_output_since_longer_than_the_threshold_is_stopped_up_to_now(self):
        # the 71 min, seen live: logged in and running, last unit 06:10, now 07:21
        done = [Completion(hm(6, 3), 3, 3), Completion(hm(6, 10), 3, 3)]
        gaps = tl.classify_gaps(done, [(hm(6), None)], 5.0, hm(7, 21))
        assert gaps.stops == [(hm(6, 13), hm(7, 21))]       # beyond the unit in progress, up to now
        # the same once the unit arrives: the stop's minutes do not change, only its place
        arrived = tl.classify_gaps(done + [Completion(hm(7, 21), 3, 3)], [(hm(6), None)], 5.0, hm(7, 21))
        assert ordering.minutes(arrived.stops) == ordering.minutes(gaps.stops) == 68

    def test_an_open_run_shorter_without_output_is_nothing_yet(self):
        done = [Completion(hm(6, 3), 3, 3), Completion(hm(6, 10), 3, 3)]
        for now in (hm(6, 12), hm(6, 17), hm(6, 18)):       # up to the threshold beyond one cycle
            assert tl.classify_gaps(done, [(hm(6), None)], 5.0, now) == tl.Gaps([(hm(6, 3), hm(6, 7))], [])
        # a long cycle is not a stop while the unit in progress may still be within it
        slow = [Completion(hm(6, 40), 40, 40)]
        assert tl.classify_gaps(slow, [(hm(6), None)], 5.0, hm(7, 25)) == tl.Gaps([], [])
        assert tl.classify_gaps(slow, [(hm(6), None)], 5.0, hm(7, 30)).stops == [(hm(7, 20), hm(7, 30))]

    def test_an_open_run_counts_only_its_running_time_since_the_last_output(self):
        # a reported stop 06:20-07:00 between two runs; the open run produced nothing yet
        runs = [(hm(6), hm(6, 20)), (hm(7), None)]
        gaps = tl.classify_gaps([Completion(hm(6, 15), 3, 3)], runs, 5.0, hm(7, 30))
        assert gaps.stops == [(hm(6), hm(6, 12)), (hm(6, 18), hm(6, 20)), (hm(7), hm(7, 30))]  # 5 + 30, less a cycle

    def test_the_threshold_is_checked(self):
        with pytest.raises(ValueError, match='threshold'):
            tl.classify_gaps([], [], 0, NOW)


class TestScheduledDays:
    def test_a_day_counts_when_work_was_scheduled_or_done_on_it(self):
        days = [(hm(0, day=d), hm(0, day=d + 1)) for d in (23, 24, 25)]
        busy = [(hm(22, day=24), hm(2, day=25)),            # an order scheduled over midnight
                (hm(10, day=23), hm(10, day=23))]           # a unit completed
        assert tl.scheduled_days(days, busy) == days
        assert tl.scheduled_days(days, []) == []
        assert tl.scheduled_days(days, busy[1:]) == days[:1]


class TestSegments:
    def parts(self, scheduled=True, now=NOW):
        window = (hm(5), hm(15))
        calendar = [(hm(6), hm(14))]
        return tl.segments(window, now, calendar, [window] if scheduled else [],
                           planned_stops=[(hm(10), hm(10, 30), 'BREAK')],
                           downtimes=[(hm(8), hm(8, 30), 'BRK')], slowdowns=[(hm(11), hm(11, 15), 'SLOW')],
                           runs=[(hm(6), hm(8)), (hm(8, 30), hm(10, 10)), (hm(10, 30), hm(11)),
                                 (hm(11, 15), hm(12)), (hm(13, 50), hm(14, 20))],
                           micro=[(hm(7), hm(7, 4))], stops=[(hm(9), hm(9, 20))])

    def test_every_moment_has_one_state_and_the_sums_are_the_records(self):
        parts = self.parts()
        assert sum((p.end - p.start).total_seconds() for p in parts) == 10 * 3600
        by_state, by_plan = tl.totals(parts)
        assert by_plan == {'closed': 120, 'plan': 450, 'stop': 30}
        assert by_state['running'] == 120 - 4 + 100 - 10 - 20 + 30 + 45 + 10
        assert by_state['micro'] == 4 and by_state['stop'] == 20 and by_state['slow'] == 15
        assert by_state['down'] == 30
        assert by_state['overtime'] == 10 + 20               # through the break, after the shift
        assert by_state['planned'] == 20
        assert by_state['idle'] == 110                       # 12:00-13:50
        assert sum(by_state[s] for s in tl.IN_PLAN) == by_plan['plan']

    def test_a_day_with_nothing_scheduled_is_no_loss(self):
        by_state, by_plan = tl.totals(self.parts(scheduled=False))
        assert by_plan == {'closed': 120, 'unscheduled': 450, 'stop': 30}
        assert not set(by_state) & set(tl.IN_PLAN)          # no loss of any kind, its running is overtime

    def test_after_now_nothing_is_judged(self):
        parts = self.parts(now=hm(9))
        assert parts[-1] == tl.Segment('future', None, hm(9), hm(15), 'future', None)
