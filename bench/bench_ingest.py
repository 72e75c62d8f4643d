"""1. Ingest throughput: terminals post batches of 100 events to POST /mes/api/v1/events, a
realistic mix (each of 200 work orders on one work center goes round start, produce, produce,
stop with its own operator; the orders are out of phase so every batch mixes the types),
sustained over 50,000 events, against the terminals' Odoo in prefork mode (2 workers), with the
postings in an Odoo of their own at a lower priority, as `make run` deploys them
(``benchlib.FloorServers``).

Two terminals send at once (INGEST_TERMINALS), each its own 100 orders with its own operators:
one terminal waits for each answer before its next batch, so alone it keeps one worker and one
core busy at most, and measures its round trips rather than what the server takes in. Two,
as many as the workers, measure the server. The figure counts events recorded and applied; the
postings they queue are posted by the posting server in the CPU left, and the lines below say
how many orders still waited for theirs at the end and how long they took to be posted.

Target (issue 17): at least 1,000 applied events per second over 50,000 events."""
import os
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

EVENTS = B.scaled(50000, 1000, 'ingest')
BATCH = 100
ORDERS = 200
WINDOWS = 10
TERMINALS = int(os.environ.get('INGEST_TERMINALS') or 2)
TARGET = 1000.0   # issue 17


def pending_postings(db):
    return int(B.psql(db, "SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')") or 0)


def send_stream(server, token, stream, count, records, lock, barrier):
    """``count`` batches of ``stream``, one after the other; (end time, events, statuses,
    seconds) of each into ``records``."""
    session = requests.Session()
    barrier.wait()
    for _ in range(count):
        events = stream.next_batch()
        t0 = time.time()
        answered = B.count_statuses(server.post_events(session, token, events), {})
        with lock:
            records.append((time.time(), len(events), answered, time.time() - t0))


def main():
    B.say('## 1. Ingest throughput (batches of %d events, %d work orders, %d terminals at once, %d events)'
          % (BATCH, ORDERS, TERMINALS, EVENTS))
    db, floor = B.floor_copy('ingest')
    floor_servers = B.FloorServers(db, 'ingest').start()
    server = floor_servers.server
    B.say('  %s' % floor_servers.describe())
    batches = EVENTS // BATCH
    share = ORDERS // TERMINALS
    streams = [B.FloorStream(floor['workorder_ids'][k * share:(k + 1) * share], floor['badges'][k::TERMINALS],
                             batches=batches + 2, seed=k + 1) for k in range(TERMINALS)]
    # One round over every work order first, not counted: the first start of an order moves
    # it (and its manufacturing order) in progress, a one-off.
    warm = requests.Session()
    for k, stream in enumerate(streams):
        for _ in range(max(1, share // BATCH)):
            server.post_events(warm, floor['tokens'][k], stream.next_batch())
        stream.sent = {key: 0 for key in stream.sent}
    records, lock, barrier = [], threading.Lock(), threading.Barrier(TERMINALS + 1)
    threads = [threading.Thread(target=send_stream, args=(
        server, floor['tokens'][k], streams[k], batches // TERMINALS, records, lock, barrier))
        for k in range(TERMINALS)]
    for thread in threads:
        thread.start()
    cpu0, posting0 = B.cpu_seconds(server), floor_servers.posting_cpu()
    barrier.wait()
    started = time.time()
    for thread in threads:
        thread.join()
    records.sort()
    statuses, window, rows = {}, max(1, len(records) // WINDOWS), []
    last, done = started, 0
    for index in range(0, len(records), window):
        chunk = records[index:index + window]
        applied_here = sum(r[2].get('applied', 0) for r in chunk)
        for r in chunk:
            for key, value in r[2].items():
                if isinstance(value, int):
                    statuses[key] = statuses.get(key, 0) + value
        done += sum(r[1] for r in chunk)
        now = chunk[-1][0]
        rows.append((done, now - last, applied_here))
        B.say('  events %6d  window %6.1f s  %7.1f applied events/s' % (done, now - last, applied_here / (now - last)))
        last = now
    latencies = [r[3] for r in records]
    elapsed = (records[-1][0] if records else time.time()) - started
    cpu1, posting1 = B.cpu_seconds(server), floor_servers.posting_cpu()
    backlog = pending_postings(db)
    drained = B.wait_postings(B.pg_connect(db)) if not floor_servers.off else float('nan')
    applied = statuses.get('applied', 0)
    rate = applied / elapsed
    B.say('  sent %d events in %.1f s: %s' % (done, elapsed, {k: v for k, v in statuses.items()}))
    mix = {}
    for stream in streams:
        for key, value in stream.sent.items():
            mix[key] = mix.get(key, 0) + value
    B.say('  mix sent: %s' % ', '.join('%s %d' % kv for kv in sorted(mix.items())))
    B.say('  request time per batch of %d: p50 %.0f ms, p95 %.0f ms, max %.0f ms'
          % (BATCH, 1000 * B.percentile(latencies, 50), 1000 * B.percentile(latencies, 95), 1000 * max(latencies)))
    B.say('  CPU per 1,000 applied events: Odoo %.1f s, PostgreSQL %.1f s'
          % ((cpu1[0] - cpu0[0]) * 1000.0 / max(applied, 1), (cpu1[1] - cpu0[1]) * 1000.0 / max(applied, 1)))
    B.say('  postings (%s): CPU per 1,000 applied events during the run Odoo %.1f s, PostgreSQL %.1f s; '
          '%d orders waiting for their posting at the end, all posted %.1f s later'
          % (floor_servers.describe(), (posting1[0] - posting0[0]) * 1000.0 / max(applied, 1),
             (posting1[1] - posting0[1]) * 1000.0 / max(applied, 1), backlog, drained))
    rates = [r[2] / r[1] for r in rows if r[1] > 0]
    B.say('  window rates (events/s) min / median / max: %s; first window %.1f, last window %.1f'
          % (B.spread(rates), rates[0], rates[-1]))
    errors = server.errors_in_log()
    if errors:
        B.say('  server log errors (%d), first: %s' % (len(errors), errors[0][:300]))
    floor_servers.stop()
    B.figure('1', 'ingest throughput, %d events in batches of %d' % (done, BATCH),
             '%.1f applied events/s' % rate, '>= %d/s' % TARGET, rate >= TARGET and done >= EVENTS)


if __name__ == '__main__':
    main()
