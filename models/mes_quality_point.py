from odoo import fields, models


class MesQualityPoint(models.Model):
    """Where and what to check: per product (or category) and operation."""
    _name = 'mes.quality.point'
    _description = 'Quality control point'
    _order = 'sequence, id'

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one('product.product')
    product_categ_id = fields.Many2one('product.category', 'Product category')
    operation_id = fields.Many2one('mrp.routing.workcenter', 'Operation')
    kind = fields.Selection([('passfail', 'Pass / fail'), ('measure', 'Measurement'),
                             ('instruction', 'Instruction to acknowledge')], default='passfail', required=True)
    nominal = fields.Float()
    tolerance_min = fields.Float('Lower limit')
    tolerance_max = fields.Float('Upper limit')
    unit = fields.Char()
    instructions = fields.Text()
    active = fields.Boolean(default=True)

    def applies_to(self, workorder):
        self.ensure_one()
        product = workorder.production_id.product_id
        if self.operation_id and self.operation_id != workorder.operation_id:
            return False
        if self.product_id and self.product_id != product:
            return False
        if self.product_categ_id and self.product_categ_id != product.categ_id:
            return False
        return True
