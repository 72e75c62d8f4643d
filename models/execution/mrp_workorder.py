import json

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
        self._mes_add_run_time(loss, wanted[len(existing):])
        existing[len(wanted):].unlink()
        return closed_moved

    def _mes_add_run_time(self, loss, intervals):
        """New run-time records, one statement for all of them: through the ORM each costs some
        twenty statements (its guard, its duration, the work order's and work center's stored
        figures recomputed one record at a time). The duration is the one Odoo computes for
        productive time (wall-clock minutes, to two places); what depends on the records is
        recomputed once afterwards, as the ORM would."""
        if not intervals:
            return
        rows = [{'start': _str(start), 'end': _str(end) or None,
                 'duration': round((end - start).total_seconds() / 60.0, 2) if end else 0.0}
                for start, end in intervals]
        self.env.cr.execute("""
            INSERT INTO mrp_workcenter_productivity (
                workorder_id, workcenter_id, user_id, loss_id, loss_type, mes_machine_time, description,
                mes_hourly_rate, date_start, date_end, duration, create_uid, write_uid, create_date, write_date)
            SELECT %(wo)s, %(wc)s, %(uid)s, %(loss)s, %(loss_type)s, true, 'Run time (MES)', %(rate)s,
                   r.start, r.end, r.duration, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM json_to_recordset(%(rows)s) AS r(start timestamp, "end" timestamp, duration numeric)
            RETURNING id""", {'wo': self.id, 'wc': self.workcenter_id.id, 'uid': self.env.uid, 'loss': loss.id,
                              'loss_type': loss.loss_type, 'rate': round(self.workcenter_id.costs_hour or 0.0, 2),
                              'rows': json.dumps(rows)})
        added = self.env['mrp.workcenter.productivity'].browse([row[0] for row in self.env.cr.fetchall()])
        added.modified(['workorder_id', 'workcenter_id', 'loss_id', 'loss_type', 'date_start', 'date_end',
                        'duration', 'mes_machine_time'])
        self.invalidate_cache(['time_ids'], self.ids)
        self.workcenter_id.invalidate_cache(['time_ids'], self.workcenter_id.ids)
        self.recompute()


def _dt(value):
    return fields.Datetime.from_string(value) if value else None


def _str(value):
    return fields.Datetime.to_string(value) if value else False
