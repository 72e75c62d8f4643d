"""An order's cost by operation and by employee (read-only SQL views), and the journal items
each line of the cost sheet was computed from.

Where each figure comes from:

- material (and a rework operation's components): the WIP journal items the stock moves of that
  work order posted (``mes_workorder_id``, element material or rework);
- scrap: the scrap account's journal items of that work order (the scrapped units' standard
  through the operation, and scrapped components); *carried to scrap* is the part of it that left
  WIP at standard, which the cost sheet takes off material, labor and machine (``stock.scrap``'s
  ``mes_std_*``), so an operation's total counts scrap once, like the sheet;
- labor: the closed labor logs of the work order, their charged minutes (an operator's share of
  the moments spent on several orders at once, ``mes.labor.log._mes_split_concurrent``) at the
  hourly rate captured when the interval opened;
- machine: the closed machine run time of the work order at the work center's rate captured with
  it, counted as the posting absorbs it (a piece cut by downtime while an operator's interval is
  still open waits for that interval to close).

Labor and machine are absorbed into WIP per order and books day (one journal item per day and
element for all operations of the order), so the ledger holds no per-operation or per-employee
item for them: the lines value the same closed time at the same captured rates, each rounded to
the cent, and the cents the ledger's rounding per day leaves between their sum and the ledger go
to the line with the most cost, so the lines add up to the ledger. A difference larger than that
rounding (time closed but not posted yet: see Blocked postings and Live WIP) is left visible,
never spread over the lines.
"""
from odoo import _, api, fields, models, tools

from ..services import costing
from ..models.shared.access import FINANCE, SUPERVISOR, caller, superuser_only
from ..models.posting.mes_cost_line import journal_items_action as _items_action

# The cents of rounding the ledger may hold beyond the lines' own (the tolerance in the SELECTs
# below): half a cent per books day the time closed on (UTC days, counted twice for the plant's
# time zone) and per line.
_COMMON_CTES = """
    accounts AS (
        SELECT c.id AS company_id, c.currency_id, c.mes_wip_account_id AS wip, c.mes_scrap_account_id AS scrap,
               c.mes_applied_labor_account_id AS applied_labor,
               c.mes_applied_overhead_account_id AS applied_machine
          FROM res_company c
    ),
    closed_log AS (
        SELECT log.id, log.workorder_id, wo.production_id, log.employee_id, log.date_stop,
               COALESCE(log.duration, 0) AS clock_minutes,
               COALESCE(log.charged_minutes, log.duration, 0) AS charged_minutes,
               COALESCE(log.hourly_rate, 0) AS hourly_rate,
               COALESCE(log.charged_minutes, log.duration, 0)::numeric / 60 * COALESCE(log.hourly_rate, 0)::numeric
                   AS cost
          FROM mes_labor_log log JOIN mrp_workorder wo ON wo.id = log.workorder_id
         WHERE log.date_stop IS NOT NULL
    ),
    absorbed_run AS (
        -- machine time as the posting absorbs it (mrp.production._mes_conversion_target_by_day)
        SELECT run.id, run.workorder_id, wo.production_id, run.date_end,
               EXTRACT(EPOCH FROM run.date_end - run.date_start)::numeric / 3600 AS hours,
               EXTRACT(EPOCH FROM run.date_end - run.date_start)::numeric / 3600
                   * COALESCE(run.mes_hourly_rate, 0)::numeric AS cost
          FROM mrp_workcenter_productivity run JOIN mrp_workorder wo ON wo.id = run.workorder_id
         WHERE run.mes_machine_time AND run.date_end IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM mes_labor_log open_log
                            WHERE open_log.workorder_id = run.workorder_id AND open_log.date_stop IS NULL
                              AND open_log.date_start <= run.date_end)
    ),
    days AS (
        SELECT production_id, COUNT(DISTINCT day) AS n FROM (
            SELECT production_id, date_stop::date AS day FROM closed_log
            UNION ALL SELECT production_id, date_end::date FROM absorbed_run) fact_days
         GROUP BY 1
    ),
    applied AS (
        -- what the ledger absorbed for the order: the applied accounts' side of each absorption
        -- (into WIP, or into a variance for a fact after the close)
        SELECT l.mes_production_id AS production_id,
               SUM(CASE WHEN l.account_id = a.applied_labor AND l.mes_cost_element = 'labor'
                        THEN l.credit - l.debit ELSE 0 END)::numeric AS labor,
               SUM(CASE WHEN l.account_id = a.applied_labor AND l.mes_cost_element = 'rework'
                        THEN l.credit - l.debit ELSE 0 END)::numeric AS rework_labor,
               SUM(CASE WHEN l.account_id = a.applied_machine AND l.mes_cost_element = 'machine'
                        THEN l.credit - l.debit ELSE 0 END)::numeric AS machine,
               SUM(CASE WHEN l.account_id = a.applied_machine AND l.mes_cost_element = 'rework'
                        THEN l.credit - l.debit ELSE 0 END)::numeric AS rework_machine
          FROM account_move_line l
          JOIN mrp_production p ON p.id = l.mes_production_id
          JOIN accounts a ON a.company_id = p.company_id
         WHERE l.mes_cost_element IN ('labor', 'machine', 'rework')
           AND l.account_id IN (a.applied_labor, a.applied_machine)
         GROUP BY 1
    )
"""

