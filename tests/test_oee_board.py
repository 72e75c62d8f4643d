"""The work center board tells the planner what runs now (issue 20, item 5, in part): every
order running on a machine, since when it is down, and "today" counted from the work center's
local midnight, labelled, as OEE's days are (it counted from UTC midnight, unlabelled)."""
from datetime import datetime, timedelta

from .common import T0, ShopFloorCase


class TestBoard(ShopFloorCase):

    def at(self, moment, etype, **kw):
        return self.event(etype, (moment - T0).total_seconds() / 60.0, **kw)

    def test_every_running_order_and_down_since(self):
        now = datetime.utcnow().replace(microsecond=0)
        second = self.make_order(3).workorder_ids.filtered(lambda w: w.workcenter_id == self.saw)
        self.send_ok([self.at(now - timedelta(minutes=30), 'start'),
                      self.at(now - timedelta(minutes=20), 'start', wo=second, badge='B-BEN'),
                      self.at(now - timedelta(minutes=10), 'downtime_start', data={'reason': 'BRK-MECH'})],
                     received_at=now)
        self.saw.invalidate_cache()
        self.assertEqual(self.saw.mes_state, 'down')
        self.assertEqual(self.saw.mes_running_workorder_ids, self.wo_cut | second)
        self.assertEqual(self.saw.mes_running_count, 2)
        self.assertEqual(self.saw.mes_down_since, (now - timedelta(minutes=10)).strftime('%Y-%m-%d %H:%M:%S'))

    def test_today_is_the_work_centers_local_day_and_says_so(self):
        # Auckland is 13 hours ahead in December: its day began at 11:00 UTC the day before
        self.saw.mes_tz = 'Pacific/Auckland'
        now = datetime.utcnow()
        local_midnight = self.saw._mes_utc(self.saw._mes_local_date(now))
        before, after = local_midnight - timedelta(minutes=30), local_midnight + timedelta(minutes=1)
        if after > now:
            after = now - timedelta(seconds=1)
        self.send_ok([self.at(before - timedelta(minutes=30), 'start'),
                      self.at(before, 'produce', data={'qty': 5}),
                      self.at(after, 'produce', data={'qty': 2}),
                      self.at(after, 'stop')], received_at=now)
        self.saw.invalidate_cache()
        self.assertEqual(self.saw.mes_good_qty, 2, 'only what was made since local midnight')
        self.assertIn('Pacific/Auckland', self.saw.mes_today_label)
        self.assertIn(self.saw._mes_local_date(now).strftime('%Y-%m-%d'), self.saw.mes_today_label)

    def test_the_card_shows_the_orders_the_down_since_and_the_window(self):
        arch = self.env['mrp.workcenter'].fields_view_get(
            view_id=self.env.ref('shopfloor_mes.mrp_workcenter_view_kanban_mes_board').id, view_type='kanban')['arch']
        for name in ('mes_running_workorder_ids', 'mes_down_since', 'mes_today_label'):
            self.assertIn('name="%s"' % name, arch)
