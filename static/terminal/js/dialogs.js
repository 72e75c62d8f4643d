// Modal dialogs sized for gloved hands: numeric keypad, reason picker, confirmation.
// Each returns a promise of the operator's answer, or null when cancelled.
// Their buttons are judged by the tap guard (guard.js) like every other: a dialog that opened
// under a finger ignores that finger's repeated tap.

import { t } from './i18n.js';
import { h } from './util.js';

let current = null;

function root() {
  return document.getElementById('modal');
}

/** Close the open dialog (its promise resolves with null). */
export function closeModal() {
  if (current) current(null);
}

export function modalOpen() {
  return current !== null;
}

function open(build) {
  closeModal();
  return new Promise((resolve) => {
    const onKey = (ev) => panel.onkey && panel.onkey(ev);
    const finish = (value) => {
      if (current !== finish) return;
      current = null;
      document.removeEventListener('keydown', onKey, true);
      root().replaceChildren();
      document.body.classList.remove('has-modal');
      resolve(value);
    };
    current = finish;
    const panel = build(finish);
    root().replaceChildren(h('div', { class: 'modal-backdrop' }, panel.el));
    document.body.classList.add('has-modal');
    document.addEventListener('keydown', onKey, true);
    if (panel.focus) panel.focus.focus();
  });
}

/**
 * keypad({title, subtitle, unit, decimals, signed, secret, allowZero, okLabel, hint(value), presets})
 * resolves with the entered string (secret) or number, or null.
 */
export function keypad(options) {
  const { title, subtitle, unit = '', decimals = true, signed = false, secret = false,
    allowZero = false, okLabel = t('common.ok'), hint, presets = [] } = options;
  return open((finish) => {
    let text = '';
    const display = h('output', { class: 'keypad-display', id: 'keypad-display' });
    const note = h('div', { class: 'keypad-hint', id: 'keypad-hint' });
    const ok = h('button', { class: 'btn btn-ok', dataset: { key: 'ok' }, type: 'button' }, okLabel);
    const valid = () => {
      if (secret) return text.length > 0;
      const n = Number(text);
      return text !== '' && text !== '-' && Number.isFinite(n) && (allowZero || signed || n > 0);
    };
    const value = () => (secret ? text : Number(text));
    const refresh = () => {
      display.textContent = secret ? '●'.repeat(text.length) : (text || '0');
      display.classList.toggle('empty', !text);
      if (unit && !secret) display.append(h('span', { class: 'unit' }, ` ${unit}`));
      ok.disabled = !valid();
      const extra = hint && valid() ? hint(value()) : null;
      note.replaceChildren(...(extra ? [extra] : []));
    };
    const press = (key) => {
      if (key === 'back') text = text.slice(0, -1);
      else if (key === 'clear') text = '';
      else if (key === 'sign') text = text.startsWith('-') ? text.slice(1) : `-${text}`;
      else if (key === '.') { if (!text.replace('-', '').includes('.')) text = (text.replace('-', '') ? text : `${text}0`) + '.'; }
      else if (key === 'ok') { if (valid()) finish(value()); return; }
      else if (key === 'cancel') { finish(null); return; }
      else if (key.startsWith('preset:')) text = key.slice(7);
      else if (/^[0-9]$/.test(key) && text.replace(/[-.]/g, '').length < 9) text = text === '0' ? key : text + key;
      refresh();
    };
    const key = (k, label, cls = '') => h('button', {
      class: `key ${cls}`, type: 'button', dataset: { key: k }, onclick: () => press(k),
    }, label);
    const extraKey = decimals ? key('.', '.', 'key-dot') : key('clear', 'C');
    ok.addEventListener('click', () => press('ok'));
    const el = h('div', { class: 'dialog keypad', role: 'dialog', 'aria-label': title },
      h('h2', null, title), subtitle ? h('p', { class: 'sub' }, subtitle) : null,
      display, note,
      h('div', { class: 'keys' },
        ['7', '8', '9', '4', '5', '6', '1', '2', '3'].map((k) => key(k, k)),
        extraKey, key('0', '0'), key('back', '⌫', 'key-back'),
        signed ? key('sign', t('keypad.sign'), 'key-wide') : null,
        // a quantity the operator often means, filled in by one tap: {label, value}
        presets.map((p) => key(`preset:${p.value}`, p.label, 'key-wide key-preset'))),
      h('div', { class: 'dialog-actions' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => press('cancel') }, t('common.cancel')),
        ok));
    refresh();
    return {
      el,
      onkey(ev) {
        const map = { Enter: 'ok', Escape: 'cancel', Backspace: 'back', ',': '.', '.': '.', '-': 'sign' };
        const k = /^[0-9]$/.test(ev.key) ? ev.key : map[ev.key];
        if (!k || (k === 'sign' && !signed) || (k === '.' && !decimals)) return;
        ev.preventDefault();
        ev.stopPropagation();
        press(k);
      },
    };
  });
}

