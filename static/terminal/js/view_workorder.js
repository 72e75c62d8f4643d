// The work order screen: its state, counts and timers, the actions, checks, instructions and
// components. Rebuilt only when what it shows changed (its key), so a background answer never
// swaps a button under a finger.

import { actions, componentLines, dismissRejected, eventLabel, undoLast } from './actions.js';
import { deriveWorkorder, downtimeOf } from './derive.js';
import { fmtClock, fmtDay, fmtDuration, fmtQty, localTimes } from './format.js';
import { guarded } from './guard.js';
import { currentLanguage, t } from './i18n.js';
import { go } from './nav.js';
import { bandState, plan } from './next_step.js';
import { S, visibleRejected } from './state.js';
import { h } from './util.js';
import { stateLabel } from './view_queue.js';
import { machineStopKey, viewMachineStop } from './machine_stop.js';

export function viewWorkorder() {
  const s = S.session;
  const wo = deriveWorkorder(s.wo);
  const down = downtimeOf(s.wc);
  const rejected = visibleRejected();
  const refused = rejected.map((r) => [r.seq, r.error.code]);
  const undo = S.lastEntry && S.lastEntry.wo === s.wo && S.lastEntry.until > Date.now() ? S.lastEntry : null;
  const key = JSON.stringify([wo, down, S.online === false, !!s.employee.badge, refused, currentLanguage(), undo && undo.seq, machineStopKey(s.wo)]);
  return [key, () => {
    const backButton = (id) => h('button', { id, class: 'btn btn-back', type: 'button', onclick: guarded(() => go('queue')) }, t('wo.back'));
    const back = backButton('back-to-queue');
    if (!wo) {
      return h('div', { class: 'wo-screen' }, h('div', { class: 'screen-head' }, back),
        h('p', { class: 'muted big-note' }, t(S.online === false ? 'wo.never_opened' : 'wo.loading')));
    }
    const finished = wo.state === 'done';
    const me = s.employee;
    const { why, next } = plan(wo, { down, hasBadge: !!me.badge });
    const btn = (action, label, cls, onclick, sub) => {
      const reason = why[action];
      const isNext = next === action;
      return h('button', {
        class: `btn action ${cls}${isNext ? ' next' : ''}`, type: 'button', disabled: !!reason, onclick: guarded(onclick),
        dataset: { action, next: isNext ? 'true' : null, why: reason ? reason[0] : null },
      }, isNext ? h('span', { class: 'next-tag' }, t('next.label')) : null,
      h('span', { class: 'action-label' }, label),
      reason ? h('span', { class: 'action-sub action-why' }, t(reason[0], reason[1] || {}))
        : sub ? h('span', { class: 'action-sub' }, sub) : null);
    };
    const actionGrid = h('div', { class: 'actions', id: 'actions' },
      wo.meRunning
        ? btn('stop', t('action.stop'), 'btn-stop', actions.stop, t('action.my_time'))
        : btn('start', t('action.start'), 'btn-start', actions.start, t('action.my_time')),
      btn('produce', t('action.produce'), 'btn-produce', actions.produce, t('action.produce_sub')),
      btn('plus-one', t('action.plus_one'), 'btn-produce btn-plus-one', actions.plusOne, t('action.plus_one_sub')),
      btn('scrap', t('action.scrap'), 'btn-scrap', actions.scrap, t('action.scrap_sub')),
      btn('consume', t('action.consume'), 'btn-consume', actions.consume, t('action.consume_sub')),
      down
        ? btn('downtime-end', t('action.down_end'), 'btn-down-end', actions.downtimeEnd, t('action.down_end_sub', { at: fmtClock(down.since) }))
        : btn('downtime-start', t('action.down_start'), 'btn-down', actions.downtimeStart, t('action.down_start_sub')),
      btn('finish', t('action.finish'), 'btn-finish', actions.finish, t('action.finish_sub')));
    const openSince = wo.ops.map((o) => o.since);
    const tiles = h('div', { class: 'tiles' },
      tile(t('tile.good'), h('span', null, h('b', { id: 'good-count' }, fmtQty(wo.good)), h('small', null, ` / ${fmtQty(wo.planned)} ${wo.uom}`)), 'tile-good'),
      tile(t('tile.scrap'), h('b', { id: 'scrap-count' }, fmtQty(wo.scrap)), 'tile-scrap'),
      tile(t('tile.standard'), h('b', { id: 'standard-time' }, fmtDuration(wo.standardMs)), ''),
      tile(t('tile.elapsed'), h('b', {
        id: 'elapsed-time', class: wo.standardMs && wo.closedMs > wo.standardMs ? 'over' : '',
        dataset: { elapsed: wo.closedMs, open: JSON.stringify(openSince) },
      }, ''), ''));
    const band = stateBand(wo, down, me);
    const checks = wo.checks.length ? h('section', { class: 'card checks', id: 'checks' }, h('h2', null, t('checks.title')),
      wo.checks.map((c) => h('div', { class: `check ${c.done ? `check-${c.done.result}` : 'check-due'}`, dataset: { pointId: c.point_id } },
        h('div', { class: 'check-text' },
          h('strong', null, c.name),
          c.kind === 'measure' ? h('span', { class: 'tol' },
            t('checks.tolerance', { nominal: fmtQty(c.nominal), min: fmtQty(c.min), max: fmtQty(c.max), unit: c.unit })) : null,
          h('span', { class: 'check-status' }, checkStatus(c))),
        h('button', {
          class: `btn btn-check${next === `check:${c.point_id}` ? ' next' : ''}`, type: 'button', disabled: finished || !me.badge,
          dataset: { check: c.point_id, next: next === `check:${c.point_id}` ? 'true' : null },
          onclick: guarded(() => actions.check(c)),
        }, t(c.done ? 'checks.again' : c.kind === 'measure' ? 'checks.measure' : c.kind === 'instruction' ? 'checks.done' : 'checks.check'))))) : null;
    return h('div', { class: 'wo-screen', dataset: { loaded: wo.hasDetail ? 'detail' : 'summary' } },
      h('div', { class: 'screen-head' }, back,
        h('div', { class: 'wo-title' }, h('h1', { id: 'wo-name' }, wo.name), h('span', { class: 'wo-product' }, `${wo.product} · ${wo.production}`)),
        wo.tracking !== 'none' ? h('span', { id: 'wo-tracking', class: 'chip' }, t(wo.tracking === 'serial' ? 'wo.serials' : 'wo.lots')) : null,
        h('span', { id: 'wo-state', class: `chip chip-${wo.state}` }, stateLabel(wo.state))),
      !s.employee.badge ? h('p', { class: 'error' }, t('wo.no_badge')) : null,
      // the band and one slot of fixed height: a note coming or going never moves the buttons
      h('div', { class: 'wo-band-row' }, band, h('div', { class: 'wo-status', id: 'wo-status' },
        finished ? h('div', { class: 'done-note', id: 'finished-note' }, t('wo.finished'), backButton('finished-back')) : null,
        down ? h('div', { class: 'down-note', id: 'downtime-note' }, t('wo.down_since'), h('b', null, fmtClock(down.since)),
          ` (${down.name}) · `, h('span', { dataset: { since: down.since } }, '')) : null,
        rejected.length ? refusalNote(rejected) : null,
        undo ? h('div', { class: 'undo-note', id: 'undo' },
          h('button', { class: 'btn btn-small btn-undo', type: 'button', dataset: { undo: undo.seq }, onclick: guarded(undoLast) },
            t('undo.button', { what: undo.what }), ' · ', h('span', { class: 'countdown', dataset: { countdown: undo.until } }, ''))) : null,
        !finished && !down && !rejected.length ? h('div', { class: 'status-note' }, wo.ops.length
          ? t('wo.on_it', { names: wo.ops.map((o) => o.name).join(', ') }) : t('wo.nobody')) : null)),
      tiles,
      h('div', { class: 'wo-body' },
        h('div', { class: 'wo-left' }, actionGrid,
          wo.pending ? h('p', { class: 'pending' }, t('wo.pending', { count: wo.pending })) : null),
        h('div', { class: 'wo-right' },
          viewMachineStop(s.wo, !me.badge),   // a machine's unexplained stop to classify (machine_stop.js)
          people(wo, me),
          checks,
          h('section', { class: 'card maintenance' }, h('button', {
            id: 'request-maintenance', class: 'btn btn-small', type: 'button', disabled: !me.badge,
            onclick: guarded(actions.requestMaintenance),
          }, t('maintenance.button'))),
          h('section', { class: 'card' }, h('h2', null, t('wo.instructions')),
            h('p', { class: 'instructions', id: 'instructions' }, wo.instructions || t(wo.hasDetail ? 'wo.no_instructions' : 'wo.loading_short'))),
          wo.components.length ? h('section', { class: 'card' }, h('h2', null, t('wo.components')),
            h('ul', { class: 'components' }, componentLines(wo.components).map((c) => h('li', null, `${c.name}: ${fmtQty(c.qty_planned)} ${c.uom}`)))) : null)));
  }];
}

