"""9. The posting stage (issue 18): how far Odoo's stock, labor logs and ledger trail what the
terminals recorded, when the postings run as in production.

One Odoo server, set up as scripts/production_conf.py sets up production on this machine
(``benchlib.posting_server``): ``--load=web,queue_job`` so queue_job's runner runs in the
server, prefork workers 2 x cores + 1, channels ``root:2,root.mes_posting:1`` (postings one at
a time: two on one work center conflict on its row, see bench/README.md), no cron thread.
Events go through ``POST /mes/api/v1/events``; each request records
and queues one job per manufacturing order (``mes.execution._enqueue_posting``); the runner runs
the job (``_job_post`` → ``_post``) on a worker through ``/queue_job/runjob``.

The bench process watches the database with its own connection (``benchlib.pg_connect``); the
database's clock is the reference: a posting is taken as committed when a poll first sees its
``mes_posting.version`` (``statement_timestamp()`` of that poll: at most one poll period after
the commit), an event as received at its ``mes_event.received_at`` (stamped by the server on
arrival, same host clock).

- 9a ledger lag at plant load: 50 terminals, each with its own operator and 2 of 100 open
  orders (start, produce, produce, stop, then the other order), one event every 5 s each (4-6 s
  apart, one event per request), 10 minutes. After each answer the work order's
  ``mes_execution.version`` is read: the event is carried by the first posting of that work
  order whose version reaches it. Lag = that posting seen committed − the event's received_at.
  Target: p95 ≤ 30 s.
- 9b queue drained after a replay burst: 10 terminals send 10,000 events (each 1,000 over its
  own 20 orders, every order its own operator, a minute of shop-floor time per round) in
  batches of 100 as fast as they are answered; then drained = every ``mes_execution.version``
  equals its ``mes_posting.version`` and queue_job has no pending, enqueued or started job.
  Timed from the first send. Target: ≤ 120 s.
- 9c a whole order's life (start, 20 produce, 2 scrap, a downtime, stop, finish, close), server
  time: ours = the terminal's requests (one event per request, each posted before the next, as
  at plant pace) + every posting job of the order (from the poll that first sees it started to
  the poll that first sees it done, 10 ms apart) + the close (``button_mark_done`` over JSON-RPC,
  as a supervisor clicks it); native = the same life through Odoo's own buttons over JSON-RPC
  as its web client calls them (button_start; write qty_producing + record_production; a
  component scrap created and validated; the work order's Block: a loss on the work center,
  button_block, then button_unblock and start again; button_pending; button_finish;
  button_mark_done). The same life in one batch (a terminal back online: one request, one
  posting) is printed beside it. Target: ours ÷ native ≤ 1.0.
- 9d (SQL per posting of one order with 20 new events) is figure 2c of bench_queries.py.

BENCH_SCALE / BENCH_SCALE_LEDGER shrink the load time, the burst and the lives;
BENCH_TIME_BUDGET bounds the waits for a drain (never below 4 x the drain target)."""
import os
import queue
import random
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

PLANT_TERMINALS = 50
PLANT_ORDERS_EACH = 2
PERIOD_S = 5.0
PLANT_FULL_S = 600
PLANT_S = B.scaled(PLANT_FULL_S, 30, 'ledger')
LAG_TARGET_S = 30.0

BURST_TERMINALS = 10
BURST_ORDERS_EACH = 20
BURST_FULL = 10000
BURST = B.scaled(BURST_FULL, 400, 'ledger')
BATCH = 100
DRAIN_TARGET_S = 120.0

LIVES = B.scaled(3, 1, 'ledger')
RATIO_TARGET = 1.0
# every order of 9a and 9b its own operator, nobody on two orders at once (the floor has 20):
# 9a badges 0-49, 9b 50-249, 9c 250, the warm-up 251
EMPLOYEES = PLANT_TERMINALS + BURST_TERMINALS * BURST_ORDERS_EACH + 2
LIFE_BADGE, WARM_BADGE = EMPLOYEES - 2, EMPLOYEES - 1