OPERATION_SQL = """
WITH """ + _COMMON_CTES + """,
    labor AS (
        SELECT workorder_id, SUM(clock_minutes) / 60.0 AS clock_hours, SUM(charged_minutes) / 60.0 AS hours,
               SUM(cost) AS cost
          FROM closed_log GROUP BY 1
    ),
    machine AS (
        SELECT workorder_id, SUM(hours) AS hours, SUM(cost) AS cost FROM absorbed_run GROUP BY 1
    ),
    tagged AS (
        -- the journal items the work order's own facts posted (stock moves, scrap)
        SELECT l.mes_workorder_id AS workorder_id,
               SUM(CASE WHEN l.account_id = a.wip AND l.mes_cost_element IN ('material', 'rework')
                        THEN l.debit - l.credit ELSE 0 END) AS material,
               SUM(CASE WHEN l.account_id = a.scrap AND l.mes_cost_element = 'scrap'
                        THEN l.debit - l.credit ELSE 0 END) AS scrap
          FROM account_move_line l
          JOIN mrp_production p ON p.id = l.mes_production_id
          JOIN accounts a ON a.company_id = p.company_id
         WHERE l.mes_workorder_id IS NOT NULL AND l.mes_cost_element IN ('material', 'rework', 'scrap')
         GROUP BY 1
    ),
    scrapped AS (
        SELECT s.workorder_id,
               SUM(CASE WHEN s.product_id = p.product_id THEN s.scrap_qty ELSE 0 END) AS qty,
               SUM(COALESCE(s.mes_std_material, 0)) AS material, SUM(COALESCE(s.mes_std_labor, 0)) AS labor,
               SUM(COALESCE(s.mes_std_machine, 0)) AS machine
          FROM stock_scrap s JOIN mrp_production p ON p.id = s.production_id
         WHERE s.state = 'done' AND s.workorder_id IS NOT NULL
         GROUP BY 1
    ),
    ops AS (
        SELECT wo.id, wo.production_id, p.company_id, a.currency_id, wo.name, wo.workcenter_id,
               COALESCE(wo.mes_is_rework, FALSE) AS is_rework, COALESCE(wo.qty_produced, 0) AS qty_good,
               COALESCE(sc.qty, 0) AS qty_scrap,
               COALESCE(lab.clock_hours, 0) AS labor_clock_hours, COALESCE(lab.hours, 0) AS labor_hours,
               COALESCE(lab.cost, 0) AS labor_source, COALESCE(m.hours, 0) AS machine_hours,
               COALESCE(m.cost, 0) AS machine_source,
               COALESCE(t.material, 0) AS material_cost, COALESCE(t.scrap, 0) AS scrap_cost,
               COALESCE(sc.material, 0) AS carried_material, COALESCE(sc.labor, 0) AS carried_labor,
               COALESCE(sc.machine, 0) AS carried_machine,
               CASE WHEN COALESCE(wo.mes_is_rework, FALSE) THEN COALESCE(ap.rework_labor, 0)
                    ELSE COALESCE(ap.labor, 0) END AS labor_ledger,
               CASE WHEN COALESCE(wo.mes_is_rework, FALSE) THEN COALESCE(ap.rework_machine, 0)
                    ELSE COALESCE(ap.machine, 0) END AS machine_ledger,
               COALESCE(days.n, 0) AS days
          FROM mrp_workorder wo
          JOIN mrp_production p ON p.id = wo.production_id
          JOIN accounts a ON a.company_id = p.company_id
          LEFT JOIN labor lab ON lab.workorder_id = wo.id
          LEFT JOIN machine m ON m.workorder_id = wo.id
          LEFT JOIN tagged t ON t.workorder_id = wo.id
          LEFT JOIN scrapped sc ON sc.workorder_id = wo.id
          LEFT JOIN applied ap ON ap.production_id = wo.production_id
          LEFT JOIN days ON days.production_id = wo.production_id
    ),
    ranked AS (
        SELECT ops.*,
               ROUND(labor_source, 2) AS labor_rounded, ROUND(machine_source, 2) AS machine_rounded,
               ROW_NUMBER() OVER (PARTITION BY production_id, is_rework ORDER BY labor_source DESC, id) AS labor_rank,
               ROW_NUMBER() OVER (PARTITION BY production_id, is_rework ORDER BY machine_source DESC, id)
                   AS machine_rank,
               labor_ledger - SUM(ROUND(labor_source, 2)) OVER (PARTITION BY production_id, is_rework) AS labor_cents,
               machine_ledger - SUM(ROUND(machine_source, 2)) OVER (PARTITION BY production_id, is_rework)
                   AS machine_cents,
               COUNT(*) OVER (PARTITION BY production_id, is_rework) AS lines
          FROM ops
    )
SELECT id, id AS workorder_id, production_id, company_id, currency_id, name, workcenter_id, is_rework,
       qty_good, qty_scrap, labor_clock_hours, labor_hours, machine_hours,
       (labor_rounded + CASE WHEN labor_rank = 1 AND ABS(labor_cents) <= 0.005 * (2 * days + lines) + 0.000001
                             THEN labor_cents ELSE 0 END)::float AS labor_cost,
       (machine_rounded + CASE WHEN machine_rank = 1 AND ABS(machine_cents) <= 0.005 * (2 * days + lines) + 0.000001
                               THEN machine_cents ELSE 0 END)::float AS machine_cost,
       material_cost, scrap_cost, carried_material, carried_labor, carried_machine,
       carried_material + carried_labor + carried_machine AS carried_total
  FROM ranked
"""

