"""Planned time comes from the calendar and the work scheduled on the work center: a day with
nothing scheduled and nothing done is no loss (issue 20: days before any MES use and Odoo's demo
work centers filled the Pareto with 'Stopped, no reason reported', 960 min a day each)."""
from datetime import datetime

from .common import ShopFloorCase

NOW = datetime(2026, 11, 21, 6, 0)      # the Saturday after the week below


class TestPlannedTime(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env['resource.calendar'].create({'name': 'Weekdays 8-16', 'attendance_ids': [
            (0, 0, {'name': 'Day %d' % day, 'dayofweek': str(day), 'hour_from': 8.0, 'hour_to': 16.0})
            for day in range(5)]})
        cls.paint.write({'resource_calendar_id': cls.calendar.id, 'mes_tz': 'UTC'})

    def refresh(self):
        return self.env['mes.oee.record'].refresh(self.paint, '2026-11-16', '2026-11-20', now=NOW)

    def test_a_week_with_nothing_scheduled_has_no_planned_time_and_no_loss(self):
        self.assertFalse(self.refresh())
        self.assertFalse(self.env['mes.oee.loss'].search([('workcenter_id', '=', self.paint.id)]))
        from ..models.oee.mes_workcenter_timeline import segments
        parts = segments(self.paint, datetime(2026, 11, 18), datetime(2026, 11, 19), NOW)
        self.assertEqual([p.state for p in parts], ['closed', 'unscheduled', 'closed'])
        html = self.paint._mes_timeline_html(datetime(2026, 11, 18), datetime(2026, 11, 19), NOW)
        self.assertIn('Nothing scheduled: 480 min', html)
        self.assertNotIn('Stopped, no reason', html)

    def test_a_day_with_an_order_scheduled_is_planned_and_its_idle_time_a_loss(self):
        self.wo_paint.write({'date_planned_start': '2026-11-18 10:00:00',
                             'date_planned_finished': '2026-11-18 12:00:00'})
        records = self.refresh()
        self.assertEqual(sorted(records.mapped('period_kind')), ['day', 'shift', 'week'])
        day = records.filtered(lambda r: r.period_kind == 'day')
        self.assertEqual(day.date, '2026-11-18')
        self.assertAlmostEqual(day.planned_minutes, 480)      # the whole shift of that day, not the order's 2 h
        self.assertAlmostEqual(day.idle_minutes, 480)
        self.assertEqual(day.loss_ids.mapped('label'), ['Stopped, no reason reported'])
        week = records.filtered(lambda r: r.period_kind == 'week')
        self.assertAlmostEqual(week.planned_minutes, 480)     # the other four days are not planned

    def test_a_day_with_work_done_is_planned_even_if_nothing_was_scheduled(self):
        tablet = self.env['mes.terminal'].create({'name': 'Paint tablet', 'workcenter_ids': [(6, 0, [self.paint.id])]})
        self.send_ok([self.event('start', 0, wo=self.wo_paint, badge='B-CARL'),
                      self.event('produce', 30, wo=self.wo_paint, badge='B-CARL', data={'qty': 5}),
                      self.event('stop', 40, wo=self.wo_paint, badge='B-CARL')], terminal=tablet)   # Tuesday 24th
        records = self.env['mes.oee.record'].refresh(self.paint, '2026-11-24', '2026-11-24',
                                                     now=datetime(2026, 11, 25, 6))
        day = records.filtered(lambda r: r.period_kind == 'day')
        self.assertEqual(day.date, '2026-11-24')
        self.assertAlmostEqual(day.planned_minutes, 480)
        self.assertEqual(len(records.filtered(lambda r: r.period_kind == 'shift')), 1)
