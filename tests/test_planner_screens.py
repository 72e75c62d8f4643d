"""Small things a planner meets on the board and the dead-letter screens (issue 20, item 7):
andon colours that Odoo 11 (Bootstrap 3) renders, group headers that do not add up ids, and
breadcrumbs that name the record instead of "mes.event,194"."""
from lxml import etree

from .common import ShopFloorCase


class TestPlannerScreens(ShopFloorCase):

    def test_the_board_badges_use_classes_odoo_11_styles(self):
        arch = self.env['mrp.workcenter'].fields_view_get(
            view_id=self.env.ref('shopfloor_mes.mrp_workcenter_view_kanban_mes_board').id, view_type='kanban')['arch']
        self.assertNotIn('badge-', arch, 'Bootstrap 4 classes: Odoo 11 leaves them unstyled')
        for klass in ('label-danger', 'label-success', 'label-default'):
            self.assertIn(klass, arch)

    def test_dead_letter_groups_do_not_add_up_ids(self):
        for minute in (10, 20):
            self.assert_rejected(self.event('scrap', minute, data={'qty': 1, 'reason': 'WARPED'}), 'reason_unknown')
        groups = self.env['mes.event'].read_group(
            [('state', '=', 'dead')], ['workorder_ref', 'seq', 'clock_offset_ms', 'repeat_count', 'error_code'], ['error_code'])
        self.assertEqual(len(groups), 1)
        for name in ('workorder_ref', 'seq', 'clock_offset_ms'):
            self.assertNotIn(name, groups[0], '%s is an identity, not a quantity' % name)
        self.assertIn('repeat_count', groups[0])

    def test_breadcrumbs_name_the_record(self):
        self.send_ok([self.event('start', 0), self.event('produce', 30, data={'qty': 4})])
        produce = self.env['mes.event'].search([('type', '=', 'produce'), ('workorder_id', '=', self.wo_cut.id)])
        name = produce.display_name
        self.assertNotIn('mes.event,', name)
        self.assertIn('produce 4', name)
        self.assertIn(self.wo_cut.display_name, name)
        execution = self.env['mes.execution'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(execution.display_name, self.wo_cut.display_name)
        timeline = self.env['mes.workcenter.timeline'].create({'workcenter_id': self.saw.id, 'date': '2026-11-24'})
        self.assertEqual(timeline.display_name, 'Test saw · 2026-11-24')
