"""Small things a planner meets on the board and the dead-letter screens (issue 20, item 7):
andon colours that Odoo 11 (Bootstrap 3) renders, group headers that do not add up ids, and
breadcrumbs that name the record instead of "mes.event,194"."""
import os
from datetime import datetime, timedelta

import pytest

import odoo

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
            [('state', '=', 'dead')], ['workorder_ref', 'seq', 'clock_offset_ms', 'repeat_count', 'error_code'],
            ['error_code'])
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


class TestTimelineMenu(ShopFloorCase):

    def test_the_menu_opens_a_saved_timeline_read_only(self):
        self.saw.resource_calendar_id = self.env['resource.calendar'].search([], limit=1)
        menu = self.env.ref('shopfloor_mes.menu_mes_timeline')
        self.assertEqual(menu.action._name, 'ir.actions.server')
        action = menu.action.with_context(active_model='mes.workcenter.timeline').run()
        self.assertEqual(action['res_model'], 'mes.workcenter.timeline')
        self.assertTrue(action['res_id'], 'a saved record: leaving it asks nothing')
        self.assertEqual(action['flags'], {'initial_mode': 'view'})
        timeline = self.env['mes.workcenter.timeline'].browse(action['res_id'])
        self.assertTrue(timeline.workcenter_id and timeline.timeline_html)


@pytest.fixture(scope='module')
def demo_env():
    db = os.environ.get('MES_DEMO_DB')
    if not db:
        pytest.skip('MES_DEMO_DB is not set: `make test` runs this on the demo factory')
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


def demo_workcenters(env):
    ids = env['ir.model.data'].search([('module', '=', 'shopfloor_mes'),
                                       ('model', '=', 'mrp.workcenter')]).mapped('res_id')
    return env['mrp.workcenter'].browse(ids)


def test_the_demo_work_centers_have_equipment_for_maintenance(demo_env):
    centers = demo_workcenters(demo_env)
    assert len(centers) == 4
    assert all(c.mes_equipment_id for c in centers), centers.filtered(lambda c: not c.mes_equipment_id).mapped('name')
    assert len(centers.mapped('mes_equipment_id')) == 4


def test_idle_work_centers_lose_nothing_on_days_with_nothing_scheduled(demo_env):
    # Odoo's own demo work centers have calendars but, a week back, nothing scheduled or done
    odoo_centers = (demo_env['mrp.workcenter'].search([('resource_calendar_id', '!=', False)])
                    - demo_workcenters(demo_env))
    assert odoo_centers
    today = datetime.utcnow().date()
    records = demo_env['mes.oee.record'].refresh(odoo_centers, today - timedelta(days=14), today - timedelta(days=8))
    assert not records.mapped('loss_ids').filtered(lambda l: l.kind == 'idle'), records.mapped('name')
