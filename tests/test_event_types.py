"""Each event type lands on Odoo's own records, as the shop floor reports it."""
from .common import ShopFloorCase


class TestEventTypes(ShopFloorCase):

    def test_start_and_stop_open_and_close_labor_and_machine_time(self):
        self.send_ok([self.event('start', 0)])
        # Anna is on the cut: her labor log runs, the machine runs, Odoo's order is in progress
        log = self.env['mes.labor.log'].search([('employee_id', '=', self.anna.id)])
        self.assertEqual(log.state, 'running')
        self.assertEqual(log.hourly_rate, 30.0)
        self.assertEqual(self.wo_cut.state, 'progress')
        self.assertEqual(self.mo.state, 'progress')
        self.assertEqual(self.machine_intervals(), [('2026-11-24 07:00:00', False)])
        self.assertEqual(self.saw.mes_state, 'running')
        self.assertIn('Anna', self.saw.mes_operator_names)
        # 25 minutes later she stops
        self.send_ok([self.event('stop', 25)])
        self.assertEqual(log.date_stop, '2026-11-24 07:25:00')
        self.assertAlmostEqual(self.labor_minutes(self.anna), 25.0)
        self.assertAlmostEqual(self.machine_minutes(), 25.0)
        self.assertAlmostEqual(self.wo_cut.duration, 25.0)        # Odoo's own duration agrees
        self.saw.invalidate_cache()                               # the board is read afresh
        self.assertEqual(self.saw.mes_state, 'idle')

    def test_two_operators_each_paid_machine_counted_once(self):
        self.send_ok([self.event('start', 0), self.event('start', 10, badge='B-BEN'),
                      self.event('stop', 40), self.event('stop', 60, badge='B-BEN')])
        self.assertAlmostEqual(self.labor_minutes(self.anna), 40.0)
        self.assertAlmostEqual(self.labor_minutes(self.ben), 50.0)
        # the machine ran from 0 to 60, once
        self.assertEqual(self.machine_intervals(), [('2026-11-24 07:00:00', '2026-11-24 08:00:00')])
        self.assertAlmostEqual(self.machine_minutes(), 60.0)

    def test_produce_records_good_quantity_on_the_work_order(self):
        self.send_ok([self.event('start', 0), self.event('produce', 10, data={'qty': 2}),
                      self.event('produce', 20, data={'qty': 1.5})])
        self.assertEqual(self.wo_cut.qty_produced, 3.5)
        # the next operation may start once pieces exist, as in Odoo
        self.assertEqual(self.wo_paint.state, 'ready')
        # producing the full quantity does not finish the order behind the operator's back
        self.send_ok([self.event('produce', 30, data={'qty': 1.5})])
        self.assertEqual(self.wo_cut.qty_produced, 5.0)
        self.assertEqual(self.wo_cut.state, 'progress')

    def test_produce_with_lot_for_a_tracked_product(self):
        self.stool.tracking = 'lot'
        mo = self.make_order(2)
        cut = mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        paint = mo.workorder_ids - cut
        self.send_ok([self.event('produce', 5, wo=cut, data={'qty': 2, 'lot': 'LOT-A'})])
        lot = self.env['stock.production.lot'].search([('product_id', '=', self.stool.id), ('name', '=', 'LOT-A')])
        self.assertEqual(cut.final_lot_id, lot)
        self.assertEqual(cut.qty_produced, 2)
        # at the last operation the lot enters stock
        paint_terminal = self.env['mes.terminal'].create({'name': 'Paint', 'workcenter_ids': [(6, 0, [self.paint.id])]})
        self.send_ok([self.event('produce', 9, wo=paint, data={'qty': 2, 'lot': 'LOT-A'})], terminal=paint_terminal)
        self.assertEqual(self.stool.with_context(lot_id=lot.id, location=self.stock.id).qty_available, 2)

    def test_scrap_creates_a_stock_scrap_with_its_reason(self):
        self.send_ok([self.event('scrap', 12, data={'qty': 2, 'reason': 'DIM'})])
        scrap = self.env['stock.scrap'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(scrap.state, 'done')
        self.assertEqual(scrap.product_id, self.stool)
        self.assertEqual(scrap.scrap_qty, 2)
        self.assertEqual(scrap.mes_reason_id, self.scrap_reason)
        self.assertEqual(scrap.production_id, self.mo)
        self.assertEqual(self.wo_cut.mes_scrap_qty, 2)

    def test_scrap_of_a_component_takes_it_from_stock(self):
        before = self.tube.qty_available
        self.send_ok([self.event('scrap', 12, data={'qty': 3, 'reason': 'MATL', 'product_id': self.tube.id})])
        scrap = self.env['stock.scrap'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual(scrap.product_id, self.tube)
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 3)

    def test_consume_records_component_use_on_the_work_order(self):
        before = self.tube.with_context(location=self.stock.id).qty_available
        self.send_ok([self.event('consume', 5, data={'product_id': self.tube.id, 'qty': 4})])
        done = self.env['stock.move'].search([('workorder_id', '=', self.wo_cut.id), ('product_id', '=', self.tube.id),
                                              ('state', '=', 'done')])
        self.assertEqual(done.mapped('mes_consumption'), ['explicit'])
        self.assertEqual(done.product_uom_qty, 4)
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 4)
        # the reported quantity replaces the BOM ratio for that component when producing
        self.send_ok([self.event('produce', 10, data={'qty': 1})])
        self.assertEqual(self.tube.with_context(location=self.stock.id).qty_available, before - 4)

    def test_downtime_is_an_availability_loss_and_cuts_run_time(self):
        self.send_ok([self.event('start', 0), self.event('downtime_start', 20, data={'reason': 'BRK-MECH'})])
        self.assertEqual(self.saw.mes_state, 'down')
        self.assertEqual(self.saw.mes_downtime_reason_id, self.down_reason)
        self.send_ok([self.event('downtime_end', 35), self.event('stop', 60)])
        self.saw.invalidate_cache()
        down = self.env['mrp.workcenter.productivity'].search([('workcenter_id', '=', self.saw.id),
                                                               ('mes_reason_id', '!=', False)])
        self.assertEqual(down.loss_type, 'availability')
        self.assertEqual(down.mes_reason_id.code, 'BRK-MECH')
        self.assertEqual((down.date_start, down.date_end), ('2026-11-24 07:20:00', '2026-11-24 07:35:00'))
        # the operator is paid for the hour; the machine ran 45 minutes
        self.assertAlmostEqual(self.labor_minutes(self.anna), 60.0)
        self.assertEqual(self.machine_intervals(), [('2026-11-24 07:00:00', '2026-11-24 07:20:00'),
                                                    ('2026-11-24 07:35:00', '2026-11-24 08:00:00')])
        self.assertEqual(self.saw.mes_state, 'idle')

    def test_check_stores_the_result(self):
        point = self.env['mes.quality.point'].create({'name': 'Length', 'kind': 'measure', 'nominal': 450,
                                                      'tolerance_min': 449, 'tolerance_max': 451, 'unit': 'mm'})
        self.send_ok([self.event('check', 8, data={'point_id': point.id, 'result': 'pass', 'value': 450.2,
                                                   'note': 'first piece'})])
        check = self.env['mes.quality.check'].search([('workorder_id', '=', self.wo_cut.id)])
        self.assertEqual((check.result, check.value, check.note, check.employee_id),
                         ('pass', 450.2, 'first piece', self.anna))
        self.assertEqual(check.checked_at, '2026-11-24 07:08:00')

    def test_finish_closes_running_time_and_finishes_natively(self):
        self.send_ok([self.event('start', 0), self.event('start', 5, badge='B-BEN'),
                      self.event('produce', 50, data={'qty': 5}), self.event('finish', 55)])
        self.assertEqual(self.wo_cut.state, 'done')
        self.assertEqual(self.wo_cut.date_finished, '2026-11-24 07:55:00')
        logs = self.wo_cut.mes_labor_log_ids
        self.assertTrue(all(log.date_stop == '2026-11-24 07:55:00' and log.closed_by_finish for log in logs))
        self.assertAlmostEqual(self.labor_minutes(self.anna) + self.labor_minutes(self.ben), 55 + 50)
        self.assertAlmostEqual(self.machine_minutes(), 55)
        self.assertFalse(self.env['mrp.workcenter.productivity'].search(
            [('workorder_id', '=', self.wo_cut.id), ('date_end', '=', False)]))

    def test_stop_reported_late_after_finish_lands_at_its_true_time(self):
        self.send_ok([self.event('start', 0), self.event('start', 0, badge='B-BEN'), self.event('finish', 60)])
        # Ben's tablet was offline: he had stopped at minute 30
        self.send_ok([self.event('stop', 30, badge='B-BEN')])
        self.assertAlmostEqual(self.labor_minutes(self.ben), 30.0)
        self.assertAlmostEqual(self.labor_minutes(self.anna), 60.0)
        self.assertAlmostEqual(self.machine_minutes(), 60.0)