POLL_S = 0.25
ACTIVE = ('pending', 'enqueued', 'started')


def wait_cap(target):
    budget = B.time_budget()
    return max(budget, 4 * target) if budget else 3600.0


# -- set-up -------------------------------------------------------------------------------------
def prepare(db, floor):
    """50 terminals and 200 operators (the floor has 20 of each); the reasons and locations the
    lives use."""
    with B.odoo_env(db) as env:
        wc_ids = floor['workcenter_ids']
        Employee = env['hr.employee'].with_context(tracking_disable=True, mail_create_nolog=True)
        badges = list(floor['badges'])
        for i in range(EMPLOYEES - len(badges)):
            badges.append(Employee.create({'name': 'L operator %d' % (i + 1), 'barcode': 'L-OP-%03d' % (i + 1),
                                           'timesheet_cost': 30.0}).barcode)
        tokens = list(floor['tokens'])
        for i in range(PLANT_TERMINALS - len(tokens)):
            terminal = env['mes.terminal'].create({'name': 'L tablet %d' % (i + 1), 'workcenter_ids': [(6, 0, wc_ids)]})
            tokens.append(B.issue_token(terminal))
        Reason = env['mes.reason']
        scrap = Reason.search([('kind', '=', 'scrap'), ('is_category', '=', False)], limit=1)
        down = Reason.search([('kind', '=', 'downtime'), ('is_category', '=', False)], limit=1)
        loss = env['mrp.workcenter.productivity.loss'].search([('loss_type', '=', 'availability')], limit=1)
        production = env['mrp.production'].browse(floor['production_ids'][0])
        extra = {'badges': badges, 'tokens': tokens, 'scrap_reason': scrap.code, 'down_reason': down.code,
                 'loss_id': loss.id, 'src_location_id': production.location_src_id.id,
                 'uom_id': env.ref('product.product_uom_unit').id,
                 'production_of': {wo.id: wo.production_id.id
                                   for wo in env['mrp.workorder'].browse(floor['workorder_ids'])}}
    B.release_registry(db)
    return extra


# -- watching the database ------------------------------------------------------------------------
class Watch(threading.Thread):
    """Polls, every ``period`` s: the posted version of each watched work order (kept when it
    moves, with the poll's statement_timestamp) and queue_job's active jobs."""

    def __init__(self, db, workorder_ids, period=POLL_S):
        super().__init__(daemon=True)
        self.connection = B.pg_connect(db)
        self.workorder_ids, self.period = list(workorder_ids), period
        self.seen = {wo: [] for wo in self.workorder_ids}
        self.active = []   # (t, active jobs)
        self.halt = threading.Event()

    def poll(self):
        with self.connection.cursor() as cr:
            cr.execute("""SELECT x.workorder_id, p.version, extract(epoch from statement_timestamp())
                            FROM mes_execution x JOIN mes_posting p ON p.execution_id = x.id
                           WHERE x.workorder_id = ANY(%s)""", (self.workorder_ids,))
            for wo, version, at in cr.fetchall():
                history = self.seen[wo]
                if not history or version > history[-1][0]:
                    history.append((version, float(at)))
            cr.execute("SELECT count(*), extract(epoch from statement_timestamp()) FROM queue_job WHERE state IN %s",
                       (ACTIVE,))
            count, at = cr.fetchone()
            self.active.append((float(at), count))

    def run(self):
        while not self.halt.is_set():
            self.poll()
            self.halt.wait(self.period)

    def stop(self):
        self.halt.set()
        self.join()
        self.poll()

    def committed(self, wo, version):
        """When the first posting of ``wo`` at ``version`` or later was seen committed."""
        for posted, at in self.seen[wo]:
            if posted >= version:
                return at
        return None


def now_db(cr):
    cr.execute('SELECT extract(epoch from clock_timestamp())')
    return float(cr.fetchone()[0])


