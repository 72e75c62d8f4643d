"""Who may see and change what, through the ORM as each role: Operator, Supervisor, Finance,
a plain internal user without an MES group, and a portal user. The rules held here are the
threat model's (SECURITY.md): operators never read cost, rates or accounting; nobody edits the
inbox; only supervisors run terminals and the dead-letter queue; secrets are unreadable."""
from odoo.exceptions import AccessError, UserError

from ..services.terminal_token import token_hash
from .common import ShopFloorCase

COST_MODELS = ('mes.cost.line', 'mes.cost.operation', 'mes.cost.employee', 'mes.wip.report', 'mes.cost.of.quality',
               'account.move', 'account.move.line')


class SecurityCase(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Users = env['res.users'].with_context(no_reset_password=True)

        def user(login, *groups):
            return Users.create({'name': login.title(), 'login': login, 'email': '%s@example.com' % login,
                                 'groups_id': [(6, 0, [env.ref(g).id for g in groups])]})
        cls.operator = user('sec_operator', 'shopfloor_mes.group_mes_operator')
        cls.supervisor = user('sec_supervisor', 'shopfloor_mes.group_mes_supervisor')
        cls.finance = user('sec_finance', 'shopfloor_mes.group_mes_finance')
        cls.internal = user('sec_internal', 'base.group_user')
        cls.portal = user('sec_portal', 'base.group_portal')
        cls.anna.user_id = cls.operator
        cls.roles = {'operator': cls.operator, 'supervisor': cls.supervisor, 'finance': cls.finance,
                     'internal': cls.internal, 'portal': cls.portal}

    def mes_models(self):
        data = self.env['ir.model.data'].search([('module', '=', 'shopfloor_mes'), ('model', '=', 'ir.model')])
        models = self.env['ir.model'].browse(data.mapped('res_id'))
        return [m.model for m in models if m.model.startswith('mes.') and not self.env[m.model]._transient
                and not self.env[m.model]._abstract]

    def can(self, user, model, operation):
        return self.env[model].sudo(user).check_access_rights(operation, raise_exception=False)


class TestCostAndAccounting(SecurityCase):

    def test_operator_and_plain_users_cannot_read_cost_or_accounting(self):
        self.send_ok([self.event('start', 0), self.event('produce', 5, data={'qty': 1}), self.event('stop', 30)])
        for role in ('operator', 'internal', 'portal'):
            for model in COST_MODELS:
                self.assertFalse(self.can(self.roles[role], model, 'read'), '%s can read %s' % (role, model))
        for model in ('mes.cost.line', 'account.move.line', 'mes.wip.report'):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].sudo(self.operator).search([], limit=1).read()

    def test_finance_and_supervisor_read_cost(self):
        for role in ('finance', 'supervisor'):
            for model in ('mes.cost.line', 'mes.cost.operation', 'mes.cost.employee', 'mes.wip.report',
                          'mes.cost.of.quality'):
                self.assertTrue(self.can(self.roles[role], model, 'read'), '%s cannot read %s' % (role, model))
        for role in ('finance', 'supervisor'):
            for model in ('mes.cost.line', 'mes.wip.report'):
                for operation in ('write', 'create', 'unlink'):
                    self.assertFalse(self.can(self.roles[role], model, operation), (role, model, operation))

    def test_finance_reads_the_ledger_of_production(self):
        self.send_ok([self.event('start', 0), self.event('produce', 5, data={'qty': 1}), self.event('stop', 30)])
        lines = self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id)])
        self.assertTrue(lines)
        seen = self.env['account.move.line'].sudo(self.finance).search([('mes_production_id', '=', self.mo.id)])
        self.assertEqual(seen, lines)
        seen.read(['debit', 'credit', 'account_id', 'journal_id', 'move_id', 'mes_cost_element'])
        seen.mapped('move_id').read(['name', 'ref', 'state', 'journal_id', 'line_ids'])
        for operation in ('write', 'create', 'unlink'):
            self.assertFalse(self.can(self.finance, 'account.move.line', operation), operation)

    def test_rates_are_hidden_from_operators(self):
        self.send_ok([self.event('start', 0), self.event('stop', 30)])
        log = self.env['mes.labor.log'].search([('employee_id', '=', self.anna.id)], limit=1)
        with self.assertRaises(AccessError):
            log.sudo(self.operator).read(['hourly_rate'])
        with self.assertRaises(AccessError):
            self.anna.sudo(self.operator).read(['timesheet_cost'])
        self.assertEqual(log.sudo(self.finance).hourly_rate, 30.0)


