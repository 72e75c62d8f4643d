"""Actual cost of a manufacturing order in real time: conversion absorbed as time closes, the
standard for what was made, and at close the WIP residual split into variances by kind."""
from odoo import _, fields, models
from odoo.exceptions import UserError

from ...services import books, costing
from ..execution.mrp_workcenter import MONEY_GROUPS
from ..shared.access import FINANCE, SUPERVISOR, caller
from ..shared.res_company import VARIANCE_ACCOUNT_FIELD

# (account field on the company, cost element) of each conversion absorption
CONVERSION = [('mes_applied_labor_account_id', 'labor'), ('mes_applied_overhead_account_id', 'machine'),
              ('mes_applied_labor_account_id', 'rework'), ('mes_applied_overhead_account_id', 'rework')]


class MrpProductionPosting(models.Model):
    _inherit = 'mrp.production'

    # Cost is for supervisors and finance; journal items (the variances posted) for finance.
    mes_cost_line_ids = fields.One2many('mes.cost.line', 'production_id', 'Cost sheet', groups=MONEY_GROUPS)
    mes_wip_balance = fields.Monetary('WIP now', compute='_compute_mes_wip', currency_field='mes_currency_id',
                                      groups=MONEY_GROUPS)
    mes_currency_id = fields.Many2one(related='company_id.currency_id', readonly=True)
    mes_variance_line_ids = fields.One2many('account.move.line', 'mes_production_id', 'Variances posted',
                                            domain=['|', ('mes_cost_element', '=', 'variance'),
                                                    ('mes_variance_kind', '!=', False)],
                                            groups='shopfloor_mes.group_mes_finance')
    mes_good_qty = fields.Float('Good quantity', compute='_compute_mes_wip')

    def _compute_mes_wip(self):
        for production in self:
            wip = production.company_id.sudo().mes_wip_account_id
            production.mes_wip_balance = production._mes_balance(wip) if wip else 0.0
            production.mes_good_qty = production._mes_good_qty()

    # -- standards ---------------------------------------------------------------------------
    def _mes_good_qty(self):
        """Finished goods moved to stock so far, in the order's unit; summed by PostgreSQL per
        unit of measure (a long order has a done move per produce event)."""
        self.ensure_one()
        groups = self.env['stock.move'].sudo().read_group(
            [('production_id', '=', self.id), ('scrapped', '=', False), ('state', '=', 'done'),
             ('product_id', '=', self.product_id.id)],
            ['product_uom', 'product_uom_qty'], ['product_uom'], lazy=False)
        Uom = self.env['product.uom']
        return sum(Uom.browse(g['product_uom'][0])._compute_quantity(g['product_uom_qty'], self.product_uom_id)
                   for g in groups if g['product_uom'])

    def _mes_bom_factor(self):
        """How many times the BOM is needed for one unit of this order's product."""
        bom = self.bom_id
        return self.product_uom_id._compute_quantity(1.0, bom.product_uom_id) / (bom.product_qty or 1.0)

    def _mes_material_per_unit(self, workorders=None, consumed_at=None):
        """Standard material of one unit; with ``workorders``, only the components consumed at
        those operations."""
        factor = self._mes_bom_factor()
        if workorders is not None and consumed_at is None:
            consumed_at = self._mes_component_operations()
        total = 0.0
        for line in self.bom_id.bom_line_ids:
            if workorders is not None and consumed_at.get(line.id) not in workorders.ids:
                continue
            qty = line.product_uom_id._compute_quantity(line.product_qty * factor, line.product_id.uom_id)
            total += qty * line.product_id.standard_price
        return total

    def _mes_component_operations(self):
        """{BOM line id: the work order its component is consumed at} (the first of its raw
        moves, as Odoo orders them), read by PostgreSQL: a long order holds a done move per
        posting and component, and filtering them in Python per line and operation took
        seconds."""
        self.ensure_one()
        self.env.cr.execute("""SELECT DISTINCT ON (bom_line_id) bom_line_id, workorder_id FROM stock_move
                               WHERE raw_material_production_id = %s AND bom_line_id IS NOT NULL
                               ORDER BY bom_line_id, sequence, id""", (self.id,))
        return dict(self.env.cr.fetchall())

    def _mes_operations(self, workorders=None):
        operations = []
        for wo in (workorders if workorders is not None else self.workorder_ids):
            if getattr(wo, 'mes_is_rework', False) or not wo.operation_id:
                continue
            wc = wo.workcenter_id
            # the standard, not Odoo's learned average of past orders (time_cycle in 'auto' mode)
            per_unit = wo.operation_id.time_cycle_manual * 100.0 / (wc.time_efficiency or 100.0) / (wc.capacity or 1.0)
            operations.append(costing.Operation(wc.id, per_unit, wc.time_start + wc.time_stop,
                                                wc.mes_labor_rate, wc.mes_crew or 1.0, wc.costs_hour))
        return operations

    def _mes_standard(self):
        """Standard cost by element for the good quantity made, plus what scrapped units took
        out of WIP at their standard so far."""
        good = self._mes_good_qty()
        standard = costing.standard_cost(self._mes_material_per_unit(), self._mes_operations(), good)
        for element, amount in self._mes_scrapped_standard().items():
            standard[element] += amount
        return standard

    def _mes_earned_standard(self):
        """What the operations have earned so far at standard, by element: each operation's
        good quantity at its time and the components it consumes. An open order that used
        exactly its standard shows no variance; a closed one earns what it finished."""
        earned = {'material': 0.0, 'labor': 0.0, 'machine': 0.0}
        consumed_at = self._mes_component_operations()
        for wo in self.workorder_ids:
            operations = self._mes_operations(wo)
            if not operations or wo.qty_produced <= 0:
                continue
            cost = costing.standard_cost(self._mes_material_per_unit(wo, consumed_at), operations, wo.qty_produced)
            for element, amount in cost.items():
                earned[element] += amount
        return earned

    def _mes_scrapped_standard(self):
        """By element, what scrapped units carried out of WIP at standard (their own row of the
        cost sheet): the elements' actuals are shown without it, so the sheet counts it once."""
        carried = {'material': 0.0, 'labor': 0.0, 'machine': 0.0}
        for scrap in self.env['stock.scrap'].sudo().search([('production_id', '=', self.id), ('state', '=', 'done')]):
            carried['material'] += scrap.mes_std_material
            carried['labor'] += scrap.mes_std_labor
            carried['machine'] += scrap.mes_std_machine
        return carried

    # -- actuals from the ledger ---------------------------------------------------------------
    def _mes_ledger_balances(self):
        """{(account id, cost element): debit - credit} of this order's journal items, summed
        by PostgreSQL: an order with 100,000 items is read in milliseconds, not loaded."""
        self.ensure_one()
        groups = self.env['account.move.line'].sudo().read_group(
            [('mes_production_id', '=', self.id)], ['account_id', 'mes_cost_element', 'debit', 'credit'],
            ['account_id', 'mes_cost_element'], lazy=False)
        return {(g['account_id'][0] if g['account_id'] else False, g['mes_cost_element']): g['debit'] - g['credit']
                for g in groups}

    def _mes_balance(self, account):
        """debit - credit of this order's journal items on ``account``."""
        return sum(amount for (account_id, _element), amount in self._mes_ledger_balances().items()
                   if account_id == account.id)

    def _mes_actual(self):
        company = self.company_id.sudo()
        balances = self._mes_ledger_balances()
        wip, scrap = company.mes_wip_account_id.id, company.mes_scrap_account_id.id
        actual = {element: balances.get((wip, element), 0.0) for element in ('material', 'labor', 'machine', 'rework')}
        actual['scrap'] = balances.get((scrap, 'scrap'), 0.0)
        # what facts after the close added, on the variance accounts (the WIP stayed at zero)
        self.env.cr.execute("""SELECT mes_cost_element, SUM(debit - credit) FROM account_move_line
                               WHERE mes_production_id = %s AND mes_variance_kind = 'late_fact'
                                 AND mes_cost_element IS NOT NULL GROUP BY 1""", [self.id])
        for element, amount in self.env.cr.fetchall():
            if element in actual:
                actual[element] += float(amount or 0.0)
        return actual

    # -- conversion absorption -----------------------------------------------------------------
    def _mes_conversion_target_by_day(self):
        """{(day, account field, element): cost} of the time closed so far, by the plant's day
        the interval closed on: its entry is dated by the fact, not by when it was posted."""
        self.ensure_one()
        target = {}
        self.env['mes.labor.log'].recompute()   # the stored production_id is read by SQL below
        cr = self.env.cr
        tz = self.company_id._mes_books_tz()
        # summed by PostgreSQL: an order may hold tens of thousands of intervals. In numeric,
        # exactly: a float sum depends on the order rows are read in, and two ledgers of the
        # same facts once differed by a cent (55.675 rounded both ways).
        # Each interval at its charged minutes: its share when the operator ran several orders.
        cr.execute("""
            SELECT (log.date_stop AT TIME ZONE 'UTC' AT TIME ZONE %s)::date, COALESCE(wo.mes_is_rework, FALSE),
                   SUM(log.charged_minutes::numeric / 60 * log.hourly_rate::numeric)
              FROM mes_labor_log log LEFT JOIN mrp_workorder wo ON wo.id = log.workorder_id
             WHERE log.production_id = %s AND log.date_stop IS NOT NULL
             GROUP BY 1, 2""", [tz, self.id])
        for day, rework, amount in cr.fetchall():
            key = (day, 'mes_applied_labor_account_id', 'rework' if rework else 'labor')
            target[key] = target.get(key, 0.0) + float(amount or 0.0)
        cr.execute("""
            SELECT (run.date_end AT TIME ZONE 'UTC' AT TIME ZONE %s)::date, COALESCE(wo.mes_is_rework, FALSE),
                   SUM(EXTRACT(EPOCH FROM run.date_end - run.date_start) / 3600.0 * run.mes_hourly_rate)
              FROM mrp_workcenter_productivity run JOIN mrp_workorder wo ON wo.id = run.workorder_id
             WHERE wo.production_id = %s AND run.mes_machine_time AND run.date_end IS NOT NULL
               -- one rule for running time: a piece that downtime cut from an operator's interval
               -- still open is running, like that operator's labor (live WIP accrues both);
               -- both are absorbed when the interval closes
               AND NOT EXISTS (SELECT 1 FROM mes_labor_log open_log
                                WHERE open_log.workorder_id = run.workorder_id AND open_log.date_stop IS NULL
                                  AND open_log.date_start <= run.date_end)
             GROUP BY 1, 2""", [tz, self.id])
        for day, rework, amount in cr.fetchall():
            key = (day, 'mes_applied_overhead_account_id', 'rework' if rework else 'machine')
            target[key] = target.get(key, 0.0) + float(amount or 0.0)
        return target

    def _mes_cost_changed(self, cause=''):
        """A fact with a cost landed: absorb closed time and refresh the cost sheet."""
        for production in self:
            production._mes_post_conversion(cause)

    def _mes_post_conversion(self, cause=''):
        """Post the difference between what closed time costs and what was absorbed so far:
        Dr WIP / Cr applied labor or overhead, one journal entry per company and books day for
        all of ``self``, dated by the facts (a locked day's facts on the first open day, with a
        note). A correction (a stop moved earlier, a retried event) is a new compensating entry,
        never an edit of a posted one."""
        for company in self.mapped('company_id'):
            by_day = {}
            for production in self.filtered(lambda p: p.company_id == company):
                for day, lines, moved in production._mes_conversion_lines():
                    entry = by_day.setdefault(day, {'lines': [], 'carried': self.browse(), 'moved': set()})
                    entry['lines'] += lines
                    entry['carried'] |= production
                    entry['moved'] |= moved
            for day in sorted(by_day):
                entry = by_day[day]
                # the reference names the orders this entry carries, no others
                ref = _('Conversion cost: %s') % ', '.join(entry['carried'].mapped('name'))
                if cause:
                    ref = '%s; from %s' % (ref, cause)
                note = ''
                if entry['moved']:
                    note = _('Facts of %s fall in a locked period: booked on %s, the first open day.') % (
                        ', '.join(str(d) for d in sorted(entry['moved'])), day)
                entry['carried'][:1]._mes_post(entry['lines'], ref[:2000], date=day, note=note)
        for production in self:
            production._mes_refresh_cost_lines()

    def _mes_conversion_lines(self):
        """[(books day, journal item values, fact days moved there from a locked period)]: what
        closed time costs less what was absorbed, day by day. A closed order's late facts go to
        its variances, on today's books day."""
        company = self.company_id._mes_costing_setup()
        currency = company.currency_id
        closed = self.state == 'done' and not self.env.context.get('mes_closing')
        accounts = {(company[field].id, element): (field, element) for field, element in CONVERSION}
        target, posted, moved, blocked = {}, {}, {}, []

        def open_day(day):
            # the books locked up to today block only an entry to make, not a comparison
            try:
                return company._mes_open_day(day)
            except UserError as exc:
                blocked.append(exc)
                return day
        today = open_day(books.fact_day(fields.Datetime.from_string(fields.Datetime.now()), company._mes_books_tz()))
        for (day, field, element), amount in self._mes_conversion_target_by_day().items():
            day = books.as_date(day)   # Odoo's cursor reads dates as strings
            books_day = today if closed else open_day(day)
            key = (books_day, field, element)
            target[key] = target.get(key, 0.0) + amount
            if books_day != day and not closed:
                moved.setdefault(books_day, set()).add(day)
        self.env.cr.execute("""SELECT date, account_id, mes_cost_element, SUM(credit - debit) FROM account_move_line
                               WHERE mes_production_id = %s AND account_id = ANY(%s)
                                 AND mes_cost_element IN ('labor', 'machine', 'rework')
                               GROUP BY 1, 2, 3""", [self.id, [a for a, _e in accounts]])
        for day, account_id, element, amount in self.env.cr.fetchall():
            if (account_id, element) not in accounts:
                continue
            field = accounts[(account_id, element)][0]
            books_day = today if closed else open_day(books.as_date(day))
            key = (books_day, field, element)
            posted[key] = posted.get(key, 0.0) + float(amount or 0.0)
        lines_by_day = {}
        for key in sorted(set(target) | set(posted)):
            books_day, field, element = key
            # the target rounded first: whatever the postings' grouping, the ledger ends at the
            # rounded target (rounding each difference drifted by a cent with the grouping)
            delta = currency.round(currency.round(target.get(key, 0.0)) - posted.get(key, 0.0))
            if currency.is_zero(delta):
                continue
            account = company[field]
            if closed:
                lines = self._mes_late_fact_pair(company, account, element, delta)
            else:
                lines = self._mes_pair(company.mes_wip_account_id, account, delta, element,
                                       '%s: %s absorbed' % (self.name, element))
            lines_by_day.setdefault(books_day, []).extend(lines)
        if lines_by_day and blocked:
            raise blocked[0]
        return [(day, lines, moved.get(day, set())) for day, lines in sorted(lines_by_day.items())]

    def _mes_late_fact_pair(self, company, applied_account, element, amount):
        """A closed order's late time: the variance its element closed into takes it, never
        the WIP (which stays at zero). The variance side keeps the element, so the cost sheet's
        actual follows, and says it is late."""
        kind = costing.LATE_FACT_VARIANCE[element]
        variance_account = company[VARIANCE_ACCOUNT_FIELD[kind]]
        lines = self._mes_pair(variance_account, applied_account, amount, element,
                               _('%s: late fact after close, %s adjusts %s') % (
                                   self.name, element, dict(costing.VARIANCE_KINDS)[kind].lower()))
        lines[0][2]['mes_variance_kind'] = costing.LATE_FACT
        return lines

    def _mes_pair(self, debit_account, credit_account, amount, element, name, kind=False, workorder=None,
                  reason=None, quantity=0.0):
        """Two balanced journal item values: ``amount`` debited to one account and credited to
        the other (a negative amount swaps the sides)."""
        common = {'name': name, 'mes_production_id': self.id, 'mes_cost_element': element,
                  'mes_variance_kind': kind, 'product_id': self.product_id.id, 'quantity': quantity,
                  'mes_workorder_id': workorder.id if workorder else False,
                  'mes_reason_id': reason.id if reason else False}
        debit, credit = (amount, 0.0) if amount > 0 else (0.0, -amount)
        return [(0, 0, dict(common, account_id=debit_account.id, debit=debit, credit=credit)),
                (0, 0, dict(common, account_id=credit_account.id, debit=credit, credit=debit))]

    def _mes_post(self, lines, ref, date=None, note=''):
        """Journal items for this order, dated ``date`` (a books day), else by the fact the
        context names (``force_period_date``, as stock_account reads it), else today's books day.
        In a posting (context ``mes_posting_entry``) they join the order's one entry of that
        posting and books day, posted when the posting ends (``_mes_post_entries``); otherwise
        they are an entry of their own, posted now."""
        company = self.company_id.sudo()
        date = fields.Date.to_string(books.as_date(
            date or self.env.context.get('force_period_date') or company._mes_books_day()))
        if self.env.context.get('mes_posting_entry'):
            # what each part is and why it came (the facts a correction carries) on the narration
            entry = self._mes_posting_entry(date)
            if entry:
                self.env.cr.execute("UPDATE account_move SET narration = concat_ws(E'\\n', narration, %s)"
                                    " WHERE id = %s",
                                    ['\n'.join(filter(None, [ref, note])) or None, entry.id])
            else:
                entry = self.env['account.move'].sudo().create({
                    'journal_id': company.mes_production_journal_id.id, 'ref': self._mes_posting_ref(), 'date': date,
                    'narration': '\n'.join(filter(None, [ref, note]))})
            entry._mes_add_items(lines)
            return entry
        values = {'journal_id': company.mes_production_journal_id.id, 'ref': ref, 'line_ids': lines, 'date': date}
        if note:
            values['narration'] = note
        move = self.env['account.move'].sudo().create(values)
        move.post()
        return move

    def _mes_posting_ref(self):
        return _('%s: shop floor posting') % self.name

    def _mes_posting_entry(self, date):
        """The draft entry that gathers this order's journal items of the posting under way on
        books day ``date`` (found by its journal, state, reference and date), if it has begun."""
        self.ensure_one()
        journal = self.company_id.sudo().mes_production_journal_id
        return self.env['account.move'].sudo().search([
            ('journal_id', '=', journal.id), ('state', '=', 'draft'), ('ref', '=', self._mes_posting_ref()),
            ('date', '=', date)], limit=1)

    def _mes_post_entries(self):
        """End of a posting: each order's gathered entries are posted (an empty one, whose
        items cancelled out or never came, is dropped)."""
        for production in self:
            journal = production.company_id.sudo().mes_production_journal_id
            entries = self.env['account.move'].sudo().search([
                ('journal_id', '=', journal.id), ('state', '=', 'draft'), ('ref', '=', production._mes_posting_ref())])
            for entry in entries:
                if entry.line_ids:
                    entry.post()
                else:
                    entry.unlink()

    # -- close ---------------------------------------------------------------------------------
    def button_mark_done(self):
        result = super().button_mark_done()
        for production in self.with_context(mes_closing=True):
            production._mes_post_conversion()   # the last closed time still goes through WIP
            production._mes_close_variances()
        return result

    def _mes_close_variances(self):
        """Split what remains in WIP for this order into variances by kind, leaving it at zero."""
        company = self.company_id._mes_costing_setup()
        wip = company.mes_wip_account_id
        residual = company.currency_id.round(self._mes_balance(wip))
        if company.currency_id.is_zero(residual):
            self._mes_refresh_cost_lines()
            return
        labor_hours = [costing.LaborHours(log.workcenter_id.id, log.charged_minutes / 60.0, log.hourly_rate)
                       for log in self.env['mes.labor.log'].sudo().search([('production_id', '=', self.id)])
                       if not getattr(log.workorder_id, 'mes_is_rework', False)]
        variances = costing.split_variances(residual, self._mes_actual(), self._mes_standard(), labor_hours,
                                            self._mes_operations())
        lines = []
        for variance in variances:
            account = company[VARIANCE_ACCOUNT_FIELD[variance.kind]]
            name = '%s: %s (%s)' % (self.name, dict(costing.VARIANCE_KINDS)[variance.kind], variance.explanation)
            lines += self._mes_pair(account, wip, variance.amount, 'variance', name, kind=variance.kind)
        self._mes_post(lines, _('%s variances at close') % self.name)
        self._mes_refresh_cost_lines()

    # -- cost sheet ----------------------------------------------------------------------------
    def _mes_sheet(self):
        """{element: (standard, actual)} of the cost sheet. Standard: what the operations earned
        so far. Actual: what the element cost, less what scrap carried out of WIP, which is the
        scrap row's own actual: the rows add up to the cost incurred, scrap counted once."""
        self.ensure_one()
        earned, actual, carried = self._mes_earned_standard(), self._mes_actual(), self._mes_scrapped_standard()
        sheet = {element: (earned[element], actual[element] - carried[element])
                 for element in ('material', 'labor', 'machine')}
        sheet.update(scrap=(0.0, actual['scrap']), rework=(0.0, actual['rework']))
        return sheet

    def _mes_refresh_cost_lines(self):
        self.ensure_one()
        sheet = self._mes_sheet()
        existing = {line.element: line for line in self.mes_cost_line_ids}
        currency = self.company_id.currency_id
        for element in ('material', 'labor', 'machine', 'scrap', 'rework'):
            values = {'standard': sheet[element][0], 'actual': sheet[element][1]}
            if element in existing:
                line = existing[element]
                if currency.compare_amounts(line.standard, values['standard']) \
                        or currency.compare_amounts(line.actual, values['actual']):
                    line.sudo().write(values)
            else:
                self.env['mes.cost.line'].sudo().create(dict(values, production_id=self.id, element=element))

    @caller(SUPERVISOR, FINANCE)
    def action_mes_print_cost_sheet(self):
        return self.env.ref('shopfloor_mes.action_report_cost_sheet').report_action(self)

    mes_cost_operation_ids = fields.One2many('mes.cost.operation', 'production_id', 'Cost by operation',
                                             readonly=True, groups=MONEY_GROUPS)

    mes_cost_employee_ids = fields.One2many('mes.cost.employee', 'production_id', 'Cost by employee',
                                            readonly=True, groups=MONEY_GROUPS)
