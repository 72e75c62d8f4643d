"""kill -9 of the Odoo server at random points of a long ingest: the terminal retries the same
events (same ids) until they are accepted, and the plant ends exactly as one clean in-order run
of the same script leaves it: quantities, labor and machine minutes, scrap, and the journal
balances of every order, account by account. Nothing lost, nothing doubled.

Size: ``FAULT_EVENTS`` events (500 by default, 400 in ``make test``, 10,000 in ``make faults``) and
``FAULT_KILLS`` kills (3 and 10), in batches of ``FAULT_BATCH`` events over ``FAULT_ORDERS``
orders. The clean run happens in this process on ``$MES_TEST_DB`` (rolled back) while the
server under test is being killed.
"""
import random
import threading
import time
from datetime import datetime, timedelta

from . import support

EVENTS = support.env_int('FAULT_EVENTS', 500)
KILLS = support.env_int('FAULT_KILLS', 3)
BATCH = support.env_int('FAULT_BATCH', 50)
ORDERS = support.env_int('FAULT_ORDERS', min(50, max(2, EVENTS // 100)))
OPERATORS = 3
SEED = support.env_int('FAULT_SEED', 0) or random.randrange(1, 10 ** 6)


class Killer:
    """Kills the server at a random moment of chosen requests, and brings it back when the
    client finds it gone."""

    def __init__(self, server, batch_indices, rng):
        self.server, self.rng = server, rng
        self.at = set(batch_indices)
        self.kills = self.mid_request = self.restarts = 0
        self.timer = None
        self.restart_seconds = []

    def arm(self, index, typical_seconds):
        if index not in self.at:
            return
        delay = self.rng.uniform(0.0, 1.2 * typical_seconds)
        self.timer = threading.Timer(delay, self._kill)
        self.timer.start()

    def _kill(self):
        if self.server.kill9():
            self.kills += 1

    def settle(self):
        if self.timer:
            self.timer.join()
            self.timer = None

    def on_connection_error(self, _exc):
        self.settle()
        if not self.server.alive():
            began = time.time()
            self.server.restart()
            self.restarts += 1
            self.restart_seconds.append(time.time() - began)
        else:
            time.sleep(0.2)


def test_kill_9_during_ingest_loses_and_doubles_nothing(fault_server):
    rng = random.Random(SEED)
    script = support.Script(EVENTS, ORDERS, OPERATORS, seed=SEED)
    start = datetime.utcnow().replace(microsecond=0) - timedelta(seconds=script.span + 3600)
    server = fault_server('kill9')
    plant = support.Plant(server, orders=ORDERS, operators=OPERATORS)
    events = script.events(plant, start, 'k9-' + plant.tag)
    chunks = support.batches(events, BATCH)
    kill_at = sorted(rng.sample(range(1, len(chunks)), min(KILLS, len(chunks) - 1)))
    killer = Killer(server, kill_at, rng)
    client = support.TerminalClient(server, plant.token, on_connection_error=killer.on_connection_error,
                                    max_seconds=900)
    failure = []

    def faulty_run():
        try:
            for index, chunk in enumerate(chunks):
                if not server.alive():   # killed after its last answer: back before the next kill
                    killer.on_connection_error(None)
                recent = sorted(client.durations[-10:]) or [1.0]
                killer.arm(index, recent[len(recent) // 2])
                errors_before = client.stats.connection_errors
                client.send(chunk)
                killer.settle()
                if index in killer.at and client.stats.connection_errors > errors_before:
                    killer.mid_request += 1
        except BaseException as exc:   # reported by the main thread
            failure.append(exc)
    began = time.time()
    thread = threading.Thread(target=faulty_run, name='faulty-run')
    thread.start()
    reference = support.reference_run(ORDERS, OPERATORS, script, BATCH, start=start)
    thread.join()
    if failure:
        raise failure[0]
    if not server.alive():
        server.restart()
    state = plant.state()
    rows = plant.inbox()
    uids = [e['id'] for e in events]
    applied = {r['event_uid'] for r in rows if r['state'] == 'applied'}
    lost = sum(1 for uid in uids if uid not in applied)
    doubled = (len(rows) - len({r['event_uid'] for r in rows})) + support.doubled_effects(server, plant)
    differences = support.diff(state, reference)
    print(support.figures(
        'kill -9 during ingest', cases=len(events), batches=len(chunks), orders=ORDERS,
        faults_injected=killer.kills, killed_mid_request=killer.mid_request, restarts=killer.restarts,
        restart_seconds=round(sum(killer.restart_seconds) / max(1, len(killer.restart_seconds)), 1),
        requests=client.stats.requests, retries=client.stats.retries,
        answers_lost_after_commit=client.stats.all_duplicate_retries, lost=lost, doubled=doubled,
        state_differences=len(differences), seed=SEED, seconds=int(time.time() - began)))
    assert killer.kills == len(kill_at), 'not every planned kill happened'
    assert not client.stats.bad, client.stats.bad[:5]
    assert (lost, doubled) == (0, 0)
    assert len(rows) == len(events)
    assert not differences, '\n'.join(differences[:40])
