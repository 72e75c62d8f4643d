"""kill -9 of the Odoo server while posting jobs run: every fact the terminals recorded reaches
Odoo's stock, labor logs, scrap and ledger exactly once. Nothing lost, nothing doubled.

The server under test runs queue_job's runner (``server_wide_modules = web,queue_job`` and the
``[queue_job]`` channels of the generated configuration: postings one at a time on
``root.mes_posting``); no cron runs and nothing is posted inline, so every posting is made by a
job. A terminal reports a realistic shift over ``FAULT_POSTING_ORDERS`` orders (operators start
and stop, produce with the components backflushed, scrap, machine downtime; every other order is
finished, one operator still on it), sent in ``FAULT_POSTING_KILLS + 1`` rounds of small
batches. After each round the test waits for a posting job to be running (``started`` in
``queue_job``), lets it run a random part of a typical posting, and kills the server with
SIGKILL, then restarts it. After the last round the queue must drain by itself: every job done
and every work order's posted version equal to its recorded one, with no posting error.

Then, in SQL, per order, against what the terminal sent: finished goods moved to stock = the good
quantity recorded at the last (here the only) operation; components consumed = (good + scrapped)
x the BOM ratio; labor logs = the recorded intervals; downtime records = the recorded downtime;
scrap records = the recorded scrap; the journal: each valued stock move in one entry (a posting
gathers an order's items in one entry; each item names its stock move), one scrap expense per scrap,
WIP by element equal to what the quantities and the time cost, the cost sheet (mes.cost.line)
equal to the journal items, and the WIP account's balance equal to the open orders' WIP.

A job left ``started`` or ``enqueued`` by the killed server must run again: queue_job's runner
counts it as running after the restart, so its channel (capacity 1) would never run another
posting. The server gives such jobs back at start (``mes.execution._mes_requeue_stale_postings``);
the test waits ``FAULT_POSTING_STALL_SECONDS`` for each to move, else it counts it "stuck",
requeues it the way queue_job's documentation says (so that the rest can still be measured) and
fails at the end.

Size: ``FAULT_POSTING_ORDERS`` (4 in ``make test``, 20 in ``make faults``) and
``FAULT_POSTING_KILLS`` (3 and 10); ``FAULT_POSTING_BATCH`` events per request (5),
``FAULT_SEED``.
"""
import json
import random
import time
from datetime import datetime, timedelta

import psycopg2

from . import support

ORDERS = support.env_int('FAULT_POSTING_ORDERS', 4)
KILLS = support.env_int('FAULT_POSTING_KILLS', 3)
BATCH = support.env_int('FAULT_POSTING_BATCH', 5)
STALL_SECONDS = support.env_int('FAULT_POSTING_STALL_SECONDS', 20)
DRAIN_SECONDS = support.env_int('FAULT_POSTING_DRAIN_SECONDS', 900)
OPERATORS = 3
ORDER_QTY = 60
SEED = support.env_int('FAULT_SEED', 0) or random.randrange(1, 10 ** 6)
IDENTITY_PREFIX = 'shopfloor_mes.posting:'
CENT = 0.015   # money compared to the cent (each books day's target is rounded on its own)


# -- the shift: what the terminal reports, and what it adds up to ------------------------------

def order_script(rng, finish):
    """One order's events in its own time: [(seconds, type, operator, data)]. Two or three
    sessions of one or two operators; produce, scrap and downtime between; every operator stops,
    except on a finished order, where one is still on it at the finish."""
    steps, t, made = [], rng.randint(0, 120), 0
    sessions = rng.randint(2, 3)
    for session in range(sessions):
        crew = rng.sample(range(OPERATORS), rng.choice([1, 1, 2]))
        for operator in crew:
            t += rng.randint(5, 40)
            steps.append((t, 'start', operator, {}))
        for _ in range(rng.randint(3, 6)):
            t += rng.randint(20, 120)
            pick = rng.random()
            if pick < 0.7 and made < ORDER_QTY - 3:
                qty = rng.choice([1, 2, 3, 0.5])
                made += qty
                steps.append((t, 'produce', crew[0], {'qty': qty}))
            elif pick < 0.85 and made < ORDER_QTY - 3:
                made += 1
                steps.append((t, 'scrap', crew[-1], {'qty': 1, 'reason': 'SCRAP'}))
            else:
                steps.append((t, 'downtime_start', crew[0], {'reason': 'DOWN'}))
                t += rng.randint(30, 180)
                steps.append((t, 'downtime_end', crew[0], {}))
        last = session == sessions - 1
        for index, operator in enumerate(crew):
            if last and finish and index == len(crew) - 1:
                continue   # the finish closes this one
            t += rng.randint(5, 40)
            steps.append((t, 'stop', operator, {}))
        t += rng.randint(60, 600)
    if finish:
        t += rng.randint(5, 40)
        steps.append((t, 'finish', 0, {}))
    return steps


