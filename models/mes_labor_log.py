from odoo import api, fields, models


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

    def name_get(self):
        return [(log.id, '%s on %s' % (log.employee_id.name, log.workorder_id.name)) for log in self]
