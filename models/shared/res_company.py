from datetime import datetime, timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

from ...services import books, costing
from ...services.execution_machine import STOP_THRESHOLD

# (field, code to start from, name, account type xml id)
COSTING_ACCOUNTS = [
    ('mes_wip_account_id', 139100, 'Work in progress (MES)', 'account.data_account_type_current_assets'),
    ('mes_applied_labor_account_id', 519100, 'Applied labor (MES)', 'account.data_account_type_direct_costs'),
    ('mes_applied_overhead_account_id', 519200, 'Applied machine overhead (MES)',
     'account.data_account_type_direct_costs'),
    ('mes_scrap_account_id', 519300, 'Scrap expense (MES)', 'account.data_account_type_direct_costs'),
    ('mes_var_material_usage_account_id', 519400, 'Material usage variance', 'account.data_account_type_direct_costs'),
    ('mes_var_labor_rate_account_id', 519420, 'Labor rate variance', 'account.data_account_type_direct_costs'),
    ('mes_var_labor_efficiency_account_id', 519430, 'Labor efficiency variance',
     'account.data_account_type_direct_costs'),
    ('mes_var_machine_efficiency_account_id', 519440, 'Machine efficiency variance',
     'account.data_account_type_direct_costs'),
    ('mes_var_rework_account_id', 519450, 'Rework cost', 'account.data_account_type_direct_costs'),
    ('mes_var_lot_size_account_id', 519460, 'Lot size and standard variance', 'account.data_account_type_direct_costs'),
]
# The account of each kind the close posts (services/costing.py): one field per kind, no other
# (tests/test_costing.py checks the accounts above against it).
VARIANCE_ACCOUNT_FIELD = {kind: 'mes_var_%s_account_id' % kind for kind, _label in costing.CLOSE_VARIANCE_KINDS}


# Companies whose locations were seen valued into WIP, per database: the check costs two
# searches and runs before every valued fact.
_SETUP_CHECKED = set()


