"""The demo factory loads into a demo database and is ready to run: what `make run` shows."""
import os

import pytest

import odoo


@pytest.fixture(scope='module')
def demo_env():
    db = os.environ.get('MES_DEMO_DB')
    if not db:
        pytest.fail('MES_DEMO_DB is not set: run the suite with `make test`')
    registry = odoo.registry(db)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


def test_work_centers_with_costs_capacity_and_calendar(demo_env):
    centers = demo_env['mrp.workcenter'].search([('costs_hour', '>', 0)])
    assert len(centers) >= 4
    assert all(c.capacity > 0 and c.resource_calendar_id.attendance_ids for c in centers)


def test_three_products_with_multi_level_boms_and_standard_costed_components(demo_env):
    # the demo factory's own BOMs (Odoo's mrp demo data adds others, without stock)
    ids = demo_env['ir.model.data'].search([('module', '=', 'shopfloor_mes'),
                                            ('model', '=', 'mrp.bom')]).mapped('res_id')
    boms = demo_env['mrp.bom'].browse(ids)
    assert all(b.routing_id for b in boms)
    finished = boms.filtered(lambda b: b.product_tmpl_id.categ_id.property_valuation == 'real_time')
    assert len(finished.mapped('product_tmpl_id')) >= 4   # three products and a sub-assembly
    made_in_house = set(boms.mapped('product_tmpl_id').ids)
    assert any(line.product_id.product_tmpl_id.id in made_in_house for line in boms.mapped('bom_line_ids'))
    components = boms.mapped('bom_line_ids.product_id')
    assert all(p.standard_price > 0 and p.categ_id.property_cost_method == 'standard' for p in components)
    assert all(p.qty_available > 0 for p in components)


def test_employees_with_badges_hashed_pins_and_rates(demo_env):
    employees = demo_env['hr.employee'].search([('barcode', '=like', 'MES-%')])
    assert len(employees) >= 6
    assert all(e.mes_pin_hash and e.mes_pin_hash.startswith('$pbkdf2') and e.timesheet_cost > 0 for e in employees)
    assert employees[0]._mes_check_pin('1111') or any(e._mes_check_pin('1111') for e in employees)


def test_users_for_each_role(demo_env):
    for login, group in (('operator', 'group_mes_operator'), ('supervisor', 'group_mes_supervisor'),
                         ('finance', 'group_mes_finance')):
        user = demo_env['res.users'].search([('login', '=', login)])
        assert user.has_group('shopfloor_mes.' + group), login


def test_confirmed_orders_with_work_orders_ready_to_run(demo_env):
    orders = demo_env['mrp.production'].search([('workorder_ids', '!=', False),
                                                ('state', 'in', ('confirmed', 'planned'))])
    assert len(orders) >= 4
    assert demo_env['mrp.workorder'].search_count([('production_id', 'in', orders.ids), ('state', '=', 'ready')]) >= 4
    # the supervisor sees them
    supervisor = demo_env['res.users'].search([('login', '=', 'supervisor')])
    assert demo_env['mrp.production'].sudo(supervisor).search_count([('id', 'in', orders.ids)]) == len(orders)


def test_terminals_and_reason_codes(demo_env):
    assert demo_env['mes.terminal'].search_count([]) >= 4
    assert demo_env['mes.reason'].search_count([('kind', '=', 'scrap'), ('is_category', '=', False)]) >= 3
    assert demo_env['mes.reason'].search_count([('kind', '=', 'downtime'), ('is_category', '=', False)]) >= 3


def test_raw_semi_finished_and_finished_stock_each_on_its_own_inventory_account(demo_env):
    categories = [demo_env.ref('shopfloor_mes.demo_categ_%s' % kind) for kind in ('raw', 'semi', 'finished')]
    accounts = [c.property_stock_valuation_account_id for c in categories]
    assert all(accounts) and len(set(accounts)) == 3, [a.display_name for a in accounts]
    # the opening inventory of components is on the raw materials account, none on the others
    tube = demo_env.ref('shopfloor_mes.demo_product_steel_tube')
    lines = demo_env['account.move.line'].search([('product_id', '=', tube.id), ('debit', '>', 0)])
    assert lines and set(lines.mapped('account_id')) == {accounts[0]}


def test_demo_work_centers_carry_a_standard_labor_rate(demo_env):
    ids = demo_env['ir.model.data'].search([('module', '=', 'shopfloor_mes'),
                                            ('model', '=', 'mrp.workcenter')]).mapped('res_id')
    centers = demo_env['mrp.workcenter'].browse(ids)
    assert len(centers) >= 4 and all(c.mes_labor_rate > 0 for c in centers)
