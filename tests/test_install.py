"""The addon installs with its groups, access rules and reference data."""
from odoo.tests.common import TransactionCase


class TestInstall(TransactionCase):

    def test_groups_imply_the_odoo_groups_they_need(self):
        ref = self.env.ref
        operator = ref('shopfloor_mes.group_mes_operator')
        supervisor = ref('shopfloor_mes.group_mes_supervisor')
        finance = ref('shopfloor_mes.group_mes_finance')
        self.assertIn(ref('mrp.group_mrp_user'), operator.trans_implied_ids)
        self.assertIn(operator, supervisor.trans_implied_ids)
        self.assertIn(ref('mrp.group_mrp_manager'), supervisor.trans_implied_ids)
        self.assertIn(ref('account.group_account_user'), finance.trans_implied_ids)
        self.assertNotIn(ref('account.group_account_user'), operator.trans_implied_ids)

    def test_every_model_of_the_addon_has_access_rules(self):
        models = self.env['ir.model'].search([('model', '=like', 'mes.%'), ('transient', '=', False)])
        self.assertGreaterEqual(len(models), 6)
        for model in models:
            access = self.env['ir.model.access'].search([('model_id', '=', model.id)])
            self.assertTrue(access, 'no access rule for %s' % model.model)
            self.assertIn(self.env.ref('shopfloor_mes.group_mes_supervisor'), access.mapped('group_id'),
                          'supervisors cannot read %s' % model.model)

    def test_every_button_in_the_addon_views_exists(self):
        from lxml import etree
        views = self.env['ir.ui.view'].search([('model', 'like', 'mes.%')])
        for view in views:
            arch = etree.fromstring(view.arch)
            for button in arch.xpath('//button[@type="object"]'):
                self.assertTrue(hasattr(self.env[view.model], button.get('name')),
                                '%s: no method %s' % (view.name, button.get('name')))

    def test_reason_codes_and_future_tolerance_are_installed(self):
        reasons = self.env['mes.reason'].search([('is_category', '=', False)])
        self.assertTrue(reasons.filtered(lambda r: r.kind == 'scrap'))
        downtime = reasons.filtered(lambda r: r.kind == 'downtime')
        self.assertTrue(all(r.loss_id for r in downtime))
        self.assertTrue(downtime.filtered('is_planned') and downtime.filtered(lambda r: not r.is_planned))
        tolerance = self.env['ir.config_parameter'].sudo().get_param('shopfloor_mes.future_tolerance_seconds')
        self.assertEqual(tolerance, '120')
