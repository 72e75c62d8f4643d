def post_init_hook(cr, registry):
    """Create the costing accounts and journal where a chart of accounts is already installed;
    otherwise they are created at the first posting."""
    from odoo import SUPERUSER_ID, api
    env = api.Environment(cr, SUPERUSER_ID, {})
    for company in env['res.company'].search([]):
        if env['account.account'].search_count([('company_id', '=', company.id)]):
            company._mes_costing_setup()