EMPLOYEE_SQL = """
WITH """ + _COMMON_CTES + """,
    per_employee AS (
        SELECT MIN(log.id) AS id, log.production_id, log.employee_id,
               SUM(log.clock_minutes) / 60.0 AS clock_hours, SUM(log.charged_minutes) / 60.0 AS hours,
               SUM(log.cost) AS cost_source,
               MIN(log.hourly_rate) AS rate_min, MAX(log.hourly_rate) AS rate_max,
               STRING_AGG(DISTINCT TO_CHAR(log.hourly_rate, 'FM999999990.00'), ', ') AS rates,
               COUNT(DISTINCT log.workorder_id) AS operations
          FROM closed_log log
         GROUP BY log.production_id, log.employee_id
    ),
    ranked AS (
        SELECT e.*, p.company_id, a.currency_id, ROUND(e.cost_source, 2) AS cost_rounded,
               ROW_NUMBER() OVER (PARTITION BY e.production_id ORDER BY e.cost_source DESC, e.id) AS cost_rank,
               COALESCE(ap.labor, 0) + COALESCE(ap.rework_labor, 0)
                   - SUM(ROUND(e.cost_source, 2)) OVER (PARTITION BY e.production_id) AS cents,
               COUNT(*) OVER (PARTITION BY e.production_id) AS lines, COALESCE(days.n, 0) AS days
          FROM per_employee e
          JOIN mrp_production p ON p.id = e.production_id
          JOIN accounts a ON a.company_id = p.company_id
          LEFT JOIN applied ap ON ap.production_id = e.production_id
          LEFT JOIN days ON days.production_id = e.production_id
    )
SELECT id, production_id, company_id, currency_id, employee_id, clock_hours, hours, rate_min, rate_max, rates,
       operations,
       (cost_rounded + CASE WHEN cost_rank = 1 AND ABS(cents) <= 0.005 * (2 * days + lines) + 0.000001
                            THEN cents ELSE 0 END)::float AS cost
  FROM ranked
"""


