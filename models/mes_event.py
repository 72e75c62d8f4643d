import json
import logging
from datetime import datetime, timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services import contract, errors, ordering
from .mes_batch import MesBatch
from .mes_access import SUPERVISOR, caller, superuser_only

_logger = logging.getLogger(__name__)

STATES = [
    ('received', 'Received'),   # stored, not judged yet (only ever seen inside a transaction)
    ('applied', 'Applied'),
    ('dead', 'Rejected'),       # the dead-letter queue: a supervisor fixes the cause and retries
    ('discarded', 'Discarded'),
]
# Which state may follow which; every change of state goes through _set_state.
TRANSITIONS = {
    ('received', 'applied'), ('received', 'dead'),
    ('dead', 'applied'), ('dead', 'dead'), ('dead', 'discarded'),
}
INTERNAL = 'mes_event_internal'


class MesEvent(models.Model):
    """The append-only inbox: one row per event a terminal sent, stored before it is judged.

    A repeat of an event id is not a new row: the first row counts it and the API answers
    ``duplicate`` with the first row's outcome. Rows are never deleted; corrections are new
    facts (a retry, a discard with its reason), each naming who did it.
    """
    _name = 'mes.event'
    _description = 'Terminal event (inbox)'
    _order = 'received_at desc, id desc'

    event_uid = fields.Char('Event id', readonly=True, index=True,
                            help='Made by the terminal; the key of idempotency.')
    raw = fields.Text('Raw JSON', readonly=True, required=True)
    terminal_id = fields.Many2one('mes.terminal', readonly=True, index=True, ondelete='restrict')
    seq = fields.Integer(readonly=True)
    type = fields.Char(readonly=True, index=True)
    workorder_ref = fields.Integer('Work order id sent', readonly=True)
    workorder_id = fields.Many2one('mrp.workorder', readonly=True, index=True, ondelete='restrict')
    production_id = fields.Many2one(related='workorder_id.production_id', store=True, readonly=True)
    workcenter_id = fields.Many2one('mrp.workcenter', readonly=True, index=True)
    employee_badge = fields.Char('Badge sent', readonly=True)
    employee_id = fields.Many2one('hr.employee', readonly=True, index=True)
    qty = fields.Float(readonly=True)
    terminal_at = fields.Datetime('Terminal time', readonly=True)
    received_at = fields.Datetime('Received', readonly=True, required=True, index=True)
    clock_offset_ms = fields.Float(digits=(16, 0), string='Clock offset (ms)', readonly=True,
                                     help='Server receipt minus the terminal\'s sent_at.')
    corrected_at = fields.Datetime('Corrected time', readonly=True, index=True,
                                   help='Terminal time plus the measured clock offset.')
    state = fields.Selection(STATES, default='received', readonly=True, index=True, required=True)
    error_code = fields.Char(readonly=True, index=True)
    error_message = fields.Text(readonly=True)
    applied_at = fields.Datetime(readonly=True)
    repeat_count = fields.Integer('Repeats received', readonly=True)
    last_repeat_at = fields.Datetime(readonly=True)
    retry_count = fields.Integer(readonly=True)
    retried_by = fields.Many2one('res.users', readonly=True)
    retried_at = fields.Datetime(readonly=True)
    discarded_by = fields.Many2one('res.users', readonly=True)
    discarded_at = fields.Datetime(readonly=True)
    discard_reason = fields.Text(readonly=True)
    raw_pretty = fields.Text('Raw JSON (formatted)', compute='_compute_raw_pretty')
    conflict_uid = fields.Char('Reused event id', readonly=True, index=True,
                               help='The id this event was sent with, already taken by an event with other content.')
    conflict_with_id = fields.Many2one('mes.event', 'First event with this id', readonly=True)

    def init(self):
        superuser_only(self)
        # One row per event id, enforced by the database so concurrent requests cannot both
        # store the same event.
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS mes_event_uid_unique
                               ON mes_event (event_uid) WHERE event_uid IS NOT NULL""")

    def _compute_raw_pretty(self):
        for event in self:
            try:
                event.raw_pretty = json.dumps(json.loads(event.raw), indent=2, ensure_ascii=False)
            except ValueError:
                event.raw_pretty = event.raw

    # -- append-only -------------------------------------------------------------------------
    def write(self, values):
        if not self.env.context.get(INTERNAL):
            raise AccessError(_('Terminal events are append-only: use Retry or Discard.'))
        return super().write(values)

    def unlink(self):
        raise AccessError(_('Terminal events are kept forever; discard a rejected event instead.'))

    def _set_state(self, state, **values):
        for event in self:
            if (event.state, state) not in TRANSITIONS:
                raise UserError(_('Event %s is %s; it cannot become %s.') % (event.event_uid, event.state, state))
        values['state'] = state
        return self.with_context(**{INTERNAL: True}).sudo().write(values)

    # -- ingest ------------------------------------------------------------------------------
    @api.model
    def _ingest(self, terminal, raw_events, sent_at, received_at=None):
        """Store, then judge and apply, a batch from ``terminal``; return one result per event
        in request order. Must run in its own transaction: serialization failures propagate so
        the caller can retry the whole request."""
        received_at = received_at or datetime.utcnow()
        batch = MesBatch()
        self = self.with_context(mes_batch=batch)
        offset = ordering.clock_offset(received_at, sent_at)
        results = [None] * len(raw_events)
        uids = [contract.raw_event_id(raw) for raw in raw_events]
        known = {e.event_uid: e for e in self.sudo().search([('event_uid', 'in', [u for u in uids if u])])}
        fresh = []
        for index, (raw, uid) in enumerate(zip(raw_events, uids)):
            if uid in known:
                first = known[uid]
                if first.raw == _dump(raw):
                    results[index] = first._note_repeat(received_at)
                else:
                    results[index] = self._store_conflict(terminal, raw, first, offset, received_at)
                continue
            event = self._store(terminal, raw, uid, offset, received_at)
            if uid:
                known[uid] = event
            fresh.append((index, event))
        parsed = []
        for index, event in fresh:
            try:
                parsed.append((index, event, contract.parse_event(raw_events[index])))
            except errors.MesError as exc:
                event._reject(exc)
        judged = [parsed[position] for position in ordering.application_order([p[2] for p in parsed])]
        try:
            # Fast path: judge every event, then rebuild run time and cost once per order.
            with self.env.cr.savepoint():
                for index, event, parsed_event in judged:
                    event._judge(parsed_event, terminal)
                batch.flush(self.env)
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            raise
        except Exception:  # noqa: BLE001 - a failure in the deferred work must not lose events
            _logger.exception('MES batch of %s events failed as a whole; judging them one by one', len(judged))
            batch.__init__()
            single = self.with_context(mes_batch=None)
            for index, event, parsed_event in judged:
                single.browse(event.id)._judge(parsed_event, terminal)
        for index, event in fresh:
            results[index] = event._result()
        terminal.sudo().write({'last_seen_at': fields.Datetime.to_string(received_at),
                               'clock_offset_ms': ordering.offset_ms(offset)})
        return results

    @api.model
    def _store(self, terminal, raw, uid, offset, received_at, **extra):
        values = dict(extra, **{
            'event_uid': uid, 'raw': _dump(raw), 'terminal_id': terminal.id,
            'received_at': fields.Datetime.to_string(received_at),
            'clock_offset_ms': ordering.offset_ms(offset),
        })
        if isinstance(raw, dict):
            values.update(_best_effort_fields(raw, offset))
        return self.sudo().with_context(**{INTERNAL: True}).create(values)

    @api.model
    def _store_conflict(self, terminal, raw, first, offset, received_at):
        """An id already taken, with other content: neither version is dropped. This one is
        kept dead beside the first (which stays as it was); a resend of it is its duplicate."""
        earlier = self.sudo().search([('conflict_uid', '=', first.event_uid), ('raw', '=', _dump(raw))], limit=1)
        if earlier:
            return earlier._note_repeat(received_at)
        event = self._store(terminal, raw, None, offset, received_at,
                            conflict_uid=first.event_uid, conflict_with_id=first.id)
        event._reject(errors.EventIdConflict(id=first.event_uid, first_at=first.received_at))
        return event._result()

    def _sent_uid(self):
        return self.event_uid or self.conflict_uid

    def _note_repeat(self, received_at):
        self.with_context(**{INTERNAL: True}).sudo().write({
            'repeat_count': self.repeat_count + 1, 'last_repeat_at': fields.Datetime.to_string(received_at)})
        result = {'id': self._sent_uid(), 'status': 'duplicate', 'outcome': _OUTCOME[self.state]}
        if self.state in ('dead', 'discarded'):
            result['error'] = {'code': self.error_code, 'message': self.error_message}
        return result

    def _result(self):
        if self.state == 'applied':
            return {'id': self._sent_uid(), 'status': 'applied'}
        return {'id': self._sent_uid(), 'status': 'rejected',
                'error': {'code': self.error_code, 'message': self.error_message}}

    def _judge(self, parsed, terminal):
        """Apply one parsed event inside a savepoint: either all of its effects land with the
        state 'applied', or none do and the event is dead with a coded error."""
        self.ensure_one()
        refs, links = self._resolve_refs(parsed)
        try:
            with self.env.cr.savepoint():
                self._apply(parsed, terminal, *refs)
        except errors.MesError as exc:
            self._reject(exc, **links)
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            raise   # serialization failure or lost connection: the whole request is retried
        except Exception as exc:  # noqa: BLE001 - a bug must not lose the event
            _logger.exception('MES event %s could not be applied', self.event_uid)
            detail = exc.name if isinstance(exc, UserError) else type(exc).__name__
            self._reject(errors.InternalError(detail=detail), **links)
        else:
            self._set_state('applied', applied_at=fields.Datetime.now(), error_code=False, error_message=False,
                            **links)
            batch = self.env.context.get('mes_batch')
            if batch is not None:
                # named on the journal entries this batch posts: corrections say what caused them
                batch.causes.append('%s %s (%s, %s)' % (parsed.type, self.event_uid, terminal.name, parsed.employee))

    def _reject(self, exc, **links):
        message = exc.message
        if not contract.storable(message):
            message = message.encode('utf-8', 'backslashreplace').decode('utf-8').replace('\x00', '\\x00')
        self._set_state('dead', error_code=exc.code, error_message=message, **links)

    # -- supervisor actions -----------------------------------------------------------------
    def _check_supervisor(self):
        if not self.env.user.has_group('shopfloor_mes.group_mes_supervisor'):
            raise AccessError(_('Only an MES supervisor can retry or discard terminal events.'))

    def action_retry(self):
        """Re-apply rejected events through the same code path as on receipt, with the times
        measured then."""
        self._check_supervisor()
        batch = MesBatch()
        self = self.with_context(mes_batch=batch)
        for event in self.sorted(lambda e: (e.seq, e.id)):
            if event.state != 'dead':
                raise UserError(_('Only rejected events can be retried; %s is %s.') % (event.event_uid, event.state))
            event._set_state('dead', retry_count=event.retry_count + 1, retried_by=self.env.uid,
                             retried_at=fields.Datetime.now())
            raw = json.loads(event.raw)
            try:
                parsed = contract.parse_event(raw)
            except errors.MesError as exc:
                event._reject(exc)
                continue
            event._judge(parsed, event.terminal_id)
        batch.flush(self.env)
        return True

    def action_discard(self, reason):
        self._check_supervisor()
        if not reason or not reason.strip():
            raise UserError(_('Say why the event is discarded: the reason is kept with it.'))
        self._set_state('discarded', discarded_by=self.env.uid, discarded_at=fields.Datetime.now(),
                        discard_reason=reason.strip())
        return True

    @caller(SUPERVISOR)
    def action_open_discard_wizard(self):
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.event.discard', 'view_mode': 'form',
                'target': 'new', 'name': _('Discard rejected events'),
                'context': {'default_event_ids': [(6, 0, self.ids)]}}


class MesEventDiscard(models.TransientModel):
    _name = 'mes.event.discard'
    _description = 'Discard rejected terminal events'

    event_ids = fields.Many2many('mes.event', string='Events')
    reason = fields.Text(required=True)

    def action_discard(self):
        self.event_ids.action_discard(self.reason)
        return {'type': 'ir.actions.act_window_close'}


_OUTCOME = {'applied': 'applied', 'dead': 'rejected', 'discarded': 'rejected', 'received': 'rejected'}


def _dump(raw):
    try:
        text = json.dumps(raw, ensure_ascii=False, sort_keys=True)
        # NUL and lone surrogates cannot be stored as text: keep them \u-escaped instead
        return text if contract.storable(text) else json.dumps(raw, ensure_ascii=True, sort_keys=True)
    except (RecursionError, ValueError, TypeError):
        # deeper than json can write back: keep what can be kept, never lose the event
        return json.dumps({'unstorable_event': repr(raw)[:10000]})


def _best_effort_fields(raw, offset):
    """What can be read from a raw event before judging it, so that even a rejected event is
    findable by type, work order and time. Nothing here may raise."""
    values = {}
    if isinstance(raw.get('type'), str) and contract.storable(raw['type']):
        values['type'] = raw['type'][:40]
    seq = raw.get('seq')
    if isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq < 2 ** 31:
        values['seq'] = seq
    wo = raw.get('workorder_id')
    if isinstance(wo, int) and not isinstance(wo, bool) and 0 <= wo < 2 ** 31:
        values['workorder_ref'] = wo
    if isinstance(raw.get('employee'), str) and contract.storable(raw['employee']):
        values['employee_badge'] = raw['employee'][:64]
    try:
        at = contract.parse_time(raw.get('at'), 'at')
        values['terminal_at'] = fields.Datetime.to_string(at)
        values['corrected_at'] = fields.Datetime.to_string(ordering.corrected_time(at, offset))
    except errors.MesError:
        pass
    return values
