// What applies now and what comes next on a work order (static/terminal/js/next_step.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bandState, plan } from '../../../static/terminal/js/next_step.js';

const wo = (extra = {}) => ({ state: 'ready', good: 0, planned: 10, ops: [], meRunning: false, components: [{ product_id: 1 }],
  checks: [], checksDue: [], checkedUnseen: [], ...extra });
const ANNA = { id: 7, name: 'Anna', since: 0 };

test('before anyone starts: parts need a Start first, Start is next', () => {
  const { why, next } = plan(wo(), { down: null, hasBadge: true });
  assert.equal(next, 'start');
  for (const a of ['produce', 'plus-one', 'scrap', 'consume']) assert.deepEqual(why[a], ['why.start_first']);
  assert.deepEqual(why.finish, ['why.not_started']);
  assert.equal(why.start, null);
  assert.equal(why['downtime-start'], null);
  assert.equal(bandState(wo(), null), 'not_started');
});

test('running: Good parts next, then Finish once the planned quantity is made', () => {
  const running = wo({ state: 'progress', ops: [ANNA], meRunning: true });
  assert.equal(plan(running, { down: null, hasBadge: true }).next, 'produce');
  assert.equal(plan({ ...running, good: 10 }, { down: null, hasBadge: true }).next, 'finish');
  assert.equal(bandState(running, null), 'running');
  assert.equal(bandState({ ...running, ops: [] }, null), 'paused');
});

test('someone else on the order: parts may be reported, my Start is next', () => {
  const { why, next } = plan(wo({ state: 'progress', ops: [{ id: 8 }] }), { down: null, hasBadge: true });
  assert.equal(why.produce, null);
  assert.equal(next, 'start');
});

test('the machine down: running again is next; a blocking check due holds parts and finish', () => {
  const running = wo({ state: 'progress', ops: [ANNA], meRunning: true });
  assert.equal(plan(running, { down: { code: 'JAM' }, hasBadge: true }).next, 'downtime-end');
  assert.equal(bandState(running, { code: 'JAM' }), 'down');
  const due = { ...running, checksDue: [{ point_id: 5, name: 'Width', blocking: true }] };
  const planned = plan(due, { down: null, hasBadge: true });
  assert.equal(planned.next, 'check:5');
  assert.deepEqual(planned.why.produce, ['why.check_due', { name: 'Width' }]);
  assert.deepEqual(planned.why.finish, ['why.check_due', { name: 'Width' }]);
  // done on this tablet, not yet seen by the server: no longer holds
  assert.equal(plan({ ...due, checkedUnseen: [5] }, { down: null, hasBadge: true }).next, 'produce');
});

test('finished, or no badge: nothing applies, with the reason', () => {
  const done = plan(wo({ state: 'done' }), { down: null, hasBadge: true });
  assert.equal(done.next, null);
  assert.ok(Object.values(done.why).every((w) => w[0] === 'why.finished'));
  assert.ok(Object.values(plan(wo(), { down: null, hasBadge: false }).why).every((w) => w[0] === 'why.no_badge'));
  assert.equal(bandState(wo({ state: 'done' }), { code: 'JAM' }), 'finished');
});

test('a step without components: consuming has nothing to offer', () => {
  const { why } = plan(wo({ state: 'progress', ops: [ANNA], meRunning: true, components: [] }), { down: null, hasBadge: true });
  assert.deepEqual(why.consume, ['why.no_components']);
});
