"""Events made on the server, not by a terminal: a supervisor's correction of a labor log.

A correction is a new row of the append-only inbox, judged by the same verdict path as a
terminal's event (``mes.event._judge``: one savepoint, applied or dead with a coded error).
It names who made it, why, and the events whose times it replaces; the labor log it changes
points back at it. The terminal contract does not know these types (``services/contract.py``
answers ``type_unknown``), so no terminal can send one.
"""
import json
import uuid
from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..services import contract, errors, ordering
from .mes_event import INTERNAL
from .mes_event_apply import DEFAULT_FUTURE_TOLERANCE, FUTURE_TOLERANCE_PARAM, _intervals, _mark_started, _wo_name

SUPERVISOR = 'shopfloor_mes.group_mes_supervisor'
LABOR_CORRECTION = 'labor_correction'
SERVER_TYPES = (LABOR_CORRECTION,)


class MesEventCorrection(models.Model):
    _inherit = 'mes.event'

    made_by = fields.Many2one('res.users', 'Made by', readonly=True, index=True,
                              help='The user who made this event on the server (a correction); '
                                   'empty for what a terminal sent.')
    correction_reason = fields.Text('Why', readonly=True)

    # -- recording -----------------------------------------------------------------------------
    @api.model
    def _record_labor_correction(self, log, date_start, date_stop, reason):
        """Store a correction of ``log`` to ``date_start``..``date_stop`` (naive UTC datetimes)
        made by the current user, judge it, and return the event, applied or dead."""
        now = datetime.utcnow().replace(microsecond=0)
        log = log.sudo()
        replaces = log.correction_event_id or (log.start_event_id | log.stop_event_id)
        data = {'log_id': log.id, 'replaces': replaces.mapped('event_uid'),
                'was': {'date_start': _iso(log.date_start), 'date_stop': _iso(log.date_stop)},
                'date_start': _iso(date_start), 'date_stop': _iso(date_stop),
                'employee_id': log.employee_id.id, 'reason': (reason or '').strip()}
        parsed = contract.Event(str(uuid.uuid4()), None, LABOR_CORRECTION, log.workorder_id.id,
                                log.employee_id.barcode or '', now, data)
        raw = {'schema': contract.SUPPORTED_SCHEMAS[-1], 'id': parsed.id, 'type': parsed.type,
               'workorder_id': parsed.workorder_id, 'employee_id': log.employee_id.id,
               'at': contract.format_time(now), 'made_by': self.env.user.login, 'data': data}
        stamp = fields.Datetime.to_string(now)
        event = self.sudo().with_context(**{INTERNAL: True, 'mes_batch': None}).create({
            'event_uid': parsed.id, 'raw': json.dumps(raw, ensure_ascii=False, sort_keys=True),
            'type': parsed.type, 'workorder_ref': log.workorder_id.id, 'workorder_id': log.workorder_id.id,
            'workcenter_id': log.workcenter_id.id, 'employee_id': log.employee_id.id,
            'terminal_at': stamp, 'received_at': stamp, 'corrected_at': stamp, 'clock_offset_ms': 0,
            'made_by': self.env.uid, 'correction_reason': data['reason']})
        event.with_context(**{INTERNAL: False})._judge(parsed, self.env['mes.terminal'])
        return event

    # -- the verdict path, for server-side types -------------------------------------------------
    def _resolve_refs(self, parsed):
        if parsed.type not in SERVER_TYPES:
            return super()._resolve_refs(parsed)
        env = self.sudo().env
        wo = env['mrp.workorder'].browse(parsed.workorder_id).exists()
        employee = env['hr.employee'].browse(parsed.data['employee_id']).exists()
        links = {'workorder_id': wo.id, 'workcenter_id': wo.workcenter_id.id, 'employee_id': employee.id,
                 'corrected_at': fields.Datetime.to_string(parsed.at)}
        return (wo, employee, parsed.at), links

    def _apply(self, parsed, terminal, wo, employee, at):
        if parsed.type not in SERVER_TYPES:
            return super()._apply(parsed, terminal, wo, employee, at)
        if not wo:
            raise errors.WorkorderUnknown(id=parsed.workorder_id)
        if wo.state == 'cancel':
            raise errors.WorkorderCancelled(wo=_wo_name(wo))
        return getattr(self, '_apply_' + parsed.type)(wo, employee, at, parsed.data)

    def _apply_labor_correction(self, wo, employee, at, data):
        """The rules of a start and a stop, for an interval given whole: not in the future
        beyond the tolerance, the stop after the start, not after the work order finished, no
        overlap with the operator's other time on the work order. Then the log takes the new
        times and run time and cost follow, as after a stop."""
        Labor = self.env['mes.labor.log'].sudo()
        log = Labor.browse(data['log_id']).exists()
        if not log or log.workorder_id != wo or log.employee_id != employee:
            raise errors.LaborLogUnknown(id=data['log_id'], employee=employee.name, wo=_wo_name(wo))
        if not data.get('reason'):
            raise errors.CorrectionReasonMissing()
        if not data.get('date_stop'):
            raise errors.FieldMissing(field='data.date_stop', type=LABOR_CORRECTION)
        start = contract.parse_time(data['date_start'], 'data.date_start')
        stop = contract.parse_time(data['date_stop'], 'data.date_stop')
        self._refuse_correction_in_future(start, stop, at)
        if stop <= start:
            raise errors.StopBeforeStart(start=_text(start), stop=_text(stop))
        if wo.state == 'done' and _text(stop) > wo.date_finished:
            raise errors.WorkorderFinished(wo=_wo_name(wo), finished=wo.date_finished, type='corrected stop',
                                           at=_text(stop))
        others = Labor.search([('workorder_id', '=', wo.id), ('employee_id', '=', employee.id), ('id', '!=', log.id)])
        key = ordering.first_overlap(_intervals(others, 'date_start', 'date_stop'), start, stop)
        if key:
            other = Labor.browse(key)
            raise errors.LaborOverlap(employee=employee.name, wo=_wo_name(wo), start=_text(start), stop=_text(stop),
                                      other_start=other.date_start, other_stop=other.date_stop or _('now (running)'))
        if (log.date_start, log.date_stop) == (_text(start), _text(stop)):
            raise errors.CorrectionUnchanged(start=log.date_start, stop=log.date_stop)
        log.write({'date_start': _text(start), 'date_stop': _text(stop), 'closed_by_finish': False,
                   'correction_event_id': self.id})
        _mark_started(wo, start)
        wo._mes_time_changed()

    def _refuse_correction_in_future(self, start, stop, now):
        tolerance = int(self.env['ir.config_parameter'].sudo().get_param(
            FUTURE_TOLERANCE_PARAM, DEFAULT_FUTURE_TOLERANCE))
        for name, moment in (('start', start), ('stop', stop)):
            ahead = ordering.seconds_in_future(moment, now)
            if ahead > tolerance:
                raise errors.TimeInFuture(
                    _('The corrected %s %s UTC is %s s after now (tolerance %s s): a correction records '
                      'what happened, not what will. Enter a time that has passed.')
                    % (name, contract.format_time(moment), int(ahead), tolerance))

    # -- the dead-letter queue -------------------------------------------------------------------
    def action_retry(self):
        if self.env.user.has_group(SUPERVISOR) and any(event.type in SERVER_TYPES for event in self):
            raise UserError(_('A refused correction is not retried: open the labor log and make a new '
                              'correction with times that the message allows.'))
        return super().action_retry()


def _iso(value):
    if not value:
        return None
    if isinstance(value, str):
        value = fields.Datetime.from_string(value)
    return contract.format_time(value)


def _text(moment):
    return fields.Datetime.to_string(moment)