def second(moment):
    """As Odoo stores a datetime, to the second, in the text Odoo's cursor reads (importing
    Odoo makes psycopg2 read timestamps as text, this test's connection too)."""
    return stamp(moment.replace(microsecond=0))


def stamp(value):
    return str(value)[:19] if value else None


class Expected:
    """What one order's events add up to."""

    def __init__(self, steps, start, badges):
        self.good = self.scrap = 0.0
        self.labor, self.down = set(), set()   # (badge, start, stop) / (start, end)
        self.finished = False
        running, down_since = {}, None
        for seconds, kind, operator, data in steps:
            at = second(start + timedelta(seconds=seconds, milliseconds=500))
            if kind == 'start':
                running[operator] = at
            elif kind == 'stop':
                self.labor.add((badges[operator], running.pop(operator), at))
            elif kind == 'produce':
                self.good += data['qty']
            elif kind == 'scrap':
                self.scrap += data['qty']
            elif kind == 'downtime_start':
                down_since = at
            elif kind == 'downtime_end':
                self.down.add((down_since, at))
            elif kind == 'finish':
                for operator, since in running.items():
                    self.labor.add((badges[operator], since, at))
                running.clear()
                self.finished = True
        assert not running, 'the script leaves an operator on an unfinished order'


def make_events(plant, rng, start_offset):
    """All orders' events in true time order, as contract v1 events; and what each order adds
    up to."""
    scripts = [order_script(rng, finish=index % 2 == 0) for index in range(len(plant.workorder_ids))]
    span = max(s[-1][0] for s in scripts)
    start = datetime.utcnow().replace(microsecond=0) - timedelta(seconds=span + start_offset)
    merged = sorted((seconds, order, n, kind, operator, data)
                    for order, steps in enumerate(scripts) for n, (seconds, kind, operator, data) in enumerate(steps))
    events = []
    for seq, (seconds, order, _n, kind, operator, data) in enumerate(merged, 1):
        data = dict(data)
        if 'reason' in data:
            data['reason'] = plant.scrap_reason if kind == 'scrap' else plant.down_reason
        events.append({'schema': 1, 'id': 'kp-%s-%06d' % (plant.tag, seq), 'seq': seq, 'type': kind,
                       'workorder_id': plant.workorder_ids[order], 'employee': plant.badges[operator],
                       'at': support.iso(start + timedelta(seconds=seconds, milliseconds=500)), 'data': data})
    return events, [Expected(steps, start, plant.badges) for steps in scripts]


# -- the database, read directly -----------------------------------------------------------------

class Db:
    def __init__(self, server):
        pg = support.Postgres.from_odoo_conf()
        self.conn = psycopg2.connect(host=pg.host, port=pg.port, user=pg.user, password=pg.password,
                                     dbname=server.db)
        self.conn.autocommit = True

    def rows(self, query, args=None):
        with self.conn.cursor() as cr:
            cr.execute(query, args)
            return cr.fetchall() if cr.description else []

    def value(self, query, args=None):
        rows = self.rows(query, args)
        value = rows[0][0] if rows else None
        return float(value) if value is not None and not isinstance(value, (str, bool, datetime)) else value

    def close(self):
        self.conn.close()


class Queue:
    """The posting jobs of the plant's orders."""

    def __init__(self, db, plant):
        self.db = db
        self.keys = [IDENTITY_PREFIX + str(p) for p in plant.production_ids]
        self.workorder_ids = plant.workorder_ids

    def jobs(self, states):
        return self.db.rows("""SELECT uuid, state, date_enqueued, date_started FROM queue_job
                               WHERE identity_key = ANY(%s) AND state = ANY(%s) ORDER BY id""",
                            (self.keys, list(states)))

    def state_of(self, uuid):
        return self.db.value("SELECT state FROM queue_job WHERE uuid = %s", (uuid,))

    def counts(self):
        return dict(self.db.rows("SELECT state, count(*) FROM queue_job WHERE identity_key = ANY(%s) GROUP BY 1",
                                 (self.keys,)))

    def unposted(self):
        """Work orders whose recorded version is not posted, or whose posting is blocked."""
        return self.db.rows("""SELECT x.workorder_id, x.version, coalesce(p.version, 0), p.error
                                 FROM mes_execution x LEFT JOIN mes_posting p ON p.execution_id = x.id
                                WHERE x.workorder_id = ANY(%s)
                                  AND (x.version != coalesce(p.version, 0) OR p.error IS NOT NULL)""",
                               (self.workorder_ids,))

    def drained(self):
        return not self.jobs(('pending', 'enqueued', 'started')) and not self.unposted()


