"""Machine signals over MQTT, end to end: the real broker (mosquitto, started by make test), the
bridge (scripts/mqtt_bridge.py) as its own process, and a real Odoo server (``live_server``).

A machine publishes its cycles and states; the bridge posts them as machine events with the
machine's terminal token; they land in the same event log and the work order's recorded state
keeps the machine's counts beside the operator's. Killing the bridge with -9 or restarting the
broker mid-stream loses nothing and doubles nothing; duplicates and disorder change nothing; a
machine idle past the threshold opens a stop the terminal's API shows for classification.
"""
import importlib.util
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from datetime import datetime, timedelta

import pytest

from ..services.contract import format_time

ROOT = os.environ.get('MES_ROOT') or os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
LOCAL = os.path.join(ROOT, '.local')
PYTHON = os.path.join(LOCAL, 'venv', 'bin', 'python')


def _script(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, 'scripts', name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


simulator = _script('machine_simulator')
bridge_script = _script('mqtt_bridge')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Broker:
    """The suite's broker (MQTT_HOST/MQTT_PORT from make test), or one of a test's own."""

    def __init__(self, name=None):
        self.name = name
        if name:
            self.host, self.port = '127.0.0.1', free_port()
            self.start(fresh=True)
        else:
            self.host, self.port = os.environ.get('MQTT_HOST'), os.environ.get('MQTT_PORT')
            if not self.host:
                pytest.fail('MQTT_HOST is not set: run the suite with `make test` (it starts mosquitto)')

    def _mqtt_sh(self, action, fresh=False):
        env = dict(os.environ, MQTT_HOST='', MQTT_FRESH='1' if fresh else '0')
        subprocess.run(['bash', os.path.join(ROOT, 'scripts', 'mqtt.sh'), action, self.name, str(self.port)],
                       env=env, check=True, stdout=subprocess.DEVNULL)

    def start(self, fresh=False):
        self._mqtt_sh('start', fresh)

    def stop(self):
        self._mqtt_sh('stop')

    def env(self, prefix):
        return dict(os.environ, MQTT_HOST=self.host, MQTT_PORT=str(self.port), MQTT_PREFIX=prefix)


class Machine:
    """A work center with a code, an order ready on it, the machine's terminal and the bridge's file."""

    def __init__(self, server, floor, tmp_path):
        self.server, self.floor = server, floor
        tag = uuid.uuid4().hex[:6]
        self.wc_code, self.code = 'W%s' % tag, 'M%s' % tag
        server.rpc('mrp.workcenter', 'write', [floor.workcenter_id], {'code': self.wc_code})
        self.terminal_id = server.rpc('mes.terminal', 'create', {
            'name': 'Machine %s' % self.code, 'kind': 'machine', 'machine_code': self.code,
            'workcenter_ids': [(6, 0, [floor.workcenter_id])]})
        self.token = server.rpc('mes.terminal', 'issue_token', [self.terminal_id])
        self.machines_file = str(tmp_path / 'machines.json')
        with open(self.machines_file, 'w') as out:
            json.dump([{'workcenter': self.wc_code, 'machine': self.code, 'workcenter_id': floor.workcenter_id,
                        'token': self.token}], out)
        self.prefix = 'test-%s' % tag
        self.seq = 0

    def message(self, kind, minutes_ago, **payload):
        """(topic, payload) of one message; the machine's counter moves on."""
        self.seq += 1
        at = datetime.utcnow() - timedelta(minutes=minutes_ago)
        return ('%s/%s/%s/%s' % (self.prefix, self.wc_code, self.code, kind),
                dict(payload, seq=self.seq, at=format_time(at)))

    # -- what the server recorded -----------------------------------------------------------
    def events(self):
        return self.server.rpc('mes.event', 'search_read', [('terminal_id', '=', self.terminal_id)],
                               fields=['event_uid', 'state', 'repeat_count', 'type'])

    def wait_events(self, count, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            events = self.events()
            if len(events) >= count:
                return events
            time.sleep(0.5)
        raise AssertionError('%d of %d events recorded after %s s' % (len(self.events()), count, timeout))

    def recorded(self):
        rows = self.server.rpc('mes.execution', 'search_read', [('workorder_id', '=', self.floor.workorder_id)],
                               fields=['state_json'])
        return json.loads(rows[0]['state_json'])


class BridgeProcess:
    def __init__(self, machine, broker, log_path):
        self.machine, self.broker, self.log_path = machine, broker, log_path
        self.client_id = 'bridge-%s' % machine.code
        self.process = None

    def start(self):
        env = dict(self.broker.env(self.machine.prefix), MQTT_CLIENT_ID=self.client_id,
                   MQTT_BRIDGE_LOG=os.environ.get('MQTT_BRIDGE_LOG', 'INFO'))
        self.log = open(self.log_path, 'ab')
        self.process = subprocess.Popen(
            [PYTHON, os.path.join(ROOT, 'scripts', 'mqtt_bridge.py'), '--url', self.machine.server.url,
             '--machines', self.machine.machines_file], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        time.sleep(1.0)   # connected and subscribed (its session keeps the subscription after that)
        return self

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture
def machine(live_server, floor, tmp_path):
    return Machine(live_server, floor, tmp_path)


@pytest.fixture
def bridge_log():
    os.makedirs(os.path.join(LOCAL, 'logs'), exist_ok=True)
    return os.path.join(LOCAL, 'logs', 'test-mqtt-bridge.log')


def publish(broker, messages, client_id=None):
    """Publish (topic, payload) pairs at QoS 1 and wait until the broker acknowledged them all."""
    env_before = dict(os.environ)
    os.environ.update(MQTT_HOST=broker.host, MQTT_PORT=str(broker.port))
    try:
        publisher = simulator.Publisher(client_id or 'pub-%s' % uuid.uuid4().hex[:8])
        publisher.connect()
        for topic, payload in messages:
            publisher.publish(topic, payload)
        return publisher
    finally:
        os.environ.clear()
        os.environ.update(env_before)


def cycles(machine, count, minutes_ago=30.0):
    step = minutes_ago / (count + 1)
    return [machine.message('cycle', minutes_ago - step * (n + 1), good=1) for n in range(count)]


# -- the flow ---------------------------------------------------------------------------------

def test_machine_cycles_and_states_land_as_events_beside_the_operators_counts(live_server, machine, bridge_log):
    broker = Broker()
    bridge = BridgeProcess(machine, broker, bridge_log).start()
    try:
        floor = machine.floor
        # the operator starts and reports 3 good parts from the tablet
        at = (datetime.utcnow() - timedelta(minutes=40)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
        answer = live_server.post_json('/mes/api/v1/events', {'sent_at': at, 'events': [
            {'schema': 1, 'id': str(uuid.uuid4()), 'type': 'start', 'workorder_id': floor.workorder_id,
             'employee': floor.badge, 'at': at},
            {'schema': 1, 'id': str(uuid.uuid4()), 'type': 'produce', 'workorder_id': floor.workorder_id,
             'employee': floor.badge, 'at': at, 'data': {'qty': 3}}]}, token=floor.token)
        assert [r['status'] for r in answer.json()['results']] == ['applied', 'applied']
        # the machine: running, 5 cycles (one scrapped), a counter report of 4 more
        messages = [machine.message('state', 35, state='running')] + cycles(machine, 4, 30)
        messages.append(machine.message('cycle', 5, good=0, scrap=1))
        messages.append(machine.message('counter', 4, count=4, good=4, scrap=0))
        publish(broker, messages).wait(60)
        events = machine.wait_events(len(messages))
        assert {e['state'] for e in events} == {'applied'}
        recorded = machine.recorded()
        assert recorded['good'] == 3.0                        # the operator's count
        assert recorded['machine']['cycles'] == 9             # the machine's, beside it
        assert (recorded['machine']['good'], recorded['machine']['scrap']) == (8, 1)
        assert recorded['machine']['state'] == 'running'
    finally:
        bridge.stop()


def test_a_tablet_cannot_send_machine_events(live_server, floor):
    at = datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.000Z')
    answer = live_server.post_json('/mes/api/v1/events', {'sent_at': at, 'events': [
        {'schema': 1, 'id': str(uuid.uuid4()), 'type': 'machine_cycle', 'workorder_id': floor.workorder_id,
         'employee': floor.badge, 'at': at, 'data': {'count': 1}}]}, token=floor.token)
    assert answer.json()['results'][0]['error']['code'] == 'machine_event_from_tablet'


def test_duplicates_and_disorder_give_the_same_state(live_server, machine, bridge_log):
    broker = Broker()
    bridge = BridgeProcess(machine, broker, bridge_log).start()
    try:
        messages = cycles(machine, 20) + [machine.message('state', 20, state='down', code='E-7'),
                                          machine.message('state', 10, state='running')]
        # each message twice, the second copies in reverse order
        publish(broker, messages + messages[::-1]).wait(60)
        events = machine.wait_events(len(messages))
        time.sleep(2)
        events = machine.events()
        assert len(events) == len(messages)                               # one event per message
        assert sum(e['repeat_count'] for e in events) >= len(messages)    # the copies answered duplicate
        recorded = machine.recorded()['machine']
        assert recorded['cycles'] == 20
        assert [(s['state'], s['code'], s['end'] is not None) for s in recorded['stops']] == [('down', 'E-7', True)]
    finally:
        bridge.stop()


def test_a_machine_counter_beyond_the_contracts_seq_keeps_its_id_and_goes_without_seq():
    """The simulator counts from the clock in ms and a PLC's counter may use 32 or 64 bits: the
    event keeps the whole counter in its id and leaves out the seq the contract limits to 2^31."""
    machine = {'workcenter': 'SAW', 'machine': 'SAW-1'}
    payload = json.dumps({'seq': 1796636775692, 'at': '2026-12-07T09:00:00Z'}).encode()
    big = bridge_script.to_event(machine, 'cycle', payload, 7)
    assert big['id'] == 'mq:SAW:SAW-1:cycle:1796636775692' and 'seq' not in big
    small = bridge_script.to_event(machine, 'cycle', json.dumps({'seq': 41, 'at': '2026-12-07T09:00:00Z'}).encode(), 7)
    assert small['seq'] == 41 and small['data'] == {'count': 1}


# -- faults -----------------------------------------------------------------------------------

def test_bridge_killed_with_9_mid_stream_loses_nothing_and_doubles_nothing(live_server, machine, bridge_log):
    broker = Broker()
    bridge = BridgeProcess(machine, broker, bridge_log).start()
    total = 600
    publisher = publish(broker, cycles(machine, total, minutes_ago=50))
    kills = 0
    try:
        while kills < 3:
            time.sleep(0.7)
            bridge.kill9()   # mid-stream: some messages taken from the broker, not yet recorded
            kills += 1
            bridge.start()
        assert publisher.wait(120) == 0
        events = machine.wait_events(total, timeout=180)
        time.sleep(2)
        events = machine.events()
        assert len(events) == total and len({e['event_uid'] for e in events}) == total
        assert {e['state'] for e in events} == {'applied'}
        assert machine.recorded()['machine']['cycles'] == total          # 0 lost, 0 doubled
    finally:
        bridge.stop()


def test_broker_restarted_mid_stream_loses_nothing(live_server, machine, bridge_log):
    broker = Broker('test-restart-%s' % machine.code)
    bridge = BridgeProcess(machine, broker, bridge_log).start()
    total = 600
    try:
        publisher = publish(broker, cycles(machine, total // 2, minutes_ago=50))
        time.sleep(0.5)
        broker.stop()      # mid-stream
        time.sleep(1.0)
        broker.start()     # its persistence brings back the bridge's session and what it had not acknowledged
        assert publisher.wait(120) == 0
        assert publish(broker, cycles(machine, total - total // 2, minutes_ago=20)).wait(120) == 0
        events = machine.wait_events(total, timeout=180)
        time.sleep(2)
        events = machine.events()
        assert len(events) == total
        assert machine.recorded()['machine']['cycles'] == total
    finally:
        bridge.stop()
        broker.stop()


# -- unexplained stops ------------------------------------------------------------------------

def test_an_idle_machine_opens_a_stop_the_terminal_shows_for_classification(live_server, machine, bridge_log):
    broker = Broker()
    bridge = BridgeProcess(machine, broker, bridge_log).start()
    try:
        messages = [machine.message('state', 20, state='running'), machine.message('cycle', 19, good=1),
                    machine.message('state', 10, state='idle')]
        publish(broker, messages).wait(60)
        machine.wait_events(len(messages))
        stops = machine.recorded()['machine']['stops']
        assert [(s['state'], s['end']) for s in stops] == [('idle', None)]    # open: no reason yet
        live = '/mes/api/v1/workorders/%d/live' % machine.floor.workorder_id
        to_classify = live_server.get(live, token=machine.floor.token).json()['machine_stops']
        assert [(s['stop'], s['until'], s['state']) for s in to_classify] == [(stops[0]['start_event'], None, 'idle')]
        # the operator gives the reason from the tablet: the stop is downtime with it, no longer asked
        at = datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.000Z')
        reason = live_server.rpc('mes.reason', 'search_read', [('kind', '=', 'downtime')], fields=['code'], limit=1)[0]
        answer = live_server.post_json('/mes/api/v1/events', {'sent_at': at, 'events': [
            {'schema': 1, 'id': str(uuid.uuid4()), 'type': 'machine_stop_reason',
             'workorder_id': machine.floor.workorder_id, 'employee': machine.floor.badge, 'at': at,
             'data': {'stop': to_classify[0]['stop'], 'reason': reason['code']}}]},
            token=machine.floor.token)
        assert [r['status'] for r in answer.json()['results']] == ['applied']
        assert live_server.get(live, token=machine.floor.token).json()['machine_stops'] == []
        assert [d[2] for d in machine.recorded()['down']] == [reason['code']]
        # the machine runs again: the stop closes, with its reason
        publish(broker, [machine.message('state', 1, state='running')]).wait(60)
        machine.wait_events(len(messages) + 1)
        stops = machine.recorded()['machine']['stops']
        assert len(stops) == 1 and stops[0]['end'] is not None and stops[0]['reason'] == reason['code']
        assert machine.recorded()['down'][0][1] is not None
    finally:
        bridge.stop()


# -- the simulator and the provisioning of make run ----------------------------------------------

def test_a_simulated_shift_through_broker_and_bridge(live_server, floor, tmp_path, bridge_log):
    """scripts/machine_provision.py gives the machine its terminal and the bridge its file;
    scripts/machine_simulator.py plays a 60-minute shift ending now: every cycle lands once, the
    breakdown is one unexplained stop (down, with its fault code), the micro-stops none."""
    provision = _script('machine_provision')
    tag = uuid.uuid4().hex[:6]
    live_server.rpc('mrp.workcenter', 'write', [floor.workcenter_id], {'code': 'S%s' % tag})
    machines_file = str(tmp_path / 'machines.json')
    provision.write(provision.provision(live_server.url, live_server.db, ['S%s/SIM-%s' % (tag, tag)],
                                        login='admin', password='admin'), machines_file)
    machine = Machine.__new__(Machine)
    machine.server, machine.floor = live_server, floor
    machine.machines_file, machine.prefix = machines_file, 'sim-' + tag
    machine.code = 'SIM-%s' % tag
    machine.terminal_id = json.load(open(machines_file))[0]['terminal_id']
    broker = Broker()
    bridge = BridgeProcess(machine, broker, bridge_log).start()
    try:
        shift = simulator.shift('S%s/SIM-%s' % (tag, tag), datetime.utcnow() - timedelta(minutes=60), 60, 30.0, '1', 0)
        run = subprocess.run([PYTHON, os.path.join(ROOT, 'scripts', 'machine_simulator.py'),
                              '--machine', 'S%s/SIM-%s' % (tag, tag), '--minutes', '60', '--seq-start', '0'],
                             env=broker.env(machine.prefix), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=300)
        assert run.returncode == 0, run.stdout
        events = machine.wait_events(len(shift), timeout=180)
        assert len(events) == len(shift) and {e['state'] for e in events} == {'applied'}
        recorded = machine.recorded()['machine']
        assert recorded['cycles'] == sum(1 for _at, kind, _p in shift if kind == 'cycle')
        assert recorded['good'] + recorded['scrap'] == recorded['cycles']
        down = [s for s in recorded['stops'] if s['state'] == 'down']
        assert len(down) == 1 and down[0]['code'] and down[0]['end']
        assert [s['state'] for s in recorded['stops']] in (['down', 'idle'], ['idle', 'down'])
    finally:
        bridge.stop()
