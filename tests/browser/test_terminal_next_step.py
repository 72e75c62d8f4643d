"""The next step is obvious (issue 19, item 3), and one operator's refusals are not the next
one's (item 4), in a real Chromium against a real Odoo server: actions that cannot apply are
disabled with their reason on the button, the expected next action is highlighted, a large band
tells running / paused / down / finished with the operator's own timer; everyone on the order
has a timer; a quick switch hands the tablet to the next operator on the same work order."""
import time
import uuid

from selenium.webdriver.common.keys import Keys

from . import test_terminal as base
from .test_terminal_guards import event_types, on_workorder


def button(t, action):
    return t.find('[data-action="%s"]' % action)


def why(t, action):
    return t.driver.execute_script(
        'const b = document.querySelector(\'[data-action="%s"]\'); return b ? [b.disabled, b.dataset.why || null, '
        'b.innerText] : null' % action)


def next_action(t):
    return t.driver.execute_script(
        'const b = document.querySelector(\'[data-next="true"]\'); '
        'return b ? (b.dataset.action || "check:" + b.dataset.check) : null')


def band(t):
    return t.driver.execute_script(
        'const b = document.getElementById("state-band"); return b ? b.dataset.state : null')


def my_time(t):
    """The operator's own timer, read in one go (the band may be rebuilt between two reads)."""
    return seconds(t.driver.execute_script(
        'const b = document.getElementById("my-time"); return b ? b.innerText : "0"'))


def seconds(text):
    parts = [int(p) for p in text.strip().split(':')]
    return sum(value * 60 ** i for i, value in enumerate(reversed(parts)))


def test_disabled_with_reason_next_step_highlighted_and_the_state_band(browser, live_server, floor):
    t = browser
    on_workorder(t, floor)
    # before anyone's time runs: parts cannot be reported, Start is the next step
    t.wait(lambda: band(t) == 'not_started', 10, 'the band does not say "not started"')
    assert 'Not started' in t.text('#state-band')
    for action in ('produce', 'plus-one', 'scrap', 'consume'):
        disabled, reason, text = why(t, action)
        assert disabled and reason == 'why.start_first', (action, reason)
        assert 'Start first' in text
    disabled, reason, text = why(t, 'finish')
    assert disabled and 'Not started yet' in text
    assert not button(t, 'start').get_attribute('disabled')
    assert next_action(t) == 'start'
    assert 'NEXT' in button(t, 'start').text.upper()
    t.screenshot('next-step-start')
    # Start: the band says running, the operator's own timer counts, Good parts is next
    t.action('start')
    t.wait(lambda: band(t) == 'running', 10, 'the band does not say running')
    t.wait(lambda: next_action(t) == 'produce', 10, 'Good parts is not the next step after Start')
    first = my_time(t)
    t.wait(lambda: my_time(t) >= first + 2, 10, 'the operator\'s timer does not count')
    assert 'My time' in t.text('#state-band')
    assert why(t, 'produce')[:2] == [False, None]
    # the machine stops: the band says so, "running again" is next
    t.action('downtime-start')
    t.pick_reason(base.DOWNTIME_REASON)
    t.wait(lambda: band(t) == 'down', 10, 'the band does not say down')
    assert next_action(t) == 'downtime-end'
    t.screenshot('state-band-down')
    t.action('downtime-end')
    t.wait(lambda: band(t) == 'running', 10)
    # the whole order made ("rest of the order" on the keypad): Finish is next
    t.action('produce')
    t.tap('.keypad [data-key="preset:10"]')
    assert t.text('#keypad-display').startswith('10')
    t.tap('.keypad [data-key="ok"]')
    t.wait_text('#good-count', '10')
    t.wait(lambda: next_action(t) == 'finish', 10, 'Finish is not next once the order is made')
    # the time per good piece so far, against the standard per piece (20 min for 10: 2:00)
    assert '2:00 per piece standard' in t.text('#people')
    t.wait_text('#people', 'per piece so far')
    assert seconds(t.text('#per-piece')) * 10 <= seconds(t.text('#elapsed-time')) + 10
    # the operator stops: paused, the own timer kept
    t.action('stop')
    t.wait(lambda: band(t) == 'paused', 10, 'the band does not say paused')
    t.action('finish')
    t.tap('.dialog [data-key="ok"]')
    t.wait(lambda: band(t) == 'finished', 10, 'the band does not say finished')
    disabled, reason, text = why(t, 'start')
    assert disabled and reason == 'why.finished'
    assert next_action(t) is None
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'
    assert event_types(live_server, floor) == sorted(['start', 'downtime_start', 'downtime_end', 'produce', 'stop',
                                                      'finish'])


