"""An order's cost by operation and by employee, and the journal items behind each line.

The order of test_costing: 5 stools, cut on the saw (labor 30.00/h, machine 60.00/h), painted
(labor 24.00/h, machine 30.00/h). Its first scenario (two operators on the saw, a rate change,
scrap, downtime, a late interval), broken down:

  cut    Anna 50 + 10 min, Ben 60 min = 2 h: 25.00 + 10 min x 33.00 = 5.50 + 36.00 = 66.50
         machine 70 min = 70.00; material 24 + 12 + 36 = 72.00; scrap 16.50, all of it carried
         out of WIP at standard (12.00 material, 1.50 labor, 3.00 machine)
  paint  Carl 30 min = 12.00; machine 30 min = 15.00; material 60 + 4 = 64.00
  by employee: Anna 1 h at 30.00 and 33.00 = 30.50, Ben 1 h at 36.00, Carl 0.5 h at 24.00
"""
from odoo.exceptions import AccessError

from .test_costing import CostingCase

OPERATOR = 'shopfloor_mes.group_mes_operator'
SUPERVISOR = 'shopfloor_mes.group_mes_supervisor'
FINANCE = 'shopfloor_mes.group_mes_finance'


class TestCostBreakdown(CostingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env['res.users'].with_context(no_reset_password=True)

        def user(login, group):
            return Users.create({'name': login.title(), 'login': login, 'email': '%s@example.com' % login,
                                 'groups_id': [(6, 0, [cls.env.ref(group).id])]})
        cls.operator = user('cb_operator', OPERATOR)
        cls.supervisor = user('cb_supervisor', SUPERVISOR)
        cls.finance = user('cb_finance', FINANCE)
        cls.anna.user_id = cls.operator

    # -- reading -------------------------------------------------------------------------------
    def fresh(self):
        for model in ('mes.cost.operation', 'mes.cost.employee', 'mes.cost.line', 'mrp.production',
                      'account.move.line'):
            self.env[model].invalidate_cache()

    def operations(self, production=None):
        self.fresh()
        return self.env['mes.cost.operation'].search([('production_id', '=', (production or self.mo).id)])

    def employees(self, production=None):
        self.fresh()
        return self.env['mes.cost.employee'].search([('production_id', '=', (production or self.mo).id)])

    def items(self, action, user=None):
        return self.env['account.move.line'].sudo(user or self.finance).search(action['domain'])

    def assert_adds_up(self, production=None):
        """Operations add up to the cost sheet's actuals to the cent, element by element, and
        the employees to the labor the operations hold."""
        production = production or self.mo
        ops, people = self.operations(production), self.employees(production)
        sheet = {line.element: line.actual for line in production.mes_cost_line_ids}
        regular, rework = ops.filtered(lambda o: not o.is_rework), ops.filtered('is_rework')
        by_element = {
            'material': sum(o.material_cost - o.carried_material for o in regular),
            'labor': sum(o.labor_cost - o.carried_labor for o in regular),
            'machine': sum(o.machine_cost - o.carried_machine for o in regular),
            'scrap': sum(ops.mapped('scrap_cost')),
            'rework': sum(o.material_cost + o.labor_cost + o.machine_cost for o in rework)}
        for element, amount in by_element.items():
            self.assertEqual(round(amount, 2), round(sheet.get(element, 0.0), 2), element)
        self.assertEqual(round(sum(ops.mapped('total')), 2), round(sum(sheet.values()), 2))
        self.assertEqual(round(sum(people.mapped('cost')), 2), round(sum(ops.mapped('labor_cost')), 2))
        self.assertAlmostEqual(sum(people.mapped('hours')), sum(ops.mapped('labor_hours')), places=6)
        return ops, people

    def run_first_scenario(self):
        e = self.event
        self.step([e('start', 0), e('start', 10, badge='B-BEN'), e('produce', 20, data={'qty': 2})])
        self.step([e('downtime_start', 30, data={'reason': 'BRK-MECH'}), e('downtime_end', 40)])
        self.step([e('scrap', 45, data={'qty': 1, 'reason': 'DIM'})])
        self.step([e('stop', 50)])
        self.step([e('produce', 60, badge='B-BEN', data={'qty': 3}), e('stop', 70, badge='B-BEN')])
        self.step([e('finish', 90)])
        self.anna.timesheet_cost = 33.0
        self.step([e('start', 100, wo=self.wo_paint, badge='B-CARL'),
                   e('consume', 110, wo=self.wo_paint, badge='B-CARL', data={'product_id': self.seat.id, 'qty': 6}),
                   e('produce', 120, wo=self.wo_paint, badge='B-CARL', data={'qty': 5}),
                   e('stop', 130, wo=self.wo_paint, badge='B-CARL'),
                   e('finish', 130, wo=self.wo_paint, badge='B-CARL')],
                  terminal=self.paint_terminal)
        self.step([e('start', 75), e('stop', 85)], terminal=self.terminal2, received_minute=300)

    # -- the breakdown -------------------------------------------------------------------------
    def test_operations_and_employees_add_up_to_the_cost_sheet_to_the_cent(self):
        self.run_first_scenario()
        ops, people = self.assert_adds_up()
        cut = ops.filtered(lambda o: o.workorder_id == self.wo_cut)
        paint = ops.filtered(lambda o: o.workorder_id == self.wo_paint)
        self.assertEqual(
            (cut.name, cut.workcenter_id, cut.qty_good, cut.qty_scrap, cut.labor_hours, cut.labor_cost,
             round(cut.machine_hours * 60, 6), cut.machine_cost, cut.material_cost, cut.scrap_cost,
             cut.carried_material, cut.carried_labor, cut.carried_machine, cut.total),
            ('Cut', self.saw, 5.0, 1.0, 2.0, 66.50, 70.0, 70.00, 72.00, 16.50, 12.00, 1.50, 3.00, 208.50))
        self.assertEqual(
            (paint.name, paint.workcenter_id, paint.qty_good, paint.qty_scrap, paint.labor_hours, paint.labor_cost,
             paint.machine_hours, paint.machine_cost, paint.material_cost, paint.scrap_cost, paint.total),
            ('Paint', self.paint, 5.0, 0.0, 0.5, 12.00, 0.5, 15.00, 64.00, 0.0, 91.00))
        # the standard the sheet earns, per operation: 5 good through each
        self.assertEqual((round(cut.standard_material, 2), round(cut.standard_labor, 2),
                          round(cut.standard_machine, 2)), (60.00, 7.50, 15.00))
        self.assertEqual(round(cut.standard_total + paint.standard_total, 2),
                         round(sum(self.mo.mes_cost_line_ids.mapped('standard')), 2))
        by_name = {p.employee_id.name: (p.clock_hours, p.hours, p.rates, p.rate_min, p.rate_max, p.cost)
                   for p in people}
        self.assertEqual(by_name, {'Anna': (1.0, 1.0, '30.00, 33.00', 30.0, 33.0, 30.50),
                                   'Ben': (1.0, 1.0, '36.00', 36.0, 36.0, 36.00),
                                   'Carl': (0.5, 0.5, '24.00', 24.0, 24.0, 12.00)})
        # the order shows both on its cost sheet tab
        self.assertEqual(self.mo.mes_cost_operation_ids, ops)
        self.assertEqual(self.mo.mes_cost_employee_ids, people)
        # closed: the variances leave the lines as they were, and they still add up
        self.mo.button_mark_done()
        self.assert_invariants()
        ops_after, people_after = self.assert_adds_up()
        self.assertEqual(ops_after.mapped('total'), ops.mapped('total'))
        self.assertEqual(people_after.mapped('cost'), people.mapped('cost'))

    def test_a_fact_after_the_close_moves_the_lines_with_the_sheet(self):
        e = self.event
        self.step([e('start', 0), e('produce', 15, data={'qty': 5}), e('finish', 60)])
        self.step([e('start', 60, wo=self.wo_paint, badge='B-CARL'),
                   e('produce', 70, wo=self.wo_paint, badge='B-CARL', data={'qty': 5}),
                   e('finish', 80, wo=self.wo_paint, badge='B-CARL')], terminal=self.paint_terminal)
        self.mo.button_mark_done()
        self.step([e('stop', 40)], terminal=self.terminal2, received_minute=300)   # late: she stopped at 40
        ops, people = self.assert_adds_up()
        cut = ops.filtered(lambda o: o.workorder_id == self.wo_cut)
        self.assertEqual((cut.labor_hours, cut.labor_cost, cut.machine_cost), (40 / 60.0, 20.00, 40.00))
        anna = people.filtered(lambda p: p.employee_id == self.anna)
        self.assertEqual(anna.cost, 20.00)

    def test_an_operator_on_two_orders_at_once_shows_half_the_hours_on_each(self):
        other = self.make_order(5)
        other_cut = other.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        self.step([self.event('start', 0), self.event('start', 0, wo=other_cut)])
        self.step([self.event('stop', 60), self.event('stop', 60, wo=other_cut)])
        for production, wo in ((self.mo, self.wo_cut), (other, other_cut)):
            ops, people = self.assert_adds_up(production)
            anna = people.filtered(lambda p: p.employee_id == self.anna)
            self.assertEqual((anna.clock_hours, anna.hours, anna.rates, anna.cost), (1.0, 0.5, '30.00', 15.00))
            op = ops.filtered(lambda o: o.workorder_id == wo)
            self.assertEqual((op.labor_hours, op.labor_cost), (0.5, 15.00))
            sheet = {line.element: line.actual for line in production.mes_cost_line_ids}
            self.assertEqual(sheet['labor'], 15.00)

    def test_the_lines_add_up_where_the_ledger_rounds_each_day(self):
        # 10 seconds at 30.00/h on two days: 0.0833 a day, posted 0.08 + 0.08 = 0.16, where
        # the line's own rounding of 0.1667 would say 0.17
        e = self.event
        self.step([e('start', 0), e('stop', 1 / 6.0)], received_minute=10)
        self.step([e('start', 1440), e('stop', 1440 + 1 / 6.0)], received_minute=1450)
        ops, people = self.assert_adds_up()
        self.assertEqual(self.mo.mes_cost_line_ids.filtered(lambda l: l.element == 'labor').actual, 0.16)
        self.assertEqual(people.cost, 0.16)
        self.assertEqual(ops.filtered(lambda o: o.workorder_id == self.wo_cut).labor_cost, 0.16)

    # -- the drill-down ------------------------------------------------------------------------
    def test_each_line_opens_exactly_the_journal_items_it_was_computed_from(self):
        self.run_first_scenario()
        self.fresh()
        company = self.company
        everything = self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id)])
        carried = {'material': 12.00, 'labor': 1.50, 'machine': 3.00, 'scrap': 0.0, 'rework': 0.0}
        for line in self.mo.mes_cost_line_ids:
            action = line.sudo(self.finance).action_mes_journal_items()
            self.assertEqual(action['res_model'], 'account.move.line')
            items = self.items(action)
            if line.element == 'scrap':
                expected = everything.filtered(lambda l: l.account_id == company.mes_scrap_account_id
                                               and l.mes_cost_element == 'scrap')
            else:
                expected = everything.filtered(lambda l: l.mes_cost_element == line.element and (
                    l.account_id == company.mes_wip_account_id or l.mes_variance_kind == 'late_fact'))
            self.assertEqual(items, expected, line.element)
            self.assertEqual(line.scrap_carried, carried[line.element], line.element)
            # their sum is the line's actual, plus what scrapped units carried out at standard
            self.assertEqual(self.balance(items), round(line.actual + line.scrap_carried, 2), line.element)
            if line.element in ('labor', 'machine', 'material'):
                self.assertTrue(items, line.element)
        # each operation: the items its own facts posted (components on WIP, scrap expense)
        tagged = self.env['account.move.line']
        for op in self.operations():
            items = self.items(op.sudo(self.finance).action_mes_journal_items())
            self.assertEqual(items.mapped('mes_workorder_id'), op.workorder_id)
            self.assertEqual(self.balance(items), round(op.material_cost + op.scrap_cost, 2))
            tagged |= items
        # together they are every material item on WIP and every scrap item: none left out
        self.assertEqual(tagged, everything.filtered(
            lambda l: (l.account_id == company.mes_wip_account_id and l.mes_cost_element == 'material')
            or (l.account_id == company.mes_scrap_account_id and l.mes_cost_element == 'scrap')))
        # each employee: the labor logs of that employee on this order, and the labor the ledger
        # absorbed for the order, which the employees' lines add up to
        people = self.employees()
        for person in people:
            action = person.sudo(self.supervisor).action_mes_labor_logs()
            logs = self.env['mes.labor.log'].sudo(self.supervisor).search(action['domain'])
            self.assertEqual(logs, self.env['mes.labor.log'].search([
                ('production_id', '=', self.mo.id), ('employee_id', '=', person.employee_id.id)]))
            self.assertEqual(round(sum(log.charged_minutes for log in logs) / 60.0, 6), round(person.hours, 6))
            self.assertEqual(round(sum(log.charged_minutes / 60.0 * log.hourly_rate for log in logs), 2), person.cost)
            absorbed = self.items(person.sudo(self.finance).action_mes_journal_items())
            self.assertEqual(round(-self.balance(absorbed), 2), round(sum(people.mapped('cost')), 2))
            self.assertEqual(absorbed.mapped('account_id'), self.company.mes_applied_labor_account_id)
        cut = self.operations().filtered(lambda o: o.workorder_id == self.wo_cut)
        logs = self.env['mes.labor.log'].search(cut.sudo(self.finance).action_mes_labor_logs()['domain'])
        self.assertEqual(logs, self.wo_cut.mes_labor_log_ids)
        runs = self.env['mrp.workcenter.productivity'].search(cut.sudo(self.supervisor).action_mes_run_time()['domain'])
        self.assertEqual(round(sum(runs.mapped('duration')), 6), 70.0)

    # -- who reads it --------------------------------------------------------------------------
    def test_operators_cannot_read_the_breakdown_supervisors_and_finance_can(self):
        self.run_first_scenario()
        self.fresh()
        for model in ('mes.cost.operation', 'mes.cost.employee'):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].sudo(self.operator).search([])
            with self.assertRaises(AccessError, msg=model):
                record = self.env[model].browse(self.env[model].search([], limit=1).id)
                record.sudo(self.operator).read(['production_id'])
            for user in (self.supervisor, self.finance):
                rows = self.env[model].sudo(user).search([('production_id', '=', self.mo.id)])
                self.assertTrue(rows, (model, user.login))
                rows.read()
                for operation in ('write', 'create', 'unlink'):
                    self.assertFalse(self.env[model].sudo(user).check_access_rights(operation, raise_exception=False))
        with self.assertRaises(AccessError):
            self.mo.sudo(self.operator).read(['mes_cost_operation_ids'])
        with self.assertRaises(AccessError):
            self.mo.sudo(self.operator).read(['mes_cost_employee_ids'])
        for user in (self.supervisor, self.finance):
            values = self.mo.sudo(user).read(['mes_cost_operation_ids', 'mes_cost_employee_ids'])[0]
            self.assertEqual(len(values['mes_cost_operation_ids']), 2)
            self.assertEqual(len(values['mes_cost_employee_ids']), 3)
            # the order's form and the printed sheet render for both
            self.mo.sudo(user).fields_view_get(view_type='form')
            html = self.env.ref('shopfloor_mes.action_report_cost_sheet').sudo(user).render_qweb_html(self.mo.ids)[0]
            self.assertIn(b'Cost by operation', html)
            self.assertIn(b'Cost by employee', html)
            self.assertIn(b'30.00, 33.00', html)
        # the journal items are finance's: supervisors drill to labor logs and run time only
        op = self.operations()[0]
        people = self.employees()[0]
        line = self.mo.mes_cost_line_ids[0]
        for record in (op, people, line):
            with self.assertRaises(AccessError):
                record.sudo(self.supervisor).action_mes_journal_items()
            with self.assertRaises(AccessError):
                record.sudo(self.operator).action_mes_journal_items()
            self.assertEqual(record.sudo(self.finance).action_mes_journal_items()['res_model'], 'account.move.line')
        for user in (self.supervisor, self.finance):
            self.assertEqual(op.sudo(user).action_mes_labor_logs()['res_model'], 'mes.labor.log')
            self.assertEqual(people.sudo(user).action_mes_labor_logs()['res_model'], 'mes.labor.log')
        with self.assertRaises(AccessError):
            op.sudo(self.operator).action_mes_labor_logs()
