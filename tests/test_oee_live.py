"""OEE follows the facts: within a minute of an event, without anyone pressing Recompute.

The saw and the paint shop work around the clock (UTC). An operator on the saw starts an hour
ago and reports 6 good parts half an hour ago; the live job, running a minute later, shows
them. (Issue 20: at 13:20 CNC showed 0 % and 0 good while the board showed 6 good.)
"""
from datetime import datetime, timedelta
from unittest import mock

from odoo import SUPERUSER_ID, api
from odoo.tools import mute_logger

from .common import T0, ShopFloorCase

WATERMARK = 'shopfloor_mes.oee_live_until'


class TestOeeLive(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env['resource.calendar'].create({'name': 'Around the clock', 'attendance_ids': [
            (0, 0, {'name': 'Day %d' % day, 'dayofweek': str(day), 'hour_from': 0.0, 'hour_to': 24.0})
            for day in range(7)]})
        for workcenter in (cls.saw, cls.paint):
            workcenter.write({'resource_calendar_id': cls.calendar.id, 'mes_tz': 'UTC'})
        cls.now = datetime.utcnow().replace(second=0, microsecond=0)

    def setUp(self):
        super().setUp()
        self.set_watermark(self.now - timedelta(minutes=5))

    # -- helpers ---------------------------------------------------------------------------
    def set_watermark(self, moment):
        self.env['ir.config_parameter'].sudo().set_param(WATERMARK, moment.strftime('%Y-%m-%d %H:%M:%S'))

    def at(self, moment, etype, **kw):
        """An event at ``moment`` (UTC) on the saw's work order."""
        return self.event(etype, (moment - T0).total_seconds() / 60.0, **kw)

    def send_work(self, start, received):
        """Anna starts at ``start``, reports 6 good half an hour later and stops 5 minutes after."""
        self.send_ok([self.at(start, 'start'),
                      self.at(start + timedelta(minutes=30), 'produce', data={'qty': 6}),
                      self.at(start + timedelta(minutes=35), 'stop')], received_at=received)
        return (start + timedelta(minutes=30)).strftime('%Y-%m-%d')

    def run_live(self, now):
        return self.env['mes.oee.record']._cron_refresh_live(now=now)

    def day_record(self, date, workcenter=None):
        return self.env['mes.oee.record'].search([
            ('workcenter_id', '=', (workcenter or self.saw).id), ('period_kind', '=', 'day'), ('date', '=', date)])

    # -- tests -------------------------------------------------------------------------------
    def test_good_parts_reach_oee_within_the_next_minute(self):
        day = self.send_work(self.now - timedelta(minutes=60), received=self.now - timedelta(minutes=1))
        self.assertFalse(self.day_record(day).good_qty, 'nothing recomputed yet')
        refreshed = self.run_live(self.now + timedelta(minutes=1))
        self.assertEqual(refreshed, self.saw, 'only the work center whose facts moved')
        record = self.day_record(day)
        self.assertEqual(record.good_qty, 6)
        self.assertTrue(record.computed_at)
        # logged in 35 min, 12 of them without output beyond the 5 min threshold (6 parts need 18)
        self.assertAlmostEqual(record.run_minutes, 23)

    def test_an_operator_on_a_machine_without_output_for_30_min_is_an_unexplained_stop_now(self):
        """Issue 20: a gap with no output only became a stop once the next unit or the logout
        arrived; the live figures judge an open run up to the time they are computed."""
        start = self.now - timedelta(minutes=60)
        self.send_ok([self.at(start, 'start'),
                      self.at(start + timedelta(minutes=30), 'produce', data={'qty': 6})],
                     received_at=start + timedelta(minutes=30))
        self.assertEqual(self.run_live(self.now), self.saw)
        days = {start.strftime('%Y-%m-%d'), self.now.strftime('%Y-%m-%d')}
        records = self.env['mes.oee.record'].search([
            ('workcenter_id', '=', self.saw.id), ('period_kind', '=', 'day'), ('date', 'in', sorted(days))])
        # 12 min before the 6 parts (they need 18), and the last 30 min less the part in progress (3)
        self.assertAlmostEqual(sum(records.mapped('unexplained_stop_minutes')), 12 + 27)
        self.assertAlmostEqual(sum(records.mapped('run_minutes')), 60 - 39)
        self.assertFalse(sum(records.mapped('micro_stop_minutes')))
        self.assertTrue(all(records.mapped('in_progress')))

    def test_nothing_moved_nothing_recomputed_until_the_figures_in_progress_age(self):
        day = self.send_work(self.now - timedelta(minutes=60), received=self.now - timedelta(minutes=1))
        self.assertEqual(self.run_live(self.now + timedelta(minutes=10)), self.saw)
        computed_at = self.day_record(day).computed_at
        self.assertFalse(self.run_live(self.now + timedelta(minutes=13)), 'no fact since the last run')
        self.assertEqual(self.day_record(day).computed_at, computed_at)
        # a period in progress keeps counting (an open stop grows): recomputed once 15 min old
        self.assertIn(self.saw, self.run_live(datetime.utcnow() + timedelta(minutes=16)))

    def test_a_late_event_recomputes_the_day_it_happened(self):
        self.run_live(self.now)
        day = self.send_work(self.now - timedelta(days=3), received=self.now)
        self.assertFalse(self.day_record(day))
        self.run_live(self.now + timedelta(minutes=1))
        self.assertEqual(self.day_record(day).good_qty, 6)

    def test_a_correction_recorded_later_is_followed_too(self):
        """A fact changed without a new terminal event (a supervisor's correction, the expiry
        of a waiting event) moves the execution's ``recorded_at``: that is enough."""
        day = self.send_work(self.now - timedelta(minutes=60), received=self.now - timedelta(minutes=20))
        self.set_watermark(self.now)     # the run after the events saw them
        self.env.cr.execute("UPDATE mes_execution SET recorded_at = %s WHERE workorder_id = %s",
                            (self.now + timedelta(seconds=30), self.wo_cut.id))
        self.assertEqual(self.run_live(self.now + timedelta(minutes=1)), self.saw)
        self.assertEqual(self.day_record(day).good_qty, 6)

    def test_a_work_center_that_fails_does_not_stop_the_others(self):
        self.send_work(self.now - timedelta(minutes=60), received=self.now - timedelta(minutes=1))
        paint = dict(wo=self.wo_paint, badge='B-CARL')
        tablet = self.env['mes.terminal'].create({'name': 'Paint tablet', 'workcenter_ids': [(6, 0, self.paint.ids)]})
        self.send_ok([self.at(self.now - timedelta(minutes=40), 'start', **paint)], terminal=tablet,
                     received_at=self.now - timedelta(minutes=1))
        Record = type(self.env['mes.oee.record'])
        refresh = Record.refresh

        def broken_for_the_saw(records, workcenters=None, *args, **kwargs):
            if workcenters == self.saw:
                raise ValueError('a calendar nobody can read')
            return refresh(records, workcenters, *args, **kwargs)
        with mock.patch.object(Record, 'refresh', broken_for_the_saw), \
                mute_logger('odoo.addons.shopfloor_mes.models.oee.mes_oee_record'):
            self.assertEqual(self.run_live(self.now + timedelta(minutes=1)), self.paint)
        self.assertTrue(self.day_record(self.now.strftime('%Y-%m-%d'), self.paint) or
                        self.day_record((self.now - timedelta(minutes=40)).strftime('%Y-%m-%d'), self.paint))

    def test_the_live_job_does_not_overlap_itself(self):
        self.env.cr.execute('SELECT pg_advisory_xact_lock(%s)', (0x6d65736f6565,))
        # this transaction holds the run's lock: a run on another connection leaves at once
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertFalse(env['mes.oee.record']._cron_refresh_live(now=self.now))

    def test_computed_at_is_on_every_oee_screen(self):
        self.send_work(self.now - timedelta(minutes=60), received=self.now - timedelta(minutes=1))
        self.run_live(self.now + timedelta(minutes=1))
        Record = self.env['mes.oee.record']
        for view in ('tree', 'form'):
            self.assertIn('name="computed_at"', Record.fields_view_get(view_type=view)['arch'], view)
        # pivot and graph: the window's title says it (the menu opens it through a server action)
        menu_action = self.env.ref('shopfloor_mes.menu_mes_oee').action
        action = menu_action.with_context(active_model='mes.oee.record').run()
        self.assertIn('computed at', action['name'])
        self.assertEqual(action['display_name'], action['name'], 'the breadcrumb shows display_name')
        self.assertIn('pivot', action['view_mode'])
        self.assertIn('computed at', self.saw.action_mes_oee()['name'])
        timeline = self.env['mes.workcenter.timeline'].create({'workcenter_id': self.saw.id,
                                                               'date': self.now.strftime('%Y-%m-%d')})
        action = timeline.action_view_oee()
        self.assertIn('computed at', action['display_name'])
        self.assertEqual(action['context']['mes_oee_target'], self.saw.oee_target)