def second_operator(live_server, floor):
    badge = 'HTTP2-%s' % floor.tag
    employee_id = live_server.rpc('hr.employee', 'create', {'name': 'Second %s' % floor.tag, 'barcode': badge,
                                                            'mes_pin': '2468'})
    return badge, employee_id


def test_per_person_timers_and_quick_operator_switch(browser, live_server, floor):
    t = browser
    badge2, employee2 = second_operator(live_server, floor)
    on_workorder(t, floor)
    t.action('start')
    t.wait(lambda: band(t) == 'running', 10)
    t.wait_outbox_empty()
    time.sleep(2)       # the first operator's time runs ahead by this much at least
    # hand over: the question about the running time, then the next operator lands on this order
    t.tap('#switch-operator')
    t.wait_text('.dialog', 'Stop your time on')
    t.tap('.dialog [data-key="keep"]')
    t.wait_body('screen', 'login')
    t.wait_text('#login-info', 'Handed over')
    t.find('#badge-input').send_keys(badge2 + Keys.ENTER)
    t.wait_body('screen', 'workorder')
    assert str(floor.workorder_id) in t.driver.execute_script(
        'return JSON.parse(localStorage.getItem("mes.terminal.session")).wo + ""')
    t.find('.wo-screen[data-loaded="detail"]')
    assert t.text('#operator-name') == 'Second %s' % floor.tag
    # the first operator's time still runs; the second is not on it yet: own timer not running
    t.wait(lambda: t.present('#people [data-employee-id="%d"]' % floor.employee_id), 10)
    assert 'not running' in t.text('#state-band')
    assert next_action(t) == 'start'
    t.action('start')
    t.wait(lambda: t.present('#people [data-employee-id="%d"].person-on' % employee2), 10)
    t.wait_text('#state-band', '2 people on it')
    rows = t.driver.execute_script(
        'return Array.from(document.querySelectorAll("#people .person"), (p) => [p.dataset.employeeId, '
        'p.querySelector(".person-name").innerText, p.querySelector(".person-time").innerText])')
    assert {int(r[0]) for r in rows} == {floor.employee_id, employee2}
    first_times = {r[0]: seconds(r[2]) for r in rows}

    def timers():
        return {p[0]: seconds(p[1]) for p in t.driver.execute_script(
            'return Array.from(document.querySelectorAll("#people .person"), (p) => [p.dataset.employeeId, '
            'p.querySelector(".person-time").innerText])')}
    # both count, each on its own
    t.wait(lambda: all(v >= first_times[k] + 2 for k, v in timers().items()), 10, 'the timers do not both count')
    later = timers()
    # the first operator's timer runs ahead of the second's
    assert later[str(floor.employee_id)] > later[str(employee2)]
    t.screenshot('per-person-timers')
    t.wait_outbox_empty()
    assert t.body('rejected') == '0'


def test_refusals_of_one_operator_are_not_shown_to_the_next(browser, live_server, floor):
    code = 'GONE-%s' % uuid.uuid4().hex[:6].upper()
    reason_id = live_server.rpc('mes.reason', 'create', {'code': code, 'name': 'Dropped part', 'kind': 'scrap'})
    badge2, _employee2 = second_operator(live_server, floor)
    t = browser
    on_workorder(t, floor)
    t.action('start')
    t.wait_outbox_empty()
    live_server.rpc('mes.reason', 'write', [reason_id], {'active': False})
    base.scrap(t, 2, code)
    t.wait_text('#rejected', 'Not recorded: Scrap 2')
    assert t.body('rejected') == '1'
    t.tap('#logout')
    t.tap('.dialog [data-key="keep"]')
    t.wait_body('screen', 'login')
    assert not t.present('#rejected')
    t.login_badge(badge2)
    assert not t.present('#rejected')
    t.open_workorder(floor.workorder_id)
    time.sleep(1)
    assert not t.present('#rejected'), 'the first operator\'s refusal is shown to the second'
    assert t.body('rejected') == '0'
    # still nothing after a reload (the refusal is not kept for the next operator)
    t.driver.refresh()
    t.wait_body('screen', 'workorder')
    t.find('.wo-screen[data-loaded="detail"]')
    assert not t.present('#rejected')
