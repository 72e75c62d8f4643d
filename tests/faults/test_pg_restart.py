"""PostgreSQL restarted in the middle of an ingest. The database server is a throwaway cluster
of this test's own (under .local/pg-fault/), so stopping it disturbs nobody; the Odoo server
under test runs on a restored copy of the test database there.

While the database is down, every answer must be a retryable ``503`` with the code
``service_unavailable``; the terminal retries the same events and, once PostgreSQL is back,
everything is applied exactly once and the plant equals a clean run.
"""
import os
import random
import threading
import time
from datetime import datetime, timedelta

import pytest

from . import support

EVENTS = support.env_int('FAULT_PG_EVENTS', 150)
RESTARTS = support.env_int('FAULT_PG_RESTARTS', 2)
BATCH = support.env_int('FAULT_PG_BATCH', 10)
DOWN_SECONDS = float(os.environ.get('FAULT_PG_DOWN_SECONDS', '4'))
ORDERS, OPERATORS = 2, 3


def _skip_reason():
    if os.environ.get('PGHOST') or os.environ.get('PGPORT') or os.environ.get('PGUSER'):
        return ('PostgreSQL restart test skipped: an external PostgreSQL server is configured through '
                'PGHOST/PGPORT/PGUSER; this test starts and stops a private throwaway cluster with the '
                'local PostgreSQL binaries (unset those variables to run it)')
    if not support.ThrowawayCluster.available():
        return 'PostgreSQL restart test skipped: no initdb/pg_ctl under %s' % support.PGBIN
    return None


@pytest.fixture(scope='module')
def outage(request):
    """Run the scenario once; the tests below judge its parts."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    cluster = support.ThrowawayCluster('restart-%d' % os.getpid()).init()
    server = None
    try:
        cluster.start()
        pg = cluster.postgres()
        db = 'mes_fault_pg'
        pg.restore(support.source_dump(), db)
        server = support.FaultServer(db, 'test-fault-pg-restart.log', postgres=pg).start()
        rng = random.Random(support.env_int('FAULT_SEED', 0) or None)
        script = support.Script(EVENTS, ORDERS, OPERATORS, seed=rng.randrange(10 ** 6))
        start = datetime.utcnow().replace(microsecond=0) - timedelta(seconds=script.span + 3600)
        plant = support.Plant(server, orders=ORDERS, operators=OPERATORS)
        events = script.events(plant, start, 'pg-' + plant.tag)
        chunks = support.batches(events, BATCH)
        client = support.TerminalClient(server, plant.token, max_seconds=300)
        during = {'answers': {}, 'codes': {}, 'bodies': [], 'retry_after': set()}
        down = threading.Event()
        done = threading.Event()
        failure = []

        def ingest():
            try:
                for chunk in chunks:
                    client.send(chunk)
                    # a tablet's pace, not a tight loop: on the record path the whole stream
                    # took less time than one outage, and the later restarts found it over
                    time.sleep(0.3)
            except BaseException as exc:   # reported below
                failure.append(exc)
            finally:
                done.set()

        def probe():
            """While the database is down, what does the API answer?"""
            token = plant.token
            while down.is_set():
                response = server.post_json('/mes/api/v1/events', {'sent_at': support.iso(datetime.utcnow()),
                                                                   'events': []}, token)
                during['answers'][response.status_code] = during['answers'].get(response.status_code, 0) + 1
                try:
                    code = response.json()['error']['code']
                except (ValueError, KeyError, TypeError):
                    code = None
                    if len(during['bodies']) < 3:
                        during['bodies'].append(response.text[:300])
                during['codes'][code] = during['codes'].get(code, 0) + 1
                during['retry_after'].add(response.headers.get('Retry-After'))
                time.sleep(0.1)
        began = time.time()
        thread = threading.Thread(target=ingest, name='ingest')
        thread.start()
        restarts = 0
        for index in range(RESTARTS):
            # wait until a share of the batches went through, then take the database away
            target = len(chunks) * (index + 1) // (RESTARTS + 1)
            while len(client.durations) < target and not done.is_set():
                time.sleep(0.05)
            if done.is_set():
                break
            time.sleep(rng.uniform(0, 0.5))
            cluster.stop('fast' if index % 2 == 0 else 'immediate')
            down.set()
            prober = threading.Thread(target=probe, name='probe')
            prober.start()
            time.sleep(DOWN_SECONDS)
            down.clear()
            prober.join()
            cluster.start()
            restarts += 1
        thread.join()
        reference = support.reference_run(ORDERS, OPERATORS, script, BATCH, start=start)
        rows = plant.inbox()
        applied = {r['event_uid'] for r in rows if r['state'] == 'applied'}
        not_applied = server.rpc('mes.event', 'search_read', [('terminal_id', 'in', plant.terminal_ids),
                                                              ('state', '!=', 'applied')],
                                 ['event_uid', 'type', 'state', 'error_code', 'error_message'], limit=20)
        result = {
            'not_applied': not_applied,
            'events': events, 'rows': rows, 'client': client, 'during': during, 'failure': failure,
            'restarts': restarts, 'lost': sum(1 for e in events if e['id'] not in applied),
            'doubled': (len(rows) - len({r['event_uid'] for r in rows})) + support.doubled_effects(server, plant),
            'differences': support.diff(plant.state(), reference), 'seconds': int(time.time() - began),
        }
        print(support.figures(
            'PostgreSQL restart during ingest', cases=len(events), faults_injected=restarts,
            answers_while_down=sum(during['answers'].values()), statuses_while_down=during['answers'],
            codes_while_down=during['codes'], client_requests=client.stats.requests, retries=client.stats.retries,
            client_statuses=client.stats.by_status, odoo_nodb_404s=client.stats.nodb_fallbacks,
            lost=result['lost'], doubled=result['doubled'],
            state_differences=len(result['differences']), seconds=result['seconds']))
        yield result
    finally:
        if server:
            server.kill9()
            server.log.close()
        cluster.destroy()


def test_pg_restart_nothing_lost_nothing_doubled(outage):
    if outage['failure']:
        raise outage['failure'][0]
    assert outage['restarts'] == RESTARTS
    assert (outage['lost'], outage['doubled']) == (0, 0), outage['not_applied'][:5]
    assert not outage['client'].stats.bad or all('HTTP 5' in b for b in outage['client'].stats.bad), \
        outage['client'].stats.bad[:5]
    assert len(outage['rows']) == len(outage['events'])
    assert not outage['differences'], '\n'.join(outage['differences'][:40])


def test_pg_restart_answers_503_with_a_code_while_down(outage):
    answers, codes = outage['during']['answers'], outage['during']['codes']
    assert answers, 'the probe got no answer while the database was down'
    assert set(answers) == {503}, 'answers while PostgreSQL was down: %s %s' % (answers, outage['during']['bodies'])
    assert set(codes) == {'service_unavailable'}, codes
    assert outage['during']['retry_after'] == {'1'}, outage['during']['retry_after']
    assert not [b for b in outage['client'].stats.bad if 'HTTP 5' in b], outage['client'].stats.bad[:5]
