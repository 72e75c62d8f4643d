"""A supervisor corrects an operator's time: "Correct..." on a labor log.

Nobody writes a labor log by hand (its access rights are read-only for every group); the
wizard records a ``labor_correction`` event instead, judged like a terminal's events (see
``models/mes_event_correction.py``), and only that event changes the log.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

SUPERVISOR = 'shopfloor_mes.group_mes_supervisor'


def _check_supervisor(records):
    if not records.env.user.has_group(SUPERVISOR):
        raise AccessError(_('Only an MES supervisor corrects an operator\'s time. Ask a supervisor.'))


class MesLaborLogCorrected(models.Model):
    _inherit = 'mes.labor.log'

    correction_event_id = fields.Many2one(
        'mes.event', 'Corrected by', readonly=True,
        help='The latest supervisor\'s correction of this interval (who, why, what it replaced).')

    def action_open_correction(self):
        _check_supervisor(self)
        self.ensure_one()
        self.check_access_rule('read')
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.labor.correction', 'view_mode': 'form',
                'target': 'new', 'name': _('Correct the time of %s') % self.employee_id.name,
                'context': {'default_log_id': self.id, 'default_date_start': self.date_start,
                            'default_date_stop': self.date_stop}}


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
