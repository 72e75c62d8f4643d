"""OEE and MTBF/MTTR (services/oee.py)."""
from datetime import datetime

import pytest

from services import oee

REL = 1e-3      # the issue asks for agreement with the hand computation to 0.1 %


def hm(hour, minute=0, day=24, month=11):
    """A naive UTC datetime in 2026."""
    return datetime(2026, month, day, hour, minute)


DAY = (hm(0), hm(0, day=25))
EARLY_SHIFT = [(hm(6), hm(14))]
PLANNED_STOPS = [(hm(10), hm(10, 30)),     # break
                 (hm(12), hm(12, 20))]     # changeover
RUNS = [(hm(6), hm(8)),                    # 08:00-08:45 breakdown
        (hm(8, 45), hm(10, 5)),            # runs 5 min into the break
        (hm(10, 30), hm(12)),
        (hm(12, 20), hm(14, 10))]          # 10 min overtime after the shift


class TestHandMadeDay:
    # Planned   = 480 (06:00-14:00) - 30 (break) - 20 (changeover)           = 430 min
    # Run       = 120 + (80 - 5 in break) + 90 + (110 - 10 after shift)      = 385 min
    # Unplanned run = 5 + 10 = 15 min; downtime = 430 - 385 = 45 (the breakdown)
    # Counts: good 700, scrap 20, rejected 10 -> total 730; ideal cycle 0.5 min
    # A = 385 / 430              = 0.895349
    # P = 0.5 * 730 / 385        = 0.948052
    # Q = 700 / 730              = 0.958904
    # OEE = A * P * Q = 0.5 * 700 / 430 = 0.813953

    def result(self):
        return oee.compute_oee(DAY, EARLY_SHIFT, PLANNED_STOPS, RUNS, 0.5,
                               good=700, scrap=20, rejected=10)

    def test_minutes(self):
        r = self.result()
        assert r.planned_minutes == pytest.approx(430)
        assert r.run_minutes == pytest.approx(385)
        assert r.downtime_minutes == pytest.approx(45)
        assert r.unplanned_run_minutes == pytest.approx(15)
        assert (r.good, r.total) == (700, 730)

    def test_factors(self):
        r = self.result()
        assert r.availability == pytest.approx(0.895349, rel=REL)
        assert r.performance == pytest.approx(0.948052, rel=REL)
        assert r.performance_capped == r.performance
        assert r.quality == pytest.approx(0.958904, rel=REL)
        assert r.oee == pytest.approx(0.813953, rel=REL)

    def test_oee_is_good_output_at_ideal_rate_over_planned_time(self):
        r = self.result()
        assert r.oee == pytest.approx(0.5 * r.good / r.planned_minutes, rel=1e-9)

    def test_result_is_immutable(self):
        with pytest.raises(AttributeError):
            self.result().oee = 1.0

    def test_input_order_does_not_matter(self):
        r = oee.compute_oee(DAY, EARLY_SHIFT, PLANNED_STOPS[::-1], RUNS[::-1], 0.5,
                            good=700, scrap=20, rejected=10)
        assert r == self.result()


class TestEdgeCases:

    def test_no_calendar_means_no_planned_time(self):
        r = oee.compute_oee(DAY, [], [], RUNS, 0.5, good=10)
        assert r.planned_minutes == 0
        assert r.availability is None
        assert r.oee is None
        assert r.run_minutes == 0
        assert r.unplanned_run_minutes == pytest.approx(120 + 80 + 90 + 110)
        assert r.quality == 1.0

    def test_planned_stops_covering_the_whole_calendar(self):
        r = oee.compute_oee(DAY, EARLY_SHIFT, [(hm(5), hm(15))], [], 0.5, good=0)
        assert r.planned_minutes == 0
        assert (r.availability, r.oee) == (None, None)

    def test_calendar_outside_the_period(self):
        r = oee.compute_oee(DAY, [(hm(6, day=25), hm(14, day=25))], [], [], 0.5, good=0)
        assert r.planned_minutes == 0 and r.availability is None

    def test_zero_count(self):
        # Ran the whole shift but counted nothing: P = 0, Q undefined, OEE = 0.
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], EARLY_SHIFT, 0.5, good=0)
        assert r.availability == 1.0
        assert r.performance == 0.0
        assert r.quality is None
        assert r.oee == 0.0

    def test_zero_count_and_no_run(self):
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], [], 0.5, good=0)
        assert (r.availability, r.performance, r.quality, r.oee) == (0.0, 0.0, None, 0.0)
        assert r.downtime_minutes == 480

    def test_counts_without_run_time_cannot_be_judged(self):
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], [], 0.5, good=5)
        assert r.availability == 0.0
        assert r.performance is None and r.performance_capped is None
        assert r.oee is None

    def test_performance_above_one_is_reported_raw_and_capped(self):
        # 60 min run, 150 units at 0.5 min ideal = 75 min of ideal output -> P = 1.25
        r = oee.compute_oee(DAY, [(hm(6), hm(7))], [], [(hm(6), hm(7))], 0.5, good=150)
        assert r.performance == pytest.approx(1.25)
        assert r.performance_capped == 1.0
        assert r.oee == pytest.approx(1.25)

    def test_scrap_and_rejected_lower_quality(self):
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], EARLY_SHIFT, 0.5, good=90, scrap=6,
                            rejected=4)
        assert r.total == 100 and r.quality == pytest.approx(0.9)

    def test_overlapping_runs_count_once(self):
        runs = [(hm(6), hm(10)), (hm(8), hm(12)), (hm(9), hm(11))]
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], runs, 0.5, good=1)
        assert r.run_minutes == 360

    def test_open_run_ends_at_now(self):
        # At 10:00, running since 09:00: planned so far 240 min, run 60 + 120.
        runs = [(hm(6), hm(8)), (hm(9), None)]
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], runs, 0.5, good=300, now=hm(10))
        assert r.planned_minutes == 240
        assert r.run_minutes == 180
        assert r.availability == pytest.approx(0.75)
        assert r.performance == pytest.approx(150 / 180.0)

    def test_open_run_ends_at_period_end_without_now(self):
        r = oee.compute_oee(DAY, EARLY_SHIFT, [], [(hm(13), None)], 0.5, good=1)
        assert r.run_minutes == 60
        assert r.unplanned_run_minutes == 10 * 60     # 14:00 to midnight

    @pytest.mark.parametrize('period', [(hm(6), hm(6)), (hm(6), hm(5)), (hm(6), None)])
    def test_bad_period(self, period):
        with pytest.raises(ValueError, match='period'):
            oee.compute_oee(period, EARLY_SHIFT, [], [], 0.5, good=0)

    @pytest.mark.parametrize('ideal', [0, -1, None])
    def test_bad_ideal_cycle(self, ideal):
        with pytest.raises(ValueError, match='ideal cycle'):
            oee.compute_oee(DAY, EARLY_SHIFT, [], [], ideal, good=0)

    def test_negative_count(self):
        with pytest.raises(ValueError, match='counts'):
            oee.compute_oee(DAY, EARLY_SHIFT, [], [], 0.5, good=5, scrap=-1)


