"""A supervisor corrects what a held or rejected event says, and resubmits it.

The correction is an event of its own: the same fact (type, work order, operator, time, the
terminal that sent it) with the corrected data, recorded through the same record stage as a
terminal's, naming the original (``corrects_uid``). The fold then marks the original
``superseded``; an original the fold never saw (refused before it) is marked so here. Who made
the correction and why stay on the new event. A correction that is refused too changes nothing.
"""
import json
import uuid
from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

from .mes_access import SUPERVISOR, caller
from .mes_event import INTERNAL

# The parts of an event's data a supervisor may correct (the wizard's fields).
CORRECTABLE = ('qty', 'reason', 'lot')


class _Refused(Exception):
    """The corrected event was refused: undo its recording."""


class MesEventDataCorrection(models.Model):
    _inherit = 'mes.event'

    @caller(SUPERVISOR)
    def action_open_data_correction(self):
        self.ensure_one()
        data = json.loads(self.data_json or '{}') if self.data_json else (json.loads(self.raw).get('data') or {})
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.event.data.correction', 'view_mode': 'form',
                'target': 'new', 'name': _('Correct and resubmit'),
                'context': {'default_event_id': self.id, 'default_qty': data.get('qty') or 0.0,
                            'default_reason_code': data.get('reason') or False, 'default_lot': data.get('lot') or False}}

    def _correct_data(self, changes, why, made_by):
        """Record ``made_by``'s correction of this held or rejected event; returns the new event."""
        self.ensure_one()
        if self.state not in ('held', 'dead'):
            raise UserError(_('Only held or rejected events can be corrected; %s is %s.') % (self._sent_uid(), self.state))
        if not (why or '').strip():
            raise UserError(_('Say why the event is corrected (field "Why"): the reason is kept with it.'))
        raw = json.loads(self.raw)
        if not isinstance(raw, dict) or not isinstance(raw.get('data', {}), dict) or not raw.get('id'):
            raise UserError(_('This event cannot be read as a terminal event; discard it and enter the fact again.'))
        unknown = set(changes) - set(CORRECTABLE)
        if unknown:
            raise UserError(_('Only %s can be corrected, not %s.') % (', '.join(sorted(CORRECTABLE)), ', '.join(sorted(unknown))))
        data = dict(raw.get('data') or {}, **changes)
        corrected = dict(raw, id=str(uuid.uuid4()), data=data)
        # judged as on the original's receipt: the same clock offset, the same age
        received = fields.Datetime.from_string(self.received_at)
        sent = received - timedelta(milliseconds=self.clock_offset_ms or 0)
        Event = self.sudo()
        try:
            with self.env.cr.savepoint():   # a refused correction leaves no row behind
                results, executions = Event._record_batch(self.terminal_id, [corrected], sent, received)
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


class MesEventDataCorrectionWizard(models.TransientModel):
    _name = 'mes.event.data.correction'
    _description = 'Correct and resubmit a held or rejected event'

    event_id = fields.Many2one('mes.event', required=True, readonly=True)
    qty = fields.Float('Quantity')
    reason_code = fields.Char('Reason code')
    lot = fields.Char('Lot or serial number')
    why = fields.Text('Why', required=True)

    @caller(SUPERVISOR)
    def action_correct(self):
        self.ensure_one()
        event = self.event_id.sudo()
        was = json.loads(event.raw).get('data') or {}
        changes = {}
        if 'qty' in was or self.qty:
            changes['qty'] = self.qty
        if self.reason_code and self.reason_code != was.get('reason'):
            changes['reason'] = self.reason_code.strip()
        if self.lot and self.lot != was.get('lot'):
            changes['lot'] = self.lot.strip()
        new = event._correct_data(changes, self.why, self.env.user)
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.event', 'res_id': new.id, 'view_mode': 'form'}
