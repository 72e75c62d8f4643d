"""Property-based fuzzing of the raw HTTP layer against the live server: hostile bodies, content
types, tokens and paths. Never a 5xx; every refusal is JSON with a code; a refused request stores
nothing and an accepted one stores exactly its fresh events."""
import json
from datetime import datetime

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ...services import contract
from . import strategies as S
from .conftest import count
from .expected import new_rows

CASES = S.budget('FUZZ_HTTP_CASES', 0.03, 100)
STATUSES = {
    'events': {200, 400, 401, 413, 415},
    'login': {200, 400, 401, 413, 415, 423},
    'get': {200, 401, 403, 404},
}


@pytest.fixture(scope='module')
def target(live_server):
    from ..conftest import ShopFloorFixture
    floor = ShopFloorFixture(live_server)
    reasons = live_server.rpc('mes.reason', 'search_read', [('is_category', '=', False)], ['code'])
    floor.reason_codes = [r['code'] for r in reasons][:3] + ['NO-SUCH']
    return floor


def tokens(floor):
    return st.one_of(st.just(floor.token), st.just(floor.token), st.just(floor.token), st.just(None),
                     st.sampled_from(['', 'x', floor.token[:-1], floor.token + 'x', floor.token.upper(), 'a' * 201,
                                      "' OR 1=1 --", 'null', floor.token + ' ' + floor.token]),
                     st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80))


def requests_strategy(floor):
    now = datetime.utcnow()
    event = S.events(workorder_ids=[floor.workorder_id, floor.workorder_id, 999999, 0], badges=[floor.badge, 'NOBODY'],
                     reasons=floor.reason_codes, products=[floor.component_id, 999999], storable_only=True, now=now)
    events_post = st.tuples(st.just('events'), S.bodies(event, now=now, storable_only=True), tokens(floor))
    login_body = st.one_of(
        st.fixed_dictionaries({'badge': st.one_of(st.just(floor.badge), S.texts(True))}),
        st.fixed_dictionaries({'employee_id': st.one_of(st.just(floor.employee_id), S.numbers()),
                               'pin': st.one_of(st.just('0000'), S.json_values(True, 2))}),
        S.json_values(True, 4))
    login_post = st.tuples(st.just('login'), st.tuples(login_body.map(lambda b: json.dumps(b).encode()),
                                                       st.sampled_from(['application/json', 'text/plain', None])),
                           tokens(floor))
    ids = st.one_of(st.just(floor.workcenter_id), st.just(floor.workorder_id), st.just(floor.other_workcenter_id),
                    st.integers(0, 2 ** 31 + 5))
    paths = st.one_of(ids.map(lambda i: '/mes/api/v1/workcenters/%d/queue' % i),
                      ids.map(lambda i: '/mes/api/v1/workorders/%d' % i), st.just('/mes/api/v1/terminal'))
    get = st.tuples(st.just('get'), paths, tokens(floor))
    return st.one_of(events_post, events_post, events_post, login_post, get)


def test_raw_http_never_5xx_never_a_partial_write(live_server, target):
    floor = target
    session = requests.Session()

    def rows():
        return live_server.rpc('mes.event', 'search_count', [('terminal_id', '=', floor.terminal_id)])

    @settings(max_examples=CASES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(requests_strategy(floor))
    def run(case):
        route, payload, token = case
        count('http', 'cases')
        headers = {}
        if token is not None:
            headers['Authorization'] = 'Bearer ' + token
        before = rows() if route == 'events' else None
        stored, conflicts = {}, {}
        if route == 'events':
            try:
                sent = [contract.raw_event_id(raw) for raw in json.loads(payload[0].decode('utf-8'))['events']]
            except Exception:  # not a well-formed batch: nothing can be known
                sent = []
            sent = [u for u in sent if u]
            if sent:
                stored = {r['event_uid']: r['raw'] for r in live_server.rpc(
                    'mes.event', 'search_read', [('event_uid', 'in', sent)], ['event_uid', 'raw'])}
                for r in live_server.rpc('mes.event', 'search_read', [('conflict_uid', 'in', sent)],
                                         ['conflict_uid', 'raw']):
                    conflicts.setdefault(r['conflict_uid'], set()).add(r['raw'])
        if route == 'get':
            response = session.get(live_server.url + payload, headers=headers, timeout=60)
        else:
            body, content_type = payload
            if content_type is not None:
                headers['Content-Type'] = content_type
            response = session.post(live_server.url + '/mes/api/v1/' + route, data=body, headers=headers, timeout=120)
        count('http', '%s %d' % (route, response.status_code))
        assert response.status_code < 500, (response.status_code, response.text[:300])
        assert response.status_code in STATUSES[route], (response.status_code, response.text[:300])
        assert response.headers['Content-Type'].startswith('application/json')
        answer = response.json()
        if response.status_code != 200:
            assert answer['error']['code'] and answer['error']['message'], answer
            count('http', 'refused ' + answer['error']['code'])
        if route != 'events':
            return
        added = rows() - before
        if response.status_code != 200:
            assert added == 0, 'a refused request stored %d events' % added
            return
        batch = json.loads(body.decode('utf-8'))['events']
        # generated ids repeat: a known id is a duplicate, or a conflict kept beside the first
        fresh = new_rows(batch, stored, conflicts)
        assert added == fresh, (added, fresh)
        assert len(answer['results']) == len(batch)
        for result in answer['results']:
            if result['status'] == 'rejected':
                assert result['error']['code'], result
    run()
