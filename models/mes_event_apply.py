"""How each event type lands on Odoo's own records. One method per type, each called by
``mes.event._apply`` inside the event's savepoint, so an error leaves nothing half-written."""
from datetime import timedelta

from odoo import fields, models

from ..services import contract, errors, ordering

FUTURE_TOLERANCE_PARAM = 'shopfloor_mes.future_tolerance_seconds'
DEFAULT_FUTURE_TOLERANCE = 120


class MesEventApply(models.Model):
    _inherit = 'mes.event'

    def _resolve_refs(self, parsed):
        """The event's work order, work center and employee, and the values that link the
        event row to them. The links are written with the verdict, applied or rejected, in one
        write, so that a rejected event is still found by those filters in the dead-letter
        queue."""
        env = self.sudo().env
        wo = env['mrp.workorder'].browse(parsed.workorder_id).exists()
        employee = env['hr.employee']._mes_find_by_badge(parsed.employee)
        at = ordering.corrected_time(parsed.at, timedelta(milliseconds=self.clock_offset_ms))
        links = {'workorder_id': wo.id, 'workcenter_id': wo.workcenter_id.id, 'employee_id': employee.id,
                 'qty': parsed.data.get('qty') or 0.0, 'corrected_at': fields.Datetime.to_string(at)}
        return (wo, employee, at), links

    def _apply(self, parsed, terminal, wo, employee, at):
        received = fields.Datetime.from_string(self.received_at)
        tolerance = int(self.env['ir.config_parameter'].sudo().get_param(
            FUTURE_TOLERANCE_PARAM, DEFAULT_FUTURE_TOLERANCE))
        ahead = ordering.seconds_in_future(at, received)
        if ahead > tolerance:
            raise errors.TimeInFuture(at=contract.format_time(at), ahead=int(ahead), tolerance=tolerance)
        if not wo:
            raise errors.WorkorderUnknown(id=parsed.workorder_id)
        if wo.workcenter_id not in terminal.workcenter_ids:
            raise errors.WorkcenterNotOnTerminal(wo=wo.name, wc=wo.workcenter_id.name)
        if not employee:
            raise errors.EmployeeUnknown(badge=parsed.employee)
        if employee._mes_is_locked():
            # a locked badge reports nothing, on any terminal, until the lock ends or a
            # supervisor unlocks it (then the event can be retried from the dead-letter queue)
            raise errors.EmployeeLocked(until=employee.mes_locked_until)
        if not employee._mes_may_work_at(wo.workcenter_id):
            raise errors.EmployeeNotAllowed(employee=employee.name, wc=wo.workcenter_id.name)
        if wo.state == 'cancel':
            raise errors.WorkorderCancelled(wo=_wo_name(wo))
        handler = getattr(self, '_apply_' + parsed.type)
        handler(wo, employee, at, parsed.data)

    def _refuse_if_finished(self, wo, at, etype):
        if wo.state == 'done':
            raise errors.WorkorderFinished(wo=_wo_name(wo), finished=wo.date_finished or '?',
                                           type=etype, at=fields.Datetime.to_string(at))

    # -- time --------------------------------------------------------------------------------
    def _apply_start(self, wo, employee, at, data):
        stamp = fields.Datetime.to_string(at)
        if wo.state == 'done' and stamp >= wo.date_finished:
            self._refuse_if_finished(wo, at, 'start')
        Labor = self.env['mes.labor.log'].sudo()
        mine = Labor.search([('workorder_id', '=', wo.id), ('employee_id', '=', employee.id)])
        verdict, key = ordering.pair_start(_intervals(mine, 'date_start', 'date_stop'), at)
        if verdict == 'overlap':
            raise errors.AlreadyStarted(employee=employee.name, wo=_wo_name(wo),
                                        since=Labor.browse(key).date_start)
        values = {'employee_id': employee.id, 'workorder_id': wo.id, 'date_start': stamp,
                  'start_event_id': self.id, 'hourly_rate': employee.sudo().timesheet_cost}
        if wo.state == 'done':
            # A start replayed late, from before the finish: the interval lands in its true
            # place, closed at the finish like any interval still running then.
            values.update(date_stop=wo.date_finished, closed_by_finish=True)
        Labor.create(values)
        _mark_started(wo, at)
        wo._mes_time_changed(labor_closed=bool(values.get('date_stop')))

    def _apply_stop(self, wo, employee, at, data):
        Labor = self.env['mes.labor.log'].sudo()
        mine = Labor.search([('workorder_id', '=', wo.id), ('employee_id', '=', employee.id)])
        verdict, key = ordering.pair_stop(_intervals(mine, 'date_start', 'date_stop'), at)
        if verdict == 'none':
            closed_by_finish = mine.filtered(lambda l: l.closed_by_finish and l.date_start <= fields.Datetime.to_string(at))
            if closed_by_finish:
                # The order finished while this operator was on it; a stop before the finish
                # puts the end of the interval back where it truly was.
                log = closed_by_finish.sorted('date_start')[-1]
                if fields.Datetime.to_string(at) < log.date_stop:
                    log.write({'date_stop': fields.Datetime.to_string(at), 'stop_event_id': self.id})
                    wo._mes_time_changed()
                return
            raise errors.NotStarted(employee=employee.name, wo=_wo_name(wo), at=fields.Datetime.to_string(at))
        Labor.browse(key).write({'date_stop': fields.Datetime.to_string(at), 'stop_event_id': self.id})
        wo._mes_time_changed()

    def _apply_downtime_start(self, wo, employee, at, data):
        reason = self._reason(data['reason'], 'downtime')
        Productivity = self.env['mrp.workcenter.productivity'].sudo()
        downs = Productivity.search([('workcenter_id', '=', wo.workcenter_id.id), ('mes_reason_id', '!=', False)])
        verdict, key = ordering.pair_start(_intervals(downs, 'date_start', 'date_end'), at)
        if verdict == 'overlap':
            open_down = Productivity.browse(key)
            raise errors.DowntimeAlreadyOpen(wc=wo.workcenter_id.name, since=open_down.date_start,
                                             reason=open_down.mes_reason_id.name)
        loss = reason.loss_id or self.env['mrp.workcenter.productivity.loss'].search(
            [('loss_type', '=', 'availability')], limit=1)
        Productivity.create({
            'workcenter_id': wo.workcenter_id.id, 'workorder_id': wo.id, 'loss_id': loss.id,
            'mes_reason_id': reason.id, 'mes_event_id': self.id, 'description': reason.name,
            'date_start': fields.Datetime.to_string(at), 'user_id': self.env.uid})
        self._sync_workcenter(wo, fields.Datetime.to_string(at))

    def _apply_downtime_end(self, wo, employee, at, data):
        Productivity = self.env['mrp.workcenter.productivity'].sudo()
        downs = Productivity.search([('workcenter_id', '=', wo.workcenter_id.id), ('mes_reason_id', '!=', False)])
        verdict, key = ordering.pair_stop(_intervals(downs, 'date_start', 'date_end'), at)
        if verdict == 'none':
            raise errors.NoOpenDowntime(wc=wo.workcenter_id.name, at=fields.Datetime.to_string(at))
        down = Productivity.browse(key)
        down.write({'date_end': fields.Datetime.to_string(at)})
        self._sync_workcenter(wo, down.date_start)

    def _sync_workcenter(self, wo, since):
        """Downtime cuts the run time of every order with operators on that work center
        during it, not only the order the downtime was reported on."""
        logs = self.env['mes.labor.log'].sudo().search([
            ('workcenter_id', '=', wo.workcenter_id.id), '|', ('date_stop', '=', False),
            ('date_stop', '>', since)])
        (logs.mapped('workorder_id') | wo)._mes_time_changed()

    # -- quantities --------------------------------------------------------------------------
    def _apply_produce(self, wo, employee, at, data):
        self._refuse_if_finished(wo, at, 'produce')
        wo._mes_quality_gate('produce')
        product = wo.production_id.product_id
        lot = None
        if product.tracking != 'none':
            if not data.get('lot'):
                raise errors.LotRequired(product=product.display_name, type='produce')
            if product.tracking == 'serial' and data['qty'] != 1:
                raise errors.FieldInvalid(field='data.qty', problem='must be 1 for a serial-tracked product: '
                                          'report one serial number per produce event')
            lot = self._lot(product, data['lot'])
        _mark_started(wo, at)
        wo._mes_produce(data['qty'], lot, self)

    def _apply_scrap(self, wo, employee, at, data):
        self._refuse_if_finished(wo, at, 'scrap')
        reason = self._reason(data['reason'], 'scrap')
        production = wo.production_id
        if not data.get('product_id') or data['product_id'] == production.product_id.id:
            wo._mes_scrap_wip(data['qty'], reason, self, at)
            return
        # a component spoilt at the machine: it is lost from stock
        product = self._component(wo, data['product_id'])
        scrap = self.env['stock.scrap'].sudo().create({
            'product_id': product.id, 'product_uom_id': product.uom_id.id, 'scrap_qty': data['qty'],
            'location_id': production.location_src_id.id, 'production_id': production.id, 'workorder_id': wo.id,
            'mes_reason_id': reason.id, 'mes_event_id': self.id, 'origin': production.name,
            'date_expected': fields.Datetime.to_string(at)})
        production.company_id._mes_costing_setup()
        scrap.with_context(mes_scrap_id=scrap.id).do_scrap()
        production._mes_cost_changed()

    def _apply_consume(self, wo, employee, at, data):
        self._refuse_if_finished(wo, at, 'consume')
        product = self._component(wo, data['product_id'])
        lot = None
        if product.tracking != 'none':
            if not data.get('lot'):
                raise errors.LotRequired(product=product.display_name, type='consume')
            lot = self._lot(product, data['lot'])
        wo._mes_consume(product, data['qty'], lot, self)

    # -- quality and finish ------------------------------------------------------------------
    def _apply_check(self, wo, employee, at, data):
        self._refuse_if_finished(wo, at, 'check')
        point = self.env['mes.quality.point'].sudo().browse(data['point_id']).exists()
        if not point or not point._applies_to(wo):
            raise errors.CheckPointUnknown(id=data['point_id'], wo=_wo_name(wo))
        self.env['mes.quality.check'].sudo()._record_from_event(self, point, wo, employee, at, data)

    def _apply_finish(self, wo, employee, at, data):
        self._refuse_if_finished(wo, at, 'finish')
        wo._mes_quality_gate('finish')
        stamp = fields.Datetime.to_string(at)
        running = wo.mes_labor_log_ids.filtered(lambda l: not l.date_stop)
        later = running.filtered(lambda l: l.date_start > stamp)
        if later:
            raise errors.AlreadyStarted(employee=later[0].employee_id.name, wo=_wo_name(wo), since=later[0].date_start)
        running.write({'date_stop': stamp, 'closed_by_finish': True, 'stop_event_id': self.id})
        wo._mes_sync_machine_time()
        wo.button_finish()   # Odoo's own finish: state done, its own time logs closed
        wo.write({'date_finished': stamp})
        wo.production_id._mes_cost_changed()

    # -- lookups -----------------------------------------------------------------------------
    def _reason(self, code, kind):
        reason = self.env['mes.reason'].sudo().search(
            [('code', '=', code), ('kind', '=', kind), ('is_category', '=', False)], limit=1)
        if not reason:
            raise errors.ReasonUnknown(kind=kind, code=code)
        return reason

    def _component(self, wo, product_id):
        product = self.env['product.product'].sudo().browse(product_id).exists()
        if not product:
            raise errors.ProductUnknown(id=product_id)
        if product not in wo.production_id.move_raw_ids.mapped('product_id'):
            raise errors.ComponentNotOnOrder(product=product.display_name, mo=wo.production_id.name)
        return product

    def _lot(self, product, name):
        Lot = self.env['stock.production.lot'].sudo()
        return Lot.search([('product_id', '=', product.id), ('name', '=', name)], limit=1) \
            or Lot.create({'product_id': product.id, 'name': name})


def _intervals(records, start_field, end_field):
    return [(r.id, fields.Datetime.from_string(r[start_field]), fields.Datetime.from_string(r[end_field])
             if r[end_field] else None) for r in records]


def _mark_started(wo, at):
    """Odoo's own start, at the event's time: the work order and its manufacturing order go
    in progress; their start dates are the earliest reported."""
    stamp = fields.Datetime.to_string(at)
    values = {}
    if wo.state in ('pending', 'ready'):
        values['state'] = 'progress'
    if not wo.date_start or stamp < wo.date_start:
        values['date_start'] = stamp
    if values:
        wo.write(values)
    production = wo.production_id
    if production.state in ('confirmed', 'planned'):
        production.write({'state': 'progress', 'date_start': stamp})


def _wo_name(wo):
    return '%s (%s)' % (wo.name, wo.production_id.name)
