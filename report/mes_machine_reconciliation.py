from odoo import fields, models, tools

from ..models.shared.access import superuser_only


class MesMachineReconciliation(models.Model):
    """Per work order, what its machine counted against what the operators reported (issue 22):
    the two sides as recorded (mes.execution's folded state, the machine's part kept apart),
    and their differences, shown, never added together. A view, evaluated when read.

    A machine that reports good and scrap is compared count for count; one that counts cycles
    only is compared by its cycles against the operators' good plus scrap."""
    _name = 'mes.machine.reconciliation'
    _description = 'Machine counts against the operators\''
    _auto = False
    _order = 'recorded_at desc, id desc'

    workorder_id = fields.Many2one('mrp.workorder', 'Work order', readonly=True)
    production_id = fields.Many2one('mrp.production', 'Manufacturing order', readonly=True)
    workcenter_id = fields.Many2one('mrp.workcenter', 'Work center', readonly=True)
    product_id = fields.Many2one('product.product', 'Product', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    finished = fields.Boolean(readonly=True)
    recorded_at = fields.Datetime('Last recorded', readonly=True)
    operator_good = fields.Float('Good (operators)', readonly=True)
    operator_scrap = fields.Float('Scrap (operators)', readonly=True)
    machine_cycles = fields.Integer('Cycles (machine)', readonly=True)
    machine_good = fields.Float('Good (machine)', readonly=True,
                                help='Empty when the machine counts cycles only.')
    machine_scrap = fields.Float('Scrap (machine)', readonly=True,
                                 help='Empty when the machine counts cycles only.')
    # A difference is the machine's count minus the operators': positive, the machine counted
    # more. Group lines do not add them up (+5 on one order and -5 on another are not 0);
    # the gaps (absolute differences) add up to how many parts are in dispute.
    good_difference = fields.Float('Good: machine - operators', readonly=True, group_operator=False)
    scrap_difference = fields.Float('Scrap: machine - operators', readonly=True, group_operator=False)
    cycle_difference = fields.Float('Cycles - (good + scrap) of operators', readonly=True, group_operator=False,
                                    help='For a machine that counts cycles only: its cycles against every part '
                                         'the operators reported, good or scrapped.')
    gap = fields.Float('Parts in dispute', readonly=True,
                       help='The absolute differences: good and scrap where the machine counts them, else cycles.')
    differs = fields.Boolean('Counts differ', readonly=True)

    def init(self):
        superuser_only(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW mes_machine_reconciliation AS (
                WITH sides AS (
                    SELECT x.id, x.workorder_id, x.recorded_at, x.finished_at IS NOT NULL AS finished,
                           COALESCE(x.good_qty, 0) AS operator_good, COALESCE(x.scrap_qty, 0) AS operator_scrap,
                           (m.machine ->> 'cycles')::int AS machine_cycles,
                           (m.machine ->> 'good')::float8 AS machine_good,
                           (m.machine ->> 'scrap')::float8 AS machine_scrap
                      FROM mes_execution x
                      CROSS JOIN LATERAL (SELECT x.state_json::json -> 'machine' AS machine) m
                     WHERE x.state_json LIKE '%"machine": {%'
                ), differences AS (
                    SELECT s.*, s.machine_good - s.operator_good AS good_difference,
                           s.machine_scrap - s.operator_scrap AS scrap_difference,
                           CASE WHEN s.machine_good IS NULL AND s.machine_scrap IS NULL
                                THEN s.machine_cycles - s.operator_good - s.operator_scrap END AS cycle_difference
                      FROM sides s
                )
                SELECT d.id, d.workorder_id, wo.production_id, wo.workcenter_id, mo.product_id, mo.company_id,
                       d.finished, d.recorded_at, d.operator_good, d.operator_scrap, d.machine_cycles,
                       d.machine_good, d.machine_scrap, d.good_difference, d.scrap_difference, d.cycle_difference,
                       ABS(COALESCE(d.good_difference, 0)) + ABS(COALESCE(d.scrap_difference, 0))
                           + ABS(COALESCE(d.cycle_difference, 0)) AS gap,
                       ABS(COALESCE(d.good_difference, 0)) + ABS(COALESCE(d.scrap_difference, 0))
                           + ABS(COALESCE(d.cycle_difference, 0)) > 1e-9 AS differs
                  FROM differences d
                  JOIN mrp_workorder wo ON wo.id = d.workorder_id
                  JOIN mrp_production mo ON mo.id = wo.production_id
            )""")
