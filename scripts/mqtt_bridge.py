#!/usr/bin/env python3
"""The MQTT bridge: machine signals from the broker into the terminal API, as machine events.

Subscribes to ``<prefix>/<work center code>/<machine>/{cycle,counter,state}`` (QoS 1, a
persistent session: ``clean_session=False`` and a fixed client id) and posts each message as a
contract event (``machine_cycle`` or ``machine_state``) to ``POST /mes/api/v1/events`` with the
token of the machine's own terminal (a ``mes.terminal`` of kind machine), in batches.

Nothing lost, nothing doubled:
- The event id is made of the machine and the machine's own counter (``seq`` in the payload),
  so a message delivered twice is one event (the server answers ``duplicate``).
- A message is acknowledged to the broker (its PUBACK) only after the server answered the
  request that carried it: paho 1.6.1 sends the PUBACK right after ``on_message`` returns, so
  ``Client._send_puback`` is deferred here and called by the sender once the batch is recorded,
  in the order the messages came. A bridge killed before that leaves the messages unacknowledged
  in its session; the broker delivers them again when it reconnects (at least once), and the
  deterministic id makes the redelivery harmless. A PUBACK of a connection that has dropped is
  never sent on the next one (the broker redelivers those).
- While the server is unreachable or answers 5xx the batch is retried (backoff); nothing is
  acknowledged meanwhile, and the broker keeps the session's messages.

Throughput: each machine's messages gather in its own batch, posted when it holds 500 events
or its oldest has waited ``MQTT_BRIDGE_LINGER`` seconds (1.5: fewer, bigger requests; a machine's
stop counts after minutes), one request per machine at a time (its events reach the server in
its order, so the record stage walks on from its snapshot), up to ``MQTT_BRIDGE_PARALLEL`` (2:
the workers of the machines' own Odoo server, which make run starts for the bridge so that the
tablets never queue behind machine batches) requests at once over all machines. Messages are
acknowledged in the order they came, as far as every earlier one is recorded: a slow machine
holds back the acknowledgements of later messages, never their posting.

Payloads (JSON; ``at`` is the machine's clock, ISO 8601 with a zone):
  cycle    {"seq": 1041, "at": "...Z", "good": 1, "scrap": 0}   one cycle (``count`` defaults to 1)
  counter  {"seq": 88, "at": "...Z", "count": 12, "good": 11, "scrap": 1}   cycles since the last report
  state    {"seq": 17, "at": "...Z", "state": "down", "code": "E-042"}

Machines: a JSON file (``--machines``, default ``.local/mqtt/machines.json``) listing
``[{"workcenter": "SAW", "machine": "SAW-1", "workcenter_id": 3, "token": "..."}]``
(``scripts/machine_provision.py`` writes it). The work order a message is reported on is the
work center's current one (its queue's first: in progress, else ready, else pending).

Settings (environment): MES_URL (http://127.0.0.1:8069), MQTT_HOST (127.0.0.1), MQTT_PORT (1883),
MQTT_USERNAME, MQTT_PASSWORD, MQTT_PREFIX (mes), MQTT_CLIENT_ID (shopfloor-mes-bridge).
"""
import argparse
import hashlib
import json
import logging
import os
import queue
import signal
import sys
import threading
import time
from collections import deque, namedtuple
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import paho.mqtt.client as mqtt
import requests

_logger = logging.getLogger('mqtt_bridge')

KINDS = {'cycle': 'machine_cycle', 'counter': 'machine_cycle', 'state': 'machine_state'}
MAX_EVENTS = 500           # the contract's limit per request
MAX_SEQ = 2 ** 31          # the contract's limit of an event's seq
LINGER = float(os.environ.get('MQTT_BRIDGE_LINGER') or 1.5)     # seconds a machine's batch waits to fill
PARALLEL = int(os.environ.get('MQTT_BRIDGE_PARALLEL') or 2)     # requests in flight (one per machine)
QUEUE_TTL = 10.0           # seconds a work center's current work order is kept


# A request answered (the sender's queue carries these beside the broker's messages):
# status 'recorded', 'failed' (post again) or 'stopping'.
Answer = namedtuple('Answer', 'machine items status')


class Item:
    """One message taken from the broker: acknowledged once ``event`` (None: nothing to send)
    is recorded, and every message before it."""
    __slots__ = ('mid', 'generation', 'machine', 'event', 'taken', 'done')

    def __init__(self, mid, generation, machine, event):
        self.mid, self.generation, self.machine, self.event = mid, generation, machine, event
        self.taken = time.monotonic()
        self.done = event is None


class BadMessage(ValueError):
    """A message that can never be an event (logged and acknowledged: the broker would only resend it)."""


