"""Every public method of every model this addon adds or extends is callable over XML-RPC by
any login. The walk below finds them all (in the addon's own classes) and calls each as a portal
user, a plain internal user and an operator: each must refuse whoever it is not for, before it
does anything. A new public method fails this walk until it is listed in ``WHO_MAY`` (and
guards itself) or made private."""
from odoo.exceptions import AccessError
from odoo.models import BaseModel

from ..models.quality.common import MesRefusal
from .test_security_access import SecurityCase

ADDON_MODULE = 'odoo.addons.shopfloor_mes.'
MES_USERS = {'operator', 'supervisor', 'finance'}

# Who may call each public method the addon adds (roles by name). Everyone else is refused.
WHO_MAY = {
    ('hr.employee', 'action_mes_unlock'): {'supervisor'},
    ('mes.terminal', 'issue_token'): {'supervisor'},
    ('mes.terminal', 'action_issue_token'): {'supervisor'},
    ('mes.terminal', 'action_revoke_token'): {'supervisor'},
    ('mes.event', 'action_retry'): {'supervisor'},
    ('mes.event', 'action_discard'): {'supervisor'},
    ('mes.event', 'action_open_discard_wizard'): {'supervisor'},
    ('mes.event', 'action_approve'): {'supervisor'},
    ('mes.event', 'action_open_data_correction'): {'supervisor'},
    ('mes.event.data.correction', 'action_correct'): {'supervisor'},
    ('mes.execution', 'action_post_again'): {'supervisor', 'finance'},
    ('mes.execution', 'action_post_pending'): {'supervisor', 'finance'},
    ('mes.event.discard', 'action_discard'): {'supervisor'},
    ('mes.labor.log', 'action_open_correction'): {'supervisor'},
    ('mes.labor.correction', 'action_correct'): {'supervisor'},
    ('mes.nonconformance', 'action_approve'): {'supervisor'},
    ('mes.nonconformance', 'action_done'): {'supervisor'},
    ('mes.nonconformance', 'action_cancel'): {'supervisor'},
    ('mes.quality.alert', 'action_acknowledge'): {'supervisor'},
    ('mes.quality.alert', 'action_close'): {'supervisor'},
    ('mes.quality.check', 'action_pass'): {'supervisor'},
    ('mes.quality.check', 'action_fail'): {'supervisor'},
    ('mes.quality.point', 'action_open_checks'): MES_USERS,
    ('mes.quality.point', 'action_open_chart'): MES_USERS,
    ('mes.quality.point', 'action_open_alerts'): MES_USERS,
    ('mes.quality.point', 'action_print_spc'): MES_USERS,
    ('mes.quality.point', 'action_freeze_limits'): {'supervisor'},
    ('mes.quality.point', 'action_unfreeze_limits'): {'supervisor'},
    ('mes.oee.record', 'action_recompute'): {'supervisor'},
    ('mes.oee.record', 'action_view_run_time'): MES_USERS,
    ('mes.oee.record', 'action_view_downtime'): MES_USERS,
    ('mes.oee.record', 'action_view_produced'): MES_USERS,
    ('mes.oee.record', 'action_view_scrap'): MES_USERS,
    ('mes.oee.record', 'action_view_failed_checks'): MES_USERS,
    ('mes.oee.record', 'action_view_timeline'): MES_USERS,
    ('mes.oee.loss', 'action_view_records'): MES_USERS,
    ('mes.oee.recompute', 'action_recompute'): {'supervisor'},
    ('mes.workcenter.timeline', 'action_previous'): MES_USERS,
    ('mes.workcenter.timeline', 'action_next'): MES_USERS,
    ('mes.workcenter.timeline', 'action_view_oee'): MES_USERS,
    ('mes.workcenter.timeline', 'action_view_downtime'): MES_USERS,
    ('mrp.production', 'action_mes_print_cost_sheet'): {'supervisor', 'finance'},
    ('mes.cost.line', 'action_mes_journal_items'): {'finance'},
    ('mes.cost.operation', 'action_mes_journal_items'): {'finance'},
    ('mes.cost.operation', 'action_mes_labor_logs'): {'supervisor', 'finance'},
    ('mes.cost.operation', 'action_mes_run_time'): {'supervisor', 'finance'},
    ('mes.cost.employee', 'action_mes_journal_items'): {'finance'},
    ('mes.cost.employee', 'action_mes_labor_logs'): {'supervisor', 'finance'},
    ('mrp.workcenter', 'action_mes_oee'): MES_USERS,
    ('mrp.workcenter', 'action_mes_timeline'): MES_USERS,
    ('mrp.workcenter', 'action_mes_breakdown_request'): MES_USERS,
    ('mrp.workcenter.productivity', 'action_mes_maintenance_request'): MES_USERS,
}
# Arguments a caller would pass (the methods not named here take none).
ARGS = {('mes.event', 'action_discard'): ('a reason',)}
# Set-up methods Odoo runs as the superuser at install; nobody else may.
INIT_MODELS = ('mes.event', 'mes.wip.report', 'mes.cost.of.quality', 'mes.cost.operation', 'mes.cost.employee')