class TestSecrets(SecurityCase):

    def test_token_and_pin_hashes_are_unreadable_even_for_supervisors(self):
        self.terminal.issue_token()
        for role in ('operator', 'supervisor', 'finance', 'internal'):
            with self.assertRaises(AccessError, msg=role):
                self.terminal.sudo(self.roles[role]).read(['token_hash'])
            with self.assertRaises(AccessError, msg=role):
                self.anna.sudo(self.roles[role]).read(['mes_pin_hash'])
        # the PIN field itself never shows the PIN
        self.assertFalse(self.anna.sudo(self.supervisor).mes_pin)
        self.assertTrue(self.anna.sudo(self.supervisor).mes_pin_set)

    def test_only_supervisors_manage_terminals_and_issue_tokens(self):
        self.assertTrue(self.terminal.sudo(self.supervisor).issue_token())
        for role in ('operator', 'finance', 'internal'):
            with self.assertRaises((AccessError, UserError), msg=role):
                self.terminal.sudo(self.roles[role]).issue_token()
            self.assertFalse(self.can(self.roles[role], 'mes.terminal', 'write'), role)
            self.assertFalse(self.can(self.roles[role], 'mes.terminal', 'create'), role)


class TestInboxAndRules(SecurityCase):

    def test_nobody_may_write_create_or_delete_terminal_events(self):
        self.send_ok([self.event('start', 0)])
        row = self.env['mes.event'].search([], limit=1)
        for role, user in self.roles.items():
            for operation in ('write', 'create', 'unlink'):
                self.assertFalse(self.can(user, 'mes.event', operation), (role, operation))
        for user in (self.supervisor, self.env.user):   # even the administrator
            with self.assertRaises(AccessError):
                row.sudo(user).write({'state': 'dead'})
            with self.assertRaises(AccessError):
                row.sudo(user).unlink()
        with self.assertRaises(AccessError):
            row.sudo().write({'raw': '{}'})

    def test_operators_see_only_their_own_labor_logs(self):
        self.send_ok([self.event('start', 0, badge='B-ANNA'), self.event('start', 1, badge='B-BEN'),
                      self.event('stop', 30, badge='B-ANNA'), self.event('stop', 31, badge='B-BEN')])
        Labor = self.env['mes.labor.log']
        mine = Labor.sudo(self.operator).search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(mine.mapped('employee_id'), self.anna)
        for role in ('supervisor', 'finance'):
            seen = Labor.sudo(self.roles[role]).search([('workorder_id', '=', self.wo_cut.id)])
            self.assertEqual(set(seen.mapped('employee_id.name')), {'Anna', 'Ben'}, role)

    def test_only_supervisors_retry_or_discard(self):
        row = self.assert_rejected(self.event('scrap', 3, data={'qty': 1, 'reason': 'NOPE'}), 'reason_unknown')
        for role in ('operator', 'finance', 'internal'):
            with self.assertRaises(AccessError, msg=role):
                row.sudo(self.roles[role]).action_discard('because')
            with self.assertRaises(AccessError, msg=role):
                row.sudo(self.roles[role]).action_retry()
        row.sudo(self.supervisor).action_discard('keyed by hand from the paper log')
        self.assertEqual((row.state, row.discarded_by), ('discarded', self.supervisor))

    def test_no_mes_model_is_open_to_portal_or_users_without_an_mes_group(self):
        models = self.mes_models()
        self.assertIn('mes.event', models)
        for model in models:
            for role in ('portal', 'internal'):
                for operation in ('read', 'write', 'create', 'unlink'):
                    self.assertFalse(self.can(self.roles[role], model, operation), (role, model, operation))

    def test_operators_cannot_change_master_data_or_reasons(self):
        for model in ('mes.reason', 'mes.terminal', 'mes.quality.point', 'mes.labor.log', 'mes.cost.line'):
            for operation in ('write', 'create', 'unlink'):
                self.assertFalse(self.can(self.operator, model, operation), (model, operation))


MONEY_FIELDS = [('mrp.production', 'mes_wip_balance'), ('mrp.workcenter', 'costs_hour'),
                ('mrp.workcenter', 'mes_labor_rate'), ('mes.quality.check', 'inspection_cost'),
                ('stock.move', 'value'), ('stock.move', 'remaining_value'), ('stock.move', 'price_unit')]


