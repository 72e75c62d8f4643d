// The four screens. Each returns [key, build]: the screen is rebuilt only when its key (the
// data it shows) changed, so a background answer never swaps a button under a finger. Every
// button's handler goes through guarded() (guard.js): a tap is taken once.

import {
  S, actions, cancelSetup, deriveWorkorder, dismissRejected, downtimeOf, go, idleMinutes, idleStop, loginWithBadge, loginWithPin,
  openSetup, openWorkorder, queueRows, saveSetup, selectWorkcenter,
} from './app.js';
import { TOKEN_KEY } from './api.js';
import { guarded } from './guard.js';
import { TYPE_LABEL, fmtClock, fmtDay, fmtDuration, fmtQty, h, localTimes, plural } from './util.js';

const STATE_LABEL = { pending: 'Waiting', ready: 'Ready', progress: 'In progress', done: 'Finished', cancel: 'Cancelled' };

// ---- set-up ---------------------------------------------------------------------------------
export function viewSetup() {
  const key = JSON.stringify([S.setupError, S.setupInfo, S.outbox.length]);
  return [key, () => {
    const hasToken = !!localStorage.getItem(TOKEN_KEY);
    const token = h('input', {
      id: 'token-input', class: 'field', type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', placeholder: 'Scan the QR code or paste the token', 'aria-label': 'Terminal token',
    });
    const idle = h('input', {
      id: 'idle-input', class: 'field field-short', type: 'number', min: '0.5', step: '0.5', inputmode: 'decimal',
      value: String(idleMinutes()), 'aria-label': 'Auto-logout after minutes without activity',
    });
    const submit = (ev) => {
      ev.preventDefault();
      save();
    };
    const stop = h('select', { id: 'idle-stop-input', class: 'field', 'aria-label': 'Running time at an unanswered auto-logout' },
      h('option', { value: 'stop', selected: idleStop() === 'stop' }, 'Stop it at the operator’s last touch'),
      h('option', { value: 'keep', selected: idleStop() === 'keep' }, 'Keep it running'));
    const save = guarded(() => saveSetup(token.value, idle.value, stop.value));
    setTimeout(() => token.focus(), 0);
    return h('form', { class: 'panel setup', id: 'setup-form', onsubmit: submit },
      h('h1', null, 'Terminal set-up'),
      h('p', { class: 'lead' }, 'Once per tablet: a supervisor issues a token for this terminal in Odoo (Shop Floor → Configuration → Terminals → Issue new token). Scan its QR code or paste it here.'),
      h('label', { class: 'label', for: 'token-input' }, 'Terminal token'), token,
      h('label', { class: 'label', for: 'idle-input' }, 'Log the operator out after this many minutes without a touch'), idle,
      h('label', { class: 'label', for: 'idle-stop-input' }, 'At that auto-logout, when nobody answers, the operator’s running time:'), stop,
      S.setupInfo ? h('p', { id: 'setup-info', class: 'info' }, S.setupInfo) : null,
      S.outbox.length ? h('p', { class: 'warn' }, `${plural(S.outbox.length, 'action is', 'actions are')} still waiting to be sent; they will be sent with the new token.`) : null,
      h('p', { id: 'setup-error', class: 'error', role: 'alert' }, S.setupError || ''),
      h('div', { class: 'row' },
        h('button', { id: 'setup-save', class: 'btn btn-ok btn-wide', type: 'submit' }, 'Save and check'),
        hasToken ? h('button', { id: 'setup-cancel', class: 'btn btn-cancel', type: 'button', onclick: guarded(cancelSetup) }, 'Cancel') : null));
  }];
}

