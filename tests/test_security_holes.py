"""The holes an outside audit found in the running demo, tried again the way the audit did:
over XML-RPC with a portal login, over HTTP as a terminal, with a stolen badge, a chunked
upload, an absurd number, a reused event id, and the database manager."""
import configparser
import json
import os
import select
import socket
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from datetime import datetime, timedelta
from urllib.parse import urlparse

import pytest
import requests

from .conftest import LOCAL, ROOT, LiveServer, free_port
from .test_http_api import assert_error, batch, event


def make_user(server, group_xmlid):
    tag = uuid.uuid4().hex[:6]
    login, password = 'audit_%s' % tag, 'pw-%s' % tag
    group = server.rpc('ir.model.data', 'xmlid_to_res_id', group_xmlid)
    server.rpc('res.users', 'create', {'name': 'Audit %s' % tag, 'login': login, 'password': password,
                                       'groups_id': [(6, 0, [group])]})
    return login, password


# -- 1. public model methods -------------------------------------------------------------------
def test_a_portal_login_can_neither_revoke_tablets_nor_guess_pins_over_xmlrpc(live_server, floor):
    login, password = make_user(live_server, 'base.group_portal')

    def as_portal(model, method, *args):
        with pytest.raises(xmlrpc.client.Fault) as refusal:
            live_server.rpc(model, method, *args, login=login, password=password)
        return refusal.value.faultCode, refusal.value.faultString.lower()

    access_error = 4   # Odoo's XML-RPC fault code of an AccessError
    code, answer = as_portal('mes.terminal', 'action_revoke_token', [floor.terminal_id])
    assert code == access_error and 'supervisor' in answer, answer
    code, answer = as_portal('hr.employee', 'action_mes_unlock', [floor.employee_id])
    assert code == access_error and 'supervisor' in answer, answer
    code, answer = as_portal('hr.employee', '_mes_check_pin', [floor.employee_id], '4321')
    assert code == access_error and 'private' in answer, answer
    code, answer = as_portal('hr.employee', 'mes_check_pin', [floor.employee_id], '4321')
    assert 'has no attribute' in answer or 'not' in answer, answer
    # the tablet still works
    assert live_server.get('/mes/api/v1/terminal', floor.token).status_code == 200


# -- 2. lockout ---------------------------------------------------------------------------------
def _lock_out(server, floor):
    """Five wrong PINs, as a thief at a tablet would try them."""
    for _attempt in range(5):
        server.post_json('/mes/api/v1/login', {'employee_id': floor.employee_id, 'pin': '0000'}, floor.token)


def test_a_locked_badge_is_refused_by_login_and_by_events_and_the_answer_names_nobody(live_server, floor):
    _lock_out(live_server, floor)
    name = live_server.rpc('hr.employee', 'read', [floor.employee_id], ['name'])[0]['name']
    by_badge = live_server.post_json('/mes/api/v1/login', {'badge': floor.badge}, floor.token)
    assert_error(by_badge, 423, 'employee_locked')
    assert name not in by_badge.text and 'Operator' not in by_badge.text
    start = event(floor, 'start', datetime.utcnow() - timedelta(minutes=1))
    answer = live_server.post_json('/mes/api/v1/events', batch([start]), floor.token)
    assert answer.status_code == 200, answer.text
    result, = answer.json()['results']
    assert result['status'] == 'rejected' and result['error']['code'] == 'employee_locked', result
    assert name not in result['error']['message']
    stored = live_server.rpc('mes.event', 'search_read', [('event_uid', '=', start['id'])], ['state', 'error_code'])
    assert stored == [dict(stored[0], state='dead', error_code='employee_locked')]
    assert not live_server.rpc('mes.labor.log', 'search', [('start_event_id.event_uid', '=', start['id'])])


# -- 5. revocation ------------------------------------------------------------------------------
def test_archiving_a_terminal_revokes_its_token_for_good(live_server, floor):
    assert live_server.get('/mes/api/v1/terminal', floor.token).status_code == 200
    live_server.rpc('mes.terminal', 'write', [floor.terminal_id], {'active': False})
    assert_error(live_server.get('/mes/api/v1/terminal', floor.token), 401, 'unauthorized')
    live_server.rpc('mes.terminal', 'write', [floor.terminal_id], {'active': True})
    assert_error(live_server.get('/mes/api/v1/terminal', floor.token), 401, 'unauthorized')


