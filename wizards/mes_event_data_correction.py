"""A supervisor corrects a held or rejected event's data and resubmits it: the correction is an
event of its own that names the original (``mes.event._correct_data``)."""
import json

from odoo import fields, models

from ..models.shared.access import SUPERVISOR, caller


class MesEventDataCorrectionWizard(models.TransientModel):
    _name = 'mes.event.data.correction'
    _description = 'Correct and resubmit a held or rejected event'

    event_id = fields.Many2one('mes.event', required=True, readonly=True)
    qty = fields.Float('Quantity')
    reason_code = fields.Char('Reason code')
    lot = fields.Char('Lot or serial number')
    why = fields.Text('Why', required=True)

    @caller(SUPERVISOR)
    def action_correct(self):
        self.ensure_one()
        event = self.event_id.sudo()
        was = json.loads(event.raw).get('data') or {}
        changes = {}
        if 'qty' in was or self.qty:
            changes['qty'] = self.qty
        if self.reason_code and self.reason_code != was.get('reason'):
            changes['reason'] = self.reason_code.strip()
        if self.lot and self.lot != was.get('lot'):
            changes['lot'] = self.lot.strip()
        new = event._correct_data(changes, self.why, self.env.user)
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.event', 'res_id': new.id, 'view_mode': 'form'}
