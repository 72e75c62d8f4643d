from odoo import api, fields, models

from ...services.costing import VARIANCE_KINDS

COST_ELEMENTS = [
    ('material', 'Material'), ('labor', 'Labor'), ('machine', 'Machine'), ('rework', 'Rework'),
    ('scrap', 'Scrap'), ('finished', 'Finished goods'), ('variance', 'Variance'),
]


class AccountMoveLinePosting(models.Model):
    """Journal items carry the manufacturing order and cost element they belong to, so WIP,
    the cost sheet and the cost of quality read straight from the ledger."""
    _inherit = 'account.move.line'

    mes_production_id = fields.Many2one('mrp.production', 'Manufacturing order', index=True, readonly=True)
    mes_workorder_id = fields.Many2one('mrp.workorder', 'Work order', index=True, readonly=True)
    mes_cost_element = fields.Selection(COST_ELEMENTS, 'Cost element', index=True, readonly=True)
    mes_variance_kind = fields.Selection(list(VARIANCE_KINDS), 'Variance kind', index=True, readonly=True)
    mes_reason_id = fields.Many2one('mes.reason', 'Scrap or rework reason', index=True, readonly=True)
    mes_workcenter_id = fields.Many2one(related='mes_workorder_id.workcenter_id', store=True, readonly=True,
                                        string='Work center')
    mes_stock_move_id = fields.Many2one('stock.move', 'Valued stock move', index=True, readonly=True,
                                        help='The stock move these items value (stock_account\'s lines of a '
                                             'shop-floor move, in the entry of the posting that did it).')
    mes_on_wip = fields.Boolean('On the WIP account', compute='_compute_mes_on_wip', store=True, index=True)

    @api.depends('account_id', 'company_id.mes_wip_account_id')
    def _compute_mes_on_wip(self):
        for line in self:
            line.mes_on_wip = bool(line.account_id) and line.account_id == line.company_id.sudo().mes_wip_account_id