def backlog(cr):
    """(executions ahead of their posting, active jobs, blocked postings, failed jobs)."""
    cr.execute("""SELECT count(*) FROM mes_execution x LEFT JOIN mes_posting p ON p.execution_id = x.id
                   WHERE x.version > coalesce(p.version, 0)""")
    ahead = cr.fetchone()[0]
    cr.execute("SELECT count(*) FILTER (WHERE state IN %s), count(*) FILTER (WHERE state = 'failed') FROM queue_job",
               (ACTIVE,))
    active, failed = cr.fetchone()
    cr.execute('SELECT count(*) FROM mes_posting WHERE error IS NOT NULL')
    return ahead, active, cr.fetchone()[0], failed


def wait_drained(cr, cap, since=None):
    """Seconds (DB clock, from ``since``) until nothing is left to post; None if ``cap``
    seconds passed first, or if nothing can move any more (blocked, failed)."""
    since = since or now_db(cr)
    stuck = None
    while True:
        ahead, active, blocked, failed = backlog(cr)
        at = now_db(cr)
        if not ahead and not active:
            return at - since, (ahead, active, blocked, failed)
        if active:
            stuck = None
        elif stuck is None:
            stuck = at
        if at - since > cap or (stuck and at - stuck > 10):
            return None, (ahead, active, blocked, failed)
        time.sleep(POLL_S)


def job_stats(cr, after_id):
    """The posting jobs queued after job ``after_id``: count, mean run and queue wait (queue_job's
    dates: created to the microsecond, started and done to the second), failures."""
    cr.execute("""SELECT count(*), count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'failed'),
                         avg(extract(epoch from date_done - date_started)),
                         sum(extract(epoch from date_done - date_started)),
                         avg(extract(epoch from date_started - date_created)),
                         max(extract(epoch from date_started - date_created)),
                         count(DISTINCT identity_key)
                    FROM queue_job WHERE id > %s AND channel = 'root.mes_posting'""", (after_id,))
    return cr.fetchone()


def last_job(cr):
    cr.execute('SELECT coalesce(max(id), 0) FROM queue_job')
    return cr.fetchone()[0]


def describe_jobs(stats):
    count, done, failed, run_avg, run_sum, wait_avg, wait_max, orders = stats
    return ('%d posting jobs for %d orders (%d done, %d failed), run %.2f s each on average (%.0f s in all), '
            'waited %.0f s on average in the queue (max %.0f s)' % (
                count, orders, done, failed, run_avg or 0, run_sum or 0, wait_avg or 0, wait_max or 0))


def cpu_since(server, before):
    odoo, pg = B.cpu_seconds(server)
    return odoo - before[0], pg - before[1]


# -- 9c: one order's life, both ways -----------------------------------------------------------------
def life_events(extra):
    produce = [('produce', {'qty': 1})] * 10
    scrap = ('scrap', {'qty': 1, 'reason': extra['scrap_reason']})
    return ([('start', {})] + produce + [scrap, ('downtime_start', {'reason': extra['down_reason']}),
                                         ('downtime_end', {})] + produce + [scrap, ('stop', {}), ('finish', {})])


def watch_jobs(cr, production_id, after_id, jobs):
    """Poll the order's posting jobs every 10 ms until none is active; ``jobs`` {uuid: [started
    seen, done seen]} filled in as seen."""
    key = 'shopfloor_mes.posting:%d' % production_id
    while True:
        cr.execute("SELECT uuid, state, extract(epoch from statement_timestamp()) FROM queue_job "
                   "WHERE identity_key = %s AND id > %s", (key, after_id))
        rows = cr.fetchall()
        active = False
        for uuid, state, at in rows:
            seen = jobs.setdefault(uuid, [None, None])
            if state == 'started' and seen[0] is None:
                seen[0] = float(at)
            elif state in ('done', 'failed'):
                if seen[0] is None:   # started and done between two polls
                    seen[0] = float(at) - 0.005
                if seen[1] is None:
                    seen[1] = float(at)
            if state in ACTIVE:
                active = True
        if not active:
            return
        time.sleep(0.01)


