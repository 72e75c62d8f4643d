"""OEE figures and loss lines of a period from a work center's facts (services/oee_measure.py),
against a small day computed by hand.

The day (all UTC): working calendar 06:00-14:00, work scheduled, a break 10:00-10:30 (planned
stop, reason 7). One work order (wo 1, ideal 3 min a unit):
    runs 06:00-08:00, 08:45-10:00, 10:30-13:00 and 14:00-14:20 (after the calendar: overtime)
    06:40-06:44 micro-stop            08:00-08:45 breakdown (reason 3, availability)
    11:00-11:20 slowdown (reason 5)   12:30-13:00 running without output (unexplained stop)
    13:00-14:00 nobody running, nothing reported (idle)
    units: 06:10 scrap 1 (before the first good unit: a startup reject), 06:30 good 20,
           07:00 scrap 2, 09:00 good 30, 09:30 one failed check, 12:00 good 40,
           14:10 good 5 (outside planned time)
  calendar 480, planned stop 30, planned 450
  run = running 40 + 76 + 75 + 30 + 70, slow 20, micro 4 = 315; downtime 135 (down 45, stop 30, idle 60)
  good 90, scrap 3, rejected 1, total 94; ideal 94 x 3 = 282
  A = 315 / 450 = 0.7   P = 282 / 315 = 0.895238   Q = 90 / 94 = 0.957447   OEE = 90 x 3 / 450 = 0.6
  losses: breakdown 45, idle 60, no output 30, slowdown 20, micro 4, speed 315 - 282 - 20 - 4 = 9,
  startup 282 x 1/94 = 3, scrap 282 x 2/94 = 6, failed checks 3: 180 = 450 - 90 x 3
"""
from datetime import datetime

import pytest

from services import oee_measure
from services.oee_timeline import Completion
from services.oee_measure import Cycle, Facts, Loss, Unit


def hm(hour, minute=0, day=24):
    return datetime(2026, 11, day, hour, minute)


DAY = (hm(0), hm(0, day=25))
NOW = hm(6, day=25)                 # the next morning: the day is over
BREAK, BREAKDOWN, SLOW = 7, 3, 5


def day_facts(**changes):
    facts = Facts(
        calendar=[(hm(6), hm(14))],
        scheduled=[DAY],
        planned_stops=[(hm(10), hm(10, 30), BREAK)],
        downtimes=[(hm(8), hm(8, 45), BREAKDOWN)],
        slowdowns=[(hm(11), hm(11, 20), SLOW)],
        runs=[(hm(6), hm(8)), (hm(8, 45), hm(10)), (hm(10, 30), hm(13)), (hm(14), hm(14, 20))],
        units=[Unit(hm(6, 10), 1, 'scrap', 1.0), Unit(hm(6, 30), 1, 'good', 20.0), Unit(hm(7), 1, 'scrap', 2.0),
               Unit(hm(9), 1, 'good', 30.0), Unit(hm(9, 30), 1, 'rejected', 1.0), Unit(hm(12), 1, 'good', 40.0),
               Unit(hm(14, 10), 1, 'good', 5.0)],
        cycles=[],
        ideal={1: 3.0},
        per_cycle={},
        micro_stops=[(hm(6, 40), hm(6, 44))],
        unexplained_stops=[(hm(12, 30), hm(13))],
    )
    return facts._replace(**changes)


class TestTheDay:

    def setup_method(self):
        self.values, self.losses = oee_measure.measure(DAY, day_facts(), NOW)

    def test_time(self):
        v = self.values
        assert v['calendar_minutes'] == pytest.approx(480)
        assert v['planned_stop_minutes'] == pytest.approx(30)
        assert v['planned_minutes'] == pytest.approx(450)
        assert v['run_minutes'] == pytest.approx(315)
        assert v['downtime_minutes'] == pytest.approx(135)
        assert v['reported_downtime_minutes'] == pytest.approx(45)
        assert v['idle_minutes'] == pytest.approx(60)
        assert v['unexplained_stop_minutes'] == pytest.approx(30)
        assert v['micro_stop_minutes'] == pytest.approx(4)
        assert v['unplanned_run_minutes'] == pytest.approx(20)
        assert v['in_progress'] is False

    def test_units(self):
        v = self.values
        assert (v['good_qty'], v['scrap_qty'], v['rejected_qty'], v['total_qty']) == (90, 3, 1, 94)
        assert v['outside_qty'] == 5                        # completed in overtime: left out
        assert v['startup_reject_qty'] == 1
        assert v['cycle_qty'] == 0
        assert v['ideal_minutes'] == pytest.approx(282)
        assert v['good_ideal_minutes'] == pytest.approx(270)

    def test_figures(self):
        v = self.values
        assert v['availability'] == pytest.approx(0.7)
        assert v['performance'] == pytest.approx(282 / 315)
        assert v['quality'] == pytest.approx(90 / 94)
        assert v['oee'] == pytest.approx(0.6)
        assert v['note'] is False

    def test_loss_lines(self):
        assert self.losses == [
            Loss('planned', False, BREAK, 'availability', True, pytest.approx(30), 1),
            Loss('downtime', False, BREAKDOWN, 'availability', False, pytest.approx(45), 1),
            Loss('idle', oee_measure.UNREPORTED, False, 'availability', False, pytest.approx(60), 1),
            Loss('gap', oee_measure.NO_OUTPUT, False, 'availability', False, pytest.approx(30), 1),
            Loss('slowdown', False, SLOW, 'performance', False, pytest.approx(20), 1),
            Loss('micro', oee_measure.MICRO, False, 'performance', False, pytest.approx(4), 1),
            Loss('speed', oee_measure.SPEED, False, 'performance', False, pytest.approx(9), 0),
            Loss('startup', oee_measure.STARTUP, False, 'quality', False, pytest.approx(3), 0),
            Loss('scrap', oee_measure.SCRAP, False, 'quality', False, pytest.approx(6), 0),
            Loss('rejected', oee_measure.REJECTED, False, 'quality', False, pytest.approx(3), 0),
        ]

    def test_the_losses_add_up_to_the_planned_time_less_the_good_units_ideal_time(self):
        lost = sum(line.minutes for line in self.losses if not line.planned)
        assert lost == pytest.approx(self.values['planned_minutes'] - self.values['good_ideal_minutes'])

    def test_the_timeline_is_the_same_classification(self):
        parts = oee_measure.timeline(day_facts(), DAY, NOW)
        assert [(p.state, p.start, p.end) for p in parts if p.plan in ('plan', 'stop') or p.state == 'overtime'] == [
            ('running', hm(6), hm(6, 40)), ('micro', hm(6, 40), hm(6, 44)), ('running', hm(6, 44), hm(8)),
            ('down', hm(8), hm(8, 45)), ('running', hm(8, 45), hm(10)), ('planned', hm(10), hm(10, 30)),
            ('running', hm(10, 30), hm(11)), ('slow', hm(11), hm(11, 20)), ('running', hm(11, 20), hm(12, 30)),
            ('stop', hm(12, 30), hm(13)), ('idle', hm(13), hm(14)), ('overtime', hm(14), hm(14, 20))]


