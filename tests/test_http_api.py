"""The terminal contract over real HTTP, against a running Odoo server."""
import configparser
import json
import os
import uuid
from datetime import datetime, timedelta

import pytest
import requests

from ..services.contract import format_time as iso


def event(floor, etype, at, data=None, seq=1, **over):
    body = {'schema': 1, 'id': str(uuid.uuid4()), 'seq': seq, 'type': etype, 'workorder_id': floor.workorder_id,
            'employee': floor.badge, 'at': iso(at), 'data': data or {}}
    body.update(over)
    return body


def batch(events, sent_at=None):
    return {'sent_at': iso(sent_at or datetime.utcnow()), 'events': events}


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers['Content-Type'].startswith('application/json')
    body = response.json()
    assert body['error']['code'] == code, body
    assert body['error']['message']


def test_versions_lists_schema_1(live_server):
    response = live_server.get('/mes/api/versions')
    assert response.status_code == 200
    assert response.json()['versions'] == [1]


def test_events_applied_and_answered_in_request_order(live_server, floor):
    now = datetime.utcnow()
    events = [event(floor, 'stop', now - timedelta(minutes=1), seq=2),
              event(floor, 'start', now - timedelta(minutes=20), seq=1),
              event(floor, 'produce', now - timedelta(minutes=5), {'qty': 3}, seq=3)]
    response = live_server.post_json('/mes/api/v1/events', batch(events), floor.token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r['id'] for r in body['results']] == [e['id'] for e in events]
    assert [r['status'] for r in body['results']] == ['applied'] * 3
    assert abs(body['clock_offset_ms']) < 5000
    live_server.wait_posted()
    wo = live_server.rpc('mrp.workorder', 'read', [floor.workorder_id], ['qty_produced', 'state'])[0]
    assert wo['qty_produced'] == 3
    logs = live_server.rpc('mes.labor.log', 'search_read', [('workorder_id', '=', floor.workorder_id)], ['duration'])
    assert [round(log['duration'], 3) for log in logs] == [19.0]
    # sent again: duplicates, nothing applied twice
    again = live_server.post_json('/mes/api/v1/events', batch(events), floor.token).json()
    assert [r['status'] for r in again['results']] == ['duplicate'] * 3
    live_server.wait_posted()
    wo = live_server.rpc('mrp.workorder', 'read', [floor.workorder_id], ['qty_produced'])[0]
    assert wo['qty_produced'] == 3


def test_clock_offset_is_measured_from_sent_at(live_server, floor):
    terminal_clock = datetime.utcnow() - timedelta(minutes=10)   # the tablet is 10 minutes slow
    ev = event(floor, 'start', terminal_clock - timedelta(minutes=1))
    body = live_server.post_json('/mes/api/v1/events', batch([ev], sent_at=terminal_clock), floor.token).json()
    assert 595000 < body['clock_offset_ms'] < 605000
    row = live_server.rpc('mes.event', 'search_read', [('event_uid', '=', ev['id'])],
                          ['corrected_at', 'terminal_at'])[0]
    corrected = datetime.strptime(row['corrected_at'], '%Y-%m-%d %H:%M:%S')
    assert abs((corrected - (datetime.utcnow() - timedelta(minutes=1))).total_seconds()) < 30


def test_rejected_event_answers_its_code_and_lands_in_the_dead_letter_queue(live_server, floor):
    ev = event(floor, 'scrap', datetime.utcnow(), {'qty': 1, 'reason': 'NO-SUCH-REASON'})
    result = live_server.post_json('/mes/api/v1/events', batch([ev]), floor.token).json()['results'][0]
    assert result['status'] == 'rejected'
    assert result['error']['code'] == 'reason_unknown'
    assert 'NO-SUCH-REASON' in result['error']['message']
    dead = live_server.rpc('mes.event', 'search_read', [('event_uid', '=', ev['id'])], ['state', 'raw'])
    assert dead[0]['state'] == 'dead' and 'NO-SUCH-REASON' in dead[0]['raw']


