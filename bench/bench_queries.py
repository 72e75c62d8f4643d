"""2. SQL statements per event on the record path, and per posting. Deterministic: counted from
Odoo's cursor (``Cursor.sql_log_count``), in-process on a copy of the bench floor, each request's
work in a transaction of its own as the API route runs it.

The route (controllers/api.py) records in one READ COMMITTED transaction: the terminal lookup by
token, ``mes.event._record_batch`` and, in the default posting mode (``shopfloor_mes.posting`` =
queue), one posting job per manufacturing order queued in that same transaction
(``mes.execution._enqueue_posting``). The job (queue_job's runner) posts the order
(``mes.execution._post``) in a transaction of its own; here the posting runs right after each
record and the queued jobs are then marked done, as the runner would leave them. Measured on the
issue's start/produce/stop mix (1/4 start, 1/2 produce, 1/4 stop), on work orders that already
went through one start, produce, stop cycle (the one-off first start of an order is not counted):

- 2a: the record transaction per event, one event per request: 25 work orders each go round
  start, produce, produce, stop, one event per request (100 requests), each posted afterwards,
  not counted (issue 17: <= 6);
- 2b: the record transaction per event, batches of 100: 100 work orders out of phase, 4
  batches, each event of a batch on its own work order (issue 17: <= 1.5);
- 2c: one posting (``executions._post()``) of one manufacturing order with 20 new events
  (5 x start, produce, produce, stop, recorded in one batch), on 3 orders (issue 18: <= 400).

2a and 2b also print the part without the queued job (lookup + ``_record_batch``). For each of
the three, the lines of the addon that cause most statements (the innermost frame of
shopfloor_mes on the stack, as bench/trace_queries.py charges them).

Then, for comparison with the figures before the record path (bench/RESULTS.md), the combined
path ``mes.event._ingest`` (record + post in one transaction) per event type, in batches of 100
events of one type, as this script measured it before."""
import os
import re
import sys
import time
import traceback
from collections import Counter
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B

TARGET_SINGLE = 6.0      # issue 17, one event per request (mix)
TARGET_BATCH = 1.5       # issue 17, batches of 100 (mix)
TARGET_POSTING = 400     # issue 18, one posting of one order with 20 new events
N = 100
SINGLE_WOS = 25          # 2a: 25 work orders x 4 events, one per request
POSTING_ORDERS = 3       # 2c: orders posted
POSTING_CYCLES = 5       # 2c: 5 x (start, produce, produce, stop) = 20 events
TOP = 5
CYCLE = B.CYCLE          # start, produce, produce, stop

_log = []
_charged = Counter()
_trace = [False]


def posting_mode(env):
    """As controllers/api.py reads it: 'queue' (default) or 'inline'."""
    return env['ir.config_parameter'].sudo().get_param('shopfloor_mes.posting', 'queue')


def _install_query_log(odoo):
    """Record every query text the cursor runs (counting itself comes from
    Cursor.sql_log_count); while ``_trace`` is armed, charge each to the addon line causing it."""
    cursor_class = odoo.sql_db.Cursor
    original = cursor_class.execute

    def execute(self, query, params=None, log_exceptions=None):
        _log.append(query.decode('utf-8', 'replace') if isinstance(query, bytes) else str(query))
        if _trace[0]:
            _charged[_where()] += 1
        return original(self, query, params, log_exceptions)
    cursor_class.execute = execute


def _where():
    frames = [f for f in traceback.extract_stack()[:-2] if 'shopfloor_mes' in f.filename
              and '/bench/' not in f.filename]
    if not frames:
        return '(outside the addon)'
    return '%s:%d %s' % (os.path.basename(frames[-1].filename), frames[-1].lineno, frames[-1].name)


class _Traced:
    """Charge the statements run inside to addon lines (into ``counter``)."""

    def __init__(self, counter):
        self.counter = counter

    def __enter__(self):
        _charged.clear()
        _trace[0] = True

    def __exit__(self, *exc):
        _trace[0] = False
        self.counter.update(_charged)
        _charged.clear()


