"""The operator terminal in a real Chromium against a real Odoo server: login, a full work
order, the server stopped halfway, a reload while offline, and a rejected event. Each test
then reads Odoo over XML-RPC: nothing lost, nothing doubled."""
import uuid
from datetime import datetime, timedelta

import pytest

SCRAP_REASON = 'DIM'            # data/mes_reason_data.xml
DOWNTIME_REASON = 'BRK-MECH'


def read_wo(server, floor):
    server.wait_posted()
    return server.rpc('mrp.workorder', 'read', [floor.workorder_id], ['qty_produced', 'state'])[0]


def scraps(server, floor):
    server.wait_posted()
    return server.rpc('stock.scrap', 'search_read', [('workorder_id', '=', floor.workorder_id)],
                      ['scrap_qty', 'state', 'mes_reason_id'])


def events(server, floor):
    return server.rpc('mes.event', 'search_read', [('terminal_id', '=', floor.terminal_id)],
                      ['type', 'state', 'error_code', 'repeat_count', 'seq'])


def quality_point(server, floor):
    return server.rpc('mes.quality.point', 'create', {
        'name': 'Leg length %s' % floor.tag, 'kind': 'measure', 'nominal': 10.0, 'tolerance_min': 9.9,
        'tolerance_max': 10.1, 'unit': 'mm', 'product_id': floor.product_id})


def produce(t, qty):
    t.action('produce')
    t.keypad(str(qty))


def scrap(t, qty, reason):
    t.action('scrap')
    t.keypad(str(qty), then_closed=False)
    t.pick_reason(reason)


def downtime(t, reason):
    t.action('downtime-start')
    t.pick_reason(reason)
    t.find('#downtime-note')
    t.action('downtime-end')
    t.wait(lambda: not t.present('#downtime-note'), 10, 'the downtime did not end on screen')


def measure(t, point_id, value):
    t.tap('[data-check="%d"]' % point_id)
    t.keypad(value)
    t.wait_text('[data-point-id="%d"] .check-status' % point_id, 'Pass')


def finish(t):
    t.action('finish')
    t.tap('.dialog [data-key="ok"]')
    t.wait_text('#wo-state', 'Finished')


def assert_work_order_complete(server, floor, good, scrapped, point_id, value):
    wo = read_wo(server, floor)
    assert wo['state'] == 'done'
    assert wo['qty_produced'] == good
    found = scraps(server, floor)
    assert [(s['scrap_qty'], s['state']) for s in found] == [(scrapped, 'done')]
    reason = server.rpc('mes.reason', 'read', [found[0]['mes_reason_id'][0]], ['code'])[0]
    assert reason['code'] == SCRAP_REASON
    logs = server.rpc('mes.labor.log', 'search_read', [('workorder_id', '=', floor.workorder_id)],
                      ['employee_id', 'date_start', 'date_stop'])
    assert len(logs) == 1 and logs[0]['employee_id'][0] == floor.employee_id and logs[0]['date_stop']
    downs = server.rpc('mrp.workcenter.productivity', 'search_read',
                       [('workorder_id', '=', floor.workorder_id), ('mes_reason_id', '!=', False)],
                       ['date_start', 'date_end', 'mes_reason_id'])
    assert len(downs) == 1 and downs[0]['date_end']
    assert server.rpc('mes.reason', 'read', [downs[0]['mes_reason_id'][0]], ['code'])[0]['code'] == DOWNTIME_REASON
    checks = server.rpc('mes.quality.check', 'search_read', [('workorder_id', '=', floor.workorder_id)],
                        ['point_id', 'result', 'value', 'employee_id'])
    assert [(c['point_id'][0], c['result'], c['value']) for c in checks] == [(point_id, 'pass', value)]


def test_login_by_pin_shows_the_servers_refusal_then_the_queue(browser, floor):
    t = browser
    t.set_up(floor.token, screenshot=True)
    t.find('[data-employee-id="%d"]' % floor.employee_id)
    t.screenshot('login')
    t.login_pin(floor.employee_id, '1111')
    t.wait_text('#login-error', 'Unknown badge or wrong PIN')
    assert t.body('screen') == 'login'
    t.tap('[data-employee-id="%d"]' % floor.employee_id)
    for digit in '4321':
        t.tap('[data-key="%s"]' % digit)
    t.screenshot('login-pin')
    t.tap('[data-key="ok"]')
    t.wait_body('screen', 'queue')
    assert t.text('#operator-name') == 'Operator %s' % floor.tag
    t.wait_text('[data-wo-id="%d"]' % floor.workorder_id, 'HTTP stool %s' % floor.tag)
    t.screenshot('queue')
    # auto-logout after inactivity (set to 3 s here; 5 min by default)
    t.driver.execute_script("localStorage.setItem('mes.terminal.idleMinutes', '0.05')")
    t.wait_body('screen', 'login', timeout=15)
    t.wait_text('#login-info', 'without activity')