// ---- login ----------------------------------------------------------------------------------
export function viewLogin() {
  const employees = ((S.terminal && S.terminal.employees) || []).slice().sort((a, b) => a.name.localeCompare(b.name));
  const key = JSON.stringify([employees, S.loginError, S.loginInfo, S.online === false]);
  return [key, () => {
    const badge = h('input', {
      id: 'badge-input', class: 'field field-badge', type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', 'aria-label': 'Badge', placeholder: 'Scan badge…', value: S.badgeDraft,
      oninput: (ev) => { S.badgeDraft = ev.target.value; },
    });
    const send = guarded(() => loginWithBadge(badge.value));
    const form = h('form', { class: 'badge-form', onsubmit: (ev) => { ev.preventDefault(); send(); } },
      badge, h('button', { id: 'badge-submit', class: 'btn btn-ok', type: 'submit' }, 'Log in'));
    const names = h('div', { class: 'names', id: 'employee-list' }, employees.length
      ? employees.map((e) => h('button', {
        class: 'btn name', type: 'button', dataset: { employeeId: e.id }, onclick: guarded(() => loginWithPin(e)),
      }, e.name))
      : h('p', { class: 'muted' }, S.terminal ? 'No operators may work here. Ask a supervisor.' : 'The operator list appears when the server is reached.'));
    return h('div', { class: 'login' },
      h('section', { class: 'panel login-badge' },
        h('h1', null, 'Scan your badge'),
        h('p', { class: 'lead' }, 'Hold your badge to the scanner.'),
        form,
        S.loginError ? h('p', { id: 'login-error', class: 'error', role: 'alert' }, S.loginError) : null,
        S.loginInfo ? h('p', { id: 'login-info', class: 'info' }, S.loginInfo) : null,
        h('button', { id: 'open-setup', class: 'btn btn-small btn-ghost', type: 'button', onclick: guarded(openSetup) }, 'Terminal set-up')),
      h('section', { class: 'panel login-names' },
        h('h2', null, 'Or tap your name, then your PIN'),
        names));
  }];
}

// ---- queue ----------------------------------------------------------------------------------
export function viewQueue() {
  const s = S.session;
  const rows = queueRows(s.wc);
  const entry = S.queues[s.wc];
  const down = downtimeOf(s.wc);
  // rebuilt when what it shows changed, not at every fetch (the fetch time shows only offline)
  const key = JSON.stringify([s.wc, s.workcenters, rows, S.online === false && entry && entry.fetchedAt, down]);
  return [key, () => {
    const tabs = s.workcenters.length > 1 ? h('nav', { class: 'tabs' }, s.workcenters.map((wc) => h('button', {
      class: `btn tab${wc.id === s.wc ? ' active' : ''}`, type: 'button', dataset: { wcId: wc.id },
      onclick: guarded(() => selectWorkcenter(wc.id)),
    }, wc.name))) : null;
    let list;
    if (!rows) {
      list = h('p', { class: 'muted big-note' }, S.online === false
        ? 'No saved queue for this work center yet; it appears when the network returns.'
        : 'Loading the queue…');
    } else if (!rows.length) {
      list = h('p', { class: 'muted big-note' }, 'Nothing to do here: no work order is ready or waiting.');
    } else {
      list = h('div', { class: 'queue', id: 'queue' }, rows.map((w) => h('button', {
        class: `wo-card state-${w.state}`, type: 'button', dataset: { woId: w.id }, onclick: guarded(() => openWorkorder(w.id)),
      },
      h('div', { class: 'wo-card-top' }, h('span', { class: 'wo-name' }, w.name), h('span', { class: `chip chip-${w.state}` }, STATE_LABEL[w.state] || w.state)),
      h('div', { class: 'wo-product' }, `${w.product} · ${w.production}`),
      h('div', { class: 'wo-meta' },
        h('span', null, h('b', null, `${fmtQty(w.qty_produced)} / ${fmtQty(w.qty_planned)}`), ` ${w.uom}`),
        h('span', null, `standard ${fmtDuration(w.standard_minutes * 60000)}`),
        w.due ? h('span', null, `due ${fmtDay(Date.parse(w.due))}`) : null,
        w.pending ? h('span', { class: 'pending' }, `${w.pending} waiting to send`) : null))));
    }
    return h('div', { class: 'queue-screen' },
      tabs,
      down ? h('div', { class: 'down-note' }, `Machine down since ${fmtClock(down.since)}: ${down.name}`) : null,
      h('div', { class: 'screen-head' }, h('h1', null, 'Work orders'),
        entry && S.online === false ? h('span', { class: 'muted' }, `saved at ${fmtClock(entry.fetchedAt)}`) : null),
      list);
  }];
}

