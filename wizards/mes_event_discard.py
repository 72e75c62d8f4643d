"""Discard rejected events in one step, with the reason kept on each (the dead-letter queue)."""
from odoo import fields, models


class MesEventDiscard(models.TransientModel):
    _name = 'mes.event.discard'
    _description = 'Discard rejected terminal events'

    event_ids = fields.Many2many('mes.event', string='Events')
    reason = fields.Text(required=True)

    def action_discard(self):
        self.event_ids.action_discard(self.reason)
        return {'type': 'ir.actions.act_window_close'}
