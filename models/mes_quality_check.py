from odoo import fields, models


class MesQualityCheck(models.Model):
    """One check done at the machine, as reported by a terminal's ``check`` event."""
    _name = 'mes.quality.check'
    _description = 'Quality check'
    _order = 'checked_at desc, id desc'

    point_id = fields.Many2one('mes.quality.point', required=True, ondelete='restrict', index=True)
    workorder_id = fields.Many2one('mrp.workorder', required=True, index=True, ondelete='restrict')
    production_id = fields.Many2one(related='workorder_id.production_id', store=True, readonly=True)
    employee_id = fields.Many2one('hr.employee')
    result = fields.Selection([('pass', 'Pass'), ('fail', 'Fail')], required=True)
    value = fields.Float('Measured value')
    has_value = fields.Boolean()
    note = fields.Char()
    checked_at = fields.Datetime(required=True)
    event_id = fields.Many2one('mes.event', readonly=True)
