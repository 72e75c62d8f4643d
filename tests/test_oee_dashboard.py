"""The plant manager's OEE screens (issue 20, item 3): the plant rolled up by planned time, the
shifts compared, the six big losses, and each figure down to its records; ratios of sums in
every group, never averages or sums of percentages.

The hand-made day of test_oee_day.py at the saw, plus the paint shop on the same calendar
(06:00-22:00 Amsterdam, no break): Carl paints 30 frames (ideal 2 min) in the hour 08:00-09:00
UTC. Paint day: planned 960, run 60, ideal 60, good 30 of 30: OEE 60/960 = 0.0625.
Plant day = (243 + 60) / (930 + 960) x (66 + 30) / (69 + 30) = 0.155459, not the average of
the two OEEs (0.156215).
"""
from .test_oee_day import NOW, RECEIVED, OeeDayCase, m


class TestOeeDashboard(OeeDayCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paint.write({'resource_calendar_id': cls.calendar.id, 'mes_tz': 'Europe/Amsterdam'})
        cls.paint_tablet = cls.env['mes.terminal'].create({'name': 'Paint tablet',
                                                           'workcenter_ids': [(6, 0, [cls.paint.id])]})
        cls.frames = cls.make_order(30).workorder_ids.filtered(lambda w: w.workcenter_id == cls.paint)

    def setUp(self):
        super().setUp()
        self.send_day()
        self.send_ok([self.event('start', m(8), wo=self.frames, badge='B-CARL'),
                      self.event('produce', m(9), wo=self.frames, badge='B-CARL', data={'qty': 30}),
                      self.event('stop', m(9), wo=self.frames, badge='B-CARL')], terminal=self.paint_tablet,
                     received_at=RECEIVED)
        self.env['mes.oee.record'].refresh(self.saw | self.paint, '2026-11-24', '2026-11-24', now=NOW)

    def group(self, groupby, kind='day'):
        return self.env['mes.oee.record'].read_group(
            [('period_kind', '=', kind), ('date', '=', '2026-11-24'),
             ('workcenter_id', 'in', (self.saw | self.paint).ids)],
            ['oee', 'availability', 'planned_minutes'] + [g.split(':')[0] for g in groupby], groupby, lazy=False)

    def test_the_plant_is_weighted_by_planned_time_never_averaged(self):
        paint = self.record('day').search([('workcenter_id', '=', self.paint.id), ('period_kind', '=', 'day')])
        self.assertAlmostEqual(paint.oee, 6.25, places=4)
        plant, = self.group(['date:day'])
        self.assertAlmostEqual(plant['planned_minutes'], 930 + 960)
        self.assertAlmostEqual(plant['oee'], 100 * 303 / 1890 * 96 / 99, places=4)
        self.assertNotAlmostEqual(plant['oee'], (self.record('day').oee + paint.oee) / 2, places=2)
        graph = self.env.ref('shopfloor_mes.mes_oee_record_view_graph_plant')
        self.assertIn('type="line"', graph.arch)
        self.assertIn('stacked="False"', graph.arch)

    def test_the_shifts_compared(self):
        groups = {g['shift_label']: g for g in self.group(['shift_label'], kind='shift')}
        self.assertEqual(set(groups), {'06:00-14:00', '14:00-22:00'})
        early = self.record('shift', '06:00-14:00')
        self.assertAlmostEqual(groups['06:00-14:00']['planned_minutes'], early.planned_minutes + 480)
        action = self.env.ref('shopfloor_mes.mes_oee_record_action_shifts')
        self.assertIn('search_default_kind_shift', action.context)

    def test_the_six_big_losses_add_up_and_drill_down(self):
        early = self.record('shift', '06:00-14:00')
        Loss = self.env['mes.oee.loss']
        groups = Loss.read_group([('record_id', '=', early.id), ('is_planned', '=', False)],
                                 ['big_loss', 'minutes'], ['big_loss'], lazy=False)
        minutes = {g['big_loss']: g['minutes'] for g in groups}
        self.assertEqual(minutes, {'breakdown': 30, 'setup': 60 + 151, 'small_stop': 16, 'speed': 20 + 2,
                                   'production': 6 + 3})
        self.assertAlmostEqual(early.good_ideal_minutes + sum(minutes.values()), early.planned_minutes)
        breakdown = early.loss_ids.filtered(lambda l: l.big_loss == 'breakdown')
        behind = self.env['mrp.workcenter.productivity'].search(breakdown.action_view_records()['domain'])
        self.assertEqual(behind.mes_reason_id.code, 'BRK-MECH')
        self.assertEqual(self.env.ref('shopfloor_mes.mes_oee_loss_action_big_losses').res_model, 'mes.oee.loss')
        # a pause without output drills to the run time it happened in; a stop nobody reported to the day's timeline
        gap = early.loss_ids.filtered(lambda l: l.kind == 'gap')
        runs = self.env['mrp.workcenter.productivity'].search(gap.action_view_records()['domain'])
        self.assertTrue(runs and all(runs.mapped('mes_machine_time')))
        idle = early.loss_ids.filtered(lambda l: l.kind == 'idle')
        self.assertEqual(idle.action_view_records()['res_model'], 'mes.workcenter.timeline')

    def test_rejects_before_an_orders_first_good_unit_are_startup_rejects(self):
        order = self.make_order(50).workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        # (scrap reported in one batch is posted as one stock.scrap, at the batch's last time)
        self.send_ok([self.event('start', m(16), wo=order, badge='B-BEN'),
                      self.event('scrap', m(16, 10), wo=order, badge='B-BEN', data={'qty': 2, 'reason': 'DIM'})],
                     received_at=RECEIVED)
        self.send_ok([self.event('produce', m(16, 30), wo=order, badge='B-BEN', data={'qty': 5}),
                      self.event('scrap', m(16, 40), wo=order, badge='B-BEN', data={'qty': 1, 'reason': 'DIM'}),
                      self.event('stop', m(17), wo=order, badge='B-BEN')], received_at=RECEIVED)
        self.refresh()
        late = self.record('shift', '14:00-22:00')
        self.assertEqual(late.startup_reject_qty, 2)
        lines = {loss.label: loss for loss in late.loss_ids}
        self.assertEqual(lines['Startup rejects'].big_loss, 'startup')
        self.assertAlmostEqual(lines['Startup rejects'].minutes, late.ideal_minutes * 2 / late.total_qty)
        self.assertAlmostEqual(lines['Scrap'].minutes, late.ideal_minutes * 1 / late.total_qty)