// ---- work order -----------------------------------------------------------------------------
export function viewWorkorder() {
  const s = S.session;
  const wo = deriveWorkorder(s.wo);
  const down = downtimeOf(s.wc);
  const refused = S.rejected.map((r) => [r.seq, r.error.code]);
  const key = JSON.stringify([wo, down, S.online === false, !!s.employee.badge, refused]);
  return [key, () => {
    const backButton = (id) => h('button', { id, class: 'btn btn-back', type: 'button', onclick: guarded(() => go('queue')) }, '◀ Queue');
    const back = backButton('back-to-queue');
    if (!wo) {
      return h('div', { class: 'wo-screen' }, h('div', { class: 'screen-head' }, back),
        h('p', { class: 'muted big-note' }, S.online === false
          ? 'This work order was never opened on this terminal, so nothing is saved for it; it appears when the network returns.'
          : 'Loading the work order…'));
    }
    const finished = wo.state === 'done';
    const off = finished || !s.employee.badge;
    const btn = (action, label, cls, onclick, sub) => h('button', {
      class: `btn action ${cls}`, type: 'button', dataset: { action }, disabled: off, onclick: guarded(onclick),
    }, h('span', { class: 'action-label' }, label), sub ? h('span', { class: 'action-sub' }, sub) : null);
    const actionGrid = h('div', { class: 'actions', id: 'actions' },
      wo.meRunning
        ? btn('stop', 'Stop', 'btn-stop', actions.stop, 'my time on this order')
        : btn('start', 'Start', 'btn-start', actions.start, 'my time on this order'),
      btn('produce', 'Good parts', 'btn-produce', actions.produce, '+ quantity'),
      btn('scrap', 'Scrap', 'btn-scrap', actions.scrap, 'quantity and reason'),
      down
        ? btn('downtime-end', 'Machine running again', 'btn-down-end', actions.downtimeEnd, `down since ${fmtClock(down.since)}`)
        : btn('downtime-start', 'Machine stopped', 'btn-down', actions.downtimeStart, 'downtime with reason'),
      btn('finish', 'Finish', 'btn-finish', actions.finish, 'order done'));
    const openSince = wo.ops.map((o) => o.since);
    const tiles = h('div', { class: 'tiles' },
      tile('Good', h('span', null, h('b', { id: 'good-count' }, fmtQty(wo.good)), h('small', null, ` / ${fmtQty(wo.planned)} ${wo.uom}`)), 'tile-good'),
      tile('Scrap', h('b', { id: 'scrap-count' }, fmtQty(wo.scrap)), 'tile-scrap'),
      tile('Standard', h('b', { id: 'standard-time' }, fmtDuration(wo.standardMs)), ''),
      tile('Elapsed', h('b', {
        id: 'elapsed-time', class: wo.standardMs && wo.closedMs > wo.standardMs ? 'over' : '',
        dataset: { elapsed: wo.closedMs, open: JSON.stringify(openSince) },
      }, ''), ''));
    const checks = wo.checks.length ? h('section', { class: 'card checks', id: 'checks' }, h('h2', null, 'Quality checks'),
      wo.checks.map((c) => h('div', { class: `check ${c.done ? `check-${c.done.result}` : 'check-due'}`, dataset: { pointId: c.point_id } },
        h('div', { class: 'check-text' },
          h('strong', null, c.name),
          c.kind === 'measure' ? h('span', { class: 'tol' },
            `nominal ${fmtQty(c.nominal)} ${c.unit} · ${fmtQty(c.min)} – ${fmtQty(c.max)} ${c.unit}`) : null,
          h('span', { class: 'check-status' }, c.done
            ? `${c.done.result === 'pass' ? '✔ Pass' : '✘ Fail'}${c.done.value !== undefined && c.done.value !== null ? ` · ${fmtQty(c.done.value)} ${c.unit}` : ''}${c.done.pending ? ' · waiting to send' : ''}`
            : 'Due')),
        h('button', {
          class: 'btn btn-check', type: 'button', disabled: off, dataset: { check: c.point_id },
          onclick: guarded(() => actions.check(c)),
        }, c.done ? 'Again' : c.kind === 'measure' ? 'Measure' : c.kind === 'instruction' ? 'Done' : 'Check')))) : null;
    return h('div', { class: 'wo-screen', dataset: { loaded: wo.hasDetail ? 'detail' : 'summary' } },
      h('div', { class: 'screen-head' }, back,
        h('div', { class: 'wo-title' }, h('h1', { id: 'wo-name' }, wo.name), h('span', { class: 'wo-product' }, `${wo.product} · ${wo.production}`)),
        wo.tracking !== 'none' ? h('span', { id: 'wo-tracking', class: 'chip' }, wo.tracking === 'serial' ? 'Serial numbers' : 'Lot numbers') : null,
        h('span', { id: 'wo-state', class: `chip chip-${wo.state}` }, STATE_LABEL[wo.state] || wo.state)),
      !s.employee.badge ? h('p', { class: 'error' }, 'Your employee record has no badge code, which every action needs. Ask a supervisor to set your Badge ID.') : null,
      // one slot of fixed height: a note coming or going never moves the buttons below it
      h('div', { class: 'wo-status', id: 'wo-status' },
        finished ? h('div', { class: 'done-note', id: 'finished-note' }, 'This work order is finished.', backButton('finished-back')) : null,
        down ? h('div', { class: 'down-note', id: 'downtime-note' }, 'Machine down since ', h('b', null, fmtClock(down.since)),
          ` (${down.name}) · `, h('span', { dataset: { since: down.since } }, '')) : null,
        S.rejected.length ? refusalNote(S.rejected) : null,
        !finished && !down && !S.rejected.length ? h('div', { class: 'status-note' }, wo.ops.length
          ? `On it now: ${wo.ops.map((o) => o.name).join(', ')}` : 'Nobody is on this order now.') : null),
      tiles,
      h('div', { class: 'wo-body' },
        h('div', { class: 'wo-left' }, actionGrid,
          wo.pending ? h('p', { class: 'pending' }, `${plural(wo.pending, 'action', 'actions')} on this order waiting to be sent`) : null),
        h('div', { class: 'wo-right' },
          checks,
          h('section', { class: 'card' }, h('h2', null, 'Instructions'),
            h('p', { class: 'instructions', id: 'instructions' }, wo.instructions || (wo.hasDetail ? 'No instructions for this operation.' : 'Loading…'))),
          wo.components.length ? h('section', { class: 'card' }, h('h2', null, 'Components'),
            h('ul', { class: 'components' }, components(wo.components).map((c) => h('li', null, `${c.name}: ${fmtQty(c.qty_planned)} ${c.uom}`)))) : null)));
  }];
}

