// The outbox (static/terminal/js/outbox.js): how the server's answers are judged, what is
// kept, and how the sender drains, backs off and gives up on a refused request. The stores are
// replaced by an in-memory outbox (node has no IndexedDB); the logic is the app's.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError, Unreachable } from '../../../static/terminal/js/api.js';
import { Sender, prunable, verdicts } from '../../../static/terminal/js/outbox.js';

const rec = (seq, type = 'produce', wc = 3) => ({ seq, id: `e${seq}`, wc, event: { id: `e${seq}`, seq, type, data: {} } });

test('verdicts: applied, duplicate, rejected, a duplicate of a refused event, no result', () => {
  const batch = [rec(1), rec(2), rec(3), rec(4), rec(5)];
  const out = verdicts(batch, [
    { id: 'e1', status: 'applied' }, { id: 'e2', status: 'duplicate', outcome: 'applied' },
    { id: 'e3', status: 'rejected', error: { code: 'x', message: 'No.' } },
    { id: 'e4', status: 'duplicate', outcome: 'rejected' }], { answeredAt: 42 });
  assert.deepEqual(out.applied.map((r) => [r.seq, r.doneAt]), [[1, 42], [2, 42]]);
  assert.deepEqual(out.rejected.map((r) => [r.seq, r.error.code]), [[3, 'x'], [4, 'rejected']]);
  // e5 had no result: in neither list, it stays in the outbox
});

test('verdicts: a whole request refused refuses every event with its error', () => {
  const out = verdicts([rec(1), rec(2)], null, { errorForAll: { code: 'malformed_body', message: 'Bad.' } });
  assert.deepEqual(out.rejected.map((r) => r.error.code), ['malformed_body', 'malformed_body']);
});

test('prunable keeps the newest and the last downtime event of each work center', () => {
  const all = [rec(1, 'downtime_start', 3), rec(2, 'downtime_end', 3), rec(3, 'downtime_start', 4), rec(4), rec(5), rec(6)];
  assert.deepEqual(prunable(all, 2), [1, 4]);
});

/** An outbox in memory and a server answering by a function. */
function memoryIo(records, answer) {
  const io = {
    outbox: records.slice(), calls: 0,
    async peek(limit) { return io.outbox.slice(0, limit); },
    async exchange(batch) {
      io.calls += 1;
      const body = await answer(batch, io.calls);
      const outcome = verdicts(batch, body.results);
      const judged = new Set(outcome.applied.concat(outcome.rejected).map((r) => r.seq));
      io.outbox = io.outbox.filter((r) => !judged.has(r.seq));
      return { body, outcome };
    },
    async refuseAll(batch, error) {
      const outcome = verdicts(batch, null, { errorForAll: error });
      io.outbox = io.outbox.filter((r) => !batch.includes(r));
      return outcome;
    },
  };
  return io;
}

function hooks() {
  const seen = { sent: [], failed: [], idle: 0 };
  return { seen, sent: (outcome) => seen.sent.push(outcome), failed: (err) => seen.failed.push(err), idle: () => { seen.idle += 1; } };
}

test('the sender drains the outbox in batches of 100 and then is idle', async () => {
  const records = Array.from({ length: 250 }, (_, i) => rec(i + 1));
  const io = memoryIo(records, (batch) => ({ results: batch.map((r) => ({ id: r.id, status: 'applied' })) }));
  const h = hooks();
  const sender = new Sender(h, io);
  await sender.run();
  assert.equal(io.calls, 3);
  assert.deepEqual(h.seen.sent.map((o) => o.applied.length), [100, 100, 50]);
  assert.equal(io.outbox.length, 0);
  assert.equal(h.seen.idle, 1);
  assert.equal(sender.waitingRetry, false);
});

test('the sender keeps the events and retries later when the server cannot be reached', async () => {
  let up = false;
  const io = memoryIo([rec(1)], (batch) => {
    if (!up) throw new Unreachable('no network');
    return { results: batch.map((r) => ({ id: r.id, status: 'applied' })) };
  });
  const h = hooks();
  const sender = new Sender(h, io);
  await sender.run();
  assert.equal(h.seen.failed.length, 1);
  assert.equal(io.outbox.length, 1);
  assert.equal(sender.waitingRetry, true);
  up = true;
  sender.kick();           // the network is back
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(io.outbox.length, 0);
  assert.equal(sender.waitingRetry, false);
});

test('a request refused as a whole (400) is shown, not retried forever', async () => {
  const io = memoryIo([rec(1), rec(2)], () => { throw new ApiError(400, { error: { code: 'malformed_body', message: 'Bad.' } }); });
  const h = hooks();
  await new Sender(h, io).run();
  assert.equal(io.calls, 1);
  assert.equal(h.seen.sent[0].rejected.length, 2);
  assert.equal(io.outbox.length, 0);
});

test('an answer without our results is retried later, not in a loop', async () => {
  const io = memoryIo([rec(1)], () => ({ results: [] }));
  const sender = new Sender(hooks(), io);
  await sender.run();
  assert.equal(io.calls, 1);
  assert.equal(sender.waitingRetry, true);
  clearTimeout(sender.timer);
});
