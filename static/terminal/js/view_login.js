// The login screen: a badge scanned (or typed), or a name tapped and a PIN.

import { loginWithBadge, loginWithPin, openSetup } from './auth.js';
import { guarded } from './guard.js';
import { currentLanguage, t } from './i18n.js';
import { S } from './state.js';
import { h } from './util.js';

export function viewLogin() {
  const employees = ((S.terminal && S.terminal.employees) || []).slice().sort((a, b) => a.name.localeCompare(b.name));
  const key = JSON.stringify([employees, S.loginError, S.loginInfo, S.online === false, currentLanguage()]);
  return [key, () => {
    const badge = h('input', {
      id: 'badge-input', class: 'field field-badge', type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', 'aria-label': t('login.badge_aria'), placeholder: t('login.badge_placeholder'), value: S.badgeDraft,
      oninput: (ev) => { S.badgeDraft = ev.target.value; },
    });
    const send = guarded(() => loginWithBadge(badge.value));
    const form = h('form', { class: 'badge-form', onsubmit: (ev) => { ev.preventDefault(); send(); } },
      badge, h('button', { id: 'badge-submit', class: 'btn btn-ok', type: 'submit' }, t('login.submit')));
    const names = h('div', { class: 'names', id: 'employee-list' }, employees.length
      ? employees.map((e) => h('button', {
        class: 'btn name', type: 'button', dataset: { employeeId: e.id }, onclick: guarded(() => loginWithPin(e)),
      }, e.name))
      : h('p', { class: 'muted' }, t(S.terminal ? 'login.nobody' : 'login.list_later')));
    return h('div', { class: 'login' },
      h('section', { class: 'panel login-badge' },
        h('h1', null, t('login.title')),
        h('p', { class: 'lead' }, t('login.lead')),
        form,
        S.loginError ? h('p', { id: 'login-error', class: 'error', role: 'alert' }, S.loginError) : null,
        S.loginInfo ? h('p', { id: 'login-info', class: 'info' }, S.loginInfo) : null,
        h('button', { id: 'open-setup', class: 'btn btn-small btn-ghost', type: 'button', onclick: guarded(openSetup) }, t('login.setup'))),
      h('section', { class: 'panel login-names' },
        h('h2', null, t('login.names_title')),
        names));
  }];
}
