// The state merge: what the screens show is the server's last answer plus this tablet's events
// the server had not seen when it answered (acknowledged after that answer was asked for, or
// still in the outbox). Pure functions of the state (state.js): no DOM, no network.

import { S, clockOffset, reasons } from './state.js';
import { applyEvent } from './events.js';

/** This tablet's events on a work order the server's answer asked for at ``since`` does not
 * include: acknowledged later, or not acknowledged yet; in the order they were made. */
export function pendingAndUnseen(woId, since) {
  const unseen = S.sent.filter((r) => r.wo === woId && r.doneAt > since);
  return unseen.concat(S.outbox.filter((r) => r.wo === woId)).sort((a, b) => a.seq - b.seq);
}

/** ``records`` (pendingAndUnseen) with the entries an undo takes back: one the server's answer
 * did not include yet counts nothing; one it included is subtracted (its good parts, from the
 * acknowledged record). The undo itself counts nothing; refused, it leaves the outbox and the
 * entry counts again. */
export function withUndos(records) {
  const undone = new Set(records.filter((r) => r.event.type === 'undo').map((r) => r.event.data.event));
  if (!undone.size) return records;
  const listed = new Set(records.map((r) => r.id));
  const merged = [];
  for (const r of records) {
    if (r.event.type !== 'undo') {
      if (!undone.has(r.id)) merged.push(r);
      continue;
    }
    const target = listed.has(r.event.data.event) ? null : S.sent.find((x) => x.id === r.event.data.event);
    if (target && target.event.type === 'produce') {
      merged.push({ ...target, event: { ...target.event, data: { ...target.event.data, qty: -target.event.data.qty } } });
    }
  }
  return merged;
}

function summaryFromQueues(woId) {
  for (const entry of Object.values(S.queues)) {
    const found = entry.data.workorders.find((w) => w.id === woId);
    if (found) return [found, entry.fetchedAt];
  }
  return [null, 0];
}

/** Everything the work order screen shows, as plain data. */
export function deriveWorkorder(woId) {
  const entry = S.details[woId];
  const [summary, summaryAt] = summaryFromQueues(woId);
  const base = entry ? entry.data : summary;
  if (!base) return null;
  const since = entry ? entry.fetchedAt : summaryAt;
  const closedByOp = {};
  for (const p of base.labor_by_employee || []) closedByOp[p.id] = p.minutes * 60000;
  const view = {
    good: base.qty_produced || 0,
    scrap: base.scrap_qty || 0,
    state: base.state,
    closedMs: (base.labor_minutes || 0) * 60000,
    closedByOp,
    ops: (base.operators || []).map((o) => ({ id: o.id, name: o.name, since: Date.parse(o.since) })),
    checkResults: new Map(),
    consumed: [],
  };
  for (const record of withUndos(pendingAndUnseen(woId, since))) applyEvent(view, record, clockOffset());
  const me = S.session && S.session.employee;
  return {
    id: woId, name: base.name, product: base.product, production: base.production, uom: base.uom || '',
    planned: base.qty_planned, standardMs: (base.standard_minutes || 0) * 60000, due: base.due,
    instructions: base.instructions || '', components: base.components || [], hasDetail: !!entry,
    tracking: base.tracking || 'none', checksDue: base.checks_due || [], checkedUnseen: [...view.checkResults.keys()],
    good: view.good, scrap: view.scrap, state: view.state, closedMs: view.closedMs, ops: view.ops,
    closedByOp: view.closedByOp, consumed: view.consumed, people: base.labor_by_employee || [],
    meRunning: !!(me && view.ops.some((o) => o.id === me.id)),
    checks: (base.checks || []).map((p) => ({
      ...p,
      done: view.checkResults.get(p.point_id) || (p.last ? { result: p.last.result, value: p.last.value, pending: false } : null),
    })),
    pending: S.outbox.filter((r) => r.wo === woId).length,
  };
}

/** The open downtime of a work center, or null: the server's latest answer about it (a work
 * order's detail or the queue), then this tablet's downtime events it had not seen; with no
 * answer yet, this tablet's own events. */
export function downtimeOf(wc) {
  let answer = null;
  for (const entry of Object.values(S.details)) {
    if (entry.data.workcenter_id === wc && (!answer || entry.fetchedAt > answer.at)) answer = { down: entry.data.downtime, at: entry.fetchedAt };
  }
  const queue = S.queues[wc];
  if (queue && queue.data.workorders.length && (!answer || queue.fetchedAt > answer.at)) {
    answer = { down: queue.data.workorders[0].downtime, at: queue.fetchedAt };
  }
  let down = answer && answer.down ? { code: answer.down.reason, name: answer.down.name, since: Date.parse(answer.down.since) } : null;
  const own = S.sent.concat(S.outbox).filter((r) => r.wc === wc && r.event.type.startsWith('downtime_')).sort((a, b) => a.seq - b.seq);
  for (const r of own) {
    if (answer && 'doneAt' in r && r.doneAt <= answer.at) continue;   // in the answer already
    if (r.event.type === 'downtime_start') {
      const code = r.event.data.reason;
      const reason = reasons('downtime').find((x) => x.code === code);
      down = { code, name: reason ? reason.name : code, since: Date.parse(r.event.at) + clockOffset() };
    } else {
      down = null;
    }
  }
  return down;
}

/** The queue of a work center as shown: the server's list with this tablet's unseen events;
 * finished orders left out. */
export function queueRows(wc) {
  const entry = S.queues[wc];
  if (!entry) return null;
  return entry.data.workorders.map((w) => {
    const view = { good: w.qty_produced, scrap: 0, state: w.state, closedMs: 0, closedByOp: {}, ops: [], checkResults: new Map(), consumed: [] };
    for (const r of withUndos(pendingAndUnseen(w.id, entry.fetchedAt))) applyEvent(view, r);
    return { ...w, qty_produced: view.good, state: view.state, pending: S.outbox.filter((r) => r.wo === w.id).length };
  }).filter((w) => w.state !== 'done');
}

/** The work orders on which this employee's time runs: the server's list (asked at ``since``)
 * with this tablet's events it had not seen. [{id, name, wc}] */
export function runningMerged(employeeId, base, since) {
  const running = new Map(base.map((r) => [r.id, r]));
  const unseen = S.sent.filter((r) => r.doneAt > since).concat(S.outbox).sort((a, b) => a.seq - b.seq);
  for (const r of unseen) {
    if (r.event.type === 'finish') running.delete(r.wo);
    if (r.emp.id !== employeeId) continue;
    if (r.event.type === 'start') running.set(r.wo, { id: r.wo, name: r.woName, wc: r.wc });
    if (r.event.type === 'stop') running.delete(r.wo);
  }
  return [...running.values()];
}

/** Without the server: the orders this tablet knows of where the employee is on. */
export function runningKnownHere(employeeId) {
  const ids = new Set(Object.keys(S.details).map(Number));
  for (const entry of Object.values(S.queues)) for (const w of entry.data.workorders) ids.add(w.id);
  for (const r of S.outbox) ids.add(r.wo);
  const running = [];
  for (const id of ids) {
    const wo = deriveWorkorder(id);
    if (wo && wo.state !== 'done' && wo.ops.some((o) => o.id === employeeId)) {
      const mine = S.sent.concat(S.outbox).find((r) => r.wo === id);
      running.push({ id, name: wo.name, wc: mine ? mine.wc : null });
    }
  }
  return running;
}
