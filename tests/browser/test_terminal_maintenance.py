"""A maintenance request from the tablet (issue 19, item 6), in a real Chromium against a real
Odoo server: typed on the work order screen, kept in the outbox while the server is away, and
opened once in Odoo on the work center's equipment when it arrives."""
from selenium.webdriver.common.keys import Keys

from .test_terminal_guards import on_workorder


def requests_of(live_server, floor):
    return live_server.rpc('maintenance.request', 'search_read',
                           [('mes_event_id.workorder_id', '=', floor.workorder_id)],
                           ['name', 'equipment_id', 'description'])


def test_request_maintenance_offline_then_opened_once_on_the_equipment(browser, live_server, floor):
    equipment = live_server.rpc('maintenance.equipment', 'create', {'name': 'Saw %s' % floor.tag})
    live_server.rpc('mrp.workcenter', 'write', [floor.workcenter_id], {'mes_equipment_id': equipment})
    t = browser
    on_workorder(t, floor)
    t.wait_text('#request-maintenance', 'Request maintenance')
    live_server.stop()
    try:
        t.tap('#request-maintenance')
        t.wait_text('.dialog', "What is wrong with the machine?")
        t.find('#prompt-input').send_keys('Blade guard loose' + Keys.ENTER)
        t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the prompt did not close')
        # kept on the tablet while the server is away
        t.wait(lambda: t.body('outbox') == '1', 10, 'the request is not in the outbox')
        t.screenshot('maintenance-request')
    finally:
        live_server.start()
    t.wait_outbox_empty(timeout=90)
    assert t.body('rejected') == '0'
    live_server.wait_posted()
    live_server.wait_posted()     # a second posting opens nothing more
    opened = requests_of(live_server, floor)
    assert len(opened) == 1, opened
    assert opened[0]['equipment_id'][0] == equipment
    assert opened[0]['name'] == 'Maintenance at HTTP saw %s: Blade guard loose' % floor.tag
    assert 'Operator %s' % floor.tag in opened[0]['description']