/** One line of text, typed or scanned (a keyboard-wedge scanner ends with Enter); resolves
 * with it, '' when ``optional`` and left empty, or null. */
export function textPrompt(title, subtitle, placeholder, { optional = false } = {}) {
  return open((finish) => {
    const input = h('input', {
      id: 'prompt-input', class: 'field', type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', placeholder: placeholder || '',
    });
    const submit = (ev) => {
      ev.preventDefault();
      if (input.value.trim() || optional) finish(input.value.trim());
    };
    const el = h('form', { class: 'dialog confirm', role: 'dialog', 'aria-label': title, onsubmit: submit },
      h('h2', null, title), subtitle ? h('p', { class: 'sub' }, subtitle) : null, input,
      h('div', { class: 'dialog-actions' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => finish(null) }, t('common.cancel')),
        h('button', { class: 'btn btn-ok', type: 'submit', dataset: { key: 'ok' } }, t('common.ok'))));
    return { el, focus: input, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}

/** Pick one reason (records of kind scrap or downtime from the terminal info), grouped by
 * category. Resolves with the reason object or null. */
export function pickReason(title, reasons) {
  return open((finish) => {
    const groups = new Map();
    for (const reason of reasons) {
      const cat = reason.category || t('reasons.other');
      if (!groups.has(cat)) groups.set(cat, []);
      groups.get(cat).push(reason);
    }
    const el = h('div', { class: 'dialog reasons', role: 'dialog', 'aria-label': title },
      h('h2', null, title),
      reasons.length ? null : h('p', { class: 'error' }, t('reasons.none')),
      h('div', { class: 'reason-groups' }, [...groups].map(([cat, list]) => h('section', { class: 'reason-group' },
        h('h3', null, cat),
        h('div', { class: 'reason-grid' }, list.map((r) => h('button', {
          class: 'btn reason', type: 'button', dataset: { reason: r.code }, onclick: () => finish(r),
        }, h('span', { class: 'reason-name' }, r.name), h('span', { class: 'reason-code' }, r.code))))))),
      h('div', { class: 'dialog-actions' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => finish(null) }, t('common.cancel'))));
    return { el, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}

/** Pick one component of the step ({product_id, name, qty_planned, uom}); resolves with it or null. */
export function pickComponent(title, lines) {
  return open((finish) => {
    const el = h('div', { class: 'dialog reasons', role: 'dialog', 'aria-label': title },
      h('h2', null, title),
      h('div', { class: 'reason-grid' }, lines.map((c) => h('button', {
        class: 'btn reason', type: 'button', dataset: { productId: c.product_id }, onclick: () => finish(c),
      }, h('span', { class: 'reason-name' }, c.name), h('span', { class: 'reason-code' }, `${c.qty_planned} ${c.uom}`)))),
      h('div', { class: 'dialog-actions' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => finish(null) }, t('common.cancel'))));
    return { el, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}

/** Yes/no question; resolves true or null. */
export function confirmDialog(title, text, okLabel, okClass = 'btn-ok') {
  return open((finish) => {
    const ok = h('button', { class: `btn ${okClass}`, type: 'button', dataset: { key: 'ok' }, onclick: () => finish(true) }, okLabel);
    const el = h('div', { class: 'dialog confirm', role: 'dialog', 'aria-label': title },
      h('h2', null, title), h('p', { class: 'sub' }, text),
      h('div', { class: 'dialog-actions' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => finish(null) }, t('common.cancel')),
        ok));
    return { el, focus: ok, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}

/** Pass/fail choice for a check without a measured value. */
export function passFail(title, text) {
  return open((finish) => {
    const el = h('div', { class: 'dialog confirm', role: 'dialog', 'aria-label': title },
      h('h2', null, title), text ? h('p', { class: 'sub' }, text) : null,
      h('div', { class: 'dialog-actions three' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => finish(null) }, t('common.cancel')),
        h('button', { class: 'btn btn-fail', type: 'button', dataset: { key: 'fail' }, onclick: () => finish('fail') }, t('checks.fail_button')),
        h('button', { class: 'btn btn-pass', type: 'button', dataset: { key: 'pass' }, onclick: () => finish('pass') }, t('checks.pass_button'))));
    return { el, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}

/** One of several answers, one button each ({key, label, cls}), stacked full width; resolves
 * with the key, null on Escape, or ``'timeout'`` when ``timeoutMs`` passes unanswered (an
 * unattended tablet). */
export function choose(title, text, choices, { timeoutMs = 0 } = {}) {
  return open((finish) => {
    if (timeoutMs) setTimeout(() => finish('timeout'), timeoutMs);   // a no-op once answered
    const el = h('div', { class: 'dialog confirm', role: 'dialog', 'aria-label': title },
      h('h2', null, title), text ? h('p', { class: 'sub' }, text) : null,
      h('div', { class: 'dialog-actions stack' }, choices.map((c) => h('button', {
        class: `btn ${c.cls || ''}`, type: 'button', dataset: { key: c.key }, onclick: () => finish(c.key),
      }, c.label))));
    return { el, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}

/** The supervisor's badge (scanned) and, optionally, PIN; resolves {badge, pin?} or null. */
export function supervisorPrompt(error) {
  return open((finish) => {
    const badge = h('input', {
      id: 'supervisor-badge', class: 'field field-badge', type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', placeholder: t('login.badge_placeholder'), 'aria-label': t('supervisor.badge_aria'),
    });
    const pin = h('input', {
      id: 'supervisor-pin', class: 'field field-short', type: 'password', inputmode: 'numeric', autocomplete: 'off',
      placeholder: t('supervisor.pin_placeholder'), 'aria-label': t('supervisor.pin_aria'),
    });
    const submit = (ev) => {
      ev.preventDefault();
      if (!badge.value.trim()) return;
      finish(pin.value ? { badge: badge.value.trim(), pin: pin.value } : { badge: badge.value.trim() });
    };
    const el = h('form', { class: 'dialog confirm', id: 'supervisor-form', role: 'dialog', 'aria-label': t('setup.title'), onsubmit: submit },
      h('h2', null, t('supervisor.title')),
      h('p', { class: 'sub' }, t('supervisor.lead')),
      badge, pin,
      error ? h('p', { id: 'supervisor-error', class: 'error', role: 'alert' }, error) : null,
      h('div', { class: 'dialog-actions' },
        h('button', { class: 'btn btn-cancel', type: 'button', dataset: { key: 'cancel' }, onclick: () => finish(null) }, t('common.cancel')),
        h('button', { class: 'btn btn-ok', type: 'submit', dataset: { key: 'ok' } }, t('supervisor.open'))));
    return { el, focus: badge, onkey(ev) { if (ev.key === 'Escape') finish(null); } };
  });
}
