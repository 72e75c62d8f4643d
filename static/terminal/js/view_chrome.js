// What frames every screen: the top bar (terminal, clock, network, operator) and the banners
// (the terminal refused, offline, refusals off the work order screen, the toast).

import { dismissRejected, eventLabel } from './actions.js';
import { openSetup, requestLogout, switchOperator } from './auth.js';
import { fmtDay, fmtOffset, localTimes } from './format.js';
import { guarded } from './guard.js';
import { currentLanguage, t } from './i18n.js';
import { S, visibleRejected } from './state.js';
import { h } from './util.js';

export function barModel() {
  return {
    terminal: S.terminal && S.terminal.terminal.name, employee: S.session && S.session.employee.name,
    wc: S.session && (S.session.workcenters.find((w) => w.id === S.session.wc) || {}).name,
    online: S.online, outbox: S.outbox.length, clock: S.clock && [S.clock.offsetMs, S.clock.reported],
    lang: currentLanguage(),
  };
}

export function viewBar() {
  const m = barModel();
  const status = m.online === false ? [t('bar.offline'), 'off'] : m.outbox ? [t('bar.sending', { count: m.outbox }), 'busy']
    : m.online ? [t('bar.online'), 'on'] : [t('bar.connecting'), 'busy'];
  return [
    h('div', { class: 'bar-left' }, h('span', { class: 'bar-title' }, m.terminal || t('bar.title')),
      m.wc ? h('span', { class: 'bar-wc' }, m.wc) : null),
    h('div', { class: 'bar-mid' }, h('span', { id: 'clock-now', class: 'clock-now' }),
      h('span', { id: 'clock-offset', class: 'clock-offset', title: t('bar.clock_title') },
        (S.clock && !S.clock.reported ? '≈ ' : '') + fmtOffset(S.clock ? S.clock.offsetMs : null))),
    h('div', { class: 'bar-right' },
      h('span', { id: 'net-status', class: `pill pill-${status[1]}` }, status[0]),
      m.employee ? h('span', { id: 'operator-name', class: 'bar-user' }, m.employee) : null,
      m.employee ? h('button', { id: 'switch-operator', class: 'btn btn-small', type: 'button', onclick: guarded(switchOperator) }, t('bar.switch')) : null,
      m.employee ? h('button', { id: 'logout', class: 'btn btn-small', type: 'button', onclick: guarded(requestLogout) }, t('bar.logout')) : null),
  ];
}

export function bannersKey() {
  return JSON.stringify([S.online, S.outbox.length, visibleRejected().map((r) => r.seq), S.flash, S.authError, S.screen === 'workorder', currentLanguage()]);
}

export function viewBanners() {
  const parts = [];
  if (S.authError) {
    parts.push(h('div', { id: 'auth-banner', class: 'banner banner-error', role: 'alert' },
      h('span', null, t('banner.auth', { message: S.authError })),
      h('button', { class: 'btn btn-small', type: 'button', onclick: guarded(openSetup) }, t('banner.setup'))));
  }
  if (S.online === false) {
    const n = S.outbox.length;
    parts.push(h('div', { id: 'offline-banner', class: 'banner banner-offline', role: 'status' },
      n ? t('banner.offline_waiting', { count: n }) : t('banner.offline')));
  }
  const rejected = visibleRejected();
  if (rejected.length && S.screen !== 'workorder') {   // on a work order: in its status slot
    parts.push(h('section', { id: 'rejected', class: 'banner banner-error rejected', role: 'alert' },
      h('h2', null, t('banner.refused', { count: rejected.length })),
      rejected.map((r) => {
        const e = r.event;
        const params = { what: eventLabel(e), wo: r.woName || t('common.workorder_n', { id: e.workorder_id }), at: fmtDay(Date.parse(e.at)) };
        return h('div', { class: 'rejected-item', dataset: { seq: r.seq, code: r.error.code } },
          h('div', { class: 'rejected-text' },
            h('strong', null, t('banner.refused_item', params)),
            h('span', { class: 'rejected-message' }, localTimes(r.error.message)),
            h('code', null, r.error.code)),
          h('button', { class: 'btn btn-small', type: 'button', dataset: { dismiss: r.seq }, onclick: guarded(() => dismissRejected(r.seq)) }, t('common.dismiss')));
      })));
  }
  if (S.flash) parts.push(h('div', { id: 'flash', class: `banner banner-flash flash-${S.flash.kind}`, role: 'status' }, S.flash.text));
  return parts;
}
