"""Events made on the server, not by a terminal: a supervisor's correction of a labor log.

A correction is a new row of the append-only inbox that names who made it, why, and what it
replaces. Once its own rules pass (an interval given whole: in the past, stop after start, no
overlap, not after the finish), it adds to the work order's history a start and a stop that
supersede the interval's (``corrects``), judged by the same fold as a terminal's events; the
labor log that follows points back at the correction. The terminal contract does not know these
types (``services/contract.py`` answers ``type_unknown``), so no terminal can send one.

A supervisor corrects what a held or rejected event says, and resubmits it.

The correction is an event of its own: the same fact (type, work order, operator, time, the
terminal that sent it) with the corrected data, recorded through the same record stage as a
terminal's, naming the original (``corrects_uid``). The fold then marks the original
``superseded``; an original the fold never saw (refused before it) is marked so here. Who made
the correction and why stay on the new event. A correction that is refused too changes nothing.
"""
import json
import uuid
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ...services import contract, errors, ordering, server_time
from ...services.execution_records import ERRORS_BY_CODE
from ..execution.mes_event_record import workorder_name as _wo_name
from ..execution.mes_execution import FUTURE_TOLERANCE_PARAM
from ..shared.access import SUPERVISOR, caller
from .mes_event import INTERNAL

DEFAULT_FUTURE_TOLERANCE = 120   # the fold's default (services/execution_records.py)

LABOR_CORRECTION = 'labor_correction'
SERVER_TYPES = (LABOR_CORRECTION,)


# The parts of an event's data a supervisor may correct (the wizard's fields).
CORRECTABLE = ('qty', 'reason', 'lot')


class _Refused(Exception):
    """The corrected event was refused: undo its recording."""


