"""Hostile input found by the fuzzers and by hand, kept as plain regression tests: strings
PostgreSQL cannot store, a terminal clock far off, injection strings stored verbatim and read
back through the web client's JSON-RPC, oversized and deeply nested bodies over HTTP."""
import json
import socket
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlparse

import requests

from ..common import T0, ShopFloorCase
from . import strategies as S

RECEIVED = T0 + timedelta(hours=8)


class TestStrangeStrings(ShopFloorCase):

    def ingest_one(self, **override):
        event = self.event('start', 0)
        event.update(override)
        results = self.env['mes.event']._ingest(self.terminal, [event], RECEIVED, RECEIVED)
        return event, results[0]

    def test_nul_in_type_is_rejected_with_a_code(self):
        _event, result = self.ingest_one(type='st\x00art')
        self.assertEqual((result['status'], result['error']['code']), ('rejected', 'type_unknown'))

    def test_nul_in_employee_is_rejected_with_a_code(self):
        _event, result = self.ingest_one(employee='B-\x00ANNA')
        self.assertEqual((result['status'], result['error']['code']), ('rejected', 'field_invalid'))

    def test_nul_in_id_is_rejected_with_a_code(self):
        _event, result = self.ingest_one(id='abc\x00def')
        self.assertEqual(result['status'], 'rejected')

    def test_lone_surrogate_in_id_is_rejected_with_a_code(self):
        _event, result = self.ingest_one(id='\ud800-%s' % uuid.uuid4().hex)
        self.assertEqual(result['status'], 'rejected')

    def test_lone_surrogate_in_an_ignored_field_keeps_the_event(self):
        event, result = self.ingest_one(data={'note': 'x\udc80y'})
        self.assertEqual(result['status'], 'applied')
        row = self.env['mes.event'].search([('event_uid', '=', event['id'])])
        self.assertEqual(json.loads(row.raw)['data']['note'], 'x\udc80y')

    def test_lone_surrogate_in_employee_is_rejected_with_a_code(self):
        _event, result = self.ingest_one(employee='B-\ud800')
        self.assertEqual((result['status'], result['error']['code']), ('rejected', 'field_invalid'))

    def test_a_terminal_clock_a_month_behind_still_delivers(self):
        skew = timedelta(days=-30)
        event = self.event('start', 0, skew=skew)
        results = self.env['mes.event']._ingest(self.terminal, [event], RECEIVED + skew, RECEIVED)
        self.assertEqual(results[0]['status'], 'applied')
        row = self.env['mes.event'].search([('event_uid', '=', event['id'])])
        self.assertEqual(row.corrected_at, '2026-11-24 07:00:00')

    def test_every_unicode_edge_and_injection_is_stored_verbatim(self):
        Event = self.env['mes.event']
        for text in S.UNICODE_EDGES + S.INJECTIONS:
            event = self.event('scrap', 3, data={'qty': 1, 'reason': text[:200], 'note': text})
            event['employee'] = text[:200] or 'B-ANNA'
            result, = Event._ingest(self.terminal, [event], RECEIVED, RECEIVED)
            self.assertIn(result['status'], ('rejected', 'applied'))
            row = Event.search([('event_uid', '=', event['id'])])
            self.assertEqual(json.loads(row.raw), event)
            if text.strip() and len(text) <= 64:
                self.assertEqual(row.employee_badge, event['employee'])
        self.assertTrue(Event.search_count([]))   # the table is still there


# -- over HTTP -------------------------------------------------------------------------------

def _post(live_server, floor, body, content_type='application/json', **kw):
    headers = {'Content-Type': content_type, 'Authorization': 'Bearer ' + floor.token}
    return requests.post(live_server.url + '/mes/api/v1/events', data=body, headers=headers, timeout=120, **kw)


def _json_rpc_session(live_server):
    session = requests.Session()
    response = session.post(live_server.url + '/web/session/authenticate', json={
        'jsonrpc': '2.0', 'method': 'call', 'params': {'db': live_server.db, 'login': 'admin', 'password': 'admin'}},
        timeout=60)
    assert response.json()['result']['uid']
    return session


def test_injection_strings_are_stored_verbatim_and_read_back_as_data(live_server, floor):
    """SQL and HTML injection strings go in as data and come back, through the web client's own
    JSON-RPC, exactly as sent: JSON-escaped, never executed, never truncated silently."""
    now = datetime.utcnow()
    sent = []
    for n, text in enumerate(S.INJECTIONS):
        sent.append({'schema': 1, 'id': 'inj-%s-%02d' % (floor.tag, n), 'seq': n + 1, 'type': 'scrap',
                     'workorder_id': floor.workorder_id, 'employee': text, 'at': S.iso(now - timedelta(minutes=5)),
                     'data': {'qty': 1, 'reason': text, 'note': text, 'lot': text}})
    response = _post(live_server, floor, json.dumps({'sent_at': S.iso(now), 'events': sent}))
    assert response.status_code == 200, response.text[:300]
    assert [r['status'] for r in response.json()['results']] == ['rejected'] * len(sent)
    session = _json_rpc_session(live_server)
    answer = session.post(live_server.url + '/web/dataset/search_read', json={
        'jsonrpc': '2.0', 'method': 'call', 'params': {
            'model': 'mes.event', 'domain': [['event_uid', 'like', 'inj-%s-' % floor.tag]],
            'fields': ['event_uid', 'raw', 'employee_badge', 'error_code', 'error_message'], 'sort': 'event_uid'}},
        timeout=60)
    assert answer.headers['Content-Type'].startswith('application/json')
    records = answer.json()['result']['records']
    assert len(records) == len(sent)
    for record, event in zip(records, sent):
        assert json.loads(record['raw']) == event
        assert record['employee_badge'] == event['employee']
        assert record['error_code'] == 'employee_unknown'
        assert event['employee'] in record['error_message']
    # the tables the injections name are intact
    assert live_server.rpc('mes.event', 'search_count', []) >= len(sent)
    assert live_server.rpc('hr.employee', 'search_count', []) >= 1


