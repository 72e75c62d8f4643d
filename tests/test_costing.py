"""Actual cost in real time, to the cent, with the ledger agreeing at every step.

The order: 5 stools. Standard per stool (routing: Cut on the saw 3 min, Paint 2 min):
  material  3 tube x 4.00 + 1 seat x 10.00 + 8 screws x 0.10      = 22.80
  labor     3 min x 30.00/h (saw) + 2 min x 24.00/h (paint)          =  2.30
  machine   3 min x 60.00/h (saw) + 2 min x 30.00/h (paint)          =  4.00
  total (the stool's standard price)                                 = 29.10
The seat is a sub-assembly made in-house (its own BOM: a second level).
"""
from datetime import timedelta

from odoo import fields

from ..models.shared.res_company import COSTING_ACCOUNTS, VARIANCE_ACCOUNT_FIELD
from ..services import costing
from .common import ShopFloorCase, T0


class CostingCase(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.env.user.company_id._mes_costing_setup()
        cls.company = cls.env.user.company_id
        cls.saw.write({'costs_hour': 60.0, 'mes_labor_rate': 30.0})
        cls.paint.write({'costs_hour': 30.0, 'mes_labor_rate': 24.0})
        categ = cls.tube.categ_id
        cls.seat = env['product.product'].create({'name': 'Seat', 'type': 'product', 'categ_id': categ.id,
                                                  'standard_price': 10.0, 'uom_id': cls.uom.id,
                                                  'uom_po_id': cls.uom.id})
        board = env['product.product'].create({'name': 'Board', 'type': 'product', 'categ_id': categ.id,
                                               'standard_price': 6.0, 'uom_id': cls.uom.id, 'uom_po_id': cls.uom.id})
        env['mrp.bom'].create({'product_tmpl_id': cls.seat.product_tmpl_id.id, 'product_qty': 1.0,
                               'bom_line_ids': [(0, 0, {'product_id': board.id, 'product_qty': 1.0})]})
        env['stock.quant']._update_available_quantity(cls.seat, cls.stock, 20)
        cut_op = cls.routing.operation_ids.filtered(lambda o: o.workcenter_id == cls.saw)
        paint_op = cls.routing.operation_ids - cut_op
        cls.bom.bom_line_ids.unlink()
        cls.bom.write({'bom_line_ids': [
            (0, 0, {'product_id': cls.tube.id, 'product_qty': 3.0, 'operation_id': cut_op.id}),
            (0, 0, {'product_id': cls.seat.id, 'product_qty': 1.0, 'operation_id': paint_op.id}),
            (0, 0, {'product_id': cls.screw.id, 'product_qty': 8.0, 'operation_id': paint_op.id})]})
        cls.stool.standard_price = 29.10
        cls.mo = cls.make_order(5)
        cls.wo_cut = cls.mo.workorder_ids.filtered(lambda w: w.workcenter_id == cls.saw)
        cls.wo_paint = cls.mo.workorder_ids - cls.wo_cut
        cls.paint_terminal = env['mes.terminal'].create({'name': 'Paint tablet',
                                                         'workcenter_ids': [(6, 0, [cls.paint.id])]})

    # -- the ledger ------------------------------------------------------------------------------
    def wip_lines(self, production=None):
        domain = [('account_id', '=', self.company.mes_wip_account_id.id)]
        if production:
            domain.append(('mes_production_id', '=', production.id))
        return self.env['account.move.line'].search(domain)

    def balance(self, lines):
        return round(sum(line.debit - line.credit for line in lines), 2)

    def sheet(self):
        self.mo.invalidate_cache()
        return {line.element: (round(line.standard, 2), round(line.actual, 2)) for line in self.mo.mes_cost_line_ids}

    def assert_invariants(self):
        """GL WIP = sum of open orders' WIP; every WIP item belongs to an order; cost lines =
        journal items; a closed order's WIP is zero."""
        self.env['mrp.production'].invalidate_cache()
        self.assertEqual(self.env['mes.posting'].search([('error', '!=', False)]).mapped('error'), [])
        all_wip = self.wip_lines()
        self.assertFalse(all_wip.filtered(lambda l: not l.mes_production_id), 'WIP items without an order')
        open_orders = all_wip.mapped('mes_production_id').filtered(lambda p: p.state != 'done')
        self.assertEqual(self.balance(all_wip), round(sum(self.balance(self.wip_lines(p)) for p in open_orders), 2))
        for production in all_wip.mapped('mes_production_id').filtered(lambda p: p.state == 'done'):
            self.assertEqual(self.balance(self.wip_lines(production)), 0.0)
        wip = self.wip_lines(self.mo)
        lines = {line.element: line for line in self.mo.mes_cost_line_ids}
        scrapped = self.env['stock.scrap'].search([('production_id', '=', self.mo.id), ('state', '=', 'done')])
        for element in ('material', 'labor', 'machine', 'rework'):
            ledger = self.balance(wip.filtered(lambda l: l.mes_cost_element == element))
            # what scrapped units carried out at standard is the scrap row's, not the element's
            ledger -= round(sum(scrapped.mapped('mes_std_' + element)), 2) if element != 'rework' else 0.0
            # and what facts after the close added, on the variance accounts
            ledger += self.balance(self.env['account.move.line'].search([
                ('mes_production_id', '=', self.mo.id), ('mes_variance_kind', '=', 'late_fact'),
                ('mes_cost_element', '=', element)]))
            self.assertAlmostEqual(lines[element].actual if element in lines else 0.0, ledger, places=2, msg=element)
        scrap = self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id),
                                                      ('account_id', '=', self.company.mes_scrap_account_id.id)])
        self.assertAlmostEqual(lines['scrap'].actual, self.balance(scrap), places=2)
        self.assertAlmostEqual(self.mo.mes_wip_balance, self.balance(wip), places=2)
        # the sheet's actual adds up to the cost incurred: WIP debits, scrap counted once
        incurred = self.balance(wip.filtered(
            lambda l: l.mes_cost_element in ('material', 'labor', 'machine', 'rework')))
        incurred += self.balance(self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id),
                                                                       ('mes_variance_kind', '=', 'late_fact')]))
        self.assertAlmostEqual(sum(line.actual for line in lines.values()), incurred, places=2)

    def step(self, events, terminal=None, received_minute=200):
        self.send_ok(events, terminal=terminal, received_at=T0 + timedelta(minutes=received_minute))
        self.assert_invariants()


