// The set-up screen: the terminal token and the auto-logout settings.

import { TOKEN_KEY } from './api.js';
import { cancelSetup, saveSetup } from './auth.js';
import { guarded } from './guard.js';
import { t } from './i18n.js';
import { idleMinutes, idleStop } from './persist.js';
import { S } from './state.js';
import { h } from './util.js';

export function viewSetup() {
  const key = JSON.stringify([S.setupError, S.setupInfo, S.outbox.length]);
  return [key, () => {
    const hasToken = !!localStorage.getItem(TOKEN_KEY);
    const token = h('input', {
      id: 'token-input', class: 'field', type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', placeholder: t('setup.token_placeholder'), 'aria-label': t('setup.token_label'),
    });
    const idle = h('input', {
      id: 'idle-input', class: 'field field-short', type: 'number', min: '0.5', step: '0.5', inputmode: 'decimal',
      value: String(idleMinutes()), 'aria-label': t('setup.idle_aria'),
    });
    const submit = (ev) => {
      ev.preventDefault();
      save();
    };
    const stop = h('select', { id: 'idle-stop-input', class: 'field', 'aria-label': t('setup.idle_stop_aria') },
      h('option', { value: 'stop', selected: idleStop() === 'stop' }, t('setup.idle_stop_stop')),
      h('option', { value: 'keep', selected: idleStop() === 'keep' }, t('setup.idle_stop_keep')));
    const save = guarded(() => saveSetup(token.value, idle.value, stop.value));
    setTimeout(() => token.focus(), 0);
    return h('form', { class: 'panel setup', id: 'setup-form', onsubmit: submit },
      h('h1', null, t('setup.title')),
      h('p', { class: 'lead' }, t('setup.lead')),
      h('label', { class: 'label', for: 'token-input' }, t('setup.token_label')), token,
      h('label', { class: 'label', for: 'idle-input' }, t('setup.idle_label')), idle,
      h('label', { class: 'label', for: 'idle-stop-input' }, t('setup.idle_stop_label')), stop,
      S.setupInfo ? h('p', { id: 'setup-info', class: 'info' }, S.setupInfo) : null,
      S.outbox.length ? h('p', { class: 'warn' }, t('setup.outbox_waiting', { count: S.outbox.length })) : null,
      h('p', { id: 'setup-error', class: 'error', role: 'alert' }, S.setupError || ''),
      h('div', { class: 'row' },
        h('button', { id: 'setup-save', class: 'btn btn-ok btn-wide', type: 'submit' }, t('setup.save')),
        hasToken ? h('button', { id: 'setup-cancel', class: 'btn btn-cancel', type: 'button', onclick: guarded(cancelSetup) }, t('common.cancel')) : null));
  }];
}