def event_id(machine, kind, seq):
    """Deterministic: the same message delivered twice has the same id (at most 64 characters)."""
    readable = 'mq:%s:%s:%s' % (machine['workcenter'], machine['machine'], kind) + ':%d' % seq
    if len(readable) <= 64:
        return readable
    return 'mq:' + hashlib.sha1(readable.encode('utf-8')).hexdigest() + ':%d' % seq


def to_event(machine, kind, payload, workorder_id):
    """The contract event of one MQTT message (raises ``BadMessage``)."""
    try:
        body = json.loads(payload.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadMessage('not JSON: %s' % exc)
    if not isinstance(body, dict):
        raise BadMessage('the payload must be a JSON object')
    seq, at = body.get('seq'), body.get('at')
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise BadMessage('"seq" (the machine\'s own counter, an integer) is missing or invalid')
    if not isinstance(at, str):
        raise BadMessage('"at" (the machine\'s time, ISO 8601) is missing')
    if kind == 'state':
        data = {'state': body.get('state')}
        if body.get('code') is not None:
            data['code'] = body['code']
    else:
        data = {'count': body.get('count', 1 if kind == 'cycle' else None)}
        data.update({name: body[name] for name in ('good', 'scrap') if body.get(name) is not None})
    # the server judges the values (type, range, states): a bad one is kept as a rejected event
    event = {'schema': 1, 'id': event_id(machine, kind, seq), 'type': KINDS[kind],
             'workorder_id': workorder_id, 'employee': machine['machine'], 'at': at, 'data': data}
    if seq < MAX_SEQ:
        # the contract's seq (an order among events at the same time) is below 2^31; a machine's
        # counter may be larger (a PLC's 32 or 64 bits, the simulator's clock in ms): the id
        # keeps it whole, the event goes without seq
        event['seq'] = seq
    return event


class DeferredAckClient(mqtt.Client):
    """paho 1.6.1 acknowledges a QoS 1 message as soon as ``on_message`` returns; here the
    acknowledgement waits until the bridge says the message is recorded (``ack``)."""

    def _send_puback(self, mid):
        if getattr(self._acking, 'now', False):
            return super()._send_puback(mid)
        return mqtt.MQTT_ERR_SUCCESS   # deferred: the sender acknowledges after the server answered

    def ack(self, mid):
        self._acking.now = True
        try:
            return super()._send_puback(mid)
        finally:
            self._acking.now = False


class Bridge:

    def __init__(self, url, machines, host, port, prefix, client_id, username=None, password=None):
        self.url = url.rstrip('/')
        self.prefix = prefix.strip('/')
        self.machines = {(m['workcenter'], m['machine']): m for m in machines}
        self.items = queue.Queue()
        self.unacked = deque()     # the items in the order they came, until acknowledged
        self.ack_lock = threading.Lock()
        self.batches = {}          # machine -> its items waiting to be posted
        self.busy = set()          # machines with a request in flight
        self.answered = queue.Queue()   # (machine, error or None) of each request answered
        self.generation = 0
        self.stopping = threading.Event()
        self.workorders = {}       # work center id -> (work order id, read at)
        self.local = threading.local()              # each poster thread's own session
        self.pool = ThreadPoolExecutor(PARALLEL, thread_name_prefix='mes-post')
        self.counts = {'received': 0, 'sent': 0, 'bad': 0}
        self.client = DeferredAckClient(client_id=client_id, clean_session=False)
        self.client._acking = threading.local()
        if username:
            self.client.username_pw_set(username, password)
        if os.environ.get('MQTT_BRIDGE_PAHO_LOG'):   # paho's own log: a line per packet
            self.client.enable_logger(_logger)
        self.client.max_inflight_messages_set(2000)
        self.client.reconnect_delay_set(0.2, 5)
        self.client.on_connect = self.on_connect
        self.client.on_disconnect = self.on_disconnect
        self.client.on_message = self.on_message
        self.host, self.port = host, port

    # -- the broker side (paho's network thread) ------------------------------------------------
    def on_connect(self, client, _userdata, _flags, rc):
        if rc != 0:
            _logger.error('MQTT connection refused (%s)', mqtt.connack_string(rc))
            return
        self.generation += 1
        client.subscribe(self.prefix + '/+/+/+', qos=1)
        _logger.info('connected to %s:%s, subscribed to %s/+/+/+', self.host, self.port, self.prefix)

    def on_disconnect(self, _client, _userdata, rc):
        self.generation += 1     # what this connection did not acknowledge, the broker sends again
        if not self.stopping.is_set():
            _logger.warning('MQTT connection lost (%s); reconnecting', rc)

    def on_message(self, _client, _userdata, message):
        self.counts['received'] += 1
        event = machine = None
        try:
            machine, kind = self._route(message.topic)
            event = to_event(machine, kind, message.payload, None)   # its work order: when posted
        except BadMessage as exc:
            self.counts['bad'] += 1
            _logger.warning('ignored %s: %s', message.topic, exc)
        if message.qos == 0:
            event is None or self.items.put(Item(None, self.generation, machine, event))
            return
        self.items.put(Item(message.mid, self.generation, machine, event))

    def _route(self, topic):
        parts = topic.split('/')
        prefix_len = len(self.prefix.split('/'))
        if len(parts) != prefix_len + 3 or parts[-1] not in KINDS:
            raise BadMessage('the topic is not <prefix>/<work center>/<machine>/{cycle,counter,state}')
        machine = self.machines.get((parts[-3], parts[-2]))
        if machine is None:
            raise BadMessage('no machine terminal is configured for %s/%s' % (parts[-3], parts[-2]))
        return machine, parts[-1]

    def current_workorder(self, machine):
        """The work order the machine works for now: its work center's queue's first, as last
        read (the refresher reads it again every QUEUE_TTL seconds, off the posting path); read
        now only when never read or forgotten."""
        cached = self.workorders.get(machine['workcenter_id'])
        return cached[0] if cached else self._read_workorder(machine)

    def _read_workorder(self, machine):
        wc_id = machine['workcenter_id']
        for attempt in range(1000000):
            try:
                answer = self._session().get('%s/mes/api/v1/workcenters/%d/queue' % (self.url, wc_id),
                                          headers={'Authorization': 'Bearer ' + machine['token']}, timeout=30)
                if answer.status_code == 200:
                    orders = answer.json()['workorders']
                    break
                _logger.warning('work center %s queue: HTTP %s %s', wc_id, answer.status_code, answer.text[:200])
            except (requests.RequestException, ValueError) as exc:
                _logger.warning('work center %s queue: %s', wc_id, exc)
            if self.stopping.is_set():
                return 0
            time.sleep(min(5.0, 0.2 * (attempt + 1)))
        # no order on the work center: the event is recorded and rejected (workorder_unknown)
        workorder_id = orders[0]['id'] if orders else 0
        self.workorders[wc_id] = (workorder_id, time.monotonic())
        return workorder_id

    def refresh_forever(self):
        """Read each work center's current order at the start, then again when older than
        QUEUE_TTL (one work center's machine at a time, so the server is asked little)."""
        by_workcenter = {m['workcenter_id']: m for m in self.machines.values()}
        while not self.stopping.is_set():
            for wc_id, machine in by_workcenter.items():
                cached = self.workorders.get(wc_id)
                if not cached or time.monotonic() - cached[1] >= QUEUE_TTL:
                    self._read_workorder(machine)
                if self.stopping.is_set():
                    return
            self.stopping.wait(1.0)

    # -- the server side (the sender thread) ------------------------------------------------------
    def send_forever(self):
        """Gather each machine's items into its batch; post a batch when it is full or has
        waited ``LINGER``, while its machine has no request in flight; acknowledge what is
        recorded."""
        while not self.stopping.is_set():
            if not self._take(self._next_wait()):
                return      # stopping: nothing more is acknowledged
            self._acknowledge()
            self._dispatch()

    def _next_wait(self):
        """How long to wait for the next message or answer: until the oldest batch that could be
        posted has waited LINGER (an answer or a message wakes the sender earlier)."""
        if len(self.busy) >= PARALLEL:
            return 0.5
        ready = [items[0].taken for machine, items in self.batches.items() if machine not in self.busy]
        return max(0.0, min(ready) + LINGER - time.monotonic()) if ready else 0.5

    def _take(self, timeout):
        """Take what came: the broker's messages into their machines' batches, the server's
        answers. False when stopping."""
        try:
            got = self.items.get(timeout=timeout) if timeout > 0 else self.items.get_nowait()
        except queue.Empty:
            return True
        while True:
            if isinstance(got, Answer):
                self.busy.discard(got.machine)
                if got.status == 'stopping':
                    return False
                if got.status == 'failed':   # posted again, before what came since
                    self.batches[got.machine] = got.items + self.batches.get(got.machine, [])
            else:
                with self.ack_lock:
                    self.unacked.append(got)
                if got.event is not None:
                    self.batches.setdefault(got.machine['machine'], []).append(got)
            try:
                got = self.items.get_nowait()
            except queue.Empty:
                return True

    def _dispatch(self):
        now = time.monotonic()
        for machine, items in list(self.batches.items()):
            if len(self.busy) >= PARALLEL:
                return
            if machine in self.busy or (len(items) < MAX_EVENTS and now - items[0].taken < LINGER):
                continue
            chunk, rest = items[:MAX_EVENTS], items[MAX_EVENTS:]
            if rest:
                self.batches[machine] = rest
            else:
                del self.batches[machine]
            self.busy.add(machine)
            self.pool.submit(self._post_items, machine, chunk)

    def _post_items(self, machine_code, items):
        """One request of one machine's items (in the pool); the answer goes to the sender."""
        status = 'recorded'
        try:
            self._post(items[0].machine, [item.event for item in items])
            for item in items:
                item.done = True
        except RuntimeError:
            status = 'stopping'
        except Exception:  # a bug here must not stop the machine's messages for good
            _logger.exception('posting %d events of %s failed; posting them again', len(items), machine_code)
            time.sleep(1.0)
            status = 'failed'
        self.items.put(Answer(machine_code, items, status))

    def _session(self):
        session = getattr(self.local, 'session', None)
        if session is None:
            session = self.local.session = requests.Session()
        return session

    def _post(self, machine, events):
        """Send until the server answered 200 (recorded: applied, duplicate or rejected)."""
        workorder_id = None
        for event in events:
            if event['workorder_id'] is None:   # the work center's current order, read once per request
                workorder_id = workorder_id if workorder_id is not None else self.current_workorder(machine)
                event['workorder_id'] = workorder_id
        for attempt in range(1000000):
            body = {'sent_at': _now(), 'events': events}
            started = time.monotonic()
            try:
                answer = self._session().post(self.url + '/mes/api/v1/events', data=json.dumps(body), timeout=60,
                                           headers={'Authorization': 'Bearer ' + machine['token'],
                                                    'Content-Type': 'application/json'})
                if answer.status_code == 200:
                    self.counts['sent'] += len(events)
                    _logger.debug('%s: %d events recorded in %.3f s', machine['machine'], len(events),
                                  time.monotonic() - started)
                    self._log_rejected(machine, answer.json().get('results', []))
                    return
                _logger.warning('the server answered %s to %d events of %s: %s', answer.status_code, len(events),
                                machine['machine'], answer.text[:300])
            except (requests.RequestException, ValueError) as exc:
                _logger.warning('the server is unreachable (%s); retrying', exc)
            if self.stopping.is_set():
                raise RuntimeError('stopping')   # nothing acknowledged: the broker keeps the messages
            time.sleep(min(5.0, 0.2 * (attempt + 1)))

    def _log_rejected(self, machine, results):
        for result in results:
            if result.get('status') == 'rejected':
                _logger.info('event %s rejected: %s', result.get('id'), (result.get('error') or {}).get('code'))
            if (result.get('error') or {}).get('code') in ('workorder_unknown', 'workorder_finished'):
                # the work center moved on: its current order is read again before the next post
                self.workorders.pop(machine['workcenter_id'], None)

    def _acknowledge(self):
        """Acknowledge the recorded messages in the order they came, up to the first one not
        recorded yet. One that came over a connection since dropped is not acknowledged on the
        next (the broker delivers it again)."""
        with self.ack_lock:
            generation = self.generation
            while self.unacked and self.unacked[0].done:
                item = self.unacked.popleft()
                if item.mid is not None and item.generation == generation:
                    self.client.ack(item.mid)

    # -- running ----------------------------------------------------------------------------------
    def run(self):
        sender = threading.Thread(target=self.send_forever, name='mes-sender', daemon=True)
        sender.start()
        threading.Thread(target=self.refresh_forever, name='mes-queues', daemon=True).start()
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        try:
            while not self.stopping.wait(30):
                _logger.info('messages received %(received)d, events recorded %(sent)d, ignored %(bad)d', self.counts)
        finally:
            self.client.loop_stop()
            self.client.disconnect()


def _now():
    return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def main(argv=None):
    local = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), '.local')
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--url', default=os.environ.get('MES_URL', 'http://127.0.0.1:8069'))
    parser.add_argument('--machines', default=os.path.join(local, 'mqtt', 'machines.json'))
    parser.add_argument('--log-level', default=os.environ.get('MQTT_BRIDGE_LOG', 'INFO'))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    with open(args.machines) as machines_file:
        machines = json.load(machines_file)
    bridge = Bridge(args.url, machines, os.environ.get('MQTT_HOST') or '127.0.0.1',
                    int(os.environ.get('MQTT_PORT') or 1883), os.environ.get('MQTT_PREFIX') or 'mes',
                    os.environ.get('MQTT_CLIENT_ID') or 'shopfloor-mes-bridge',
                    os.environ.get('MQTT_USERNAME'), os.environ.get('MQTT_PASSWORD'))
    signal.signal(signal.SIGTERM, lambda *_a: bridge.stopping.set())
    _logger.info('bridge for %d machines to %s', len(machines), args.url)
    try:
        bridge.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
