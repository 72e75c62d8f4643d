from odoo import _, api, fields, models

from ...services import errors
from .common import MesRefusal, check_transition, guard_state, notify, require_supervisor, transition

STATES = [('draft', 'Draft'), ('approved', 'Approved'), ('done', 'Done'), ('cancel', 'Cancelled')]
DISPOSITIONS = [('scrap', 'Scrap'), ('rework', 'Rework'), ('use_as_is', 'Use as is'),
                ('return', 'Return to supplier')]
# What may no longer change once a supervisor has approved the decision.
DECIDED_FIELDS = {'product_id', 'qty', 'reason_id', 'disposition', 'partner_id', 'workorder_id'}


class MesNonconformance(models.Model):
    """Pieces that do not conform, and what is done with them.

    Opened automatically by a failed check, or by hand. States, declared in ``_transitions``:
    - draft: open; quantity, defect reason and disposition are decided;
    - approved: a supervisor approved the disposition (it can no longer change);
    - done: the disposition was carried out (a supervisor again): *scrap* makes a done
      stock.scrap on the work order with the reason; *rework* creates a rework work order on
      the same manufacturing order and work center; *return to supplier* creates a delivery
      to the supplier, ready for the warehouse; *use as is* moves nothing (a concession);
    - cancelled: from draft or approved, nothing carried out.
    """
    _name = 'mes.nonconformance'
    _description = 'Nonconformance'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'id desc'
    _transitions = frozenset({('draft', 'approved'), ('approved', 'done'),
                              ('draft', 'cancel'), ('approved', 'cancel')})

    name = fields.Char(readonly=True, required=True, copy=False, default='New')
    state = fields.Selection(STATES, default='draft', required=True, readonly=True, index=True,
                             track_visibility='onchange',
                             help='Draft: to decide. Approved: a supervisor approved the '
                                  'disposition. Done: the disposition was carried out.')
    origin = fields.Selection([('check', 'Failed check'), ('manual', 'By hand')], default='manual',
                              required=True, readonly=True)
    check_id = fields.Many2one('mes.quality.check', 'Failed check', readonly=True, index=True)
    point_id = fields.Many2one('mes.quality.point', 'Control point', readonly=True)
    workorder_id = fields.Many2one('mrp.workorder', 'Work order', required=True, index=True,
                                   ondelete='restrict', track_visibility='onchange')
    production_id = fields.Many2one(related='workorder_id.production_id', store=True, readonly=True)
    workcenter_id = fields.Many2one(related='workorder_id.workcenter_id', store=True, readonly=True)
    product_id = fields.Many2one('product.product', 'Nonconforming product', required=True,
                                 help='The product made, or a component found defective.')
    product_uom_id = fields.Many2one(related='product_id.uom_id', readonly=True)
    qty = fields.Float('Quantity', default=1.0, required=True, track_visibility='onchange')
    reason_id = fields.Many2one('mes.reason', 'Defect reason', track_visibility='onchange',
                                domain=[('kind', '=', 'scrap'), ('is_category', '=', False)])
    disposition = fields.Selection(DISPOSITIONS, track_visibility='onchange')
    partner_id = fields.Many2one('res.partner', 'Supplier', help='For a return to supplier.')
    description = fields.Text()
    employee_id = fields.Many2one('hr.employee', 'Reported by')
    approved_by = fields.Many2one('res.users', readonly=True)
    approved_at = fields.Datetime(readonly=True)
    done_by = fields.Many2one('res.users', readonly=True)
    done_at = fields.Datetime(readonly=True)
    scrap_id = fields.Many2one('stock.scrap', 'Scrap', readonly=True)
    rework_workorder_id = fields.Many2one('mrp.workorder', 'Rework work order', readonly=True)
    return_picking_id = fields.Many2one('stock.picking', 'Return', readonly=True)

    @api.model
    def create(self, values):
        if values.get('name', 'New') == 'New':
            values['name'] = self.env['ir.sequence'].sudo().next_by_code('mes.nonconformance') or 'New'
        if not values.get('product_id') and values.get('workorder_id'):
            values['product_id'] = self.env['mrp.workorder'].browse(values['workorder_id']).product_id.id
        return super().create(values)

    def write(self, values):
        guard_state(self, values)
        if DECIDED_FIELDS & set(values):
            for nc in self.filtered(lambda n: n.state != 'draft'):
                raise MesRefusal(errors.StateRefused(
                    record=nc.name, state=dict(STATES)[nc.state], target='changed'))
        return super().write(values)

    @api.onchange('workorder_id')
    def _onchange_workorder_id(self):
        if self.workorder_id and not self.product_id:
            self.product_id = self.workorder_id.product_id

    @api.model
    def _open_for_check(self, check):
        """The nonconformance a failed check opens: the piece it checked, the point's defect
        reason; the supervisors are told."""
        point = check.point_id
        measured = _(' measured %s %s (limits %s to %s)') % (
            check.value, point.unit or '', point.tolerance_min, point.tolerance_max) if check.has_value else ''
        nc = self.create({
            'origin': 'check', 'check_id': check.id, 'point_id': point.id,
            'workorder_id': check.workorder_id.id, 'product_id': check.workorder_id.product_id.id,
            'qty': 1.0, 'reason_id': point.reason_id.id, 'employee_id': check.employee_id.id,
            'description': _('Check "%s" failed%s.%s') % (
                point.name, measured, _(' Operator: %s') % check.note if check.note else '')})
        notify(nc, _('Decide the disposition of %s') % nc.name, nc.description, point.responsible_id)
        return nc

    # -- transitions --------------------------------------------------------------------------
    def action_approve(self):
        require_supervisor(self, 'approve')
        check_transition(self, 'approved')
        for nc in self:
            missing = nc._missing_for_approval()
            if missing:
                raise MesRefusal(errors.NonconformanceIncomplete(nc=nc.name, missing=', '.join(missing)))
        return transition(self, 'approved', approved_by=self.env.uid, approved_at=fields.Datetime.now())

    def action_done(self):
        """Carry out the approved disposition."""
        require_supervisor(self, 'carry out')
        check_transition(self, 'done')
        for nc in self:
            getattr(nc.sudo(), '_dispose_' + nc.disposition)()
        result = transition(self, 'done', done_by=self.env.uid, done_at=fields.Datetime.now())
        self._close_todos(_('Disposition carried out.'))
        return result

    def action_cancel(self):
        require_supervisor(self, 'cancel')
        result = transition(self, 'cancel')
        self._close_todos(_('Cancelled.'))
        return result

    def _close_todos(self, feedback):
        """The supervisors' to-dos of these nonconformances are done: nothing is left to decide."""
        activities = self.sudo().mapped('activity_ids')
        if activities:
            activities.action_feedback(feedback=feedback)

    def _missing_for_approval(self):
        missing = []
        if self.qty <= 0:
            missing.append('a quantity above zero')
        if not self.reason_id:
            missing.append('the defect reason')
        if not self.disposition:
            missing.append('the disposition')
        if self.disposition == 'return' and not self.partner_id:
            missing.append('the supplier')
        return missing

    # -- dispositions -------------------------------------------------------------------------
    def _dispose_scrap(self):
        production = self.production_id
        if self.product_id == production.product_id and self.workorder_id:
            # the part being made is work in progress: valued out of WIP like a terminal scrap
            self.scrap_id = self.workorder_id._mes_scrap_wip(
                self.qty, self.reason_id, self.env['mes.event'], fields.Datetime.from_string(fields.Datetime.now()))
            production._mes_cost_changed()
            return
        if self.product_id == production.product_id:
            location = self.product_id.property_stock_production
        else:
            location = production.location_src_id
        scrap = self.env['stock.scrap'].create({
            'product_id': self.product_id.id, 'product_uom_id': self.product_id.uom_id.id,
            'scrap_qty': self.qty, 'location_id': location.id, 'production_id': production.id,
            'workorder_id': self.workorder_id.id, 'mes_reason_id': self.reason_id.id,
            'origin': '%s %s' % (production.name, self.name), 'date_expected': fields.Datetime.now()})
        scrap.with_context(mes_scrap_id=scrap.id).do_scrap()
        self.scrap_id = scrap

    def _dispose_rework(self):
        self.rework_workorder_id = self.workorder_id._mes_create_rework(self)

    def _dispose_use_as_is(self):
        self.message_post(body=_('Used as is (concession): nothing moved.'))

    def _dispose_return(self):
        production = self.production_id
        picking_type = production.picking_type_id.warehouse_id.out_type_id
        source = production.location_src_id
        destination = self.partner_id.property_stock_supplier or self.env.ref('stock.stock_location_suppliers')
        picking = self.env['stock.picking'].create({
            'picking_type_id': picking_type.id, 'partner_id': self.partner_id.id,
            'location_id': source.id, 'location_dest_id': destination.id, 'origin': self.name,
            'move_lines': [(0, 0, {
                'name': '%s: %s' % (self.name, self.product_id.display_name),
                'product_id': self.product_id.id, 'product_uom': self.product_id.uom_id.id,
                'product_uom_qty': self.qty, 'location_id': source.id,
                'location_dest_id': destination.id})]})
        picking.action_confirm()
        picking.action_assign()
        self.return_picking_id = picking
