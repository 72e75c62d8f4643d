from datetime import datetime, timedelta

from passlib.context import CryptContext

from odoo import _, api, fields, models
from odoo.addons.base.res.res_partner import _lang_get
from odoo.exceptions import AccessError

# PINs are short: a slow salted hash makes a stolen database useless for guessing them.
PIN_CRYPT = CryptContext(schemes=['pbkdf2_sha256'], pbkdf2_sha256__default_rounds=20000)
PIN_MAX_FAILURES = 5
PIN_LOCK_MINUTES = 15
# Verified when the employee is unknown, so that "unknown" and "wrong PIN" take the same time.
_DUMMY_PIN_HASH = PIN_CRYPT.hash('not-a-pin')


class HrEmployeeTerminal(models.Model):
    _inherit = 'hr.employee'

    # Same name and meaning as the field Odoo 12+ has in hr_timesheet (11 only has it in
    # sale_timesheet), so the addon ports forward without a rename.
    timesheet_cost = fields.Float('Hourly labor cost', digits=(16, 2), default=0.0,
                                  groups='shopfloor_mes.group_mes_supervisor,shopfloor_mes.group_mes_finance,'
                                         'hr.group_hr_user')
    mes_pin = fields.Char('Terminal PIN', compute='_compute_mes_pin', inverse='_inverse_mes_pin',
                          help='Write a new PIN here; only its salted hash is stored.')
    mes_pin_hash = fields.Char(copy=False, groups='base.group_system')
    mes_pin_set = fields.Boolean('PIN set', compute='_compute_mes_pin')
    mes_pin_failures = fields.Integer(copy=False, readonly=True)
    mes_locked_until = fields.Datetime('Terminal locked until', copy=False, readonly=True)
    mes_workcenter_ids = fields.Many2many(
        'mrp.workcenter', 'mes_employee_workcenter_rel', 'employee_id', 'workcenter_id',
        'MES work centers', help='Work centers this operator is qualified for. Empty: all.')
    # Same name as Odoo 13+'s hr.employee.lang; not related to a user: operators have none.
    lang = fields.Selection(_lang_get, 'Terminal language', default=lambda self: self._mes_default_lang(),
                            help='The operator terminal switches to this language when the operator logs '
                                 'in, and the terminal API answers in it. Empty: the company\'s language.')

    @api.model
    def _mes_default_lang(self):
        return self.env.user.company_id.partner_id.lang or self.env.lang or 'en_US'

    def _mes_lang(self):
        """The operator's language: their own, else their company's, else English."""
        self.ensure_one()
        installed = dict(self.env['res.lang'].get_installed())
        company = self.company_id or self.env.user.company_id
        for code in (self.lang, company.partner_id.lang):
            if code in installed:
                return code
        return 'en_US'

    def _compute_mes_pin(self):
        for employee in self:
            employee.mes_pin = False
            employee.mes_pin_set = bool(employee.sudo().mes_pin_hash)

    def _inverse_mes_pin(self):
        for employee in self:
            if employee.mes_pin:
                employee.sudo().write({'mes_pin_hash': PIN_CRYPT.hash(employee.mes_pin),
                                       'mes_pin_failures': 0, 'mes_locked_until': False})

    def _mes_may_work_at(self, workcenter):
        self.ensure_one()
        return not self.mes_workcenter_ids or workcenter in self.mes_workcenter_ids

    def _mes_is_locked(self, now=None):
        self.ensure_one()
        now = now or datetime.utcnow()
        return bool(self.mes_locked_until) and fields.Datetime.from_string(self.mes_locked_until) > now

    def _mes_check_pin(self, pin, now=None):
        """True when ``pin`` is right. Wrong PINs count; the fifth locks the employee out for
        15 minutes. The caller refuses locked employees before asking."""
        self.ensure_one()
        employee = self.sudo()
        now = now or datetime.utcnow()
        if not employee.mes_pin_hash or not isinstance(pin, str):
            self._mes_spend_pin_time()
        elif PIN_CRYPT.verify(pin, employee.mes_pin_hash):
            if employee.mes_pin_failures:
                employee.write({'mes_pin_failures': 0, 'mes_locked_until': False})
            return True
        failures = employee.mes_pin_failures + 1
        values = {'mes_pin_failures': failures}
        if failures >= PIN_MAX_FAILURES:
            values = {'mes_pin_failures': 0,
                      'mes_locked_until': fields.Datetime.to_string(now + timedelta(minutes=PIN_LOCK_MINUTES))}
        employee.write(values)
        return False

    def action_mes_unlock(self):
        """Clear a PIN lockout (supervisors only); the chatter says who did it."""
        if not self.env.user.has_group('shopfloor_mes.group_mes_supervisor'):
            raise AccessError(_('Only an MES supervisor can unlock an operator\'s terminal login.'))
        self.check_access_rights('write')
        self.check_access_rule('write')
        self.sudo().write({'mes_pin_failures': 0, 'mes_locked_until': False})
        for employee in self:
            employee.message_post(body=_('Terminal login unlocked by %s.') % self.env.user.name)
        return True

    @api.model
    def _mes_spend_pin_time(self):
        """Verify a dummy hash: an unknown employee costs what a wrong PIN costs."""
        PIN_CRYPT.verify('0000', _DUMMY_PIN_HASH)

    @api.model
    def _mes_find_by_badge(self, badge):
        if not badge:
            return self.browse()
        return self.sudo().search([('barcode', '=', badge)], limit=1)
