from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError
from ..models.shared.access import SUPERVISOR, caller


class MesOeeRecompute(models.TransientModel):
    """Recompute OEE for chosen work centers and dates (the cron does yesterday and today)."""
    _name = 'mes.oee.recompute'
    _description = 'Recompute OEE'

    workcenter_ids = fields.Many2many('mrp.workcenter', string='Work centers',
                                      help='Empty: every work center with a working calendar.')
    date_from = fields.Date(required=True, default=lambda self: fields.Date.to_string(
        fields.Date.from_string(fields.Date.context_today(self)) - timedelta(days=7)))
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @caller(SUPERVISOR)
    def action_recompute(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(_('The end date %s is before the start date %s: swap them.')
                            % (self.date_to, self.date_from))
        self.env['mes.oee.record'].refresh(self.workcenter_ids or None, self.date_from, self.date_to)
        domain = [('date', '>=', self.date_from), ('date', '<=', self.date_to)]
        if self.workcenter_ids:
            domain.append(('workcenter_id', 'in', self.workcenter_ids.ids))
        return self.env['mes.oee.record']._oee_action(domain)