/** The large band: the order's state and the operator's own timer. */
function stateBand(wo, down, me) {
  const state = bandState(wo, down);
  const mine = wo.ops.find((o) => o.id === me.id);
  return h('div', { class: `band band-${state}`, id: 'state-band', dataset: { state } },
    h('span', { class: 'band-state' }, t(`band.${state}`)),
    h('span', { class: 'band-me' },
      h('small', null, mine ? t('band.my_time') : t('band.me_off')),
      h('b', { id: 'my-time', dataset: { elapsed: wo.closedByOp[me.id] || 0, open: JSON.stringify(mine ? [mine.since] : []) } }, '')),
    wo.ops.length ? h('span', { class: 'band-people' }, t('band.people', { count: wo.ops.length })) : null);
}

/** Everyone who worked on the order, each with an own timer (running or not). */
function people(wo, me) {
  const ids = new Set(wo.ops.map((o) => String(o.id)).concat(Object.keys(wo.closedByOp)));
  if (!ids.size) return null;
  const names = new Map((wo.people || []).map((p) => [String(p.id), p.name]));
  for (const o of wo.ops) names.set(String(o.id), o.name);
  if (!names.has(String(me.id))) names.set(String(me.id), me.name);
  const perPiece = wo.planned ? wo.standardMs / wo.planned : 0;
  return h('section', { class: 'card people', id: 'people' },
    h('h2', null, t('wo.people_title'), perPiece ? h('small', { class: 'muted' }, ` · ${t('wo.person_standard', { time: fmtDuration(perPiece) })}`) : null),
    // everyone's time per good piece so far, against that standard (ticks with the timers)
    perPiece && wo.good > 0 ? h('p', { class: 'per-piece' }, perPieceActual(wo, perPiece)) : null,
    [...ids].map((id) => {
      const running = wo.ops.find((o) => String(o.id) === id);
      return h('div', { class: `person${running ? ' person-on' : ''}${id === String(me.id) ? ' person-me' : ''}`, dataset: { employeeId: id } },
        h('span', { class: 'person-name' }, names.get(id) || `#${id}`),
        h('b', { class: 'person-time', dataset: { elapsed: wo.closedByOp[id] || 0, open: JSON.stringify(running ? [running.since] : []) } }, ''));
    }));
}

