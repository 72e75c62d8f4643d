"""The ledger changes only through events (SECURITY.md, issue 16 item 3): operators and finance
write no manufacturing or work order, planners write no execution fact, nobody writes a labor
log; a supervisor's correction is an event of its own (who, why, what it replaces), judged by
the same rules as a terminal's start and stop, in the work order's history."""
import json
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError

from .common import T0
from .test_security_access import SecurityCase


def stamp(moment):
    return moment.strftime('%Y-%m-%d %H:%M:%S')


class LedgerCase(SecurityCase):

    def shift(self, *intervals, badge='B-ANNA'):
        """Anna's (or ``badge``'s) intervals on the saw, in minutes after T0, from the terminal."""
        events = []
        for start, stop in intervals:
            events += [self.event('start', start, badge=badge), self.event('stop', stop, badge=badge)]
        self.send_ok(events)
        logs = self.env['mes.labor.log'].search([('workorder_id', '=', self.wo_cut.id),
                                                 ('employee_id.barcode', '=', badge)], order='date_start')
        self.assertEqual(len(logs), len(intervals))
        return logs

    def correct(self, log, start, stop, reason='forgot to stop: the paper log says so', user=None):
        """What the supervisor does: Correct... on the log, new times and a reason, Correct."""
        user = user or self.supervisor
        action = log.sudo(user).action_open_correction()
        wizard = self.env[action['res_model']].sudo(user).with_context(**action['context']).create(
            {'date_start': stamp(start), 'date_stop': stamp(stop), 'reason': reason})
        return wizard.action_correct()

    def corrections(self):
        return self.env['mes.event'].search([('type', '=', 'labor_correction'), ('workorder_id', '=', self.wo_cut.id)])


class TestOnlyEventsChangeTheLedger(LedgerCase):

    def test_operators_and_finance_cannot_write_or_create_manufacturing_or_work_orders(self):
        for role in ('operator', 'finance'):
            user = self.roles[role]
            with self.assertRaises(AccessError, msg=role):
                self.wo_cut.sudo(user).write({'qty_produced': 5})
            with self.assertRaises(AccessError, msg=role):
                self.mo.sudo(user).write({'origin': 'typed over XML-RPC'})
            with self.assertRaises(AccessError, msg=role):
                self.mo.sudo(user).write({'product_qty': 50})
            with self.assertRaises(AccessError, msg=role):
                self.env['mrp.production'].sudo(user).create({
                    'product_id': self.stool.id, 'product_qty': 1, 'product_uom_id': self.uom.id,
                    'bom_id': self.bom.id})
            with self.assertRaises(AccessError, msg=role):
                self.env['mrp.workcenter.productivity'].sudo(user).create({
                    'workorder_id': self.wo_cut.id, 'workcenter_id': self.saw.id, 'date_start': stamp(T0),
                    'loss_id': self.env['mrp.workcenter.productivity.loss'].search([], limit=1).id})
        self.assertEqual(self.wo_cut.qty_produced, 0)
        self.assertFalse(self.mo.origin)
        self.assertEqual(self.mo.product_qty, 5)

    def test_planners_plan_but_do_not_write_execution_facts(self):
        self.shift((0, 30))
        wo = self.wo_cut.sudo(self.supervisor)
        for values in ({'qty_produced': 5}, {'qty_producing': 9}, {'date_start': stamp(T0)},
                       {'date_finished': stamp(T0)}, {'state': 'done'}):
            with self.assertRaises(AccessError, msg=values):
                wo.write(values)
        paint_state = self.wo_paint.state
        run = self.wo_cut.time_ids.filtered('mes_machine_time')
        self.assertTrue(run)
        with self.assertRaises(AccessError):
            run.sudo(self.supervisor).write({'date_end': stamp(T0 + timedelta(hours=5))})
        with self.assertRaises(UserError) as refused:
            self.wo_paint.sudo(self.supervisor).button_start()
        self.assertIn('report it from the terminal', refused.exception.name.lower())
        self.assertEqual((self.wo_cut.qty_produced, self.wo_paint.state), (0, paint_state))
        self.assertEqual(self.machine_minutes(), 30)
        # planning still works: dates, and Odoo's own "Update quantity" on the order
        planned = stamp(T0 + timedelta(days=1))
        wo.write({'date_planned_start': planned})
        self.assertEqual(self.wo_cut.date_planned_start, planned)
        self.env['change.production.qty'].sudo(self.supervisor).create(
            {'mo_id': self.mo.id, 'product_qty': 6}).change_prod_qty()
        self.assertEqual(self.mo.product_qty, 6)

    def test_nobody_writes_creates_or_deletes_labor_logs(self):
        log = self.shift((0, 30))
        future = stamp(datetime.utcnow() + timedelta(days=2))
        for role in ('supervisor', 'operator', 'finance'):
            user = self.roles[role]
            with self.assertRaises(AccessError, msg=role):
                log.sudo(user).write({'date_stop': future})
            with self.assertRaises(AccessError, msg=role):
                self.env['mes.labor.log'].sudo(user).create({
                    'employee_id': self.ben.id, 'workorder_id': self.wo_cut.id, 'date_start': stamp(T0)})
            with self.assertRaises(AccessError, msg=role):
                log.sudo(user).unlink()
        self.assertEqual(log.date_stop, stamp(T0 + timedelta(minutes=30)))


