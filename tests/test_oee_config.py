"""What supervisors configure for OEE, and what is refused: the reason tree, the micro-stop
threshold, who may recompute, the recompute wizard, the calendar in the work center's zone."""
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError

from .test_oee_day import NOW, OeeDayCase


class TestReasonTree(OeeDayCase):

    def test_a_reason_sits_in_a_category_of_its_own_kind(self):
        scrap_category = self.env.ref('shopfloor_mes.reason_cat_scrap_process')
        with self.assertRaises(ValidationError):
            self.env['mes.reason'].create({'code': 'X-1', 'name': 'Wrong tree', 'kind': 'downtime',
                                           'parent_id': scrap_category.id})
        with self.assertRaises(ValidationError):     # a reason is no category
            self.env['mes.reason'].create({'code': 'X-2', 'name': 'Under a reason', 'kind': 'scrap',
                                           'parent_id': self.scrap_reason.id})
        reason = self.env['mes.reason'].create({'code': 'X-3', 'name': 'Burr', 'kind': 'scrap',
                                                'parent_id': scrap_category.id})
        self.assertEqual(reason.complete_name, 'Process defects / Burr')

    def test_downtime_is_never_productive_and_a_planned_stop_is_no_breakdown(self):
        category = self.env.ref('shopfloor_mes.reason_cat_breakdown')
        with self.assertRaises(ValidationError):
            self.env['mes.reason'].create({'code': 'X-4', 'name': 'Running', 'kind': 'downtime',
                                           'parent_id': category.id, 'loss_id': self.env.ref('mrp.block_reason7').id})
        with self.assertRaises(ValidationError):
            self.env['mes.reason'].create({'code': 'X-5', 'name': 'Odd', 'kind': 'downtime', 'parent_id': category.id,
                                           'is_planned': True, 'is_breakdown': True})

    def test_a_new_reason_takes_its_categorys_planned_flag_and_loss(self):
        reason = self.env['mes.reason'].new({'code': 'LUNCH', 'name': 'Lunch', 'kind': 'downtime',
                                             'parent_id': self.env.ref('shopfloor_mes.reason_cat_planned').id})
        reason._onchange_parent_id()        # what the form does when the category is picked
        self.assertTrue(reason.is_planned)
        self.assertEqual(reason.loss_id.loss_type, 'availability')


class TestOeeSettings(OeeDayCase):

    def test_without_a_threshold_on_the_work_center_the_companys_then_the_system_parameter_counts(self):
        self.assertEqual(self.env.user.company_id.mes_stop_threshold_minutes, 5.0)     # the default
        self.saw.mes_micro_stop_minutes = 0
        self.saw.company_id.mes_stop_threshold_minutes = 10
        self.env['ir.config_parameter'].sudo().set_param('shopfloor_mes.micro_stop_minutes', '1000')
        self.send_day()
        self.refresh()
        self.assertAlmostEqual(self.record('day').unexplained_stop_minutes, 189)       # the company's 10 min
        self.saw.company_id.mes_stop_threshold_minutes = 0
        self.refresh()
        # no pause here is longer than 1000 min: each is a micro-stop
        self.assertEqual(self.record('day').unexplained_stop_minutes, 0)
        self.assertAlmostEqual(self.record('day').micro_stop_minutes, 16 + 189)

    def test_only_supervisors_recompute(self):
        operator = self.env['res.users'].create({
            'name': 'Op', 'login': 'oee-operator',
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_operator').id])]})
        with self.assertRaises(AccessError):
            self.env['mes.oee.record'].sudo(operator).refresh(self.saw, '2026-11-24', '2026-11-24', now=NOW)
        self.send_day()
        self.refresh()
        # operators read OEE
        self.assertTrue(self.env['mes.oee.record'].sudo(operator).search([('workcenter_id', '=', self.saw.id)]))

    def test_the_wizard_refuses_reversed_dates_and_recomputes_the_range(self):
        wizard = self.env['mes.oee.recompute'].create({'workcenter_ids': [(6, 0, self.saw.ids)],
                                                       'date_from': '2026-11-25', 'date_to': '2026-11-24'})
        with self.assertRaises(UserError):
            wizard.action_recompute()
        self.send_day()
        wizard.write({'date_from': '2026-11-24', 'date_to': '2026-11-24'})
        action = wizard.action_recompute()
        self.assertEqual(action['res_model'], 'mes.oee.record')
        self.assertIn('computed at', action['display_name'])
        self.assertTrue(self.record('day'))

    def test_the_live_job_runs_every_minute(self):
        self.env['mes.oee.record']._cron_refresh()      # the old hourly entry point: the live run
        cron = self.env.ref('shopfloor_mes.ir_cron_mes_oee_live')
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active), (1, 'minutes', True))

    def test_the_calendar_is_expanded_in_the_work_centers_zone_across_daylight_saving(self):
        # 29 March 2026: clocks in Amsterdam go from 02:00 to 03:00; a 00:00-06:00 attendance
        # on that Sunday lasts 5 hours
        calendar = self.env['resource.calendar'].create({'name': 'Night', 'attendance_ids': [
            (0, 0, {'name': 'Sunday night', 'dayofweek': '6', 'hour_from': 0.0, 'hour_to': 6.0})]})
        self.saw.resource_calendar_id = calendar
        spans = self.saw._mes_calendar_intervals(datetime(2026, 3, 28), datetime(2026, 3, 30))
        self.assertEqual(spans, [('00:00-06:00', datetime(2026, 3, 28, 23), datetime(2026, 3, 29, 4))])
        self.assertEqual(self.saw._mes_shifts(date(2026, 3, 29)),
                         [('00:00-06:00', datetime(2026, 3, 28, 23), datetime(2026, 3, 29, 4))])

    def test_calendar_leaves_take_planned_time_out(self):
        self.env['resource.calendar.leaves'].create({
            'name': 'Works meeting', 'calendar_id': self.calendar.id,
            'date_from': '2026-11-24 05:00:00', 'date_to': '2026-11-24 06:00:00'})
        self.send_day()
        self.refresh()
        self.assertAlmostEqual(self.record('shift', '06:00-14:00').calendar_minutes, 420)
