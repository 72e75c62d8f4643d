"""Control charts of measurement points, from the values the terminals send: limits and
capability against hand-computed figures, and a Western Electric rule raising an alert."""
import re

from odoo.exceptions import AccessError, UserError

from .quality_common import QualityCase

# Five lengths, by hand: mean 10.04; moving ranges 0.2 0.3 0.2 0.1, MR-bar 0.2;
# UCL = 10.04 + 2.66 x 0.2 = 10.572, LCL = 9.508; sigma = 0.2 / 1.128 = 0.177305;
# MR UCL = 3.267 x 0.2 = 0.6534. Against 9.5-10.5: Cp = 1.0 / (6 sigma) = 0.940000,
# Cpk = (10.5 - 10.04) / (3 sigma) = 0.864800.
LENGTHS = [10.0, 10.2, 9.9, 10.1, 10.0]


class TestSpc(QualityCase):

    def measured(self, point, values, start=10, wo=None):
        self.send_ok([self.check(start + i, point, 'pass', value=v, wo=wo) for i, v in enumerate(values)])

    def test_individuals_limits_and_capability(self):
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.5, tolerance_max=10.5, unit='mm')
        self.measured(point, LENGTHS)
        self.assertEqual((point.spc_chart, point.spc_points), ('imr', 5))
        self.assertAlmostEqual(point.spc_center, 10.04, places=6)
        self.assertAlmostEqual(point.spc_ucl, 10.572, places=6)
        self.assertAlmostEqual(point.spc_lcl, 9.508, places=6)
        self.assertAlmostEqual(point.spc_range_center, 0.2, places=6)
        self.assertAlmostEqual(point.spc_range_ucl, 0.6534, places=6)
        self.assertAlmostEqual(point.spc_sigma, 0.2 / 1.128, places=4)
        self.assertAlmostEqual(point.spc_cp, 0.94, places=3)
        self.assertAlmostEqual(point.spc_cpk, 0.8648, places=3)
        self.assertEqual(point.spc_message, 'In control')
        self.assertIn('<svg', point.spc_chart_svg)
        self.assertIn('UCL 10.57', point.spc_chart_svg)
        # the samples, in the order recorded, are what the graph view plots
        samples = self.env['mes.quality.check'].search([('point_id', '=', point.id)], order='sample_no')
        self.assertEqual(samples.mapped('sample_no'), [1, 2, 3, 4, 5])
        self.assertEqual(samples.mapped('value'), LENGTHS)

    def test_subgroup_limits(self):
        # subgroups of 2 by hand: means 10.1 10.0 10.1 10.0, grand mean 10.05; ranges 0.2, R-bar 0.2;
        # UCL = 10.05 + 1.880 x 0.2 = 10.426, LCL = 9.674; R UCL = 3.267 x 0.2 = 0.6534
        point = self.length_point(name='Bore', nominal=10.0, tolerance_min=9.0, tolerance_max=11.0, subgroup_size=2)
        self.measured(point, [10.0, 10.2, 9.9, 10.1, 10.0, 10.2, 10.1, 9.9, 10.3])   # the 9th waits
        self.assertEqual((point.spc_chart, point.spc_points), ('xbar_r', 4))
        self.assertAlmostEqual(point.spc_center, 10.05, places=6)
        self.assertAlmostEqual(point.spc_ucl, 10.426, places=6)
        self.assertAlmostEqual(point.spc_lcl, 9.674, places=6)
        self.assertAlmostEqual(point.spc_range_ucl, 0.6534, places=6)
        self.assertAlmostEqual(point.spc_sigma, 0.2 / 1.128, places=4)

    def test_a_point_beyond_three_sigma_raises_an_alert_to_the_supervisors(self):
        # wide specification: every piece conforms, but the process has moved
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0,
                                  spc_min_points=5)
        self.measured(point, LENGTHS)
        self.assertFalse(point.alert_ids)
        self.measured(point, [11.0], start=20)
        alert = point.alert_ids
        self.assertEqual(len(alert), 1)
        self.assertEqual((alert.state, alert.chart, alert.rules), ('new', 'individuals', '1'))
        self.assertAlmostEqual(alert.value, 11.0)
        self.assertAlmostEqual(alert.center, 10.04, places=6)
        self.assertAlmostEqual(alert.ucl, 10.572, places=6)
        self.assertEqual(alert.check_id.value, 11.0)
        self.assertEqual(alert.check_id.result, 'pass')             # in specification, out of control
        self.assertEqual(alert.workorder_id, self.wo_cut)
        self.assertIn('rule 1', alert.description)
        # every supervisor follows it and has the to-do (no responsible on the point)
        supervisors = self.supervisor_group.users.filtered(lambda u: not u.share)
        self.assertTrue(supervisors)
        self.assertLessEqual(set(supervisors.mapped('partner_id').ids), set(alert.message_partner_ids.ids))
        self.assertEqual(set(alert.activity_ids.mapped('user_id').ids), set(supervisors.ids))
        self.assertTrue(alert.message_ids.filtered(lambda m: 'rule 1' in (m.body or '')))
        self.assertEqual(point.alert_open_count, 1)
        # a value back near the centre raises nothing more; the supervisor closes the alert
        self.measured(point, [10.05], start=30)
        self.assertEqual(len(point.alert_ids), 1)
        alert.action_acknowledge()
        alert.action_close()
        self.assertEqual(alert.state, 'closed')

    def test_subgroup_mean_beyond_the_limits_raises_an_xbar_alert(self):
        point = self.length_point(name='Bore', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0,
                                  subgroup_size=2, spc_min_points=4)
        self.measured(point, [10.0, 10.2, 9.9, 10.1, 10.0, 10.2, 10.1, 9.9])
        self.measured(point, [10.6], start=30)
        self.assertFalse(point.alert_ids)                           # half a subgroup judges nothing
        self.measured(point, [10.7], start=31)
        self.assertEqual((point.alert_ids.chart, point.alert_ids.rules), ('xbar', '1'))
        self.assertAlmostEqual(point.alert_ids.value, 10.65, places=6)
        self.assertAlmostEqual(point.alert_ids.ucl, 10.426, places=6)

    def test_no_alert_before_enough_history(self):
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0)
        self.measured(point, LENGTHS + [11.5])                     # default: 20 points of history first
        self.assertFalse(point.alert_ids)

    def test_the_spc_report_shows_the_numbers(self):
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.5, tolerance_max=10.5)
        self.measured(point, LENGTHS)
        report = self.env.ref('shopfloor_mes.action_report_mes_quality_spc')
        html = report.render_qweb_html(point.ids)[0].decode()
        for figure in ('10.0400', '10.5720', '9.5080', '0.6534', '0.940', '0.865', '<svg'):
            self.assertIn(figure, html)
        action = point.action_print_spc()   # (the superuser may first be asked for a layout)
        self.assertEqual(action.get('report_name') or action['context']['default_report_name'],
                         'shopfloor_mes.report_mes_quality_spc')

    def test_the_chart_view_plots_the_points_values(self):
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.5, tolerance_max=10.5)
        self.measured(point, LENGTHS)
        action = point.action_open_chart()
        self.assertEqual(action['view_mode'].split(',')[0], 'graph')
        groups = self.env['mes.quality.check'].read_group(action['domain'], ['value', 'sample_no'], ['sample_no'])
        self.assertEqual([g['value'] for g in groups], LENGTHS)


