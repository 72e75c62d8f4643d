// What each event type the tablet sends means, in one place: its data fields and who sends it
// come from the server's descriptions (services/event_types.py, copied into event_types.js);
// here are the word the operator reads for it, the check of an event before it goes into the
// outbox, and what it does to the tablet's view of a work order before the server has answered
// (the server's fold, services/execution.py, is the truth after).
import { DESCRIPTIONS } from './event_types.js';

// The word for each type a tablet action sends (a key of i18n/*.json).
const LABELS = {
  start: 'event.start',
  stop: 'event.stop',
  produce: 'event.produce',
  scrap: 'event.scrap',
  consume: 'event.consume',
  downtime_start: 'event.downtime_start',
  downtime_end: 'event.downtime_end',
  check: 'event.check',
  finish: 'event.finish',
  machine_stop_reason: 'event.machine_stop_reason',
  maintenance_request: 'event.maintenance_request',
  undo: 'event.undo',
};

/** The types this tablet sends (a description with a tablet action): their data fields, label
 * and the action that sends them. */
export const EVENT_TYPES = Object.fromEntries(Object.entries(DESCRIPTIONS).filter(([, d]) => d.tablet_action)
  .map(([type, d]) => [type, { data: d.fields.map((f) => f.name), label: LABELS[type], action: d.tablet_action }]));

// Sent by a machine (the MQTT bridge), never by a tablet.
export const MACHINE_ONLY_TYPES = Object.keys(DESCRIPTIONS).filter((type) => DESCRIPTIONS[type].sent_by === 'machine');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const refusal = (code, field, problem) => ({ code, field, problem });

/** The check of one field's value against its description, as the server's parser judges it. */
function checkField(field, value, type) {
  const name = `data.${field.name}`;
  const absent = value === null || value === undefined;
  if (field.kind === 'text') {
    if (field.required && (absent || (typeof value === 'string' && !value.trim()))) return refusal('field_missing', name, `is required for ${type}`);
    if (absent || value === '') return null;
    if (typeof value !== 'string') return refusal('field_invalid', name, 'must be a string');
    if ([...value].length > field.max_length) return refusal('field_invalid', name, `is longer than ${field.max_length} characters`);
    if (value.includes('\0') || LONE_SURROGATE.test(value)) return refusal('field_invalid', name, 'contains a NUL character or invalid unicode');
    return null;
  }
  if (absent) return field.required ? refusal('field_missing', name, `is required for ${type}`) : null;
  if (field.kind === 'choice') return field.choices.includes(value) ? null : refusal('field_invalid', name, `must be one of ${field.choices.join(', ')}`);
  if (field.kind === 'quantity' || field.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return refusal('field_invalid', name, 'must be a number');
    if (Math.abs(value) > field.max) return refusal('field_invalid', name, 'is out of range');
    if ('above' in field && value <= field.above) return refusal('qty_not_positive', name, 'must be above zero');
    return null;
  }
  // id or count: a whole number in range; a required count is at least 1
  if (!Number.isInteger(value)) return refusal('field_invalid', name, 'must be an integer');
  if (value < 0 || value > field.max) return refusal('field_invalid', name, 'is out of range');
  if (value < field.min) return refusal('qty_not_positive', name, `must be at least ${field.min}`);
  return null;
}

/** Whether a tablet may send ``type``: described, with a tablet action. */
export const tabletSends = (type, descriptions = DESCRIPTIONS) => Boolean(
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(descriptions, type) && descriptions[type].tablet_action);

/** Null when the tablet may send an event of ``type`` with ``data``, else the refusal {code,
 * field, problem} with the server's error code: a type no tablet action sends is unknown to the
 * tablet (type_unknown), also when the server knows it (a machine's); the data is judged field by
 * field like the server's parser (services/contract.py); fields not described are ignored. */
export function checkEvent(type, data, descriptions = DESCRIPTIONS) {
  if (type === null || type === undefined) return refusal('field_missing', 'type', 'an event needs its type');
  if (!tabletSends(type, descriptions)) return refusal('type_unknown', 'type', `${type} is not an event this tablet sends`);
  const given = data === null || data === undefined ? {} : data;
  if (!isObject(given)) return refusal('field_invalid', 'data', 'must be a JSON object');
  for (const field of descriptions[type].fields) {
    const refused = checkField(field, given[field.name], type);
    if (refused) return refused;
  }
  return null;
}

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
