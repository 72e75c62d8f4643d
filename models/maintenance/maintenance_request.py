from odoo import fields, models


class MaintenanceRequestFromShopFloor(models.Model):
    """A request opened from a shop-floor breakdown keeps its downtime: the repair time MTTR
    counts is that downtime, from the stop to the machine running again."""
    _inherit = 'maintenance.request'

    mes_productivity_id = fields.Many2one('mrp.workcenter.productivity', 'Shop floor downtime',
                                          readonly=True, copy=False, ondelete='set null', index=True)
    mes_workcenter_id = fields.Many2one(related='mes_productivity_id.workcenter_id', readonly=True)
    mes_down_from = fields.Datetime(related='mes_productivity_id.date_start', readonly=True, string='Down from')
    mes_down_until = fields.Datetime(related='mes_productivity_id.date_end', readonly=True, string='Running again at')

    mes_event_id = fields.Many2one('mes.event', 'Asked for on the terminal', readonly=True, copy=False,
                                   index=True, ondelete='set null')

    _sql_constraints = [('mes_event_unique', 'unique(mes_event_id)',
                         'One maintenance request per terminal event.')]
