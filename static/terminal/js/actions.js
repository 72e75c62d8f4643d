// The operator's actions on a work order: each becomes an event in the outbox (durable), shows
// at once, then is sent. Asked first where a slip would cost a correction (quantity.js).

import { confirmDialog, keypad, passFail, pickComponent, pickReason, textPrompt } from './dialogs.js';
import { del } from './db.js';
import { EVENT_TYPES } from './events.js';
import { fmtQty } from './format.js';
import { t } from './i18n.js';
import { enqueue, release, takeBack } from './outbox.js';
import { confirmFinish, confirmQuantity } from './quantity.js';
import { S, changed, flash, reasons } from './state.js';
import { deriveWorkorder } from './derive.js';
import { sender } from './sync.js';
import { h } from './util.js';

/** "Good parts 4": an event's name and quantity, as the operator reads it. */
export function eventLabel(event) {
  const spec = EVENT_TYPES[event.type];
  const name = spec ? t(spec.label) : event.type;
  const qty = event.data && event.data.qty !== undefined ? ` ${fmtQty(event.data.qty)}` : '';
  return `${name}${qty}`;
}

// A quantity entered stays on the tablet this long: taken back then, the server never sees it.
export const UNDO_MS = 5000;
const UNDOABLE = ['produce', 'scrap', 'consume'];
// Once sent, good parts and components used can still be taken back by an undo event, within the
// server's window (services/execution.py UNDO_WINDOW, 2 min) less a margin for the clock.
export const UNDO_WINDOW_MS = 110000;
const UNDOABLE_SENT = ['produce', 'consume'];

/** Write the event to the outbox (durable), show it at once, then try to send it. */
export async function act(type, data) {
  const s = S.session;
  const wo = deriveWorkorder(s.wo);
  if (!s.employee.badge) {
    flash(t('wo.no_badge'), 'error');
    return null;
  }
  const holdMs = UNDOABLE.includes(type) ? UNDO_MS : 0;
  const record = await enqueue(type, { wo: wo.id, wc: s.wc, woName: wo.name, employee: s.employee, data, holdMs });
  S.outbox.push(record);
  S.lastEntry = holdMs ? {
    seq: record.seq, id: record.id, wo: wo.id, emp: s.employee.id, what: eventLabel(record.event), heldUntil: record.holdUntil,
    until: UNDOABLE_SENT.includes(type) ? record.queuedAt + UNDO_WINDOW_MS : record.holdUntil,
  } : null;
  const what = eventLabel(record.event);
  flash(S.online === false ? t('flash.saved_offline', { what }) : t('flash.saved', { what }));
  sender.kick();
  return record;
}

/** Undo the last quantity: while it is still held on the tablet, nothing is sent; after that,
 * an undo event names it (through the outbox, so offline too) and the server takes it back. */
export async function undoLast() {
  const last = S.lastEntry;
  if (!last) return;
  S.lastEntry = null;
  if (await takeBack(last.seq)) {
    S.outbox = S.outbox.filter((r) => r.seq !== last.seq);
    flash(t('undo.done', { what: last.what }));
  } else if (Date.now() < last.until && last.emp === S.session.employee.id && await act('undo', { event: last.id })) {
    S.lastEntry = null;
    flash(t('undo.sent', { what: last.what }));
  }
  changed();
}

/** The undo offer ended (its time passed or the operator left): the entry goes out now. */
export function endUndo() {
  const last = S.lastEntry;
  S.lastEntry = null;
  if (last) release(last.seq).then(() => sender.kick(), () => undefined);
}

/** Good parts of a product tracked by lot or serial number need the lot with them. */
async function produce(wo, qty) {
  if (!(await confirmQuantity(wo, qty, 'good'))) return;
  if (wo.tracking === 'none') {
    await act('produce', { qty });
    return;
  }
  const serial = wo.tracking === 'serial';
  const lot = await textPrompt(t(serial ? 'lot.serial_title' : 'lot.lot_title'),
    t(serial ? 'lot.serial_ask' : 'lot.lot_ask', { qty: fmtQty(qty), uom: wo.uom }), t('lot.placeholder'));
  if (lot !== null) await act('produce', { qty, lot });
}

