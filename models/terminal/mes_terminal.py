import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.base.res.res_partner import _tz_get
from odoo.exceptions import AccessError

from ...services import ordering
from ...services.terminal_token import token_hash

TOKEN_CONTEXT_KEY = 'mes_terminal_token'


class MesTerminal(models.Model):
    """A tablet at one or more work centers. Its bearer token is shown once and stored hashed."""
    _name = 'mes.terminal'
    _description = 'Shop-floor terminal'
    _order = 'name'

    name = fields.Char(required=True)
    workcenter_ids = fields.Many2many('mrp.workcenter', 'mes_terminal_workcenter_rel', 'terminal_id',
                                      'workcenter_id', 'Work centers', required=True)
    active = fields.Boolean(default=True, help='Archiving a terminal revokes its token at once.')
    kind = fields.Selection([('tablet', 'Operator tablet'), ('machine', 'Machine')], default='tablet', required=True,
                            help='A machine terminal is the token the MQTT bridge sends that machine\'s signals '
                                 'with (events machine_cycle and machine_state only).')
    machine_code = fields.Char(help='The machine\'s name in its MQTT topics: <prefix>/<work center code>/<machine>/...')

    _sql_constraints = [('machine_code_unique', 'UNIQUE(machine_code)', 'Each machine has one terminal.')]
    token_hash = fields.Char(copy=False, index=True, groups='base.group_system')
    token_issued_at = fields.Datetime(copy=False, readonly=True)
    token_issued_by = fields.Many2one('res.users', copy=False, readonly=True)
    token_revoked_at = fields.Datetime(copy=False, readonly=True)
    token_revoked_by = fields.Many2one('res.users', copy=False, readonly=True)
    has_token = fields.Boolean(compute='_compute_has_token')
    last_seen_at = fields.Datetime(readonly=True)
    clock_offset_ms = fields.Float(digits=(16, 0), string='Clock offset (ms)', readonly=True,
                                   help='Server time minus the terminal clock: the smallest offset its requests '
                                        'measured lately (a request that waited in the server\'s queue measures '
                                        'more). Event times from this terminal are corrected by it.')
    clock_offset_at = fields.Datetime('Clock offset measured at', readonly=True,
                                      help='The offset is measured anew once this is 10 minutes old.')
    event_ids = fields.One2many('mes.event', 'terminal_id')
    tz = fields.Selection(_tz_get, 'Time zone', help='The plant\'s time zone: the tablet shows every time in it. '
                          'Empty: the company\'s time zone.')
    dead_count = fields.Integer('Rejected events', compute='_compute_dead_count')

    def _compute_has_token(self):
        for terminal in self:
            terminal.has_token = bool(terminal.sudo().token_hash)

    def _compute_dead_count(self):
        groups = self.env['mes.event'].read_group(
            [('terminal_id', 'in', self.ids), ('state', '=', 'dead')], ['terminal_id'], ['terminal_id'])
        counts = {g['terminal_id'][0]: g['terminal_id_count'] for g in groups}
        for terminal in self:
            terminal.dead_count = counts.get(terminal.id, 0)

    def issue_token(self):
        """Return a fresh token (shown once); only its hash is kept, the previous one stops
        working at once. Callable over XML-RPC by a supervisor to provision fleets."""
        self._check_supervisor(_('issue terminal tokens'))
        self.ensure_one()
        token = secrets.token_urlsafe(32)
        self.sudo().write({'token_hash': token_hash(token), 'token_issued_at': fields.Datetime.now(),
                           'token_issued_by': self.env.uid})
        return token

    def action_issue_token(self):
        token = self.issue_token()
        # The token rides in the dialog's context, shown from there: no table ever holds it.
        wizard = self.env['mes.terminal.token'].create({'terminal_id': self.id})
        return {'type': 'ir.actions.act_window', 'res_model': 'mes.terminal.token', 'res_id': wizard.id,
                'view_mode': 'form', 'target': 'new', 'name': _('Terminal token'),
                'context': {TOKEN_CONTEXT_KEY: token}}

    def action_revoke_token(self):
        """Cut the terminals off at once; the record says who did it and when."""
        self._check_supervisor(_('revoke terminal tokens'))
        self.sudo().write(self._revocation_values())
        return True

    def write(self, values):
        # Archiving revokes for good: unarchiving later must not bring the old token back.
        if values.get('active') is False:
            values = dict(values, **self._revocation_values())
        return super().write(values)

    def _revocation_values(self):
        return {'token_hash': False, 'token_revoked_at': fields.Datetime.now(), 'token_revoked_by': self.env.uid}

    def _check_supervisor(self, action):
        if not self.env.user.has_group('shopfloor_mes.group_mes_supervisor'):
            raise AccessError(_('Only an MES supervisor can %s.') % action)
        self.check_access_rights('write')
        self.check_access_rule('write')

    def _mes_tz(self):
        """The time zone the tablet shows times in: its own, else the plant's (the company's)."""
        self.ensure_one()
        company = self.workcenter_ids[:1].company_id or self.env.user.company_id
        return self.tz or company._mes_books_tz()

    def _mes_login_employees(self):
        """The operators the login screen lists: those qualified for one of this terminal's work
        centers (hr.employee.mes_workcenter_ids, the list the record path refuses
        employee_not_allowed by). An employee with no list may work anywhere: they log in by
        badge, and are listed only where nobody is qualified by name (a plant that keeps no
        qualifications). Only employees with a badge: events name the employee by it."""
        self.ensure_one()
        Employee = self.env['hr.employee'].sudo()
        named = Employee.search([('barcode', '!=', False), ('mes_workcenter_ids', 'in', self.workcenter_ids.ids)])
        if named:
            return named
        return Employee.search([('barcode', '!=', False)]).filtered(
            lambda e: any(e._mes_may_work_at(wc) for wc in self.workcenter_ids))

    @api.model
    def _find_by_token(self, token):
        if not token or len(token) > 200:
            return self.browse()
        # one statement, with the clock sample the record stage corrects the request's times by
        self.env.cr.execute("""SELECT id, clock_offset_ms, clock_offset_at FROM mes_terminal
                               WHERE token_hash = %s AND active ORDER BY name, id LIMIT 1""", (token_hash(token),))
        row = self.env.cr.fetchone()
        if not row:
            return self.browse()
        return self.sudo().browse(row[0]).with_context(mes_clock_sample=row)

    def _mes_clock(self, sent_at, received_at):
        """The clock offset to correct the times of a request sent at ``sent_at`` (terminal
        clock) and received at ``received_at`` by: ``ordering.request_offset``."""
        self.ensure_one()
        sample = self.env.context.get('mes_clock_sample')
        if sample and sample[0] == self.id:     # read with the token, no query of its own
            known_ms, known_at = sample[1], sample[2]
        else:
            known_ms, known_at = self.sudo().clock_offset_ms, self.sudo().clock_offset_at
        # Odoo 11's cursor reads timestamps as text
        known_at = fields.Datetime.from_string(known_at) if isinstance(known_at, str) else known_at
        known = timedelta(milliseconds=known_ms) if known_at else None
        return ordering.request_offset(ordering.clock_offset(received_at, sent_at), known, known_at, received_at)