def test_a_full_work_order_lands_in_odoo(browser, live_server, floor):
    point_id = quality_point(live_server, floor)
    t = browser
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.open_workorder(floor.workorder_id)
    t.wait_text('#checks', 'Leg length')
    t.action('start')
    t.find('[data-action="stop"]')
    produce(t, 3)
    t.wait_text('#good-count', '3')
    t.action('scrap')
    t.keypad('1', then_closed=False)
    t.find('[data-reason="%s"]' % SCRAP_REASON)
    t.screenshot('scrap-reason')
    t.pick_reason(SCRAP_REASON)
    t.wait_text('#scrap-count', '1')
    downtime(t, DOWNTIME_REASON)
    measure(t, point_id, '10.05')
    t.wait_outbox_empty()
    t.screenshot('workorder')
    finish(t)
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'
    assert_work_order_complete(live_server, floor, 3, 1, point_id, 10.05)
    rows = events(live_server, floor)
    assert sorted(r['type'] for r in rows) == sorted(
        ['start', 'produce', 'scrap', 'downtime_start', 'downtime_end', 'check', 'finish'])
    assert {r['state'] for r in rows} == {'applied'}
    # the seq sent is the device's own, strictly increasing
    assert sorted(r['seq'] for r in rows) == list(range(1, 8))


def test_server_stopped_halfway_nothing_lost_nothing_doubled(browser, live_server, floor):
    point_id = quality_point(live_server, floor)
    t = browser
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.open_workorder(floor.workorder_id)
    t.wait_text('#checks', 'Leg length')
    t.action('start')
    produce(t, 2)
    t.wait_outbox_empty()
    live_server.stop()
    try:
        produce(t, 1)
        scrap(t, 1, SCRAP_REASON)
        downtime(t, DOWNTIME_REASON)
        measure(t, point_id, '9.95')
        finish(t)
        # the operator was never blocked, sees the counts at once and is told plainly
        t.wait_text('#offline-banner', 'Offline — 6 actions waiting, they will be sent when the network returns')
        assert t.text('#good-count') == '3'
        assert t.text('#scrap-count') == '1'
        assert t.body('outbox') == '6'
        t.screenshot('offline')
    finally:
        live_server.start()
    t.wait_outbox_empty(timeout=90)
    t.wait(lambda: not t.present('#offline-banner'), 30, 'the offline banner stayed')
    assert t.body('rejected') == '0'
    assert_work_order_complete(live_server, floor, 3, 1, point_id, 9.95)
    rows = events(live_server, floor)
    assert len(rows) == 8 and {r['state'] for r in rows} == {'applied'}
    assert sorted(r['seq'] for r in rows) == list(range(1, 9))


def test_reload_while_offline_keeps_the_app_and_the_queued_actions(browser, live_server, floor):
    t = browser
    t.set_up(floor.token)
    t.login_pin(floor.employee_id, '4321')
    t.wait_body('screen', 'queue')
    t.open_workorder(floor.workorder_id)
    t.wait_text('#instructions', 'No instructions')   # the detail is fetched and cached
    t.action('start')                                  # parts are reported once someone's time runs
    t.wait_outbox_empty()
    t.wait_sw()
    live_server.stop()
    try:
        produce(t, 2)
        scrap(t, 1, SCRAP_REASON)
        t.wait_text('#offline-banner', '2 actions waiting')
        t.driver.refresh()
        # the shell comes from the service worker, the data and the outbox from IndexedDB
        t.wait_body('screen', 'workorder', timeout=30)
        t.wait_text('#offline-banner', '2 actions waiting', timeout=30)
        assert t.body('outbox') == '2'
        t.wait_text('#good-count', '2')
        assert t.text('#scrap-count') == '1'
        assert t.text('#wo-name')
    finally:
        live_server.start()
    t.wait_outbox_empty(timeout=90)
    wo = read_wo(live_server, floor)
    assert wo['qty_produced'] == 2 and wo['state'] == 'progress'
    assert [s['scrap_qty'] for s in scraps(live_server, floor)] == [1]
    assert len(events(live_server, floor)) == 3     # start, produce, scrap


def test_a_rejected_event_is_shown_with_the_servers_message(browser, live_server, floor):
    code = 'GONE-%s' % uuid.uuid4().hex[:6].upper()
    reason_id = live_server.rpc('mes.reason', 'create', {'code': code, 'name': 'Dropped part', 'kind': 'scrap'})
    t = browser
    t.set_up(floor.token)
    t.scan_badge_anywhere(floor.badge)
    t.open_workorder(floor.workorder_id)
    t.action('start')
    t.wait_outbox_empty()
    # a supervisor archives the reason while the terminal still offers it
    live_server.rpc('mes.reason', 'write', [reason_id], {'active': False})
    scrap(t, 2, code)
    t.wait_text('#rejected', 'No active scrap reason has code "%s"' % code)
    t.wait_body('outbox', '0')
    assert t.body('rejected') == '1'
    assert t.find('#rejected [data-code="reason_unknown"]')
    t.wait_text('#scrap-count', '0')        # the optimistic count is taken back
    t.screenshot('rejected')
    dead = [r for r in events(live_server, floor) if r['state'] == 'dead']
    assert [(r['type'], r['error_code']) for r in dead] == [('scrap', 'reason_unknown')]
    t.tap('#rejected [data-dismiss]')
    t.wait(lambda: not t.present('#rejected'), 10, 'the rejected panel stayed after dismissing')
    assert t.body('rejected') == '0'
    t.driver.refresh()   # dismissed stays dismissed
    t.wait_body('screen', 'workorder')
    assert not t.present('#rejected')