class TestPeriods:

    def test_a_period_under_way_counts_up_to_now(self):
        # at 09:00 (09:00's 30 units included: completed in (start, now]), 180 planned minutes
        # run 06:00-08:00 less nothing (the micro-stop is run time) + 08:45-09:00 = 135
        values, _losses = oee_measure.measure(DAY, day_facts(), hm(9))
        assert values['in_progress'] is True
        assert values['planned_minutes'] == pytest.approx(180)
        assert values['run_minutes'] == pytest.approx(135)
        assert (values['good_qty'], values['scrap_qty'], values['rejected_qty']) == (50, 3, 0)
        assert values['availability'] == pytest.approx(0.75)
        assert values['oee'] == pytest.approx(50 * 3 / 180)

    def test_no_planned_time_no_figures(self):
        assert oee_measure.measure(DAY, day_facts(), hm(6)) is None                 # before the shift
        assert oee_measure.measure(DAY, day_facts(), hm(0)) is None                 # not begun
        assert oee_measure.measure(DAY, day_facts(scheduled=[]), NOW) is None      # nothing scheduled: no loss
        assert oee_measure.measure((hm(10), hm(10, 30)), day_facts(), NOW) is None  # only the break

    def test_a_machines_cycles_set_the_ideal_time(self):
        # wo 2 on a machine reporting cycles (0.5 ideal min a cycle): its units add no ideal time
        facts = day_facts(units=[Unit(hm(7), 2, 'good', 10.0)], cycles=[Cycle(hm(7), 2, 300), Cycle(hm(15), 2, 99)],
                          ideal={2: 3.0}, per_cycle={2: 0.5})
        values, _losses = oee_measure.measure(DAY, facts, NOW)
        assert values['cycle_qty'] == 300                   # the 15:00 cycles are outside planned time
        assert values['ideal_minutes'] == pytest.approx(150)
        assert values['performance'] == pytest.approx(150 / 315)


class TestNotes:

    def test_units_without_an_ideal_time(self):
        values, _losses = oee_measure.measure(DAY, day_facts(ideal={}), NOW)
        assert 'without an ideal cycle time' in values['note']
        assert values['ideal_minutes'] == 0

    def test_nothing_counted(self):
        values, losses = oee_measure.measure(DAY, day_facts(units=[]), NOW)
        assert values['note'] == 'Nothing was counted in planned time.'
        assert (values['quality'], values['oee']) == (0.0, 0.0)
        # no units, no ideal time: the whole run time is speed loss
        assert [line for line in losses if line.kind == 'speed'][0].minutes == pytest.approx(315 - 20 - 4)

    def test_units_without_run_time(self):
        values, _losses = oee_measure.measure(DAY, day_facts(runs=[], slowdowns=[], micro_stops=[],
                                                             unexplained_stops=[]), NOW)
        assert values['note'] == 'Units were counted without run time: performance cannot be judged.'
        assert values['run_minutes'] == 0

    def test_faster_than_ideal(self):
        values, _losses = oee_measure.measure(DAY, day_facts(ideal={1: 30.0}), NOW)
        assert values['note'] == 'Performance above 100 %: the ideal cycle time is set too slow.'


class TestCompletions:

    def test_what_ends_each_gap_with_its_ideal_minutes(self):
        # wo 1: operators' units (3 min each), several at once need their ideal time; wo 2: a
        # machine's cycles (0.5 min each), its operators' units then end no gap
        units = [Unit(hm(6, 30), 1, 'good', 20.0), Unit(hm(7), 1, 'scrap', 2.0), Unit(hm(7, 5), 1, 'rejected', 0.0),
                 Unit(hm(8), 2, 'good', 10.0), Unit(hm(9), 3, 'good', 4.0)]
        cycles = [Cycle(hm(7, 10), 2, 300)]
        done = oee_measure.completions(units, cycles, {1: 3.0, 2: 6.0}, {2: 0.5})
        assert done == [Completion(hm(7, 10), 150.0, 0.5), Completion(hm(6, 30), 60.0, 3.0),
                        Completion(hm(7), 6.0, 3.0), Completion(hm(9), 0.0, 0.0)]   # wo 3: no ideal time known
