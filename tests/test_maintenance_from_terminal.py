"""A maintenance request asked for on the tablet (issue 19, item 6): the event is recorded like
any other, and the posting opens one maintenance.request on the work center's equipment."""
from .common import ShopFloorCase


class TestMaintenanceFromTerminal(ShopFloorCase):

    def requests(self):
        return self.env['maintenance.request'].search([('mes_event_id.workorder_id', '=', self.wo_cut.id)])

    def test_the_request_lands_on_the_work_centers_equipment_once(self):
        equipment = self.env['maintenance.equipment'].create({'name': 'Band saw'})
        self.saw.mes_equipment_id = equipment
        asked = self.event('maintenance_request', 12, data={'note': 'Blade guard loose'})
        self.send_ok([self.event('start', 0), asked])
        request = self.requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(request.equipment_id, equipment)
        self.assertEqual(request.maintenance_type, 'corrective')
        self.assertIn('Blade guard loose', request.name)
        self.assertIn(self.saw.name, request.name)
        self.assertIn('Anna', request.description)
        self.assertIn(self.wo_cut.production_id.name, request.description)
        # the same event again (an answer lost, the tablet resends) and a later posting: still one
        result, = self.send([asked])
        self.assertEqual(result['status'], 'duplicate')
        self.send_ok([self.event('stop', 30)])
        self.assertEqual(len(self.requests()), 1)
        # a second request is a second request
        self.send_ok([self.event('maintenance_request', 40, data={'note': 'Coolant leak'})])
        self.assertEqual(sorted(self.requests().mapped('name')),
                         ['Maintenance at %s: Blade guard loose' % self.saw.name,
                          'Maintenance at %s: Coolant leak' % self.saw.name])

    def test_after_the_finish_and_without_equipment_the_request_still_opens(self):
        self.saw.mes_equipment_id = False
        self.send_ok([self.event('start', 0), self.event('finish', 10),
                      self.event('maintenance_request', 15, data={'note': 'Spindle noise'})])
        request = self.requests()
        self.assertEqual(len(request), 1)
        self.assertFalse(request.equipment_id)
        self.assertIn('no equipment set', request.description)

    def test_a_request_without_a_note_is_refused_naming_the_field(self):
        row = self.assert_rejected(self.event('maintenance_request', 5, data={'note': '  '}), 'field_missing')
        self.assertIn('data.note', row.error_message)
        self.assertFalse(self.requests())
