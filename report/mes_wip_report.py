from odoo import fields, models, tools

from ..models.shared.access import superuser_only


class MesWipReport(models.Model):
    """Live WIP of every open order (and of any order that still holds some): what the ledger
    holds (posted), plus the labor and machine time running right now accrued at the rates in
    force, and how far the postings lag behind what the floor recorded. A view, evaluated when
    read: never stale."""
    _name = 'mes.wip.report'
    _description = 'Work in progress by order'
    _auto = False
    _order = 'live desc'

    production_id = fields.Many2one('mrp.production', readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    state = fields.Selection([('confirmed', 'Confirmed'), ('planned', 'Planned'), ('progress', 'In progress'),
                              ('done', 'Done'), ('cancel', 'Cancelled')], readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    material = fields.Float(readonly=True)
    conversion = fields.Float('Labor and machine', readonly=True)
    relieved = fields.Float('Finished and scrapped', readonly=True)
    wip = fields.Float('WIP posted', readonly=True, help='The WIP balance of the order\'s journal items.')
    running = fields.Float('Running now', readonly=True,
                           help='Labor and machine time still running, accrued to now at the rates in force (an '
                                'operator on several orders at once in equal shares); posted when it closes.')
    live = fields.Float('WIP live', readonly=True, help='Posted WIP plus the time running now.')
    unposted = fields.Integer('Work orders not posted yet', readonly=True,
                              help='Work orders whose recorded facts the posting stage has not brought to the '
                                   'ledger yet.')
    lag_seconds = fields.Integer('Posting lag (s)', readonly=True,
                                 help='How long the oldest recorded fact not yet in the ledger has waited.')

    def init(self):
        superuser_only(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        # now() is the reading transaction's: the running time is accrued to the moment read
        self.env.cr.execute("""
            CREATE VIEW mes_wip_report AS (
                WITH ledger AS (
                    SELECT l.mes_production_id AS production_id,
                           SUM(CASE WHEN l.mes_cost_element = 'material' THEN l.debit - l.credit ELSE 0 END)
                               AS material,
                           SUM(CASE WHEN l.mes_cost_element IN ('labor', 'machine', 'rework')
                                    THEN l.debit - l.credit ELSE 0 END) AS conversion,
                           SUM(CASE WHEN l.mes_cost_element IN ('finished', 'scrap', 'variance')
                                    THEN l.credit - l.debit ELSE 0 END) AS relieved,
                           SUM(l.debit - l.credit) AS wip
                      FROM account_move_line l
                     WHERE l.mes_on_wip AND l.mes_production_id IS NOT NULL
                     GROUP BY l.mes_production_id
                ), open_labor AS (
                    SELECT log.production_id, log.employee_id, log.date_start, log.hourly_rate,
                           COUNT(*) OVER (PARTITION BY log.employee_id) AS shares
                      FROM mes_labor_log log
                     WHERE log.date_stop IS NULL
                ), running AS (
                    SELECT production_id, SUM(amount) AS amount FROM (
                        SELECT production_id,
                               GREATEST(EXTRACT(EPOCH FROM (now() at time zone 'UTC') - date_start), 0) / 3600.0
                               * hourly_rate / shares AS amount
                          FROM open_labor
                        UNION ALL
                        SELECT wo.production_id,
                               GREATEST(EXTRACT(EPOCH FROM (now() at time zone 'UTC') - run.date_start), 0) / 3600.0
                               * run.mes_hourly_rate
                          FROM mrp_workcenter_productivity run JOIN mrp_workorder wo ON wo.id = run.workorder_id
                         WHERE run.mes_machine_time AND run.date_end IS NULL
                        UNION ALL
                        -- run time that downtime cut from an operator's interval still open: running
                        -- until that interval closes (mrp.production._mes_conversion_target_by_day)
                        SELECT wo.production_id,
                               EXTRACT(EPOCH FROM run.date_end - run.date_start) / 3600.0 * run.mes_hourly_rate
                          FROM mrp_workcenter_productivity run JOIN mrp_workorder wo ON wo.id = run.workorder_id
                         WHERE run.mes_machine_time AND run.date_end IS NOT NULL
                           AND EXISTS (SELECT 1 FROM mes_labor_log open_log
                                        WHERE open_log.workorder_id = run.workorder_id AND open_log.date_stop IS NULL
                                          AND open_log.date_start <= run.date_end)
                    ) parts GROUP BY production_id
                ), lag AS (
                    SELECT x.production_id, COUNT(*) AS unposted,
                           EXTRACT(EPOCH FROM (now() at time zone 'UTC') - MIN(x.recorded_at))::int AS lag_seconds
                      FROM mes_execution x LEFT JOIN mes_posting p ON p.execution_id = x.id
                     WHERE x.version > COALESCE(p.version, 0) OR p.error IS NOT NULL
                     GROUP BY x.production_id
                )
                SELECT p.id AS id, p.id AS production_id, p.product_id, p.state, p.company_id,
                       COALESCE(ledger.material, 0) AS material, COALESCE(ledger.conversion, 0) AS conversion,
                       COALESCE(ledger.relieved, 0) AS relieved, COALESCE(ledger.wip, 0) AS wip,
                       ROUND(COALESCE(running.amount, 0)::numeric, 2) AS running,
                       COALESCE(ledger.wip, 0) + ROUND(COALESCE(running.amount, 0)::numeric, 2) AS live,
                       COALESCE(lag.unposted, 0) AS unposted, COALESCE(lag.lag_seconds, 0) AS lag_seconds
                  FROM mrp_production p
                  LEFT JOIN ledger ON ledger.production_id = p.id
                  LEFT JOIN running ON running.production_id = p.id
                  LEFT JOIN lag ON lag.production_id = p.id
                 WHERE ROUND(COALESCE(ledger.wip, 0)::numeric, 2) <> 0 OR running.amount > 0 OR lag.unposted > 0
            )""")
