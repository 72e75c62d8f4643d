"""4. Latency: simulated terminals (threads) at once, one event per request, each on its own
10 work orders of the same work center (start, produce, produce, stop), against the terminals'
Odoo in prefork mode (2 x cores + 1 workers, as production gets), with the postings in a server
of their own at a lower priority
as `make run` deploys them (``benchlib.FloorServers``; BENCH_POSTING=shared for one server).

A request answered 503 (the server's "retry the same request") is sent again the way the
terminal's outbox does (after 1 s, doubling): the latency of an event is from its first send to
the answer that accepted it.

Two loads, each run 3 times:
- saturated: 20 terminals, each sends its next event as soon as the previous one is answered
  (20 requests always in flight);
- paced: 50 terminals, each sends one event a second on average (random 0.5-1.5 s apart), 50
  events/s in all, far busier than a shop floor of 50 stations.

Targets (issue 17): p95 under 150 ms saturated; under 50 ms paced, with 50 terminals."""
import os
import random
import statistics
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

TERMINALS = {'saturated': 20, 'paced': 50}   # issue 17's loads
ORDERS_EACH = 10
EVENTS_EACH = B.scaled(60, 8, 'latency')
RUNS = 3
# issue 17: p95 < 150 ms with 20 terminals saturated, < 50 ms with 50 terminals paced one event
# a second each
TARGET_MS = {'saturated': 150.0, 'paced': 50.0}


def terminal_loop(server, token, stream, count, pace, latencies, statuses, failures, lock, barrier):
    session = requests.Session()
    rng = random.Random(token)
    barrier.wait()
    for _ in range(count):
        events = stream.next_batch()
        started = time.time()
        try:
            results = server.post_events(session, token, events)
        except Exception as exc:  # counted and reported, the run goes on
            with lock:
                failures.append(str(exc)[:200])
            continue
        elapsed = time.time() - started
        with lock:
            latencies.append(elapsed * 1000.0)
            B.count_statuses(results, statuses)
        if pace:
            time.sleep(max(0.0, rng.uniform(0.5, 1.5) - elapsed))


def run_load(server, floor, streams, pace, terminals):
    B.RETRIES.update(count=0)
    B.RETRIES.pop('last', None)
    latencies, statuses, failures, lock = [], {}, [], threading.Lock()
    barrier = threading.Barrier(terminals)
    threads = [threading.Thread(target=terminal_loop, args=(
        server, floor['tokens'][k], streams[k], EVENTS_EACH, pace, latencies, statuses, failures, lock, barrier))
        for k in range(terminals)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, failures, time.time() - started


def _per_event(latencies, cpu1, cpu0, posting1, posting0, client):
    count = max(len(latencies), 1) / 1000.0
    return ((cpu1[0] - cpu0[0]) / count, (cpu1[1] - cpu0[1]) / count, (posting1[0] - posting0[0]) / count,
            (posting1[1] - posting0[1]) / count, client / count)


def main():
    B.say('## 4. Latency: %d terminals saturated, %d paced, one event per request, %d events each per run'
          % (TERMINALS['saturated'], TERMINALS['paced'], EVENTS_EACH))
    db, floor = B.floor_copy('latency')
    floor_servers = B.FloorServers(db, 'latency').start()
    server = floor_servers.server
    B.say('  %s' % floor_servers.describe())
    wos = floor['workorder_ids']
    batches = 2 * RUNS * EVENTS_EACH + 10
    streams = [B.FloorStream(wos[k * ORDERS_EACH:(k + 1) * ORDERS_EACH], floor['badges'], batches=batches, batch=1,
                             seed=k) for k in range(max(TERMINALS.values()))]
    # warm-up, not measured: a few events per terminal
    warm = requests.Session()
    for k, stream in enumerate(streams):
        for _ in range(2):
            server.post_events(warm, floor['tokens'][k], stream.next_batch())
    summary = {}
    budget = B.time_budget()
    for mode, pace in (('saturated', False), ('paced', True)):
        p50s, p95s, p99s = [], [], []
        began = time.time()
        for run in range(RUNS):
            if run and budget and time.time() - began > budget:
                B.say('  %-9s stopped by BENCH_TIME_BUDGET=%s s after %d runs' % (mode, budget, run))
                break
            cpu0, posting0, client0 = B.cpu_seconds(server), floor_servers.posting_cpu(), time.process_time()
            latencies, statuses, failures, wall = run_load(server, floor, streams, pace, TERMINALS[mode])
            cpu = _per_event(latencies, B.cpu_seconds(server), cpu0, floor_servers.posting_cpu(), posting0,
                             time.process_time() - client0)
            p50, p95, p99 = (B.percentile(latencies, p) for p in (50, 95, 99))
            p50s.append(p50)
            p95s.append(p95)
            p99s.append(p99)
            B.say('  %-9s run %d: %d events in %.1f s (%.1f/s): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; '
                  '%s; %d sends retried after a 503%s%s (load %s)' % (
                      mode, run + 1, len(latencies), wall, len(latencies) / wall, p50, p95, p99, max(latencies),
                      statuses, B.RETRIES['count'], ' (%s)' % B.RETRIES['last'][:160] if B.RETRIES.get('last') else '',
                      '; %d given up: %s' % (len(failures), failures[0]) if failures else '', B.load_average()))
            B.say('  %-9s        CPU ms per event: terminals\' Odoo %.1f, its PostgreSQL %.1f; postings %.1f + %.1f; '
                  'the simulated tablets (this process) %.1f' % ((mode,) + cpu))
        summary[mode] = (p50s, p95s, p99s)
        B.say('  %-9s over %d runs, min / median / max: p50 %s ms; p95 %s ms; p99 %s ms'
              % (mode, len(p95s), B.spread(p50s, '%.0f'), B.spread(p95s, '%.0f'), B.spread(p99s, '%.0f')))
    errors = server.errors_in_log()
    if errors:
        B.say('  server log errors (%d), first: %s' % (len(errors), errors[0][:300]))
    floor_servers.stop()
    for number, mode in (('4a', 'saturated'), ('4b', 'paced')):
        p50s, p95s, p99s = summary[mode]
        p95 = statistics.median(p95s)
        B.figure(number, 'latency, %d terminals, one event per request, %s (median of %d runs)'
                 % (TERMINALS[mode], mode, len(p95s)),
                 'p50 %.0f ms, p95 %.0f ms, p99 %.0f ms' % (statistics.median(p50s), p95, statistics.median(p99s)),
                 'p95 < %d ms with %d terminals' % (TARGET_MS[mode], TERMINALS[mode]),
                 p95 < TARGET_MS[mode])


if __name__ == '__main__':
    main()
