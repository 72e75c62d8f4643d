"""MTBF and MTTR of a machine from its corrective maintenance requests and the run time the
shop floor recorded on its work centers (``services.oee.mtbf_mttr``)."""
from datetime import datetime, time, timedelta

from odoo import fields, models

from ...services import oee, ordering, server_time

RELIABILITY_DAYS_PARAM = 'shopfloor_mes.reliability_days'
DEFAULT_RELIABILITY_DAYS = 90


class MaintenanceEquipmentReliability(models.Model):
    _inherit = 'maintenance.equipment'

    mes_workcenter_ids = fields.One2many('mrp.workcenter', 'mes_equipment_id', 'Work centers')
    mes_failure_count = fields.Integer('Failures', compute='_compute_mes_reliability',
                                       help='Corrective maintenance requests in the window.')
    mes_operating_hours = fields.Float('Run hours', compute='_compute_mes_reliability',
                                       help='Run time of its work centers in the window.')
    mes_mtbf_hours = fields.Float('MTBF (h)', compute='_compute_mes_reliability', digits=(16, 1),
                                  help='Mean time between failures: run hours / failures.')
    mes_mttr_hours = fields.Float('MTTR (h)', compute='_compute_mes_reliability', digits=(16, 2),
                                  help='Mean time to repair: repair hours / failures. A request opened '
                                       'from a downtime is repaired when the downtime ends; one '
                                       'entered by hand counts its duration.')
    mes_reliability_days = fields.Integer('Window (days)', compute='_compute_mes_reliability')

    def _compute_mes_reliability(self):
        days = self._mes_reliability_days()
        now = datetime.utcnow()
        since = now - timedelta(days=days)
        for equipment in self:
            result = equipment._mes_reliability(since, now)
            equipment.mes_reliability_days = days
            equipment.mes_failure_count = result.failures
            equipment.mes_operating_hours = result.operating_minutes / 60.0
            equipment.mes_mtbf_hours = (result.mtbf or 0.0) / 60.0
            equipment.mes_mttr_hours = (result.mttr or 0.0) / 60.0

    def _mes_reliability_days(self):
        value = self.env['ir.config_parameter'].sudo().get_param(RELIABILITY_DAYS_PARAM, DEFAULT_RELIABILITY_DAYS)
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_RELIABILITY_DAYS

    def _mes_reliability(self, since, now):
        """``services.oee.Reliability`` between ``since`` and ``now`` (naive UTC)."""
        self.ensure_one()
        requests = self.env['maintenance.request'].sudo().search([
            ('equipment_id', '=', self.id), ('maintenance_type', '=', 'corrective'),
            ('request_date', '>=', fields.Date.to_string(since.date()))])
        breakdowns = [_repair_interval(r) for r in requests]
        return oee.mtbf_mttr([b for b in breakdowns if b], self._mes_run_minutes(since, now), now=now)

    def _mes_run_minutes(self, since, now):
        logs = self.env['mrp.workcenter.productivity'].sudo().search([
            ('workcenter_id', 'in', self.mes_workcenter_ids.ids), ('mes_machine_time', '=', True),
            ('date_start', '<', fields.Datetime.to_string(now)),
            '|', ('date_end', '=', False), ('date_end', '>', fields.Datetime.to_string(since))])
        spans = [(max(server_time.parse(log.date_start), since),
                  min(server_time.parse(log.date_end) if log.date_end else now, now)) for log in logs]
        # Two work centers on one machine count its run time once.
        return ordering.minutes(ordering.union([s for s in spans if s[1] > s[0]]))


def _repair_interval(request):
    """From the stop to running again (open: up to now); for a request entered by hand, its
    scheduled or requested time plus its duration (hours)."""
    down = request.mes_productivity_id
    if down:
        return (server_time.parse(down.date_start), server_time.parse(down.date_end) if down.date_end else None)
    if not (request.schedule_date or request.request_date):
        return None
    start = server_time.parse(request.schedule_date) if request.schedule_date else datetime.combine(
        fields.Date.from_string(request.request_date), time())
    return (start, start + timedelta(hours=request.duration or 0.0))