# -- 6. limits ----------------------------------------------------------------------------------
def test_a_chunked_upload_is_refused_once_past_the_limit_not_after_buffering_it(live_server, floor):
    """40 MB sent chunked (no Content-Length): the answer is 413 while the client is still
    sending, after a few megabytes at most."""
    url = urlparse(live_server.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=60)
    sock.sendall(('POST /mes/api/v1/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n'
                  'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'
                  % (url.netloc, floor.token)).encode())
    chunk = b'[' * (256 * 1024)
    sent, answer = 0, b''
    try:
        while sent < 40 * 1024 * 1024:
            sock.sendall(b'%x\r\n%s\r\n' % (len(chunk), chunk))
            sent += len(chunk)
            if select.select([sock], [], [], 0)[0]:
                break
        else:
            sock.sendall(b'0\r\n\r\n')
    except (BrokenPipeError, ConnectionResetError):
        pass
    deadline = time.time() + 30
    # the headers may come in a packet of their own: read on to the body (or the close)
    while time.time() < deadline and b'body_too_large' not in answer:
        part = sock.recv(65536)
        if not part:
            break
        answer += part
    sock.close()
    assert answer.startswith(b'HTTP/1.') and b' 413 ' in answer.split(b'\r\n')[0], answer[:300]
    assert b'body_too_large' in answer
    assert sent < 20 * 1024 * 1024, 'the server read %d bytes before refusing' % sent


def test_an_integer_of_5000_digits_rejects_its_event_not_the_request(live_server, floor):
    now = datetime.utcnow()
    absurd = event(floor, 'produce', now - timedelta(minutes=1), seq=2)
    body = batch([event(floor, 'start', now - timedelta(minutes=2), seq=1), absurd])
    text = json.dumps(body).replace('"data": {}}]', '"data": {"qty": %s}}]' % ('9' * 5000))
    assert ('9' * 5000) in text
    answer = live_server.post_json('/mes/api/v1/events', text, floor.token)
    assert answer.status_code == 200, answer.text[:500]
    started, produced = answer.json()['results']
    assert started['status'] == 'applied'
    assert produced['status'] == 'rejected' and produced['error']['code'] == 'field_invalid', produced
    assert 'data.qty' in produced['error']['message'] and '5000 digits' in produced['error']['message']
    stored = live_server.rpc('mes.event', 'search_read', [('event_uid', '=', absurd['id'])], ['state', 'raw'])
    assert stored[0]['state'] == 'dead' and '9' * 5000 in stored[0]['raw']


# -- 7. event id reuse --------------------------------------------------------------------------
def test_an_event_id_reused_with_other_content_is_a_conflict_kept_with_both_versions(live_server, floor):
    rpc = live_server.rpc
    other = rpc('mes.terminal', 'create', {'name': 'Second tablet %s' % floor.tag,
                                           'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
    other_token = rpc('mes.terminal', 'issue_token', [other])
    now = datetime.utcnow()
    first = event(floor, 'start', now - timedelta(minutes=3))
    answer = live_server.post_json('/mes/api/v1/events', batch([first]), floor.token).json()
    assert answer['results'][0]['status'] == 'applied'
    # the same event again, from the other tablet: a duplicate, nothing new
    again = live_server.post_json('/mes/api/v1/events', batch([first]), other_token).json()['results'][0]
    assert again['status'] == 'duplicate' and again['outcome'] == 'applied'
    # the same id with another fact: a conflict, not a duplicate
    reused = dict(first, type='produce', data={'qty': 3})
    answer = live_server.post_json('/mes/api/v1/events', batch([reused]), other_token).json()['results'][0]
    assert answer['id'] == first['id']
    assert answer['status'] == 'rejected' and answer['error']['code'] == 'event_id_conflict', answer
    rows = rpc('mes.event', 'search_read', ['|', ('event_uid', '=', first['id']), ('conflict_uid', '=', first['id'])],
               ['state', 'type', 'conflict_with_id', 'terminal_id', 'error_code'], order='id')
    assert [(r['state'], r['type']) for r in rows] == [('applied', 'start'), ('dead', 'produce')]
    assert rows[1]['conflict_with_id'][0] == rows[0]['id'] and rows[1]['terminal_id'][0] == other
    # the conflicting version sent again is its own duplicate, not a third row
    repeat = live_server.post_json('/mes/api/v1/events', batch([reused]), other_token).json()['results'][0]
    assert repeat['status'] == 'duplicate' and repeat['error']['code'] == 'event_id_conflict'
    assert rpc('mes.event', 'search_count', [('conflict_uid', '=', first['id'])]) == 1


# -- 9. the database manager --------------------------------------------------------------------
def _production_conf(db, port):
    """The documented production configuration, pointed at the test cluster and one database."""
    conf = configparser.ConfigParser()
    conf.read(os.environ.get('MES_CONF') or os.path.join(LOCAL, 'odoo.conf'))
    dev = conf['options']
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'scripts', 'production_conf.py'), '--db', db,
         '--addons-path', dev['addons_path'], '--data-dir', dev['data_dir'], '--db-host', dev['db_host'],
         '--db-port', dev['db_port'], '--db-user', dev['db_user'], '--workers', '2'],
        check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    production = configparser.ConfigParser()
    production.read_string(out)
    options = production['options']
    options['http_port'] = str(port)
    return production, options


