"""A machine's unexplained stop on the operator's tablet (issue 22), a real Chromium against a
real Odoo server. The machine reports over its own terminal's token, as the MQTT bridge posts it
(tests/test_machine_signals.py covers the broker and the bridge): running, then idle for longer
than the company's threshold. The tablet shows the stop and asks for its reason; the operator
picks one; the stop is recorded with it, as downtime, and the tablet stops asking."""
import json
from datetime import datetime, timedelta

from . import test_terminal as base


def machine_reports(live_server, floor, *states):
    """The machine's state changes (minutes ago, state) through a machine terminal of the
    work center; returns the event ids."""
    rpc = live_server.rpc
    code = 'MS-%s' % floor.tag
    terminal = rpc('mes.terminal', 'create', {'name': 'Machine %s' % code, 'kind': 'machine', 'machine_code': code,
                                              'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
    token = rpc('mes.terminal', 'issue_token', [terminal])
    now = datetime.utcnow()

    def stamp(moment):
        return moment.strftime('%Y-%m-%dT%H:%M:%S.000Z')
    events = [{'schema': 1, 'id': 'mq:%s:state:%d' % (code, n), 'seq': n, 'type': 'machine_state',
               'workorder_id': floor.workorder_id, 'employee': code, 'at': stamp(now - timedelta(minutes=ago)),
               'data': {'state': state}} for n, (ago, state) in enumerate(states, 1)]
    answer = live_server.post_json('/mes/api/v1/events', {'sent_at': stamp(now), 'events': events}, token=token)
    assert [r['status'] for r in answer.json()['results']] == ['applied'] * len(events), answer.text
    return [e['id'] for e in events]


def recorded(live_server, floor):
    rows = live_server.rpc('mes.execution', 'search_read', [('workorder_id', '=', floor.workorder_id)],
                           fields=['state_json'])
    return json.loads(rows[0]['state_json'])


def test_an_idle_machine_opens_a_stop_the_operator_classifies_on_the_tablet(browser, live_server, floor):
    t = browser
    t.set_up(floor.token)
    t.login_badge(floor.badge)
    t.open_workorder(floor.workorder_id)
    assert not t.present('#machine-stop')
    _running, idle = machine_reports(live_server, floor, (20, 'running'), (10, 'idle'))
    # the tablet's next fetch of the order shows the stop and asks for its reason
    t.wait(lambda: t.present('#machine-stop[data-stop="%s"][data-open="true"]' % idle), 15,
           'the tablet never showed the machine\'s stop')
    t.wait_text('#machine-stop', 'idle since')
    t.screenshot('machine-stop')
    t.tap('#classify-stop')
    t.wait_text('.dialog.reasons h2', 'Why did the machine stop')
    t.pick_reason(base.DOWNTIME_REASON)
    t.wait_outbox_empty()
    t.wait(lambda: not t.present('#machine-stop'), 15, 'the tablet still asks for the stop\'s reason')
    # recorded with the reason: the machine's stop, and downtime of the work center
    state = recorded(live_server, floor)
    stop, = state['machine']['stops']
    assert (stop['start_event'], stop['reason'], stop['end']) == (idle, base.DOWNTIME_REASON, None)
    assert [(d[2], d[3]) for d in state['down']] == [(base.DOWNTIME_REASON, idle)]
    event = live_server.rpc('mes.event', 'search_read', [('event_uid', '=', stop['reason_event'])],
                            fields=['type', 'state', 'employee_id'])[0]
    assert (event['type'], event['state'], event['employee_id'][0]) == ('machine_stop_reason', 'applied',
                                                                         floor.employee_id)
    # the tablet shows the machine down with that reason, as for a downtime the operator reported
    t.wait(lambda: t.present('#downtime-note'), 15, 'the tablet does not show the machine down')
