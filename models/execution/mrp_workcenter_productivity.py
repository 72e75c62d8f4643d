from odoo import fields, models

from .mrp_workcenter import MONEY_GROUPS


class MrpWorkcenterProductivityExecution(models.Model):
    """Odoo's time log of a work center; the MES writes run time and downtime here."""
    _inherit = 'mrp.workcenter.productivity'

    mes_reason_id = fields.Many2one('mes.reason', 'Downtime reason', index=True)
    mes_event_id = fields.Many2one('mes.event', 'Reported by event', index=True)
    mes_hourly_rate = fields.Float('Machine rate', digits=(16, 2), readonly=True, groups=MONEY_GROUPS,
                                   help='The work center\'s cost per hour when this run time was recorded.')
    mes_machine_time = fields.Boolean(
        'MES run time', index=True,
        help='Run time derived from operators\' labor logs: the union of their intervals '
             'minus downtime, so several operators on one order count the machine once.')
