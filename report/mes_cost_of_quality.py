from odoo import fields, models, tools

from ..models.shared.access import superuser_only

ELEMENTS = [('scrap', 'Scrap'), ('rework', 'Rework'), ('inspection', 'Inspection')]
SOURCES = [('scrap', 'Scrapped quantity'), ('material', 'Material'), ('labor', 'Labor'),
           ('machine', 'Machine time'), ('inspection', 'Inspection time')]


class MesCostOfQuality(models.Model):
    """Cost of quality for finance: scrap, rework and inspection by product made, reason and
    period (a read-only SQL view; group it in the pivot).

    - scrap: the scrap expense the ledger holds for each order (journal items of cost element
      'scrap' on the company's scrap account: WIP units at standard through their operation,
      components at standard), with the scrap's reason;
    - rework material: the ledger's rework consumption (journal items of element 'rework' on
      WIP that came from stock moves);
    - rework labor and machine: the closed intervals on rework work orders at the rates
      captured with them, which is exactly what the costing absorbs into WIP for them;
    - inspection: done checks, their inspection minutes at the inspector's rate (not posted).
    """
    _name = 'mes.cost.of.quality'
    _description = 'Cost of quality'
    _auto = False
    _order = 'date desc'

    date = fields.Datetime(readonly=True)
    element = fields.Selection(ELEMENTS, readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    product_id = fields.Many2one('product.product', 'Product made', readonly=True)
    item_product_id = fields.Many2one('product.product', 'Scrapped product', readonly=True)
    reason_id = fields.Many2one('mes.reason', 'Reason', readonly=True)
    production_id = fields.Many2one('mrp.production', 'Manufacturing order', readonly=True)
    workorder_id = fields.Many2one('mrp.workorder', 'Work order', readonly=True)
    workcenter_id = fields.Many2one('mrp.workcenter', 'Work center', readonly=True)
    point_id = fields.Many2one('mes.quality.point', 'Control point', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    qty = fields.Float('Scrapped quantity', readonly=True)
    hours = fields.Float(readonly=True)
    amount = fields.Float(readonly=True, digits=(16, 2))

    def init(self):
        superuser_only(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        # pylint: disable-next=sql-injection  # the view's name and SQL are this module's own
        self.env.cr.execute("CREATE VIEW %s AS (%s)" % (self._table, ' UNION ALL '.join((
            SCRAP_SQL, REWORK_MATERIAL_SQL, REWORK_LABOR_SQL, REWORK_MACHINE_SQL, INSPECTION_SQL))))


# Row ids: source row id x 10 + a digit per source, stable across reads.
SCRAP_SQL = """
    SELECT l.id * 10 + 1 AS id, l.date::timestamp AS date,
           'scrap'::varchar AS element, 'scrap'::varchar AS source,
           mo.product_id AS product_id, l.product_id AS item_product_id,
           l.mes_reason_id AS reason_id, l.mes_production_id AS production_id,
           l.mes_workorder_id AS workorder_id, l.mes_workcenter_id AS workcenter_id,
           NULL::integer AS point_id, l.company_id,
           ABS(COALESCE(l.quantity, 0.0))::float AS qty, 0.0::float AS hours,
           (l.debit - l.credit)::float AS amount
      FROM account_move_line l
      JOIN res_company c ON c.id = l.company_id AND l.account_id = c.mes_scrap_account_id
      JOIN mrp_production mo ON mo.id = l.mes_production_id
     WHERE l.mes_cost_element = 'scrap'"""

REWORK_MATERIAL_SQL = """
    SELECT l.id * 10 + 5, l.date::timestamp, 'rework', 'material', mo.product_id, l.product_id,
           l.mes_reason_id, l.mes_production_id, l.mes_workorder_id, l.mes_workcenter_id, NULL,
           l.company_id, ABS(COALESCE(l.quantity, 0.0))::float, 0.0, (l.debit - l.credit)::float
      FROM account_move_line l
      JOIN mrp_production mo ON mo.id = l.mes_production_id
     WHERE l.mes_cost_element = 'rework' AND l.mes_on_wip AND l.mes_stock_move_id IS NOT NULL"""

REWORK_LABOR_SQL = """
    SELECT l.id * 10 + 2, l.date_start, 'rework', 'labor', mo.product_id, NULL, nc.reason_id,
           wo.production_id, wo.id, wo.workcenter_id, NULL, mo.company_id, 0.0,
           l.duration / 60.0, (l.duration / 60.0 * COALESCE(l.hourly_rate, 0.0))::float
      FROM mes_labor_log l
      JOIN mrp_workorder wo ON wo.id = l.workorder_id AND wo.mes_is_rework
      JOIN mrp_production mo ON mo.id = wo.production_id
      LEFT JOIN mes_nonconformance nc ON nc.id = wo.mes_rework_nonconformance_id
     WHERE l.date_stop IS NOT NULL"""

REWORK_MACHINE_SQL = """
    SELECT t.id * 10 + 3, t.date_start, 'rework', 'machine', mo.product_id, NULL, nc.reason_id,
           wo.production_id, wo.id, wo.workcenter_id, NULL, mo.company_id, 0.0,
           t.duration / 60.0, (t.duration / 60.0 * COALESCE(t.mes_hourly_rate, 0.0))::float
      FROM mrp_workcenter_productivity t
      JOIN mrp_workorder wo ON wo.id = t.workorder_id AND wo.mes_is_rework
      JOIN mrp_workcenter wc ON wc.id = wo.workcenter_id
      JOIN mrp_production mo ON mo.id = wo.production_id
      LEFT JOIN mes_nonconformance nc ON nc.id = wo.mes_rework_nonconformance_id
     WHERE t.mes_machine_time AND t.date_end IS NOT NULL"""

INSPECTION_SQL = """
    SELECT c.id * 10 + 4, c.checked_at, 'inspection', 'inspection', mo.product_id, NULL, NULL,
           c.production_id, c.workorder_id, c.workcenter_id, c.point_id, mo.company_id, 0.0,
           COALESCE(c.inspection_minutes, 0.0) / 60.0, COALESCE(c.inspection_cost, 0.0)::float
      FROM mes_quality_check c
      JOIN mrp_production mo ON mo.id = c.production_id
     WHERE c.state = 'done'"""