def test_nul_over_http_is_a_coded_rejection_not_a_500(live_server, floor):
    now = datetime.utcnow()
    body = json.dumps({'sent_at': S.iso(now), 'events': [{'schema': 1, 'id': str(uuid.uuid4()), 'type': 'start\u0000',
                                                          'workorder_id': floor.workorder_id, 'employee': floor.badge,
                                                          'at': S.iso(now), 'data': {}}]})
    response = _post(live_server, floor, body)
    assert response.status_code == 200, response.status_code
    assert response.json()['results'][0]['status'] == 'rejected'


def test_lone_surrogate_over_http_is_a_coded_rejection_not_a_500(live_server, floor):
    body = '{"sent_at": "%s", "events": [{"id": "\\ud800", "schema": 1}]}' % S.iso(datetime.utcnow())
    response = _post(live_server, floor, body)
    assert response.status_code == 200, response.status_code


def test_a_tablet_whose_clock_reset_to_2000_is_answered_200(live_server, floor):
    body = json.dumps({'sent_at': '2000-01-01T00:05:00.000Z', 'events': [{
        'schema': 1, 'id': str(uuid.uuid4()), 'seq': 1, 'type': 'downtime_end', 'workorder_id': floor.workorder_id,
        'employee': floor.badge, 'at': '2000-01-01T00:04:00.000Z', 'data': {}}]})
    response = _post(live_server, floor, body)
    assert response.status_code == 200, response.text[:300]


def test_deep_json_at_every_depth_is_answered_with_a_code(live_server, floor):
    now = S.iso(datetime.utcnow())
    for depth in list(range(900, 1001, 7)) + [2000, 100000]:
        body = '{"sent_at": "%s", "events": [{"schema": 1, "id": "deep-%s-%d", "type": "start", "data": %s}]}' % (
            now, floor.tag, depth, '[' * depth + ']' * depth)
        response = _post(live_server, floor, body)
        assert response.status_code in (200, 400), (depth, response.status_code)
        if response.status_code == 400:
            assert response.json()['error']['code'] == 'malformed_body'


def _send_raw(live_server, floor, head_fields, pieces):
    """Send a request byte by byte as a client would, and keep going until the server stops
    reading. Returns (status, error code, bytes of body sent): a server that refuses a body may
    answer 413 or close the connection mid-upload; either way it did not read the body whole."""
    address = urlparse(live_server.url)
    conn = socket.create_connection((address.hostname, address.port), timeout=60)
    head = ['POST /mes/api/v1/events HTTP/1.1', 'Host: %s' % address.netloc, 'Content-Type: application/json',
            'Authorization: Bearer ' + floor.token, 'Connection: close'] + head_fields
    sent = 0
    try:
        conn.sendall(('\r\n'.join(head) + '\r\n\r\n').encode())
        for piece in pieces:
            conn.sendall(piece)
            sent += len(piece)
    except (BrokenPipeError, ConnectionResetError):
        pass
    answer = b''
    try:
        conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    try:
        while True:
            part = conn.recv(65536)
            if not part:
                break
            answer += part
    except (ConnectionResetError, socket.timeout):
        pass
    finally:
        conn.close()
    if not answer.startswith(b'HTTP/'):
        return None, None, sent
    status = int(answer.split(b' ', 2)[1])
    body = answer.split(b'\r\n\r\n', 1)[1]
    code = None
    if b'body_too_large' in body or b'malformed_body' in body:
        code = 'body_too_large' if b'body_too_large' in body else 'malformed_body'
    return status, code, sent


def _assert_refused_unread(outcome, total):
    status, code, sent = outcome
    if status is None:      # closed on us mid-upload: only fine if it did stop reading early
        assert sent < total, 'the connection closed without an answer after the whole body was sent'
    else:
        assert (status, code) in ((413, 'body_too_large'), (400, 'malformed_body')), outcome


def test_oversized_bodies_are_refused_before_they_are_read(live_server, floor):
    pad = b'x' * (5 * 1024 * 1024)
    big = b'{"sent_at": "2026-11-24T07:00:00Z", "events": [], "pad": "' + pad + b'"}'
    declared = _send_raw(live_server, floor, ['Content-Length: %d' % len(big)],
                         [big[i:i + 65536] for i in range(0, len(big), 65536)])
    _assert_refused_unread(declared, len(big))
    if declared[0] is not None:
        assert declared[0] == 413

    # No Content-Length: the body is cut at the limit while it is read, never buffered whole.
    pieces = [b'{"sent_at": "2026-11-24T07:00:00Z", "events": [], "pad": "'] + [b'x' * (128 * 1024)] * 40 + [b'"}']
    chunked = [b'%x\r\n%s\r\n' % (len(p), p) for p in pieces] + [b'0\r\n\r\n']
    _assert_refused_unread(_send_raw(live_server, floor, ['Transfer-Encoding: chunked'], chunked),
                           sum(len(c) for c in chunked))

    # and the server is still there for the next terminal
    response = _post(live_server, floor, json.dumps({'sent_at': S.iso(datetime.utcnow()), 'events': []}))
    assert response.status_code == 200, response.text[:300]