def our_life(server, client, cr, extra, token, badge, wo, one_batch):
    production_id = extra['production_of'][wo]
    session = requests.Session()
    after = last_job(cr)
    jobs, statuses = {}, {}
    recording = 0.0
    plan = life_events(extra)
    if one_batch:
        t0 = datetime.utcnow() - timedelta(minutes=len(plan) + 5)
        events = [B.event(etype, wo, badge, t0 + timedelta(minutes=i), i + 1, data)
                  for i, (etype, data) in enumerate(plan)]
        started = time.time()
        B.count_statuses(server.post_events(session, token, events), statuses)
        recording += time.time() - started
        watch_jobs(cr, production_id, after, jobs)
    else:
        for i, (etype, data) in enumerate(plan):
            started = time.time()
            B.count_statuses(server.post_events(session, token, [B.event(etype, wo, badge, datetime.utcnow(), i + 1,
                                                                          data)]), statuses)
            recording += time.time() - started
            watch_jobs(cr, production_id, after, jobs)
    posting = sum(done - started for started, done in jobs.values() if started and done)
    started = time.time()
    client.call_kw('mrp.production', 'button_mark_done', [[production_id]], route='call_button')
    close = time.time() - started
    cr.execute("SELECT state FROM mrp_production WHERE id = %s", (production_id,))
    state = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM mes_posting p JOIN mes_execution x ON x.id = p.execution_id "
               "WHERE x.workorder_id = %s AND p.error IS NOT NULL", (wo,))
    blocked = cr.fetchone()[0]
    return {'record': recording, 'posting': posting, 'close': close, 'jobs': len(jobs), 'statuses': statuses,
            'state': state, 'blocked': blocked, 'total': recording + posting + close}


def native_life(client, extra, wo, tube):
    production_id = extra['production_of'][wo]
    calls = []

    def call(model, method, args, route='call_kw'):
        started = time.time()
        result = client.call_kw(model, method, args, route=route)
        calls.append(time.time() - started)
        return result

    def produce():
        call('mrp.workorder', 'write', [[wo], {'qty_producing': 1}])
        call('mrp.workorder', 'record_production', [[wo]], route='call_button')

    def scrap():
        scrap_id = call('stock.scrap', 'create', [{
            'product_id': tube, 'product_uom_id': extra['uom_id'], 'scrap_qty': 1,
            'location_id': extra['src_location_id'], 'production_id': production_id, 'workorder_id': wo}])
        call('stock.scrap', 'action_validate', [[scrap_id]], route='call_button')

    call('mrp.workorder', 'button_start', [[wo]], route='call_button')
    for _ in range(10):
        produce()
    scrap()
    block = call('mrp.workcenter.productivity', 'create', [{
        'workcenter_id': extra['workcenter_id'], 'loss_id': extra['loss_id'], 'description': 'bench downtime'}])
    call('mrp.workcenter.productivity', 'button_block', [[block]], route='call_button')
    call('mrp.workorder', 'button_unblock', [[wo]], route='call_button')
    call('mrp.workorder', 'button_start', [[wo]], route='call_button')
    for _ in range(10):
        produce()
    scrap()
    call('mrp.workorder', 'button_pending', [[wo]], route='call_button')
    call('mrp.workorder', 'button_finish', [[wo]], route='call_button')
    call('mrp.production', 'button_mark_done', [[production_id]], route='call_button')
    return {'total': sum(calls), 'calls': len(calls)}