function perPieceActual(wo, perPiece) {
  const open = wo.ops.map((o) => o.since);
  const text = t('wo.per_piece_actual', { time: '\u0000' }).split('\u0000');
  return [text[0], h('b', {
    id: 'per-piece', dataset: { elapsed: wo.closedMs, open: JSON.stringify(open), divide: wo.good, standard: perPiece },
  }, ''), text[1] || ''];
}

function checkStatus(c) {
  if (!c.done) return t('checks.due');
  const parts = [t(c.done.result === 'pass' ? 'checks.pass' : 'checks.fail')];
  if (c.done.value !== undefined && c.done.value !== null) parts.push(`${fmtQty(c.done.value)} ${c.unit}`);
  if (c.done.pending) parts.push(t('checks.waiting'));
  return parts.join(' · ');
}

/** A refusal after the screen showed the action: in the status slot, in place (the buttons do
 * not move), the newest first, with its own Dismiss; the count says how many more. */
function refusalNote(rejected) {
  const r = rejected[rejected.length - 1];
  const e = r.event;
  const params = { what: eventLabel(e), wo: r.woName || t('common.workorder_n', { id: e.workorder_id }), at: fmtDay(Date.parse(e.at)) };
  const title = t('refused.title', params) + (rejected.length > 1 ? ` ${t('refused.more', { count: rejected.length - 1 })}` : '');
  return h('div', { id: 'rejected', class: 'rejected-note', role: 'alert', dataset: { seq: r.seq } },
    h('div', { class: 'rejected-text', dataset: { code: r.error.code } },
      h('strong', null, title),
      h('span', { class: 'rejected-message', title: localTimes(r.error.message) }, localTimes(r.error.message))),
    h('button', { class: 'btn btn-small', type: 'button', dataset: { dismiss: r.seq }, onclick: guarded(() => dismissRejected(r.seq)) }, t('common.dismiss')));
}

function tile(label, value, cls) {
  return h('div', { class: `tile ${cls}` }, h('span', { class: 'tile-label' }, label), h('span', { class: 'tile-value' }, value));
}
