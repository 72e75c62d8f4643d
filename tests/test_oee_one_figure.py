"""One OEE everywhere: Odoo's Manufacturing dashboard and work center form show the MES's OEE
(the figure of the OEE screen under its default filters), and the OEE graph never adds up
percentages. (Issue 20: "Saw 96.9 %, Performance 46,580 %" beside ours, 4-9 %; the default
graph stacked the percentages of 8 work centers into 16.11.)

The hand-made Tuesday of test_oee_day on the saw; the paint shop gets its own small day.
"""
from datetime import date, timedelta
from unittest import mock

from lxml import etree

from odoo import fields

from .test_oee_day import NOW, OeeDayCase, m


class TestOneOee(OeeDayCase):

    def setUp(self):
        super().setUp()
        self.paint.write({'resource_calendar_id': self.calendar.id, 'mes_tz': 'Europe/Amsterdam'})
        self.send_day()
        tablet = self.env['mes.terminal'].create({'name': 'Paint tablet', 'workcenter_ids': [(6, 0, self.paint.ids)]})
        paint = dict(wo=self.wo_paint, badge='B-CARL')
        self.send_ok([self.event('start', m(6), **paint),
                      self.event('produce', m(7), data={'qty': 5}, **paint),
                      self.event('stop', m(8), **paint)], terminal=tablet)
        self.env['mes.oee.record'].refresh(self.saw | self.paint, '2026-11-24', '2026-11-24', now=NOW)
        # the dashboard's window is the last 30 days: look at that Tuesday from a week later
        self.today = date(2026, 12, 1)
        patcher = mock.patch.object(fields.Date, 'context_today', return_value='2026-12-01')
        patcher.start()
        self.addCleanup(patcher.stop)
        self.Workcenter = self.env['mrp.workcenter']

    def pivot(self, groupby, domain=()):
        """What the OEE screen shows under its default filters (Days, last 30 days)."""
        since = (self.today - timedelta(days=30)).strftime('%Y-%m-%d')
        return self.env['mes.oee.record'].read_group(
            [('period_kind', '=', 'day'), ('date', '>=', since),
             ('workcenter_id', 'in', (self.saw | self.paint).ids)] + list(domain),
            ['oee', 'performance', 'availability', 'run_minutes', 'downtime_minutes']
            + [g.split(':')[0] for g in groupby], groupby, lazy=False)

    def test_odoos_work_center_figures_are_the_mes_oee(self):
        groups = {g['workcenter_id'][0]: g for g in self.pivot(['workcenter_id'])}
        workcenters = self.Workcenter.browse((self.saw | self.paint).ids)
        for workcenter in workcenters:
            group = groups[workcenter.id]
            self.assertAlmostEqual(workcenter.oee, round(group['oee'], 2), places=2, msg=workcenter.name)
            self.assertAlmostEqual(workcenter.performance, group['performance'], places=6)
            self.assertAlmostEqual(workcenter.blocked_time, group['downtime_minutes'] / 60.0, places=2)
            self.assertAlmostEqual(workcenter.productive_time, group['run_minutes'] / 60.0, places=2)
            self.assertTrue(workcenter.mes_oee_computed_at)
        saw = workcenters.filtered(lambda w: w == self.saw)
        self.assertAlmostEqual(saw.oee, 24.99, places=2)       # test_oee_day's Tuesday

    def test_a_work_center_without_records_shows_zero_not_odoos_figure(self):
        lathe = self.env['mrp.workcenter'].create({'name': 'Lathe, no MES yet'})
        self.env['mrp.workcenter.productivity'].create({
            'workcenter_id': lathe.id, 'loss_id': self.env.ref('mrp.block_reason7').id,
            'date_start': '2026-11-30 08:00:00', 'date_end': '2026-11-30 09:00:00'})
        lathe = self.Workcenter.browse(lathe.id)
        self.assertEqual((lathe.oee, lathe.performance, lathe.blocked_time), (0.0, 0.0, 0.0))

    def test_the_dashboard_and_the_form_show_and_open_the_mes_oee(self):
        odoo_oee = 'name="%d"' % self.env.ref('mrp.mrp_workcenter_productivity_report_oee').id
        kanban = self.env['mrp.workcenter'].fields_view_get(
            view_id=self.env.ref('mrp.mrp_workcenter_kanban').id, view_type='kanban')['arch']
        self.assertNotIn(odoo_oee, kanban)
        self.assertIn('action_mes_oee', kanban)
        self.assertIn('mes_oee_computed_at', kanban)
        form = etree.fromstring(self.env['mrp.workcenter'].fields_view_get(
            view_id=self.env.ref('mrp.mrp_workcenter_view').id, view_type='form')['arch'])
        buttons = {b.get('name'): b for b in form.iter('button')}
        self.assertNotIn(str(self.env.ref('mrp.mrp_workcenter_productivity_report_oee').id), buttons)
        self.assertNotIn(str(self.env.ref('mrp.mrp_workorder_report').id), buttons)
        shown = [f.get('name') for b in form.iter('button') if b.get('name') == 'action_mes_oee'
                 for f in b.iter('field')]
        self.assertEqual(shown, ['oee', 'performance'])
        self.assertIn('action_mes_losses', buttons)
        action = self.saw.action_mes_oee()
        self.assertEqual((action['res_model'], action['domain']),
                         ('mes.oee.record', [('workcenter_id', '=', self.saw.id)]))

    def test_the_oee_graph_draws_averages_never_stacked_sums(self):
        graph = etree.fromstring(self.env['mes.oee.record'].fields_view_get(view_type='graph')['arch'])
        self.assertEqual(graph.get('stacked'), 'False')
        self.assertEqual(graph.get('type'), 'line')
        self.saw.oee_target = 80.0
        self.paint.oee_target = 90.0
        action = self.env['mes.oee.record']._oee_action([('workcenter_id', 'in', (self.saw | self.paint).ids)])
        self.assertEqual(action['context']['mes_oee_target'], 85.0)
        self.assertEqual(action['context']['search_default_kind_day'], 1)
        self.assertEqual([f.get('name') for f in graph.iter('field') if f.get('type') == 'measure'], ['oee'])
        # each point of a line is that work center's day; grouped by day alone, the plant's day
        # weighted by planned time, never a sum of percentages
        points = self.pivot(['date:day', 'workcenter_id'])
        self.assertEqual(len(points), 2)
        for point in points:
            self.assertLessEqual(point['oee'], 100.0)
        plant, = self.pivot(['date:day'])
        records = self.env['mes.oee.record'].search([('period_kind', '=', 'day'), ('date', '=', '2026-11-24'),
                                                     ('workcenter_id', 'in', (self.saw | self.paint).ids)])
        self.assertEqual(len(records), 2)
        total = {name: sum(records.mapped(name)) for name in ('planned_minutes', 'ideal_minutes', 'good_qty',
                                                              'total_qty')}
        expected = 100.0 * total['ideal_minutes'] * total['good_qty'] / (total['planned_minutes'] * total['total_qty'])
        self.assertAlmostEqual(plant['oee'], expected, places=6)
        self.assertLess(plant['oee'], sum(records.mapped('oee')))
        self.assertGreaterEqual(plant['oee'], min(records.mapped('oee')) - 1e-6)
        self.assertLessEqual(plant['oee'], max(records.mapped('oee')) + 1e-6)
