// The queue: the work orders ready or waiting at the operator's work center.

import { downtimeOf, queueRows } from './derive.js';
import { fmtClock, fmtDay, fmtDuration, fmtQty } from './format.js';
import { guarded } from './guard.js';
import { currentLanguage, t } from './i18n.js';
import { openWorkorder, selectWorkcenter } from './nav.js';
import { S } from './state.js';
import { h } from './util.js';

export const stateLabel = (state) => t(`state.${state}`);

export function viewQueue() {
  const s = S.session;
  const rows = queueRows(s.wc);
  const entry = S.queues[s.wc];
  const down = downtimeOf(s.wc);
  // rebuilt when what it shows changed, not at every fetch (the fetch time shows only offline)
  const key = JSON.stringify([s.wc, s.workcenters, rows, S.online === false && entry && entry.fetchedAt, down, currentLanguage()]);
  return [key, () => {
    const tabs = s.workcenters.length > 1 ? h('nav', { class: 'tabs' }, s.workcenters.map((wc) => h('button', {
      class: `btn tab${wc.id === s.wc ? ' active' : ''}`, type: 'button', dataset: { wcId: wc.id },
      onclick: guarded(() => selectWorkcenter(wc.id)),
    }, wc.name))) : null;
    let list;
    if (!rows) {
      list = h('p', { class: 'muted big-note' }, t(S.online === false ? 'queue.none_saved' : 'queue.loading'));
    } else if (!rows.length) {
      list = h('p', { class: 'muted big-note' }, t('queue.empty'));
    } else {
      list = h('div', { class: 'queue', id: 'queue' }, rows.map((w) => h('button', {
        class: `wo-card state-${w.state}`, type: 'button', onclick: guarded(() => openWorkorder(w.id)),
        dataset: { woId: w.id, search: JSON.stringify({ name: w.name, product: w.product, production: w.production }) },
      },
      h('div', { class: 'wo-card-top' }, h('span', { class: 'wo-name' }, w.name), h('span', { class: `chip chip-${w.state}` }, stateLabel(w.state))),
      h('div', { class: 'wo-product' }, `${w.product} · ${w.production}`),
      h('div', { class: 'wo-meta' },
        h('span', null, h('b', null, `${fmtQty(w.qty_produced)} / ${fmtQty(w.qty_planned)}`), ` ${w.uom}`),
        h('span', null, t('queue.standard', { time: fmtDuration(w.standard_minutes * 60000) })),
        w.due ? h('span', null, t('queue.due', { at: fmtDay(Date.parse(w.due)) })) : null,
        w.pending ? h('span', { class: 'pending' }, t('queue.pending', { count: w.pending })) : null))));
    }
    return h('div', { class: 'queue-screen' },
      tabs,
      rows && rows.length ? searchForm(rows) : null,
      down ? h('div', { class: 'down-note' }, t('queue.down', { at: fmtClock(down.since), reason: down.name })) : null,
      h('div', { class: 'screen-head' }, h('h1', null, t('queue.title')),
        entry && S.online === false ? h('span', { class: 'muted' }, t('queue.saved_at', { at: fmtClock(entry.fetchedAt) })) : null),
      list);
  }];
}

const matches = (w, text) => !text || [w.name, w.product, w.production].some((v) => String(v || '').toLowerCase().includes(text));

/** Show only the cards that match the search (no rebuild: the field keeps its focus). */
function applyFilter(root) {
  const text = S.queueFilter.trim().toLowerCase();
  let shown = 0;
  for (const card of root.querySelectorAll('.wo-card')) {
    const on = matches(JSON.parse(card.dataset.search), text);
    card.hidden = !on;
    shown += on ? 1 : 0;
  }
  const note = root.querySelector('#queue-no-match');
  if (note) {
    note.hidden = shown > 0;
    note.textContent = shown ? '' : t('queue.no_match', { text: S.queueFilter.trim() });
  }
  return shown;
}

/** Search or scan a work order: typing filters the cards; a scan (ending with Enter) that
 * matches one order opens it. */
function searchForm(rows) {
  const input = h('input', {
    id: 'queue-search', class: 'field', type: 'search', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
    placeholder: t('queue.search'), 'aria-label': t('queue.search'), value: S.queueFilter,
    oninput: (ev) => { S.queueFilter = ev.target.value; applyFilter(document.getElementById('main')); },
  });
  const open = guarded(() => {
    const text = S.queueFilter.trim().toLowerCase();
    const found = rows.filter((w) => matches(w, text));
    const exact = found.filter((w) => w.name.toLowerCase() === text || w.production.toLowerCase() === text);
    const pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : null;
    if (!pick) return undefined;
    S.queueFilter = '';
    return openWorkorder(pick.id);
  });
  setTimeout(() => applyFilter(document.getElementById('main')), 0);
  return h('form', { class: 'queue-search', onsubmit: (ev) => { ev.preventDefault(); open(); } }, input,
    h('button', { class: 'btn btn-small', type: 'button', id: 'queue-search-clear',
      onclick: () => { S.queueFilter = ''; input.value = ''; applyFilter(document.getElementById('main')); } }, t('queue.clear')),
    h('p', { id: 'queue-no-match', class: 'muted', hidden: true }));
}
