"""M. Machine signals: 50 simulated machines publish cycles to mosquitto (QoS 1); the MQTT bridge
(scripts/mqtt_bridge.py, one process) posts them as machine_cycle events, in batches, with each
machine's token, into the record path of Odoo in prefork mode (2 workers). Measured: machine
events recorded per second, from the first message published to the last event recorded, in
two streams one after the other:

- M, a burst: 20,000 cycles published at once, drained as fast as the path goes (a backlog
  after a network cut); an operator's tablet reports meanwhile, its times printed;
- M3 and M2, sustained: the machines publish at 1,100 cycles/s (MACHINE_RATE) for 60 s, and an
  operator's tablet reports about once a second meanwhile. M3 is the rate recorded, M2 the
  tablet's p95. Issue 22 asks for >= 1,000 events/s sustained with the terminals still under
  their latency target: this is that load. (Before stop 30 M2 was the tablet during the burst,
  about 12 requests over 10 s at twice the rate asked.)

Target (issue 22): at least 1,000 machine events/s sustained from 50 machines.
Run alone: BENCH_BASE_DB=<db> .local/venv/bin/python bench/bench_machines.py (BENCH_SCALE < 1: shorter;
MQTT_BRIDGE_LOG=DEBUG logs each request's size and time in .local/logs/bench/machines-bridge.log).

Where the time goes (2026-12-07, 2 cores shared with other sessions, load 5-8): the server. The
bridge used 1-2 s of CPU for 20,000 messages, so several bridges would not help; the API alone
(machine_cycle batches posted straight to it, 4 at once) took about 50 ms a request plus 1 ms
an event: 1,078 events/s in batches of 20, 2,399 in batches of 100, 3,590 in batches of 500.
So the bridge's job is big batches without waiting on the slowest machine: each machine's
batch fills while its previous request is in flight (one at a time per machine, 4 over all),
acknowledgements follow in message order. The old rounds of 5,000 (one request per machine,
the next round after the slowest answer) did 830/s where the per-machine batches did 1,550/s,
run one after the other at load 7.

The tablets (issue 22's M2): when the bridge posted to the tablets' own server, a tablet's event
queued behind machine batches in the two workers (p50 280 ms, p95 754 ms during the stream,
against p50 32 / p95 67 ms just before it, load 7-8). So the bridge posts to an Odoo server of
its own on the same database (2 workers, no job runner, nice 10 with its PostgreSQL backends and
the bridge): p50 58-75 ms, p95 181-183 ms during the stream, against p50 35-46 / p95 90-124 ms
before it, load 7-10 (2026-12-07, runs interleaved with the shared setup). What stays is the
CPU the stream takes on 2 cores. nice 19 cost the machines a third of their rate under the
other sessions' load (620/s) for little (p95 202 ms); linger 1.5 s (fewer, bigger requests)
rather than 0.5 did no harm to either figure and is the bridge's default. Three more runs, load
6-8: the backends not reniced (MACHINE_PG_NICE=0) 1,051/s, p95 111 ms; one machine worker
(MACHINE_WORKERS=1) 988/s, p95 102 ms; as default 1,266/s, p95 280 ms (tablet before: p95
45-72 ms). With 16-20 tablet events a run, p95 is about the second slowest: the noise of the
shared machine is larger than these differences.
Knobs: MACHINE_SERVER=0 (the shared server), MACHINE_NICE (10), MACHINE_WORKERS (2),
MACHINE_PG_NICE=0 (leave the backends' priority), MQTT_BRIDGE_LINGER."""
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B
import requests

sys.path.insert(0, os.path.join(B.ROOT, 'scripts'))
import machine_simulator

MACHINES = 50
EVENTS = B.scaled(20000, 1000, 'machines')
TARGET = 1000.0
TABLET_TARGET_MS = 50.0     # bench_latency's paced target (issue 17): the tablets keep it meanwhile
# The bridge posts to an Odoo server of its own (same database, its own workers), so that the
# tablets never queue behind machine batches; MACHINE_SERVER=0 measures the shared server instead.
OWN_SERVER = os.environ.get('MACHINE_SERVER', '1') != '0'
MACHINE_WORKERS = int(os.environ.get('MACHINE_WORKERS') or 2)
QUIET_SECONDS = 15          # the tablet alone first, for comparison on a shared machine
# Then the machines paced at a plant's sustained rate, above the target, for a minute: the rate
# issue 22 asks the record path to sustain while the operators' tablets keep their latency
# target (M3, M2). The burst before it (M) measures how fast the path drains a backlog.
SUSTAINED_RATE = float(os.environ.get('MACHINE_RATE') or 1100)       # machine events/s published
SUSTAINED_SECONDS = B.scaled(60, 10, 'machines')
MACHINE_NICE = int(os.environ.get('MACHINE_NICE') or 10)   # the OS serves the tablets' server first
SIMULATOR_NICE = int(os.environ.get('SIMULATOR_NICE') or 10)