@pytest.mark.parametrize('token', [None, 'wrong-token'])
def test_401_without_a_valid_token(live_server, floor, token):
    response = live_server.post_json('/mes/api/v1/events', batch([event(floor, 'start', datetime.utcnow())]), token)
    assert_error(response, 401, 'unauthorized')
    assert_error(live_server.get('/mes/api/v1/workorders/%d' % floor.workorder_id, token), 401, 'unauthorized')


def test_a_revoked_token_is_refused_at_once(live_server, floor):
    assert live_server.get('/mes/api/v1/terminal', floor.token).status_code == 200
    live_server.rpc('mes.terminal', 'action_revoke_token', [floor.terminal_id])
    assert_error(live_server.get('/mes/api/v1/terminal', floor.token), 401, 'unauthorized')


def test_400_for_a_malformed_body(live_server, floor):
    for body in (b'{"sent_at": ', b'[]', json.dumps({'events': []}), json.dumps({'sent_at': 'noon', 'events': []}),
                 json.dumps({'sent_at': iso(datetime.utcnow()), 'events': 'many'}), b'\xff\xfe'):
        assert_error(live_server.post_json('/mes/api/v1/events', body, floor.token), 400, 'malformed_body')


def test_413_over_500_events(live_server, floor):
    events = [event(floor, 'start', datetime.utcnow()) for _ in range(501)]
    assert_error(live_server.post_json('/mes/api/v1/events', batch(events), floor.token), 413, 'too_many_events')
    count = live_server.rpc('mes.event', 'search_count', [('event_uid', 'in', [e['id'] for e in events])])
    assert count == 0


def test_413_for_an_oversized_body(live_server, floor):
    body = b'{"sent_at": "2026-11-24T07:00:00Z", "events": [], "pad": "' + b'x' * (3 * 1024 * 1024) + b'"}'
    assert_error(live_server.post_json('/mes/api/v1/events', body, floor.token), 413, 'body_too_large')


