"""A posting adds its journal items in one statement (models/mes_journal_items.py): stored
exactly as Odoo's ORM would store them, or through the ORM when they are not plain."""
from odoo.exceptions import UserError

from .common import ShopFloorCase

# columns that differ between any two items by construction
_OWN = {'id', 'move_id', 'create_date', 'write_date'}


class TestJournalItems(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.mo.company_id._mes_costing_setup()
        cls.journal = cls.company.mes_production_journal_id

    def _entry(self, ref):
        return self.env['account.move'].create({'journal_id': self.journal.id, 'ref': ref, 'date': '2026-11-24'})

    def _lines(self):
        wo = self.wo_cut
        return self.mo._mes_pair(self.company.mes_wip_account_id, self.company.mes_applied_labor_account_id,
                                 12.3456, 'labor', 'labor absorbed', workorder=wo, quantity=2.5) \
            + self.mo._mes_pair(self.company.mes_scrap_account_id, self.company.mes_wip_account_id, -7.005,
                                'scrap', 'scrap carried', reason=self.scrap_reason, quantity=1.0)

    def _rows(self, entry):
        self.env.cr.execute("SELECT * FROM account_move_line WHERE move_id = %s ORDER BY id", [entry.id])
        names = [column.name for column in self.env.cr.description]
        return [{k: v for k, v in zip(names, row) if k not in _OWN} for row in self.env.cr.fetchall()]

    def test_items_added_in_one_statement_are_stored_as_the_orm_stores_them(self):
        self.maxDiff = None
        by_orm, by_sql = self._entry('same'), self._entry('same')
        by_orm.with_context(check_move_validity=False).write({'line_ids': self._lines()})
        before = self.env.cr.sql_log_count
        by_sql._mes_add_items(self._lines())
        self.assertLessEqual(self.env.cr.sql_log_count - before, 8, 'one insert, not the ORM line by line')
        self.assertEqual(len(self._rows(by_sql)), 4)
        self.assertEqual(self._rows(by_sql), self._rows(by_orm))
        self.assertEqual(by_sql.amount, by_orm.amount)
        self.assertEqual(by_sql.line_ids.mapped('debit'), by_orm.line_ids.mapped('debit'),
                         'the ORM sees the new items at once (no stale cache)')
        (by_orm | by_sql).post()
        self.assertEqual(self._rows(by_sql), self._rows(by_orm), 'posting them changes both alike')
        self.assertEqual(self.mo.mes_variance_line_ids, self.mo.mes_variance_line_ids.browse())

    def test_items_on_a_reconcilable_account_go_through_the_orm(self):
        receivable = self.env['account.account'].search([('company_id', '=', self.company.id),
                                                         ('internal_type', '=', 'receivable')], limit=1)
        lines = self.mo._mes_pair(receivable, self.company.mes_wip_account_id, 5.0, 'labor', 'odd')
        by_orm, by_sql = self._entry('odd'), self._entry('odd')
        by_orm.with_context(check_move_validity=False).write({'line_ids': lines})
        by_sql._mes_add_items(lines)
        self.assertEqual(self._rows(by_sql), self._rows(by_orm))
        self.assertEqual(by_sql.line_ids.filtered(lambda l: l.account_id == receivable).amount_residual, 5.0)

    def test_a_deprecated_account_is_refused_with_odoos_own_error(self):
        account = self.company.mes_applied_labor_account_id
        account.deprecated = True
        with self.assertRaisesRegex(UserError, 'deprecated'):
            self._entry('deprecated')._mes_add_items(self._lines())