def run_lives(server, floor, extra, cr):
    client = server.web_session()
    wos = floor['workorder_ids'][300:300 + 3 * LIVES + 2]
    token, badge = extra['tokens'][0], extra['badges'][LIFE_BADGE]
    tube = floor['component_ids'][0]
    # warm-up, not timed: a posting job and a native click on spare work orders
    session = requests.Session()
    warm = wos[-1]
    for seq, etype in enumerate(('start', 'stop'), 1):
        server.post_events(session, token, [B.event(etype, warm, extra['badges'][WARM_BADGE], datetime.utcnow(), seq)])
        watch_jobs(cr, extra['production_of'][warm], 0, {})
    client.call_kw('mrp.workorder', 'button_start', [[wos[-2]]], route='call_button')
    client.call_kw('mrp.workorder', 'button_pending', [[wos[-2]]], route='call_button')
    results = {'native': [], 'online': [], 'batch': []}
    order = ['native', 'online', 'batch']
    for life in range(LIVES):
        for path in order:
            wo = wos[3 * life + ('native', 'online', 'batch').index(path)]
            if path == 'native':
                results[path].append(native_life(client, extra, wo, tube))
            else:
                results[path].append(our_life(server, client, cr, extra, token, badge, wo, path == 'batch'))
        n, o, b = results['native'][-1], results['online'][-1], results['batch'][-1]
        B.say('  9c life %d: native %.2f s (%d calls); ours one event per request %.2f s (record %.2f + %d postings '
              '%.2f + close %.2f; %s, order %s%s); ours in one batch %.2f s (record %.2f + %d posting %.2f + close '
              '%.2f; order %s%s) (load %s)' % (
                  life + 1, n['total'], n['calls'], o['total'], o['record'], o['jobs'], o['posting'], o['close'],
                  o['statuses'], o['state'], ', %d blocked' % o['blocked'] if o['blocked'] else '', b['total'],
                  b['record'], b['jobs'], b['posting'], b['close'], b['state'],
                  ', %d blocked' % b['blocked'] if b['blocked'] else '', B.load_average()))
        order = order[1:] + order[:1]
    return results


# -- 9a: the plant ---------------------------------------------------------------------------------
class Versions:
    """A few connections shared by the terminal threads, for reading a work order's recorded
    version right after its answer."""

    def __init__(self, db, size=4):
        self.pool = queue.Queue()
        for _ in range(size):
            self.pool.put(B.pg_connect(db))

    def version(self, wo):
        connection = self.pool.get()
        try:
            with connection.cursor() as cr:
                cr.execute('SELECT version FROM mes_execution WHERE workorder_id = %s', (wo,))
                row = cr.fetchone()
                return row[0] if row else 0
        finally:
            self.pool.put(connection)


def plant_terminal(server, token, badge, wos, deadline, rng, versions, sent, lock, barrier):
    session = requests.Session()
    plan = [(etype, wo) for wo in wos for etype in B.CYCLE]
    barrier.wait()
    next_at = time.time() + rng.uniform(0, PERIOD_S)
    seq = 0
    while True:
        pause = next_at - time.time()
        if pause > 0:
            time.sleep(pause)
        if time.time() >= deadline:
            return
        etype, wo = plan[seq % len(plan)]
        seq += 1
        data = {'qty': rng.choice((1, 2, 3))} if etype == 'produce' else {}
        ev = B.event(etype, wo, badge, datetime.utcnow(), seq, data)
        started = time.time()
        try:
            results = server.post_events(session, token, [ev])
        except Exception as exc:  # counted, the terminal goes on
            with lock:
                sent.append({'failed': str(exc)[:200]})
            next_at += rng.uniform(0.8 * PERIOD_S, 1.2 * PERIOD_S)
            continue
        answered = time.time()
        version = versions.version(wo)
        with lock:
            sent.append({'uid': ev['id'], 'wo': wo, 'version': version, 'answered': answered,
                         'request_s': answered - started, 'status': results[0]['status']})
        next_at += rng.uniform(0.8 * PERIOD_S, 1.2 * PERIOD_S)


