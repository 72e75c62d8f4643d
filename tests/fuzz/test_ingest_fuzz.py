"""Property-based fuzzing of ``mes.event._ingest`` in this process, each example in a savepoint
that is rolled back: whatever a terminal sends, every event is stored once with its raw JSON
(verbatim), each gets an answer in request order, a rejection carries a catalogue code and
leaves no side effect behind, and a batch without an applied event writes nothing but the
inbox rows."""
import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ...services import contract, errors
from ..common import T0, ShopFloorCase
from . import strategies as S
from .conftest import count
from .expected import conflict_uids, new_rows

CASES = S.budget('FUZZ_INGEST_CASES', 0.17, 300)
ALL_CODES = {cls.code for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.MesError)}
RECEIVED = T0 + timedelta(hours=8)


class _Rollback(Exception):
    pass


def _canonical(value):
    return json.dumps(value, sort_keys=True, allow_nan=True)


class TestIngestFuzz(ShopFloorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.point = cls.env['mes.quality.point'].search([], limit=1)

    def counts(self, events):
        env = self.env
        ids = events.ids or [0]
        return {
            'labor': env['mes.labor.log'].search_count([]),
            'productivity': env['mrp.workcenter.productivity'].search_count([]),
            'scrap': env['stock.scrap'].search_count([]),
            'moves_done': env['stock.move'].search_count([('state', '=', 'done')]),
            'account_moves': env['account.move'].search_count([]),
            'checks': env['mes.quality.check'].search_count([]),
            'effects_of_these': sum(env[m].search_count([(f, 'in', ids)]) for m, f in (
                ('mes.labor.log', 'start_event_id'), ('mes.labor.log', 'stop_event_id'),
                ('stock.scrap', 'mes_event_id'), ('stock.move', 'mes_event_id'),
                ('mrp.workcenter.productivity', 'mes_event_id'))),
        }

    def batch_strategy(self):
        return st.lists(S.events(
            workorder_ids=[self.wo_cut.id, self.wo_paint.id, 999999], badges=['B-ANNA', 'B-BEN', 'B-CARL', 'NOBODY'],
            reasons=[self.scrap_reason.code, self.down_reason.code, 'NO-SUCH'],
            products=[self.tube.id, self.screw.id, self.other.id, 999999], points=[self.point.id or 1, 999999],
            storable_only=True, now=RECEIVED - timedelta(hours=4)), max_size=6)

    def test_whatever_a_terminal_sends_is_stored_answered_and_never_half_applied(self):
        Event = self.env['mes.event']
        known = []

        # a case is one event; an example is a request of about three
        @settings(max_examples=max(1, CASES // 3), deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(batch=self.batch_strategy(), repeat=st.integers(0, 4),
               skew_seconds=st.integers(-20 * 24 * 3600, 20 * 24 * 3600) | st.just(0))
        def run(batch, repeat, skew_seconds):
            if repeat == 1 and batch:
                batch = batch + [batch[0]]            # the same id twice in one request
            elif repeat == 2 and known:
                batch = batch + [known[-1]]            # an event sent in an earlier request
            elif repeat == 4 and batch and isinstance(batch[0], dict):
                batch = batch + [dict(batch[0], seq=-1)]   # the same id, other content: a conflict
            sent_at = RECEIVED - timedelta(seconds=skew_seconds)
            try:
                with self.env.cr.savepoint():
                    self.check_batch(Event, batch, sent_at)
                    raise _Rollback()
            except _Rollback:
                pass
            finally:
                self.env.clear()
            if repeat == 3 and batch and isinstance(batch[0], dict):
                known.append(batch[0])
        run()

    def check_batch(self, Event, batch, sent_at):
        count('mes.event._ingest', 'cases', len(batch) or 1)
        uids = [contract.raw_event_id(raw) for raw in batch]
        sent = [u for u in uids if u]
        stored = {e.event_uid: e.raw for e in Event.search([('event_uid', 'in', sent)])}
        existing = set(stored)
        conflicts = {}
        for e in Event.search([('conflict_uid', 'in', sent)]):
            conflicts.setdefault(e.conflict_uid, set()).add(e.raw)
        fresh = new_rows(batch, stored, conflicts)
        conflicting = conflict_uids(batch, stored)
        rows_before = Event.search([])
        before = self.counts(Event.browse())
        results = Event._ingest(self.terminal, batch, sent_at, RECEIVED)
        assert len(results) == len(batch)
        assert [r['id'] or None for r in results] == uids   # an event without a usable id answers id false
        added = Event.search([]) - rows_before
        assert len(added) == fresh, (len(added), fresh)
        by_uid = {row.event_uid: row for row in added if row.event_uid}
        seen = set()
        for raw, uid, result in zip(batch, uids, results):
            assert result['status'] in ('applied', 'rejected', 'duplicate'), result
            count('mes.event._ingest', 'answer ' + result['status'])
            if result['status'] == 'duplicate':
                assert uid in existing or uid in seen
                assert result['outcome'] in ('applied', 'rejected')
                continue
            seen.add(uid)
            if result['status'] == 'rejected':
                code = result['error']['code']
                assert code in ALL_CODES and result['error']['message'], result
                count('mes.event._ingest', 'rejected ' + code)
                if code == errors.EventIdConflict.code:
                    # the other content under a known id: kept dead beside the first, verbatim
                    assert uid in conflicting, result
                    kept = added.filtered(lambda r: r.conflict_uid == uid and r.state == 'dead')
                    assert any(_canonical(json.loads(r.raw)) == _canonical(raw) for r in kept), result
                    continue
            if uid:
                row = by_uid[uid]
                expected = ('applied', 'waiting') if result['status'] == 'applied' else ('dead', 'held')
                assert row.state in expected, (row.state, result)
                assert _canonical(json.loads(row.raw)) == _canonical(raw), 'raw JSON not kept verbatim'
                if row.state in ('dead', 'held'):
                    assert row.error_code == result['error']['code']
                    assert self.counts(row)['effects_of_these'] == 0, 'a rejected event left side effects'
        for row in added.filtered(lambda r: not r.event_uid):
            assert row.state == 'dead' and row.error_code in ALL_CODES
        if not any(r['status'] == 'applied' for r in results):
            after = self.counts(Event.browse())
            assert after == before, ('writes without an applied event', before, after)
