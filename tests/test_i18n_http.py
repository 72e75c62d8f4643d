"""The terminal API in the operator's language, over real HTTP against a running Odoo server
(issue 23): the login says the operator's language, refusals come back in it, and what
concerns nobody in particular follows the tablet's Accept-Language."""
import uuid
from datetime import datetime, timedelta

import pytest

from .test_http_api import batch, event


@pytest.fixture(scope='module')
def german(live_server):
    """German installed on the server the way Odoo loads a language (this addon's terms and
    those of product, for the units' names)."""
    live_server.rpc('ir.translation', 'load_module_terms', [], ['product', 'shopfloor_mes'], ['de_DE'])
    return 'de_DE'


def test_the_login_says_the_operator_s_language(live_server, floor, german):
    live_server.rpc('hr.employee', 'write', [floor.employee_id], {'lang': german})
    answer = live_server.post_json('/mes/api/v1/login', {'badge': floor.badge}, floor.token)
    assert answer.status_code == 200, answer.text
    assert answer.json()['employee']['lang'] == 'de_DE'
    info = live_server.get('/mes/api/v1/terminal', floor.token).json()
    assert info['terminal']['lang'] == 'en_US'     # the plant's (the company's), for the tablet at rest


def test_a_german_operator_s_refusal_comes_back_in_german(live_server, floor, german):
    live_server.rpc('hr.employee', 'write', [floor.employee_id], {'lang': german})
    code = 'NONE-%s' % uuid.uuid4().hex[:6].upper()
    sent = event(floor, 'scrap', datetime.utcnow() - timedelta(minutes=1), {'qty': 2, 'reason': code})
    answer = live_server.post_json('/mes/api/v1/events', batch([sent]), floor.token)
    assert answer.status_code == 200, answer.text
    result, = answer.json()['results']
    assert result['status'] == 'rejected'
    assert result['error'] == {'code': 'reason_unknown', 'message': (
        'Kein aktiver Grund der Art „Ausschuss“ hat den Code „%s“. Wählen Sie einen Grund aus der Liste '
        'oder bitten Sie einen Meister, ihn anzulegen.' % code)}
    # the same refusal of an English operator: English; the dead-letter queue keeps English
    live_server.rpc('hr.employee', 'write', [floor.employee_id], {'lang': 'en_US'})
    again = live_server.post_json('/mes/api/v1/events', batch([sent]), floor.token).json()
    assert again['results'][0]['status'] == 'duplicate'
    assert again['results'][0]['error']['message'].startswith('No active scrap reason has code')
    stored = live_server.rpc('mes.event', 'search_read', [('event_uid', '=', sent['id'])], ['error_message'])
    assert stored[0]['error_message'].startswith('No active scrap reason has code')


def test_a_failed_login_and_the_reasons_follow_the_tablet_s_language(live_server, floor, german):
    wrong = {'employee_id': floor.employee_id, 'pin': '0000'}
    answer = live_server.post_json('/mes/api/v1/login', wrong, floor.token, headers={'Accept-Language': 'de'})
    assert answer.status_code == 401
    assert answer.json()['error']['message'] == (
        'Unbekannter Ausweis oder falsche PIN. Erneut versuchen oder einen Meister fragen.')
    english = live_server.post_json('/mes/api/v1/login', wrong, floor.token)
    assert english.json()['error']['message'].startswith('Unknown badge or wrong PIN')
    info = live_server.get('/mes/api/v1/terminal', floor.token, headers={'Accept-Language': 'de'}).json()
    names = {reason['code']: reason['name'] for reason in info['reasons']}
    assert names['BRK-MECH'] == 'Mechanischer Ausfall'
    # a language the server does not have: the plant's
    info = live_server.get('/mes/api/v1/terminal', floor.token, headers={'Accept-Language': 'fr'}).json()
    assert {reason['code']: reason['name'] for reason in info['reasons']}['BRK-MECH'] == 'Mechanical failure'


def test_what_the_tablet_reads_comes_in_its_language(live_server, floor, german):
    path = '/mes/api/v1/workcenters/%d/queue' % floor.workcenter_id
    german_queue = live_server.get(path, floor.token, headers={'Accept-Language': 'de'}).json()
    assert german_queue['workorders'][0]['uom'] == 'Einheit(en)'
    assert live_server.get(path, floor.token).json()['workorders'][0]['uom'] == 'Unit(s)'


def test_a_revoked_token_is_refused_in_the_tablet_s_language(live_server, german):
    answer = live_server.get('/mes/api/v1/terminal', 'not-a-token', headers={'Accept-Language': 'de'})
    assert answer.status_code == 401
    assert answer.json()['error']['message'].startswith('Das Terminal-Token fehlt, ist unbekannt oder widerrufen.')
    assert live_server.get('/mes/api/v1/terminal', 'not-a-token').json()['error']['message'].startswith(
        'The terminal token is missing')


def test_a_request_refused_as_a_whole_answers_in_the_tablet_s_language(live_server, floor, german):
    """Not JSON, or JSON that is not the contract's: the tablet is told in the language it speaks."""
    headers = {'Accept-Language': 'de'}
    not_json = live_server.post_json('/mes/api/v1/login', ['a list'], floor.token, headers=headers)
    assert not_json.status_code == 400, not_json.text
    english = live_server.post_json('/mes/api/v1/login', ['a list'], floor.token)
    assert not_json.json()['error']['code'] == english.json()['error']['code'] == 'malformed_body'
    assert not_json.json()['error']['message'] != english.json()['error']['message']
    no_events = live_server.post_json('/mes/api/v1/events', {'schema': 1}, floor.token, headers=headers)
    assert no_events.status_code == 400, no_events.text
    in_english = live_server.post_json('/mes/api/v1/events', {'schema': 1}, floor.token)
    assert no_events.json()['error']['code'] == in_english.json()['error']['code']
    assert no_events.json()['error']['message'] != in_english.json()['error']['message']
