"""A scripted shift (scripts/simulate_shift.py) sent through the terminal's ingest path: the
OEE of each work center matches a hand computation from the same records.

Twice: on this suite's own fixtures (saw and paint), and on the demo factory itself when the
suite is given its database (``MES_DEMO_DB``, as ``make test`` does), in a transaction that is
rolled back.
"""
import importlib.util
import os
from datetime import date, datetime

import pytest

import odoo
from odoo import fields

from .common import ShopFloorCase

DAY = date(2026, 11, 24)                 # a Tuesday
NOW = datetime(2026, 11, 25, 12, 0)      # after the shift: nothing in progress
REL = 1e-3
NO_STOPS = 480.0        # a stop threshold longer than any pause in the script: run = logged time


def load_script():
    path = os.path.join(os.path.dirname(os.path.realpath(__file__)), '..', 'scripts', 'simulate_shift.py')
    spec = importlib.util.spec_from_file_location('simulate_shift', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


simulate_shift = load_script()


def by_hand(env, workcenter, start, end):
    """A, P and Q of ``workcenter`` over the shift ``start``-``end`` (naive UTC), straight
    from the records, assuming (as the script ensures) everything happened inside the shift:
    planned = shift minus planned stops; run = MES machine time plus slowdowns; ideal = the
    operation's cycle / capacity per unit; total = good + scrap + failed checks. Run time is the
    logged time only with a stop threshold above every pause (``NO_STOPS``): the default
    threshold takes pauses without output out of it (tests/test_oee_day.py)."""
    s, e = fields.Datetime.to_string(start), fields.Datetime.to_string(end)
    logs = env['mrp.workcenter.productivity'].search([
        ('workcenter_id', '=', workcenter.id), ('date_start', '>=', s), ('date_end', '<=', e)])

    def minutes(records):
        return sum((fields.Datetime.from_string(r.date_end) - fields.Datetime.from_string(r.date_start)).total_seconds()
                   for r in records) / 60.0
    planned = (end - start).total_seconds() / 60.0 - minutes(logs.filtered(lambda r: r.mes_reason_id.is_planned))
    run = minutes(logs.filtered('mes_machine_time')) + minutes(logs.filtered(
        lambda r: r.mes_reason_id and not r.mes_reason_id.is_planned and r.mes_reason_id.loss_type == 'performance'))
    ideal = 0.0
    good = scrap = rejected = 0.0
    for event in env['mes.event'].search([('type', '=', 'produce'), ('state', '=', 'applied'),
                                          ('workcenter_id', '=', workcenter.id),
                                          ('corrected_at', '>', s), ('corrected_at', '<=', e)]):
        good += event.qty
        ideal += event.qty * cycle(event.workorder_id)
    for record in env['stock.scrap'].search([('workorder_id.workcenter_id', '=', workcenter.id), ('state', '=', 'done'),
                                             ('date_expected', '>', s), ('date_expected', '<=', e)]):
        if record.product_id == record.workorder_id.production_id.product_id:
            scrap += record.scrap_qty
            ideal += record.scrap_qty * cycle(record.workorder_id)
    failed = env['mes.quality.check'].search([('workorder_id.workcenter_id', '=', workcenter.id),
                                              ('result', '=', 'fail'), ('checked_at', '>', s), ('checked_at', '<=', e)])
    for check in failed:
        rejected += 1
        ideal += cycle(check.workorder_id)
    total = good + scrap + rejected
    return {'availability': run / planned, 'performance': ideal / run, 'quality': good / total}


def cycle(workorder):
    return workorder.operation_id.time_cycle_manual / (workorder.workcenter_id.capacity or 1.0)


def shift_record(env, workcenter, start):
    return env['mes.oee.record'].search([('workcenter_id', '=', workcenter.id), ('period_kind', '=', 'shift'),
                                         ('period_start', '=', fields.Datetime.to_string(start))])


class TestSimulatedShiftOnFixtures(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        calendar = env['resource.calendar'].create({'name': 'Two shifts', 'attendance_ids': [
            (0, 0, {'name': 'Early', 'dayofweek': str(d), 'hour_from': 6.0, 'hour_to': 14.0}) for d in range(5)] + [
            (0, 0, {'name': 'Late', 'dayofweek': str(d), 'hour_from': 14.0, 'hour_to': 22.0}) for d in range(5)]})
        for wc in (cls.saw, cls.paint):
            wc.write({'resource_calendar_id': calendar.id, 'mes_tz': 'America/Chicago',
                      'mes_micro_stop_minutes': NO_STOPS})
        cls.paint_terminal = env['mes.terminal'].create({'name': 'Paint tablet',
                                                         'workcenter_ids': [(6, 0, [cls.paint.id])]})
        order = cls.make_order(10)
        cls.stations = [
            simulate_shift.Station('saw', order.workorder_ids.filtered(lambda w: w.workcenter_id == cls.saw),
                                   cls.terminal, ['B-ANNA', 'B-BEN']),
            simulate_shift.Station('paint', order.workorder_ids.filtered(lambda w: w.workcenter_id == cls.paint),
                                   cls.paint_terminal, ['B-CARL']),
        ]
        cls.start = simulate_shift.shift_start_of(cls.saw, DAY)      # 06:00 in Chicago = 12:00 UTC

    def run_shift(self):
        results = simulate_shift.simulate(self.env, self.stations, self.start)
        bad = [r for rs in results.values() for r in rs if r['status'] != 'applied']
        self.assertFalse(bad, bad)
        self.env['mes.oee.record'].refresh(self.saw | self.paint, DAY, DAY, now=NOW)

    def test_oee_per_work_center_matches_the_hand_computation(self):
        self.assertEqual(self.start, datetime(2026, 11, 24, 12, 0))
        self.run_shift()
        end = self.start.replace(hour=20)
        # From the script, by hand:
        # saw, ideal 3 min: labor 0-170 (two operators, counted once), breakdown 40-65, break
        #   120-135 (planned): planned 465, run 130; good 10, scrap 1: ideal 33
        # paint, ideal 2 min: labor 240-460, breakdown 330-360: planned 480, run 190;
        #   good 9, scrap 1: ideal 20
        expected = {
            self.saw: {'availability': 130 / 465, 'performance': 33 / 130, 'quality': 10 / 11},
            self.paint: {'availability': 190 / 480, 'performance': 20 / 190, 'quality': 9 / 10},
        }
        for workcenter, figures in expected.items():
            record = shift_record(self.env, workcenter, self.start)
            self.assertEqual(len(record), 1, workcenter.name)
            hand = by_hand(self.env, workcenter, self.start, end)
            for name, value in figures.items():
                what = '%s %s' % (workcenter.name, name)
                self.assertAlmostEqual(hand[name], value, delta=value * REL, msg=what + ' (by hand)')
                self.assertAlmostEqual(record[name] / 100, value, delta=value * REL, msg=what)
            product = figures['availability'] * figures['performance'] * figures['quality']
            self.assertAlmostEqual(record.oee / 100, product, delta=product * REL)

    def test_running_the_shift_twice_counts_it_once(self):
        self.run_shift()
        first = shift_record(self.env, self.saw, self.start).oee
        results = simulate_shift.simulate(self.env, self.stations, self.start)
        self.assertTrue(all(r['status'] == 'duplicate' for rs in results.values() for r in rs))
        self.env['mes.oee.record'].refresh(self.saw, DAY, DAY, now=NOW)
        self.assertAlmostEqual(shift_record(self.env, self.saw, self.start).oee, first)


@pytest.fixture(scope='module')
def demo_env():
    db = os.environ.get('MES_DEMO_DB')
    if not db:
        pytest.skip('MES_DEMO_DB is not set: `make test` runs this on the demo factory')
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


def test_demo_factory_after_a_simulated_shift(demo_env):
    env = demo_env
    env['mrp.workcenter'].search([]).write({'mes_micro_stop_minutes': NO_STOPS})
    records = simulate_shift.run(env, DAY, now=NOW)
    # By hand from the script and the demo routings (cycle / capacity):
    #   saw    frames 4 min: planned 465, run 130, good 10 of 11 -> ideal 44
    #   cnc    pedestals 14 min: planned 465, run 195 + 40 slow = 235, good 8 of 8 -> ideal 112
    #   assembly desks 12/2 = 6 min: planned 450 (setup and break), run 135, good 4 of 4 -> ideal 24
    #   paint  frames 45/10 = 4.5 min: planned 480, run 190, good 9 of 10 -> ideal 45
    expected = {
        'demo_workcenter_saw': (130 / 465, 44 / 130, 10 / 11),
        'demo_workcenter_cnc': (235 / 465, 112 / 235, 1.0),
        'demo_workcenter_assembly': (135 / 450, 24 / 135, 1.0),
        'demo_workcenter_paint': (190 / 480, 45 / 190, 9 / 10),
    }
    assert len(records) == 4
    for xmlid, (a, p, q) in expected.items():
        workcenter = env.ref('shopfloor_mes.' + xmlid)
        record = records.filtered(lambda r: r.workcenter_id == workcenter)
        start = fields.Datetime.from_string(record.period_start)
        hand = by_hand(env, workcenter, start, fields.Datetime.from_string(record.period_end))
        for name, value in (('availability', a), ('performance', p), ('quality', q)):
            assert hand[name] == pytest.approx(value, rel=REL), (xmlid, name, 'by hand')
            assert record[name] / 100 == pytest.approx(value, rel=REL), (xmlid, name)
        assert record.oee / 100 == pytest.approx(a * p * q, rel=REL), xmlid
