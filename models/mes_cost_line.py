from odoo import api, fields, models

from .account_move_line import COST_ELEMENTS


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

    _sql_constraints = [('element_uniq', 'unique (production_id, element)', 'One cost line per element.')]

    @api.depends('standard', 'actual', 'element')
    def _compute_variance(self):
        order = [e for e, _label in COST_ELEMENTS]
        for line in self:
            line.variance = line.actual - line.standard
            line.sequence = order.index(line.element) if line.element in order else 99
