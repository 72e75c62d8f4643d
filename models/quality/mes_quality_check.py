from odoo import api, fields, models

from ...services import display_sort, errors
from ...services.quality import outcome
from .common import MesRefusal, guard_state, transition
from ..execution.mrp_workcenter import MONEY_GROUPS
from ..shared.access import SUPERVISOR, caller
from ..shared import plant_time

STATES = [('todo', 'To do'), ('done', 'Done'), ('missed', 'Missed'), ('cancel', 'Cancelled')]
TRIGGERS = [('start', 'Work order start'), ('qty', 'Quantity produced'),
            ('operator', 'Operator, unscheduled'), ('manual', 'Entered in Odoo')]


class MesQualityCheck(models.Model):
    """One check of a control point on a work order.

    A check is created *to do* when it falls due (see ``mes.quality.point`` for the rule:
    first piece at the start, every Nth unit as produced quantities cross N), and is done by
    the terminal's ``check`` event, which completes the oldest check of that point still to do
    on the work order, or, when none is due, records an unscheduled check.

    States, declared in ``_transitions``:
    - to do: due, not done yet; a blocking point's check to do holds the work order;
    - done: the result is in (pass or fail);
    - missed: a non-blocking check still to do when its work order finished;
    - cancelled: its work order was cancelled.

    The result is what the operator tapped, except that a measurement outside the point's
    limits is a fail whatever was tapped (``operator_result`` keeps the tap). A failed check
    opens a nonconformance; a measured value feeds the point's control chart.
    """
    _name = 'mes.quality.check'
    _description = 'Quality check'
    _order = 'checked_at desc, id desc'
    _transitions = frozenset({('todo', 'done'), ('todo', 'missed'), ('todo', 'cancel')})

    name = fields.Char(compute='_compute_name')
    point_id = fields.Many2one('mes.quality.point', required=True, ondelete='restrict', index=True)
    kind = fields.Selection(related='point_id.kind', readonly=True)
    blocking = fields.Boolean(related='point_id.blocking', readonly=True)
    workorder_id = fields.Many2one('mrp.workorder', required=True, index=True, ondelete='restrict')
    production_id = fields.Many2one(related='workorder_id.production_id', store=True, readonly=True)
    product_id = fields.Many2one(related='workorder_id.product_id', store=True, readonly=True)
    workcenter_id = fields.Many2one(related='workorder_id.workcenter_id', store=True, readonly=True)
    state = fields.Selection(STATES, default='todo', required=True, readonly=True, index=True)
    trigger = fields.Selection(TRIGGERS, default='manual', required=True, readonly=True,
                               help='What made this check due.')
    piece_no = fields.Integer('Piece', readonly=True,
                              help='The unit of the work order this scheduled check covers.')
    due_at = fields.Datetime('Due since', readonly=True)
    employee_id = fields.Many2one('hr.employee')
    result = fields.Selection([('pass', 'Pass'), ('fail', 'Fail')], readonly=True, index=True)
    operator_result = fields.Selection([('pass', 'Pass'), ('fail', 'Fail')], 'Operator said', readonly=True)
    value = fields.Float('Measured value', group_operator='avg')
    has_value = fields.Boolean()
    note = fields.Char()
    checked_at = fields.Datetime(readonly=True, index=True)
    sample_no = fields.Integer('Sample', readonly=True, group_operator='max',
                               help='Order in which this point\'s measured values were recorded.')
    inspection_minutes = fields.Float(readonly=True, help='The point\'s standard inspection time, '
                                      'when the check was done.')
    inspection_cost = fields.Float(readonly=True, digits=(16, 2), groups=MONEY_GROUPS,
                                   help='Inspection minutes at the inspector\'s hourly rate then.')
    event_id = fields.Many2one('mes.event', readonly=True)
    nonconformance_ids = fields.One2many('mes.nonconformance', 'check_id', 'Nonconformances')
    # what the lists and forms show: the plant's time, as the SPC chart and its PDF do
    checked_at_plant = fields.Char('Checked (plant time)', compute='_compute_plant_time',
                                   help='When the check was done, in the plant\'s time zone (the company\'s).')
    due_at_plant = fields.Char('Due since (plant time)', compute='_compute_plant_time',
                               help='When the check fell due, in the plant\'s time zone (the company\'s).')
    _plant_time = {'checked_at_plant': 'checked_at', 'due_at_plant': 'due_at'}

    def _compute_plant_time(self):
        plant_time.compute(self, self._plant_time)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        return display_sort.sortable(super().fields_get(allfields, attributes), self._plant_time, attributes)

    @api.model
    def _generate_order_by(self, order_spec, query):
        return super()._generate_order_by(display_sort.order(order_spec, self._plant_time), query)

    def _compute_name(self):
        for check in self:
            piece = ' #%d' % check.piece_no if check.piece_no else ''
            check.name = '%s%s on %s' % (check.point_id.name, piece, check.workorder_id.name)

    # -- done from the terminal ---------------------------------------------------------------
    def write(self, values):
        guard_state(self, values)
        return super().write(values)

    @api.onchange('value')
    def _onchange_value(self):
        self.has_value = True

    @api.model
    def _record_from_event(self, event, point, wo, employee, at, data):
        """What a terminal's ``check`` event does: complete the oldest check of ``point`` to do
        on ``wo`` (or an unscheduled one) with the operator's result and value."""
        value = data.get('value')
        return self._take_due(point, wo)._record(
            data['result'], value, note=data.get('note'), employee=employee,
            at=fields.Datetime.to_string(at), event=event)

    @api.model
    def _take_due(self, point, wo):
        # A check means the operator is on the piece: the work order counts as started.
        wo._mes_quality_schedule(started=True)
        due = self.sudo().search([('workorder_id', '=', wo.id), ('point_id', '=', point.id),
                                  ('state', '=', 'todo')], order='piece_no, id', limit=1)
        return due or self.sudo().create({
            'point_id': point.id, 'workorder_id': wo.id, 'trigger': 'operator', 'state': 'todo'})

    def _record(self, tapped, value, note=None, employee=None, at=None, event=None):
        """Put the result into this check to do and mark it done; then open a nonconformance
        if it failed and feed the control chart if it measured."""
        self.ensure_one()
        point = self.point_id
        if point.kind == 'measure' and value is None:
            raise errors.CheckValueMissing(point=point.name, unit=point.unit or 'its unit')
        employee = employee or self.env['hr.employee']
        values = self._prepare_result_vals(tapped, value, employee, at or fields.Datetime.now())
        values.update(note=note or self.note, event_id=event.id if event else False)
        transition(self, 'done', **values)
        if self.result == 'fail':
            self.env['mes.nonconformance'].sudo()._open_for_check(self)
        if self.has_value and point.kind == 'measure':
            point.sudo()._spc_judge(self)
        return self

    def _prepare_result_vals(self, tapped, value, employee, at):
        point = self.point_id
        has_value = value is not None
        result = outcome(tapped, point.kind, value, point.tolerance_min, point.tolerance_max)
        minutes = point.inspection_minutes
        rate = employee.sudo().timesheet_cost if employee else 0.0
        values = {'result': result, 'operator_result': tapped, 'has_value': has_value,
                  'value': value if has_value else 0.0, 'employee_id': employee.id,
                  'checked_at': at, 'inspection_minutes': minutes,
                  'inspection_cost': round(minutes / 60.0 * rate, 2)}
        if has_value:
            values['sample_no'] = self.sudo().search_count([
                ('point_id', '=', point.id), ('state', '=', 'done'), ('has_value', '=', True)]) + 1
        return values

    # -- done in Odoo, and the end of a work order --------------------------------------------
    @caller(SUPERVISOR, perm='write')
    def action_pass(self):
        return self._record_by_hand('pass')

    @caller(SUPERVISOR, perm='write')
    def action_fail(self):
        return self._record_by_hand('fail')

    def _record_by_hand(self, tapped):
        employee = self.env['hr.employee'].search([('user_id', '=', self.env.uid)], limit=1)
        for check in self:
            # In the form the inspector types the value in, then presses Pass or Fail.
            value = check.value if check.kind == 'measure' and check.has_value else None
            try:
                check._record(tapped, value, employee=employee)
            except errors.MesError as exc:
                raise MesRefusal(exc)
        return True

    def _close_open(self, target):
        """The work order finished (``missed``) or was cancelled (``cancel``)."""
        todo = self.filtered(lambda c: c.state == 'todo')
        if todo:
            transition(todo, target)
