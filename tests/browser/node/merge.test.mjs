// The state merge (static/terminal/js/derive.js): the server's last answer plus this tablet's
// events the server had not seen when it answered. Run by `make test` (node --test).
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { S } from '../../../static/terminal/js/state.js';
import { deriveWorkorder, downtimeOf, queueRows, runningMerged } from '../../../static/terminal/js/derive.js';

const ANNA = { id: 7, name: 'Anna', badge: 'B-7' };
const BEN = { id: 8, name: 'Ben', badge: 'B-8' };
let seq = 0;

/** A record as the outbox stores it; doneAt: acknowledged then (else still in the outbox). */
function record(type, data = {}, { emp = ANNA, at = '2026-12-07T08:00:00Z', wo = 1, wc = 3, doneAt } = {}) {
  seq += 1;
  const r = { seq, id: `e${seq}`, wo, wc, woName: `WO${wo}`, emp: { id: emp.id, name: emp.name },
    event: { schema: 1, id: `e${seq}`, seq, type, workorder_id: wo, employee: emp.badge, at, data } };
  if (doneAt !== undefined) r.doneAt = doneAt;
  return r;
}

function detail(extra = {}) {
  return { id: 1, name: 'WO1', workcenter_id: 3, state: 'ready', qty_planned: 10, qty_produced: 2, scrap_qty: 1,
    labor_minutes: 0, operators: [], checks: [{ point_id: 5, name: 'Width', last: null }], downtime: null, ...extra };
}

beforeEach(() => {
  Object.assign(S, { session: { employee: ANNA, wc: 3, wo: 1 }, queues: {}, details: {}, outbox: [], sent: [], rejected: [],
    clock: { offsetMs: 0 }, terminal: { reasons: [{ code: 'JAM', name: 'Jam', kind: 'downtime' }] } });
});

test('events in the outbox are added to the server answer', () => {
  S.details[1] = { data: detail(), fetchedAt: 1000 };
  S.outbox = [record('start'), record('produce', { qty: 3 }), record('scrap', { qty: 2, reason: 'X' })];
  const wo = deriveWorkorder(1);
  assert.equal(wo.good, 5);
  assert.equal(wo.scrap, 3);
  assert.equal(wo.state, 'progress');
  assert.equal(wo.meRunning, true);
  assert.equal(wo.pending, 3);
});

test('events acknowledged before the answer was asked for are not counted twice', () => {
  S.details[1] = { data: detail({ qty_produced: 5 }), fetchedAt: 2000 };
  S.sent = [record('produce', { qty: 3 }, { doneAt: 1500 }), record('produce', { qty: 1 }, { doneAt: 2500 })];
  assert.equal(deriveWorkorder(1).good, 6);   // 5 in the answer, +1 acknowledged after it
});

test('another tablet finishing the order shows; a stop closes the operator\'s time', () => {
  S.details[1] = { data: detail({ state: 'progress', operators: [{ id: 8, name: 'Ben', since: '2026-12-07T08:00:00Z' }] }), fetchedAt: 1000 };
  S.outbox = [record('stop', {}, { emp: BEN, at: '2026-12-07T08:10:00Z' })];
  const wo = deriveWorkorder(1);
  assert.deepEqual(wo.ops, []);
  assert.equal(wo.closedMs, 10 * 60000);
  assert.equal(wo.closedByOp[8], 10 * 60000);
  S.details[1] = { data: detail({ state: 'done' }), fetchedAt: 3000 };
  S.outbox = [];
  assert.equal(deriveWorkorder(1).state, 'done');
});

test('a check done here and not yet seen overrides the server\'s last result', () => {
  S.details[1] = { data: detail({ checks: [{ point_id: 5, name: 'Width', last: { result: 'pass', value: 4 } }] }), fetchedAt: 1000 };
  assert.deepEqual(deriveWorkorder(1).checks[0].done, { result: 'pass', value: 4, pending: false });
  S.outbox = [record('check', { point_id: 5, result: 'fail', value: 9 })];
  assert.deepEqual(deriveWorkorder(1).checks[0].done, { result: 'fail', value: 9, pending: true });
});

test('downtime: the server\'s answer, then this tablet\'s unseen events', () => {
  S.details[1] = { data: detail({ downtime: { reason: 'JAM', name: 'Jam', since: '2026-12-07T08:00:00Z' } }), fetchedAt: 1000 };
  assert.equal(downtimeOf(3).code, 'JAM');
  S.outbox = [record('downtime_end')];
  assert.equal(downtimeOf(3), null);
  // an end acknowledged before the answer that still says down: the answer wins (another tablet)
  S.outbox = [];
  S.sent = [record('downtime_end', {}, { doneAt: 500 })];
  assert.equal(downtimeOf(3).code, 'JAM');
  S.sent = [];
  S.details[1].data.downtime = null;
  S.outbox = [record('downtime_start', { reason: 'JAM' })];
  assert.equal(downtimeOf(3).name, 'Jam');
});

test('the queue leaves out orders finished here, and counts good parts not yet seen', () => {
  S.queues[3] = { data: { workorders: [detail({ id: 1 }), detail({ id: 2, name: 'WO2' })] }, fetchedAt: 1000 };
  S.outbox = [record('produce', { qty: 4 }, { wo: 2 }), record('finish', {}, { wo: 1 })];
  const rows = queueRows(3);
  assert.deepEqual(rows.map((w) => [w.id, w.qty_produced, w.state, w.pending]), [[2, 6, 'progress', 1]]);
});

test('the operator\'s running orders: the server\'s list with this tablet\'s starts and stops', () => {
  const base = [{ id: 1, name: 'WO1', wc: 3 }];
  S.outbox = [record('stop', {}, { wo: 1 }), record('start', {}, { wo: 2 }), record('start', {}, { wo: 4, emp: BEN })];
  assert.deepEqual(runningMerged(ANNA.id, base, 1000).map((r) => r.id), [2]);
});

test('an undo pending or unseen takes its entry back; refused, the entry counts again', () => {
  // the entry not in the answer yet: it counts nothing once its undo is in the outbox
  S.details[1] = { data: detail({ qty_produced: 2 }), fetchedAt: 1000 };
  const three = record('produce', { qty: 3 }, { doneAt: 1500 });
  S.sent = [three];
  assert.equal(deriveWorkorder(1).good, 5);
  const undo = record('undo', { event: three.id });
  S.outbox = [undo];
  assert.equal(deriveWorkorder(1).good, 2);
  assert.equal(queueRows(3), null);   // no queue fetched: nothing to merge there
  // the answer included the entry (asked after it was acknowledged): subtracted while the undo
  // is pending, and once acknowledged until an answer includes the undo too
  S.details[1] = { data: detail({ qty_produced: 5 }), fetchedAt: 2000 };
  assert.equal(deriveWorkorder(1).good, 2);
  S.outbox = [];
  S.sent = [three, { ...undo, doneAt: 2500 }];
  assert.equal(deriveWorkorder(1).good, 2);
  S.details[1] = { data: detail({ qty_produced: 2 }), fetchedAt: 3000 };
  assert.equal(deriveWorkorder(1).good, 2);
  // refused: the undo is in neither the outbox nor sent, the entry stands
  S.details[1] = { data: detail({ qty_produced: 5 }), fetchedAt: 2000 };
  S.sent = [three];
  assert.equal(deriveWorkorder(1).good, 5);
});