def test_415_when_not_json(live_server, floor):
    response = live_server.post_json('/mes/api/v1/events', 'sent_at=now', floor.token,
                                     headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert_error(response, 415, 'not_json')


def test_login_by_badge_and_by_pin_with_lockout(live_server, floor):
    ok = live_server.post_json('/mes/api/v1/login', {'badge': floor.badge}, floor.token)
    assert ok.status_code == 200, ok.text
    assert ok.json()['employee']['id'] == floor.employee_id
    assert [wc['id'] for wc in ok.json()['workcenters']] == [floor.workcenter_id]
    ok = live_server.post_json('/mes/api/v1/login', {'employee_id': floor.employee_id, 'pin': '4321'}, floor.token)
    assert ok.json()['employee']['badge'] == floor.badge
    assert_error(live_server.post_json('/mes/api/v1/login', {'badge': 'NOBODY'}, floor.token), 401, 'login_failed')
    for attempt in range(4):
        assert_error(live_server.post_json('/mes/api/v1/login', {'employee_id': floor.employee_id, 'pin': '0000'},
                                           floor.token), 401, 'login_failed')
    assert_error(live_server.post_json('/mes/api/v1/login', {'employee_id': floor.employee_id, 'pin': '0000'},
                                       floor.token), 423, 'employee_locked')
    # locked: even the right PIN is refused for 15 minutes
    assert_error(live_server.post_json('/mes/api/v1/login', {'employee_id': floor.employee_id, 'pin': '4321'},
                                       floor.token), 423, 'employee_locked')


def test_queue_and_work_order_for_the_terminal_work_center_only(live_server, floor):
    queue = live_server.get('/mes/api/v1/workcenters/%d/queue' % floor.workcenter_id, floor.token)
    assert queue.status_code == 200
    assert floor.workorder_id in [w['id'] for w in queue.json()['workorders']]
    detail = live_server.get('/mes/api/v1/workorders/%d' % floor.workorder_id, floor.token).json()
    assert detail['qty_planned'] == 10
    assert detail['components'][0]['product_id'] == floor.component_id
    assert_error(live_server.get('/mes/api/v1/workcenters/%d/queue' % floor.other_workcenter_id, floor.token),
                 403, 'forbidden')
    assert_error(live_server.get('/mes/api/v1/workorders/999999', floor.token), 404, 'not_found')


def test_terminal_page_answers(live_server):
    response = live_server.get('/mes/terminal')
    assert response.status_code == 200
    assert 'text/html' in response.headers['Content-Type']
    assert '<html' in response.text.lower()


def test_backend_login_page_answers(live_server):
    assert live_server.get('/web/login').status_code == 200


def test_work_order_shows_the_open_downtime_and_the_last_check(live_server, floor):
    point = live_server.rpc('mes.quality.point', 'create', {
        'name': 'Length %s' % floor.tag, 'kind': 'measure', 'nominal': 100, 'tolerance_min': 99,
        'tolerance_max': 101, 'unit': 'mm', 'product_id': floor.product_id})
    now = datetime.utcnow()
    events = [event(floor, 'downtime_start', now - timedelta(minutes=5), {'reason': 'BRK-MECH'}, seq=1),
              event(floor, 'check', now - timedelta(minutes=4),
                    {'point_id': point, 'result': 'pass', 'value': 100.2}, seq=2)]
    results = live_server.post_json('/mes/api/v1/events', batch(events), floor.token).json()['results']
    assert [r['status'] for r in results] == ['applied', 'applied'], results
    detail = live_server.get('/mes/api/v1/workorders/%d' % floor.workorder_id, floor.token).json()
    assert detail['downtime']['reason'] == 'BRK-MECH'
    check = [c for c in detail['checks'] if c['point_id'] == point][0]
    assert check['last']['result'] == 'pass' and check['last']['value'] == 100.2


def test_pin_login_needs_a_badge_and_the_terminal_lists_only_badged_operators(live_server, floor):
    # hr_attendance gives new employees a random badge; this one had it removed
    nobadge = live_server.rpc('hr.employee', 'create', {'name': 'No badge %s' % floor.tag, 'mes_pin': '1111'})
    live_server.rpc('hr.employee', 'write', [nobadge], {'barcode': False})
    assert_error(live_server.post_json('/mes/api/v1/login', {'employee_id': nobadge, 'pin': '1111'}, floor.token),
                 401, 'login_failed')
    listed = [e['id'] for e in live_server.get('/mes/api/v1/terminal', floor.token).json()['employees']]
    assert floor.employee_id in listed and nobadge not in listed


def session_dir(server):
    parser = configparser.ConfigParser()
    parser.read(server.conf)
    return os.path.join(parser.get('options', 'data_dir'), 'sessions')


def test_the_api_keeps_no_session(live_server, floor):
    # A tablet sends no cookie (credentials 'omit'): Odoo 11 saved a new session file for each
    # of its requests, some 100,000 a day per tablet, and lists them all to collect old ones.
    sessions = session_dir(live_server)
    assert os.path.isdir(sessions)
    responses = [requests.get(live_server.url + '/mes/api/versions', timeout=30),
                 live_server.get('/mes/api/v1/terminal', floor.token),
                 live_server.get('/mes/api/v1/terminal', 'wrong-token'),
                 live_server.post_json('/mes/api/v1/events', batch([event(floor, 'start', datetime.utcnow())]),
                                       floor.token)]
    assert [r.status_code for r in responses] == [200, 200, 401, 200]
    sids = [r.cookies.get('session_id') for r in responses if r.cookies.get('session_id')]
    assert sids, 'Odoo names a session in every answer (Set-Cookie); none was seen'
    assert [sid for sid in sids if os.path.exists(os.path.join(sessions, 'werkzeug_%s.sess' % sid))] == []
