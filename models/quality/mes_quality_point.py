import math

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services import errors
from .mes_access import caller

KINDS = [('passfail', 'Pass / fail'), ('measure', 'Measurement'),
         ('instruction', 'Instruction to acknowledge')]
FREQUENCIES = [('first', 'First piece of a run'), ('every', 'Every unit'), ('nth', 'Every Nth unit')]


class MesQualityPoint(models.Model):
    """Where and what to check: per product (or category) and operation, and how often.

    When a check is due on a work order (the rule ``due_pieces`` below, applied by
    ``mrp.workorder._mes_quality_schedule``):

    - first piece of a run: one check, for piece 1, due as soon as the work order starts (its
      first ``start``, or its first ``check``/``produce`` if no start was reported). A run is
      one work order, so a rework work order on the same operation has its own first piece.
    - every Nth unit: one check for each multiple of N the good quantity produced reaches or
      crosses (pieces N, 2N, 3N, ...); a ``produce`` that crosses two multiples makes two.
    - every unit: the same with N = 1, one check per good unit produced.

    A blocking point holds the work order: ``produce`` and ``finish`` are refused while one of
    its checks there is still to do, or while its latest check failed (a new check that passes
    clears it). A non-blocking check still to do when the work order finishes is *missed*.
    """
    _name = 'mes.quality.point'
    _description = 'Quality control point'
    _order = 'sequence, id'

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one('product.product', help='Empty: every product (of the category).')
    product_categ_id = fields.Many2one('product.category', 'Product category',
                                       help='Empty: products of every category.')
    operation_id = fields.Many2one('mrp.routing.workcenter', 'Operation',
                                   help='Empty: every operation of the product.')
    kind = fields.Selection(KINDS, default='passfail', required=True)
    nominal = fields.Float()
    tolerance_min = fields.Float('Lower limit', help='Lower specification limit (LSL), inclusive.')
    tolerance_max = fields.Float('Upper limit', help='Upper specification limit (USL), inclusive.')
    unit = fields.Char()
    instructions = fields.Text()
    frequency = fields.Selection(
        FREQUENCIES, default='first', required=True,
        help='First piece: once per work order, due at its start. Every Nth unit: due each time '
             'the good quantity produced reaches a multiple of N. Every unit: N = 1.')
    frequency_n = fields.Integer('Every N units', default=10)
    blocking = fields.Boolean(
        help='Produce and finish are refused on the work order while a check of this point is '
             'to do there or its latest check failed.')
    reason_id = fields.Many2one('mes.reason', 'Defect reason', ondelete='restrict',
                                domain=[('kind', '=', 'scrap'), ('is_category', '=', False)],
                                help='Given to the nonconformance a failed check opens.')
    inspection_minutes = fields.Float(
        'Inspection minutes', help='Standard time one check takes, valued at the inspector\'s '
        'rate in the cost of quality.')
    responsible_id = fields.Many2one(
        'res.users', 'Responsible', help='Gets the to-dos of alerts and nonconformances from '
        'this point; without one, every MES supervisor does.')
    check_ids = fields.One2many('mes.quality.check', 'point_id', 'Checks')
    check_count = fields.Integer('Checks done', compute='_compute_check_count')
    active = fields.Boolean(default=True)

    @api.constrains('kind', 'tolerance_min', 'tolerance_max')
    def _check_limits(self):
        for point in self.filtered(lambda p: p.kind == 'measure'):
            if point.tolerance_min >= point.tolerance_max:
                raise ValidationError(errors.QualityPointLimits(
                    point=point.name, lower=point.tolerance_min, upper=point.tolerance_max).message)

    @api.constrains('frequency', 'frequency_n')
    def _check_frequency(self):
        for point in self.filtered(lambda p: p.frequency == 'nth' and p.frequency_n < 1):
            raise ValidationError(_('%s: "Every N units" must be 1 or more.') % point.name)

    def _compute_check_count(self):
        counts = dict((row['point_id'][0], row['point_id_count']) for row in self.env['mes.quality.check'].read_group(
            [('point_id', 'in', self.ids), ('state', '=', 'done')], ['point_id'], ['point_id']))
        for point in self:
            point.check_count = counts.get(point.id, 0)

    def _applies_to(self, workorder):
        self.ensure_one()
        product = workorder.production_id.product_id
        if self.operation_id and self.operation_id != workorder.operation_id:
            return False
        if self.product_id and self.product_id != product:
            return False
        if self.product_categ_id and self.product_categ_id != product.categ_id:
            return False
        return True

    @api.model
    def _for_workorder(self, workorder):
        """The active points that apply to ``workorder`` (same rule as ``_applies_to``)."""
        product = workorder.production_id.product_id
        return self.search([
            ('operation_id', 'in', [False, workorder.operation_id.id]),
            ('product_id', 'in', [False, product.id]),
            ('product_categ_id', 'in', [False, product.categ_id.id])])

    def _due_pieces(self, produced, started):
        """Piece numbers this point wants checked on a work order that has ``produced`` good
        units and has (or has not) ``started``."""
        self.ensure_one()
        return due_pieces(self.frequency, self.frequency_n, produced, started)

    @caller()
    def action_open_checks(self):
        action = self.env.ref('shopfloor_mes.mes_quality_check_action').read()[0]
        action.update({'domain': [('point_id', 'in', self.ids)],
                       'context': {'default_point_id': self.id, 'search_default_done': 1}})
        return action


def due_pieces(frequency, every_n, produced, started):
    """The rule of the docstring above, without the ORM: which pieces need a check.

    >>> due_pieces('first', 0, 0, True), due_pieces('nth', 10, 25, True), due_pieces('every', 0, 3.5, True)
    ([1], [10, 20], [1, 2, 3])
    """
    if frequency == 'first':
        return [1] if started else []
    step = 1 if frequency == 'every' else max(int(every_n), 1)
    whole = int(math.floor(produced + 1e-6))
    return list(range(step, whole + 1, step))
