from odoo import fields, models

MONEY_GROUPS = 'shopfloor_mes.group_mes_supervisor,shopfloor_mes.group_mes_finance'


class MrpWorkcenter(models.Model):
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
    mes_downtime_reason_id = fields.Many2one('mes.reason', 'Down for', compute='_compute_mes_board')
    mes_good_qty = fields.Float('Good today', compute='_compute_mes_board')
    mes_scrap_qty = fields.Float('Scrap today', compute='_compute_mes_board')

    def _compute_mes_board(self):
        Productivity = self.env['mrp.workcenter.productivity'].sudo()
        Labor = self.env['mes.labor.log'].sudo()
        today = fields.Date.context_today(self) + ' 00:00:00'
        for wc in self:
            down = Productivity.search([('workcenter_id', '=', wc.id), ('date_end', '=', False),
                                        ('mes_reason_id', '!=', False)], limit=1)
            running = Labor.search([('workcenter_id', '=', wc.id), ('date_stop', '=', False)])
            wc.mes_state = 'down' if down else ('running' if running else 'idle')
            wc.mes_downtime_reason_id = down.mes_reason_id
            wc.mes_operator_names = ', '.join(sorted(set(running.mapped('employee_id.name'))))
            wc.mes_current_workorder_id = running[:1].workorder_id
            events = self.env['mes.event'].sudo().search([
                ('workcenter_id', '=', wc.id), ('state', '=', 'applied'),
                ('type', 'in', ('produce', 'scrap')), ('corrected_at', '>=', today)])
            wc.mes_good_qty = sum(e.qty for e in events if e.type == 'produce')
            wc.mes_scrap_qty = sum(e.qty for e in events if e.type == 'scrap')