class TestSupervisorCorrection(LedgerCase):

    def test_a_correction_is_an_event_naming_who_why_and_what_it_replaces(self):
        log = self.shift((0, 30))
        start_uid, stop_uid = log.start_event_id.event_uid, log.stop_event_id.event_uid
        self.assertEqual(self.mo._mes_actual()['labor'], 15.0)   # 30 min at Anna's 30/h
        self.correct(log, T0, T0 + timedelta(minutes=20), reason='left at 07:20, badge forgotten')
        event = self.corrections()
        self.assertEqual(len(event), 1)
        self.assertEqual((event.state, event.made_by, event.employee_id, event.terminal_id),
                         ('applied', self.supervisor, self.anna, self.env['mes.terminal']))
        self.assertEqual(event.correction_reason, 'left at 07:20, badge forgotten')
        data = json.loads(event.raw)['data']
        self.assertEqual(set(data['replaces']), {start_uid, stop_uid})
        self.assertEqual(data['was'], {'date_start': '2026-11-24T07:00:00.000Z',
                                       'date_stop': '2026-11-24T07:30:00.000Z'})
        self.assertEqual((data['date_stop'], data['log_id']), ('2026-11-24T07:20:00.000Z', log.id))
        # the log, the minutes, the run time and the absorbed cost follow, as after a stop
        self.assertEqual((log.date_stop, log.correction_event_id), (stamp(T0 + timedelta(minutes=20)), event))
        self.assertEqual(self.labor_minutes(self.anna), 20)
        self.assertEqual(self.machine_minutes(), 20)
        self.assertEqual(self.mo._mes_actual()['labor'], 10.0)
        # the work order's history holds the terminal's events and the correction
        history = self.wo_cut.mes_event_ids
        self.assertTrue({start_uid, stop_uid, event.event_uid} <= set(history.mapped('event_uid')))
        # a second correction replaces the first, not the terminal's events
        self.correct(log, T0 + timedelta(minutes=5), T0 + timedelta(minutes=20), reason='started late')
        second = self.corrections() - event
        self.assertEqual(json.loads(second.raw)['data']['replaces'], [event.event_uid])
        self.assertEqual(self.labor_minutes(self.anna), 15)
        # only supervisors correct; no terminal can send a correction
        for role in ('operator', 'finance'):
            with self.assertRaises(AccessError, msg=role):
                log.sudo(self.roles[role]).action_open_correction()
        self.assert_rejected(self.event('labor_correction', 40, data={'log_id': log.id}), 'type_unknown')
        self.assertEqual(self.labor_minutes(self.anna), 15)

    def test_a_correction_in_the_future_or_overlapping_is_refused_with_its_code(self):
        first, second = self.shift((0, 30), (60, 90))
        before = [(log.date_start, log.date_stop) for log in (first, second)]
        soon = datetime.utcnow() + timedelta(hours=1)
        refusals = [
            ((T0, soon), 'time_in_future'),                                          # the stop ahead of now
            ((T0, T0 + timedelta(minutes=70)), 'labor_overlap'),                     # into 60..90
            ((T0 + timedelta(minutes=30), T0 + timedelta(minutes=10)), 'stop_before_start'),
        ]
        for (start, stop), code in refusals:
            with self.assertRaises(UserError, msg=code) as refused:
                self.correct(first, start, stop)
            self.assertIn(code, refused.exception.name)
            # the verdict path leaves a dead event with that code when it is kept
            event = self.env['mes.event'].sudo(self.supervisor)._record_labor_correction(first, start, stop, 'x')
            self.assertEqual((event.state, event.error_code), ('dead', code))
        with self.assertRaises(UserError) as refused:
            self.correct(first, T0, T0 + timedelta(minutes=20), reason='  ')
        self.assertIn('correction_reason_missing', refused.exception.name)
        self.assertFalse(self.corrections().filtered(lambda e: e.state == 'applied'))
        self.assertEqual([(log.date_start, log.date_stop) for log in (first, second)], before)
        self.assertEqual(self.labor_minutes(self.anna), 60)
        self.assertEqual(self.machine_minutes(), 60)
        self.assertEqual(self.mo._mes_actual()['labor'], 30.0)
