"""The event log: every fact a terminal sent, stored as it came, with its verdict.

Readable names for records planners open from the OEE and dead-letter screens.

Odoo names a record without a ``name`` field "model,id" (a breadcrumb read "mes.event,194"),
and a grouped list adds up every integer column, ids included (dead-letter group headers
summed the work order ids sent). Only display: no stored value changes here.
"""
import json
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ...services import contract, errors, ordering, raw_event
from ..shared.access import SUPERVISOR, caller, superuser_only
from ..shared.i18n import gettext_for

STATES = [
    ('received', 'Received'),   # stored, not judged yet (only ever seen inside a transaction)
    ('applied', 'Applied'),     # valid in true-time order
    ('waiting', 'Waiting'),     # its partner (a start before this stop) may still be on its way
    ('held', 'Held for review'),  # implausible: a supervisor approves, corrects or discards it
    ('dead', 'Rejected'),       # the dead-letter queue: a supervisor fixes the cause and retries
    ('superseded', 'Corrected'),  # a supervisor's correction replaces it
    ('discarded', 'Discarded'),
]
# The fold of the work order's events sets applied, waiting, held, dead and superseded as history
# arrives; supervisors' actions (retry, approve, discard) go through _set_state.
TRANSITIONS = {
    ('received', 'applied'), ('received', 'dead'), ('dead', 'dead'), ('dead', 'discarded'), ('held', 'discarded'),
    ('waiting', 'discarded'),
    ('dead', 'superseded'),   # a supervisor's data correction replaced it (mes_event_correction.py)
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

    # Indexed by the unique constraint's index only: every index here is written by the insert and
    # both updates of each event the record stage takes in (no update of an indexed column stays
    # on its page); type, error code, folded and made by are read within other filters.
    event_uid = fields.Char('Event id', readonly=True,
                            help='Made by the terminal; the key of idempotency.')
    raw = fields.Text('Raw JSON', readonly=True, required=True)
    terminal_id = fields.Many2one('mes.terminal', readonly=True, index=True, ondelete='restrict')
    # seq, workorder_ref, clock_offset_ms: identities or positions, not quantities: never summed in a group
    seq = fields.Integer(readonly=True, group_operator=False)
    type = fields.Char(readonly=True)
    workorder_ref = fields.Integer('Work order id sent', readonly=True, group_operator=False)
    workorder_id = fields.Many2one('mrp.workorder', readonly=True, index=True, ondelete='restrict')
    production_id = fields.Many2one(related='workorder_id.production_id', store=True, readonly=True)
    workcenter_id = fields.Many2one('mrp.workcenter', readonly=True, index=True)
    employee_badge = fields.Char('Badge sent', readonly=True)
    employee_id = fields.Many2one('hr.employee', readonly=True, index=True)
    qty = fields.Float(readonly=True)
    terminal_at = fields.Datetime('Terminal time', readonly=True)
    received_at = fields.Datetime('Received', readonly=True, required=True, index=True)
    clock_offset_ms = fields.Float(digits=(16, 0), string='Clock offset (ms)', readonly=True,
                                     group_operator=False, help='Server receipt minus the terminal\'s sent_at.')
    corrected_at = fields.Datetime('Corrected time', readonly=True, index=True,
                                   help='Terminal time plus the measured clock offset.')
    state = fields.Selection(STATES, default='received', readonly=True, index=True, required=True)
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    error_message_shown = fields.Text('Message', compute='_compute_error_message_shown',
                                      help='The error message in your language (it is stored in English).')
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

    @api.depends('error_code', 'error_message')
    def _compute_error_message_shown(self):
        gettext = gettext_for(self.env, self.env.lang)
        for event in self:
            event.error_message_shown = (errors.translate_message(event.error_code, event.error_message, gettext)
                                         if gettext else event.error_message)

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

    def unlink(self):  # pylint: disable=method-required-super  # it refuses always: events are kept
        raise AccessError(_('Terminal events are kept forever; discard a rejected event instead.'))

    def _set_state(self, state, **values):
        for event in self:
            if (event.state, state) not in TRANSITIONS:
                raise UserError(_('Event %s is %s; it cannot become %s.') % (event.event_uid, event.state, state))
        values['state'] = state
        return self.with_context(**{INTERNAL: True}).sudo().write(values)

    # -- storing (the record stage itself is in mes_event_record.py) -------------------------------
    @api.model
    def _store(self, terminal, raw, uid, offset, received_at, **extra):
        values = dict(extra, **{
            'event_uid': uid, 'raw': raw_event.dump(raw), 'terminal_id': terminal.id,
            'received_at': fields.Datetime.to_string(received_at),
            'clock_offset_ms': ordering.offset_ms(offset),
        })
        if isinstance(raw, dict):
            values.update(raw_event.best_effort_fields(raw, offset))
        return self.sudo().with_context(**{INTERNAL: True}).create(values)

    @api.model
    def _store_conflict(self, terminal, raw, first, offset, received_at):
        """An id already taken, with other content: neither version is dropped. This one is
        kept dead beside the first (which stays as it was); a resend of it is its duplicate."""
        earlier = self.sudo().search([('conflict_uid', '=', first.event_uid), ('raw', '=', raw_event.dump(raw))],
                                     limit=1)
        if earlier:
            earlier.with_context(**{INTERNAL: True}).write({
                'repeat_count': earlier.repeat_count + 1, 'last_repeat_at': fields.Datetime.to_string(received_at)})
            return dict(earlier._result(), status='duplicate', outcome='rejected')
        event = self._store(terminal, raw, None, offset, received_at,
                            conflict_uid=first.event_uid, conflict_with_id=first.id)
        event._reject(errors.EventIdConflict(id=first.event_uid, first_at=first.received_at))
        return event._result()

    def _sent_uid(self):
        return self.event_uid or self.conflict_uid

    def _result(self):
        result = {'id': self._sent_uid(), 'status': _OUTCOME[self.state]}
        if result['status'] == 'rejected':
            result['error'] = {'code': self.error_code, 'message': self.error_message}
        return result

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
        """Judge rejected events again, with the times measured on receipt: what was refused for
        want of Odoo data (an unknown badge, a missing reason) goes on to the fold once fixed;
        the fold itself judges with today's history."""
        self._check_supervisor()
        for event in self:
            if event.state != 'dead':
                raise UserError(_('Only rejected events can be retried; %s is %s.') % (event._sent_uid(), event.state))
        self.sudo().with_context(**{INTERNAL: True}).write({'retried_by': self.env.uid,
                                                             'retried_at': fields.Datetime.now()})
        self.env.cr.execute("UPDATE mes_event SET retry_count = retry_count + 1 WHERE id = ANY(%s)", (self.ids,))
        self.invalidate_cache()
        self.sudo()._rejudge()
        return True

    def action_approve(self):
        """A supervisor vouches for held events (the quantity, the long interval, the late
        report are real): they count from now on."""
        self._check_supervisor()
        for event in self:
            if event.state != 'held':
                raise UserError(_('Only events held for review can be approved; %s is %s.')
                                % (event._sent_uid(), event.state))
        self.sudo().with_context(**{INTERNAL: True}).write({
            'approved': True, 'retried_by': self.env.uid, 'retried_at': fields.Datetime.now()})
        self.sudo()._rejudge()
        return True

    def action_discard(self, reason):
        self._check_supervisor()
        if not reason or not reason.strip():
            raise UserError(_('Say why the event is discarded: the reason is kept with it.'))
        self._set_state('discarded', discarded_by=self.env.uid, discarded_at=fields.Datetime.now(),
                        discard_reason=reason.strip())
        self.sudo()._rejudge()
        return True

    def _rejudge(self):
        """Judge these stored events again as on receipt, then refold their work orders."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        workorders = {}
        for terminal in self.mapped('terminal_id'):
            mine = self.filtered(lambda e: e.terminal_id == terminal and not e.folded and e.state == 'dead')
            fresh = [(0, e.id, json.loads(e.raw), timedelta(milliseconds=e.clock_offset_ms)) for e in mine]
            workorders.update({k: v for k, v in self._judge_static(terminal, fresh).items() if v})
        for event in self.filtered('folded'):
            workorders[event.id] = event.workorder_id
        self.env['mes.execution'].sudo()._record(workorders, now)._post()

    @caller(SUPERVISOR)
    def action_open_discard_wizard(self):
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.event.discard', 'view_mode': 'form',
                'target': 'new', 'name': _('Discard rejected events'),
                'context': {'default_event_ids': [(6, 0, self.ids)]}}

    def name_get(self):
        """"produce 12 · WO/00012 - Cut · 2026-11-24 07:00:00" (the true time, UTC)."""
        result = []
        # the event type in the reader's language (the words the error catalogue marks)
        gettext = gettext_for(self.env, self.env.lang) or (lambda word: word)
        for event in self.sudo():
            what = gettext(event.type) if event.type else _('event')
            if event.qty:
                what = '%s %g' % (what, event.qty)
            parts = [what, event.workorder_id.display_name or (event.workorder_ref and '#%d' % event.workorder_ref),
                     event.corrected_at or event.received_at]
            result.append((event.id, ' · '.join(p for p in parts if p)))
        return result


_OUTCOME = {'applied': 'applied', 'waiting': 'applied', 'held': 'rejected', 'dead': 'rejected',
            'superseded': 'rejected', 'discarded': 'rejected', 'received': 'rejected'}
