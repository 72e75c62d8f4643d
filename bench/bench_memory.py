"""7. Memory: resident size (RSS, psutil) of the Odoo worker before and after 100,000 events.

Odoo runs in prefork mode with ONE worker, so that every request lands on the same process
(with two, each would see half the events: one worker is the stricter test). Its request and
time limits are raised so that it is never recycled during the run; the script checks that the
worker's pid is the same at the end. The terminal sends the throughput benchmark's mix in
batches of 100 over the floor's 400 work orders. "Before" is measured after a warm-up of 2,000
events (the first requests fill Odoo's caches, which is not growth); the fresh worker's size is
printed too.

Target (issue 17): growth at most 20 MB."""
import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

EVENTS = B.scaled(100000, 2000, 'memory')
WARMUP = B.scaled(2000, 400, 'memory')   # at least one round over the 400 work orders
BATCH = 100
SAMPLES = 10
TARGET_MB = 20.0   # issue 17


def main():
    B.say('## 7. Memory: RSS of the Odoo worker before and after %d events (one worker, batches of %d)'
          % (EVENTS, BATCH))
    db, floor = B.floor_copy('memory')
    server = B.OdooServer(db, workers=1, name='memory').start()
    worker, = server.http_workers()
    fresh = worker.memory_info().rss
    session = requests.Session()
    token = floor['tokens'][0]
    batches = EVENTS // BATCH
    stream = B.FloorStream(floor['workorder_ids'], floor['badges'], batches=batches + WARMUP // BATCH + 5)
    statuses = {}
    for _ in range(WARMUP // BATCH):
        B.count_statuses(server.post_events(session, token, stream.next_batch()), statuses)
    before = worker.memory_info().rss
    B.say('  worker pid %d: fresh %.1f MB, after %d warm-up events %.1f MB'
          % (worker.pid, fresh / 2 ** 20, WARMUP, before / 2 ** 20))
    budget, started, done = B.time_budget(), time.time(), 0
    every = max(1, batches // SAMPLES)
    for index in range(batches):
        events = stream.next_batch()
        B.count_statuses(server.post_events(session, token, events), statuses)
        done += len(events)
        if (index + 1) % every == 0:
            B.say('  after %6d events: %.1f MB (%.0f s, load %s)' % (
                done, worker.memory_info().rss / 2 ** 20, time.time() - started, B.load_average()))
        if budget and time.time() - started > budget:
            B.say('  stopped by BENCH_TIME_BUDGET=%s s after %d of %d events' % (budget, done, EVENTS))
            break
    after = worker.memory_info().rss
    same = [w.pid for w in server.http_workers()] == [worker.pid]
    growth = (after - before) / 2 ** 20
    B.say('  after %d events: %.1f MB; growth since warm-up %.1f MB, since fresh %.1f MB; worker %s; events %s'
          % (done, after / 2 ** 20, growth, (after - fresh) / 2 ** 20,
             'never recycled' if same else 'RECYCLED (the figure is void)', statuses))
    errors = server.errors_in_log()
    if errors:
        B.say('  server log errors (%d), first: %s' % (len(errors), errors[0][:300]))
    server.stop()
    B.figure('7', 'worker RSS growth over %d events' % done, '%.1f MB (%.1f -> %.1f MB)' % (
        growth, before / 2 ** 20, after / 2 ** 20), '<= %d MB over %d events' % (TARGET_MB, EVENTS),
        growth <= TARGET_MB and same and done >= EVENTS)


if __name__ == '__main__':
    main()