def run_plant(server, db, floor, extra, cr):
    wos = floor['workorder_ids'][:PLANT_TERMINALS * PLANT_ORDERS_EACH]
    watch = Watch(db, wos)
    watch.start()
    versions = Versions(db)
    sent, lock = [], threading.Lock()
    barrier = threading.Barrier(PLANT_TERMINALS)
    rng = random.Random(7)
    after = last_job(cr)
    cpu = B.cpu_seconds(server)
    started = time.time()
    deadline = started + PLANT_S + PERIOD_S   # each terminal begins within its first period
    threads = [threading.Thread(target=plant_terminal, args=(
        server, extra['tokens'][k], extra['badges'][k], wos[k * PLANT_ORDERS_EACH:(k + 1) * PLANT_ORDERS_EACH],
        deadline, random.Random(rng.random()), versions, sent, lock, barrier)) for k in range(PLANT_TERMINALS)]
    for thread in threads:
        thread.start()
    last_report = started
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        if time.time() - last_report >= 60:
            last_report = time.time()
            ahead, active, blocked, failed = backlog(cr)
            B.say('  9a after %3.0f s: %d events answered; %d work orders ahead of their posting, %d active jobs'
                  % (time.time() - started, len(sent), ahead, active))
    for thread in threads:
        thread.join()
    load_s = time.time() - started
    load_cpu = cpu_since(server, cpu)
    ahead_at_end = backlog(cr)
    drained, state = wait_drained(cr, wait_cap(LAG_TARGET_S))
    watch.stop()
    end = now_db(cr)
    good = [s for s in sent if 'uid' in s]
    cr.execute('SELECT event_uid, extract(epoch from received_at) FROM mes_event WHERE event_uid = ANY(%s)',
               ([s['uid'] for s in good],))
    received = {uid: float(at) for uid, at in cr.fetchall()}
    lags, unposted, lags_answer = [], 0, []
    for s in good:
        committed = watch.committed(s['wo'], s['version'])
        if committed is None:
            unposted += 1
            committed = end   # a lower bound of its lag
        lags.append(max(0.0, committed - received[s['uid']]))
        lags_answer.append(max(0.0, committed - s['answered']))
    statuses = {}
    for s in good:
        statuses[s['status']] = statuses.get(s['status'], 0) + 1
    requests_s = [s['request_s'] for s in good]
    stats = job_stats(cr, after)
    peak = max((count for _at, count in watch.active), default=0)
    B.say('  9a load: %d terminals for %.0f s: %d events answered (%.1f/s), %s, %d failed; request p50 %.0f ms, '
          'p95 %.0f ms' % (PLANT_TERMINALS, load_s, len(good), len(good) / load_s, statuses,
                           len(sent) - len(good), 1000 * B.percentile(requests_s, 50),
                           1000 * B.percentile(requests_s, 95)))
    B.say('  9a CPU during the load: Odoo %.0f s, PostgreSQL %.0f s (of %.0f s x %d cores)'
          % (load_cpu[0], load_cpu[1], load_s, os.cpu_count()))
    B.say('  9a at the end of the load: %d work orders ahead of their posting, %d active jobs (at most %d queued at '
          'once); drained %s' % (ahead_at_end[0], ahead_at_end[1], peak,
                                 '%.0f s later' % drained if drained is not None else
                                 'NOT within %.0f s: %s ahead, %s active, %s blocked, %s failed jobs'
                                 % ((wait_cap(LAG_TARGET_S),) + tuple(state))))
    B.say('  9a %s' % describe_jobs(stats))
    B.say('  9a lag received → posting committed over %d events: p50 %.1f s, p95 %.1f s, p99 %.1f s, max %.1f s%s; '
          'from the answer: p95 %.1f s (poll every %.2f s)' % (
              len(lags), B.percentile(lags, 50), B.percentile(lags, 95), B.percentile(lags, 99), max(lags),
              '; %d never posted (counted to the end of the wait)' % unposted if unposted else '',
              B.percentile(lags_answer, 95), POLL_S))
    minutes = [0.0] * (int(load_s // 60) + 1)
    counts = [0] * len(minutes)
    for s, lag in zip(good, lags):
        bucket = min(len(minutes) - 1, int((s['answered'] - started) // 60))
        minutes[bucket] = max(minutes[bucket], lag)
        counts[bucket] += 1
    B.say('  9a largest lag of the events sent in each minute: %s'
          % ', '.join('%.0f s' % m for m, c in zip(minutes, counts) if c))
    p95 = B.percentile(lags, 95)
    B.figure('9a', 'ledger lag (event received -> its posting committed), p95; %d terminals, one event / %.0f s each, '
                   '%d open orders, %.1f min' % (PLANT_TERMINALS, PERIOD_S, len(wos), load_s / 60.0),
             '%s%.1f s (p50 %.1f s, max %.1f s; %d events)' % ('>= ' if unposted else '', p95, B.percentile(lags, 50),
                                                              max(lags), len(lags)),
             '<= %.0f s over %d min' % (LAG_TARGET_S, PLANT_FULL_S // 60),
             p95 <= LAG_TARGET_S and not unposted and load_s >= PLANT_FULL_S and not statuses.get('rejected'))
    return drained is not None


# -- 9b: the replay burst -----------------------------------------------------------------------------
def burst_queues(floor, extra):
    each = BURST // BURST_TERMINALS
    rounds = -(-each // BURST_ORDERS_EACH)
    queues = []
    base = PLANT_TERMINALS * PLANT_ORDERS_EACH
    for k in range(BURST_TERMINALS):
        wos = floor['workorder_ids'][base + k * BURST_ORDERS_EACH:base + (k + 1) * BURST_ORDERS_EACH]
        first = PLANT_TERMINALS + k * BURST_ORDERS_EACH
        badges = extra['badges'][first:first + BURST_ORDERS_EACH]   # one operator per order
        stream = B.FloorStream(wos, badges, batches=rounds, batch=BURST_ORDERS_EACH, seed=200 + k)
        events = []
        while len(events) < each:
            events.extend(stream.next_batch())
        events = events[:each]
        queues.append({'token': extra['tokens'][PLANT_TERMINALS - 1 - k], 'wos': wos,
                       'batches': [events[i:i + BATCH] for i in range(0, len(events), BATCH)]})
    return queues


def burst_terminal(server, q, statuses, times, lock, barrier):
    session = requests.Session()
    barrier.wait()
    for batch in q['batches']:
        results = server.post_events(session, q['token'], batch)
        with lock:
            B.count_statuses(results, statuses)
    with lock:
        times.append(time.time())


def run_burst(server, floor, extra, cr):
    queues = burst_queues(floor, extra)
    sent = sum(len(b) for q in queues for b in q['batches'])
    statuses, times, lock = {}, [], threading.Lock()
    barrier = threading.Barrier(BURST_TERMINALS + 1)
    threads = [threading.Thread(target=burst_terminal, args=(server, q, statuses, times, lock, barrier))
               for q in queues]
    for thread in threads:
        thread.start()
    after = last_job(cr)
    cpu = B.cpu_seconds(server)
    first = now_db(cr)
    started = time.time()
    barrier.wait()
    for thread in threads:
        thread.join()
    sent_s = max(times) - started
    cap = wait_cap(DRAIN_TARGET_S)
    drained, state = wait_drained(cr, cap, since=first)
    total_s = now_db(cr) - first
    cpu = cpu_since(server, cpu)
    stats = job_stats(cr, after)
    B.say('  9b burst: %d events from %d terminals in batches of %d over %d orders, answered in %.1f s '
          '(%.0f events/s), %s' % (sent, BURST_TERMINALS, BATCH, BURST_TERMINALS * BURST_ORDERS_EACH, sent_s,
                                   sent / sent_s, statuses))
    B.say('  9b %s' % describe_jobs(stats))
    B.say('  9b CPU from the first send to the end: Odoo %.0f s, PostgreSQL %.0f s (of %.0f s x %d cores)'
          % (cpu[0], cpu[1], total_s, os.cpu_count()))
    if drained is None:
        count, done, _failed, run_avg = stats[:4]
        B.say('  9b NOT drained after %.0f s: %d work orders ahead of their posting, %d active jobs, %d blocked '
              'postings, %d failed jobs; at %.1f s a job, the %d jobs left need about %.0f s more of one slot'
              % ((total_s,) + tuple(state) + (run_avg or 0, count - done, (count - done) * (run_avg or 0))))
    met = drained is not None and drained <= DRAIN_TARGET_S and sent >= BURST_FULL and not statuses.get('rejected')
    B.figure('9b', 'posting queue drained after a %d-event replay burst (%d terminals, batches of %d, %d orders), '
                   'from the first send' % (sent, BURST_TERMINALS, BATCH, BURST_TERMINALS * BURST_ORDERS_EACH),
             ('%.0f s (sent in %.0f s, drained %.0f s after the last answer)' % (drained, sent_s, drained - sent_s))
             if drained is not None else '> %.0f s (not drained, %d orders left)' % (total_s, state[0]),
             '<= %.0f s over %d events' % (DRAIN_TARGET_S, BURST_FULL), met)


def main():
    workers = B.production_workers()
    B.say('## 9. The posting stage: ledger lag, queue drain, a whole order\'s life (a server as in production: '
          '%d workers, queue_job runner, postings in the channels production_conf.py writes)' % workers)
    db, floor = B.floor_copy('ledger')
    started = time.time()
    extra = prepare(db, floor)
    extra['workcenter_id'] = floor['workcenter_ids'][0]
    B.say('  set-up: %d terminals, %d operators (%.0f s)' % (len(extra['tokens']), len(extra['badges']),
                                                           time.time() - started))
    server = B.posting_server(db, name='ledger', workers=workers).start()
    B.say('  server: --workers=%d --load=web,queue_job, channels %s, no cron thread' % (workers, server.channels))
    connection = B.pg_connect(db)
    cr = connection.cursor()

    B.say('### 9c. A whole order\'s life, %d lives each way (rounds alternate the paths)' % LIVES)
    lives = run_lives(server, floor, extra, cr)
    B.say('### 9a. Ledger lag at plant load: %d terminals, one event every %.0f s each, %d open orders, %.0f s'
          % (PLANT_TERMINALS, PERIOD_S, PLANT_TERMINALS * PLANT_ORDERS_EACH, PLANT_S))
    drained = run_plant(server, db, floor, extra, cr)
    if not drained:
        B.say('  (the plant\'s backlog was still posting when 9b began: 9b waits for it too)')
    B.say('### 9b. Queue drained after a %d-event replay burst' % BURST)
    run_burst(server, floor, extra, cr)

    errors = server.errors_in_log()
    if errors:
        B.say('  server log errors (%d), first: %s' % (len(errors), errors[0][:300]))
    cr.close()
    connection.close()
    server.stop()

    ratios = [o['total'] / n['total'] for o, n in zip(lives['online'], lives['native'])]
    ratios_batch = [b['total'] / n['total'] for b, n in zip(lives['batch'], lives['native'])]
    median = statistics.median(ratios)
    clean = all(o['state'] == 'done' and not o['blocked'] and not o['statuses'].get('rejected')
                for o in lives['online'] + lives['batch'])
    B.say('  9c ours ÷ native per life, one event per request: %s; in one batch: %s'
          % (B.spread(ratios, '%.2f'), B.spread(ratios_batch, '%.2f')))
    B.figure('9c', 'a whole order\'s life (start, 20 produce, 2 scrap, downtime, stop, finish, close), ours '
                   '(recording + postings + close, one event per request) / native buttons, server time, median of %d'
             % LIVES,
             '%.2f (ours %.1f s: record %.1f + postings %.1f + close %.1f; native %.1f s; in one batch %.2f)' % (
                 median, statistics.median(o['total'] for o in lives['online']),
                 statistics.median(o['record'] for o in lives['online']),
                 statistics.median(o['posting'] for o in lives['online']),
                 statistics.median(o['close'] for o in lives['online']),
                 statistics.median(n['total'] for n in lives['native']), statistics.median(ratios_batch)),
             '<= %.1f' % RATIO_TARGET, median <= RATIO_TARGET and clean)
    B.say('  9d (SQL statements per posting of one order with 20 new events) is figure 2c of bench_queries.py')


if __name__ == '__main__':
    main()
