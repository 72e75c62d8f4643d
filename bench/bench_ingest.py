"""1. Ingest throughput: one terminal posts batches of 100 events to POST /mes/api/v1/events, a
realistic mix (each of 200 work orders on one work center goes round start, produce, produce,
stop with its own operator; the orders are out of phase so every batch mixes the types),
sustained over 50,000 events, against Odoo in prefork mode (2 workers).

Target (issue 17): at least 1,000 applied events per second over 50,000 events."""
import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

EVENTS = B.scaled(50000, 1000, 'ingest')
BATCH = 100
ORDERS = 200
WINDOWS = 10
TARGET = 1000.0   # issue 17


def main():
    B.say('## 1. Ingest throughput (batches of %d events, %d work orders, one terminal, %d events)'
          % (BATCH, ORDERS, EVENTS))
    db, floor = B.floor_copy('ingest')
    server = B.OdooServer(db, workers=2, name='ingest').start()
    session = requests.Session()
    token = floor['tokens'][0]
    batches = EVENTS // BATCH
    stream = B.FloorStream(floor['workorder_ids'][:ORDERS], floor['badges'], batches=batches + 2)
    # One round over every work order first, not counted: the first start of an order moves
    # it (and its manufacturing order) in progress, a one-off.
    for _ in range(ORDERS // BATCH):
        server.post_events(session, token, stream.next_batch())
    stream.sent = {k: 0 for k in stream.sent}
    budget = B.time_budget()
    statuses, window, rows = {}, max(1, batches // WINDOWS), []
    cpu0 = B.cpu_seconds(server)
    started = last = time.time()
    done = applied_at_last = 0
    latencies = []
    for index in range(batches):
        events = stream.next_batch()
        t0 = time.time()
        B.count_statuses(server.post_events(session, token, events), statuses)
        latencies.append(time.time() - t0)
        done += len(events)
        if (index + 1) % window == 0 or index + 1 == batches:
            now = time.time()
            rows.append((done, now - last, statuses.get('applied', 0) - applied_at_last))
            B.say('  events %6d  window %6.1f s  %7.1f applied events/s  (load %s)'
                  % (done, now - last, rows[-1][2] / (now - last), B.load_average()))
            last, applied_at_last = now, statuses.get('applied', 0)
        if budget and time.time() - started > budget:
            now = time.time()
            if now > last and done > (rows[-1][0] if rows else 0):   # the partial window counts too
                rows.append((done, now - last, statuses.get('applied', 0) - applied_at_last))
            B.say('  stopped by BENCH_TIME_BUDGET=%s s after %d of %d events' % (budget, done, EVENTS))
            break
    elapsed = time.time() - started
    cpu1 = B.cpu_seconds(server)
    applied = statuses.get('applied', 0)
    rate = applied / elapsed
    B.say('  sent %d events in %.1f s: %s' % (done, elapsed, {k: v for k, v in statuses.items()}))
    B.say('  mix sent: %s' % ', '.join('%s %d' % kv for kv in sorted(stream.sent.items())))
    B.say('  request time per batch of %d: p50 %.0f ms, p95 %.0f ms, max %.0f ms'
          % (BATCH, 1000 * B.percentile(latencies, 50), 1000 * B.percentile(latencies, 95), 1000 * max(latencies)))
    B.say('  CPU per 1,000 applied events: Odoo %.1f s, PostgreSQL %.1f s'
          % ((cpu1[0] - cpu0[0]) * 1000.0 / max(applied, 1), (cpu1[1] - cpu0[1]) * 1000.0 / max(applied, 1)))
    rates = [r[2] / r[1] for r in rows if r[1] > 0]
    B.say('  window rates (events/s) min / median / max: %s; first window %.1f, last window %.1f'
          % (B.spread(rates), rates[0], rates[-1]))
    errors = server.errors_in_log()
    if errors:
        B.say('  server log errors (%d), first: %s' % (len(errors), errors[0][:300]))
    server.stop()
    B.figure('1', 'ingest throughput, %d events in batches of %d' % (done, BATCH),
             '%.1f applied events/s' % rate, '>= %d/s' % TARGET, rate >= TARGET and done >= EVENTS)


if __name__ == '__main__':
    main()
