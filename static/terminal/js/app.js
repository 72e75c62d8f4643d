// The operator terminal's entry point: starts the app (storage, language, the session left by
// a reload), re-renders on every change of the state, and runs the one-second heartbeat (the
// clocks, the auto-logout, the refresh). The modules, from the bottom up: i18n, format, util;
// state, events, derive (the merge); api, db, outbox, persist, sync (the network); nav,
// actions, auth; the views (view_*.js); render; this file. Imports only go downwards.

import { TOKEN_KEY } from './api.js';
import { autoLogout, autoLogoutRunning, expiredSession } from './auth.js';
import { openDb } from './db.js';
import { modalOpen } from './dialogs.js';
import { installGuard } from './guard.js';
import { t } from './i18n.js';
import { applyLanguage } from './language.js';
import { idleMinutes, loadCached, loadClock, loadSessionCaches, reloadStores, saveSession, storedSession } from './persist.js';
import { render, tick } from './render.js';
import { S, changed, subscribe } from './state.js';
import { networkBack, pulse, refreshCurrent, sender, setOnline } from './sync.js';
import { h } from './util.js';

function heartbeat() {
  tick();
  if (S.lastEntry && Date.now() >= S.lastEntry.until) {   // the undo offer ran out
    S.lastEntry = null;
    changed();
  }
  if (S.session && !autoLogoutRunning() && Date.now() - S.session.lastActivity > idleMinutes() * 60000) {
    autoLogout();
    return;
  }
  pulse(modalOpen());
}

function touch() {
  if (!S.session) return;
  S.session.lastActivity = Date.now();
  saveSession(false);
}

// ---- service worker: the app shell loads without the network --------------------------------
function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) {
    document.body.dataset.sw = 'unsupported';
    return;
  }
  const hadController = !!navigator.serviceWorker.controller;
  document.body.dataset.sw = hadController ? 'ready' : 'installing';
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    document.body.dataset.sw = 'ready';
    // a new version took over: reload into it when nobody is typing
    if (hadController) {
      const reload = () => (modalOpen() ? setTimeout(reload, 5000) : location.reload());
      reload();
    }
  });
  navigator.serviceWorker.register('/mes/terminal/sw.js', { scope: '/mes/terminal' }).catch((err) => {
    document.body.dataset.sw = 'failed';
    console.warn('service worker', err);
  });
}

async function boot() {
  registerServiceWorker();
  installGuard(document);
  document.addEventListener('pointerdown', touch, true);
  document.addEventListener('keydown', touch, true);
  // A scanner types wherever the focus is: on the login screen, send it to the badge field; on
  // the queue, to the work order search.
  document.addEventListener('keydown', (ev) => {
    const input = document.getElementById({ login: 'badge-input', queue: 'queue-search' }[S.screen] || 'none');
    if (!input || modalOpen() || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const target = ev.target;
    if (target === input || (target && ['INPUT', 'TEXTAREA'].includes(target.tagName))) return;
    if (ev.key.length === 1) input.focus();   // the key's character then lands in the field
  }, true);
  window.addEventListener('online', networkBack);
  window.addEventListener('offline', () => setOnline(false));
  subscribe(render);
  loadClock();
  try {
    await openDb();
  } catch {
    await applyLanguage();
    document.getElementById('main').replaceChildren(h('p', { class: 'error' }, t('boot.no_storage')));
    return;
  }
  await reloadStores();
  const cached = await loadCached('terminal');
  if (cached) S.terminal = cached;
  const session = storedSession();
  if (session && Date.now() - session.lastActivity < idleMinutes() * 60000) {
    S.session = session;
    await loadSessionCaches();
  } else if (session) {
    saveSession(true);
    expiredSession(session);
  }
  await applyLanguage();
  if (!localStorage.getItem(TOKEN_KEY)) S.screen = 'setup';
  else if (!S.session) S.screen = 'login';
  else S.screen = S.session.wo ? 'workorder' : 'queue';
  render(true);
  setInterval(heartbeat, 1000);
  if (localStorage.getItem(TOKEN_KEY)) {
    refreshCurrent();
    sender.kick();
  }
}

boot();
