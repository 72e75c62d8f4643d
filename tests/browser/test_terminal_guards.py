"""A tap is taken once (issue 19, item 1 and part of item 5), in a real Chromium against a real
Odoo server. Each double tap is two real mouse clicks 150 ms apart at the same spot, sent by
Chromium's input pipeline (CDP Input.dispatchMouseEvent), as a gloved finger bouncing on the
glass would send them; what the operator relies on is then read from the server's records."""
import time

from . import test_terminal as base

GAP = 0.15          # seconds between the two taps of a double tap


def center(t, css):
    t.find(css)
    return t.driver.execute_script("""
        const r = document.querySelector(arguments[0]).getBoundingClientRect();
        return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];""", css)


def click_at(t, x, y, count=1):
    for kind in ('mousePressed', 'mouseReleased'):
        t.driver.execute_cdp_cmd('Input.dispatchMouseEvent', {
            'type': kind, 'x': x, 'y': y, 'button': 'left', 'buttons': 1 if kind == 'mousePressed' else 0,
            'clickCount': count})


def double_tap(t, css, gap=GAP, offset=(6, 4), second_count=1):
    """Two taps on the element, ``gap`` seconds apart, the second ``offset`` pixels from the
    first (a finger does not land twice on the same pixel): it lands on whatever is there by
    then. By default the browser does not count it as a double click (clickCount 1 both
    times: a bounce too slow or too far for the platform's double-tap detection);
    ``second_count=2`` is the double tap the platform recognises. Returns the first spot."""
    x, y = center(t, css)
    t.driver.execute_cdp_cmd('Input.dispatchMouseEvent', {'type': 'mouseMoved', 'x': x, 'y': y})
    click_at(t, x, y, 1)
    time.sleep(gap)
    click_at(t, x + offset[0], y + offset[1], second_count)
    return x, y


def settle(t, seconds=1.0):
    """Let whatever the taps started run to the end: the outbox is sent and empty."""
    time.sleep(seconds)
    t.wait_outbox_empty()


def event_types(server, floor):
    return sorted(r['type'] for r in base.events(server, floor))


def labor_logs(server, floor):
    server.wait_posted()
    return server.rpc('mes.labor.log', 'search_read', [('workorder_id', '=', floor.workorder_id)],
                      ['employee_id', 'date_start', 'date_stop'])


def on_workorder(t, floor):
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.open_workorder(floor.workorder_id)


def ignored_taps(t):
    return int(t.body('tapsIgnored') or 0)


