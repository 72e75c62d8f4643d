"""What the shop floor reported changes only through the MES: a guard on Odoo's own
manufacturing records.

Terminals report starts, stops, quantities and finishes as events; the MES judges them and
writes their effects as the superuser (``sudo()``). Through the ORM as themselves:

- operators and finance (``mrp.group_mrp_user``, which their groups imply, without
  ``mrp.group_mrp_manager``) create, change and delete no manufacturing order, work order or
  work-center time log at all, although Odoo's access rights of ``mrp.group_mrp_user`` allow it;
- planners (``mrp.group_mrp_manager``, which MES supervisors have) plan: they create, change and
  cancel orders and work orders, but they do not write a work order's execution facts
  (``WORKORDER_EXECUTION_FIELDS``), move it into or out of in progress / done, nor touch the time
  logs of work orders or the MES's downtime. Odoo's own start / produce / finish / pause buttons
  on a work order are refused with a message saying where to report instead; "Update quantity"
  on a manufacturing order keeps working (see ``ChangeProductionQty``).

The superuser is recognised by ``env.uid`` (what ``sudo()`` sets), never by a context key: a
context is whatever an XML-RPC caller sends. In Odoo 11 the ``admin`` login is that superuser.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError

PLANNER = 'mrp.group_mrp_manager'
WORKORDER_EXECUTION_FIELDS = ('qty_produced', 'qty_producing', 'duration', 'date_start', 'date_finished',
                              'time_ids', 'final_lot_id')
# values a planner may not create a work order with (qty_producing is the planned quantity then)
WORKORDER_CREATE_FACTS = ('qty_produced', 'duration', 'date_start', 'date_finished', 'time_ids', 'final_lot_id')
EXECUTION_STATES = ('progress', 'done')


def _superuser(records):
    return records.env.uid == SUPERUSER_ID


def _refuse_unless_planner(records, action):
    if _superuser(records) or records.env.user.has_group(PLANNER):
        return
    raise AccessError(_(
        'You may not %s a %s: on the shop floor, work is reported from the terminal, and orders are '
        'planned by a supervisor. Report it from the terminal, or ask a supervisor to plan it or to '
        'use Correct... on a labor log.') % (action, records._description))


def _execution_refusal(what):
    return AccessError(_(
        '%s: these are what the terminals reported, kept by the MES. Report it from the terminal, '
        'or use Correct... on the work order\'s labor log (Shop floor tab) to correct a time.') % what)


class MrpWorkorderGuard(models.Model):
    _inherit = 'mrp.workorder'

    @api.model
    def create(self, values):
        _refuse_unless_planner(self, _('create'))
        if not _superuser(self):
            facts = [name for name in WORKORDER_CREATE_FACTS if values.get(name)]
            if values.get('state') in EXECUTION_STATES:
                facts.append('state %s' % values['state'])
            if facts:
                raise _execution_refusal(_('A new work order cannot come with %s') % ', '.join(facts))
        return super().create(values)

    def write(self, values):
        _refuse_unless_planner(self, _('change'))
        if not _superuser(self):
            self._mes_refuse_execution_values(values)
        return super().write(values)

    def unlink(self):
        _refuse_unless_planner(self, _('delete'))
        return super().unlink()

    def _mes_refuse_execution_values(self, values):
        facts = [self._fields[name].string for name in WORKORDER_EXECUTION_FIELDS if name in values]
        state = values.get('state')
        if state and (state in EXECUTION_STATES
                      or any(wo.state in EXECUTION_STATES and wo.state != state for wo in self)) \
                and state != 'cancel':
            facts.append(_('its state (%s)') % state)
        if facts:
            names = ', '.join(self.mapped('name')[:3])
            raise _execution_refusal(_('Work order %s: %s cannot be changed by hand') % (names, ', '.join(facts)))

    def _mes_refuse_native_button(self):
        if not _superuser(self):
            raise UserError(_(
                'Work order %s: starts, stops, quantities and finishes are reported from the shop-floor '
                'terminal, not with Odoo\'s buttons. Report it from the terminal, or use Correct... on '
                'the work order\'s labor log (Shop floor tab) to correct a time.') % ', '.join(self.mapped('name')))

    def button_start(self):
        self._mes_refuse_native_button()
        return super().button_start()

    def record_production(self):
        self._mes_refuse_native_button()
        return super().record_production()

    def button_finish(self):
        self._mes_refuse_native_button()
        return super().button_finish()

    def button_done(self):
        self._mes_refuse_native_button()
        return super().button_done()

    def button_pending(self):
        self._mes_refuse_native_button()
        return super().button_pending()

    def end_previous(self, doall=False):
        self._mes_refuse_native_button()
        return super().end_previous(doall=doall)

    def end_all(self):
        self._mes_refuse_native_button()
        return super().end_all()


class MrpProductionGuard(models.Model):
    _inherit = 'mrp.production'

    @api.model
    def create(self, values):
        _refuse_unless_planner(self, _('create'))
        return super().create(values)

    def write(self, values):
        _refuse_unless_planner(self, _('change'))
        return super().write(values)

    def unlink(self):
        _refuse_unless_planner(self, _('delete'))
        return super().unlink()


class MrpWorkcenterProductivityGuard(models.Model):
    """Time logs on a work order (Odoo's time_ids, the MES's run time) and the MES's downtime
    are execution facts; a planner may still block and unblock a work center by hand."""
    _inherit = 'mrp.workcenter.productivity'

    @api.model
    def create(self, values):
        _refuse_unless_planner(self, _('create'))
        if not _superuser(self) and any(values.get(name) for name in _MES_OWNED):
            raise _execution_refusal(_('A time log of a work order or a shop-floor downtime'))
        return super().create(values)

    def write(self, values):
        _refuse_unless_planner(self, _('change'))
        self._mes_refuse_owned(values)
        return super().write(values)

    def unlink(self):
        _refuse_unless_planner(self, _('delete'))
        self._mes_refuse_owned({})
        return super().unlink()

    def _mes_refuse_owned(self, values):
        if _superuser(self):
            return
        if any(values.get(name) for name in _MES_OWNED) \
                or any(record[name] for record in self for name in _MES_OWNED):
            raise _execution_refusal(_('The time logs of work orders and shop-floor downtime'))


_MES_OWNED = ('workorder_id', 'mes_reason_id', 'mes_machine_time', 'mes_event_id')