class Killer:
    """Kills the server while a posting job runs, brings it back, and sees what the runner does
    with the jobs the dead server left running."""

    def __init__(self, server, queue, rng):
        self.server, self.queue, self.rng = server, queue, rng
        self.kills = self.mid_posting = self.restarts = 0
        self.stuck = self.requeued = self.waiting_behind = 0
        self.durations = []   # seconds a posting job was seen running
        self.restart_seconds = []

    def typical(self):
        recent = sorted(self.durations[-10:]) or [1.0]
        return recent[len(recent) // 2]

    def kill_during_posting(self, skip, timeout=180):
        """Let ``skip`` postings finish, then kill the server at a random moment of the next
        one. Returns whether it was killed while a job ran."""
        seen, deadline, idle_since = {}, time.time() + timeout, None
        while time.time() < deadline:
            running = self.queue.jobs(('started',))
            now = time.time()
            if running or self.queue.jobs(('pending', 'enqueued')):
                idle_since = None
            elif idle_since is None:
                idle_since = now
            elif now - idle_since > 5:
                break   # every posting of this round is made already
            for uuid in list(seen):
                if uuid not in {r[0] for r in running} and seen[uuid]:
                    self.durations.append(now - seen[uuid])
                    seen[uuid] = None
            for uuid, *_rest in running:
                seen.setdefault(uuid, now)
            target = next((r[0] for r in running if len(seen) > skip), None)
            if target:
                time.sleep(self.rng.uniform(0.0, 1.2 * self.typical()))
                if self.queue.state_of(target) == 'started':
                    self.server.kill9()
                    self.kills += 1
                    if self.queue.state_of(target) == 'started':
                        self.mid_posting += 1   # its transaction never committed
                    return True
                seen[target] = None   # it finished meanwhile: the next one
            time.sleep(0.05)
        # no posting to interrupt (the queue drained): kill it anyway
        self.server.kill9()
        self.kills += 1
        return False

    def restart(self):
        left = {r[0]: r for r in self.queue.jobs(('started', 'enqueued'))}
        began = time.time()
        self.server.restart()
        self.restarts += 1
        self.restart_seconds.append(time.time() - began)
        if not left:
            return
        # The runner starts a few seconds after the server; a job the dead server left running
        # must be run again (or be over) within the stall window, or its channel stays full.
        deadline = time.time() + STALL_SECONDS
        while time.time() < deadline:
            now = {r[0]: r for r in self.queue.jobs(('started', 'enqueued'))}
            if all(uuid not in now or now[uuid][2:] != row[2:] for uuid, row in left.items()):
                return
            time.sleep(0.5)
        now = {r[0]: r for r in self.queue.jobs(('started', 'enqueued'))}
        stuck = [uuid for uuid, row in left.items() if uuid in now and now[uuid][2:] == row[2:]]
        self.stuck += len(stuck)
        self.waiting_behind = max(self.waiting_behind, len(self.queue.jobs(('pending',))) if stuck else 0)
        # queue_job's README: "update queue_job set state='pending' where state in ('started',
        # 'enqueued')" by hand; done here so that the rest of the run can be measured
        self.queue.db.rows("""UPDATE queue_job SET state = 'pending', date_enqueued = NULL, date_started = NULL
                              WHERE uuid = ANY(%s) AND state IN ('started', 'enqueued')""", (stuck,))
        self.requeued += len(stuck)


# -- the test ------------------------------------------------------------------------------------

def test_kill_9_during_postings_loses_and_doubles_nothing(fault_server):
    rng = random.Random(SEED)
    began = time.time()
    server = fault_server('kill9post')
    plant = support.Plant(server, orders=ORDERS, operators=OPERATORS, order_qty=ORDER_QTY)
    events, expected = make_events(plant, rng, start_offset=3600)
    chunks = support.batches(events, BATCH)
    rounds = [chunks[i * len(chunks) // (KILLS + 1):(i + 1) * len(chunks) // (KILLS + 1)] for i in range(KILLS + 1)]
    db = Db(server)
    try:
        queue = Queue(db, plant)
        killer = Killer(server, queue, rng)

        def on_connection_error(_exc):
            if not server.alive():
                killer.restart()
            else:
                time.sleep(0.2)
        client = support.TerminalClient(server, plant.token, on_connection_error=on_connection_error,
                                        max_seconds=900)
        for index, chunk_list in enumerate(rounds):
            for chunk in chunk_list:
                client.send(chunk)
            if index < KILLS:
                killer.kill_during_posting(skip=rng.randint(0, 2))
                killer.restart()
        deadline, idle_since = time.time() + DRAIN_SECONDS, None
        while time.time() < deadline and not queue.drained():
            # without a job to run nothing moves any more (a posting that failed waits for a person)
            if queue.jobs(('pending', 'enqueued', 'started')):
                idle_since = None
            elif idle_since is None:
                idle_since = time.time()
            elif time.time() - idle_since > 15:
                break
            time.sleep(1.0)
        drained = queue.drained()
        jobs = queue.counts()
        unposted = queue.unposted()
        problems, lost, doubled = check_plant(db, plant, events, expected)
        if not drained:
            problems.insert(0, 'the posting queue did not drain (%d s at most): jobs %s, work orders not posted '
                               '(work order, recorded, posted, error) %s' % (DRAIN_SECONDS, jobs, unposted[:5]))
        if killer.stuck:
            problems.insert(0, '%d posting job(s) the killed server left started/enqueued were not run again by '
                               'the restarted runner in %d s: the channel root.mes_posting stays full (up to %d '
                               'pending job(s) waited behind); requeued by hand to measure the rest' % (
                                   killer.stuck, STALL_SECONDS, killer.waiting_behind))
        print(support.figures(
            'kill -9 during postings', cases=len(events), orders=ORDERS, jobs_done=jobs.get('done', 0),
            jobs_failed=jobs.get('failed', 0), faults_injected=killer.kills, killed_mid_posting=killer.mid_posting,
            restarts=killer.restarts,
            restart_seconds=round(sum(killer.restart_seconds) / max(1, len(killer.restart_seconds)), 1),
            jobs_stuck_after_restart=killer.stuck, drained=drained, lost=lost, doubled=doubled,
            seed=SEED, seconds=int(time.time() - began)))
    finally:
        db.close()
    assert killer.kills == KILLS, 'not every planned kill happened'
    assert not client.stats.bad, client.stats.bad[:5]
    assert not problems, '\n'.join(problems[:40])
    assert (lost, doubled) == (0, 0)


def check_plant(db, plant, events, expected):
    """Everything posted against what the terminal sent: (problems, lost, doubled). Lost and
    doubled count (order, what) cases short of or above the facts."""
    problems, counts = [], {'lost': 0, 'doubled': 0}

    def compare(order, what, posted, wanted, tolerance=1e-6):
        if abs(posted - wanted) > tolerance:
            counts['lost' if posted < wanted else 'doubled'] += 1
            problems.append('order %d: %s posted %s, recorded %s' % (order, what, round(posted, 4), round(wanted, 4)))

    applied = dict(db.rows("SELECT event_uid, state FROM mes_event WHERE event_uid = ANY(%s)",
                           ([e['id'] for e in events],)))
    not_applied = [(e['id'], applied.get(e['id'])) for e in events if applied.get(e['id']) != 'applied']
    if not_applied:
        counts['lost'] += len(not_applied)
        problems.append('events not recorded as applied: %s' % not_applied[:5])
    ratios = {plant.components[0]: 3.0, plant.components[1]: 8.0}
    prices = {plant.product_id: 30.0, plant.components[0]: 4.0, plant.components[1]: 0.1}
    wip, scrap_account = db.rows("SELECT mes_wip_account_id, mes_scrap_account_id FROM res_company "
                                 "WHERE mes_wip_account_id IS NOT NULL LIMIT 1")[0]
    for order, (production, wo, want) in enumerate(zip(plant.production_ids, plant.workorder_ids, expected)):
        # the record stage first: what the posting reads
        good, scrap, state_json = db.rows("SELECT good_qty, scrap_qty, state_json FROM mes_execution "
                                          "WHERE workorder_id = %s", (wo,))[0]
        compare(order, 'recorded good quantity', good, want.good)
        compare(order, 'recorded scrap', scrap, want.scrap)
        recorded_labor = {(i[0], stamp(i[1]), stamp(i[2])) for i in json.loads(state_json)['labor']}
        sent_labor = want.labor
        if recorded_labor != sent_labor:
            problems.append('order %d: recorded labor %s != sent %s' % (order, sorted(recorded_labor - sent_labor),
                                                                        sorted(sent_labor - recorded_labor)))
        # finished goods: the good quantity at the last operation, once
        finished = db.value("""SELECT coalesce(sum(m.product_qty), 0) FROM stock_move m
                                JOIN stock_location d ON d.id = m.location_dest_id
                               WHERE m.production_id = %s AND m.product_id = %s AND m.state = 'done'
                                 AND NOT coalesce(d.scrap_location, false)""", (production, plant.product_id))
        compare(order, 'finished goods moved to stock', finished, want.good)
        for event_id, count in db.rows("""SELECT mes_event_id, count(*) FROM stock_move WHERE production_id = %s
                                            AND mes_consumption = 'finished' AND state = 'done'
                                          GROUP BY 1 HAVING count(*) > 1""", (production,)):
            counts['doubled'] += 1
            problems.append('order %d: %d finished-goods moves for event %s' % (order, count, event_id))
        # components: backflushed at the BOM ratio for every unit made or scrapped at the operation
        for component, ratio in ratios.items():
            consumed = db.value("""SELECT coalesce(sum(product_qty), 0) FROM stock_move
                                    WHERE raw_material_production_id = %s AND product_id = %s AND state = 'done'""",
                                (production, component))
            returned = db.value("""SELECT coalesce(sum(product_qty), 0) FROM stock_move
                                    WHERE mes_production_id = %s AND product_id = %s AND state = 'done'""",
                                (production, component))
            compare(order, 'component %d consumed' % component, consumed - returned, (want.good + want.scrap) * ratio)
        # scrap of the part: one done scrap, for the recorded quantity
        scrapped, scraps = db.rows("""SELECT coalesce(sum(scrap_qty), 0), count(*) FROM stock_scrap
                                       WHERE production_id = %s AND state = 'done'""", (production,))[0]
        compare(order, 'scrap', float(scrapped), want.scrap)
        # labor logs: the recorded intervals, one log each
        logs = db.rows("""SELECT emp.barcode, l.date_start, l.date_stop, l.start_event_id FROM mes_labor_log l
                            JOIN hr_employee emp ON emp.id = l.employee_id WHERE l.workorder_id = %s""", (wo,))
        posted_labor = [(badge, stamp(start), stamp(stop)) for badge, start, stop, _e in logs]
        if len({e for *_r, e in logs}) != len(logs):
            counts['doubled'] += 1
            problems.append('order %d: two labor logs for one start event' % order)
        compare(order, 'labor logs', len(posted_labor), len(want.labor))
        if set(posted_labor) != want.labor:
            problems.append('order %d: labor logs %s != recorded %s' % (
                order, sorted(set(posted_labor) - want.labor), sorted(want.labor - set(posted_labor))))
        downs = [(stamp(a), stamp(b)) for a, b in db.rows("""SELECT date_start, date_end
                            FROM mrp_workcenter_productivity
                            WHERE workorder_id = %s AND mes_reason_id IS NOT NULL""", (wo,))]
        compare(order, 'downtime records', len(downs), len(want.down))
        if set(downs) != want.down:
            problems.append('order %d: downtime %s != recorded %s' % (order, sorted(downs), sorted(want.down)))
        wo_state = db.value("SELECT state FROM mrp_workorder WHERE id = %s", (wo,))
        if (wo_state == 'done') != want.finished:
            problems.append('order %d: work order %s, finished recorded: %s' % (order, wo_state, want.finished))
        # the journal: each valued stock move in one entry (a posting's items name their stock
        # move), and one scrap expense per scrap, none twice
        for move_id, count in db.rows("""SELECT l.mes_stock_move_id, count(DISTINCT l.move_id) FROM account_move_line l
                                           JOIN stock_move m ON m.id = l.mes_stock_move_id
                                          WHERE %s IN (m.production_id, m.raw_material_production_id,
                                                       m.mes_production_id)
                                          GROUP BY 1 HAVING count(DISTINCT l.move_id) > 1""", (production,)):
            counts['doubled'] += 1
            problems.append('order %d: %d journal entries for stock move %d' % (order, count, move_id))
        unvalued = db.value("""SELECT count(*) FROM stock_move m JOIN product_product p ON p.id = m.product_id
                                WHERE %s IN (m.production_id, m.raw_material_production_id) AND m.state = 'done'
                                  AND m.product_id = ANY(%s) AND NOT coalesce(m.scrapped, false)
                                  AND NOT EXISTS (SELECT 1 FROM account_move_line l
                                                   WHERE l.mes_stock_move_id = m.id)""",
                             (production, [plant.product_id] + plant.components))
        if unvalued:
            counts['lost'] += 1
            problems.append('order %d: %d done stock moves without a journal entry' % (order, unvalued))
        scrap_entries = db.value("""SELECT count(*) FROM account_move_line l JOIN account_move am ON am.id = l.move_id
                                     JOIN mrp_production mo ON mo.id = l.mes_production_id
                                    WHERE mo.id = %s AND am.state = 'posted' AND l.mes_cost_element = 'scrap'
                                      AND l.debit > 0 AND l.name LIKE mo.name || ': %% scrapped at %%'""",
                                 (production,))
        compare(order, 'scrap entries', scrap_entries, scraps)
        # WIP by element: what the quantities and the time cost, and the cost sheet equal to it
        by_element = dict(db.rows("""SELECT mes_cost_element, sum(debit - credit) FROM account_move_line
                                      WHERE mes_production_id = %s AND account_id = %s GROUP BY 1""",
                                  (production, wip)))
        by_element = {k: float(v) for k, v in by_element.items()}
        material = (want.good + want.scrap) * sum(ratios[c] * prices[c] for c in ratios)
        compare(order, 'WIP material', by_element.get('material', 0.0), material, CENT)
        compare(order, 'WIP finished goods (credit)', -by_element.get('finished', 0.0),
                want.good * prices[plant.product_id], CENT)
        labor = db.value("""SELECT coalesce(sum(charged_minutes::numeric / 60 * hourly_rate::numeric), 0)
                              FROM mes_labor_log WHERE workorder_id = %s AND date_stop IS NOT NULL""", (wo,))
        compare(order, 'WIP labor absorbed', by_element.get('labor', 0.0), labor, CENT)
        machine = db.value("""SELECT coalesce(sum(extract(epoch FROM date_end - date_start) / 3600.0
                                                  * mes_hourly_rate), 0)
                                FROM mrp_workcenter_productivity WHERE workorder_id = %s AND mes_machine_time
                                 AND date_end IS NOT NULL""", (wo,))
        compare(order, 'WIP machine absorbed', by_element.get('machine', 0.0), machine, CENT)
        carried = db.rows("""SELECT coalesce(sum(mes_std_material), 0), coalesce(sum(mes_std_labor), 0),
                                    coalesce(sum(mes_std_machine), 0) FROM stock_scrap
                              WHERE production_id = %s AND state = 'done'""", (production,))[0]
        sheet = {k: float(v) for k, v in db.rows("SELECT element, actual FROM mes_cost_line WHERE production_id = %s",
                                                 (production,))}
        for element, out in zip(('material', 'labor', 'machine'), carried):
            compare(order, 'cost sheet %s (actual)' % element, sheet.get(element, 0.0),
                    by_element.get(element, 0.0) - float(out), CENT)
        scrap_cost = db.value("""SELECT coalesce(sum(debit - credit), 0) FROM account_move_line
                                  WHERE mes_production_id = %s AND account_id = %s""", (production, scrap_account))
        compare(order, 'cost sheet scrap (actual)', sheet.get('scrap', 0.0), scrap_cost, CENT)
        compare(order, 'WIP scrapped units carried out (credit)', -by_element.get('scrap', 0.0),
                float(sum(carried)), CENT)
    # the WIP account: the open orders' WIP, nothing else
    total = db.value("SELECT coalesce(sum(debit - credit), 0) FROM account_move_line WHERE account_id = %s", (wip,))
    open_orders = db.value("""SELECT coalesce(sum(l.debit - l.credit), 0) FROM account_move_line l
                                JOIN mrp_production mo ON mo.id = l.mes_production_id
                               WHERE l.account_id = %s AND mo.state != 'done'""", (wip,))
    if abs(total - open_orders) > CENT:
        problems.append('GL WIP %.2f != open orders\' WIP %.2f' % (total, open_orders))
    return problems, counts['lost'], counts['doubled']