class MesEventCorrection(models.Model):
    _inherit = 'mes.event'

    made_by = fields.Many2one('res.users', 'Made by', readonly=True,
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
                'was': {'date_start': server_time.iso(log.date_start), 'date_stop': server_time.iso(log.date_stop)},
                'date_start': server_time.iso(date_start), 'date_stop': server_time.iso(date_stop),
                'employee_id': log.employee_id.id, 'reason': (reason or '').strip()}
        parsed = contract.Event(str(uuid.uuid4()), None, LABOR_CORRECTION, log.workorder_id.id,
                                log.employee_id.barcode or '', now, data)
        raw = {'schema': contract.SUPPORTED_SCHEMAS[-1], 'id': parsed.id, 'type': parsed.type,
               'workorder_id': parsed.workorder_id, 'employee_id': log.employee_id.id,
               'at': contract.format_time(now), 'made_by': self.env.user.login, 'data': data}
        stamp = fields.Datetime.to_string(now)
        event = self.sudo().with_context(**{INTERNAL: True}).create({
            'event_uid': parsed.id, 'raw': json.dumps(raw, ensure_ascii=False, sort_keys=True),
            'type': parsed.type, 'workorder_ref': log.workorder_id.id, 'workorder_id': log.workorder_id.id,
            'workcenter_id': log.workcenter_id.id, 'employee_id': log.employee_id.id,
            'terminal_at': stamp, 'received_at': stamp, 'corrected_at': stamp, 'clock_offset_ms': 0,
            'made_by': self.env.uid, 'correction_reason': data['reason']})
        try:
            with self.env.cr.savepoint():
                self.sudo()._check_labor_correction(log, data, now)
                event._supersede_interval(log, data, now)
        except errors.MesError as exc:
            event._set_state('dead', error_code=exc.code, error_message=exc.message)
        else:
            event.with_context(**{INTERNAL: True}).sudo().write({'state': 'applied', 'applied_at': stamp})
        return event

    def _supersede_interval(self, log, data, now):
        """The start and stop, made by the supervisor, that replace ``log``'s in the fold."""
        self.ensure_one()
        wo = log.workorder_id
        stop_replaces = log.stop_event_id if not log.closed_by_finish else self.browse()
        Event = self.sudo().with_context(**{INTERNAL: True})
        pair = Event.browse()
        for etype, at, replaces in (('start', data['date_start'], log.start_event_id),
                                    ('stop', data['date_stop'], stop_replaces)):
            stamp = fields.Datetime.to_string(contract.parse_time(at, 'data.date_' + etype))
            uid = str(uuid.uuid4())
            pair |= Event.create({
                'event_uid': uid, 'raw': json.dumps({'id': uid, 'type': etype, 'correction': self.event_uid,
                                                     'corrects': replaces.event_uid or None, 'at': at},
                                                    sort_keys=True),
                'type': etype, 'workorder_ref': wo.id, 'workorder_id': wo.id, 'workcenter_id': wo.workcenter_id.id,
                'employee_id': log.employee_id.id, 'employee_badge': log.employee_id.barcode or '',
                'terminal_at': stamp, 'corrected_at': stamp, 'received_at': fields.Datetime.to_string(now),
                'clock_offset_ms': 0, 'made_by': self.env.uid, 'correction_reason': data['reason'],
                'folded': True, 'data_json': '{}', 'corrects_uid': replaces.event_uid or False,
                # a supervisor vouches for it: an interval of last week is no late report
                'approved': True})
        executions = self.env['mes.execution'].sudo()._record({event.id: wo for event in pair}, now)
        refused = pair.filtered(lambda e: e.state != 'applied')[:1]
        if refused:   # the history says no (a held interval, a finish before the stop...)
            raise ERRORS_BY_CODE[refused.error_code](refused.error_message)
        executions._post()
        self.env['mes.labor.log'].sudo().search([('start_event_id', '=', pair[0].id)]).write(
            {'correction_event_id': self.id})

    # -- the rules of a correction -------------------------------------------------------------------
    def _check_labor_correction(self, log, data, now):
        """The rules of a start and a stop, for an interval given whole: not in the future
        beyond the tolerance, the stop after the start, not after the work order finished, no
        overlap with the operator's other time on the work order."""
        wo, employee = log.workorder_id, log.employee_id
        if not data.get('reason'):
            raise errors.CorrectionReasonMissing()
        if not data.get('date_stop'):
            raise errors.FieldMissing(field='data.date_stop', type=LABOR_CORRECTION)
        start = contract.parse_time(data['date_start'], 'data.date_start')
        stop = contract.parse_time(data['date_stop'], 'data.date_stop')
        self._refuse_correction_in_future(start, stop, now)
        if stop <= start:
            raise errors.StopBeforeStart(start=server_time.text(start), stop=server_time.text(stop))
        if wo.state == 'done' and server_time.text(stop) > wo.date_finished:
            raise errors.WorkorderFinished(wo=_wo_name(wo), finished=wo.date_finished, type='corrected stop',
                                           at=server_time.text(stop))
        Labor = self.env['mes.labor.log'].sudo()
        others = Labor.search([('workorder_id', '=', wo.id), ('employee_id', '=', employee.id), ('id', '!=', log.id)])
        key = ordering.first_overlap(
            [(o.id, server_time.parse(o.date_start), server_time.parse(o.date_stop)) for o in others], start, stop)
        if key:
            other = Labor.browse(key)
            raise errors.LaborOverlap(employee=employee.name, wo=_wo_name(wo), start=server_time.text(start),
                                      stop=server_time.text(stop), other_start=other.date_start,
                                      other_stop=other.date_stop or _('now (running)'))
        if (log.date_start, log.date_stop) == (server_time.text(start), server_time.text(stop)):
            raise errors.CorrectionUnchanged(start=log.date_start, stop=log.date_stop)

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

    @caller(SUPERVISOR)
    def action_open_data_correction(self):
        self.ensure_one()
        data = json.loads(self.data_json or '{}') if self.data_json else (json.loads(self.raw).get('data') or {})
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.event.data.correction', 'view_mode': 'form',
                'target': 'new', 'name': _('Correct and resubmit'),
                'context': {'default_event_id': self.id, 'default_qty': data.get('qty') or 0.0,
                            'default_reason_code': data.get('reason') or False,
                            'default_lot': data.get('lot') or False}}

    def _correct_data(self, changes, why, made_by):
        """Record ``made_by``'s correction of this held or rejected event; returns the new event."""
        self.ensure_one()
        if self.state not in ('held', 'dead'):
            raise UserError(_('Only held or rejected events can be corrected; %s is %s.')
                            % (self._sent_uid(), self.state))
        if not (why or '').strip():
            raise UserError(_('Say why the event is corrected (field "Why"): the reason is kept with it.'))
        raw = json.loads(self.raw)
        if not isinstance(raw, dict) or not isinstance(raw.get('data', {}), dict) or not raw.get('id'):
            raise UserError(_('This event cannot be read as a terminal event; discard it and enter the fact again.'))
        unknown = set(changes) - set(CORRECTABLE)
        if unknown:
            raise UserError(_('Only %s can be corrected, not %s.')
                            % (', '.join(sorted(CORRECTABLE)), ', '.join(sorted(unknown))))
        data = dict(raw.get('data') or {}, **changes)
        corrected = dict(raw, id=str(uuid.uuid4()), data=data)
        # judged as on the original's receipt: the same clock offset, the same age
        received = fields.Datetime.from_string(self.received_at)
        sent = received - timedelta(milliseconds=self.clock_offset_ms or 0)
        Event = self.sudo()
        try:
            with self.env.cr.savepoint():   # a refused correction leaves no row behind
                # the original's offset, not a sample of the terminal's clock: the terminal keeps its own
                clock = ordering.ClockSample(received - sent, False)
                results, executions = Event._record_batch(self.terminal_id, [corrected], sent, received, clock=clock)
                if results[0]['status'] != 'applied':
                    raise _Refused(results[0].get('error') or {})
        except _Refused as refused:
            self.invalidate_cache()   # the savepoint rolled back the rows, not the ORM's cache
            error = refused.args[0]
            raise UserError(_('The corrected event is refused too (%s: %s); nothing was changed.')
                            % (error.get('code'), error.get('message')))
        new = Event.search([('event_uid', '=', corrected['id'])])
        new.with_context(**{INTERNAL: True}).write({'corrects_uid': self.event_uid, 'made_by': made_by.id,
                                                     'correction_reason': why.strip()})
        if not self.folded:   # refused before the fold: the fold cannot supersede it
            self._set_state('superseded', blocked_by_uid=new.event_uid)
        (new | self).invalidate_cache()
        new._rejudge()   # the fold sees the link: the original is superseded
        executions._post()
        return new