class ResCompanyMesSettings(models.Model):
    """Where the shop floor's cost lands in the ledger, per company."""
    _inherit = 'res.company'

    mes_wip_account_id = fields.Many2one('account.account', 'WIP account')
    mes_applied_labor_account_id = fields.Many2one('account.account', 'Applied labor account')
    mes_applied_overhead_account_id = fields.Many2one('account.account', 'Applied overhead account')
    mes_scrap_account_id = fields.Many2one('account.account', 'Scrap expense account')
    mes_var_material_usage_account_id = fields.Many2one('account.account', 'Material usage variance')
    mes_var_labor_rate_account_id = fields.Many2one('account.account', 'Labor rate variance')
    mes_var_labor_efficiency_account_id = fields.Many2one('account.account', 'Labor efficiency variance')
    mes_var_machine_efficiency_account_id = fields.Many2one('account.account', 'Machine efficiency variance')
    mes_var_rework_account_id = fields.Many2one('account.account', 'Rework account')
    mes_var_lot_size_account_id = fields.Many2one('account.account', 'Lot size variance')
    mes_production_journal_id = fields.Many2one('account.journal', 'Production journal')
    # Plausibility of what the terminals report, per company; 0 takes the plant-wide default
    # (the system parameter shopfloor_mes.<name>, else the built-in default).
    mes_quantity_tolerance = fields.Float(
        'Quantity tolerance (x planned)', help='A reported quantity above what the operation still needs by more '
        'than this share of the planned quantity is held for a supervisor. 0: the default (0.5).')
    mes_max_interval_hours = fields.Float(
        'Longest interval (hours)', help='A labor or machine interval longer than this is held for a supervisor. '
        '0: the default (12).')
    mes_max_age_days = fields.Float(
        'Oldest report (days)', help='An event dated more than this before it was received is held for a '
        'supervisor. 0: the default (7).')
    mes_stop_threshold_minutes = fields.Float(
        'Stop threshold (min)', default=5.0,
        help='OEE: running with no output for longer than this is an unexplained stop (availability loss); '
             'a shorter pause is a micro-stop (performance loss). A work center may set its own.')
    mes_partner_wait_hours = fields.Float(
        'Wait for a missing start (hours)', help='How long a stop or downtime end waits for its start (from '
        'another tablet, still offline) before it is rejected. 0: the default (12).')
    mes_machine_stop_minutes = fields.Float(
        'Unexplained machine stop after (minutes)', help='A machine that reports idle or down for longer than '
        'this opens an unexplained stop the operator\'s terminal asks to classify; a shorter pause is a '
        'micro-stop. 0: the default (2).')

    def _mes_machine_stop_threshold(self):
        """How long a machine idle or down is a stop: the company's setting, else the plant's."""
        minutes = self.sudo().mes_machine_stop_minutes or float(
            self.env['ir.config_parameter'].sudo().get_param('shopfloor_mes.machine_stop_minutes') or 0.0)
        return timedelta(minutes=minutes) if minutes > 0 else STOP_THRESHOLD

    # -- the books day of a fact -------------------------------------------------------------------
    def _mes_books_tz(self):
        """The plant's time zone: a fact's day is its day there, not in UTC."""
        return self.sudo().partner_id.tz or 'UTC'

    def _mes_books_day(self, moment=None):
        """The day an entry for a fact at ``moment`` (naive UTC datetime or Odoo string; now
        when None) is dated: the fact's day in the plant's time zone, or the first open day when
        its period is locked. Blocks (UserError) when even today is locked."""
        company = self.sudo()
        tz = company._mes_books_tz()
        moment = moment or datetime.utcnow()
        if isinstance(moment, str):
            moment = fields.Datetime.from_string(moment)
        day = books.fact_day(moment, tz)
        return self._mes_open_day(day)

    def _mes_open_day(self, day):
        """``day``, or the first open day when ``day`` is locked (period or fiscal year)."""
        company = self.sudo()
        locks = [books.as_date(d) for d in (company.period_lock_date, company.fiscalyear_lock_date) if d]
        lock = max(locks) if locks else None
        try:
            return books.books_day(day, lock, books.fact_day(datetime.utcnow(), company._mes_books_tz()))
        except books.BooksClosed:
            raise UserError(_('The books of %s are locked up to %s (lock date), today included: there is no open '
                              'day to book the shop floor\'s cost on. Move the lock date back (Accounting, '
                              'Settings), then post again.') % (company.name, lock))

    def _mes_costing_setup(self):
        """Make sure the accounts, the journal and the WIP valuation of the production and scrap
        locations exist; create sensible defaults where missing. Cheap when all is set."""
        self.ensure_one()
        company = self.sudo()
        configured = all(company[f] for f, *_ in COSTING_ACCOUNTS) and company.mes_production_journal_id
        key = (self.env.cr.dbname, company.id, company.mes_wip_account_id.id)
        if configured and key in _SETUP_CHECKED:
            return company
        if configured and company._mes_locations_valued():
            _SETUP_CHECKED.add(key)
            return company
        Account = self.env['account.account'].sudo()
        if not Account.search_count([('company_id', '=', company.id)]):
            raise UserError(_('Company %s has no chart of accounts: install one (Invoicing > '
                              'Configuration) before running production with costing.') % company.name)
        values = {}
        for field, start, name, type_xmlid in COSTING_ACCOUNTS:
            if not company[field]:
                code = start
                while Account.search_count([('code', '=', str(code)), ('company_id', '=', company.id)]):
                    code += 1
                values[field] = Account.create({
                    'code': str(code), 'name': name, 'company_id': company.id,
                    'user_type_id': self.env.ref(type_xmlid).id, 'reconcile': False}).id
        if not company.mes_production_journal_id:
            values['mes_production_journal_id'] = self.env['account.journal'].sudo().create({
                'name': 'Production (MES)', 'code': 'MES', 'type': 'general', 'company_id': company.id,
                'show_on_dashboard': False}).id
        if values:
            company.write(values)
        company._mes_value_locations()
        return company

    def _mes_production_location(self):
        return self.env['stock.location'].sudo().search(
            [('usage', '=', 'production'), ('company_id', 'in', (self.id, False))], limit=1, order='company_id')

    def _mes_scrap_locations(self):
        return self.env['stock.location'].sudo().search(
            [('scrap_location', '=', True), ('company_id', 'in', (self.id, False))])

    def _mes_locations_valued(self):
        production = self._mes_production_location()
        return production.valuation_in_account_id == self.mes_wip_account_id \
            and production.valuation_out_account_id == self.mes_wip_account_id \
            and all(loc.valuation_in_account_id for loc in self._mes_scrap_locations())

    def _mes_value_locations(self):
        # Components leaving stock for production debit WIP; finished goods entering stock
        # from production credit it (stock_account reads these location accounts).
        self._mes_production_location().write({
            'valuation_in_account_id': self.mes_wip_account_id.id,
            'valuation_out_account_id': self.mes_wip_account_id.id})
        for location in self._mes_scrap_locations().filtered(lambda l: not l.valuation_in_account_id):
            location.valuation_in_account_id = self.mes_scrap_account_id
