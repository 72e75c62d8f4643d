from odoo import api, fields, models


class MesReason(models.Model):
    """A scrap or downtime reason, as a small tree: categories group reasons.

    Terminals send the reason's ``code``; each downtime reason maps onto one of Odoo's loss
    records, which gives its loss type (availability, performance, quality) for OEE.
    """
    _name = 'mes.reason'
    _description = 'Scrap or downtime reason'
    _order = 'kind, sequence, code'
    _parent_store = False

    code = fields.Char(required=True, index=True, help='What the terminal sends; unique.')
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection([('scrap', 'Scrap'), ('downtime', 'Downtime')], required=True)
    parent_id = fields.Many2one('mes.reason', 'Category', ondelete='restrict',
                                domain="[('is_category', '=', True), ('kind', '=', kind)]")
    child_ids = fields.One2many('mes.reason', 'parent_id', 'Reasons')
    is_category = fields.Boolean(help='A category groups reasons; terminals cannot pick it.')
    loss_id = fields.Many2one('mrp.workcenter.productivity.loss', 'Odoo loss',
                              help='For downtime: the loss record the time is booked on.')
    loss_type = fields.Selection(related='loss_id.loss_type', store=True, readonly=True)
    is_planned = fields.Boolean('Planned stop', help='Breaks, changeovers and planned '
                                'maintenance: excluded from planned production time in OEE.')
    is_breakdown = fields.Boolean(help='A breakdown can open a maintenance request.')
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [('code_uniq', 'unique (code)', 'A reason code must be unique.')]

    @api.depends('code', 'name')
    def name_get(self):
        return [(r.id, '%s — %s' % (r.code, r.name)) for r in self]
