"""Which lines of the addon cause the queries of one 100-event batch: every query the cursor
runs is charged to the innermost frame of shopfloor_mes on its stack (file:line function).
Not part of `make bench`; a tool for whoever cuts queries from the ingest path:

    BENCH_BASE_DB=<updated copy of the template> \
        .local/venv/bin/python bench/trace_queries.py [start|produce|stop] [rows]
"""
import os
import sys
import traceback
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B
from bench_queries import N, Runner

_charged = Counter()
_armed = [False]


def _install(odoo):
    cursor_class = odoo.sql_db.Cursor
    original = cursor_class.execute

    def execute(self, query, params=None, log_exceptions=None):
        if _armed[0]:
            frames = [f for f in traceback.extract_stack()[:-1] if 'shopfloor_mes' in f.filename
                      and '/bench/' not in f.filename]
            where = ('%s:%d %s' % (os.path.basename(frames[-1].filename), frames[-1].lineno, frames[-1].name)
                     if frames else '(outside the addon)')
            _charged[where] += 1
        return original(self, query, params, log_exceptions)
    cursor_class.execute = execute


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else 'start'
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    db, floor = B.floor_copy('trace')
    _install(B.odoo_module())
    run = Runner(db, floor)
    wos = floor['workorder_ids'][:N]
    for etype in ('start', 'produce', 'stop'):
        run.send(run.batch(etype, wos, {'qty': 1} if etype == 'produce' else None))
    if kind == 'stop':
        run.send(run.batch('start', wos))
    events = run.batch(kind, wos, {'qty': 2} if kind == 'produce' else None)
    _armed[0] = True
    queries, seconds, statuses, _shapes = run.send(events)
    _armed[0] = False
    B.say('%d %s events: %.2f s, %d queries, %s' % (len(events), kind, seconds, queries, statuses))
    for where, count in _charged.most_common(rows):
        B.say('  %6d  %5.1f/event  %s' % (count, count / len(events), where))
    B.release_registry(db)


if __name__ == '__main__':
    main()
