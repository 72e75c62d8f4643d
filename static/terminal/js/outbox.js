// The outbox: every operator action becomes an event written to IndexedDB (with its uuid, the
// device's next seq and the terminal time) before anything is sent. A sender drains it in
// batches; the server's answer moves each event to `sent` or `rejected` in one transaction.

import { ApiError, api, serial } from './api.js';
import { done, tx } from './db.js';
import { tabletSends } from './events.js';
import { uuid } from './util.js';

export const BATCH = 100;
const KEEP_SENT = 400;
const MAX_DELAY = 10000;

/** Write one event durably; resolves with the stored record once committed. ``at``: when it
 * happened (ms, this tablet's clock), now by default (a stop at the last touch is earlier).
 * ``holdMs``: kept from the server that long, so the operator can take it back (undo); the
 * events after it wait too (the server sees them in the order they were made). */
export function enqueue(type, { wo, wc, woName, employee, data, at, holdMs = 0 }) {
  // a type without a tablet action in its description is a bug of this tablet: never stored
  if (!tabletSends(type)) return Promise.reject(new Error(`${type} is not an event this tablet sends`));
  return tx(['meta', 'outbox'], 'readwrite', async (s) => {
    // seq and the event are written in the same transaction: a seq is never reused.
    const seq = ((await done(s.meta.get('seq'))) || 0) + 1;
    s.meta.put(seq, 'seq');
    const id = uuid();
    const record = {
      seq, id, wo, wc, woName, emp: { id: employee.id, name: employee.name }, queuedAt: Date.now(),
      holdUntil: holdMs ? Date.now() + holdMs : 0,
      event: {
        schema: 1, id, seq, type, workorder_id: wo, employee: employee.badge,
        at: new Date(at === undefined ? Date.now() : at).toISOString(), data: data || {},
      },
    };
    await done(s.outbox.add(record));
    return record;
  });
}

/** The server's results judged against a batch (no storage): applied or duplicate -> applied,
 * rejected -> rejected (a duplicate of an event first rejected stays rejected); events without
 * a result are in neither and stay in the outbox. ``errorForAll``: the whole request refused. */
export function verdicts(batch, results, { errorForAll = null, answeredAt = Date.now() } = {}) {
  const byId = new Map((results || []).map((r) => [r.id, r]));
  const outcome = { applied: [], rejected: [] };
  for (const record of batch) {
    const result = errorForAll ? { status: 'rejected', error: errorForAll } : byId.get(record.id);
    if (!result) continue;
    const refused = result.status === 'rejected' || (result.status === 'duplicate' && result.outcome === 'rejected');
    if (refused) {
      const error = result.error || { code: 'rejected', message: 'The server refused this action.' };
      outcome.rejected.push({ ...record, error, rejectedAt: answeredAt });
    } else {
      outcome.applied.push({ ...record, status: result.status, doneAt: answeredAt });
    }
  }
  return outcome;
}

/** Apply the server's results to the stores in one transaction (verdicts above): the judged
 * events leave the outbox for ``sent`` or ``rejected``. ``answeredAt``: when the answer arrived,
 * inside the request lane: a work order fetched later (the lane runs one request at a time)
 * already includes these events; one fetched earlier does not, and the view adds them. */
export function settle(batch, results, options = {}) {
  const outcome = verdicts(batch, results, options);
  return tx(['outbox', 'sent', 'rejected'], 'readwrite', async (s) => {
    for (const item of outcome.rejected) {
      s.outbox.delete(item.seq);
      s.rejected.put(item);
    }
    for (const item of outcome.applied) {
      s.outbox.delete(item.seq);
      s.sent.put(item);
    }
    const count = await done(s.sent.count());
    if (count > KEEP_SENT + 100) {
      const all = await done(s.sent.getAll());
      for (const seq of prunable(all)) s.sent.delete(seq);
    }
    return outcome;
  });
}

/** Of the acknowledged events (in seq order), those to forget: all but the newest KEEP_SENT,
 * and never the last downtime event of a work center (it says whether the machine is down). */
export function prunable(all, keepCount = KEEP_SENT) {
  const keep = new Set(all.slice(-keepCount).map((r) => r.seq));
  const lastDowntime = new Map();
  for (const r of all) if (r.event.type.startsWith('downtime_')) lastDowntime.set(r.wc, r.seq);
  for (const seq of lastDowntime.values()) keep.add(seq);
  return all.filter((r) => !keep.has(r.seq)).map((r) => r.seq);
}

/** Take back an event still held (undo): resolves true when it was removed before anything
 * could send it. ``marginMs``: not in the last moment of its hold (the sender may be reading). */
export function takeBack(seq, marginMs = 300) {
  return tx('outbox', 'readwrite', async (s) => {
    const record = await done(s.outbox.get(seq));
    if (!record || !(record.holdUntil > Date.now() + marginMs)) return false;
    await done(s.outbox.delete(seq));
    return true;
  });
}

/** Send a held event without waiting for its hold to pass (its operator logged out). */
export function release(seq) {
  return tx('outbox', 'readwrite', async (s) => {
    const record = await done(s.outbox.get(seq));
    if (record && record.holdUntil) await done(s.outbox.put({ ...record, holdUntil: 0 }));
  });
}

/** The events that may be sent now: up to the first one still held. [ready, ms until the held
 * one may go (or 0)] */
export function sendable(batch, now = Date.now()) {
  const held = batch.findIndex((r) => r.holdUntil && r.holdUntil > now);
  if (held < 0) return [batch, 0];
  return [batch.slice(0, held), batch[held].holdUntil - now];
}

export function peek(limit = BATCH) {
  return tx('outbox', 'readonly', (s) => done(s.outbox.getAll(null, limit)));
}

/** Drains the outbox: one batch after another while the server answers; with backoff (1 s
 * doubling to 10 s) while it does not. hooks: sent(outcome, answer), failed(error), idle(). */
/** The real exchange: the batch sent and its answer settled, inside the request lane (so a
 * work order fetched next already sees these events out of the outbox). */
const storeIo = {
  peek,
  exchange: (batch) => serial(async () => {
    const body = await api.events(batch.map((r) => r.event));
    const outcome = await settle(batch, body.results, { answeredAt: Date.now() });
    return { body, outcome };
  }),
  refuseAll: (batch, error) => settle(batch, null, { errorForAll: error }),
};

export class Sender {
  /** io: {peek(limit), exchange(batch) -> {body, outcome}, refuseAll(batch, error) -> outcome},
   * the stores and the server by default (tests give their own). */
  constructor(hooks, io = storeIo) {
    this.hooks = hooks;
    this.io = io;
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
      const [batch, heldMs] = sendable(await this.io.peek(BATCH));
      if (!batch.length) {
        this.delay = 0;
        if (heldMs) this.wakeIn(heldMs);
        this.hooks.idle();
        return;
      }
      let answer;
      try {
        answer = await this.io.exchange(batch);
      } catch (err) {
        if (err instanceof ApiError && [400, 413, 415].includes(err.status)) {
          // The whole batch was refused as a request: show it rather than retry it forever.
          const outcome = await this.io.refuseAll(batch, { code: err.code, message: err.message });
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

  wakeIn(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, ms + 20);
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