def build(db):
    """50 work centers with a code and one order each, and a machine terminal per work center;
    one more work center, without a machine, whose order an operator's tablet reports on
    (returned as the last entry: {'tablet': token, 'badge', 'workorder_id'})."""
    with B.odoo_env(db) as env:
        floor = B.build_floor(env, orders=MACHINES + 1, employees=1, terminals=0, workcenters=MACHINES + 1, tag='MQ')
        machines = []
        workcenters = env['mrp.workcenter'].browse(floor['workcenter_ids'])
        orders = env['mrp.production'].browse(floor['production_ids'])
        tablet_wc, workcenters = workcenters[-1], workcenters[:-1]
        orders[-1].workorder_ids.write({'workcenter_id': tablet_wc.id})
        tablet = env['mes.terminal'].create({'name': 'MQ tablet', 'workcenter_ids': [(6, 0, tablet_wc.ids)]})
        operator = {'tablet': B.issue_token(tablet), 'badge': floor['badges'][0],
                    'workorder_id': orders[-1].workorder_ids.id}
        for index, wc in enumerate(workcenters):
            wc.code = 'WC%02d' % index
            # build_floor's routing has one operation, on the first work center: each order's
            # work order moves to its own machine's work center, so that every machine's events
            # land on an order (not rejected as workorder_unknown, which skips the fold)
            orders[index].workorder_ids.write({'workcenter_id': wc.id})
            terminal = env['mes.terminal'].create({'name': 'Machine M%02d' % index, 'kind': 'machine',
                                                   'machine_code': 'M%02d' % index, 'workcenter_ids': [(6, 0, wc.ids)]})
            machines.append({'workcenter': wc.code, 'machine': 'M%02d' % index, 'workcenter_id': wc.id,
                             'terminal_id': terminal.id, 'token': B.issue_token(terminal)})
    B.release_registry(db)
    return machines + [operator]


class Tablet(threading.Thread):
    """An operator's tablet during the machine stream: one good part reported about every
    second (paced, as bench_latency's paced load), one event per request; each request's time."""

    def __init__(self, url, operator):
        super().__init__(daemon=True)
        self.url, self.operator = url, operator
        self.times, self.failed = [], 0
        self.stop = threading.Event()

    def warm_up(self, requests_count=5):
        """A tablet in use: its worker has served it before (the first requests of a fresh
        worker load caches and are not the steady state measured here)."""
        session = requests.Session()
        for _ in range(requests_count):
            self._report(session)

    def run(self):
        session = requests.Session()
        rnd = random.Random(7)
        while not self.stop.wait(rnd.uniform(0.5, 1.5)):
            started = time.time()
            if self._report(session):
                self.times.append((time.time() - started) * 1000.0)
            else:
                self.failed += 1

    def _report(self, session):
        now = B.iso(datetime.utcnow())
        body = {'sent_at': now, 'events': [{
            'schema': 1, 'id': str(uuid.uuid4()), 'type': 'produce', 'workorder_id': self.operator['workorder_id'],
            'employee': self.operator['badge'], 'at': now, 'data': {'qty': 1}}]}
        answer = session.post(self.url + '/mes/api/v1/events', data=json.dumps(body), timeout=60,
                              headers={'Authorization': 'Bearer ' + self.operator['tablet'],
                                       'Content-Type': 'application/json'})
        return answer.status_code == 200

    def p95(self):
        ordered = sorted(self.times)
        return ordered[int(len(ordered) * 0.95)] if ordered else float('nan')


def start_machine_server(db):
    """The bridge's own Odoo server: same database, its own workers, no job runner (the
    posting server runs the jobs), at a lower priority (nice) than the tablets' server."""
    saved = {name: os.environ.get(name) for name in ('ODOO_QUEUE_JOB_CHANNELS', 'PGAPPNAME')}
    os.environ.update(ODOO_QUEUE_JOB_CHANNELS='root:0', PGAPPNAME='mes-machines')
    try:
        machine_server = B.OdooServer(db, workers=MACHINE_WORKERS, name='machines-bridge').start()
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.update({name: value})
    # the server's processes (and the workers it forks later inherit it)
    os.setpriority(os.PRIO_PGRP, machine_server.process.pid, MACHINE_NICE)
    return machine_server


