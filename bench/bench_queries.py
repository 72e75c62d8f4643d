"""2. SQL queries per applied event, by event type, in a batch of 100 events. Deterministic:
counted from Odoo's cursor (``Cursor.sql_log_count``) around what the API route runs for one
request (the terminal lookup by token, then ``mes.event._ingest``), in-process on a copy of the
bench floor, one transaction per batch as the route does.

Each measured batch is 100 events of one type on 100 work orders that already went through a
start, produce, stop cycle (so the one-off first start of an order is not counted), then one
mixed batch. The query shapes that repeat most are listed as the query log's evidence.

Target: at most 8 queries per applied event on average for start, stop and produce."""
import os
import re
import sys
import time
from collections import Counter
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402

TARGET = 8.0
N = 100
TOP = 8

_log = []


def _install_query_log(odoo):
    """Record every query text the cursor runs while ``_log`` is armed (counting itself comes
    from Cursor.sql_log_count)."""
    cursor_class = odoo.sql_db.Cursor
    original = cursor_class.execute

    def execute(self, query, params=None, log_exceptions=None):
        _log.append(query.decode('utf-8', 'replace') if isinstance(query, bytes) else str(query))
        return original(self, query, params, log_exceptions)
    cursor_class.execute = execute


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

    def send(self, events, token=None):
        """One request's work, in its own transaction: returns (queries, seconds, statuses, shapes)."""
        odoo = B.odoo_module()
        registry = odoo.registry(self.db)
        del _log[:]
        with odoo.api.Environment.manage(), registry.cursor() as cr:
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


def main():
    B.say('## 2. SQL queries per applied event, by type, in batches of %d (in-process, counted from the cursor)' % N)
    db, floor = B.floor_copy('queries')
    odoo = B.odoo_module()
    _install_query_log(odoo)
    run = Runner(db, floor)
    wos = floor['workorder_ids'][:N]
    mixed_wos = floor['workorder_ids'][N:2 * N]
    with B.odoo_env(db, commit=False) as env:
        scrap_reason = env['mes.reason'].search([('kind', '=', 'scrap'), ('is_category', '=', False)], limit=1).code
    component = floor['component_ids'][0]
    # warm-up, not counted: one cycle on every work order measured below
    for etype in ('start', 'produce', 'stop'):
        run.send(run.batch(etype, wos + mixed_wos, {'qty': 1} if etype == 'produce' else None))
    measured = [
        ('start', run.batch('start', wos)),
        ('produce', run.batch('produce', wos, {'qty': 2})),
        ('stop', run.batch('stop', wos)),
        ('scrap', run.batch('scrap', wos, {'qty': 1, 'reason': scrap_reason})),
        ('consume', run.batch('consume', wos, {'product_id': component, 'qty': 3})),
    ]
    rows = {}
    for etype, events in measured:
        queries, seconds, statuses, shapes = run.send(events)
        rows[etype] = (queries, seconds, statuses, shapes)
    # the realistic mix of the throughput benchmark: 1/4 start, 1/2 produce, 1/4 stop
    types = [('start', 'produce', 'produce', 'stop')[i % 4] for i in range(N)]
    # every mixed work order is stopped now: begin each with a start, then its phase
    run.send(run.batch('start', [w for i, w in enumerate(mixed_wos) if types[i] != 'start']))
    rows['mixed'] = run.send(run.batch(None, mixed_wos, lambda kind, wo: {'qty': 1} if kind == 'produce' else None,
                                       types=types))
    finish = run.batch('finish', wos)
    rows['finish'] = run.send(finish)
    B.say('  %-8s %9s %8s %10s   %s' % ('type', 'queries', 'applied', 'per event', 'in-process time (noisy)'))
    for etype, (queries, seconds, statuses, _shapes) in rows.items():
        applied = statuses.get('applied', 0)
        B.say('  %-8s %9d %8d %10.1f   %.2f s%s' % (
            etype, queries, applied, queries / max(applied, 1), seconds,
            '' if applied == N else '   (not applied: %s)' % statuses))
        if applied != N and statuses.get('first_error'):
            B.say('           first error: %s' % statuses['first_error'][:300])
    for etype in ('start', 'produce', 'stop'):
        B.say('  most repeated query shapes in the %s batch (count x shape):' % etype)
        for shape, count in rows[etype][3].most_common(TOP):
            B.say('    %5d x %s' % (count, shape))
    B.release_registry(db)
    per_type = [rows[t][0] / max(rows[t][2].get('applied', 0), 1) for t in ('start', 'produce', 'stop')]
    average = sum(per_type) / 3
    all_applied = all(rows[t][2].get('applied', 0) == N for t in ('start', 'produce', 'stop'))
    B.figure('2', 'SQL queries per applied event (start / produce / stop; average)',
             '%.1f / %.1f / %.1f; average %.1f' % (tuple(per_type) + (average,)), '<= %d on average' % TARGET,
             average <= TARGET and all_applied)


if __name__ == '__main__':
    main()
