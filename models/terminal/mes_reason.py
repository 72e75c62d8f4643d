from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
    complete_name = fields.Char('Full name', compute='_compute_complete_name', store=True)
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

    @api.depends('name', 'parent_id.name')
    def _compute_complete_name(self):
        for reason in self:
            names = [reason.parent_id.name, reason.name] if reason.parent_id else [reason.name]
            reason.complete_name = ' / '.join(n for n in names if n)

    @api.constrains('parent_id', 'kind', 'is_category', 'loss_id', 'is_planned', 'is_breakdown')
    def _check_tree(self):
        """Two levels: categories, then reasons of the same kind; a downtime maps onto a loss,
        never onto productive time; a planned stop is not a breakdown."""
        for reason in self:
            parent = reason.parent_id
            if parent and (not parent.is_category or parent.kind != reason.kind or reason.is_category):
                raise ValidationError(_('Reason %s: its category must be a %s category, and a category '
                                        'cannot sit inside another.') % (reason.code, reason.kind))
            if reason.loss_id.loss_type == 'productive':
                raise ValidationError(_('Reason %s: a downtime cannot be booked on productive time; pick '
                                        'an availability, performance or quality loss.') % reason.code)
            if reason.is_planned and reason.is_breakdown:
                raise ValidationError(_('Reason %s: a planned stop is not a breakdown; untick one of '
                                        'the two.') % reason.code)

    @api.onchange('parent_id')
    def _onchange_parent_id(self):
        """A new reason takes its category's planned flag and the loss of its siblings."""
        if self.parent_id and not self.loss_id:
            self.is_planned = self.parent_id.is_planned
            self.loss_id = self.parent_id.child_ids.filtered('loss_id')[:1].loss_id