def addon_public_methods(registry):
    """(model, method) for each public method defined in this addon's classes that is neither
    part of the ORM's API (create, write, read_group...: guarded by access rights) nor an
    override of a method Odoo's own addons define (their contract, guarded the same way)."""
    found = set()
    for model_name, model in registry.items():
        mro = type(model).__mro__
        for klass in mro:
            if not klass.__module__.startswith(ADDON_MODULE):
                continue
            for name, value in vars(klass).items():
                if name.startswith('_') or not callable(value) or hasattr(BaseModel, name):
                    continue
                defined_by_odoo = any(name in vars(other) for other in mro
                                      if other.__module__.startswith('odoo.addons.')
                                      and not other.__module__.startswith(ADDON_MODULE))
                if not defined_by_odoo:
                    found.add((model_name, name))
    return found


def refused(call):
    """True when ``call`` raised the refusal of a caller who may not (nothing else counts:
    a missing guard that fails later on, say, ``ensure_one`` is not a refusal)."""
    try:
        call()
    except AccessError:
        return True
    except MesRefusal as exc:
        return exc.code == 'supervisor_required'
    except Exception:  # any other failure means the guard let the caller in
        return False
    return False


class TestEveryPublicMethodChecksItsCaller(SecurityCase):

    def test_every_public_method_is_listed_with_who_may_call_it(self):
        unlisted = addon_public_methods(self.env.registry) - set(WHO_MAY)
        self.assertFalse(unlisted, 'public methods that say nothing of who may call them: %s. '
                         'Make them private, or guard them and list them in WHO_MAY.' % sorted(unlisted))

    def test_each_method_refuses_the_roles_it_is_not_for(self):
        let_in = []
        for (model, method), allowed in sorted(WHO_MAY.items()):
            for role in ('portal', 'internal', 'operator', 'finance'):
                if role in allowed:
                    continue
                records = self.env[model].sudo(self.roles[role])
                args = ARGS.get((model, method), ())
                with self.env.cr.savepoint():
                    if not refused(lambda: getattr(records, method)(*args)):
                        let_in.append('%s.%s as %s' % (model, method, role))
        self.assertFalse(let_in, 'called by a role it is not for, without a refusal: %s' % let_in)

    def test_the_roles_a_method_is_for_are_not_refused(self):
        shut_out = []
        for (model, method), allowed in sorted(WHO_MAY.items()):
            for role in sorted(allowed):
                records = self.env[model].sudo(self.roles[role])
                args = ARGS.get((model, method), ())
                with self.env.cr.savepoint():
                    if refused(lambda: getattr(records, method)(*args)):
                        shut_out.append('%s.%s as %s' % (model, method, role))
        self.assertFalse(shut_out, 'refused to the role it is for: %s' % shut_out)

    def test_only_the_server_itself_runs_the_install_methods(self):
        for model in INIT_MODELS:
            for role in ('portal', 'operator', 'supervisor'):
                with self.env.cr.savepoint(), self.assertRaises(AccessError, msg='%s.init as %s' % (model, role)):
                    self.env[model].sudo(self.roles[role]).init()

    def test_pin_check_and_unlock_are_not_open_to_any_login(self):
        """The audit's brute force: ask the PIN of anyone, unlock at will. The PIN check is
        private now, and unlocking is for supervisors, who leave their name on it."""
        self.assertNotIn(('hr.employee', 'mes_check_pin'), addon_public_methods(self.env.registry))
        self.anna.sudo().write({'mes_locked_until': '2099-01-01 00:00:00'})
        for role in ('portal', 'operator', 'finance'):
            with self.env.cr.savepoint(), self.assertRaises(AccessError):
                self.anna.sudo(self.roles[role]).action_mes_unlock()
        self.assertTrue(self.anna._mes_is_locked())
        self.anna.sudo(self.supervisor).action_mes_unlock()
        self.assertFalse(self.anna._mes_is_locked())
        self.assertIn('unlocked by %s' % self.supervisor.name, self.anna.message_ids[0].body)

    def test_revoking_a_token_is_for_supervisors_and_names_who_did_it(self):
        token = self.terminal.issue_token()
        for role in ('portal', 'operator', 'finance'):
            with self.env.cr.savepoint(), self.assertRaises(AccessError):
                self.terminal.sudo(self.roles[role]).action_revoke_token()
        self.assertEqual(self.env['mes.terminal']._find_by_token(token), self.terminal)
        self.terminal.sudo(self.supervisor).action_revoke_token()
        self.assertFalse(self.env['mes.terminal']._find_by_token(token))
        self.assertEqual(self.terminal.token_revoked_by, self.supervisor)