def _shape(query):
    text = re.sub(r'\s+', ' ', query).strip()
    text = re.sub(r"'[^']*'", "'?'", text)
    text = re.sub(r'\b\d+\b', 'N', text)
    return text[:110]


class Runner:
    def __init__(self, db, floor):
        self.db, self.floor = db, floor
        self.seq = 0
        self.t0 = datetime.utcnow() - timedelta(hours=6)
        self.minute = 0

    def batch(self, etype, wos, data=None, types=None):
        """Events of ``etype`` (or ``types[i]``) on ``wos``, a minute after the previous batch."""
        self.minute += 1
        events = []
        for i, wo in enumerate(wos):
            self.seq += 1
            kind = types[i] if types else etype
            payload = (data(kind, wo) if callable(data) else data) or {}
            badge = self.floor['badges'][self.floor['workorder_ids'].index(wo) % len(self.floor['badges'])]
            events.append(B.event(kind, wo, badge, self.t0 + timedelta(minutes=self.minute, milliseconds=100 * i),
                                  self.seq, payload))
        return events

    def _transaction(self, serialized=True):
        odoo = B.odoo_module()
        return odoo.registry(self.db)._db.cursor(serialized=serialized)

    def send(self, events, token=None):
        """The combined path (record + post in one transaction, ``_ingest``) for one request:
        returns (queries, seconds, statuses, shapes). bench/trace_queries.py uses it too."""
        odoo = B.odoo_module()
        del _log[:]
        with odoo.api.Environment.manage(), self._transaction() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            before = cr.sql_log_count
            started = time.time()
            terminal = env['mes.terminal']._find_by_token(token or self.floor['tokens'][0])
            now = datetime.utcnow()
            results = env['mes.event']._ingest(terminal, events, now, now)
            cr.commit()
            seconds = time.time() - started
            queries = cr.sql_log_count - before
        statuses = B.count_statuses(results, {})
        return queries, seconds, statuses, Counter(_shape(q) for q in _log if not q.startswith('COMMIT'))

    def record(self, events, token=None, charge=None):
        """The record transaction as the route runs it: READ COMMITTED, the terminal lookup by
        token, ``_record_batch``, which in the default posting mode ('queue') queues the posting
        jobs in its last statement, commit. Returns (queries, queries before the commit, seconds,
        statuses, execution ids)."""
        odoo = B.odoo_module()
        with odoo.api.Environment.manage(), self._transaction(serialized=False) as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            # the route's posting mode is a system parameter, read once per worker process and
            # then cached (ormcache): a one-off, not part of a request's statements
            queue = posting_mode(env) == 'queue'
            with _Traced(charge) if charge is not None else _nothing():
                before = cr.sql_log_count
                started = time.time()
                terminal = env['mes.terminal']._find_by_token(token or self.floor['tokens'][0])
                now = datetime.utcnow()
                results, executions = env['mes.event']._record_batch(terminal, events, now, now, enqueue=queue)
                recorded = cr.sql_log_count - before
                cr.commit()
                seconds = time.time() - started
                queries = cr.sql_log_count - before
            ids = executions.ids
        return queries, recorded, seconds, B.count_statuses(results, {}), ids

    def post(self, execution_ids, charge=None):
        """The posting stage in a transaction of its own: ``executions._post()``. Returns
        (queries, seconds, posting errors)."""
        odoo = B.odoo_module()
        with odoo.api.Environment.manage(), self._transaction() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            executions = env['mes.execution'].browse(execution_ids)
            with _Traced(charge) if charge is not None else _nothing():
                before = cr.sql_log_count
                started = time.time()
                executions._post()
                cr.commit()
                seconds = time.time() - started
                queries = cr.sql_log_count - before
            errors = [e.posting_error for e in executions if e.posting_error]
            # the runner would have run the jobs the record queued: done now (not counted), so
            # the next record queues a new one as in production
            cr.execute("UPDATE queue_job SET state = 'done', date_done = now() at time zone 'UTC' "
                       "WHERE state IN ('pending', 'enqueued') AND model_name = 'mes.execution'")
            cr.commit()
        return queries, seconds, errors


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _add(into, statuses):
    for key, value in statuses.items():
        if isinstance(value, int):
            into[key] = into.get(key, 0) + value
        else:
            into.setdefault(key, value)
    return into


