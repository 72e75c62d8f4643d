// The outbox: every operator action becomes an event written to IndexedDB (with its uuid, the
// device's next seq and the terminal time) before anything is sent. A sender drains it in
// batches; the server's answer moves each event to `sent` or `rejected` in one transaction.

import { ApiError, api, serial } from './api.js';
import { done, tx } from './db.js';
import { uuid } from './util.js';

export const BATCH = 100;
const KEEP_SENT = 400;
const MAX_DELAY = 10000;

/** Write one event durably; resolves with the stored record once committed. ``at``: when it
 * happened (ms, this tablet's clock), now by default (a stop at the last touch is earlier). */
export function enqueue(type, { wo, wc, woName, employee, data, at }) {
  return tx(['meta', 'outbox'], 'readwrite', async (s) => {
    // seq and the event are written in the same transaction: a seq is never reused.
    const seq = ((await done(s.meta.get('seq'))) || 0) + 1;
    s.meta.put(seq, 'seq');
    const id = uuid();
    const record = {
      seq, id, wo, wc, woName, emp: { id: employee.id, name: employee.name }, queuedAt: Date.now(),
      event: {
        schema: 1, id, seq, type, workorder_id: wo, employee: employee.badge,
        at: new Date(at === undefined ? Date.now() : at).toISOString(), data: data || {},
      },
    };
    await done(s.outbox.add(record));
    return record;
  });
}

/** Apply the server's results to the stores: applied or duplicate -> sent, rejected -> rejected
 * (a duplicate of an event first rejected stays rejected). Events without a result stay. */
export function settle(batch, results, { errorForAll = null, answeredAt = Date.now() } = {}) {
  const byId = new Map((results || []).map((r) => [r.id, r]));
  // answeredAt: when the answer arrived, inside the request lane. A work order fetched later
  // (the lane runs one request at a time) already includes these events; one fetched earlier
  // does not, and the view adds them.
  const now = answeredAt;
  return tx(['outbox', 'sent', 'rejected'], 'readwrite', async (s) => {
    const outcome = { applied: [], rejected: [] };
    for (const record of batch) {
      const result = errorForAll ? { status: 'rejected', error: errorForAll } : byId.get(record.id);
      if (!result) continue;
      s.outbox.delete(record.seq);
      const refused = result.status === 'rejected' || (result.status === 'duplicate' && result.outcome === 'rejected');
      if (refused) {
        const error = result.error || { code: 'rejected', message: 'The server refused this action.' };
        const item = { ...record, error, rejectedAt: now };
        s.rejected.put(item);
        outcome.rejected.push(item);
      } else {
        const item = { ...record, status: result.status, doneAt: now };
        s.sent.put(item);
        outcome.applied.push(item);
      }
    }
    const count = await done(s.sent.count());
    if (count > KEEP_SENT + 100) await prune(s.sent);
    return outcome;
  });
}

/** Keep the newest acknowledged events, and always the last downtime event of each work
 * center (it says whether the machine is down). */
async function prune(store) {
  const all = await done(store.getAll());
  const keep = new Set(all.slice(-KEEP_SENT).map((r) => r.seq));
  const lastDowntime = new Map();
  for (const r of all) if (r.event.type.startsWith('downtime_')) lastDowntime.set(r.wc, r.seq);
  for (const seq of lastDowntime.values()) keep.add(seq);
  for (const r of all) if (!keep.has(r.seq)) store.delete(r.seq);
}

export function peek(limit = BATCH) {
  return tx('outbox', 'readonly', (s) => done(s.outbox.getAll(null, limit)));
}

/** Drains the outbox: one batch after another while the server answers; with backoff (1 s
 * doubling to 10 s) while it does not. hooks: sent(outcome, answer), failed(error), idle(). */
export class Sender {
  constructor(hooks) {
    this.hooks = hooks;
    this.timer = null;
    this.delay = 0;
    this.busy = false;
    this.again = false;
  }

  kick() {
    clearTimeout(this.timer);
    this.timer = null;
    this.run();
  }

  get waitingRetry() {
    return this.timer !== null;
  }

  async run() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.drain();
      } while (this.again);
    } catch (err) {
      console.error('outbox sender', err);
      this.retryLater();
    } finally {
      this.busy = false;
    }
  }

  async drain() {
    for (;;) {
      const batch = await peek(BATCH);
      if (!batch.length) {
        this.delay = 0;
        this.hooks.idle();
        return;
      }
      let answer;
      try {
        // Sending and recording the answer happen in the request lane, so a work order
        // fetched next already sees these events out of the outbox.
        answer = await serial(async () => {
          const body = await api.events(batch.map((r) => r.event));
          const outcome = await settle(batch, body.results, { answeredAt: Date.now() });
          return { body, outcome };
        });
      } catch (err) {
        if (err instanceof ApiError && [400, 413, 415].includes(err.status)) {
          // The whole batch was refused as a request: show it rather than retry it forever.
          const outcome = await settle(batch, null, { errorForAll: { code: err.code, message: err.message } });
          this.hooks.sent(outcome, null);
          continue;
        }
        this.hooks.failed(err);  // no network, server down, 5xx, or the token was refused
        this.retryLater();
        return;
      }
      this.delay = 0;
      const { body, outcome } = answer;
      this.hooks.sent(outcome, body);
      if (!outcome.applied.length && !outcome.rejected.length) {
        this.retryLater();   // an answer without our results: try again later, not in a loop
        return;
      }
    }
  }

  retryLater() {
    this.delay = Math.min(this.delay ? this.delay * 2 : 1000, MAX_DELAY);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, this.delay * (0.8 + Math.random() * 0.4));
  }
}