export const actions = {
  start: () => act('start', {}),
  stop: () => act('stop', {}),
  async produce() {
    const wo = deriveWorkorder(S.session.wo);
    const rest = Math.max(0, (wo.planned || 0) - wo.good);
    const qty = await keypad({
      title: t('produce.title'), unit: wo.uom,
      subtitle: t('produce.subtitle', { wo: wo.name, good: fmtQty(wo.good), planned: fmtQty(wo.planned), uom: wo.uom }),
      presets: rest > 0 ? [{ label: t('keypad.rest', { qty: fmtQty(rest) }), value: rest }] : [],
    });
    if (qty !== null) await produce(wo, qty);
  },
  /** One good part, one tap (a lot-tracked product still asks for its lot). */
  async plusOne() {
    await produce(deriveWorkorder(S.session.wo), 1);
  },
  /** A component of this step used, with its lot when the component is tracked. */
  async consume() {
    const wo = deriveWorkorder(S.session.wo);
    const lines = componentLines(wo.components);
    const choice = lines.length === 1 ? lines[0] : await pickComponent(t('consume.pick'), lines);
    if (!choice) return;
    const qty = await keypad({
      title: t('consume.qty', { name: choice.name }), unit: choice.uom,
      subtitle: t('consume.subtitle', { planned: fmtQty(choice.qty_planned), uom: choice.uom }),
    });
    if (qty === null) return;
    const lot = await textPrompt(t('consume.lot_title', { name: choice.name }),
      t('consume.lot_ask', { qty: fmtQty(qty), uom: choice.uom, name: choice.name }), t('lot.placeholder'), { optional: true });
    if (lot === null) return;
    await act('consume', lot ? { product_id: choice.product_id, qty, lot } : { product_id: choice.product_id, qty });
  },
  async scrap() {
    const wo = deriveWorkorder(S.session.wo);
    const qty = await keypad({
      title: t('scrap.title'), subtitle: t('scrap.subtitle', { wo: wo.name, scrap: fmtQty(wo.scrap) }),
      unit: wo.uom, okLabel: t('scrap.next'),
    });
    if (qty === null || !(await confirmQuantity(wo, qty, 'scrapped'))) return;
    const reason = await pickReason(t('scrap.why', { qty: fmtQty(qty), uom: wo.uom }), reasons('scrap'));
    if (reason) await act('scrap', { qty, reason: reason.code });
  },
  async downtimeStart() {
    const reason = await pickReason(t('downtime.why'), reasons('downtime'));
    if (reason) await act('downtime_start', { reason: reason.code });
  },
  downtimeEnd: () => act('downtime_end', {}),
  /** What is wrong, in a few words (typed or scanned): the posting opens a maintenance request
   * on the work center's equipment. Sent like any entry, so it waits in the outbox offline. */
  async requestMaintenance() {
    const note = await textPrompt(t('maintenance.title'), t('maintenance.ask'), t('maintenance.placeholder'));
    if (note) await act('maintenance_request', { note: note.slice(0, 200) });
  },
  async finish() {
    const wo = deriveWorkorder(S.session.wo);
    if (await confirmFinish(wo)) await act('finish', {});
  },
  async check(point) {
    let result;
    let value;
    if (point.kind === 'measure') {
      const limits = point.min || point.max;
      const inside = (v) => v >= point.min && v <= point.max;
      const nominal = t('check.nominal', { nominal: fmtQty(point.nominal), unit: point.unit });
      value = await keypad({
        title: point.name, unit: point.unit, signed: true, allowZero: true, okLabel: t('check.record'),
        subtitle: limits ? t('check.nominal_tolerance', { nominal, min: fmtQty(point.min), max: fmtQty(point.max), unit: point.unit }) : nominal,
        hint: limits ? (v) => (inside(v) ? h('span', { class: 'ok' }, t('check.within')) : h('span', { class: 'bad' }, t('check.outside'))) : null,
      });
      if (value === null) return;
      result = limits ? (inside(value) ? 'pass' : 'fail') : await passFail(point.name, t('check.measured', { value: fmtQty(value), unit: point.unit }));
    } else if (point.kind === 'instruction') {
      result = (await confirmDialog(point.name, point.instructions || t('check.instruction_default'), t('check.done'))) ? 'pass' : null;
    } else {
      result = await passFail(point.name, point.instructions);
    }
    if (!result) return;
    await act('check', value === undefined ? { point_id: point.point_id, result } : { point_id: point.point_id, result, value });
  },
};

/** One line per component: Odoo splits a component's move as parts are produced. */
export function componentLines(moves) {
  const byProduct = new Map();
  for (const m of moves) {
    const line = byProduct.get(m.product_id);
    if (line) line.qty_planned += m.qty_planned;
    else byProduct.set(m.product_id, { ...m });
  }
  return [...byProduct.values()];
}

export async function dismissRejected(seq) {
  await del('rejected', seq);
  S.rejected = S.rejected.filter((r) => r.seq !== seq);
  changed();
}

/** A new operator does not inherit the last one's refusals: they were shown to that operator
 * (and stay in Odoo's Rejected events for a supervisor); cleared at login and logout. */
export async function clearRejected() {
  const seqs = S.rejected.map((r) => r.seq);
  S.rejected = [];
  for (const seq of seqs) await del('rejected', seq).catch(() => undefined);
}
