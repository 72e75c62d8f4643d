"""One operator's time on one work order, and its correction.

A supervisor corrects an operator's time: "Correct..." on a labor log.

Nobody writes a labor log by hand (its access rights are read-only for every group); the
wizard records a ``labor_correction`` event instead, judged like a terminal's events (see
``models/events/mes_event_correction.py``), and only that event changes the log.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ...services import execution_split, server_time


SUPERVISOR = 'shopfloor_mes.group_mes_supervisor'


def _check_supervisor(records):
    if not records.env.user.has_group(SUPERVISOR):
        raise AccessError(_('Only an MES supervisor corrects an operator\'s time. Ask a supervisor.'))


class MesLaborLog(models.Model):
    """One operator's time on one work order: the interval between a start and a stop.

    Several operators on one work order each have their own log. The hourly rate is captured
    when the interval opens, so later rate changes do not rewrite history.
    """
    _name = 'mes.labor.log'
    _description = 'Operator time on a work order'
    _order = 'date_start desc, id desc'

    employee_id = fields.Many2one('hr.employee', required=True, index=True, ondelete='restrict')
    workorder_id = fields.Many2one('mrp.workorder', required=True, index=True, ondelete='restrict')
    workcenter_id = fields.Many2one(related='workorder_id.workcenter_id', store=True, readonly=True)
    production_id = fields.Many2one(related='workorder_id.production_id', store=True, readonly=True)
    date_start = fields.Datetime('Started', required=True, index=True)
    date_stop = fields.Datetime('Stopped', index=True)
    duration = fields.Float('Minutes', compute='_compute_duration', store=True)
    charged_minutes = fields.Float(
        'Minutes charged', readonly=True,
        help='What this interval costs its order: its minutes, or its share of them while the '
             'operator ran several orders at once (each order gets an equal share of a shared moment).')
    hourly_rate = fields.Float('Hourly rate', digits=(16, 2), readonly=True,
                               groups='shopfloor_mes.group_mes_supervisor,shopfloor_mes.group_mes_finance')
    state = fields.Selection([('running', 'Running'), ('done', 'Done')],
                             compute='_compute_duration', store=True)
    closed_by_finish = fields.Boolean(help='Still running when the work order finished: '
                                      'closed at the finish time.')
    start_event_id = fields.Many2one('mes.event', readonly=True)
    stop_event_id = fields.Many2one('mes.event', readonly=True)

    @api.depends('date_start', 'date_stop')
    def _compute_duration(self):
        for log in self:
            if log.date_stop:
                delta = fields.Datetime.from_string(log.date_stop) - fields.Datetime.from_string(log.date_start)
                log.duration = delta.total_seconds() / 60.0
                log.state = 'done'
            else:
                log.duration = 0.0
                log.state = 'running'

    def init(self):
        # intervals recorded before the split existed are charged in full
        self.env.cr.execute("""UPDATE mes_labor_log SET charged_minutes = duration
                               WHERE charged_minutes IS NULL AND date_stop IS NOT NULL""")

    def _mes_split_concurrent(self):
        """Charge each closed interval of these operators its share of the moments they spent
        on several orders at once (``services.execution_split``). Returns the work orders whose
        charged minutes moved."""
        moved = self.env['mrp.workorder']
        for employee in self.mapped('employee_id'):
            mine = self.filtered(lambda log: log.employee_id == employee)
            logs = mine._mes_overlapping_closed(employee)
            intervals = {}
            for log in logs:
                intervals.setdefault(log.workorder_id.id, []).append(
                    (server_time.parse(log.date_start), server_time.parse(log.date_stop)))
            shares = execution_split.split_concurrent(intervals)
            for log in logs:
                start, stop = server_time.parse(log.date_start), server_time.parse(log.date_stop)
                mine = [s._replace(start=max(s.start, start), end=min(s.end, stop))
                        for s in shares[log.workorder_id.id] if s.start < stop and s.end > start]
                charged = round(execution_split.charged_minutes(mine), 6)
                if abs(charged - log.charged_minutes) > 1e-6:
                    log.write({'charged_minutes': charged})
                    moved |= log.workorder_id
        return moved

    def _mes_overlapping_closed(self, employee):
        """The employee's closed intervals that share a moment with these, and those that
        share one with them, and so on: a share is only right when every interval it overlaps
        is counted (an interval cut at the edge of a window would be charged as if alone, and
        kept so until it is split again)."""
        since = min(self.mapped('date_start'))
        until = max(log.date_stop or fields.Datetime.now() for log in self)
        logs = self.browse()
        while True:
            found = self.sudo().search([('employee_id', '=', employee.id), ('date_stop', '!=', False),
                                        ('date_stop', '>', since), ('date_start', '<', until)])
            if found == logs:
                return logs
            logs = found
            since = min([since] + logs.mapped('date_start'))
            until = max([until] + logs.mapped('date_stop'))

    def name_get(self):
        return [(log.id, '%s on %s' % (log.employee_id.name, log.workorder_id.name)) for log in self]

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
