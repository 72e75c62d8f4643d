"""Each role works in Odoo's own screens without an error: operator, supervisor and finance log
in through /web/login in a real Chromium, open every menu the Shop Floor app and Manufacturing
offer them, the list of every action that has one, and one record of each list. Any error
dialog (Access Error, Odoo Server Error, a warning) or any 5xx answer fails the test; so does a
cost sheet PDF that supervisors or finance cannot print."""
import json
import shutil
import time
import uuid
from datetime import datetime, timedelta

import pytest
import requests

from .conftest import new_chromium
from ...services.contract import format_time as iso

ROOTS = ('shopfloor_mes.menu_mes_root', 'mrp.menu_mrp_root')
GROUPS = {'operator': 'shopfloor_mes.group_mes_operator', 'supervisor': 'shopfloor_mes.group_mes_supervisor',
          'finance': 'shopfloor_mes.group_mes_finance'}
# an action each role may not use: opening it must show an Access Error, or the detector is blind
CANARY = {'operator': 'shopfloor_mes.mes_cost_line_action', 'supervisor': 'shopfloor_mes.mes_move_line_action',
          'finance': 'shopfloor_mes.mes_terminal_action'}
ERROR_TEXTS = ('Odoo Server Error', 'Access Error', 'AccessError', 'Odoo Client Error', 'Odoo Error',
               'Missing Record', 'Traceback')
# An error shows as a crash-manager dialog; a wizard is a dialog too, but without these.
ERROR_SCRIPT = """
var found = [], words = arguments[0];
document.querySelectorAll('.modal, .o_dialog_error, .o_dialog_warning, .o_error_detail, .o_notification.o_error')
  .forEach(function (el) {
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') { return; }
    var text = el.innerText || el.textContent || '';
    var crash = el.matches('.o_dialog_error, .o_dialog_warning, .o_error_detail, .o_notification.o_error')
                || el.querySelector('.o_dialog_error, .o_dialog_warning, .o_error_detail');
    var named = words.some(function (w) { return text.indexOf(w) !== -1; });
    if (crash || named) { found.push(text.trim().slice(0, 600)); }
  });
return found;
"""


def send(server, floor, events):
    body = {'sent_at': iso(datetime.utcnow()), 'events': [
        dict({'schema': 1, 'id': str(uuid.uuid4()), 'seq': seq, 'workorder_id': floor.workorder_id,
              'employee': floor.badge, 'data': {}}, **ev) for seq, ev in enumerate(events, 1)]}
    response = server.post_json('/mes/api/v1/events', body, floor.token)
    assert response.status_code == 200, response.text
    results = response.json()['results']
    assert {r['status'] for r in results} == {'applied'}, results
    return results


@pytest.fixture
def plant(live_server, floor):
    """A user per role (the operator is the floor's employee), and an order run by terminal
    events and closed: events, labor, scrap, a failed check and its nonconformance, a cost
    sheet with its variances."""
    rpc = live_server.rpc
    users = {}
    for role, group in GROUPS.items():
        login = 'menus_%s_%s' % (role, floor.tag)
        users[role] = (login, 'pw-%s' % floor.tag)
        uid = rpc('res.users', 'create', {
            'name': '%s %s' % (role.title(), floor.tag), 'login': login, 'password': users[role][1],
            'groups_id': [(6, 0, [rpc('ir.model.data', 'xmlid_to_res_id', group)])]},
            context={'no_reset_password': True})
        if role == 'operator':
            rpc('hr.employee', 'write', [floor.employee_id], {'user_id': uid})
    point = rpc('mes.quality.point', 'create', {
        'name': 'Leg length %s' % floor.tag, 'kind': 'measure', 'nominal': 10.0, 'tolerance_min': 9.9,
        'tolerance_max': 10.1, 'unit': 'mm', 'product_id': floor.product_id})
    t0 = datetime.utcnow() - timedelta(minutes=60)
    send(live_server, floor, [
        {'type': 'start', 'at': iso(t0)},
        {'type': 'produce', 'at': iso(t0 + timedelta(minutes=10)), 'data': {'qty': 9}},
        {'type': 'scrap', 'at': iso(t0 + timedelta(minutes=12)), 'data': {'qty': 1, 'reason': 'DIM'}},
        {'type': 'check', 'at': iso(t0 + timedelta(minutes=14)),
         'data': {'point_id': point, 'result': 'pass', 'value': 10.5}},
        {'type': 'downtime_start', 'at': iso(t0 + timedelta(minutes=15)), 'data': {'reason': 'BRK-MECH'}},
        {'type': 'downtime_end', 'at': iso(t0 + timedelta(minutes=20))},
        {'type': 'stop', 'at': iso(t0 + timedelta(minutes=30))},
        {'type': 'finish', 'at': iso(t0 + timedelta(minutes=31))},
    ])
    live_server.wait_posted()
    rpc('mrp.production', 'button_mark_done', [floor.production_id])
    state = rpc('mrp.production', 'read', [floor.production_id], ['state'])[0]['state']
    assert state == 'done'
    return users