def publish_shift(machines, per_machine, published_in, first=0, rate=None):
    """The machines' cycles ``first + 1`` to ``first + per_machine``, each machine's in its order
    (in a process of its own): all at once, spread over the last hour (a backlog), or ``rate``
    messages a second, each at the time it is published. The seconds it took into
    ``published_in``, once the broker acknowledged every message."""
    # the machines are not on the server in a plant: their simulation yields the CPU to it
    os.nice(SIMULATOR_NICE)
    publisher = machine_simulator.Publisher('bench-publisher-%d' % first)
    publisher.connect()
    start_at = datetime.utcnow() - timedelta(minutes=60)
    started = time.time()
    for n in range(per_machine):
        at = B.iso(datetime.utcnow() if rate else start_at + timedelta(seconds=n * 3600.0 / per_machine))
        for machine in machines:
            publisher.publish('bench/%s/%s/cycle' % (machine['workcenter'], machine['machine']),
                              {'seq': first + n + 1, 'at': at, 'good': 1})
        if rate:
            ahead = started + (n + 1) * len(machines) / rate - time.time()
            if ahead > 0:
                time.sleep(ahead)
    published_in.value = time.time() - started
    publisher.wait(10)


def stream(db, machines, per_machine, first=0, rate=None):
    """Publish (``publish_shift``) and wait until every event is recorded. Returns (seconds to
    publish, seconds from the first message published to the last event recorded, recorded,
    applied), the counts of this stream only."""
    before, applied_before = recorded(db), applied(db)
    # the machines publish from a process of their own: in this one their loop would hold the
    # GIL against the tablet's thread and count in its times
    published_in = multiprocessing.Value('d', 0.0)
    machines_process = multiprocessing.get_context('fork').Process(
        target=publish_shift, args=(machines, per_machine, published_in, first, rate), daemon=True)
    started = time.time()
    machines_process.start()
    machines_process.join()
    total = per_machine * len(machines)
    deadline = time.time() + 1800
    while recorded(db) - before < total and time.time() < deadline:
        time.sleep(0.5)
    elapsed = time.time() - started
    return published_in.value, elapsed, recorded(db) - before, applied(db) - applied_before


def report_tablet(tablet, during):
    B.say('  an operator\'s tablet %s: %d events, request p50 %.0f ms, p95 %.0f ms, %d refused'
          % (during, len(tablet.times), statistics.median(tablet.times) if tablet.times else float('nan'),
             tablet.p95(), tablet.failed))
    B.say('  its requests, slowest first (ms): %s' % ' '.join('%.0f' % t for t in sorted(tablet.times, reverse=True)))


def recorded(db):
    return int(B.psql(db, "SELECT count(*) FROM mes_event WHERE type = 'machine_cycle'") or 0)


def applied(db):
    return int(B.psql(db, "SELECT count(*) FROM mes_event WHERE type = 'machine_cycle' AND state = 'applied'") or 0)


