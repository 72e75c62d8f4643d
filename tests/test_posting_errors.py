"""What blocks a posting never loses a fact: the order's posting stops with a message that says
what to fix, the facts stay recorded, and the posting goes through after the fix, by the button
and by the cron on its own."""
from .test_costing import CostingCase


class TestPostingErrors(CostingCase):
    """The tube is consumed at the cut: 3 per stool."""

    def execution(self):
        return self.env['mes.execution'].search([('workorder_id', '=', self.wo_cut.id)])

    def tubes(self):
        return self.tube.with_context(location=self.stock.id).qty_available

    def test_a_component_without_a_standard_price_blocks_until_it_has_one(self):
        before = self.tubes()
        self.tube.standard_price = 0.0
        results = self.send([self.event('start', 0), self.event('produce', 5, data={'qty': 1})])
        self.assertEqual([r['status'] for r in results], ['applied', 'applied'], 'recorded all the same')
        error = self.execution().posting_error
        self.assertIn('Test tube has no standard price', error)
        self.assertIn('then post again', error)
        self.assertEqual(self.tubes(), before, 'nothing half-posted')
        self.assertEqual(self.execution().good_qty, 1, 'the fact is kept')
        self.tube.standard_price = 4.0
        self.execution().action_post_again()
        self.assertFalse(self.execution().posting_error)
        self.assertEqual(self.tubes(), before - 3)

    def test_a_missing_stock_account_blocks_and_the_cron_posts_after_the_fix(self):
        category = self.tube.categ_id
        account = category.property_stock_valuation_account_id
        self.env['ir.property'].search([('name', '=', 'property_stock_valuation_account_id')]).unlink()
        category.invalidate_cache()
        self.assertFalse(category.property_stock_valuation_account_id)
        before = self.tubes()
        self.send([self.event('start', 0), self.event('produce', 5, data={'qty': 1})])
        error = self.execution().posting_error
        self.assertTrue(error and 'account' in error, error)
        self.assertEqual(self.tubes(), before)
        category.property_stock_valuation_account_id = account
        self.env['mes.execution']._cron_post_pending()          # the retry nobody has to press
        self.assertFalse(self.execution().posting_error)
        self.assertEqual(self.tubes(), before - 3)
        self.assertFalse(self.env['mes.posting'].search([('error', '!=', False)]))
