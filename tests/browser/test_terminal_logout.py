"""Logging out with the operator's time running (issue 19, item 5), in a real Chromium against
a real Odoo server: the Log out button asks (stop / keep running / cancel); the auto-logout of
an unattended tablet stops the time at the operator's last touch (a terminal setting: or keeps
it running). What happened is read from the server's records."""
import time
from datetime import datetime

from .test_terminal_guards import event_types, labor_logs, on_workorder

FMT = '%Y-%m-%d %H:%M:%S'


def started(t, live_server, floor):
    """On the work order with the operator's time running, as the server recorded it."""
    on_workorder(t, floor)
    t.action('start')
    t.find('[data-action="stop"]')
    t.wait_outbox_empty()
    assert event_types(live_server, floor) == ['start']
    return t.text('#wo-name')


def event_times(live_server, floor):
    rows = live_server.rpc('mes.event', 'search_read', [('terminal_id', '=', floor.terminal_id)],
                           ['type', 'state', 'terminal_at'])
    return {r['type']: (datetime.strptime(r['terminal_at'], FMT), r['state']) for r in rows}


def test_log_out_with_running_time_asks_first(browser, live_server, floor):
    t = browser
    name = started(t, live_server, floor)
    # Cancel: still logged in, on the order, the time running
    t.tap('#logout')
    dialog = t.find('.dialog')
    assert 'Stop your time on %s?' % name in dialog.text
    labels = [b.text for b in dialog.find_elements('css selector', 'button')]
    assert labels == ['Stop and log out', 'Keep running and log out', 'Cancel']
    t.screenshot('logout-question')
    t.tap('.dialog [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the question did not close')
    assert t.body('screen') == 'workorder'
    t.find('[data-action="stop"]')
    # Keep running and log out: logged out, the server's labor log still open
    t.tap('#logout')
    t.tap('.dialog [data-key="keep"]')
    t.wait_body('screen', 'login')
    t.wait_text('#login-info', 'keeps running')
    time.sleep(1)
    assert t.body('outbox') == '0'
    assert event_types(live_server, floor) == ['start']
    logs = labor_logs(live_server, floor)
    assert len(logs) == 1 and not logs[0]['date_stop']
    # back, then Stop and log out: the time stops now, on the server
    t.login_badge(floor.badge)
    t.tap('#logout')
    t.wait_text('.dialog', 'Stop your time on %s?' % name)
    t.tap('.dialog [data-key="stop"]')
    t.wait_body('screen', 'login')
    t.wait_text('#login-info', 'stopped at')
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'
    assert event_types(live_server, floor) == ['start', 'stop']
    logs = labor_logs(live_server, floor)
    assert len(logs) == 1 and logs[0]['date_stop']
    # nothing running any more: logging out asks nothing
    t.login_badge(floor.badge)
    t.tap('#logout')
    t.wait_body('screen', 'login')
    assert not t.present('.modal-backdrop')


def test_unattended_auto_logout_stops_the_time_at_the_last_touch(browser, live_server, floor):
    t = browser
    started(t, live_server, floor)
    # nobody touches the tablet: the auto-logout (6 s here, 5 min by default) asks briefly, then
    # stops the time at the last touch (the Start tap), not at the logout
    t.driver.execute_script("localStorage.setItem('mes.terminal.idleMinutes', '0.1')")
    t.wait_body('screen', 'login', timeout=30)
    t.wait_text('#login-info', 'without activity')
    assert 'stopped at' in t.text('#login-info')
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'
    times = event_times(live_server, floor)
    assert sorted(times) == ['start', 'stop']
    assert {state for _at, state in times.values()} == {'applied'}
    # the stop is dated at the operator's last touch: the Start tap, not 6 s later
    assert (times['stop'][0] - times['start'][0]).total_seconds() <= 2
    logs = labor_logs(live_server, floor)
    assert len(logs) == 1 and logs[0]['date_stop']


def test_auto_logout_keeps_the_time_running_when_the_terminal_says_so(browser, live_server, floor):
    t = browser
    started(t, live_server, floor)
    t.driver.execute_script("localStorage.setItem('mes.terminal.idleStop', 'keep');"
                            "localStorage.setItem('mes.terminal.idleMinutes', '0.1')")
    t.wait_body('screen', 'login', timeout=30)
    t.wait_text('#login-info', 'keeps running')
    time.sleep(1)
    assert t.body('outbox') == '0'
    assert event_types(live_server, floor) == ['start']
    logs = labor_logs(live_server, floor)
    assert len(logs) == 1 and not logs[0]['date_stop']


def test_the_set_up_screen_sets_what_an_unanswered_auto_logout_does(browser, floor):
    t = browser
    t.open()
    t.wait_body('screen', 'setup')
    select = t.find('#idle-stop-input')
    assert select.get_attribute('value') == 'stop'           # the default: stop at the last touch
    t.find('#token-input').send_keys(floor.token)
    from selenium.webdriver.support.ui import Select
    Select(select).select_by_value('keep')
    t.tap('#setup-save')
    t.wait_body('screen', 'login')
    assert t.driver.execute_script("return localStorage.getItem('mes.terminal.idleStop')") == 'keep'
