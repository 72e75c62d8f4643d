"""A supervisor corrects an operator's recorded time; the correction is recorded as an event."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.execution.mes_labor_log import _check_supervisor


class MesLaborCorrection(models.TransientModel):
    _name = 'mes.labor.correction'
    _description = 'Correct an operator\'s time on a work order'

    log_id = fields.Many2one('mes.labor.log', 'Labor log', required=True, readonly=True, ondelete='cascade')
    employee_id = fields.Many2one(related='log_id.employee_id', readonly=True)
    workorder_id = fields.Many2one(related='log_id.workorder_id', readonly=True)
    was_start = fields.Datetime(related='log_id.date_start', string='Recorded start', readonly=True)
    was_stop = fields.Datetime(related='log_id.date_stop', string='Recorded stop', readonly=True)
    date_start = fields.Datetime('Started', required=True)
    date_stop = fields.Datetime('Stopped', required=True)
    reason = fields.Text('Why', required=True, help='Kept with the correction in the work order\'s history.')

    @api.model
    def create(self, values):
        _check_supervisor(self)
        return super().create(values)

    def action_correct(self):
        """Record the correction as an event; a refused one changes nothing and says why."""
        _check_supervisor(self)
        self.ensure_one()
        self.log_id.check_access_rule('read')
        event = self.env['mes.event']._record_labor_correction(
            self.log_id, fields.Datetime.from_string(self.date_start), fields.Datetime.from_string(self.date_stop),
            self.reason)
        if event.state != 'applied':
            raise UserError(_('The correction was refused (%s): %s') % (event.error_code, event.error_message_shown))
        return {'type': 'ir.actions.act_window_close'}
