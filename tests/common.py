"""A small factory built for each test class (never from demo data): two work centers, a
product made in two operations from two components in stock, three operators, a terminal."""
import uuid
from datetime import datetime, timedelta

from odoo.tests.common import SavepointCase

from ..services.contract import format_time as iso

T0 = datetime(2026, 11, 24, 7, 0, 0)   # a Tuesday morning, UTC


class ShopFloorCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.uom = env.ref('product.product_uom_unit')
        cls.stock = env.ref('stock.stock_location_stock')
        cls.saw = env['mrp.workcenter'].create({'name': 'Test saw', 'costs_hour': 60.0})
        cls.paint = env['mrp.workcenter'].create({'name': 'Test paint', 'costs_hour': 30.0})
        categ = env['product.category'].create({'name': 'MES test', 'property_valuation': 'real_time',
                                                'property_cost_method': 'standard'})

        def product(name, price, **extra):
            values = {'name': name, 'type': 'product', 'categ_id': categ.id, 'standard_price': price,
                      'uom_id': cls.uom.id, 'uom_po_id': cls.uom.id}
            values.update(extra)
            return env['product.product'].create(values)
        cls.tube = product('Test tube', 4.0)
        cls.screw = product('Test screw', 0.1)
        cls.stool = product('Test stool', 30.0)
        cls.other = product('Not a component', 1.0)
        for component, qty in ((cls.tube, 500), (cls.screw, 5000)):
            env['stock.quant']._update_available_quantity(component, cls.stock, qty)
        cls.routing = env['mrp.routing'].create({'name': 'Stool routing', 'operation_ids': [
            (0, 0, {'name': 'Cut', 'workcenter_id': cls.saw.id, 'time_cycle_manual': 3.0, 'sequence': 1}),
            (0, 0, {'name': 'Paint', 'workcenter_id': cls.paint.id, 'time_cycle_manual': 2.0, 'sequence': 2}),
        ]})
        cls.bom = env['mrp.bom'].create({
            'product_tmpl_id': cls.stool.product_tmpl_id.id, 'product_qty': 1.0, 'routing_id': cls.routing.id,
            'bom_line_ids': [(0, 0, {'product_id': cls.tube.id, 'product_qty': 3.0}),
                             (0, 0, {'product_id': cls.screw.id, 'product_qty': 8.0})]})
        Employee = env['hr.employee']
        cls.anna = Employee.create({'name': 'Anna', 'barcode': 'B-ANNA', 'mes_pin': '1234', 'timesheet_cost': 30.0})
        cls.ben = Employee.create({'name': 'Ben', 'barcode': 'B-BEN', 'mes_pin': '5678', 'timesheet_cost': 36.0})
        cls.carl = Employee.create({'name': 'Carl', 'barcode': 'B-CARL', 'timesheet_cost': 24.0,
                                    'mes_workcenter_ids': [(6, 0, [cls.paint.id])]})
        cls.terminal = env['mes.terminal'].create({'name': 'Saw tablet', 'workcenter_ids': [(6, 0, [cls.saw.id])]})
        cls.terminal2 = env['mes.terminal'].create({'name': 'Saw tablet 2', 'workcenter_ids': [(6, 0, [cls.saw.id])]})
        cls.scrap_reason = env.ref('shopfloor_mes.reason_scrap_dimension')
        cls.down_reason = env.ref('shopfloor_mes.reason_breakdown_mech')
        cls.mo = cls.make_order(5)
        cls.wo_cut = cls.mo.workorder_ids.filtered(lambda w: w.workcenter_id == cls.saw)
        cls.wo_paint = cls.mo.workorder_ids.filtered(lambda w: w.workcenter_id == cls.paint)
        cls.seq = 0

    @classmethod
    def make_order(cls, qty):
        mo = cls.env['mrp.production'].create({
            'product_id': cls.stool.id, 'product_qty': qty, 'product_uom_id': cls.uom.id, 'bom_id': cls.bom.id})
        mo.action_assign()
        mo.button_plan()
        return mo

    # -- events as a terminal sends them --------------------------------------------------
    def event(self, etype, minute, wo=None, badge='B-ANNA', data=None, seq=None, skew=timedelta(0)):
        """An event at T0 + ``minute`` (true time) from a terminal whose clock is off by ``skew``."""
        type(self).seq += 1
        return {'schema': 1, 'id': str(uuid.uuid4()), 'seq': seq if seq is not None else type(self).seq,
                'type': etype, 'workorder_id': (wo or self.wo_cut).id, 'employee': badge,
                'at': iso(T0 + timedelta(minutes=minute) + skew), 'data': data or {}}

    def send(self, events, terminal=None, skew=timedelta(0), received_at=None):
        """Deliver a batch; the terminal sends it at ``received_at`` by its own (skewed) clock."""
        received_at = received_at or (T0 + timedelta(hours=8))
        return self.env['mes.event']._ingest(terminal or self.terminal, events, received_at + skew, received_at)

    def send_ok(self, events, **kw):
        results = self.send(events, **kw)
        bad = [r for r in results if r['status'] != 'applied']
        self.assertFalse(bad, 'events not applied: %s' % bad)
        return results

    def assert_rejected(self, event, code, **kw):
        result, = self.send([event], **kw)
        self.assertEqual(result['status'], 'rejected', result)
        self.assertEqual(result['error']['code'], code, result)
        row = self.env['mes.event'].search([('event_uid', '=', event['id'])])
        self.assertEqual(row.state, 'dead')
        self.assertEqual(row.error_code, code)
        return row

    # -- what the shop floor reads ----------------------------------------------------------
    def labor_minutes(self, employee, wo=None):
        logs = self.env['mes.labor.log'].search([('employee_id', '=', employee.id),
                                                 ('workorder_id', '=', (wo or self.wo_cut).id)])
        return sum(logs.mapped('duration'))

    def machine_intervals(self, wo=None):
        records = self.env['mrp.workcenter.productivity'].search(
            [('workorder_id', '=', (wo or self.wo_cut).id), ('mes_machine_time', '=', True)], order='date_start')
        return [(r.date_start, r.date_end) for r in records]

    def machine_minutes(self, wo=None):
        records = self.env['mrp.workcenter.productivity'].search(
            [('workorder_id', '=', (wo or self.wo_cut).id), ('mes_machine_time', '=', True)])
        return sum(records.mapped('duration'))

    def scrap_qty(self, wo=None):
        scraps = self.env['stock.scrap'].search([('workorder_id', '=', (wo or self.wo_cut).id)])
        return sum(scraps.mapped('scrap_qty'))
