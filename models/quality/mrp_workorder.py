from odoo import _, api, fields, models
from odoo.tools import float_compare

from ...services import errors
from .common import MesRefusal

GATE_STATUS = {
    'todo': errors._('it is still to do'),    # marked: translated with the refusal (errors.py)
    'fail': errors._('its latest result is a fail; correct the process and check again'),
}


class MrpWorkorderQuality(models.Model):
    """Quality at the operation: due checks, the blocking gate, rework work orders."""
    _inherit = 'mrp.workorder'

    mes_check_ids = fields.One2many('mes.quality.check', 'workorder_id', 'Quality checks')
    mes_nonconformance_ids = fields.One2many('mes.nonconformance', 'workorder_id', 'Nonconformances')
    mes_checks_todo = fields.Integer('Checks to do', compute='_compute_mes_quality')
    mes_quality_hold = fields.Char('Held by', compute='_compute_mes_quality',
                                   help='The blocking check that refuses produce and finish now.')
    # Rework: the costing reads mes_is_rework; everything spent on such a work order (labor,
    # machine time, material consumed on it) is the rework cost element of its order.
    mes_is_rework = fields.Boolean(
        'Rework', readonly=True, index=True, copy=False,
        help='Reworks nonconforming pieces: its labor, machine time and material are costed '
             'as rework, not as the order\'s standard work.')
    mes_rework_of_id = fields.Many2one('mrp.workorder', 'Reworks work order', readonly=True,
                                       index=True, copy=False)
    mes_rework_nonconformance_id = fields.Many2one('mes.nonconformance', 'For nonconformance',
                                                   readonly=True, index=True, copy=False)
    mes_rework_qty = fields.Float('Pieces to rework', readonly=True, copy=False)

    @api.depends('mes_check_ids.state', 'mes_check_ids.result')
    def _compute_mes_quality(self):
        for wo in self:
            wo.mes_checks_todo = len(wo.mes_check_ids.filtered(lambda c: c.state == 'todo'))
            held = wo._mes_quality_hold()
            wo.mes_quality_hold = held and '%s (%s)' % (held[0].name, GATE_STATUS[held[1]])

    # -- when checks fall due -----------------------------------------------------------------
    def write(self, values):
        result = super().write(values)
        state = values.get('state')
        if state in ('done', 'cancel'):
            self.mapped('mes_check_ids')._close_open('missed' if state == 'done' else 'cancel')
        elif state == 'progress' or 'qty_produced' in values:
            # started, or produced quantities moved: the checks due by now exist
            self._mes_quality_schedule()
        return result

    def record_production(self):
        if self.mes_is_rework:
            return self._mes_record_rework()
        return super().record_production()

    def _mes_produce(self, qty, lot, event):
        if self.mes_is_rework:
            return self._mes_count_rework(qty)
        return super()._mes_produce(qty, lot, event)

    def _mes_quality_schedule(self, started=None):
        """Create the checks due now and not created yet: one per point and piece number (the
        rule is on mes.quality.point). ``started`` says whether the work order is under way;
        by default, whether it is in progress or has produced."""
        Check = self.env['mes.quality.check'].sudo()
        for wo in self.filtered(lambda w: w.state not in ('done', 'cancel')):
            under_way = started if started is not None else (
                wo.state == 'progress' or wo.qty_produced > 0)
            existing = Check.search([('workorder_id', '=', wo.id), ('piece_no', '>', 0)])
            have = {(c.point_id.id, c.piece_no) for c in existing}
            for point in self.env['mes.quality.point'].sudo()._for_workorder(wo):
                for piece in point._due_pieces(wo.qty_produced, under_way):
                    if (point.id, piece) not in have:
                        Check.create({'point_id': point.id, 'workorder_id': wo.id, 'piece_no': piece,
                                      'trigger': 'start' if point.frequency == 'first' else 'qty',
                                      'state': 'todo', 'due_at': fields.Datetime.now()})

    # -- the gate before produce and finish ---------------------------------------------------
    def _mes_quality_gate(self, transition):
        """Refuse ``transition`` ('produce' or 'finish') while a blocking point holds the work
        order: one of its checks is to do there, or its latest check failed."""
        super()._mes_quality_gate(transition)
        for wo in self:
            # Producing or finishing means the work order is under way: its start checks are due.
            wo._mes_quality_schedule(started=True)
            held = wo._mes_quality_hold()
            if held:
                check, status = held
                raise errors.CheckBlocking(
                    transition=transition, wo='%s (%s)' % (wo.name, wo.production_id.name),
                    check='"%s"' % check.name, status=GATE_STATUS[status])
        return True

    def _mes_quality_hold(self):
        """(check, 'todo' | 'fail') for the first blocking point that holds this work order,
        or None."""
        self.ensure_one()
        if not self.id:
            return None
        Check = self.env['mes.quality.check'].sudo()
        for point in self.env['mes.quality.point'].sudo()._for_workorder(self).filtered('blocking'):
            domain = [('workorder_id', '=', self.id), ('point_id', '=', point.id)]
            todo = Check.search(domain + [('state', '=', 'todo')], order='piece_no, id', limit=1)
            if todo:
                return todo, 'todo'
            latest = Check.search(domain + [('state', '=', 'done')], order='checked_at desc, id desc', limit=1)
            if latest.result == 'fail':
                return latest, 'fail'
        return None

    def _mes_quality_checks_due(self):
        """The checks to do on this work order, for the terminal (plain data)."""
        self.ensure_one()
        return [{'check_id': c.id, 'point_id': c.point_id.id, 'name': c.point_id.name,
                 'piece': c.piece_no, 'blocking': c.point_id.blocking}
                for c in self.mes_check_ids.filtered(lambda c: c.state == 'todo').sorted('piece_no')]

    # -- rework -------------------------------------------------------------------------------
    def _mes_create_rework(self, nonconformance):
        """A new work order on the same order and work center to rework the pieces of
        ``nonconformance``."""
        self.ensure_one()
        production = self.production_id
        if production.state in ('done', 'cancel'):
            raise MesRefusal(errors.ReworkOrderClosed(mo=production.name, state=production.state))
        return self.sudo().create(self._mes_prepare_rework_vals(nonconformance))

    def _mes_prepare_rework_vals(self, nonconformance):
        return {
            'name': _('Rework %s (%s)') % (self.name, nonconformance.name),
            'production_id': self.production_id.id, 'workcenter_id': self.workcenter_id.id,
            # the same operation, so its quality points check the reworked pieces again
            'operation_id': self.operation_id.id, 'capacity': self.capacity,
            'state': 'ready', 'qty_producing': nonconformance.qty,
            # no standard time: all of a rework order's time is rework, not efficiency variance
            'duration_expected': 0.0,
            'mes_is_rework': True, 'mes_rework_of_id': self.id,
            'mes_rework_nonconformance_id': nonconformance.id, 'mes_rework_qty': nonconformance.qty,
        }

    def _mes_record_rework(self):
        """Odoo's own produce button on a rework work order: the components reported on it
        are kept, and the reworked pieces counted (see ``_mes_count_rework``)."""
        self.ensure_one()
        if float_compare(self.qty_producing, 0.0, precision_digits=6) <= 0:
            raise MesRefusal(errors.QtyNotPositive(qty=self.qty_producing))
        for line in self.active_move_line_ids:
            if line.qty_done > 0:
                line.done_wo = True
            else:
                line.sudo().unlink()
        return self._mes_count_rework(self.qty_producing)

    def _mes_count_rework(self, qty):
        """``produce`` on a rework work order counts the reworked pieces, nothing more: the
        finished goods were counted when first made, and no next operation waits on it."""
        self.ensure_one()
        produced = self.qty_produced + qty
        self.write({'qty_produced': produced, 'qty_producing': max(self.mes_rework_qty - produced, 0.0)})
        return True
