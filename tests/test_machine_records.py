"""What a machine reports, in Odoo's records (issue 22): the company's threshold of an
unexplained stop, the operator's reason for a stop (a downtime record that carries it), and the
supervisors' reconciliation of the machine's counts against the operators' (shown, not summed).
The machine's events go through the record path as the MQTT bridge sends them (a terminal of
kind machine); test_machine_signals.py covers the broker and the bridge."""
import json

from .common import ShopFloorCase


class MachineCase(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.machine = cls.env['mes.terminal'].create({
            'name': 'Saw machine', 'kind': 'machine', 'machine_code': 'SAW-T1',
            'workcenter_ids': [(6, 0, [cls.saw.id])]})
        cls.machine_seq = 0

    def machine_event(self, etype, minute, wo=None, **data):
        type(self).machine_seq += 1
        event = self.event(etype, minute, wo=wo, badge='SAW-T1', data=data, seq=self.machine_seq)
        event['id'] = 'mq:SAW:SAW-T1:%s:%d' % (etype, self.machine_seq)
        return event

    def recorded_machine(self, wo=None):
        execution = self.env['mes.execution'].search([('workorder_id', '=', (wo or self.wo_cut).id)])
        return json.loads(execution.state_json)['machine']


class TestStopThreshold(MachineCase):

    def test_the_companys_threshold_decides_what_is_an_unexplained_stop(self):
        self.assertIn('mes_machine_stop_minutes', self.env.ref('shopfloor_mes.res_company_view_form_mes_costing').arch)
        events = [self.machine_event('machine_state', 0, state='running'),
                  self.machine_event('machine_state', 10, state='idle'),
                  self.machine_event('machine_state', 15, state='running')]
        self.send_ok(events[:1], terminal=self.machine)
        self.env.user.company_id.mes_machine_stop_minutes = 10
        self.send_ok(events[1:], terminal=self.machine)
        self.assertEqual(self.recorded_machine()['stops'], [])          # 5 minutes idle: a micro-stop
        self.env.user.company_id.mes_machine_stop_minutes = 0           # the default, 2 minutes
        self.send_ok([self.machine_event('machine_cycle', 16, count=1)], terminal=self.machine)
        stops = self.recorded_machine()['stops']
        self.assertEqual([(s['state'], s['start'][11:16], s['end'][11:16]) for s in stops],
                         [('idle', '07:10', '07:15')])


class TestStopReason(MachineCase):

    def test_the_operators_reason_makes_the_stop_a_downtime_record_that_carries_it(self):
        self.send_ok([self.event('start', 0)])
        stop = self.machine_event('machine_state', 20, state='down', code='E-42')
        self.send_ok([self.machine_event('machine_state', 0, state='running'), stop], terminal=self.machine)
        self.assertFalse(self.env['mrp.workcenter.productivity'].search(
            [('workorder_id', '=', self.wo_cut.id), ('mes_reason_id', '!=', False)]))   # unexplained: no record
        reason = self.event('machine_stop_reason', 25, data={'stop': stop['id'], 'reason': 'BRK-MECH'})
        self.send_ok([reason])
        self.send_ok([self.machine_event('machine_state', 35, state='running')], terminal=self.machine)
        self.send_ok([self.event('stop', 60)])
        down = self.env['mrp.workcenter.productivity'].search([('workorder_id', '=', self.wo_cut.id),
                                                               ('mes_reason_id', '!=', False)])
        self.assertEqual(down.mes_reason_id, self.down_reason)
        self.assertEqual(down.mes_event_id.event_uid, stop['id'])
        self.assertEqual(down.loss_type, 'availability')
        self.assertEqual((down.date_start, down.date_end), ('2026-11-24 07:20:00', '2026-11-24 07:35:00'))
        self.assertEqual(self.machine_intervals(), [('2026-11-24 07:00:00', '2026-11-24 07:20:00'),
                                                    ('2026-11-24 07:35:00', '2026-11-24 08:00:00')])
        shown = self.recorded_machine()['stops']
        self.assertEqual([(s['reason'], s['reason_event']) for s in shown], [('BRK-MECH', reason['id'])])

    def test_a_reason_not_for_downtime_or_a_second_reason_is_refused(self):
        stop = self.machine_event('machine_state', 20, state='idle')
        self.send_ok([stop, self.machine_event('machine_state', 30, state='running')], terminal=self.machine)
        self.assert_rejected(self.event('machine_stop_reason', 31, data={'stop': stop['id'], 'reason': 'NO-SUCH'}),
                             'reason_unknown')
        self.send_ok([self.event('machine_stop_reason', 32, data={'stop': stop['id'], 'reason': 'BRK-MECH'})])
        self.assert_rejected(self.event('machine_stop_reason', 33, data={'stop': stop['id'], 'reason': 'BRK-MECH'}),
                             'machine_stop_classified')

    def test_only_a_tablet_classifies(self):
        stop = self.machine_event('machine_state', 20, state='idle')
        self.send_ok([stop], terminal=self.machine)
        event = self.event('machine_stop_reason', 25, badge='SAW-T1', data={'stop': stop['id'], 'reason': 'BRK-MECH'})
        self.assert_rejected(event, 'type_unknown', terminal=self.machine)


class TestReconciliation(MachineCase):

    def rows(self, *orders):
        Reconciliation = self.env['mes.machine.reconciliation']
        Reconciliation.invalidate_cache()
        return Reconciliation.search([('production_id', 'in', [mo.id for mo in orders])], order='workorder_id')

    def test_each_work_order_shows_both_counts_and_their_differences_not_a_sum(self):
        other_mo = self.make_order(5)
        other_cut = other_mo.workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        # order 1: the operators report 3 good and 1 scrap; the machine counted 5 cycles, 4 good, 1 scrap
        self.send_ok([self.event('start', 0), self.event('produce', 30, data={'qty': 3}),
                      self.event('scrap', 31, data={'qty': 1, 'reason': self.scrap_reason.code})])
        self.send_ok([self.machine_event('machine_cycle', 10 + n, count=1, good=1) for n in range(4)]
                     + [self.machine_event('machine_cycle', 20, count=1, scrap=1)], terminal=self.machine)
        # order 2: a machine counting cycles only: 2 cycles against 2 good
        self.send_ok([self.event('start', 40, wo=other_cut), self.event('produce', 50, wo=other_cut, data={'qty': 2})])
        self.send_ok([self.machine_event('machine_cycle', 45, wo=other_cut, count=2)], terminal=self.machine)
        first, second = self.rows(self.mo, other_mo)
        self.assertEqual((first.workorder_id, first.workcenter_id), (self.wo_cut, self.saw))
        self.assertEqual((first.operator_good, first.machine_good, first.good_difference), (3.0, 4.0, 1.0))
        self.assertEqual((first.operator_scrap, first.machine_scrap, first.scrap_difference), (1.0, 1.0, 0.0))
        self.assertEqual((first.machine_cycles, first.gap, first.differs), (5, 1.0, True))
        self.assertEqual((second.machine_cycles, second.machine_good, second.cycle_difference), (2, 0.0, 0.0))
        self.assertFalse(second.differs)
        # the operators' count stays the one booked: the machine's is not added to it
        self.assertEqual(self.wo_cut.qty_produced, 3.0)
        # group lines add the gaps, not the signed differences
        group, = self.env['mes.machine.reconciliation'].read_group(
            [('id', 'in', (first | second).ids)],
            ['workcenter_id', 'gap', 'good_difference', 'operator_good', 'machine_good'],
            ['workcenter_id'])
        self.assertEqual((group['gap'], group['operator_good'], group['machine_good']), (1.0, 5.0, 4.0))
        self.assertNotIn('good_difference', {k for k, v in group.items() if v})

    def test_work_orders_no_machine_reported_on_are_not_listed(self):
        self.send_ok([self.event('start', 0), self.event('produce', 30, data={'qty': 3})])
        self.assertFalse(self.rows(self.mo))

    def test_a_supervisor_of_another_company_sees_none_of_these_orders(self):
        self.send_ok([self.event('start', 0), self.event('produce', 30, data={'qty': 3})])
        self.send_ok([self.machine_event('machine_cycle', 10, count=4, good=4)], terminal=self.machine)
        self.assertTrue(self.rows(self.mo))
        other = self.env['res.company'].create({'name': 'Other plant'})
        supervisor = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Other sup', 'login': 'rec_other_sup', 'email': 'rec_other_sup@example.com',
            'company_id': other.id, 'company_ids': [(6, 0, other.ids)],
            'groups_id': [(6, 0, [self.env.ref('shopfloor_mes.group_mes_supervisor').id])]})
        self.assertFalse(self.env['mes.machine.reconciliation'].sudo(supervisor).search(
            [('production_id', '=', self.mo.id)]))

    def test_supervisors_read_it_operators_do_not(self):
        users = self.env['res.users'].with_context(no_reset_password=True)
        supervisor = users.create({'name': 'Sup', 'login': 'rec_sup', 'email': 'rec_sup@example.com', 'groups_id': [
            (6, 0, [self.env.ref('shopfloor_mes.group_mes_supervisor').id])]})
        operator = users.create({'name': 'Op', 'login': 'rec_op', 'email': 'rec_op@example.com', 'groups_id': [
            (6, 0, [self.env.ref('shopfloor_mes.group_mes_operator').id])]})
        Reconciliation = self.env['mes.machine.reconciliation']
        self.assertTrue(Reconciliation.sudo(supervisor).check_access_rights('read', raise_exception=False))
        self.assertFalse(Reconciliation.sudo(operator).check_access_rights('read', raise_exception=False))
        self.assertFalse(Reconciliation.sudo(supervisor).check_access_rights('write', raise_exception=False))


