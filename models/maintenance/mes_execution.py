"""A maintenance request asked for on a tablet (event ``maintenance_request`` {note}): the
record path only stores and folds it; the posting opens the maintenance.request on the work
center's equipment, once per event (a unique link to the event)."""
import json

from odoo import _, fields, models


class MesExecutionMaintenance(models.Model):
    _inherit = 'mes.execution'

    def _post_difference(self, posting):
        costed = super()._post_difference(posting)
        new = json.loads(self.state_json or 'null') or {}
        old = json.loads(posting.state_json or 'null') or {}
        asked = [uid for uid in new.get('maintenance', []) if uid not in old.get('maintenance', [])]
        if asked:
            self._mes_open_maintenance_requests(asked)
        return costed

    def _mes_open_maintenance_requests(self, event_uids):
        Request = self.env['maintenance.request'].sudo()
        events = self.env['mes.event'].sudo().search([('event_uid', 'in', event_uids)], order='corrected_at, id')
        for event in events:
            if Request.search_count([('mes_event_id', '=', event.id)]):
                continue   # posted before (a posting retried after a lost answer)
            Request.create(self._mes_request_vals(event))

    def _mes_request_vals(self, event):
        wo = self.workorder_id
        wc = wo.workcenter_id
        equipment = wc.mes_equipment_id
        note = json.loads(event.data_json or '{}').get('note') or ''
        at = fields.Datetime.from_string(event.corrected_at)
        lines = [_('Asked for at %s on the terminal %s: %s') % (wc.name, event.terminal_id.name or '', note),
                 _('At %s.') % wc._mes_local_str(at),
                 _('Work order: %s (%s).') % (wo.name, wo.production_id.name)]
        if event.employee_id:
            lines.append(_('Asked for by: %s.') % event.employee_id.name)
        if not equipment:
            lines.append(_('The work center has no equipment set (work center form, Shop floor tab).'))
        values = {
            'name': _('Maintenance at %s: %s') % (wc.name, note),
            'maintenance_type': 'corrective', 'mes_event_id': event.id,
            'request_date': fields.Date.to_string(wc._mes_local_date(at)),
            'description': '\n'.join(lines),
        }
        if equipment:
            values['equipment_id'] = equipment.id
            technician = equipment.technician_user_id or equipment.category_id.technician_user_id
            if technician:
                values['technician_user_id'] = technician.id
            if equipment.maintenance_team_id:
                values['maintenance_team_id'] = equipment.maintenance_team_id.id
        return values
