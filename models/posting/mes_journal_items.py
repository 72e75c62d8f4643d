"""Journal items of a posting, added to its draft entry in one statement.

A posting gathers an order's items of one books day in one draft entry (``mrp.production.
_mes_post``); through the ORM each item costs some 40 statements (``account.move.line.create``
recomputes its stored fields one by one, and the entry's write re-reads every item it holds).
The items a posting makes are plain ones: an order's WIP, stock, applied-cost and variance
accounts, in the company currency, with no taxes, analytics, partners' balances or
reconciliation. For those the stored fields are known in advance, and one INSERT writes them
as the ORM would (``tests/test_journal_items.py`` compares the two column by column). Anything
else (a reconcilable or deprecated account, a foreign currency, an analytic account, a journal
with entry controls) goes through the ORM, which also raises its own errors.
"""
import json

from odoo import models
from odoo.tools import float_round

# journal item values the statement knows how to store; any other key goes through the ORM
_PLAIN_KEYS = {'name', 'account_id', 'debit', 'credit', 'quantity', 'product_id', 'product_uom_id', 'partner_id',
               'ref', 'mes_production_id', 'mes_workorder_id', 'mes_cost_element', 'mes_variance_kind',
               'mes_reason_id', 'mes_stock_move_id'}
_EMPTY_KEYS = {'amount_currency', 'currency_id', 'analytic_account_id', 'tax_line_id', 'analytic_tag_ids',
               'tax_ids'}

_INSERT = """
    INSERT INTO account_move_line (
        create_uid, write_uid, create_date, write_date, move_id, journal_id, date, date_maturity, ref,
        company_id, company_currency_id, account_id, user_type_id, name, product_id, product_uom_id,
        quantity, partner_id, debit, credit, balance, debit_cash_basis, credit_cash_basis,
        balance_cash_basis, amount_currency, amount_residual, amount_residual_currency, tax_base_amount,
        reconciled, blocked, tax_exigible, mes_production_id, mes_workorder_id, mes_workcenter_id,
        mes_cost_element, mes_variance_kind, mes_reason_id, mes_stock_move_id, mes_on_wip)
    SELECT %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC', m.id, m.journal_id, m.date,
           m.date, m.ref, a.company_id, c.currency_id, a.id, a.user_type_id, l.name, l.product_id,
           l.product_uom_id, l.quantity, l.partner_id, l.debit, l.credit, l.balance, l.debit_cb, l.credit_cb,
           l.debit_cb - l.credit_cb, 0, 0, 0, 0, false, false, true, l.mes_production_id, l.mes_workorder_id,
           wo.workcenter_id, l.mes_cost_element, l.mes_variance_kind, l.mes_reason_id, l.mes_stock_move_id,
           a.id = c.mes_wip_account_id
      FROM json_to_recordset(%(lines)s) AS l(
               name text, account_id int, debit numeric, credit numeric, balance numeric, debit_cb numeric,
               credit_cb numeric, quantity numeric, product_id int,
               product_uom_id int, partner_id int, mes_production_id int, mes_workorder_id int,
               mes_cost_element text, mes_variance_kind text, mes_reason_id int, mes_stock_move_id int, n int)
      JOIN account_move m ON m.id = %(move)s
      JOIN account_account a ON a.id = l.account_id
      JOIN res_company c ON c.id = a.company_id
      LEFT JOIN mrp_workorder wo ON wo.id = l.mes_workorder_id
     ORDER BY l.n;
    UPDATE account_move m SET amount = s.amount, write_date = now() at time zone 'UTC', write_uid = %(uid)s
      FROM (SELECT round(sum(debit) / %(rounding)s) * %(rounding)s AS amount
              FROM account_move_line WHERE move_id = %(move)s) s
     WHERE m.id = %(move)s;
"""


class AccountMovePosting(models.Model):
    _inherit = 'account.move'

    def _mes_add_items(self, commands):
        """Add journal items (ORM ``(0, 0, values)`` commands) to this draft entry: in one
        statement when they are all plain, else through the ORM."""
        self.ensure_one()
        values = [command[2] for command in commands]
        if not values:
            return
        if not self._mes_plain_items(values):
            self.with_context(check_move_validity=False).write({'line_ids': commands})
            return
        currency = self.company_id.currency_id
        qty_digits = self.env['decimal.precision'].precision_get('Product Unit of Measure')
        rows = []
        for n, line in enumerate(values):
            row = {key: line.get(key) or None for key in _PLAIN_KEYS if key != 'ref'}
            # as the ORM stores them: debit and credit as given, what it computes from them in the
            # currency's rounding, quantities in the UoM's digits
            debit, credit = line.get('debit') or 0.0, line.get('credit') or 0.0
            row.update(n=n, debit=debit, credit=credit, balance=currency.round(debit - credit),
                       debit_cb=currency.round(debit), credit_cb=currency.round(credit),
                       quantity=float_round(line.get('quantity') or 0.0, precision_digits=qty_digits))
            rows.append(row)
        self.env.cr.execute(_INSERT, {'uid': self.env.uid, 'move': self.id, 'lines': json.dumps(rows),
                                     'rounding': currency.rounding})
        # what the ORM may hold of this entry and of the orders' items is stale now
        self.invalidate_cache(fnames=list(self._fields), ids=self.ids)
        self.env['mrp.production'].invalidate_cache(fnames=['mes_variance_line_ids'])

    def _mes_plain_items(self, values):
        if any(set(line) - _PLAIN_KEYS - _EMPTY_KEYS or any(line.get(key) for key in _EMPTY_KEYS) for line in values):
            return False
        if self.currency_id and self.currency_id != self.company_id.currency_id:
            return False
        journal = self.journal_id
        if journal.type_control_ids or journal.account_control_ids:
            return False   # the ORM checks the journal's controls and names the account it refuses
        accounts = self.env['account.account'].sudo().browse({line['account_id'] for line in values})
        return not any(account.reconcile or account.deprecated or account.company_id != self.company_id
                       or account.internal_type in ('receivable', 'payable', 'liquidity')
                       or (account.currency_id and account.currency_id != self.company_id.currency_id)
                       for account in accounts)