def test_the_production_configuration_closes_the_database_manager(live_server, tmp_path):
    port = free_port()
    production, options = _production_conf(live_server.db, port)
    assert options['list_db'] == 'False'
    assert options['dbfilter'] == '^%s$' % live_server.db
    assert options['proxy_mode'] == 'True' and int(options['workers']) >= 2
    assert len(options['admin_passwd']) >= 32 and options['admin_passwd'] != 'admin'
    again, _options = _production_conf(live_server.db, port)
    assert again['options']['admin_passwd'] != options['admin_passwd'], 'each configuration gets its own password'
    path = tmp_path / 'odoo.conf'
    with open(str(path), 'w') as handle:
        production.write(handle)
    server = LiveServer(live_server.db, port, os.path.join(LOCAL, 'logs', 'test-production-conf.log'))
    server.conf = str(path)
    server.start()
    try:
        manager = requests.get(server.url + '/web/database/manager', timeout=30)
        assert 'disabled by the administrator' in manager.text, manager.text[:300]
        listed = requests.post(server.url + '/web/database/list', json={
            'jsonrpc': '2.0', 'method': 'call', 'params': {}}, timeout=30).json()
        assert 'error' in listed and 'result' not in listed, listed
        dropped = requests.post(server.url + '/web/database/drop', data={
            'master_pwd': 'admin', 'name': live_server.db}, timeout=30)
        assert dropped.status_code in (403, 404) or 'disabled' in dropped.text, dropped.text[:300]
    finally:
        server.stop()
    assert live_server.rpc('res.users', 'search_count', []) > 0, 'the database is still there'


def test_the_production_check_refuses_a_database_without_synchronous_commit(live_server):
    conf = configparser.ConfigParser()
    conf.read(os.environ.get('MES_CONF') or os.path.join(LOCAL, 'odoo.conf'))
    dev = conf['options']
    env = dict(os.environ, PGHOST=dev['db_host'], PGPORT=dev['db_port'], PGUSER=dev['db_user'],
               PATH='/usr/lib/postgresql/15/bin' + os.pathsep + os.environ['PATH'])
    script = [sys.executable, os.path.join(ROOT, 'scripts', 'production_conf.py'), '--check-db', live_server.db]

    def run(setting):
        subprocess.run(['psql', '-d', 'postgres', '-c', 'ALTER DATABASE "%s" SET synchronous_commit = %s'
                        % (live_server.db, setting)], check=True, env=env, stdout=subprocess.DEVNULL)
        return subprocess.run(script, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
    try:
        off = run('off')
        assert off.returncode == 1 and 'synchronous_commit is off' in off.stderr, off
        on = run('on')
        assert on.returncode == 0 and 'synchronous_commit is on' in on.stdout, on
    finally:
        subprocess.run(['psql', '-d', 'postgres', '-c',
                        'ALTER DATABASE "%s" RESET synchronous_commit' % live_server.db],
                       env=env, stdout=subprocess.DEVNULL)
