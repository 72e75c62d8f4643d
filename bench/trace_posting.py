"""Where the statements of one posting go: every query of ``executions._post()`` for one order
with 20 new events (the 2c figure of bench_queries) is charged to the posting step that caused it
(the outermost frame in mes_posting.py) and to the innermost addon frame. Not part of `make
bench`; a tool for whoever cuts statements from the posting:

    BENCH_BASE_DB=<updated copy of the template> .local/venv/bin/python bench/trace_posting.py [orders] [types]

``types`` (e.g. ``produce`` or ``stop,start``): post these events instead, one posting each.
"""
import os
import sys
import traceback
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B
from bench_queries import CYCLE, POSTING_CYCLES, Runner, _mix_data

_steps, _inner, _odoo = Counter(), Counter(), Counter()
_armed = [False]


def _where(frame):
    return '%s:%d %s' % (os.path.basename(frame.filename), frame.lineno, frame.name)


def _install(odoo):
    cursor_class = odoo.sql_db.Cursor
    original = cursor_class.execute

    def execute(self, query, params=None, log_exceptions=None):
        if _armed[0]:
            frames = [f for f in traceback.extract_stack()[:-1] if 'shopfloor_mes' in f.filename
                      and '/bench/' not in f.filename]
            steps = [f for f in frames if f.filename.endswith('mes_posting.py')]
            _steps[_where(steps[-1]) if steps else '(outside the posting)'] += 1
            _inner[_where(frames[-1]) if frames else '(outside the addon)'] += 1
            # the outermost frame of Odoo's own addons below the innermost addon frame: which of
            # Odoo's methods the addon called
            stack = traceback.extract_stack()[:-1]
            last = max((i for i, f in enumerate(stack) if 'shopfloor_mes' in f.filename), default=-1)
            below = [f for f in stack[last + 1:] if '/odoo/addons/' in f.filename]
            if below:
                _odoo[' > '.join(_where(f) for f in below[:int(os.environ.get('TRACE_DEPTH', '1'))])] += 1
        return original(self, query, params, log_exceptions)
    cursor_class.execute = execute


def main():
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    types = sys.argv[2].split(',') if len(sys.argv) > 2 else None
    db, floor = B.floor_copy('trace_posting')
    odoo = B.odoo_module()
    _install(odoo)
    run = Runner(db, floor)
    wos = floor['workorder_ids'][-orders:]
    for etype in ('start', 'produce', 'stop'):   # warm-up: one posted cycle each
        _q, _r, _s, _st, ids = run.record(run.batch(etype, wos, {'qty': 1} if etype == 'produce' else None))
        run.post(ids)
    total = 0
    postings = 0
    for wo in wos:
        batches = [[e] for t in types for e in run.batch(t, [wo], _mix_data)] if types else \
            [[e for _c in range(POSTING_CYCLES) for t in CYCLE for e in run.batch(t, [wo], _mix_data)]]
        for events in batches:
            _q, _r, _s, _st, ids = run.record(events)
            _armed[0] = True
            queries, seconds, errors = run.post(ids)
            _armed[0] = False
            total += queries
            postings += 1
            B.say('posting of %d event(s) (%s): %d statements, %.2f s%s' % (
                len(events), events[0]['type'] if len(events) == 1 else 'cycles', queries, seconds,
                ' ERRORS %s' % errors if errors else ''))
    B.release_registry(db)
    wos = [None] * postings   # per posting below
    for title, counter in (('by posting step', _steps), ('by innermost addon line', _inner),
                           ('by the Odoo method the addon called', _odoo)):
        B.say('%s (per posting):' % title)
        for where, count in counter.most_common(25):
            B.say('  %7.1f  %s' % (count / len(wos), where))


if __name__ == '__main__':
    main()
