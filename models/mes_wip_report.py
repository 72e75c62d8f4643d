from odoo import fields, models, tools

from .mes_access import superuser_only


class MesWipReport(models.Model):
    """Live WIP: the ledger's WIP balance of every order that still holds some, straight from
    the journal items (a view, so it is never stale)."""
    _name = 'mes.wip.report'
    _description = 'Work in progress by order'
    _auto = False
    _order = 'wip desc'

    production_id = fields.Many2one('mrp.production', readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    state = fields.Selection([('confirmed', 'Confirmed'), ('planned', 'Planned'), ('progress', 'In progress'),
                              ('done', 'Done'), ('cancel', 'Cancelled')], readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    material = fields.Float(readonly=True)
    conversion = fields.Float('Labor and machine', readonly=True)
    relieved = fields.Float('Finished and scrapped', readonly=True)
    wip = fields.Float('WIP', readonly=True)

    def init(self):
        superuser_only(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW mes_wip_report AS (
                SELECT p.id AS id, p.id AS production_id, p.product_id, p.state, p.company_id,
                       SUM(CASE WHEN l.mes_cost_element = 'material' THEN l.debit - l.credit ELSE 0 END) AS material,
                       SUM(CASE WHEN l.mes_cost_element IN ('labor', 'machine', 'rework') THEN l.debit - l.credit ELSE 0 END) AS conversion,
                       SUM(CASE WHEN l.mes_cost_element IN ('finished', 'scrap', 'variance') THEN l.credit - l.debit ELSE 0 END) AS relieved,
                       SUM(l.debit - l.credit) AS wip
                  FROM account_move_line l
                  JOIN mrp_production p ON p.id = l.mes_production_id
                 WHERE l.mes_on_wip
                 GROUP BY p.id, p.product_id, p.state, p.company_id
                HAVING ROUND(SUM(l.debit - l.credit), 2) <> 0
            )""")