def main():
    B.say('## M. Machine signals (%d machines, %d machine events through mosquitto and the bridge)'
          % (MACHINES, EVENTS))
    db = B.copy_db(B.bench_db('machines'))
    machines = build(db)
    operator = machines.pop()
    path = os.path.join(B.LOGS, 'machines.json')
    with open(path, 'w') as out:
        json.dump(machines, out)
    # the tablets' Odoo and the postings' own at nice 10, as make run deploys them
    floor_servers = B.FloorServers(db, 'machines').start()
    server = floor_servers.server
    machine_server = start_machine_server(db) if OWN_SERVER else server
    backends = B.BackendNice(db, 'mes-machines', MACHINE_NICE)
    if OWN_SERVER and os.environ.get('MACHINE_PG_NICE', '1') != '0':
        backends.start()
    port = B.free_port()
    env = dict(os.environ, MQTT_HOST='', MQTT_FRESH='1')
    subprocess.run(['bash', os.path.join(B.ROOT, 'scripts', 'mqtt.sh'), 'start', 'bench', str(port)],
                   env=env, check=True)
    mqtt_env = dict(os.environ, MQTT_HOST='127.0.0.1', MQTT_PORT=str(port), MQTT_PREFIX='bench',
                    MQTT_CLIENT_ID='bench-bridge', MQTT_BRIDGE_LOG=os.environ.get('MQTT_BRIDGE_LOG', 'WARNING'))
    # the bridge at the machine server's priority too (make run's)
    niced = ['nice', '-n', str(MACHINE_NICE)] if OWN_SERVER else []
    bridge_command = [os.path.join(B.VENV, 'bin', 'python'), os.path.join(B.ROOT, 'scripts', 'mqtt_bridge.py'),
                      '--url', machine_server.url, '--machines', path]
    bridge = subprocess.Popen(niced + bridge_command, env=mqtt_env,
                              stdout=open(os.path.join(B.LOGS, 'machines-bridge.log'), 'ab'), stderr=subprocess.STDOUT)
    try:
        time.sleep(2)
        os.environ.update(MQTT_HOST='127.0.0.1', MQTT_PORT=str(port))
        quiet = Tablet(server.url, operator)
        quiet.warm_up()
        quiet.start()       # the same tablet before the stream: what the machine's other load leaves it
        time.sleep(QUIET_SECONDS)
        quiet.stop.set()
        quiet.join(60)
        quiet_load = B.load_average()
        tablet = Tablet(server.url, operator)
        tablet.start()
        per_machine = EVENTS // MACHINES
        published, elapsed, got, folded = stream(db, machines, per_machine)
        total = per_machine * MACHINES
        tablet.stop.set()
        tablet.join(60)
        rate = got / elapsed
        B.say('  published %d messages at once in %.1f s; %d events recorded (%d applied) in %.1f s (load %s)'
              % (total, published, got, folded, elapsed, B.load_average()))
        B.say('  the bridge (linger %s s) posted to %s' % (os.environ.get('MQTT_BRIDGE_LINGER') or '1.5', (
            'an Odoo server of its own (%d workers, nice %d%s)' % (
                MACHINE_WORKERS, MACHINE_NICE, ', its PostgreSQL backends too' if backends.is_alive() else '')
            if OWN_SERVER else
            'the tablets\' server (shared workers)')))
        B.figure('M', 'machine events recorded per second, a burst (50 machines, broker + bridge)', '%.0f/s' % rate,
                 '>= %d/s' % TARGET, rate >= TARGET and got == total == folded)
        B.say('  the tablet before the stream (%d s, load %s): %d events, request p50 %.0f ms, p95 %.0f ms'
              % (QUIET_SECONDS, quiet_load, len(quiet.times), statistics.median(quiet.times) if quiet.times
                 else float('nan'), quiet.p95()))
        report_tablet(tablet, 'during the burst (the backlog drained at full speed; no target)')

        # the sustained stream: the machines at a plant's rate, the tablet beside them
        paced_per_machine = max(1, int(SUSTAINED_RATE * SUSTAINED_SECONDS / MACHINES))
        tablet = Tablet(server.url, operator)
        tablet.start()
        published, elapsed, got, folded = stream(db, machines, paced_per_machine, first=per_machine,
                                                 rate=SUSTAINED_RATE)
        tablet.stop.set()
        tablet.join(60)
        total = paced_per_machine * MACHINES
        rate = got / elapsed
        B.say('  published %d messages at %.0f/s in %.1f s; %d events recorded (%d applied) %.1f s after the '
              'first was published, the last %.1f s after it was (load %s)'
              % (total, SUSTAINED_RATE, published, got, folded, elapsed, elapsed - published, B.load_average()))
        B.figure('M3', 'machine events recorded per second, sustained for %d s (published at %.0f/s)'
                 % (SUSTAINED_SECONDS, SUSTAINED_RATE), '%.0f/s' % rate, '>= %d/s' % TARGET,
                 rate >= TARGET and got == total == folded)
        report_tablet(tablet, 'during the sustained stream')
        B.figure('M2', 'an operator\'s event during the sustained machine stream, p95 (paced, 1 a second)',
                 '%.0f ms' % tablet.p95(), '< %d ms' % TABLET_TARGET_MS,
                 tablet.p95() < TABLET_TARGET_MS and not tablet.failed)
    finally:
        bridge.terminate()
        bridge.wait(10)
        subprocess.run(['bash', os.path.join(B.ROOT, 'scripts', 'mqtt.sh'), 'stop', 'bench'], env=env)
        floor_servers.stop()
        backends.stop.set()
        if machine_server is not server:
            machine_server.stop()


if __name__ == '__main__':
    main()