class TestStopBookedOnce(MachineCase):
    """A machine's stop and the operators' downtime over the same minutes are booked once, and a
    downtime record follows the reason the floor's history settles on."""

    def stored(self, event):
        return self.env['mes.event'].search([('event_uid', '=', event['id'])])

    def downtime_records(self):
        return self.env['mrp.workcenter.productivity'].search(
            [('workorder_id', '=', self.wo_cut.id), ('mes_reason_id', '!=', False)], order='date_start')

    def test_a_classified_stop_then_an_operators_downtime_over_its_end_books_each_minute_once(self):
        self.send_ok([self.event('start', 0)])
        stop = self.machine_event('machine_state', 20, state='down', code='E-42')
        self.send_ok([self.machine_event('machine_state', 0, state='running'), stop], terminal=self.machine)
        self.send_ok([self.event('machine_stop_reason', 23, data={'stop': stop['id'], 'reason': 'TOOL'})])
        # then the operator also reports a downtime: from 30, past the machine running again at 35, to 40
        self.send_ok([self.event('downtime_start', 30, data={'reason': 'BRK-MECH'})])
        self.send_ok([self.machine_event('machine_state', 35, state='running')], terminal=self.machine)
        self.send_ok([self.event('downtime_end', 40)])
        booked = [(r.date_start[11:16], r.date_end[11:16], r.mes_reason_id.code) for r in self.downtime_records()]
        # 20 minutes down, booked once: not the stop's 15 plus the operator's 10
        self.assertEqual(booked, [('07:20', '07:30', 'TOOL'), ('07:30', '07:40', 'BRK-MECH')])

    def test_an_earlier_classification_arriving_late_moves_the_downtime_record_to_its_reason(self):
        self.send_ok([self.event('start', 0)])
        stop = self.machine_event('machine_state', 20, state='down', code='E-42')
        self.send_ok([self.machine_event('machine_state', 0, state='running'), stop,
                      self.machine_event('machine_state', 35, state='running')], terminal=self.machine)
        later = self.event('machine_stop_reason', 30, data={'stop': stop['id'], 'reason': 'TOOL'})
        self.send_ok([later])
        self.assertEqual(self.downtime_records().mapped('mes_reason_id.code'), ['TOOL'])
        # a second tablet's classification, made at 25, reaches the server after: the first in
        # true time counts, and the record that was posted with TOOL follows it
        self.send_ok([self.event('machine_stop_reason', 25, data={'stop': stop['id'], 'reason': 'BRK-ELEC'})])
        record = self.downtime_records()
        self.assertEqual(len(record), 1)
        self.assertEqual((record.mes_reason_id.code, record.description, record.mes_event_id.event_uid),
                         ('BRK-ELEC', 'Electrical failure', stop['id']))
        self.assertEqual(self.stored(later).state, 'dead')