def _top(title, counter, total):
    shown = len(counter) if len(counter) <= 8 else TOP
    B.say('  where the statements of %s go (addon line that caused them; top %d of %d places):'
          % (title, shown, len(counter)))
    for where, count in counter.most_common(shown):
        B.say('    %6d  %6.2f per %s  %s' % (count, count / total[1], total[0], where))


def _mix_data(kind, _wo):
    return {'qty': 2} if kind == 'produce' else None


def measure_single(run, wos):
    """2a: one event per request, start/produce/produce/stop round 25 work orders."""
    queries = recorded = seconds = post_queries = post_seconds = 0
    statuses, by_type, charge, posting_errors = {}, Counter(), Counter(), []
    count = Counter()
    for etype in CYCLE:
        for wo in wos:
            events = run.batch(etype, [wo], _mix_data)
            q, r, s, st, ids = run.record(events, charge=charge)
            queries, recorded, seconds = queries + q, recorded + r, seconds + s
            by_type[etype] += q
            count[etype] += 1
            _add(statuses, st)
            pq, ps, errors = run.post(ids)
            post_queries, post_seconds = post_queries + pq, post_seconds + ps
            posting_errors += errors
    events = sum(count.values())
    B.say('  2a. one event per request: %d requests (%s), %s' % (
        events, ', '.join('%d %s' % (count[t], t) for t in ('start', 'produce', 'stop')), _statuses(statuses)))
    B.say('      record transaction (terminal lookup + _record_batch, posting job queued in its last statement): '
          '%d statements, %.2f per event (start %.1f, produce %.1f, stop %.1f); %.1f ms per request in-process '
          '(noisy)' % (queries, queries / events, by_type['start'] / count['start'],
                       by_type['produce'] / count['produce'], by_type['stop'] / count['stop'],
                       1000.0 * seconds / events))
    B.say('      posting each request afterwards, as the route does (not counted above): %.1f statements and '
          '%.0f ms per request%s' % (post_queries / events, 1000.0 * post_seconds / events,
                                     _errors(posting_errors)))
    _top('2a (record stage, one event per request)', charge, ('event', events))
    return queries / events, statuses.get('applied', 0) == events


def measure_batches(run, wos, batches=4):
    """2b: batches of 100 events, each on its own work order, the mix out of phase."""
    phase = {wo: i % len(CYCLE) for i, wo in enumerate(wos)}
    # every work order is stopped after the warm-up: those that begin past the start get theirs
    run.post(run.record(run.batch('start', [wo for wo in wos if phase[wo] != 0]))[4])
    queries = recorded = seconds = post_queries = post_seconds = events = 0
    statuses, charge, posting_errors, count = {}, Counter(), [], Counter()
    for _k in range(batches):
        types = [CYCLE[phase[wo]] for wo in wos]
        q, r, s, st, ids = run.record(run.batch(None, wos, _mix_data, types=types), charge=charge)
        queries, recorded, seconds, events = queries + q, recorded + r, seconds + s, events + len(wos)
        count.update(types)
        _add(statuses, st)
        pq, ps, errors = run.post(ids)
        post_queries, post_seconds = post_queries + pq, post_seconds + ps
        posting_errors += errors
        for wo in wos:
            phase[wo] = (phase[wo] + 1) % len(CYCLE)
    B.say('  2b. batches of %d: %d batches, %d events (%s), %s' % (
        len(wos), batches, events, ', '.join('%d %s' % (count[t], t) for t in ('start', 'produce', 'stop')),
        _statuses(statuses)))
    B.say('      record transaction (terminal lookup + _record_batch, posting jobs queued in its last statement): '
          '%d statements, %.2f per event; %.0f ms per batch in-process (noisy)'
          % (queries, queries / events, 1000.0 * seconds / batches))
    B.say('      posting each batch afterwards, as the route does (not counted above): %.0f statements and '
          '%.1f s per batch (%.1f per event)%s' % (post_queries / batches, post_seconds / batches,
                                                   post_queries / events, _errors(posting_errors)))
    _top('2b (record stage, batches of 100)', charge, ('event', events))
    return queries / events, statuses.get('applied', 0) == events


