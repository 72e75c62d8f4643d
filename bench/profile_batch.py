"""Where the time of one batch goes: cProfile of ``mes.event._ingest`` for 100 events of one type
(or the throughput mix) on a copy of the bench floor, in-process, after one warm-up cycle.
Not part of `make bench`; a tool for whoever makes the ingest path faster:

    BENCH_BASE_DB=<updated copy of the template> \
        .local/venv/bin/python bench/profile_batch.py [start|produce|stop|mixed] [rows]

Prints the functions of the addon (or those whose path matches PROFILE_FILTER, a regular
expression) by cumulative time, then everything by own time.
"""
import cProfile
import io
import os
import pstats
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B
from bench_queries import N, Runner


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else 'mixed'
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    db, floor = B.floor_copy('profile')
    run = Runner(db, floor)
    wos = floor['workorder_ids'][:N]
    for etype in ('start', 'produce', 'stop'):
        run.send(run.batch(etype, wos, {'qty': 1} if etype == 'produce' else None))
    if kind == 'mixed':
        types = [('start', 'produce', 'produce', 'stop')[i % 4] for i in range(N)]
        run.send(run.batch('start', [w for i, w in enumerate(wos) if types[i] != 'start']))
        events = run.batch(None, wos, lambda k, wo: {'qty': 1} if k == 'produce' else None, types=types)
    else:
        if kind == 'stop':
            run.send(run.batch('start', wos))
        events = run.batch(kind, wos, {'qty': 2} if kind == 'produce' else None)
    profile = cProfile.Profile()
    profile.enable()
    queries, seconds, statuses, _shapes = run.send(events)
    profile.disable()
    B.say('%d %s events: %.2f s, %d queries, %s' % (len(events), kind, seconds, queries, statuses))
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats('cumulative').print_stats(os.environ.get('PROFILE_FILTER', 'shopfloor_mes'), rows)
    stats.sort_stats('tottime').print_stats(rows)
    B.say(out.getvalue())
    B.release_registry(db)


if __name__ == '__main__':
    main()
