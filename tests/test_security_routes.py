"""Every route of the addon, for every kind of caller: no credentials, a browser session of each
role (Operator, Supervisor, Finance, administrator), a bearer token that is valid, revoked,
archived or bound elsewhere. The terminal API answers to its bearer token only: a session cookie,
whoever it belongs to, is no credential there, so a page in the operator's browser cannot forge
terminal requests (no CSRF), and no CORS header lets another origin read an answer."""
import json
import threading
import uuid
from datetime import datetime, timedelta

import pytest
import requests

from ..services.contract import format_time as iso

API_ROUTES = [('POST', '/mes/api/v1/events'), ('POST', '/mes/api/v1/login'), ('GET', '/mes/api/v1/terminal'),
              ('GET', '/mes/api/v1/workcenters/{wc}/queue'), ('GET', '/mes/api/v1/workorders/{wo}')]
PUBLIC_ROUTES = [('GET', '/mes/api/versions'), ('GET', '/mes/terminal')]
SESSION_ROLES = ['operator', 'supervisor', 'finance', 'admin']
GROUPS = {'operator': 'shopfloor_mes.group_mes_operator', 'supervisor': 'shopfloor_mes.group_mes_supervisor',
          'finance': 'shopfloor_mes.group_mes_finance'}


class Site:
    """The live server seen by the callers of these tests, built once per module."""

    def __init__(self, server, floor):
        self.server, self.floor = server, floor
        rpc = server.rpc
        tag = uuid.uuid4().hex[:6]
        self.passwords, self.sessions = {}, {}
        for role in SESSION_ROLES:
            login, password = 'admin', 'admin'
            if role != 'admin':
                login, password = 'sec_%s_%s' % (role, tag), 'pw-%s-%s' % (role, tag)
                group = rpc('ir.model.data', 'xmlid_to_res_id', GROUPS[role])
                rpc('res.users', 'create', {'name': '%s %s' % (role, tag), 'login': login, 'password': password,
                                            'groups_id': [(6, 0, [group])]})
            self.sessions[role] = self.login(login, password)
        # a second terminal, bound to the other work center only
        self.other_terminal = rpc('mes.terminal', 'create', {'name': 'Other tablet %s' % tag,
                                                             'workcenter_ids': [(6, 0, [floor.other_workcenter_id])]})
        self.other_token = rpc('mes.terminal', 'issue_token', [self.other_terminal])
        revoked = rpc('mes.terminal', 'create', {'name': 'Revoked tablet %s' % tag,
                                                 'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
        self.revoked_token = rpc('mes.terminal', 'issue_token', [revoked])
        rpc('mes.terminal', 'action_revoke_token', [revoked])
        archived = rpc('mes.terminal', 'create', {'name': 'Archived tablet %s' % tag,
                                                  'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
        self.archived_token = rpc('mes.terminal', 'issue_token', [archived])
        rpc('mes.terminal', 'write', [archived], {'active': False})
        reissued = rpc('mes.terminal', 'create', {'name': 'Reissued tablet %s' % tag,
                                                  'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
        self.superseded_token = rpc('mes.terminal', 'issue_token', [reissued])
        rpc('mes.terminal', 'issue_token', [reissued])

    def login(self, login, password):
        session = requests.Session()
        response = session.post(self.server.url + '/web/session/authenticate', json={
            'jsonrpc': '2.0', 'method': 'call', 'params': {'db': self.server.db, 'login': login, 'password': password}},
            timeout=60)
        assert response.json().get('result', {}).get('uid'), response.text[:300]
        return session

    def event_count(self):
        return self.server.rpc('mes.event', 'search_count', [])

    def call(self, method, path, caller, body=None, headers=None):
        floor = self.floor
        path = path.format(wc=floor.workcenter_id, wo=floor.workorder_id)
        headers = dict(headers or {})
        session = requests
        if caller in self.sessions:
            session = self.sessions[caller]
        token = {'token': floor.token, 'other_token': self.other_token, 'revoked_token': self.revoked_token,
                 'archived_token': self.archived_token, 'superseded_token': self.superseded_token,
                 'bogus_token': 'x' * 43}.get(caller)
        if token:
            headers['Authorization'] = 'Bearer ' + token
        if caller == 'token_in_query':
            path += '?token=' + floor.token + '&access_token=' + floor.token
        if caller == 'basic_auth':
            headers['Authorization'] = 'Basic ' + __import__('base64').b64encode(b'admin:admin').decode()
        if caller == 'admin_session_and_bogus_token':
            session = self.sessions['admin']
            headers['Authorization'] = 'Bearer not-a-token'
        if method == 'POST':
            if body is None:
                body = self.body_for(path)
            headers.setdefault('Content-Type', 'application/json')
            return session.post(self.server.url + path, data=json.dumps(body), headers=headers, timeout=60)
        return session.get(self.server.url + path, headers=headers, timeout=60)

    def body_for(self, path):
        if path.endswith('/login'):
            return {'badge': self.floor.badge}
        return {'sent_at': iso(datetime.utcnow()), 'events': [{
            'schema': 1, 'id': str(uuid.uuid4()), 'seq': 1, 'type': 'downtime_end',
            'workorder_id': self.floor.workorder_id, 'employee': self.floor.badge,
            'at': iso(datetime.utcnow() - timedelta(minutes=1)), 'data': {}}]}


@pytest.fixture(scope='module')
def site(live_server):
    from .conftest import ShopFloorFixture
    return Site(live_server, ShopFloorFixture(live_server))


def assert_error(response, status, code):
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers['Content-Type'].startswith('application/json')
    assert response.json()['error']['code'] == code
    assert response.json()['error']['message']


REFUSED = ['none', 'bogus_token', 'revoked_token', 'archived_token', 'superseded_token', 'token_in_query',
           'basic_auth', 'admin_session_and_bogus_token'] + SESSION_ROLES


def _matrix():
    for method, path in API_ROUTES:
        for caller in REFUSED:
            marks = []
            yield pytest.param(method, path, caller, marks=marks, id='%s-%s-%s' % (method, path, caller))


@pytest.mark.parametrize('method,path,caller', list(_matrix()))
def test_api_refuses_every_caller_without_a_valid_bearer_token(site, method, path, caller):
    before = site.event_count()
    response = site.call(method, path, caller)
    assert_error(response, 401, 'unauthorized')
    assert 'Access-Control-Allow-Origin' not in response.headers
    assert site.event_count() == before, 'a refused request stored something'


@pytest.mark.parametrize('method,path', API_ROUTES)
def test_api_answers_the_terminal_token(site, method, path):
    response = site.call(method, path, 'token')
    assert response.status_code == 200, response.text[:300]
    assert response.headers['Cache-Control'] == 'no-store'
    assert response.headers['X-Content-Type-Options'] == 'nosniff'
    if path.endswith('/events'):
        assert response.json()['results'][0]['status'] in ('applied', 'rejected')


@pytest.mark.parametrize('method,path', API_ROUTES)
def test_a_token_reaches_only_its_own_work_centers(site, method, path):
    response = site.call(method, path, 'other_token')
    if path.endswith('/queue') or path.endswith('/workorders/{wo}'):
        assert_error(response, 403, 'forbidden')
    elif path.endswith('/events'):
        assert response.status_code == 200
        result = response.json()['results'][0]
        assert (result['status'], result['error']['code']) == ('rejected', 'workcenter_not_on_terminal')
    elif path.endswith('/terminal'):
        body = response.json()
        assert [wc['id'] for wc in body['workcenters']] == [site.floor.other_workcenter_id]
    else:   # login: the employee is found, but only the terminal's own work centers are offered
        assert response.status_code == 200
        assert [wc['id'] for wc in response.json()['workcenters']] == [site.floor.other_workcenter_id]


@pytest.mark.parametrize('caller', ['none', 'token', 'bogus_token'] + SESSION_ROLES)
@pytest.mark.parametrize('method,path', PUBLIC_ROUTES)
def test_public_routes_answer_everyone_and_reveal_nothing(site, method, path, caller):
    response = site.call(method, path, caller)
    assert response.status_code == 200
    if path == '/mes/terminal':
        assert response.headers['X-Frame-Options'] == 'DENY'
        assert "script-src 'self'" in response.headers['Content-Security-Policy']
        assert "frame-ancestors 'none'" in response.headers['Content-Security-Policy']
        assert site.floor.token not in response.text
    else:
        assert set(response.json()) == {'versions', 'current', 'paths'}


def test_no_cors_for_another_origin(site):
    evil = {'Origin': 'https://evil.example', 'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'authorization,content-type'}
    preflight = requests.options(site.server.url + '/mes/api/v1/events', headers=evil, timeout=30)
    assert 'Access-Control-Allow-Origin' not in preflight.headers
    assert 'Access-Control-Allow-Headers' not in preflight.headers
    response = site.call('POST', '/mes/api/v1/events', 'token', headers={'Origin': 'https://evil.example'})
    assert 'Access-Control-Allow-Origin' not in response.headers


def test_a_cross_site_simple_post_is_not_json_and_is_refused(site):
    """What a form or a no-cors fetch on another site can send (text/plain, urlencoded) is refused
    before anything is stored, even by the right terminal token and with a session cookie."""
    before = site.event_count()
    for caller in ('admin', 'token'):
        for content_type in ('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'):
            response = site.call('POST', '/mes/api/v1/events', caller, headers={'Content-Type': content_type})
            expected = (415, 'not_json') if caller == 'token' else (401, 'unauthorized')
            assert_error(response, *expected)
    assert site.event_count() == before


def test_browser_form_routes_keep_odoo_csrf_check(site):
    """Odoo's own state-changing form routes refuse a POST without the session's CSRF token."""
    session = site.sessions['operator']
    response = session.post(site.server.url + '/web/login', data={'login': 'admin', 'password': 'admin'},
                            timeout=30, allow_redirects=False)
    assert response.status_code == 400
    assert 'CSRF' in response.text or 'Session expired' in response.text


@pytest.mark.parametrize('method', ['POST', 'PUT', 'DELETE'])
def test_read_only_routes_refuse_other_methods(site, method):
    for path in ('/mes/terminal', '/mes/api/versions', '/mes/api/v1/workorders/%d' % site.floor.workorder_id):
        response = requests.request(method, site.server.url + path, timeout=30,
                                    headers={'Authorization': 'Bearer ' + site.floor.token})
        assert response.status_code in (404, 405), (path, method, response.status_code)


def test_a_revoked_or_replaced_token_is_refused_at_once(site):
    rpc, floor = site.server.rpc, site.floor
    terminal = rpc('mes.terminal', 'create', {'name': 'Stolen tablet %s' % uuid.uuid4().hex[:6],
                                              'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
    token = rpc('mes.terminal', 'issue_token', [terminal])
    headers = {'Authorization': 'Bearer ' + token}
    assert requests.get(site.server.url + '/mes/api/v1/terminal', headers=headers, timeout=30).status_code == 200
    new = rpc('mes.terminal', 'issue_token', [terminal])
    assert_error(requests.get(site.server.url + '/mes/api/v1/terminal', headers=headers, timeout=30),
                 401, 'unauthorized')
    headers = {'Authorization': 'Bearer ' + new}
    assert requests.get(site.server.url + '/mes/api/v1/terminal', headers=headers, timeout=30).status_code == 200
    rpc('mes.terminal', 'action_revoke_token', [terminal])
    assert_error(requests.get(site.server.url + '/mes/api/v1/terminal', headers=headers, timeout=30),
                 401, 'unauthorized')


def _employee(site, pin='2468'):
    tag = uuid.uuid4().hex[:6]
    return site.server.rpc('hr.employee', 'create', {'name': 'PIN target %s' % tag, 'barcode': 'PIN-%s' % tag,
                                                     'mes_pin': pin})


def test_pin_answers_do_not_tell_unknown_employees_from_wrong_pins(site):
    employee = _employee(site)
    wrong = site.call('POST', '/mes/api/v1/login', 'token', body={'employee_id': employee, 'pin': '0000'})
    unknown = site.call('POST', '/mes/api/v1/login', 'token', body={'employee_id': 987654321, 'pin': '0000'})
    assert_error(wrong, 401, 'login_failed')
    assert_error(unknown, 401, 'login_failed')
    assert wrong.json() == unknown.json()


def test_pin_brute_force_in_parallel_locks_out_after_five_guesses(site):
    """Twenty wrong PINs at once from a stolen tablet: no more than five are ever judged before
    the lock, and once locked even the right PIN is refused, on every terminal."""
    employee = _employee(site, pin='2468')
    answers, lock = [], threading.Lock()

    def guess(n):
        for _attempt in range(20):
            response = site.call('POST', '/mes/api/v1/login', 'token',
                                 body={'employee_id': employee, 'pin': '%04d' % n})
            if response.status_code != 503:
                break
        with lock:
            answers.append((response.status_code, response.json()['error']['code']))
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(1000, 1020)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [a for a in answers if a == (401, 'login_failed')]
    locked = [a for a in answers if a == (423, 'employee_locked')]
    assert len(failed) + len(locked) == 20, answers
    assert len(failed) <= 4, answers
    right = {'employee_id': employee, 'pin': '2468'}
    assert_error(site.call('POST', '/mes/api/v1/login', 'token', body=right), 423, 'employee_locked')
    assert_error(site.call('POST', '/mes/api/v1/login', 'other_token', body=right), 423, 'employee_locked')
