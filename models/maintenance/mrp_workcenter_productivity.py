"""A downtime with a breakdown reason opens a maintenance request on the work center's
equipment in one step; the request keeps the link back to the downtime it came from."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from ..shared.access import caller


class MrpWorkcenterProductivityMaintenance(models.Model):
    _inherit = 'mrp.workcenter.productivity'

    mes_is_breakdown = fields.Boolean(related='mes_reason_id.is_breakdown', readonly=True)
    mes_is_planned = fields.Boolean(related='mes_reason_id.is_planned', readonly=True)
    mes_maintenance_request_id = fields.Many2one('maintenance.request', 'Maintenance request', readonly=True,
                                                 copy=False, ondelete='set null')

    @caller()
    def action_mes_maintenance_request(self):
        """Open the maintenance request of this breakdown, creating it on the work center's
        equipment the first time."""
        self.ensure_one()
        if not self.mes_reason_id.is_breakdown:
            raise UserError(_('Only a downtime with a breakdown reason opens a maintenance request; '
                              'this one is "%s". Mark the reason as a breakdown, or open the request '
                              'from Maintenance.') % (self.mes_reason_id.name or self.loss_id.name))
        if not self.mes_maintenance_request_id:
            equipment = self.workcenter_id.mes_equipment_id
            if not equipment:
                raise UserError(_('To open a maintenance request for %s, set the work center\'s '
                                  'equipment first (work center form, Shop floor tab).') % self.workcenter_id.name)
            request = self.env['maintenance.request'].create(self._mes_prepare_request_vals(equipment))
            self.sudo().write({'mes_maintenance_request_id': request.id})
        return {'type': 'ir.actions.act_window', 'res_model': 'maintenance.request', 'view_mode': 'form',
                'views': [(False, 'form')], 'res_id': self.mes_maintenance_request_id.id,
                'name': _('Maintenance request')}

    def _mes_prepare_request_vals(self, equipment):
        wc = self.workcenter_id
        start = fields.Datetime.from_string(self.date_start)
        lines = [_('Breakdown reported at %s: %s.') % (wc.name, self.mes_reason_id.display_name),
                 _('Down since %s.') % wc._mes_local_str(start)]
        if self.workorder_id:
            lines.append(_('Work order: %s (%s).') % (self.workorder_id.name, self.workorder_id.production_id.name))
        if self.mes_event_id.employee_id:
            lines.append(_('Reported by: %s.') % self.mes_event_id.employee_id.name)
        values = {
            'name': _('Breakdown at %s: %s') % (wc.name, self.mes_reason_id.name),
            'equipment_id': equipment.id, 'maintenance_type': 'corrective', 'priority': '3',
            'request_date': fields.Date.to_string(wc._mes_local_date(start)),
            'description': '\n'.join(lines), 'mes_productivity_id': self.id,
            'technician_user_id': (equipment.technician_user_id or equipment.category_id.technician_user_id).id,
        }
        if equipment.maintenance_team_id:
            values['maintenance_team_id'] = equipment.maintenance_team_id.id
        return values

    @api.model
    def _mes_downtime_action(self, domain, name):
        """The downtime list (reason, times, maintenance request) on ``domain``."""
        action = self.env.ref('shopfloor_mes.mes_downtime_action').read()[0]
        action.update({'domain': domain, 'name': name, 'context': {'create': False}})
        return action