class TestOperatorsSeeTheirOwnFactsAndNoMoney(SecurityCase):

    def run_the_cut(self):
        """Anna (the operator's employee) and Ben work the cut; Anna's check is costed at her rate."""
        point = self.env['mes.quality.point'].create({
            'name': 'Leg length', 'kind': 'measure', 'nominal': 10.0, 'tolerance_min': 9.9, 'tolerance_max': 10.1,
            'unit': 'mm', 'product_id': self.stool.id, 'inspection_minutes': 6.0})
        self.send_ok([self.event('start', 0, badge='B-ANNA'), self.event('start', 1, badge='B-BEN'),
                      self.event('produce', 5, data={'qty': 1}),
                      self.event('check', 6, data={'point_id': point.id, 'result': 'pass', 'value': 10.0}),
                      self.event('stop', 30, badge='B-ANNA'), self.event('stop', 31, badge='B-BEN')])
        check = self.env['mes.quality.check'].search([('point_id', '=', point.id), ('state', '=', 'done')])
        self.assertEqual(check.inspection_cost, 3.0)   # 6 minutes at Anna's 30.00 an hour
        return check

    def records(self, check):
        move = self.env['stock.move'].create({
            'name': 'Tubes out', 'product_id': self.tube.id, 'product_uom_qty': 2, 'product_uom': self.uom.id,
            'location_id': self.stock.id, 'location_dest_id': self.env.ref('stock.stock_location_customers').id})
        move._action_confirm()
        move._action_assign()
        move.quantity_done = 2
        move._action_done()
        self.assertEqual((move.state, move.value, move.price_unit), ('done', -8.0, -4.0))
        return {'mrp.production': self.mo, 'mrp.workcenter': self.saw, 'mes.quality.check': check,
                'stock.move': move}

    def test_operators_see_only_their_own_terminal_events(self):
        self.run_the_cut()
        Event = self.env['mes.event']
        everyone = Event.search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(set(everyone.mapped('employee_id.name')), {'Anna', 'Ben'})
        mine = Event.sudo(self.operator).search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(mine.mapped('employee_id'), self.anna)
        self.assertEqual(mine, everyone.filtered(lambda e: e.employee_id == self.anna))
        bens = everyone.filtered(lambda e: e.employee_id == self.ben)
        with self.assertRaises(AccessError):
            bens.sudo(self.operator).read(['corrected_at', 'raw'])
        # through the work order's history too
        self.assertEqual(self.wo_cut.sudo(self.operator).mes_event_ids.mapped('employee_id'), self.anna)
        for role in ('supervisor', 'finance'):
            self.assertEqual(Event.sudo(self.roles[role]).search([('workorder_id', '=', self.wo_cut.id)]), everyone,
                             role)

    def test_operators_read_no_money_on_orders_work_centers_checks_or_stock_moves(self):
        records = self.records(self.run_the_cut())
        for model, field in MONEY_FIELDS:
            record = records[model]
            self.assertNotIn(field, record.sudo(self.operator).fields_get(), (model, field))
            with self.assertRaises(AccessError, msg='%s.%s' % (model, field)):
                record.sudo(self.operator).read([field])
            for role in ('supervisor', 'finance'):
                record.sudo(self.roles[role]).read([field])
        self.assertEqual(records['mrp.workcenter'].sudo(self.finance).costs_hour, 60.0)

    def test_the_quantities_operators_need_stay_readable(self):
        records = self.records(self.run_the_cut())
        self.assertEqual(self.mo.sudo(self.operator).read(['product_qty', 'state'])[0]['product_qty'], 5)
        self.assertEqual(records['mes.quality.check'].sudo(self.operator).read(['result'])[0]['result'], 'pass')
        move = records['stock.move'].sudo(self.operator)
        self.assertEqual(move.read(['product_uom_qty', 'quantity_done'])[0]['quantity_done'], 2)


class TestEachRoleOpensItsForms(SecurityCase):
    """What the web client does when a user opens a form: load the view as that user, then read
    every field it shows, and the fields of each embedded list from their records."""

    def open_form(self, user, record):
        Model = record.env[record._name].sudo(user)
        view = Model.fields_view_get(view_type='form')
        values = Model.browse(record.id).read(list(view['fields']))[0]
        for name, description in view['fields'].items():
            subview = (description.get('views') or {}).get('tree')
            if subview and values.get(name):
                comodel = record.env[description['relation']].sudo(user)
                comodel.browse(values[name]).read(list(subview['fields']))
        return view, values

    def test_each_role_opens_the_manufacturing_order_and_its_work_order(self):
        self.send_ok([self.event('start', 0), self.event('produce', 5, data={'qty': 1}),
                      self.event('scrap', 6, data={'qty': 1, 'reason': 'DIM'}), self.event('stop', 30),
                      self.event('finish', 31)])
        for role in ('operator', 'supervisor', 'finance'):
            for record in (self.mo, self.wo_cut):
                self.open_form(self.roles[role], record)
        # the cost sheet is on the order for supervisors and finance, not for operators
        for role in ('supervisor', 'finance'):
            view, values = self.open_form(self.roles[role], self.mo)
            self.assertIn('mes_cost_line_ids', view['fields'], role)
            self.assertTrue(values['mes_cost_line_ids'], role)
        view, _values = self.open_form(self.operator, self.mo)
        self.assertNotIn('mes_cost_line_ids', view['fields'])
        self.assertNotIn('mes_wip_balance', view['fields'])


class TestIssuedTokenIsNeverStored(SecurityCase):

    def test_an_issued_token_is_shown_once_and_never_stored(self):
        action = self.terminal.sudo(self.supervisor).action_issue_token()
        token = action['context']['mes_terminal_token']
        self.assertEqual(self.terminal.sudo().token_hash, token_hash(token))
        # the dialog shows it, read with the action's context as the web client does
        wizard = self.env['mes.terminal.token'].sudo(self.supervisor).with_context(action['context']).browse(
            action['res_id'])
        self.assertEqual(wizard.read(['token', 'terminal_id'])[0]['token'], token)
        self.assertEqual(wizard.terminal_id, self.terminal)
        # no table holds it: neither the wizard's rows nor the terminal's
        for table in ('mes_terminal_token', 'mes_terminal'):
            self.env.cr.execute("SELECT count(*) FROM %s t WHERE row_to_json(t)::text LIKE %%s" % table,
                                ['%' + token + '%'])
            self.assertEqual(self.env.cr.fetchone()[0], 0, table)