class MesCostOperation(models.Model):
    """An order's cost by operation: one line per work order."""
    _name = 'mes.cost.operation'
    _description = 'Order cost by operation'
    _auto = False
    _order = 'production_id, workorder_id'

    production_id = fields.Many2one('mrp.production', 'Manufacturing order', readonly=True)
    workorder_id = fields.Many2one('mrp.workorder', 'Work order', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    name = fields.Char('Operation', readonly=True)
    workcenter_id = fields.Many2one('mrp.workcenter', 'Work center', readonly=True)
    is_rework = fields.Boolean('Rework', readonly=True, help='A rework operation: its cost is the sheet\'s Rework row.')
    qty_good = fields.Float('Good', readonly=True)
    qty_scrap = fields.Float('Scrap', readonly=True, help='Units of the product made scrapped at this operation.')
    labor_clock_hours = fields.Float('Clock hours', readonly=True,
                                     help='The operators\' closed intervals here, as the clock ran.')
    labor_hours = fields.Float('Labor hours', readonly=True,
                               help='Hours charged to this order: an operator on several orders at once '
                                    'charges each its share of the moment.')
    labor_cost = fields.Monetary('Labor', readonly=True, currency_field='currency_id',
                                 help='Labor hours at the rates captured when each interval opened.')
    machine_hours = fields.Float('Machine hours', readonly=True,
                                 help='Run time absorbed: counted once however many operators.')
    machine_cost = fields.Monetary('Machine', readonly=True, currency_field='currency_id')
    material_cost = fields.Monetary('Material', readonly=True, currency_field='currency_id',
                                    help='Components consumed here: the WIP journal items of this work order.')
    scrap_cost = fields.Monetary('Scrap', readonly=True, currency_field='currency_id',
                                 help='Scrap expense of this work order in the ledger.')
    carried_material = fields.Monetary('Material carried to scrap', readonly=True, currency_field='currency_id')
    carried_labor = fields.Monetary('Labor carried to scrap', readonly=True, currency_field='currency_id')
    carried_machine = fields.Monetary('Machine carried to scrap', readonly=True, currency_field='currency_id')
    carried_total = fields.Monetary('Carried to scrap', readonly=True, currency_field='currency_id',
                                    help='The standard the units scrapped here took out of WIP into the scrap '
                                         'expense: part of Scrap, taken off material, labor and machine, '
                                         'as on the cost sheet.')
    total = fields.Monetary('Total', compute='_compute_total', currency_field='currency_id',
                            help='Material + labor + machine + scrap - carried to scrap: the operation\'s '
                                 'share of the cost sheet\'s actual, scrap counted once.')
    standard_material = fields.Monetary('Standard material', compute='_compute_standard',
                                        currency_field='currency_id')
    standard_labor = fields.Monetary('Standard labor', compute='_compute_standard', currency_field='currency_id')
    standard_machine = fields.Monetary('Standard machine', compute='_compute_standard',
                                       currency_field='currency_id')
    standard_total = fields.Monetary('Standard', compute='_compute_standard', currency_field='currency_id',
                                     help='What the good quantity through this operation earns at standard '
                                          '(the cost sheet\'s standard, per operation).')

    def init(self):
        superuser_only(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        # pylint: disable-next=sql-injection  # the view's name and SQL are this module's own
        self.env.cr.execute('CREATE VIEW %s AS (%s)' % (self._table, OPERATION_SQL))

    @api.depends('material_cost', 'labor_cost', 'machine_cost', 'scrap_cost', 'carried_total')
    def _compute_total(self):
        for line in self:
            line.total = line.material_cost + line.labor_cost + line.machine_cost + line.scrap_cost \
                - line.carried_total

    def _compute_standard(self):
        for line in self:
            wo = line.workorder_id.sudo()
            production = wo.production_id
            operations = production._mes_operations(wo) if production else []
            earned = {'material': 0.0, 'labor': 0.0, 'machine': 0.0}
            if operations and wo.qty_produced > 0:
                earned = costing.standard_cost(production._mes_material_per_unit(wo), operations, wo.qty_produced)
            line.standard_material = earned['material']
            line.standard_labor = earned['labor']
            line.standard_machine = earned['machine']
            line.standard_total = sum(earned.values())

    # -- drill-down ---------------------------------------------------------------------------
    def _mes_journal_item_domain(self):
        """The journal items this work order's own facts posted: components consumed here (WIP
        side) and its scrap expense. Labor and machine are absorbed per order and day, for all
        operations: the cost lines Labor and Machine open those."""
        self.ensure_one()
        company = self.production_id.company_id.sudo()
        return [('mes_production_id', '=', self.production_id.id), ('mes_workorder_id', '=', self.workorder_id.id),
                '|', '&', ('account_id', '=', company.mes_wip_account_id.id),
                ('mes_cost_element', 'in', ('material', 'rework')),
                '&', ('account_id', '=', company.mes_scrap_account_id.id), ('mes_cost_element', '=', 'scrap')]

    @caller(FINANCE)
    def action_mes_journal_items(self):
        self.ensure_one()
        return _items_action(_('Journal items: %s, %s') % (self.production_id.name, self.name),
                             self._mes_journal_item_domain())

    @caller(SUPERVISOR, FINANCE)
    def action_mes_labor_logs(self):
        self.ensure_one()
        return {'type': 'ir.actions.act_window', 'name': _('Labor: %s, %s') % (self.production_id.name, self.name),
                'res_model': 'mes.labor.log', 'view_mode': 'tree,form', 'views': [(False, 'tree'), (False, 'form')],
                'domain': [('workorder_id', '=', self.workorder_id.id)], 'context': {'create': False}}

    @caller(SUPERVISOR, FINANCE)
    def action_mes_run_time(self):
        self.ensure_one()
        return {'type': 'ir.actions.act_window',
                'name': _('Machine time: %s, %s') % (self.production_id.name, self.name),
                'res_model': 'mrp.workcenter.productivity', 'view_mode': 'tree,form',
                'views': [(False, 'tree'), (False, 'form')],
                'domain': [('workorder_id', '=', self.workorder_id.id), ('mes_machine_time', '=', True)],
                'context': {'create': False}}


class MesCostEmployee(models.Model):
    """An order's labor by employee: hours charged, the rates captured, cost."""
    _name = 'mes.cost.employee'
    _description = 'Order labor by employee'
    _auto = False
    _order = 'production_id, cost desc, id'

    production_id = fields.Many2one('mrp.production', 'Manufacturing order', readonly=True)
    employee_id = fields.Many2one('hr.employee', 'Employee', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    clock_hours = fields.Float('Clock hours', readonly=True, help='Closed intervals on this order, as the clock ran.')
    hours = fields.Float('Hours', readonly=True,
                         help='Hours charged to this order: while the operator ran several orders at once, '
                              'each order is charged an equal share of the moment.')
    rate_min = fields.Float('Lowest rate', readonly=True, digits=(16, 2))
    rate_max = fields.Float('Highest rate', readonly=True, digits=(16, 2))
    rates = fields.Char('Hourly rates', readonly=True, help='The rates captured when the intervals opened.')
    operations = fields.Integer('Operations', readonly=True)
    cost = fields.Monetary('Cost', readonly=True, currency_field='currency_id')

    def init(self):
        superuser_only(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        # pylint: disable-next=sql-injection  # the view's name and SQL are this module's own
        self.env.cr.execute('CREATE VIEW %s AS (%s)' % (self._table, EMPLOYEE_SQL))

    def _mes_labor_log_domain(self):
        self.ensure_one()
        return [('production_id', '=', self.production_id.id), ('employee_id', '=', self.employee_id.id),
                ('date_stop', '!=', False)]

    def _mes_journal_item_domain(self):
        """The order's labor absorbed, on the applied labor account (labor and rework): the
        ledger posts it per order and day, for all employees; their lines add up to it."""
        self.ensure_one()
        company = self.production_id.company_id.sudo()
        return [('mes_production_id', '=', self.production_id.id),
                ('account_id', '=', company.mes_applied_labor_account_id.id),
                ('mes_cost_element', 'in', ('labor', 'rework'))]

    @caller(SUPERVISOR, FINANCE)
    def action_mes_labor_logs(self):
        self.ensure_one()
        return {'type': 'ir.actions.act_window',
                'name': _('Labor: %s, %s') % (self.production_id.name, self.employee_id.name),
                'res_model': 'mes.labor.log', 'view_mode': 'tree,form', 'views': [(False, 'tree'), (False, 'form')],
                'domain': self._mes_labor_log_domain(), 'context': {'create': False}}

    @caller(FINANCE)
    def action_mes_journal_items(self):
        self.ensure_one()
        return _items_action(_('Labor absorbed: %s') % self.production_id.name, self._mes_journal_item_domain())
