from odoo import _, models

from ..models.guard.mrp_guard import _refuse_unless_planner


class ChangeProductionQty(models.TransientModel):
    """Odoo's "Update quantity" is planning: it also resets each work order's quantity to
    produce (and its state when the new quantity is already made), which the guard above keeps
    from planners. It runs as the superuser once the caller is known to be a planner who may
    change the order."""
    _inherit = 'change.production.qty'

    def change_prod_qty(self):
        _refuse_unless_planner(self.mapped('mo_id'), _('change'))
        self.mapped('mo_id').check_access_rights('write')
        self.mapped('mo_id').check_access_rule('write')
        return super(ChangeProductionQty, self.sudo()).change_prod_qty()