class TestCosting(CostingCase):

    def test_order_cost_to_the_cent_with_two_operators_rate_change_scrap_downtime_and_late_interval(self):
        e = self.event
        # Anna (30.00/h) and Ben (36.00/h) cut; Anna reports 2 good
        self.step([e('start', 0), e('start', 10, badge='B-BEN'), e('produce', 20, data={'qty': 2})])
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 24.00)             # 6 tube x 4.00
        # the saw breaks down from minute 30 to 40: its run time 0-30 is cut off, but Anna and
        # Ben are still on it: like their labor, that time is running (live WIP accrues it) and
        # is absorbed when their intervals close, not at the downtime
        self.step([e('downtime_start', 30, data={'reason': 'BRK-MECH'}), e('downtime_end', 40)])
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 24.00)
        # a bad cut: 1 scrapped. Its tube (3 x 4.00) is consumed, and its standard through the
        # cut (12.00 material + 1.50 labor + 3.00 machine) leaves WIP for the scrap expense
        self.step([e('scrap', 45, data={'qty': 1, 'reason': 'DIM'})])
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 24.00 + 12.00 - 16.50)
        # Anna stops: 50 min x 30.00 = 25.00 labor. Ben is still on the saw, so its run time is
        # still running. The sheet shows labor less what the scrapped unit carried out (1.50),
        # which is on the scrap row
        self.step([e('stop', 50)])
        self.assertEqual(self.sheet()['labor'][1], 25.00 - 1.50)
        self.assertEqual(self.sheet()['scrap'][1], 16.50)
        # Ben cuts 3 more and stops: 60 min x 36.00 = 36.00; machine 40-70 = 30.00
        self.step([e('produce', 60, badge='B-BEN', data={'qty': 3}), e('stop', 70, badge='B-BEN')])
        self.step([e('finish', 90)])
        # Anna's rate rises to 33.00; her tablet 2 was offline and replays 75-85 on the cut
        self.anna.timesheet_cost = 33.0
        # Carl paints: he reports 6 seats used (one broke), the screws are backflushed
        self.step([e('start', 100, wo=self.wo_paint, badge='B-CARL'),
                   e('consume', 110, wo=self.wo_paint, badge='B-CARL', data={'product_id': self.seat.id, 'qty': 6}),
                   e('produce', 120, wo=self.wo_paint, badge='B-CARL', data={'qty': 5}),
                   e('stop', 130, wo=self.wo_paint, badge='B-CARL'),
                   e('finish', 130, wo=self.wo_paint, badge='B-CARL')],
                  terminal=self.paint_terminal)
        # finished goods entered stock at standard: 5 x 29.10
        self.assertEqual(self.stool.with_context(location=self.stock.id).qty_available, 5)
        self.step([e('start', 75), e('stop', 85)], terminal=self.terminal2, received_minute=300)
        self.assertAlmostEqual(self.labor_minutes(self.anna), 60.0)

        # Actuals:  material 24 + 12 + 36 (cut) + 60 (seats) + 4 (screws)        = 136.00
        #           labor    25 + 36 + 10 min x 33.00 = 5.50 + 30 min x 24.00 = 12 = 78.50
        #           machine  saw 70 min x 60.00 = 70 + paint 30 min x 30.00 = 15  = 85.00
        # The sheet: standard earned by the 5 good through both operations (material 5 x 22.80,
        # labor 5 x 2.30, machine 5 x 4.00); actual less what the scrapped unit carried out at
        # standard (12.00 + 1.50 + 3.00), which is the scrap row's: 124 + 77 + 82 + 16.50 = 299.50,
        # the cost incurred, scrap counted once
        self.assertEqual(self.sheet(), {
            'material': (114.00, 124.00), 'labor': (11.50, 77.00), 'machine': (20.00, 82.00),
            'scrap': (0.0, 16.50), 'rework': (0.0, 0.0)})
        # WIP = 136 + 78.50 + 85 - 16.50 scrap - 145.50 finished = 137.50
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 137.50)

        # Close: the 137.50 left in WIP is split into variances by kind
        self.mo.button_mark_done()
        self.assert_invariants()
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 0.0)
        variances = self.env['account.move.line'].search([
            ('mes_production_id', '=', self.mo.id), ('mes_cost_element', '=', 'variance'), ('mes_on_wip', '=', False)])
        by_kind = {line.mes_variance_kind: round(line.debit - line.credit, 2) for line in variances}
        # material usage: 136 - 126 = 10.00 (one seat too many)
        # labor rate: Ben 1 h x (36 - 30) + Anna 1/6 h x (33 - 30) = 6.50
        # labor efficiency: saw (2 h - 0.3 h) x 30 + paint (0.5 h - 1/6 h) x 24 = 51 + 8 = 59.00
        # machine efficiency: 85 - 23 = 62.00
        self.assertEqual(by_kind, {'material_usage': 10.00, 'labor_rate': 6.50, 'labor_efficiency': 59.00,
                                   'machine_efficiency': 62.00})
        self.assertEqual(round(sum(by_kind.values()), 2), 137.50)
        # each variance went to the account of its kind
        for line in variances:
            self.assertEqual(line.account_id, self.company[VARIANCE_ACCOUNT_FIELD[line.mes_variance_kind]])
        self.assertEqual(len(variances.mapped('account_id')), 4)

    def test_every_variance_account_a_company_gets_is_one_the_close_posts_to(self):
        # The close posts the kinds services/costing splits the WIP residual into; an account for
        # any other kind would be created in every company and never posted (material price was).
        close_kinds = {kind for kind, _label in costing.CLOSE_VARIANCE_KINDS}
        self.assertEqual(set(VARIANCE_ACCOUNT_FIELD), close_kinds)
        created = {field for field, _code, _name, _type in COSTING_ACCOUNTS if field.startswith('mes_var_')}
        self.assertEqual(created, set(VARIANCE_ACCOUNT_FIELD.values()))
        on_company = {name for name in self.env['res.company']._fields if name.startswith('mes_var_')}
        self.assertEqual(on_company, created)
        for field in created:
            self.assertTrue(self.company[field], 'the costing set-up creates %s' % field)
        # a journal item's kinds are the close's and the late fact, from the same definition
        selection = self.env['account.move.line']._fields['mes_variance_kind'].selection
        self.assertEqual([kind for kind, _label in selection], [kind for kind, _label in costing.VARIANCE_KINDS])

    def test_an_open_order_that_used_exactly_its_standard_shows_no_variance(self):
        # Anna cuts 2 stools in the standard 3 minutes each: 6 tubes, 6 minutes of her and the saw
        self.step([self.event('start', 0), self.event('produce', 6, data={'qty': 2}), self.event('stop', 6)])
        self.assertEqual(self.sheet(), {'material': (24.00, 24.00), 'labor': (3.00, 3.00), 'machine': (6.00, 6.00),
                                        'scrap': (0.0, 0.0), 'rework': (0.0, 0.0)})
        self.assertEqual(self.mo.mes_cost_line_ids.mapped('variance'), [0.0] * 5)

    def test_a_fact_after_the_close_adjusts_the_variances_and_the_wip_stays_at_zero(self):
        e = self.event
        self.step([e('start', 0), e('produce', 15, data={'qty': 5}), e('finish', 60)])
        self.step([e('start', 60, wo=self.wo_paint, badge='B-CARL'),
                   e('produce', 70, wo=self.wo_paint, badge='B-CARL', data={'qty': 5}),
                   e('finish', 80, wo=self.wo_paint, badge='B-CARL')], terminal=self.paint_terminal)
        self.mo.button_mark_done()
        self.assertEqual(self.sheet()['labor'][1], 30.00 + 8.00)         # Anna 60 min, Carl 20 min
        closing = self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id),
                                                        ('mes_cost_element', '=', 'variance')])
        # Anna's offline tablet: she had stopped at minute 40, not at the finish
        self.step([e('stop', 40)], terminal=self.terminal2, received_minute=300)
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 0.0)
        late = self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id),
                                                     ('mes_variance_kind', '=', 'late_fact')])
        self.assertEqual(sorted((line.mes_cost_element, line.account_id, round(line.debit - line.credit, 2))
                                for line in late), [
            ('labor', self.company.mes_var_labor_efficiency_account_id, -10.00),     # 20 min x 30.00 less
            ('machine', self.company.mes_var_machine_efficiency_account_id, -20.00)])  # 20 min x 60.00 less
        self.assertTrue(all('late fact after close' in line.name for line in late))
        self.assertEqual(self.sheet()['labor'][1], 20.00 + 8.00)
        # the close's own variances are untouched: the late fact is its own entry
        self.assertEqual(self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id),
                                                               ('mes_cost_element', '=', 'variance')]), closing)
        self.assert_invariants()

    def test_a_conversion_entry_names_only_the_orders_it_carries(self):
        other = self.make_order(2)
        self.env['mes.labor.log'].create({'employee_id': self.anna.id, 'workorder_id': self.wo_cut.id,
                                          'date_start': '2026-11-24 07:00:00', 'date_stop': '2026-11-24 07:30:00',
                                          'hourly_rate': 30.0, 'charged_minutes': 30.0})
        (other | self.mo)._mes_post_conversion()
        entry = self.conversion_entries()
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.ref, 'Conversion cost: %s' % self.mo.name)

    def test_entries_are_dated_by_the_fact_in_the_plant_time_zone_and_a_locked_day_moves_on(self):
        self.company.partner_id.tz = 'Europe/Berlin'                    # UTC+1 in winter
        e = self.event
        # Anna's night shift across month end, replayed by her tablet after midnight: 23:00-23:30
        # on 30 November in Berlin, then 00:00-00:40 on 1 December (still 30 November in UTC)
        self.step([e('start', 9540), e('stop', 9570), e('start', 9600), e('stop', 9640)], received_minute=9660)
        dated = [(m.date, m.amount) for m in self.conversion_entries().sorted('date')]
        self.assertEqual(dated, [('2026-11-30', 15.00 + 30.00), ('2026-12-01', 20.00 + 40.00)])
        # November is closed; Ben's tablet then replays 22:00-22:30 on 30 November (Berlin)
        self.company.period_lock_date = '2026-11-30'
        before = self.conversion_entries()
        self.step([e('start', 9480, badge='B-BEN'), e('stop', 9510, badge='B-BEN')], terminal=self.terminal2,
                  received_minute=11100)
        late = self.conversion_entries() - before
        self.assertEqual((late.date, late.amount), ('2026-12-01', 18.00 + 30.00))  # first open day
        self.assertIn('2026-11-30', late.narration)
        self.assertIn('locked', late.narration)

    def test_consumption_is_valued_at_once_and_stock_drops(self):
        before = self.tube.with_context(location=self.stock.id).qty_available
        self.step([self.event('produce', 5, data={'qty': 1})])
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 3)
        valuation = self.env['account.move.line'].search([('mes_production_id', '=', self.mo.id),
                                                          ('mes_on_wip', '=', False),
                                                          ('mes_cost_element', '=', 'material')])
        self.assertEqual(self.balance(valuation), -12.00)     # stock valuation credited 3 x 4.00

    def test_explicit_consumption_after_backflush_returns_the_backflushed_quantity(self):
        before = self.tube.with_context(location=self.stock.id).qty_available
        self.step([self.event('produce', 5, data={'qty': 2})])          # backflush 6 tube
        self.step([self.event('consume', 6, data={'product_id': self.tube.id, 'qty': 7})])
        # the 6 backflushed come back; the 7 reported are what was used
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 7)
        self.assertEqual(self.sheet()['material'][1], 28.00)
        self.step([self.event('produce', 7, data={'qty': 1})])          # no more backflush of tube here
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 7)

    def test_a_posted_produce_that_history_made_impossible_is_reversed_not_edited(self):
        """Carl paints 2 stools at minute 50 and they are posted: stools into stock, seats and
        screws out of it. His tablet was offline: it had finished the work order at minute 46,
        so the produce after it is impossible. The 2 stools go back into WIP and the
        components to stock by reversal moves; what was posted stays as it was."""
        e = self.event
        paint = dict(wo=self.wo_paint, badge='B-CARL')
        self.step([e('start', 0), e('produce', 10, data={'qty': 2}), e('stop', 20)])

        def stock(product):
            return product.with_context(location=self.stock.id).qty_available
        stools, seats, screws = stock(self.stool), stock(self.seat), stock(self.screw)
        painted = e('produce', 50, data={'qty': 2}, **paint)
        self.step([e('start', 30, **paint), painted], terminal=self.paint_terminal)
        self.assertEqual((stock(self.stool), stock(self.seat), stock(self.screw)), (stools + 2, seats - 2, screws - 16))
        posted = self.env['account.move'].search([('line_ids.mes_production_id', '=', self.mo.id)])
        before = [(m.id, m.amount, m.state) for m in posted]
        self.step([e('stop', 45, **paint), e('finish', 46, **paint)], terminal=self.paint_terminal, received_minute=300)
        row = self.env['mes.event'].search([('event_uid', '=', painted['id'])])
        self.assertEqual((row.state, row.error_code), ('dead', 'workorder_finished'))
        self.assertEqual((stock(self.stool), stock(self.seat), stock(self.screw)), (stools, seats, screws))
        self.assertEqual(self.wo_paint.qty_produced, 0)
        self.assertEqual([(m.id, m.amount, m.state) for m in posted], before)   # nothing edited
        taken_back = self.wip_lines(self.mo).filtered(lambda l: l.mes_cost_element == 'finished' and l.debit)
        self.assertEqual(self.balance(taken_back), 2 * 29.10)                    # Dr WIP / Cr finished goods
        self.assertTrue((taken_back.mapped('move_id') & posted) == self.env['account.move'])

    def test_a_stop_corrected_later_is_a_compensating_entry_not_an_edit(self):
        self.step([self.event('start', 0), self.event('finish', 60)])
        entries = self.env['account.move'].search([('line_ids.mes_production_id', '=', self.mo.id),
                                                   ('line_ids.mes_cost_element', '=', 'labor')])
        self.assertEqual(self.sheet()['labor'][1], 30.00)                # closed at the finish: 60 min
        posted = [(m.id, m.amount) for m in entries]
        # Anna's tablet was offline: she had stopped at minute 20
        self.step([self.event('stop', 20)], terminal=self.terminal2, received_minute=300)
        self.assertEqual(self.sheet()['labor'][1], 10.00)
        self.assertEqual(self.sheet()['machine'][1], 20.00)
        for move_id, amount in posted:                                   # the first entry is untouched
            self.assertEqual(self.env['account.move'].browse(move_id).amount, amount)
        self.assertEqual(self.env['account.move'].browse(posted[0][0]).state, 'posted')

    def conversion_entries(self):
        return self.env['account.move'].search([('line_ids.mes_production_id', '=', self.mo.id),
                                                ('line_ids.mes_cost_element', 'in', ('labor', 'machine'))])

    def test_a_start_closes_no_time_and_posts_nothing(self):
        self.step([self.event('start', 0), self.event('stop', 60)])
        self.assertEqual(self.sheet()['machine'][1], 60.00)
        entries = self.conversion_entries()
        self.step([self.event('start', 90)], received_minute=91)
        self.assertEqual(self.conversion_entries(), entries)
        self.assertEqual(self.sheet()['labor'][1], 30.00)

    def test_a_late_start_that_reopens_closed_run_time_takes_its_absorption_back(self):
        self.step([self.event('start', 60), self.event('stop', 120)])    # Anna 08:00-09:00, closed
        self.assertEqual(self.sheet()['machine'][1], 60.00)
        # Ben's offline tablet: he started at 07:00 and is still on the saw, so the run time is
        # one open interval from 07:00 and no machine time is closed any more; Ben's own labor
        # is open too, so labor stays at Anna's hour.
        self.step([self.event('start', 0, badge='B-BEN')], terminal=self.terminal2, received_minute=130)
        self.assertEqual(self.sheet()['machine'][1], 0.00)
        self.assertEqual(self.sheet()['labor'][1], 30.00)
        self.step([self.event('stop', 150, badge='B-BEN')], terminal=self.terminal2, received_minute=151)
        self.assertEqual(self.sheet()['machine'][1], 150.00)             # 07:00-09:30 at 60.00/h

    def test_a_retried_event_completes_its_postings(self):
        row = self.assert_rejected(self.event('scrap', 5, data={'qty': 1, 'reason': 'WARPED'}), 'reason_unknown')
        self.assertEqual(self.sheet().get('scrap', (0, 0))[1], 0.0)
        self.env['mes.reason'].create({'code': 'WARPED', 'name': 'Warped', 'kind': 'scrap'})
        row.action_retry()
        self.assertEqual(row.state, 'applied')
        self.assertEqual(self.sheet()['scrap'][1], 16.50)
        self.assert_invariants()

    def test_operators_cannot_read_cost(self):
        from odoo.exceptions import AccessError
        operator = self.env['res.users'].create({
            'name': 'Op', 'login': 'op_cost',
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_operator').id])]})
        self.step([self.event('produce', 5, data={'qty': 1})])
        with self.assertRaises(AccessError):
            self.env['mes.cost.line'].sudo(operator).search([]).read(['actual'])
        with self.assertRaises(AccessError):
            self.env['account.move.line'].sudo(operator).search([], limit=1).read(['debit'])


class TestCostReports(CostingCase):

    def test_live_wip_report_reads_the_ledger(self):
        self.step([self.event('start', 0), self.event('produce', 5, data={'qty': 2}), self.event('stop', 30)])
        self.env['mes.wip.report'].invalidate_cache()
        row = self.env['mes.wip.report'].search([('production_id', '=', self.mo.id)])
        # 6 tube x 4.00 in; 30 min x 30.00 labor + 30 min x 60.00 machine
        self.assertEqual((round(row.material, 2), round(row.conversion, 2), round(row.wip, 2)), (24.00, 45.00, 69.00))
        self.assertEqual(round(row.wip, 2), round(self.mo.mes_wip_balance, 2))

    def test_live_wip_accrues_the_time_running_now_and_says_what_waits_for_its_posting(self):
        # Anna is still on the saw: her time and the saw's run until now, and nothing of it is
        # in the ledger yet (it posts when it closes)
        self.step([self.event('start', 0), self.event('produce', 5, data={'qty': 2})])
        self.env.cr.execute("SELECT now() at time zone 'UTC'")
        hours = (fields.Datetime.from_string(self.env.cr.fetchone()[0]) - T0).total_seconds() / 3600.0
        self.env['mes.wip.report'].invalidate_cache()
        row = self.env['mes.wip.report'].search([('production_id', '=', self.mo.id)])
        self.assertEqual(round(row.wip, 2), 24.00)                          # 6 tube x 4.00 posted
        # Anna + the saw (to the second: the clock read here drops the microseconds)
        self.assertAlmostEqual(row.running, round(hours * (30.0 + 60.0), 2), places=1)
        self.assertAlmostEqual(row.live, row.wip + row.running, places=2)
        self.assertEqual((row.unposted, row.lag_seconds), (0, 0))
        # a fact recorded and not posted yet: the report says one work order waits, and how long
        self.env['mes.event']._record_batch(self.terminal, [self.event('produce', 10, data={'qty': 1})],
                                            T0 + timedelta(minutes=10), T0 + timedelta(minutes=10))
        self.env['mes.wip.report'].invalidate_cache()
        row = self.env['mes.wip.report'].search([('production_id', '=', self.mo.id)])
        self.assertEqual(row.unposted, 1)
        self.assertGreater(row.lag_seconds, 0)

    def test_downtime_leaves_the_run_time_of_an_operator_still_on_the_machine_running(self):
        self.step([self.event('start', 0), self.event('downtime_start', 30, data={'reason': 'BRK-MECH'}),
                   self.event('downtime_end', 40)])
        self.assertEqual(self.balance(self.wip_lines(self.mo)), 0.0, 'nothing closed: nothing absorbed')
        self.env.cr.execute("SELECT now() at time zone 'UTC'")
        hours = (fields.Datetime.from_string(self.env.cr.fetchone()[0]) - T0).total_seconds() / 3600.0
        self.env['mes.wip.report'].invalidate_cache()
        row = self.env['mes.wip.report'].search([('production_id', '=', self.mo.id)])
        # Anna since 07:00 at 30.00/h; the saw 07:00-07:30 and from 07:40 at 60.00/h
        expected = hours * 30.0 + 30.0 + (hours - 40 / 60.0) * 60.0
        self.assertAlmostEqual(row.running, round(expected, 2), places=1)
        self.step([self.event('stop', 60)])
        self.assertEqual((self.sheet()['labor'][1], self.sheet()['machine'][1]), (30.00, 50.00))

    def test_cost_sheet_report_renders(self):
        self.step([self.event('produce', 5, data={'qty': 1})])
        html, _kind = self.env.ref('shopfloor_mes.action_report_cost_sheet').render_qweb_html(self.mo.ids)
        html = html.decode() if isinstance(html, bytes) else html
        self.assertIn('Cost sheet', html)
        self.assertIn(self.mo.name, html)
        self.assertIn('12.00', html)          # material actual: 3 tube x 4.00