def measure_posting(run, wos):
    """2c: one posting of one order with 20 new events, for each of ``wos`` (one per order)."""
    counts, seconds, record_queries, charge, posting_errors, statuses = [], [], [], Counter(), [], {}
    for wo in wos:
        run.minute += 1
        events = []
        for _c in range(POSTING_CYCLES):
            for etype in CYCLE:
                events += run.batch(etype, [wo], _mix_data)
        q, _r, _s, st, ids = run.record(events)
        record_queries.append(q)
        _add(statuses, st)
        pq, ps, errors = run.post(ids, charge=charge)
        counts.append(pq)
        seconds.append(ps)
        posting_errors += errors
    per = POSTING_CYCLES * len(CYCLE)
    B.say('  2c. posting of one order with %d new events (%d x start, produce, produce, stop; recorded in one '
          'batch: %d statements), %d orders: %s' % (per, POSTING_CYCLES, record_queries[0], len(wos),
                                                    _statuses(statuses)))
    B.say('      executions._post(): %s statements (min / median / max); %s s in-process (noisy)%s' % (
        B.spread(counts, '%d'), B.spread(seconds, '%.2f'), _errors(posting_errors)))
    _top('2c (one posting of 20 events)', charge, ('posting', len(wos)))
    ok = statuses.get('applied', 0) == per * len(wos) and not posting_errors
    return sorted(counts)[len(counts) // 2], max(counts), ok


def _statuses(statuses):
    text = ', '.join('%s %d' % (k, v) for k, v in sorted(statuses.items()) if isinstance(v, int))
    if statuses.get('first_error'):
        text += '; first error: %s' % statuses['first_error'][:200]
    return text


def _errors(errors):
    return '; posting errors: %d, first: %s' % (len(errors), errors[0][:200]) if errors else ''


def combined_per_type(run, wos, mixed_wos, floor, scrap_reason):
    """The combined path (_ingest: record + post in one transaction), batches of 100 of one type."""
    component = floor['component_ids'][0]
    measured = [
        ('start', run.batch('start', wos)),
        ('produce', run.batch('produce', wos, {'qty': 2})),
        ('stop', run.batch('stop', wos)),
        ('scrap', run.batch('scrap', wos, {'qty': 1, 'reason': scrap_reason})),
        ('consume', run.batch('consume', wos, {'product_id': component, 'qty': 3})),
    ]
    rows = {}
    for etype, events in measured:
        rows[etype] = run.send(events)
    # the realistic mix of the throughput benchmark: 1/4 start, 1/2 produce, 1/4 stop
    types = [CYCLE[i % 4] for i in range(N)]
    # every mixed work order is stopped now: begin each with a start, then its phase
    run.send(run.batch('start', [w for i, w in enumerate(mixed_wos) if types[i] != 'start']))
    rows['mixed'] = run.send(run.batch(None, mixed_wos, lambda kind, wo: {'qty': 1} if kind == 'produce' else None,
                                       types=types))
    rows['finish'] = run.send(run.batch('finish', wos))
    B.say('  combined path for comparison (mes.event._ingest: record + post in one transaction), batches of %d '
          'of one type; before the record path (bench/RESULTS.md, 2026-12-03): start 46.8, produce 709.8, '
          'stop 100.3, scrap 696.9, consume 477.2, mixed 394.3, finish 34.8' % N)
    B.say('  %-8s %9s %8s %10s   %s' % ('type', 'queries', 'applied', 'per event', 'in-process time (noisy)'))
    for etype, (queries, seconds, statuses, _shapes) in rows.items():
        applied = statuses.get('applied', 0)
        B.say('  %-8s %9d %8d %10.1f   %.2f s%s' % (
            etype, queries, applied, queries / max(applied, 1), seconds,
            '' if applied == N else '   (not applied: %s)' % statuses))
        if applied != N and statuses.get('first_error'):
            B.say('           first error: %s' % statuses['first_error'][:300])
    for etype in ('start', 'produce', 'stop'):
        B.say('  most repeated query shapes in the combined %s batch (count x shape):' % etype)
        for shape, count in rows[etype][3].most_common(TOP):
            B.say('    %5d x %s' % (count, shape))
    per_type = [rows[t][0] / max(rows[t][2].get('applied', 0), 1) for t in ('start', 'produce', 'stop')]
    return per_type


def main():
    B.say('## 2. SQL statements per event: record stage (one per request, batches of %d) and posting; '
          'combined path by type (in-process, counted from the cursor)' % N)
    db, floor = B.floor_copy('queries')
    odoo = B.odoo_module()
    _install_query_log(odoo)
    run = Runner(db, floor)
    all_wos = floor['workorder_ids']
    wos = all_wos[:N]                                            # combined path, by type
    mixed_wos = all_wos[N:2 * N]                                 # combined path, the mix
    single_wos = all_wos[2 * N:2 * N + SINGLE_WOS]               # 2a
    batch_wos = all_wos[2 * N + SINGLE_WOS:3 * N + SINGLE_WOS]   # 2b
    posting_wos = all_wos[3 * N + SINGLE_WOS:3 * N + SINGLE_WOS + POSTING_ORDERS]   # 2c
    with B.odoo_env(db, commit=False) as env:
        scrap_reason = env['mes.reason'].search([('kind', '=', 'scrap'), ('is_category', '=', False)], limit=1).code
        productions = env['mrp.workorder'].browse(posting_wos).mapped('production_id')
        assert len(productions) == len(posting_wos) and all(len(p.workorder_ids) == 1 for p in productions), \
            'each order of 2c must have one work order'
    # warm-up, not counted: one cycle on every work order measured below, in batches of 100
    warm = wos + mixed_wos + single_wos + batch_wos + posting_wos
    for etype in ('start', 'produce', 'stop'):
        for k in range(0, len(warm), N):
            run.send(run.batch(etype, warm[k:k + N], {'qty': 1} if etype == 'produce' else None))

    single, single_ok = measure_single(run, single_wos)
    batched, batched_ok = measure_batches(run, batch_wos)
    posting_median, posting_max, posting_ok = measure_posting(run, posting_wos)
    # the combined path is for comparison only (no target) and takes most of the run's time
    combined = os.environ.get('BENCH_QUERIES_COMBINED', '1') != '0'
    per_type = combined_per_type(run, wos, mixed_wos, floor, scrap_reason) if combined else None
    B.release_registry(db)

    B.figure('2a', 'record transaction SQL statements per event, one event per request (start/produce/stop '
             'mix; terminal lookup, _record_batch, posting job queued)', '%.2f' % single, '<= %g' % TARGET_SINGLE,
             single <= TARGET_SINGLE and single_ok)
    B.figure('2b', 'record transaction SQL statements per event, batches of %d (start/produce/stop mix; '
             'terminal lookup, _record_batch, posting jobs queued)' % N,
             '%.2f' % batched, '<= %g' % TARGET_BATCH, batched <= TARGET_BATCH and batched_ok)
    B.figure('2c', 'SQL statements per posting of one order with %d new events (executions._post(); median '
             'of %d orders)' % (POSTING_CYCLES * len(CYCLE), POSTING_ORDERS),
             '%d (max %d)' % (posting_median, posting_max), '<= %d' % TARGET_POSTING,
             posting_max <= TARGET_POSTING and posting_ok)
    if per_type:
        B.say('  (combined path _ingest, start / produce / stop per event: %.1f / %.1f / %.1f; no target, '
              'for comparison)' % tuple(per_type))
    else:
        B.say('  (combined path not measured: BENCH_QUERIES_COMBINED=0)')


if __name__ == '__main__':
    main()
