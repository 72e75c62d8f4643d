from odoo import fields, models


class StockScrapPosting(models.Model):
    _inherit = 'stock.scrap'

    mes_reason_id = fields.Many2one('mes.reason', 'Scrap reason', domain=[('kind', '=', 'scrap')])
    mes_event_id = fields.Many2one('mes.event', 'Reported by event', index=True)
    # What a scrapped unit of work in progress took out of WIP, at standard through its operation.
    mes_std_material = fields.Float(readonly=True, copy=False)
    mes_std_labor = fields.Float(readonly=True, copy=False)
    mes_std_machine = fields.Float(readonly=True, copy=False)
