"""Cost of quality for finance, and the issue's acceptance scenario: a failed measurement on
the terminal, through a nonconformance with disposition rework, to a rework work order whose
cost is rework on the order's cost sheet and in the cost of quality."""
from .common import T0

from .quality_common import QualityCase


class TestCostOfQuality(QualityCase):

    def coq(self, **where):
        domain = [('production_id', '=', self.mo.id)] + [(k, '=', v) for k, v in where.items()]
        return self.env['mes.cost.of.quality'].search(domain)

    def test_scrap_is_valued_at_standard_by_product_made_and_reason(self):
        self.send_ok([self.event('scrap', 12, data={'qty': 2, 'reason': 'DIM'}),
                      self.event('scrap', 14, data={'qty': 3, 'reason': 'MATL', 'product_id': self.tube.id})])
        # the stools were scrapped at the cut: the ledger holds their standard through the cut,
        # 3 min x 60.00/h machine each (their components are consumed at the paint operation)
        stools = self.coq(element='scrap', item_product_id=self.stool.id)
        self.assertEqual((stools.qty, stools.amount, stools.reason_id, stools.product_id),
                         (2.0, 6.0, self.scrap_reason, self.stool))
        tubes = self.coq(element='scrap', item_product_id=self.tube.id)
        self.assertEqual((tubes.qty, tubes.amount, tubes.reason_id.code, tubes.product_id),
                         (3.0, 12.0, 'MATL', self.stool))
        # by product, reason and period, as the pivot groups it
        groups = self.env['mes.cost.of.quality'].read_group(
            [('production_id', '=', self.mo.id)], ['amount', 'product_id', 'date'], ['product_id', 'date:month'],
            lazy=False)
        # the entries are dated by the fact (its day in the plant's time zone), not by the posting
        month = T0.strftime('%B %Y')
        self.assertEqual([(g['product_id'][0], g['date:month'], g['amount']) for g in groups],
                         [(self.stool.id, month, 18.0)])

    def test_inspection_time_at_the_inspectors_rate(self):
        point = self.point(inspection_minutes=6.0)
        self.send_ok([self.check(3, point)])
        row = self.coq(element='inspection')
        self.assertEqual((row.hours, row.amount, row.point_id), (0.1, 3.0, point))   # Anna: 30/h

    def test_acceptance_failed_measurement_to_rework_cost(self):
        point = self.length_point(name='Tube length', frequency='first', blocking=True, inspection_minutes=6.0)
        # the first piece measures 451.6 mm: a fail, a nonconformance, production held
        self.send_ok([self.event('start', 0), self.check(5, point, 'pass', value=451.6)])
        self.assert_rejected(self.produce(6, 1), 'quality_check_blocking')
        nc = self.checks(point).nonconformance_ids
        self.assertEqual((nc.state, nc.reason_id), ('draft', self.scrap_reason))
        # the supervisor decides rework; the setter corrects the saw and the order runs on
        nc.write({'disposition': 'rework'})
        nc.action_approve()
        nc.action_done()
        rework = nc.rework_workorder_id
        self.send_ok([self.check(10, point, 'pass', value=450.1), self.produce(30, 5), self.event('finish', 40)])
        # the rework at the saw: 30 minutes of Anna (30/h) and of the saw (60/h); the reworked
        # piece is checked again before it counts
        self.send_ok([self.event('start', 45, wo=rework)])
        self.assert_rejected(self.event('finish', 50, wo=rework), 'quality_check_blocking')
        self.send_ok([self.check(70, point, 'pass', value=450.2, wo=rework),
                      self.produce(72, 1, wo=rework), self.event('finish', 75, wo=rework)])
        self.assertEqual(rework.state, 'done')
        # cost of quality: rework labor and machine, with the nonconformance's reason
        labor = self.coq(element='rework', source='labor')
        machine = self.coq(element='rework', source='machine')
        self.assertEqual((labor.hours, labor.amount, labor.reason_id, labor.workorder_id),
                         (0.5, 15.0, self.scrap_reason, rework))
        self.assertEqual((machine.hours, machine.amount), (0.5, 30.0))
        self.assertAlmostEqual(sum(self.coq(element='inspection').mapped('amount')), 9.0)   # 3 checks x 6 min
        # the order's cost sheet carries the same as rework (the costing reads mes_is_rework)
        self.mo.invalidate_cache()
        line = self.mo.mes_cost_line_ids.filtered(lambda l: l.element == 'rework')
        self.assertAlmostEqual(line.actual, 45.0)