def test_double_tap_on_start_records_one_start(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    double_tap(t, '[data-action="start"]')
    settle(t)
    # the operator's time runs: Start was taken, the Stop that appeared under the finger was not
    t.find('[data-action="stop"]')
    assert not t.present('[data-action="start"]')
    assert t.body('rejected') == '0'
    assert event_types(live_server, floor) == ['start']
    logs = labor_logs(live_server, floor)
    assert len(logs) == 1 and logs[0]['employee_id'][0] == floor.employee_id and not logs[0]['date_stop']
    # the guard ignored the second tap, or Chromium dropped it (the screen was rebuilt between
    # its press and its release): either way it did nothing
    assert ignored_taps(t) <= 1


def test_double_tap_on_machine_stopped_chooses_no_reason(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    double_tap(t, '[data-action="downtime-start"]')
    time.sleep(0.8)
    # the reason picker is open and waits for a reason the operator chooses
    t.find('.dialog.reasons')
    assert t.present('.modal-backdrop')
    assert t.body('outbox') == '0'
    assert not t.present('#downtime-note')
    assert event_types(live_server, floor) == []
    # a double tap on a reason takes that reason once; the screen under the closing picker
    # ignores the second tap
    double_tap(t, '[data-reason="%s"]' % base.DOWNTIME_REASON)
    settle(t)
    t.find('#downtime-note')
    assert not t.present('.modal-backdrop')
    assert event_types(live_server, floor) == ['downtime_start']
    downs = live_server.rpc('mrp.workcenter.productivity', 'search_read',
                            [('workorder_id', '=', floor.workorder_id), ('mes_reason_id', '!=', False)],
                            ['date_end', 'mes_reason_id'])
    assert len(downs) == 1 and not downs[0]['date_end']
    reason, = live_server.rpc('mes.reason', 'read', [downs[0]['mes_reason_id'][0]], ['code'])
    assert reason['code'] == base.DOWNTIME_REASON
    assert ignored_taps(t) >= 1           # the picker that opened under the finger ignored it


def test_double_tap_on_a_queue_card_opens_the_order_and_keeps_the_time_running(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')
    t.find('[data-action="stop"]')
    t.wait_outbox_empty()
    t.tap('#back-to-queue')
    t.wait_body('screen', 'queue')
    t.find('[data-wo-id="%d"]' % floor.workorder_id)
    time.sleep(0.5)
    # recognised as a double tap by the browser (detail 2), the second tap a bit further off
    double_tap(t, '[data-wo-id="%d"]' % floor.workorder_id, offset=(30, 20), second_count=2)
    t.wait_body('screen', 'workorder')
    settle(t)
    t.find('[data-action="stop"]')         # still running: nothing stopped the operator's time
    assert event_types(live_server, floor) == ['start']
    logs = labor_logs(live_server, floor)
    assert len(logs) == 1 and not logs[0]['date_stop']
    assert ignored_taps(t) == 1


def test_double_tap_on_good_parts_opens_an_empty_keypad(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')                 # parts are reported once someone's time runs
    t.find('[data-action="stop"]')
    settle(t)
    double_tap(t, '[data-action="produce"]')
    t.find('#keypad-display')
    time.sleep(0.5)
    # the keypad that opened under the finger took nothing from the second tap
    assert 'empty' in t.find('#keypad-display').get_attribute('class').split()
    assert t.text('#keypad-display').startswith('0')
    assert ignored_taps(t) == 1
    # the same key tapped twice is two digits: the guard does not eat a real "11"
    double_tap(t, '.keypad [data-key="1"]')
    t.wait(lambda: t.text('#keypad-display').startswith('11'), 5, 'a double tap on 1 did not type 11')
    t.tap('.keypad [data-key="back"]')
    t.wait(lambda: t.text('#keypad-display').split()[0] == '1', 5, 'backspace did not leave 1')
    t.tap('.keypad [data-key="ok"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the keypad did not close')
    t.wait_text('#good-count', '1')
    settle(t)
    assert base.read_wo(live_server, floor)['qty_produced'] == 1
    assert event_types(live_server, floor) == ['produce', 'start']


def test_finishing_short_asks_first(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')
    base.produce(t, 5)
    t.wait_text('#good-count', '5')
    t.wait_outbox_empty()
    t.action('finish')
    dialog = t.find('.dialog')
    assert 'short' in dialog.text and '5 of 10' in dialog.text
    t.tap('.dialog [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the question did not close')
    settle(t, 0.5)
    assert event_types(live_server, floor) == ['produce', 'start']
    assert base.read_wo(live_server, floor)['state'] != 'done'
    # asked again, and confirmed: the order is finished short
    t.action('finish')
    t.wait_text('.dialog', 'short')
    t.tap('.dialog [data-key="ok"]')
    t.wait_text('#wo-state', 'Finished')
    settle(t, 0.5)
    assert event_types(live_server, floor) == ['finish', 'produce', 'start']
    wo = base.read_wo(live_server, floor)
    assert wo['state'] == 'done' and wo['qty_produced'] == 5


def test_finishing_the_planned_quantity_does_not_say_short(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')
    base.produce(t, 10)
    t.wait_text('#good-count', '10')
    t.action('finish')
    dialog = t.find('.dialog')
    assert 'short' not in dialog.text.lower()
    t.tap('.dialog [data-key="ok"]')
    t.wait_text('#wo-state', 'Finished')
    settle(t, 0.5)
    assert base.read_wo(live_server, floor)['state'] == 'done'


def test_a_quantity_far_above_the_rest_of_the_order_asks_first(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    t.action('start')
    t.find('[data-action="stop"]')
    settle(t)
    # 25 good parts on a 10-piece order: asked, and cancelled: nothing is sent
    t.action('produce')
    t.keypad('25', then_closed=False)
    dialog = t.find('.dialog.confirm')
    assert '25' in dialog.text and '10' in dialog.text
    t.tap('.dialog [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the question did not close')
    settle(t, 0.5)
    assert t.text('#good-count') == '0'
    assert event_types(live_server, floor) == ['start']
    # 25 scrapped on the same order: asked too
    t.action('scrap')
    t.keypad('25', then_closed=False)
    t.wait_text('.dialog.confirm', '25')
    t.tap('.dialog [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the question did not close')
    settle(t, 0.5)
    assert t.text('#scrap-count') == '0'
    assert event_types(live_server, floor) == ['start']
    # a plausible quantity goes without a question
    base.produce(t, 8)
    t.wait_text('#good-count', '8')
    settle(t)
    assert event_types(live_server, floor) == ['produce', 'start']
    # 2 left: 12 is far above, asked; cancelled, nothing is sent
    t.action('produce')
    t.keypad('12', then_closed=False)
    t.wait_text('.dialog.confirm', 'Only 2')
    t.tap('.dialog [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the question did not close')
    settle(t, 0.5)
    assert t.text('#good-count') == '8'
    assert t.body('rejected') == '0'
    assert event_types(live_server, floor) == ['produce', 'start']
    assert base.read_wo(live_server, floor)['qty_produced'] == 8
