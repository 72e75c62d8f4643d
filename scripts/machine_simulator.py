#!/usr/bin/env python3
"""Machines through a shift, as MQTT messages: cycles, micro-stops, a breakdown.

Publishes to ``<prefix>/<work center code>/<machine>/{cycle,state}`` (QoS 1, the payloads of
``scripts/mqtt_bridge.py``) for each machine given, over a shift that ends now (times in the
past, published as fast as the broker takes them: ``--speed 0``) or in real time scaled by
``--speed`` (2: two simulated seconds per second). Each machine runs its ideal cycle with a
little jitter, pauses now and then shorter than the stop threshold (micro-stops), goes idle once
for a few minutes, and breaks down once (state down with a fault code, then running again).
The machine's own counters (``seq``) start at ``--seq-start`` (default: the clock in ms), so
every run gives new events, and a run repeated with the same ``--seq-start`` the same ones.

  .local/venv/bin/python scripts/machine_simulator.py --machine SAW/SAW-1 --machine CNC/CNC-1 --minutes 60

Settings (environment): MQTT_HOST, MQTT_PORT, MQTT_USERNAME, MQTT_PASSWORD, MQTT_PREFIX (mes).
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta

import paho.mqtt.client as mqtt

# the addon's plain-Python services (no Odoo import): the terminal contract's time format
sys.path.append(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
from services.contract import format_time  # noqa: E402 - importable only once sys.path holds the checkout


def shift(machine, start, minutes, cycle_s, seed, seq_start):
    """[(at, kind, payload)] of one machine's shift, in time order."""
    rnd = random.Random('%s:%s' % (seed, machine))
    end = start + timedelta(minutes=minutes)
    seqs = {'cycle': seq_start, 'state': seq_start}
    out, now = [], start
    breakdown_at = start + timedelta(minutes=minutes * rnd.uniform(0.3, 0.6))
    idle_at = start + timedelta(minutes=minutes * rnd.uniform(0.7, 0.85))
    broken = idle = False

    def emit(kind, **payload):
        seqs[kind] += 1
        out.append((now, kind, dict(payload, seq=seqs[kind], at=format_time(now))))

    emit('state', state='running')
    while now < end:
        if not broken and now >= breakdown_at:
            broken = True
            emit('state', state='down', code='E-%03d' % rnd.randint(1, 99))
            now += timedelta(minutes=min(10, minutes * 0.1))
            emit('state', state='running')
            continue
        if not idle and now >= idle_at:
            idle = True
            emit('state', state='idle')
            now += timedelta(minutes=min(4, minutes * 0.05))
            emit('state', state='running')
            continue
        if rnd.random() < 0.02:   # a micro-stop: shorter than the stop threshold
            emit('state', state='idle')
            now += timedelta(seconds=rnd.uniform(20, 90))
            emit('state', state='running')
        now += timedelta(seconds=cycle_s * rnd.uniform(0.95, 1.2))
        if now >= end:
            break
        scrap = 1 if rnd.random() < 0.03 else 0
        emit('cycle', good=1 - scrap, scrap=scrap)
    return out


class Publisher:
    """QoS 1 publishing that waits until the broker acknowledged everything (a persistent
    session: what the broker has not acknowledged is sent again after a reconnect)."""

    def __init__(self, client_id):
        self.client = mqtt.Client(client_id=client_id, clean_session=False)
        if os.environ.get('MQTT_USERNAME'):
            self.client.username_pw_set(os.environ['MQTT_USERNAME'], os.environ.get('MQTT_PASSWORD'))
        self.client.max_inflight_messages_set(1000)
        self.client.reconnect_delay_set(0.2, 2)
        # counted, not kept by mid: mids wrap at 65,535, and paho calls on_publish holding its
        # own lock (taking another one there would deadlock with publish())
        self.published = self.acked = 0
        self.client.on_publish = self._published

    @property
    def pending(self):
        return self.published - self.acked

    def _published(self, _client, _userdata, _mid):
        self.acked += 1   # only paho's network thread writes it

    def connect(self):
        self.client.connect_async(os.environ.get('MQTT_HOST') or '127.0.0.1', int(os.environ.get('MQTT_PORT') or 1883))
        self.client.loop_start()

    def publish(self, topic, payload):
        self.client.publish(topic, json.dumps(payload), qos=1)
        self.published += 1
        while self.pending > 5000:    # keep memory bounded while the broker is away
            time.sleep(0.01)

    def wait(self, timeout=600):
        deadline = time.time() + timeout
        while self.pending and time.time() < deadline:
            time.sleep(0.05)
        left = self.pending
        self.client.loop_stop()
        self.client.disconnect()
        return left


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--machine', action='append', required=True, help='<work center code>/<machine>')
    parser.add_argument('--minutes', type=float, default=60.0, help='length of the simulated shift')
    parser.add_argument('--cycle', type=float, default=30.0, help='ideal cycle time in seconds')
    parser.add_argument('--speed', type=float, default=0.0,
                        help='0: the shift ending now, at once; N: N x real time from now')
    parser.add_argument('--seed', default='1')
    parser.add_argument('--seq-start', type=int, default=None)
    parser.add_argument('--client-id', default='shopfloor-mes-simulator-%d' % os.getpid())
    args = parser.parse_args(argv)
    prefix = (os.environ.get('MQTT_PREFIX') or 'mes').strip('/')
    seq_start = args.seq_start if args.seq_start is not None else int(time.time() * 1000)
    now = datetime.utcnow()
    start = now - timedelta(minutes=args.minutes) if not args.speed else now
    messages = sorted(((at, '%s/%s/%s' % (prefix, machine, kind), payload)
                       for machine in args.machine
                       for at, kind, payload in shift(machine, start, args.minutes, args.cycle, args.seed, seq_start)),
                      key=lambda m: m[0])
    publisher = Publisher(args.client_id)
    publisher.connect()
    began = time.time()
    for at, topic, payload in messages:
        if args.speed:
            delay = (at - start).total_seconds() / args.speed - (time.time() - began)
            if delay > 0:
                time.sleep(delay)
        publisher.publish(topic, payload)
    left = publisher.wait()
    print('published %d messages for %d machines in %.1f s%s' % (
        len(messages), len(args.machine), time.time() - began, ', %d not acknowledged' % left if left else ''))
    return 1 if left else 0


if __name__ == '__main__':
    sys.exit(main())
