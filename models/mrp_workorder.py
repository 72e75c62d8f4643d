from odoo import api, fields, models

from ..services import ordering


class MrpWorkorder(models.Model):
    _inherit = 'mrp.workorder'

    mes_labor_log_ids = fields.One2many('mes.labor.log', 'workorder_id', 'Labor logs')
    mes_event_ids = fields.One2many('mes.event', 'workorder_id', 'Terminal events')
    mes_labor_minutes = fields.Float('Labor minutes', compute='_compute_mes_totals')
    mes_machine_minutes = fields.Float('Machine minutes', compute='_compute_mes_totals')
    mes_scrap_qty = fields.Float('Scrapped', compute='_compute_mes_totals')
    mes_operator_names = fields.Char('On it now', compute='_compute_mes_totals')

    def _compute_mes_totals(self):
        for wo in self:
            logs = wo.mes_labor_log_ids
            wo.mes_labor_minutes = sum(logs.mapped('duration'))
            wo.mes_machine_minutes = sum(wo.time_ids.filtered('mes_machine_time').mapped('duration'))
            scraps = self.env['stock.scrap'].search([('workorder_id', '=', wo.id), ('state', '=', 'done')])
            wo.mes_scrap_qty = sum(scraps.mapped('scrap_qty'))
            wo.mes_operator_names = ', '.join(logs.filtered(lambda l: not l.date_stop).mapped('employee_id.name'))

    def button_finish(self):
        # record_production() finishes the order itself once the planned quantity is reached;
        # on the shop floor the operator says when the order is finished.
        if self.env.context.get('mes_no_autofinish'):
            return True
        return super().button_finish()

    def _mes_quality_gate(self, transition):
        """Refuse ``transition`` ('produce' or 'finish') while a blocking quality check is
        due; raises a coded MesError. The quality module fills this in."""
        return True

    def _mes_sync_run_time(self, labor_closed_ids):
        """Bring every work order's run time up to date; return the orders whose cost may have
        moved: closed run time or closed labor (``labor_closed_ids``) changed, or the order
        has no cost sheet yet. A start only opens intervals, so it leaves cost as it was."""
        costed = self.browse()
        for wo in self:
            if wo._mes_sync_machine_time() or wo.id in labor_closed_ids:
                costed |= wo
        return costed.mapped('production_id') \
            | self.mapped('production_id').filtered(lambda p: not p.mes_cost_line_ids)

    def _mes_sync_machine_time(self):
        """Make the work order's MES run-time records equal to the union of its operators'
        intervals minus the work center's downtime: machine time counts once however many
        operators overlap, and a late interval lands in its true place. Returns whether the
        closed part of the run time changed, which is what the order's conversion cost reads."""
        self.ensure_one()
        Productivity = self.env['mrp.workcenter.productivity'].sudo()
        labor = [(_dt(l.date_start), _dt(l.date_stop)) for l in self.mes_labor_log_ids]
        downtime = [(_dt(p.date_start), _dt(p.date_end)) for p in Productivity.search([
            ('workcenter_id', '=', self.workcenter_id.id), ('mes_reason_id', '!=', False)])]
        wanted = ordering.subtract(labor, downtime)
        existing = Productivity.search([('workorder_id', '=', self.id), ('mes_machine_time', '=', True)],
                                       order='date_start, id')
        have = [(_dt(p.date_start), _dt(p.date_end)) for p in existing]
        if have == wanted:
            return False
        closed_moved = [i for i in have if i[1]] != [i for i in wanted if i[1]]
        loss = self.env['mrp.workcenter.productivity.loss'].search([('loss_type', '=', 'productive')], limit=1)
        for record, old, (start, end) in zip(existing, have, wanted):
            if old != (start, end):   # most stay as they were: rewriting them costs recomputes
                record.write({'date_start': _str(start), 'date_end': _str(end)})
        for start, end in wanted[len(existing):]:
            Productivity.create({
                'workorder_id': self.id, 'workcenter_id': self.workcenter_id.id, 'loss_id': loss.id,
                'mes_machine_time': True, 'description': 'Run time (MES)',
                'mes_hourly_rate': self.workcenter_id.costs_hour,
                'date_start': _str(start), 'date_end': _str(end)})
        existing[len(wanted):].unlink()
        return closed_moved


def _dt(value):
    return fields.Datetime.from_string(value) if value else None


def _str(value):
    return fields.Datetime.to_string(value) if value else False