@pytest.fixture
def chromium(live_server):
    """Chromium that also records every HTTP answer (performance log), for the 5xx check."""
    driver, profile = new_chromium(log_types=('browser', 'performance'), page_load_timeout=60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Backend:
    """Odoo's web client as one user: pages opened, errors and 5xx answers collected."""

    def __init__(self, driver, server, login, password):
        self.driver, self.server, self.login, self.password = driver, server, login, password
        self.problems = []
        self.loads = 0
        self.opened = []   # where a record was opened from a list or a card

    def rpc(self, model, method, *args, **kwargs):
        return self.server.rpc(model, method, *args, login=self.login, password=self.password, **kwargs)

    def sign_in(self):
        from selenium.webdriver.common.by import By
        self.driver.get(self.server.url + '/web/login?db=%s' % self.server.db)
        self.driver.find_element(By.ID, 'login').send_keys(self.login)
        self.driver.find_element(By.ID, 'password').send_keys(self.password)
        self.driver.find_element(By.CSS_SELECTOR, 'form.oe_login_form button[type=submit]').click()
        self.wait(lambda: self.driver.execute_script(
            "return !!document.querySelector('.o_main_navbar, .o_web_client')"),
                  'the web client did not open after login as %s' % self.login)

    def wait(self, condition, message, timeout=40):
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(lambda d: condition(), message)

    def settled(self):
        return self.driver.execute_script("""
            if (document.readyState !== 'complete') { return false; }
            var busy = document.querySelector('.o_loading');
            if (busy && busy.offsetParent) { return false; }
            var block = document.querySelector('.blockUI');
            if (block && block.offsetParent) { return false; }
            return !!document.querySelector('.o_main_content .o_content > *, .o_client_action, .o_form_view, '
                + '.modal, .o_dialog_error, .o_dialog_warning');""")

    def settle(self, where):
        self.wait(self.settled, 'nothing loaded at %s' % where)
        time.sleep(0.6)   # a late RPC (a count, a name_get) can still fail after the first paint
        self.wait(self.settled, 'nothing loaded at %s' % where)
        self.check(where)

    def open(self, where, fragment):
        self.loads += 1
        self.driver.get('%s/web?load=%d#%s' % (self.server.url, self.loads, fragment))
        self.settle(where)

    def check(self, where):
        for text in self.driver.execute_script(ERROR_SCRIPT, list(ERROR_TEXTS)):
            self.problems.append('%s: error dialog: %s' % (where, text))
        for entry in self.driver.get_log('performance'):
            message = json.loads(entry['message'])['message']
            if message.get('method') == 'Network.responseReceived':
                response = message['params']['response']
                if response.get('status', 0) >= 500:
                    self.problems.append('%s: %s answered %s' % (where, response['url'], response['status']))

    def click_first(self, where, css):
        from selenium.webdriver.common.by import By
        rows = [r for r in self.driver.find_elements(By.CSS_SELECTOR, css) if r.is_displayed()]
        if not rows:
            return False
        rows[0].click()
        from selenium.common.exceptions import TimeoutException
        try:   # some lists are reports of rows that open nothing
            self.wait(lambda: self.driver.execute_script("return !!document.querySelector('.o_form_view, .modal')"),
                      'no record opened at %s' % where, timeout=10)
        except TimeoutException:
            self.check(where)
            return False
        self.settle(where)
        self.opened.append(where)
        return True


def menu_leaves(backend):
    """(path, menu id, action) of every menu under ROOTS that this user's menu tree holds."""
    tree = backend.rpc('ir.ui.menu', 'load_menus', False)
    leaves = []

    def walk(node, path):
        path = path + [node['name']]
        if node.get('action'):
            leaves.append((' / '.join(path), node['id'], node['action']))
        for child in node.get('children') or []:
            walk(child, path)
    roots = [n for n in tree['children'] if n.get('xmlid') in ROOTS]
    for root in roots:
        walk(root, [])
    return roots, leaves


def open_every_screen(backend, expected_roots):
    roots, leaves = menu_leaves(backend)
    assert sorted(r['xmlid'] for r in roots) == sorted(expected_roots), roots
    assert leaves
    opened_records = 0
    for path, menu_id, action in leaves:
        model, action_id = action.split(',')
        action_id = int(action_id)
        fragment = 'menu_id=%d&action=%d' % (menu_id, action_id)
        backend.open(path, fragment)
        if model != 'ir.actions.act_window':
            continue
        # the admin reads the action's definition: the role may lack access to ir.actions
        view_mode = backend.server.rpc(model, 'read', [action_id], ['view_mode'])[0]['view_mode'].split(',')
        if 'tree' in view_mode:
            if view_mode[0] != 'tree':
                backend.open(path + ' (list)', fragment + '&view_type=list')
            if backend.click_first(path + ' (a record)', '.o_list_view tbody tr.o_data_row'):
                opened_records += 1
        elif view_mode[0] == 'kanban':
            if backend.click_first(path + ' (a card)', '.o_kanban_record:not(.o_kanban_ghost)'):
                opened_records += 1
    return leaves, opened_records


def cost_sheet_pdf(server, login, password, production_id):
    session = requests.Session()
    answer = session.post(server.url + '/web/session/authenticate', json={
        'jsonrpc': '2.0', 'method': 'call', 'params': {'db': server.db, 'login': login, 'password': password}},
        timeout=30).json()
    assert answer.get('result', {}).get('uid'), 'login as %s failed: %s' % (login, answer)
    return session.get(server.url + '/report/pdf/shopfloor_mes.report_cost_sheet/%d' % production_id, timeout=120)


@pytest.mark.parametrize('role', ['operator', 'supervisor', 'finance'])
def test_each_role_opens_every_screen_of_its_menus_without_an_error(chromium, live_server, floor, plant, role):
    login, password = plant[role]
    backend = Backend(chromium, live_server, login, password)
    backend.sign_in()
    # the detector sees an error dialog: a list this role may not read answers Access Error
    backend.open('canary', 'action=%d' % live_server.rpc('ir.model.data', 'xmlid_to_res_id', CANARY[role]))
    assert any('Access Error' in p for p in backend.problems), backend.problems
    backend.problems = []
    leaves, opened = open_every_screen(backend, ROOTS)
    paths = [path for path, _menu, _action in leaves]
    # the screens each role relies on are among those opened
    assert any(p.endswith('Manufacturing Orders') for p in paths), paths
    assert any(p.endswith('Labor logs') for p in paths), paths
    if role != 'operator':
        assert any(p.endswith('Actual vs standard') for p in paths), paths
        assert any(p.endswith('Cost by operation') for p in paths), paths
        assert any(p.endswith('Cost by employee') for p in paths), paths
    else:
        assert not any('Cost' in p.split(' / ')[1:2] for p in paths), paths
    assert opened >= 3, 'only %d records opened: %s' % (opened, backend.opened)
    # the order run and closed above (scrap, cost sheet, variances) and its work order, by their forms
    for model, action, record in (('mrp.production', 'mrp.mrp_production_action', floor.production_id),
                                  ('mrp.workorder', 'mrp.mrp_workorder_todo', floor.workorder_id)):
        backend.open('%s %d' % (model, record), 'action=%d&model=%s&id=%d&view_type=form' % (
            live_server.rpc('ir.model.data', 'xmlid_to_res_id', action), model, record))
        assert backend.driver.execute_script("return !!document.querySelector('.o_form_view')"), model
    assert not backend.problems, '\n'.join(backend.problems)


@pytest.mark.parametrize('role', ['supervisor', 'finance'])
def test_supervisors_and_finance_print_the_cost_sheet(live_server, floor, plant, role):
    login, password = plant[role]
    pdf = cost_sheet_pdf(live_server, login, password, floor.production_id)
    assert pdf.status_code == 200, pdf.text[:2000]
    assert pdf.headers['Content-Type'] == 'application/pdf'
    assert pdf.content.startswith(b'%PDF')


@pytest.mark.parametrize('role', ['supervisor', 'finance'])
def test_the_cost_sheet_tab_shows_the_breakdown_and_each_line_drills_down(chromium, live_server, floor, plant, role):
    """The closed order's Cost sheet tab: its lines by element, operation and employee; finance
    opens the journal items behind a line of each, supervisors the labor logs (journal items are
    finance's: their buttons are not shown to supervisors)."""
    from selenium.webdriver.common.by import By
    login, password = plant[role]
    backend = Backend(chromium, live_server, login, password)
    backend.sign_in()
    form = 'action=%d&model=mrp.production&id=%d&view_type=form' % (
        live_server.rpc('ir.model.data', 'xmlid_to_res_id', 'mrp.mrp_production_action'), floor.production_id)
    drills = [('mes_cost_operation_ids', 'action_mes_labor_logs', 'Labor'),
              ('mes_cost_employee_ids', 'action_mes_labor_logs', 'Labor')]
    if role == 'finance':
        drills += [('mes_cost_line_ids', 'action_mes_journal_items', 'Journal items'),
                   ('mes_cost_operation_ids', 'action_mes_journal_items', 'Journal items'),
                   ('mes_cost_employee_ids', 'action_mes_journal_items', 'Labor absorbed')]
    for field, button, title in drills:
        where = '%s %s as %s' % (field, button, role)
        backend.open(where + ' (form)', form)
        tab = chromium.find_element(By.XPATH, "//ul[contains(@class, 'nav-tabs')]//a[normalize-space()='Cost sheet']")
        tab.click()
        backend.settle(where + ' (tab)')
        rows = chromium.find_elements(By.CSS_SELECTOR, '.o_field_one2many[name=%s] tbody tr.o_data_row' % field)
        assert rows, 'no line in %s' % field
        # the machine line by element (the fixture's components cost nothing), else the first line
        rows = [r for r in rows if field != 'mes_cost_line_ids' or 'Machine' in r.text]
        # a list's icon button has no name in the page: its string is its title
        title_of = {'action_mes_labor_logs': 'Labor logs', 'action_mes_journal_items': 'Journal items'}
        buttons = rows[0].find_elements(By.CSS_SELECTOR, 'button[title="%s"]' % title_of[button]) if rows else []
        assert buttons, 'no %s button in %s' % (button, field)
        buttons[0].click()
        backend.wait(lambda: title in (chromium.execute_script(
            "var b = document.querySelector('.o_control_panel .breadcrumb'); return b ? b.innerText : '';") or ''),
            'the drill-down did not open at %s' % where)
        backend.settle(where)
        assert chromium.find_elements(By.CSS_SELECTOR, '.o_list_view tbody tr.o_data_row'), \
            'the drill-down of %s is empty' % where
    if role == 'supervisor':
        backend.open('supervisor form', form)
        assert not chromium.find_elements(By.CSS_SELECTOR, 'button[title="Journal items"]')
    assert not backend.problems, '\n'.join(backend.problems)
