from odoo import _, api, fields, models

from .account_move_line import COST_ELEMENTS
from ..shared.access import FINANCE, caller


class MesCostLine(models.Model):
    """One line of an order's cost sheet: an element's standard for what was made and its
    actual from the ledger. Refreshed in the same transaction as every posting, so it always
    equals the order's journal items."""
    _name = 'mes.cost.line'
    _description = 'Order cost by element'
    _order = 'production_id, sequence'

    production_id = fields.Many2one('mrp.production', required=True, index=True, ondelete='cascade')
    product_id = fields.Many2one(related='production_id.product_id', store=True, readonly=True)
    production_state = fields.Selection(related='production_id.state', store=True, readonly=True)
    date = fields.Datetime(related='production_id.date_planned_start', store=True, readonly=True)
    element = fields.Selection(COST_ELEMENTS[:5], required=True)
    sequence = fields.Integer(compute='_compute_variance', store=True)
    currency_id = fields.Many2one(related='production_id.company_id.currency_id', readonly=True)
    standard = fields.Monetary(currency_field='currency_id', group_operator='sum')
    actual = fields.Monetary(currency_field='currency_id', group_operator='sum')
    variance = fields.Monetary(currency_field='currency_id', compute='_compute_variance', store=True,
                               help='Actual minus standard: positive is unfavourable.')

    scrap_carried = fields.Monetary(
        'Carried to scrap', currency_field='currency_id', compute='_compute_scrap_carried',
        help='What scrapped units carried out of WIP at standard for this element: the Scrap row\'s, so '
             'this row\'s actual is its journal items less this.')

    _sql_constraints = [('element_uniq', 'unique (production_id, element)', 'One cost line per element.')]

    @api.depends('standard', 'actual', 'element')
    def _compute_variance(self):
        order = [e for e, _label in COST_ELEMENTS]
        for line in self:
            line.variance = line.actual - line.standard
            line.sequence = order.index(line.element) if line.element in order else 99

    def _compute_scrap_carried(self):
        for line in self:
            carried = 0.0
            if line.element in ('material', 'labor', 'machine') and line.production_id:
                carried = line.production_id.sudo()._mes_scrapped_standard()[line.element]
            line.scrap_carried = carried

    # -- drill-down ---------------------------------------------------------------------------
    def _mes_journal_item_domain(self):
        """The journal items this line's actual is read from (``mrp.production._mes_actual``):
        the element on the WIP account and, after the close, its late facts on the variance
        accounts; the Scrap row, the scrap account's items. Their sum is the actual plus what
        scrapped units carried out at standard (``scrap_carried``)."""
        self.ensure_one()
        company = self.production_id.company_id.sudo()
        domain = [('mes_production_id', '=', self.production_id.id), ('mes_cost_element', '=', self.element)]
        if self.element == 'scrap':
            return domain + [('account_id', '=', company.mes_scrap_account_id.id)]
        return domain + ['|', ('account_id', '=', company.mes_wip_account_id.id),
                         ('mes_variance_kind', '=', 'late_fact')]

    @caller(FINANCE)
    def action_mes_journal_items(self):
        self.ensure_one()
        return journal_items_action(_('Journal items: %s, %s') % (
            self.production_id.name, dict(COST_ELEMENTS).get(self.element, self.element)),
            self._mes_journal_item_domain())


def journal_items_action(name, domain):
    """A read-only list of the journal items ``domain`` selects (the drill-downs of the cost
    sheet's lines by element, operation and employee)."""
    return {
        'type': 'ir.actions.act_window', 'name': name, 'res_model': 'account.move.line',
        'view_mode': 'tree,form', 'views': [(False, 'tree'), (False, 'form')], 'domain': domain,
        'context': {'create': False, 'edit': False, 'delete': False},
        'target': 'current',
    }
