"""Terminal set-up, login list and plant time (issue 19, item 7), in a real Chromium against a
real Odoo server: the set-up opens only for a supervisor the server recognises by badge (or
badge and PIN); the login list names the operators qualified at this terminal's work centers;
times show in the plant's time zone, the server's UTC messages included."""
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.keys import Keys


def supervisor(live_server, tag, pin='9876'):
    group = live_server.rpc('ir.model.data', 'xmlid_to_res_id', 'shopfloor_mes.group_mes_supervisor')
    user = live_server.rpc('res.users', 'create', {'name': 'Supervisor %s' % tag, 'login': 'sup-%s' % tag,
                                                   'groups_id': [(4, group)]})
    badge = 'SUP-%s' % tag
    live_server.rpc('hr.employee', 'create', {'name': 'Supervisor %s' % tag, 'barcode': badge, 'mes_pin': pin,
                                              'user_id': user})
    return badge


def ask_setup(t, badge, pin=None):
    t.tap('#open-setup')
    field = t.find('#supervisor-badge')
    field.send_keys(badge)
    if pin is not None:
        t.find('#supervisor-pin').send_keys(pin)
    t.find('#supervisor-badge').send_keys(Keys.ENTER)


def test_terminal_set_up_needs_a_supervisor(browser, live_server, floor):
    t = browser
    badge = supervisor(live_server, floor.tag)
    t.set_up(floor.token)
    # an operator's badge does not open it
    ask_setup(t, floor.badge)
    t.wait_text('#supervisor-error', 'is not an MES supervisor')
    assert t.body('screen') == 'login'
    t.screenshot('setup-supervisor')
    t.tap('.dialog [data-key="cancel"]')
    t.wait(lambda: not t.present('.modal-backdrop'), 10, 'the dialog did not close')
    assert t.body('screen') == 'login'
    # a supervisor's badge with a wrong PIN neither
    ask_setup(t, badge, '1111')
    t.wait_text('#supervisor-error', 'wrong PIN')
    assert t.body('screen') == 'login'
    t.tap('.dialog [data-key="cancel"]')
    # with the right PIN it opens
    ask_setup(t, badge, '9876')
    t.wait_body('screen', 'setup')
    t.wait_text('#setup-info', 'Opened by Supervisor %s' % floor.tag)
    t.tap('#setup-cancel')
    t.wait_body('screen', 'login')
    # the badge alone (scanned) opens it too
    ask_setup(t, badge)
    t.wait_body('screen', 'setup')


def test_the_login_list_names_the_operators_qualified_here(browser, live_server, floor):
    rpc = live_server.rpc
    here = rpc('hr.employee', 'create', {'name': 'Sawyer %s' % floor.tag, 'barcode': 'SAW-%s' % floor.tag,
                                         'mes_pin': '1212', 'mes_workcenter_ids': [(6, 0, [floor.workcenter_id])]})
    elsewhere = rpc('hr.employee', 'create', {'name': 'Painter %s' % floor.tag, 'barcode': 'PNT-%s' % floor.tag,
                                              'mes_workcenter_ids': [(6, 0, [floor.other_workcenter_id])]})
    t = browser
    t.set_up(floor.token)
    t.find('[data-employee-id="%d"]' % here)
    ids = {int(e.get_attribute('data-employee-id'))
           for e in t.driver.find_elements('css selector', '#employee-list [data-employee-id]')}
    assert ids == {here}, 'only the operator qualified here is listed, not %s' % ids
    assert elsewhere not in ids and floor.employee_id not in ids
    # an operator with no list of work centers may work anywhere: logs in by badge
    t.login_badge(floor.badge)
    t.find('[data-wo-id="%d"]' % floor.workorder_id)


def test_times_show_in_the_plants_time_zone(browser, live_server, floor):
    live_server.rpc('mes.terminal', 'write', [floor.terminal_id], {'tz': 'Asia/Kolkata'})
    plant = timezone(timedelta(hours=5, minutes=30))
    until = (datetime.utcnow() + timedelta(minutes=20)).replace(second=0, microsecond=0)
    live_server.rpc('hr.employee', 'write', [floor.employee_id],
                    {'mes_locked_until': until.strftime('%Y-%m-%d %H:%M:%S')})
    t = browser
    t.set_up(floor.token)

    # the bar's clock shows the plant's time, not the tablet's (UTC here)
    def clock_is_plant_time():
        shown = t.text('#clock-now')
        now = datetime.now(timezone.utc)
        return shown in {(now + d).astimezone(plant).strftime('%H:%M') for d in (timedelta(0), timedelta(minutes=-1))}
    t.wait(clock_is_plant_time, 10, 'the clock does not show the plant time: %s' % t.text('#clock-now'))
    # the server's message quotes UTC; the tablet says the plant's time
    field = t.find('#badge-input')
    field.send_keys(floor.badge + Keys.ENTER)
    t.wait_text('#login-error', 'locked until')
    message = t.text('#login-error')
    local = until.replace(tzinfo=timezone.utc).astimezone(plant).strftime('%H:%M')
    assert 'locked until %s' % local in message and 'UTC' not in message, message
