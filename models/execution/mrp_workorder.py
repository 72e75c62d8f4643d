"""The work order as the shop floor runs it: the MES totals, the finish, the quality gate.

Quantities reported at an operation, valued the moment they are reported.

Odoo 11 values consumption and finished goods only when the order is marked done. Here a
`produce` consumes that operation's components at once (backflush at BOM ratio, unless the
operator reported the component explicitly), and at the last operation brings the finished
goods into stock at standard; stock_account posts each move through the WIP account that the
production location carries.
"""
import json

from odoo import fields, models
from odoo.tools import float_compare, float_is_zero

from ...services import costing, ordering, server_time


class MrpWorkorderExecution(models.Model):
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
        labor = [(server_time.parse(log.date_start), server_time.parse(log.date_stop))
                 for log in self.mes_labor_log_ids]
        downtime = [(server_time.parse(p.date_start), server_time.parse(p.date_end)) for p in Productivity.search([
            ('workcenter_id', '=', self.workcenter_id.id), ('mes_reason_id', '!=', False)])]
        wanted = ordering.subtract(labor, downtime)
        existing = Productivity.search([('workorder_id', '=', self.id), ('mes_machine_time', '=', True)],
                                       order='date_start, id')
        have = [(server_time.parse(p.date_start), server_time.parse(p.date_end)) for p in existing]
        if have == wanted:
            return False
        closed_moved = [i for i in have if i[1]] != [i for i in wanted if i[1]]
        loss = self.env['mrp.workcenter.productivity.loss'].search([('loss_type', '=', 'productive')], limit=1)
        for record, old, (start, end) in zip(existing, have, wanted):
            if old != (start, end):   # most stay as they were: rewriting them costs recomputes
                record.write({'date_start': server_time.text(start), 'date_end': server_time.text(end)})
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
        rows = [{'start': server_time.text(start), 'end': server_time.text(end) or None,
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

    def _mes_open_raw_moves(self):
        return self.move_raw_ids.filtered(lambda m: m.state not in ('done', 'cancel'))

    def _mes_explicit_products(self):
        """Components the operator reported at this operation: no backflush for them here."""
        moves = self.env['stock.move'].sudo().search([('workorder_id', '=', self.id),
                                                      ('mes_consumption', '=', 'explicit')])
        return moves.mapped('product_id')

    def _mes_backflush(self, qty, kind, event):
        """This operation's components for ``qty`` units, set to be done (at BOM ratio); the
        caller does them, with whatever else moves in the same step."""
        explicit = self._mes_explicit_products()
        moves = self.env['stock.move']
        for move in self._mes_open_raw_moves():
            if move.product_id in explicit or move.has_tracking != 'none' or not move.unit_factor:
                continue   # reported by the operator, or tracked: the operator must say which lot
            component_qty = move.product_uom._compute_quantity(qty * move.unit_factor, move.product_id.uom_id)
            if not float_is_zero(component_qty, precision_rounding=move.product_id.uom_id.rounding):
                moves |= move._mes_take(component_qty, kind, event)
        return moves

    def _mes_produce(self, qty, lot, event):
        """Good quantity at this operation: Odoo's own quantities, components consumed now,
        finished goods into stock at the last operation. The cost follows in the caller's
        ``_mes_cost_changed`` (once per posting, however many facts it carries)."""
        self.ensure_one()
        self.production_id.company_id._mes_costing_setup()
        self._mes_move_produced(qty, lot, event)
        values = {'qty_produced': self.qty_produced + qty}
        rounding = self.production_id.product_uom_id.rounding
        remaining = self.production_id.product_qty - values['qty_produced']
        values['qty_producing'] = remaining if float_compare(remaining, 0, precision_rounding=rounding) > 0 else 0
        if lot:
            values['final_lot_id'] = lot.id
        self.write(values)
        if self.next_work_order_id.state == 'pending':
            self.next_work_order_id.state = 'ready'

    def _mes_move_produced(self, qty, lot, event):
        """The stock side of good quantity: this operation's components consumed, and at the
        last operation the finished goods into stock at standard, done together (one
        ``_action_done`` for all of them)."""
        # what the new moves change of stored figures (theirs, the order's availability) is
        # recomputed once for all of them, not after each move
        with self.env.norecompute():
            moves = self.env['stock.move']
            if not self.next_work_order_id:
                # first, as Odoo orders the planned moves: the entry lists the finished goods first
                finished = self.production_id.move_finished_ids.filtered(
                    lambda m: m.product_id == self.production_id.product_id and m.state not in ('done', 'cancel'))[:1]
                if finished:
                    finished_qty = self.production_id.product_uom_id._compute_quantity(qty, finished.product_id.uom_id)
                    moves |= finished._mes_take(finished_qty, 'finished', event, lot=lot)
            moves |= self._mes_backflush(qty, 'backflush', event)
        moves.recompute()
        moves._action_done()

    def _mes_unproduce(self, qty, lot, event):
        """Good quantity taken back after it was posted (a produce that history made impossible,
        or a supervisor's correction): reversal moves at standard, never an edit of the posted
        ones. What this operation backflushed for ``qty`` returns to stock, and at the last
        operation the finished goods go back from stock into WIP (Dr WIP / Cr finished goods)."""
        self.ensure_one()
        production = self.production_id
        production.company_id._mes_costing_setup()
        backflushed = self.env['stock.move'].sudo().search([
            ('workorder_id', '=', self.id), ('state', '=', 'done'), ('mes_consumption', '=', 'backflush')])
        for product in backflushed.mapped('product_id'):
            move = backflushed.filtered(lambda m: m.product_id == product)[:1]
            component_qty = move.product_uom._compute_quantity(qty * move.unit_factor, product.uom_id)
            if not float_is_zero(component_qty, precision_rounding=product.uom_id.rounding):
                self._mes_return_component(product, component_qty, event)
        if not self.next_work_order_id:
            product = production.product_id
            back = self.env['stock.move'].sudo().create({
                'name': '%s: finished goods taken back' % production.name, 'product_id': product.id,
                'product_uom': product.uom_id.id,
                'product_uom_qty': production.product_uom_id._compute_quantity(qty, product.uom_id),
                'location_id': production.location_dest_id.id, 'location_dest_id': product.property_stock_production.id,
                'mes_production_id': production.id, 'workorder_id': self.id, 'company_id': production.company_id.id,
                'origin': production.name})
            back._action_confirm()
            back._mes_done_now(back.product_uom_qty, 'unfinished', event, lot=lot)
        produced = max(self.qty_produced - qty, 0.0)
        self.write({'qty_produced': produced, 'qty_producing': max(production.product_qty - produced, 0.0)})

    def _mes_consume(self, product, qty, lot, event):
        """The operator reports a component's actual use: it replaces the backflush of that
        component at this operation; what was backflushed before is returned first."""
        self.ensure_one()
        production = self.production_id
        production.company_id._mes_costing_setup()
        backflushed = self.env['stock.move'].sudo().search([
            ('workorder_id', '=', self.id), ('product_id', '=', product.id), ('state', '=', 'done'),
            ('mes_consumption', '=', 'backflush')])
        returned = self.env['stock.move'].sudo().search([
            ('workorder_id', '=', self.id), ('product_id', '=', product.id), ('state', '=', 'done'),
            ('mes_consumption', '=', 'return')])
        to_return = sum(backflushed.mapped('product_qty')) - sum(returned.mapped('product_qty'))
        if float_compare(to_return, 0, precision_rounding=product.uom_id.rounding) > 0:
            self._mes_return_component(product, to_return, event)
        move = self._mes_open_raw_moves().filtered(lambda m: m.product_id == product)[:1]
        if not move:
            # everything planned is consumed already: an extra move for the overuse
            template = production.move_raw_ids.filtered(lambda m: m.product_id == product)[:1]
            move = template.copy({'product_uom_qty': product.uom_id._compute_quantity(qty, template.product_uom),
                                  'state': 'draft', 'workorder_id': self.id, 'move_line_ids': []})
            move._action_confirm()
        move.workorder_id = self
        move._mes_done_now(qty, 'explicit', event, lot=lot)

    def _mes_return_component(self, product, qty, event):
        production = self.production_id
        move = self.env['stock.move'].sudo().create({
            'name': '%s: backflush reversed' % production.name, 'product_id': product.id,
            'product_uom': product.uom_id.id, 'product_uom_qty': qty,
            'location_id': product.property_stock_production.id, 'location_dest_id': production.location_src_id.id,
            'mes_production_id': production.id, 'workorder_id': self.id, 'company_id': production.company_id.id,
            'origin': production.name})
        move._action_confirm()
        move._mes_done_now(qty, 'return', event)

    def _mes_scrap_wip(self, qty, reason, event, at):
        """Scrap units of the part being made here: they used this operation's components, and
        what they carried at standard leaves WIP for the scrap expense."""
        self.ensure_one()
        production = self.production_id
        company = production.company_id._mes_costing_setup()
        product = production.product_id
        self._mes_backflush(qty, 'scrap', event)._action_done()
        through = production.workorder_ids.filtered(
            lambda w: (not getattr(w, 'mes_is_rework', False)
                       and (w.operation_id.sequence, w.id) <= (self.operation_id.sequence, self.id)))
        per_unit = costing.standard_cost(
            production._mes_material_per_unit(through),
            [op._replace(setup_minutes=0) for op in production._mes_operations(through)], 1.0)
        values = {key: company.currency_id.round(amount * qty) for key, amount in per_unit.items()}
        scrap = self.env['stock.scrap'].sudo().create({
            'product_id': product.id, 'product_uom_id': product.uom_id.id, 'scrap_qty': qty,
            'location_id': product.property_stock_production.id, 'production_id': production.id,
            'workorder_id': self.id, 'mes_reason_id': reason.id, 'mes_event_id': event.id or False,
            'origin': production.name, 'date_expected': fields.Datetime.to_string(at),
            'mes_std_material': values['material'], 'mes_std_labor': values['labor'],
            'mes_std_machine': values['machine']})
        scrap.with_context(mes_scrap_id=scrap.id).do_scrap()
        total = sum(values.values())
        if not company.currency_id.is_zero(total):
            lines = production._mes_pair(company.mes_scrap_account_id, company.mes_wip_account_id, total, 'scrap',
                                         '%s: %s scrapped at %s (%s)' % (production.name, qty, self.name, reason.name),
                                         workorder=self, reason=reason, quantity=qty)
            production._mes_post(lines, '%s scrap' % production.name)
        return scrap

    def _mes_rework_reason(self):
        """The defect reason a rework work order answers, for the cost of quality."""
        nonconformance = getattr(self, 'mes_rework_nonconformance_id', None)
        return nonconformance.reason_id if nonconformance else self.env['mes.reason']
