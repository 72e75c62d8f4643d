"""Quantities as operators enter them (issue 19, item 6), in a real Chromium against a real Odoo
server: "+1" records one good part in one tap; the last quantity can be taken back for a few
seconds (it stays on the tablet until then: the server never sees it), and after it was sent
for the server's window, by an undo event the server applies; the step's own
components can be reported used with their lot; a work order is found by search or by a scan."""
import json
import time

from selenium.webdriver.common.keys import Keys

from . import test_terminal as base
from .test_terminal_guards import double_tap, on_workorder


def server_events(live_server, floor, kind):
    return [e for e in live_server.rpc('mes.event', 'search_read', [('terminal_id', '=', floor.terminal_id),
                                                                   ('type', '=', kind)], ['type', 'state', 'raw'])]


def test_plus_one_and_undo_of_the_last_entry(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')
    t.wait_outbox_empty()
    # +1 and undo within the window: the count goes back, the server never hears of it
    t.action('plus-one')
    t.wait_text('#good-count', '1')
    assert t.find('#undo').text.startswith('Undo Good parts 1')
    t.screenshot('undo-last-entry')
    t.tap('#undo [data-undo]')
    t.wait_text('#good-count', '0')
    t.wait(lambda: not t.present('#undo'), 10, 'the undo offer stayed')
    t.wait_outbox_empty()
    time.sleep(6)       # past the window: had it been kept, it would have been sent by now
    assert server_events(live_server, floor, 'produce') == []
    # +1 twice in quick succession (the screen rebuilt between the taps), no undo: two good
    # parts on the server once the window passed (the tap guard counts the same action twice)
    double_tap(t, '[data-action="plus-one"]', gap=0.25, offset=(0, 0))
    t.wait_text('#good-count', '2')
    t.wait_outbox_empty(15)
    produced = server_events(live_server, floor, 'produce')
    assert [e['state'] for e in produced] == ['applied', 'applied']
    assert base.read_wo(live_server, floor)['qty_produced'] == 2
    assert t.body('rejected') == '0'


def test_undo_after_the_entry_was_sent_takes_it_back_on_the_server(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')
    t.action('plus-one')
    t.wait_text('#good-count', '1')
    t.wait_outbox_empty(15)             # sent once its hold passed, and confirmed
    assert base.read_wo(live_server, floor)['qty_produced'] == 1
    produced, = server_events(live_server, floor, 'produce')
    assert produced['state'] == 'applied'
    # the offer stays for the server's window: Undo sends an undo event naming the entry
    assert t.find('#undo').text.startswith('Undo Good parts 1')
    t.tap('#undo [data-undo]')
    t.wait_text('#good-count', '0')     # taken back at once on the tablet (the merge)
    t.wait(lambda: not t.present('#undo'), 10, 'the undo offer stayed')
    t.wait_outbox_empty()
    undo, = server_events(live_server, floor, 'undo')
    assert undo['state'] == 'applied'
    assert json.loads(undo['raw'])['data'] == {'event': json.loads(produced['raw'])['id']}
    assert server_events(live_server, floor, 'produce')[0]['state'] == 'superseded'
    assert base.read_wo(live_server, floor)['qty_produced'] == 0
    t.wait_text('#good-count', '0')
    assert t.body('rejected') == '0'


def test_consume_the_steps_component_with_its_lot(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    # the step's own components: the order's one component, planned 20
    t.wait_text('.components', 'HTTP tube %s' % floor.tag)
    t.action('start')
    t.action('consume')
    t.find('#keypad-display')
    t.wait_text('.keypad', 'HTTP tube %s used' % floor.tag)
    t.keypad('3', then_closed=False)
    t.find('#prompt-input').send_keys('LOT-%s' % floor.tag + Keys.ENTER)
    t.wait(lambda: not t.present('.modal-backdrop'), 10)
    t.wait_outbox_empty(15)
    consumed = server_events(live_server, floor, 'consume')
    assert len(consumed) == 1 and consumed[0]['state'] == 'applied', consumed
    assert '"lot": "LOT-%s"' % floor.tag in consumed[0]['raw'] and '"qty": 3' in consumed[0]['raw']
    assert t.body('rejected') == '0'


def test_find_a_work_order_by_search_or_scan(browser, live_server, floor):
    t = browser
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.find('[data-wo-id="%d"]' % floor.workorder_id)
    name = live_server.rpc('mrp.workorder', 'read', [floor.workorder_id], ['name'])[0]['name']
    production = live_server.rpc('mrp.production', 'read', [floor.production_id], ['name'])[0]['name']
    field = t.find('#queue-search')
    field.send_keys('no such order')
    t.wait_text('#queue-no-match', 'No work order here matches')
    assert t.driver.execute_script(
        'return document.querySelector(\'[data-wo-id="%d"]\').hidden' % floor.workorder_id)
    t.tap('#queue-search-clear')
    t.find('[data-wo-id="%d"]' % floor.workorder_id)
    # a scanner types the production order's reference anywhere on the queue, then Enter
    t.driver.execute_script('document.activeElement.blur()')
    t.driver.switch_to.active_element.send_keys(production + Keys.ENTER)
    t.wait_body('screen', 'workorder')
    assert t.text('#wo-name') == name