class TestAcrossMidnight:
    # Night shift 22:00 on the 24th to 06:00 on the 25th, break 02:00-02:30.
    NIGHT = [(hm(22), hm(6, day=25))]
    BREAK = [(hm(2, day=25), hm(2, 30, day=25))]
    RUNS = [(hm(23), hm(3, 30, day=25)),                # runs through the break
            (hm(4, day=25), hm(6, 30, day=25))]         # 30 min past the shift

    def test_oee_of_the_25th(self):
        # Planned on the 25th = 00:00-06:00 - break             = 360 - 30 = 330
        # Run = 00:00-02:00 + 02:30-03:30 + 04:00-06:00          = 120 + 60 + 120 = 300
        # Unplanned run = 30 (break) + 30 (after the shift)      = 60
        # A = 300/330 = 0.909091; P = 0.5*550/300 = 0.916667; Q = 1; OEE = 275/330 = 0.833333
        day_25 = (hm(0, day=25), hm(0, day=26))
        r = oee.compute_oee(day_25, self.NIGHT, self.BREAK, self.RUNS, 0.5, good=550)
        assert (r.planned_minutes, r.run_minutes) == (330, 300)
        assert r.unplanned_run_minutes == 60
        assert r.availability == pytest.approx(0.909091, rel=REL)
        assert r.performance == pytest.approx(0.916667, rel=REL)
        assert r.oee == pytest.approx(0.833333, rel=REL)

    def test_two_days_add_up_to_the_shift(self):
        whole = oee.compute_oee((hm(22), hm(6, day=25)), self.NIGHT, self.BREAK, self.RUNS,
                                0.5, good=1)
        days = [oee.compute_oee(day, self.NIGHT, self.BREAK, self.RUNS, 0.5, good=1)
                for day in (DAY, (hm(0, day=25), hm(0, day=26)))]
        # 24th: planned 120, run 60 (23:00-24:00); whole shift: planned 450, run 360
        assert [d.planned_minutes for d in days] == [120, 330]
        assert [d.run_minutes for d in days] == [60, 300]
        assert whole.planned_minutes == 450 and whole.run_minutes == 360


class TestReliability:

    def test_mtbf_and_mttr(self):
        # Two failures: repairs 45 + 15 = 60 min; operating 385 min.
        # MTBF = 385 / 2 = 192.5; MTTR = 60 / 2 = 30.
        r = oee.mtbf_mttr([(hm(8), hm(8, 45)), (hm(13), hm(13, 15))], 385)
        assert (r.failures, r.repair_minutes) == (2, 60)
        assert r.mtbf == pytest.approx(192.5)
        assert r.mttr == pytest.approx(30)

    def test_no_failures(self):
        r = oee.mtbf_mttr([], 385)
        assert (r.failures, r.mtbf, r.mttr) == (0, None, None)

    def test_open_breakdown_is_repaired_up_to_now(self):
        r = oee.mtbf_mttr([(hm(8), hm(8, 45)), (hm(13), None)], 400, now=hm(13, 35))
        assert r.repair_minutes == 80 and r.mttr == 40 and r.mtbf == 200

    def test_open_breakdown_without_now(self):
        with pytest.raises(ValueError, match='open'):
            oee.mtbf_mttr([(hm(13), None)], 400)

    def test_negative_operating_time(self):
        with pytest.raises(ValueError, match='operating'):
            oee.mtbf_mttr([], -1)


class TestShiftLabel:

    def test_a_shift_is_named_by_its_calendar_hours(self):
        assert oee.shift_label(6.0, 14.0) == '06:00-14:00'
        assert oee.shift_label(14.5, 22.25) == '14:30-22:15'
        assert oee.shift_label(0.0, 24.0) == '00:00-24:00'                  # the next midnight
        assert oee.shift_label(7.9999999, 16.0166667) == '08:00-16:01'      # a float's noise rounds to the minute
