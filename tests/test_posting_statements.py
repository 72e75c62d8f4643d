"""A posting's stock moves: the produced part split off each planned move and done together,
the planned move keeping the rest; counted from the cursor, one posting of one order with 20
new events is a few hundred SQL statements (figure 2c of bench/bench_queries.py)."""
from datetime import timedelta

from .common import T0, ShopFloorCase

CYCLE = ('start', 'produce', 'produce', 'stop')
# measured 452 here (bench floor: 449); 608 when Odoo's _action_done split each planned move
# one at a time (copy, confirm, reservation moved) and each move's valuation had an entry look-up
MAX_STATEMENTS = 460


class TestPostingStatements(ShopFloorCase):

    def setUp(self):
        super().setUp()
        self.tablet = self.env['mes.terminal'].create({'name': 'Paint tablet',
                                                       'workcenter_ids': [(6, 0, self.paint.ids)]})
        # a large order: every posting takes part of each planned move (the last operation
        # consumes the components and makes the finished goods)
        self.big = self.make_order(100)
        self.wo = self.big.workorder_ids.filtered(lambda w: w.workcenter_id == self.paint)

    def record(self, events):
        received = T0 + timedelta(hours=8)
        results, executions = self.env['mes.event']._record_batch(self.tablet, events, received, received,
                                                                enqueue=False)
        self.assertEqual({r['status'] for r in results}, {'applied'}, results)
        return executions

    def cycles(self, count, first_minute):
        return [self.event(etype, first_minute + 5 * n, wo=self.wo, data={'qty': 2} if etype == 'produce' else None)
                for n, etype in enumerate(CYCLE * count)]

    def stock_and_ledger(self):
        """Odoo's stock valuation of the three products, and the balance of their valuation
        account."""
        products = self.tube | self.screw | self.stool
        account = self.stool.categ_id.property_stock_valuation_account_id
        lines = self.env['account.move.line'].search([('account_id', '=', account.id)])
        products.invalidate_cache()
        return sum(products.mapped('stock_value')), sum(lines.mapped('balance'))

    def test_the_planned_moves_keep_what_is_left_and_the_valuation_follows_the_ledger(self):
        # the first posting finds the components reserved: Odoo's own split does it
        self.record(self.cycles(1, 0))._post()
        value, ledger = self.stock_and_ledger()
        self.record(self.cycles(2, 30))._post()
        open_moves = (self.big.move_raw_ids | self.big.move_finished_ids).filtered(
            lambda m: m.state not in ('done', 'cancel'))
        self.assertEqual(sorted((m.product_id.name, m.product_uom_qty, m.quantity_done) for m in open_moves),
                         [('Test screw', 704.0, 0.0), ('Test stool', 88.0, 0.0), ('Test tube', 264.0, 0.0)])
        done = self.env['stock.move'].search([('state', '=', 'done'), ('mes_consumption', '!=', False), '|',
                                              ('raw_material_production_id', '=', self.big.id),
                                              ('production_id', '=', self.big.id)])
        self.assertEqual(sorted((m.product_id.name, m.product_uom_qty, m.mes_consumption) for m in done),
                         [('Test screw', 32.0, 'backflush'), ('Test screw', 64.0, 'backflush'),
                          ('Test stool', 4.0, 'finished'), ('Test stool', 8.0, 'finished'),
                          ('Test tube', 12.0, 'backflush'), ('Test tube', 24.0, 'backflush')])
        # 8 stools in (240.00), 24 tubes (96.00) and 64 screws (6.40) out: valuation and ledger agree
        new_value, new_ledger = self.stock_and_ledger()
        self.assertAlmostEqual(new_value - value, 137.60, places=2)
        self.assertAlmostEqual(new_ledger - ledger, 137.60, places=2)

    def test_a_posting_of_twenty_events_is_a_few_hundred_statements(self):
        # the order's first posting (reserved components, first start) is not the one counted
        self.record(self.cycles(1, 0))._post()
        executions = self.record(self.cycles(5, 30))
        done_before = self.env['stock.move'].search([('state', '=', 'done')])
        before = self.env.cr.sql_log_count
        executions._post()
        statements = self.env.cr.sql_log_count - before
        self.assertFalse(executions.filtered('posting_error'))
        # one done move per component and for the finished goods, 20 units
        done = self.env['stock.move'].search([('state', '=', 'done')]) - done_before
        self.assertEqual(sorted((m.product_id.name, m.product_uom_qty) for m in done),
                         [('Test screw', 160.0), ('Test stool', 20.0), ('Test tube', 60.0)])
        self.assertEqual(self.wo.qty_produced, 24)
        self.assertLessEqual(statements, MAX_STATEMENTS)
