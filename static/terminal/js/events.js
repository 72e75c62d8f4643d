// What each event type the tablet sends means, in one place: its data fields (as the server's
// contract has them, services/contract.py EVENT_FIELDS; tests/browser/node/events.test.mjs
// checks the two agree) and what it does to the tablet's view of a work order before the
// server has answered (the server's fold, services/execution.py, is the truth after).

export const EVENT_TYPES = {
  start: { data: [], label: 'event.start' },
  stop: { data: [], label: 'event.stop' },
  produce: { data: ['qty', 'lot'], label: 'event.produce' },
  scrap: { data: ['qty', 'reason', 'product_id'], label: 'event.scrap' },
  consume: { data: ['product_id', 'qty', 'lot'], label: 'event.consume' },
  downtime_start: { data: ['reason'], label: 'event.downtime_start', machine: true },
  downtime_end: { data: [], label: 'event.downtime_end', machine: true },
  check: { data: ['point_id', 'result', 'value', 'note'], label: 'event.check' },
  finish: { data: [], label: 'event.finish' },
  // the reason of a stop the machine reported (machine_stop.js); the order's counts do not change
  machine_stop_reason: { data: ['reason', 'stop'], label: 'event.machine_stop_reason' },
  // the operator asks for maintenance of the work center's equipment; the posting opens the request
  maintenance_request: { data: ['note'], label: 'event.maintenance_request' },
  // the operator takes back their own good parts or components used, within minutes (the
  // server's fold judges it); derive.js withUndos takes the entry out of the view
  undo: { data: ['event'], label: 'event.undo' },
};

// Sent by a machine (the MQTT bridge), never by a tablet.
export const MACHINE_ONLY_TYPES = ['machine_cycle', 'machine_state'];

const progress = (view) => { if (view.state !== 'done') view.state = 'progress'; };

/** What an event does to a work order's view {good, scrap, state, closedMs, ops, checks,
 * consumed}; ``at``: when it happened, on the server's clock (ms). Downtime is the work
 * center's, not the order's: see downtime in derive.js. */
export const EFFECTS = {
  start(view, record, at) {
    if (!view.ops.some((o) => o.id === record.emp.id)) view.ops.push({ id: record.emp.id, name: record.emp.name, since: at });
    progress(view);
  },
  stop(view, record, at) {
    const mine = view.ops.find((o) => o.id === record.emp.id);
    if (mine) {
      view.closedMs += Math.max(0, at - mine.since);
      view.closedByOp[mine.id] = (view.closedByOp[mine.id] || 0) + Math.max(0, at - mine.since);
    }
    view.ops = view.ops.filter((o) => o.id !== record.emp.id);
  },
  produce(view, record) {
    view.good += record.event.data.qty;
    progress(view);
  },
  scrap(view, record) {
    view.scrap += record.event.data.qty;
  },
  consume(view, record) {
    const d = record.event.data;
    view.consumed.push({ product_id: d.product_id, qty: d.qty, lot: d.lot || null, pending: !('doneAt' in record) });
  },
  check(view, record) {
    const d = record.event.data;
    view.checkResults.set(d.point_id, { result: d.result, value: d.value, pending: !('doneAt' in record) });
  },
  finish(view, record, at) {
    for (const o of view.ops) {
      view.closedMs += Math.max(0, at - o.since);
      view.closedByOp[o.id] = (view.closedByOp[o.id] || 0) + Math.max(0, at - o.since);
    }
    view.ops = [];
    view.state = 'done';
  },
  downtime_start() {},
  downtime_end() {},
  maintenance_request() {},
  undo() {},
};

/** Apply one record (as the outbox stores it) to a view; unknown types change nothing. */
export function applyEvent(view, record, offsetMs = 0) {
  const effect = EFFECTS[record.event.type];
  if (effect) effect(view, record, Date.parse(record.event.at) + offsetMs);
  return view;
}
