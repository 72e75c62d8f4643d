"""Performance from the machine's cycles (issue 22, item 3): where a machine reports cycles on a
work order, the P of OEE is its actual cycles x the ideal cycle time over run time, not the
units the operator reported; without a machine it stays the reported good + scrap.

The saw works Tuesdays 07:00-15:00 UTC. Anna runs the stools 07:00-08:00 (ideal 3 min a
unit) and reports 3 good every quarter hour, 12 in all; the saw's machine reports 5 cycles
every quarter hour, 20 in all: it made 20 (say 8 went to rework off the books), so the saw ran
at its ideal rate. Stop threshold 10 min.
  planned 480, run 60: A = 0.125; from the cycles P = 20 x 3 / 60 = 1.0 and no pause;
  from the report P = 12 x 3 / 60 = 0.6, each quarter a 6 min micro-stop; Q = 12/12 = 1.
"""
from datetime import datetime

from .common import ShopFloorCase

NOW = datetime(2026, 11, 25, 6, 0)


class TestOeeMachineCycles(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env['resource.calendar'].create({'name': 'Saw Tuesdays', 'attendance_ids': [
            (0, 0, {'name': 'Tuesday', 'dayofweek': '1', 'hour_from': 7.0, 'hour_to': 15.0})]})
        cls.saw.write({'resource_calendar_id': calendar.id, 'mes_tz': 'UTC', 'mes_micro_stop_minutes': 10.0})
        cls.machine = cls.env['mes.terminal'].create({'name': 'Saw machine', 'kind': 'machine', 'machine_code': 'SAW-1',
                                                      'workcenter_ids': [(6, 0, [cls.saw.id])]})
        cls.cut = cls.make_order(100).workorder_ids.filtered(lambda w: w.workcenter_id == cls.saw)

    def day(self):
        self.env['mes.oee.record'].refresh(self.saw, '2026-11-24', '2026-11-24', now=NOW)
        return self.env['mes.oee.record'].search([('workcenter_id', '=', self.saw.id), ('period_kind', '=', 'day'),
                                                  ('date', '=', '2026-11-24')])

    def send_operator(self):
        self.send_ok([self.event('start', 0, wo=self.cut)]
                     + [self.event('produce', minute, wo=self.cut, data={'qty': 3}) for minute in (15, 30, 45, 60)]
                     + [self.event('stop', 60, wo=self.cut)])

    def test_performance_comes_from_the_machines_cycles_where_it_reports_them(self):
        self.send_operator()
        self.send_ok([self.event('machine_cycle', minute, wo=self.cut, badge='SAW-1', data={'count': 5})
                      for minute in (15, 30, 45, 60)], terminal=self.machine)
        day = self.day()
        self.assertEqual(day.cycle_qty, 20)
        self.assertAlmostEqual(day.run_minutes, 60)
        self.assertAlmostEqual(day.ideal_minutes, 60)
        self.assertAlmostEqual(day.performance, 100.0)
        self.assertAlmostEqual(day.availability, 12.5)
        self.assertAlmostEqual(day.quality, 100.0)
        self.assertAlmostEqual(day.oee, 12.5)
        self.assertAlmostEqual(day.micro_stop_minutes, 0)             # the cycles came at the ideal rate
        self.assertEqual((day.good_qty, day.total_qty), (12, 12))     # counts are still the operator's

    def test_without_a_machine_performance_comes_from_the_reported_units(self):
        self.send_operator()
        day = self.day()
        self.assertEqual(day.cycle_qty, 0)
        self.assertAlmostEqual(day.run_minutes, 60)
        self.assertAlmostEqual(day.ideal_minutes, 36)
        self.assertAlmostEqual(day.performance, 60.0)
        self.assertAlmostEqual(day.micro_stop_minutes, 24)
