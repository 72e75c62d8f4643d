"""Who may call a model method. Not a model.

Every public method of a model is callable over XML-RPC by any login, the portal's included:
a button method therefore checks its caller before it does anything. Methods the addon only
calls itself are private (a leading underscore), which Odoo's RPC refuses to call.
"""
import functools

from odoo import SUPERUSER_ID, _
from odoo.exceptions import AccessError

OPERATOR = 'shopfloor_mes.group_mes_operator'
SUPERVISOR = 'shopfloor_mes.group_mes_supervisor'
FINANCE = 'shopfloor_mes.group_mes_finance'
ANY_MES_ROLE = (OPERATOR, SUPERVISOR, FINANCE)


def check_caller(records, groups=ANY_MES_ROLE, perm='read'):
    """Refuse unless the user is in one of ``groups`` and has ``perm`` on ``records``."""
    user = records.env.user
    if not any(user.has_group(group) for group in groups):
        names = ', '.join(records.env.ref(group).full_name for group in groups)
        raise AccessError(_('This action is for: %s. Ask a supervisor.') % names)
    records.check_access_rights(perm)
    if records:   # Odoo 11's rule check of a transient model fails on an empty set (IN ())
        records.check_access_rule(perm)


def caller(*groups, perm='read'):
    """Decorate a button method: ``check_caller`` first (default: any MES role, read access)."""
    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            check_caller(self, groups or ANY_MES_ROLE, perm)
            return method(self, *args, **kwargs)
        return guarded
    return decorate


def superuser_only(records):
    """For ``init`` and other set-up methods Odoo calls as the superuser at install."""
    if records.env.uid != SUPERUSER_ID:
        raise AccessError(_('Only the server itself runs this at install or update.'))
