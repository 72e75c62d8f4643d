from datetime import datetime

from odoo import fields, models

MONEY_GROUPS = 'shopfloor_mes.group_mes_supervisor,shopfloor_mes.group_mes_finance'


class MrpWorkcenterExecution(models.Model):
    """Adds the machine rate and the live board state a supervisor watches."""
    _inherit = 'mrp.workcenter'

    # Odoo 12+ has this field on mrp.workcenter with the same meaning; 11 lacks it.
    # Rates are money: supervisors and finance only (operators see the board, not the rates).
    costs_hour = fields.Float('Cost per hour', digits=(16, 2), default=0.0, groups=MONEY_GROUPS,
                              help='Machine and overhead cost of one hour of run time.')
    mes_labor_rate = fields.Float('Standard labor rate', digits=(16, 2), default=0.0, groups=MONEY_GROUPS,
                                  help='Standard cost of one operator hour here: the basis of labor variances.')
    mes_crew = fields.Float('Standard crew', default=1.0, help='Operators the routing times assume.')
    mes_state = fields.Selection(
        [('running', 'Running'), ('down', 'Down'), ('idle', 'Idle')], 'Live state',
        compute='_compute_mes_board',
        help='Down: a downtime is open. Running: an operator is on a work order. Idle: neither.')
    mes_operator_names = fields.Char('On it now', compute='_compute_mes_board')
    mes_current_workorder_id = fields.Many2one('mrp.workorder', 'Current work order',
                                               compute='_compute_mes_board')
    mes_running_workorder_ids = fields.Many2many('mrp.workorder', string='Running orders',
                                                 compute='_compute_mes_board',
                                                 help='Every work order an operator is on here now.')
    mes_running_count = fields.Integer('Orders running', compute='_compute_mes_board')
    mes_downtime_reason_id = fields.Many2one('mes.reason', 'Down for', compute='_compute_mes_board')
    mes_down_since = fields.Datetime('Down since', compute='_compute_mes_board')
    mes_good_qty = fields.Float('Good today', compute='_compute_mes_board',
                                help='Good units since local midnight (the work center\'s time zone).')
    mes_scrap_qty = fields.Float('Scrap today', compute='_compute_mes_board',
                                 help='Scrapped units since local midnight (the work center\'s time zone).')
    mes_today_label = fields.Char('Counted since', compute='_compute_mes_board',
                                  help='The window of "today" on the board: local midnight of the work center.')

    def _compute_mes_board(self):
        Productivity = self.env['mrp.workcenter.productivity'].sudo()
        Labor = self.env['mes.labor.log'].sudo()
        now = datetime.utcnow()
        for wc in self:
            down = Productivity.search([('workcenter_id', '=', wc.id), ('date_end', '=', False),
                                        ('mes_reason_id', '!=', False)], order='date_start', limit=1)
            running = Labor.search([('workcenter_id', '=', wc.id), ('date_stop', '=', False)], order='date_start, id')
            wc.mes_state = 'down' if down else ('running' if running else 'idle')
            wc.mes_downtime_reason_id = down.mes_reason_id
            wc.mes_down_since = down.date_start
            wc.mes_operator_names = ', '.join(sorted(set(running.mapped('employee_id.name'))))
            wc.mes_current_workorder_id = running[:1].workorder_id
            wc.mes_running_workorder_ids = running.mapped('workorder_id')
            wc.mes_running_count = len(wc.mes_running_workorder_ids)
            # "today" is the work center's local day, as OEE's days are (not UTC's)
            today = wc._mes_local_date(now)
            since = wc._mes_utc(today)
            wc.mes_today_label = '%s 00:00 %s' % (today.strftime('%Y-%m-%d'), wc._mes_tz().zone)
            events = self.env['mes.event'].sudo().search([
                ('workcenter_id', '=', wc.id), ('state', '=', 'applied'),
                ('type', 'in', ('produce', 'scrap')), ('corrected_at', '>=', fields.Datetime.to_string(since))])
            wc.mes_good_qty = sum(e.qty for e in events if e.type == 'produce')
            wc.mes_scrap_qty = sum(e.qty for e in events if e.type == 'scrap')
