"""What the quality models share: declared state transitions and catalogue errors shown to
an Odoo user. Not a model: plain helpers the models call."""
import threading

from odoo import fields
from odoo.exceptions import UserError

from ...services import errors

SUPERVISOR_GROUP = 'shopfloor_mes.group_mes_supervisor'
# The transition being written, per thread. Not the context: a client sets any context key
# over XML-RPC, and could then write a state without its transition's checks.
_TRANSITION = threading.local()


class MesRefusal(UserError):
    """A catalogue error (services/errors.py) shown in Odoo's screens as a plain warning, no
    traceback; ``code`` keeps the catalogue's stable code."""

    def __init__(self, error):
        super().__init__(error.message)
        self.code = error.code


def transition(records, target, **values):
    """Move ``records`` to state ``target`` if every one may go there by the model's declared
    ``_transitions`` table of ``(from, to)`` pairs; refuse the whole set otherwise."""
    check_transition(records, target)
    values['state'] = target
    _TRANSITION.key = _transition_key(records, target)
    try:
        return records.write(values)
    finally:
        _TRANSITION.key = None


def _transition_key(records, target):
    return records._name, frozenset(records.ids), target


def guard_state(records, values):
    """For ``write``: the state changes only through ``transition``, never by a plain write."""
    if 'state' in values and getattr(_TRANSITION, 'key', None) != _transition_key(records, values['state']):
        labels = dict(records._fields['state'].selection)
        for record in records:
            raise MesRefusal(errors.StateRefused(
                record=record.display_name, state=labels.get(record.state, record.state),
                target='%s by a plain write (use its buttons)' % labels.get(values['state'], values['state'])))


def require_supervisor(records, action):
    if not records.env.user.has_group(SUPERVISOR_GROUP):
        raise MesRefusal(errors.SupervisorRequired(
            action=action, record=', '.join(records.mapped('display_name'))))


def supervisors(env):
    """Internal users of the MES supervisor group: who hears about alerts."""
    group = env.ref(SUPERVISOR_GROUP)
    return group.sudo().users.filtered(lambda u: u.active and not u.share)


def check_transition(records, target):
    """Refuse unless every record may move to ``target`` (see ``transition``)."""
    labels = dict(records._fields['state'].selection)
    for record in records:
        if (record.state, target) not in records._transitions:
            raise MesRefusal(errors.StateRefused(
                record=record.display_name, state=labels.get(record.state, record.state),
                target=labels.get(target, target)))


def notify(record, summary, body, responsible=None):
    """Tell the floor's supervisors about ``record`` (a mail.thread with activities): they
    follow it and get the message; the to-do goes to ``responsible``, or to each of them."""
    env = record.env
    bosses = supervisors(env)
    record = record.sudo().with_context(mail_notify_force_send=False)
    record.message_subscribe(partner_ids=bosses.mapped('partner_id').ids)
    record.message_post(body=body, subject=summary, subtype='mail.mt_comment')
    model = env['ir.model'].sudo().search([('model', '=', record._name)], limit=1)
    todo = env.ref('mail.mail_activity_data_todo')
    for user in responsible or bosses:
        env['mail.activity'].sudo().with_context(mail_notify_force_send=False).create({
            'res_model_id': model.id, 'res_id': record.id, 'activity_type_id': todo.id,
            'user_id': user.id, 'summary': summary, 'note': body,
            'date_deadline': fields.Date.context_today(record)})