/** A refusal after the screen showed the action: in the status slot, in place (the buttons do
 * not move), the newest first, with its own Dismiss; the count says how many more. */
function refusalNote(rejected) {
  const r = rejected[rejected.length - 1];
  const e = r.event;
  const qty = e.data && e.data.qty !== undefined ? ` ${fmtQty(e.data.qty)}` : '';
  const more = rejected.length > 1 ? ` (+${rejected.length - 1} more)` : '';
  return h('div', { id: 'rejected', class: 'rejected-note', role: 'alert', dataset: { seq: r.seq } },
    h('div', { class: 'rejected-text', dataset: { code: r.error.code } },
      h('strong', null, `Not recorded: ${TYPE_LABEL[e.type] || e.type}${qty} on ${r.woName || `work order ${e.workorder_id}`} at ${fmtDay(Date.parse(e.at))}${more}`),
      h('span', { class: 'rejected-message', title: localTimes(r.error.message) }, localTimes(r.error.message))),
    h('button', { class: 'btn btn-small', type: 'button', dataset: { dismiss: r.seq }, onclick: guarded(() => dismissRejected(r.seq)) }, 'Dismiss'));
}

/** One line per component: Odoo splits a component's move as parts are produced. */
function components(moves) {
  const byProduct = new Map();
  for (const m of moves) {
    const line = byProduct.get(m.product_id);
    if (line) line.qty_planned += m.qty_planned;
    else byProduct.set(m.product_id, { ...m });
  }
  return [...byProduct.values()];
}

function tile(label, value, cls) {
  return h('div', { class: `tile ${cls}` }, h('span', { class: 'tile-label' }, label), h('span', { class: 'tile-value' }, value));
}
