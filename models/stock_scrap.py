from odoo import fields, models


class StockScrap(models.Model):
    _inherit = 'stock.scrap'

    mes_reason_id = fields.Many2one('mes.reason', 'Scrap reason', domain=[('kind', '=', 'scrap')])
    mes_event_id = fields.Many2one('mes.event', 'Reported by event', index=True)