def test_a_lot_tracked_product_asks_for_the_lot(browser, live_server, floor):
    product, = live_server.rpc('product.product', 'read', [floor.product_id], ['product_tmpl_id'])
    template = product['product_tmpl_id'][0]
    live_server.rpc('product.template', 'write', [template], {'tracking': 'lot'})
    t = browser
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.open_workorder(floor.workorder_id)
    t.wait_text('#wo-tracking', 'Lot numbers', timeout=30)
    t.action('start')
    t.action('produce')
    t.keypad('2', then_closed=False)
    from selenium.webdriver.common.keys import Keys
    t.find('#prompt-input').send_keys('LOT-%s' % floor.tag + Keys.ENTER)   # scanned: the code, then Enter
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the lot prompt did not close')
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'
    assert read_wo(live_server, floor)['qty_produced'] == 2
    lots = live_server.rpc('stock.production.lot', 'search_read', [('product_id', '=', floor.product_id)], ['name'])
    assert [lot['name'] for lot in lots] == ['LOT-%s' % floor.tag]


def test_a_slow_tablet_clock_is_shown_and_corrected_by_the_server(browser, live_server, floor):
    t = browser
    # this tablet's clock is 10 minutes slow: every Date in the page reads 600 s behind
    t.driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': """
        (() => {
          const Real = Date, shift = -600000;
          class Slow extends Real {
            constructor(...args) { if (args.length) super(...args); else super(Real.now() + shift); }
            static now() { return Real.now() + shift; }
          }
          globalThis.Date = Slow;
        })();"""})
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.open_workorder(floor.workorder_id)
    t.action('start')
    produce(t, 1)
    t.wait_outbox_empty()
    t.wait_text('#clock-offset', 'clock +600.')      # as the server measured it, not an estimate
    assert not t.text('#clock-offset').startswith('≈')
    # elapsed time runs on the server's clock: seconds, not minus ten minutes
    assert t.text('#elapsed-time').startswith('0:0')
    row = live_server.rpc('mes.event', 'search_read', [('terminal_id', '=', floor.terminal_id), ('type', '=', 'start')],
                          ['terminal_at', 'corrected_at', 'clock_offset_ms'])[0]
    assert 600000 <= row['clock_offset_ms'] < 605000
    live_server.wait_posted()
    log = live_server.rpc('mes.labor.log', 'search_read', [('workorder_id', '=', floor.workorder_id)],
                          ['date_start'])[0]
    now = live_server.rpc('mes.event', 'search_read', [('terminal_id', '=', floor.terminal_id), ('type', '=', 'start')],
                          ['received_at'])[0]['received_at']
    fmt = '%Y-%m-%d %H:%M:%S'
    lag = datetime.strptime(now, fmt) - datetime.strptime(log['date_start'], fmt)
    assert timedelta(0) <= lag < timedelta(seconds=60)          # the labor started now, not 10 minutes ago
    corrected_by = datetime.strptime(row['corrected_at'], fmt) - datetime.strptime(row['terminal_at'], fmt)
    assert corrected_by >= timedelta(seconds=599)


@pytest.mark.parametrize('path', ['/mes/terminal/js/app.js', '/mes/terminal/style.css', '/mes/terminal/sw.js'])
def test_assets_are_served_under_the_terminal_scope(live_server, path):
    response = live_server.get(path)
    assert response.status_code == 200
    if path.endswith('sw.js'):
        assert response.headers['Service-Worker-Allowed'] == '/mes/terminal'
        assert '__VERSION__' not in response.text and '/mes/terminal/js/app.js' in response.text
    assert live_server.get('/mes/terminal/../__manifest__.py').status_code == 404
    assert live_server.get('/mes/terminal/js/nope.js').status_code == 404


def test_cold_load_stays_small(browser):
    t = browser
    t.open()
    t.wait_body('screen', 'setup')
    t.wait_sw()
    total = t.driver.execute_script("""
        const nav = performance.getEntriesByType('navigation')[0];
        return nav.transferSize + performance.getEntriesByType('resource')
            .filter((r) => new URL(r.name).pathname.startsWith('/mes/terminal'))
            .reduce((sum, r) => sum + r.transferSize, 0);""")
    print('cold load of the terminal: %d bytes' % total)
    assert 0 < total < 200 * 1024
