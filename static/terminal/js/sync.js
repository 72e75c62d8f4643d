// The network side: online or not, the server's answers fetched again every few seconds (the
// server's view is the truth for what several tablets share: downtime, checks, the order's
// state, who is on it) and the outbox's sender.

import { ApiError, TOKEN_KEY, Unreachable, api, timed } from './api.js';
import { del, put } from './db.js';
import { t } from './i18n.js';
import { applyLanguage } from './language.js';
import { Sender } from './outbox.js';
import { estimateClock, noteClock, reloadStores, saveSession } from './persist.js';
import { S, changed, clearFlash, flash } from './state.js';

// The screen's data again every few seconds; the operator list less often.
const REFRESH_MS = 3000;
const TERMINAL_REFRESH_MS = 20000;

let probeDelay = 2000;
let nextProbe = 0;
let nextRefresh = 0;
let nextTerminal = 0;
let refreshing = null;

export function setOnline(value) {
  if (S.online === value) return;
  S.online = value;
  if (value) {
    probeDelay = 2000;
    sender.kick();
    nextRefresh = 0;
  } else {
    nextProbe = Date.now() + probeDelay;
  }
  changed();
}

/** True when err was the network's or the token's (and is now shown as such). */
export function networkFailed(err) {
  if (err instanceof ApiError && err.status === 401) {
    S.authError = err.message;
    setOnline(true);
    changed();
    return true;
  }
  if (err instanceof Unreachable) {
    setOnline(false);
    return true;
  }
  return false;
}

/** The terminal's answer came: kept, cached, and its clock noted. */
export async function tookTerminal(data, startedAt) {
  S.terminal = data;
  S.authError = null;
  estimateClock(data.server_time, startedAt);
  await put('cache', data, 'terminal');
}

export async function refreshTerminal() {
  try {
    const [data, startedAt] = await timed(() => api.terminal());
    await tookTerminal(data, startedAt);
    setOnline(true);
    await applyLanguage();     // the plant's language may have changed
    changed();
  } catch (err) {
    if (!networkFailed(err)) console.error(err);
  }
}

export async function refreshQueue(wc) {
  try {
    const [data, startedAt] = await timed(() => api.queue(wc));
    await reloadStores();   // the outbox as it was when this answer was asked for
    S.queues[wc] = { data, fetchedAt: startedAt };
    await put('cache', S.queues[wc], `queue:${wc}`);
    setOnline(true);
    changed();
  } catch (err) {
    if (!networkFailed(err)) flash(err.message, 'error');
  }
}

export async function refreshWorkorder(id) {
  try {
    const [data, startedAt] = await timed(() => api.live(id));
    await reloadStores();
    S.details[id] = { data, fetchedAt: startedAt };
    await put('cache', S.details[id], `wo:${id}`);
    setOnline(true);
    changed();
  } catch (err) {
    if (networkFailed(err)) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      delete S.details[id];
      await del('cache', `wo:${id}`);
      if (S.session && S.session.wo === id) {   // back to the queue
        S.session.wo = null;
        S.screen = 'queue';
        saveSession(true);
        changed(true);
      }
    }
    flash(err.message, 'error');
  }
}

/** Fetch what the current screen shows; one round at a time (a slow server is not piled on);
 * ``now``: a new screen's data right after the round under way. */
export function refreshCurrent(now = false) {
  if (refreshing) return now ? refreshing.then(() => refreshCurrent()) : refreshing;
  nextRefresh = Date.now() + REFRESH_MS;
  if (!localStorage.getItem(TOKEN_KEY)) return Promise.resolve();
  const work = [];
  if (!S.terminal || S.authError || (S.screen === 'login' && Date.now() >= nextTerminal)) {
    nextTerminal = Date.now() + TERMINAL_REFRESH_MS;
    work.push(refreshTerminal());
  }
  if (S.session && S.session.wc) work.push(refreshQueue(S.session.wc));
  if (S.session && S.session.wo) work.push(refreshWorkorder(S.session.wo));
  if (!work.length) work.push(api.ping().then(() => setOnline(true), (err) => networkFailed(err)));
  refreshing = Promise.all(work).finally(() => { refreshing = null; });
  return refreshing;
}

/** Called every second: the periodic refresh or, offline, the probe for the network's return
 * (backing off from 2 s to 10 s). ``paused``: a dialog is open, nothing is rebuilt under it. */
export function pulse(paused) {
  if (!localStorage.getItem(TOKEN_KEY) || S.screen === 'setup') return;
  if (S.online === false) {
    if (Date.now() >= nextProbe) {
      nextProbe = Date.now() + probeDelay;
      probeDelay = Math.min(probeDelay * 2, 10000);
      refreshCurrent();
    }
  } else if (Date.now() >= nextRefresh && !paused) {
    refreshCurrent();
  }
}

export function networkBack() {
  nextProbe = 0;
  sender.kick();
}

export const sender = new Sender({
  sent(outcome, answer) {
    if (answer) {
      setOnline(true);
      S.authError = null;
      if (typeof answer.clock_offset_ms === 'number') noteClock(answer.clock_offset_ms, true);
    }
    reloadStores().then(() => {
      changed();
      if (outcome.rejected.length && S.screen === 'workorder') {
        // the status slot says it; a "saved" toast still showing would say the opposite
        clearFlash();
        changed();
      } else {
        // the banner lists the logged-in operator's refusals only (state.js visibleRejected)
        const me = S.session && S.session.employee;
        const mine = outcome.rejected.filter((r) => me && r.emp && r.emp.id === me.id).length;
        if (mine) flash(t('flash.refused', { count: mine }), 'error');
      }
      // fetch again what the acknowledged events changed, once the outbox is empty
      if (!S.outbox.length && S.session) {
        const touched = new Set(outcome.applied.concat(outcome.rejected).map((r) => r.wo));
        if (S.session.wo && touched.has(S.session.wo)) refreshWorkorder(S.session.wo);
        if (S.session.wc) refreshQueue(S.session.wc);
      }
    });
  },
  failed(err) {
    if (!networkFailed(err)) console.error(err);
  },
  idle() {
    if (S.outbox.length) reloadStores().then(() => changed());
  },
});
