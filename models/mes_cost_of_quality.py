from odoo import fields, models, tools

ELEMENTS = [('scrap', 'Scrap'), ('rework', 'Rework'), ('inspection', 'Inspection')]
SOURCES = [('scrap', 'Scrapped quantity'), ('labor', 'Labor'), ('machine', 'Machine time'),
           ('inspection', 'Inspection time')]


class MesCostOfQuality(models.Model):
    """Cost of quality for finance: scrap, rework and inspection by product made, reason and
    period (a read-only SQL view; group it in the pivot).

    - scrap: done stock.scrap, quantity x the scrapped product's standard price;
    - rework: labor (minutes x the operator's rate snapshot) and machine time (minutes x the
      work center's hourly cost) on rework work orders, with their nonconformance's reason;
    - inspection: done checks, their inspection minutes at the inspector's rate.

    TODO(costing, issue 5): once the costing posts journal items, read the scrap and rework
    amounts from the ledger instead of revaluing them here: account.move.line rows with
    ``mes_cost_element`` in ('scrap', 'rework'), amount ``debit - credit``, order
    ``mes_production_id`` (product via mrp_production.product_id), work order
    ``mes_workorder_id`` (its reason via stock_scrap.workorder_id / mes_reason_id for scrap,
    mrp_workorder.mes_rework_nonconformance_id -> mes_nonconformance.reason_id for rework) and
    date ``account_move_line.date``; that also brings rework material, which only the ledger
    values. Inspection time stays read from the checks (it is not posted).
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
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW %s AS (%s)" % (self._table, ' UNION ALL '.join((
            SCRAP_SQL, REWORK_LABOR_SQL, REWORK_MACHINE_SQL, INSPECTION_SQL))))


# Row ids: source row id x 10 + a digit per source, stable across reads.
SCRAP_SQL = """
    SELECT s.id * 10 + 1 AS id, COALESCE(sm.date, s.date_expected, s.create_date) AS date,
           'scrap'::varchar AS element, 'scrap'::varchar AS source,
           COALESCE(mo.product_id, s.product_id) AS product_id, s.product_id AS item_product_id,
           s.mes_reason_id AS reason_id, s.production_id, s.workorder_id, wo.workcenter_id,
           NULL::integer AS point_id, mo.company_id,
           s.scrap_qty / su.factor * pu.factor AS qty, 0.0::float AS hours,
           (s.scrap_qty / su.factor * pu.factor * COALESCE(price.value_float, 0.0))::float AS amount
      FROM stock_scrap s
      JOIN product_product pp ON pp.id = s.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN product_uom su ON su.id = s.product_uom_id
      JOIN product_uom pu ON pu.id = pt.uom_id
      LEFT JOIN stock_move sm ON sm.id = s.move_id
      LEFT JOIN mrp_production mo ON mo.id = s.production_id
      LEFT JOIN mrp_workorder wo ON wo.id = s.workorder_id
      LEFT JOIN LATERAL (
            SELECT p.value_float FROM ir_property p
             WHERE p.name = 'standard_price' AND p.res_id = 'product.product,' || s.product_id
             ORDER BY (p.company_id = mo.company_id) DESC NULLS LAST, p.id LIMIT 1) price ON TRUE
     WHERE s.state = 'done'"""

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
           t.duration / 60.0, (t.duration / 60.0 * COALESCE(wc.costs_hour, 0.0))::float
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