class TestSpcCharts(QualityCase):
    """Issue 20, item 6: both panels, frozen limits, selectable run rules, a capability
    histogram, labels that do not overlap, and the plant's time zone on screen and in the PDF."""

    def measured(self, point, values, start=10):
        self.send_ok([self.check(start + i, point, 'pass', value=v) for i, v in enumerate(values)])

    def test_both_panels_a_histogram_and_labels_apart(self):
        # the USL (10.57) sits on the UCL (10.572): their labels must not be drawn over each other
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.5, tolerance_max=10.57, unit='mm')
        self.measured(point, LENGTHS)
        svg = point.spc_chart_svg
        self.assertIn('>Individuals<', svg)
        self.assertIn('>Moving range<', svg)
        self.assertIn('MR-bar 0.2 mm', svg)
        self.assertIn('UCL 0.6534 mm', svg)                    # the moving range's own limit
        labels = re.findall(r'<text class="o_mes_spc_label" x="[\d.]+" y="([\d.]+)">([^<]+)</text>', svg)
        self.assertEqual(len(labels), 5 + 3)
        for panel in (labels[:5], labels[5:]):
            ys = sorted(float(y) for y, _text in panel)
            self.assertTrue(all(b - a >= 12 - 1e-6 for a, b in zip(ys, ys[1:])), panel)
        self.assertIn('Capability: 5 values', point.spc_histogram_svg)
        self.assertEqual(point.spc_histogram_svg.count('<rect'), 12)

    def test_frozen_limits_and_selected_rules_judge_new_values(self):
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0,
                                  spc_min_points=5)
        self.measured(point, LENGTHS)
        point.action_freeze_limits()
        self.assertTrue(point.spc_limits_frozen)
        self.assertAlmostEqual(point.spc_frozen_ucl, 10.572, places=6)
        point.write({'spc_rule_2': False, 'spc_rule_3': False})
        # the process moves up 2 sigma: rules 2 and 3 are off, rule 4 waits for eight in a row
        self.measured(point, [10.4] * 7, start=20)
        self.assertFalse(point.alert_ids)
        self.assertAlmostEqual(point.spc_center, 10.04, places=6)        # frozen: the shift does not move it
        self.assertIn('frozen limits', point.spc_message)
        self.measured(point, [10.4], start=40)
        self.assertEqual(point.alert_ids.rules, '4')
        self.assertAlmostEqual(point.alert_ids.ucl, 10.572, places=6)
        point.action_unfreeze_limits()
        self.assertFalse(point.spc_limits_frozen)
        self.assertGreater(point.spc_center, 10.2)                      # the limits follow the values again

    def test_only_a_supervisor_freezes_limits_and_only_with_enough_history(self):
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0)
        self.measured(point, LENGTHS)
        with self.assertRaisesRegex(UserError, 'at least 20'):
            point.action_freeze_limits()
        operator = self.env['res.users'].create({
            'name': 'SPC operator', 'login': 'spc-operator',
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_operator').id])]})
        with self.assertRaises(AccessError):
            point.sudo(operator).action_freeze_limits()

    def test_the_pdf_shows_the_plants_time_whoever_prints_it(self):
        self.env.user.company_id.partner_id.tz = 'Europe/Amsterdam'
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0,
                                  spc_min_points=5)
        self.measured(point, LENGTHS)                    # 07:10 to 07:14 UTC
        self.measured(point, [11.0], start=20)           # 07:20 UTC: an alert
        report = self.env.ref('shopfloor_mes.action_report_mes_quality_spc')
        html = report.with_context(tz='Pacific/Auckland').render_qweb_html(point.ids)[0].decode()
        self.assertIn('All times in <span>Europe/Amsterdam</span>', html)
        checked = re.findall(r'class="o_mes_spc_checked">([^<]+)<', html)
        self.assertEqual(checked[0], '2026-11-24 08:10')
        self.assertEqual(checked[-1], '2026-11-24 08:20')
        self.assertEqual(re.findall(r'class="o_mes_spc_measured">([^<]+)<', html), ['2026-11-24 08:20'])
        self.assertNotIn('20:10', html)                                  # Auckland's time is nowhere
        self.assertEqual(point.spc_tz, 'Europe/Amsterdam')
        self.assertIn('2026-11-24 08:20 (Europe/Amsterdam)', point.spc_chart_svg)

    def test_the_lists_and_forms_show_the_plants_time_whoever_looks(self):
        """The SPC user reads checks and alerts in the plant's time, as on the chart and in the
        PDF, not the browser's; the UTC column stays for filters, and sorts the column."""
        self.env.user.company_id.partner_id.tz = 'Europe/Amsterdam'
        point = self.length_point(name='Stub length', nominal=10.0, tolerance_min=9.0, tolerance_max=12.0,
                                  spc_min_points=5)
        self.measured(point, LENGTHS)                    # 07:10 to 07:14 UTC
        self.measured(point, [11.0], start=20)           # 07:20 UTC: an alert
        Check = self.env['mes.quality.check'].with_context(tz='Pacific/Auckland')
        Alert = self.env['mes.quality.alert'].with_context(tz='Pacific/Auckland')
        rows = Check.search_read([('point_id', '=', point.id)], ['checked_at_plant', 'checked_at'],
                                 order='checked_at_plant asc')
        self.assertEqual([r['checked_at_plant'] for r in rows],
                         ['2026-11-24 08:%d CET' % m for m in (10, 11, 12, 13, 14, 20)])
        self.assertEqual(rows[0]['checked_at'], '2026-11-24 07:10:00')          # UTC, for filters
        newest_first = Check.search([('point_id', '=', point.id)], order='checked_at_plant desc')
        self.assertEqual(newest_first[0].value, 11.0)
        self.assertTrue(Check.fields_get(['checked_at_plant'])['checked_at_plant']['sortable'])
        alert = Alert.search([('point_id', '=', point.id)])
        self.assertEqual(alert.measured_at_plant, '2026-11-24 08:20 CET')
        self.assertEqual(alert.measured_at, '2026-11-24 07:20:00')
        self.assertTrue(alert.raised_at_plant.endswith(' CET'))
        self.assertEqual(Alert.search([('measured_at', '>=', '2026-11-24 07:20:00'), ('point_id', '=', point.id)]),
                         alert)
        self.assertTrue(Alert.fields_get(['measured_at_plant'])['measured_at_plant']['sortable'])
        # the screens show these, not the browser-zoned datetimes
        for model, view, shown, hidden in (
                (Check, 'tree', 'checked_at_plant', 'checked_at'), (Check, 'form', 'checked_at_plant', 'checked_at'),
                (Check, 'form', 'due_at_plant', 'due_at'),
                (Alert, 'tree', 'measured_at_plant', 'create_date'), (Alert, 'form', 'measured_at_plant', 'closed_at')):
            arch = model.fields_view_get(view_type=view)['arch']
            self.assertIn('name="%s"' % shown, arch, (model._name, view))
            self.assertNotIn('name="%s"' % hidden, arch, (model._name, view))
