// Who uses the tablet: the terminal's set-up (a supervisor's), login by badge or PIN, logout
// (asking when the operator's time runs) and the auto-logout of an unattended tablet.

import { ApiError, TOKEN_KEY, api, timed } from './api.js';
import { clearRejected, endUndo } from './actions.js';
import { choose, closeModal, keypad, supervisorPrompt } from './dialogs.js';
import { runningKnownHere, runningMerged } from './derive.js';
import { fmtClock, fmtQty, localTimes } from './format.js';
import { t } from './i18n.js';
import { applyLanguage } from './language.js';
import { go } from './nav.js';
import { enqueue } from './outbox.js';
import { idleMinutes, idleStop, loadCached, loadSessionCaches, reloadStores, saveSession, saveSettings } from './persist.js';
import { S, changed, clockOffset } from './state.js';
import { networkFailed, refreshTerminal, sender, setOnline, tookTerminal } from './sync.js';
import { put } from './db.js';

// ---- set-up ---------------------------------------------------------------------------------
export async function saveSetup(token, minutes, stopWhenIdle) {
  token = (token || '').trim();
  S.setupError = null;
  S.setupInfo = null;
  if (!token) {
    S.setupError = t('setup.error_token');
    return changed(true);
  }
  const idle = parseFloat(String(minutes).replace(',', '.'));
  if (!(idle > 0)) {
    S.setupError = t('setup.error_minutes');
    return changed(true);
  }
  saveSettings(idle, stopWhenIdle);
  try {
    const [data, startedAt] = await timed(() => api.terminal(token));
    localStorage.setItem(TOKEN_KEY, token);
    await tookTerminal(data, startedAt);
    setOnline(true);
    await applyLanguage();
    S.loginInfo = t('setup.paired', { name: data.terminal.name });
  } catch (err) {
    if (err instanceof ApiError) {
      S.setupError = err.message;
      return changed(true);
    }
    localStorage.setItem(TOKEN_KEY, token);
    setOnline(false);
    S.loginInfo = t('setup.saved_offline');
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => undefined);
  S.screen = 'login';
  changed(true);
  sender.kick();
}

/** The set-up screen. Once this tablet is a terminal (it has a token the server accepts), only a
 * supervisor opens it: an employee whose user is an MES supervisor, checked by the server by
 * badge (or badge and PIN). Without a token, or with one the server refused, the set-up is open:
 * the token a supervisor issues is then what counts. */
export async function openSetup() {
  const gated = localStorage.getItem(TOKEN_KEY) && !S.authError;
  let error = null;
  S.setupInfo = null;
  while (gated) {
    const payload = await supervisorPrompt(error);
    if (!payload) return changed(true);
    try {
      const [answer] = await timed(() => api.supervisor(payload));
      S.setupInfo = t('setup.opened_by', { name: answer.supervisor.name });
      break;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && err.code === 'unauthorized') {
        S.authError = err.message;
        break;
      }
      error = err instanceof ApiError ? localTimes(err.message) : t('supervisor.unreachable');
    }
  }
  S.setupError = null;
  S.screen = 'setup';
  changed(true);
}

export function cancelSetup() {
  S.screen = S.session ? 'queue' : 'login';
  changed(true);
}

// ---- login ----------------------------------------------------------------------------------
export async function loginWithBadge(code) {
  code = (code || '').trim();
  S.badgeDraft = '';
  if (!code) return;
  await login({ badge: code }, code);
}

export async function loginWithPin(employee) {
  const pin = await keypad({ title: employee.name, subtitle: t('login.pin'), secret: true, decimals: false, okLabel: t('login.submit') });
  if (pin === null) return changed(true);
  await login({ employee_id: employee.id, pin }, null);
}

async function login(payload, badge) {
  S.loginError = null;
  S.loginInfo = null;
  changed(true);
  let answer;
  try {
    [answer] = await timed(() => api.login(payload));
    setOnline(true);
  } catch (err) {
    if (err instanceof ApiError) {
      if (err.status === 401 && err.code === 'unauthorized') S.authError = err.message;
      S.loginError = localTimes(err.message);
      return changed(true);
    }
    setOnline(false);
    const known = badge ? await loadCached(`badge:${badge}`) : null;
    if (!known) {
      S.loginError = t(badge ? 'login.offline_unknown_badge' : 'login.offline_pin');
      return changed(true);
    }
    answer = known;
    S.loginInfo = t('login.offline_known');
  }
  if (!answer.workcenters.length) {
    S.loginError = t('login.not_here', { name: answer.employee.name });
    return changed(true);
  }
  if (answer.employee.badge) await put('cache', { employee: answer.employee, workcenters: answer.workcenters }, `badge:${answer.employee.badge}`);
  await clearRejected();
  S.session = {
    employee: answer.employee, workcenters: answer.workcenters, wc: answer.workcenters[0].id, wo: null,
    lastActivity: Date.now(),
  };
  saveSession(true);
  await loadSessionCaches();
  if (await applyLanguage()) refreshTerminal();   // the reasons' names in the operator's language
  S.loginError = null;
  const back = handover && answer.workcenters.some((wc) => wc.id === handover.wc) ? handover : null;
  handover = null;
  if (back && back.wo) go('workorder', { wc: back.wc, wo: back.wo });
  else go('queue', back ? { wc: back.wc } : undefined);
}

/** Another operator takes the tablet (quick switch): the same question about running time as
 * a logout; the next operator to log in lands on the same work order. */
export async function switchOperator() {
  const session = S.session;
  if (!session) return undefined;
  handover = { wc: session.wc, wo: session.wo };
  return requestLogout(t('logout.switch'));
}
let handover = null;     // {wc, wo}: where the operator who handed over was

// ---- logout ---------------------------------------------------------------------------------
/** The work orders at this terminal where the operator's time runs: the server's list (when it
 * answers within a few seconds) or what this tablet knows of the orders it has, then this
 * tablet's events the server has not seen yet. [{id, name, wc}] */
async function runningOrdersOf(employee) {
  if (localStorage.getItem(TOKEN_KEY) && S.online !== false) {
    try {
      const [data, startedAt] = await timed(() => api.running(employee.id));
      await reloadStores();
      const base = data.running.map((r) => ({ id: r.workorder_id, name: r.name, wc: r.workcenter_id }));
      return runningMerged(employee.id, base, startedAt);
    } catch (err) {
      networkFailed(err);
    }
  }
  return runningKnownHere(employee.id);
}

/** Stop the operator's time on these orders, dated ``at`` (this tablet's clock). */
async function stopTime(employee, orders, at, wc) {
  for (const o of orders) {
    const record = await enqueue('stop', { wo: o.id, wc: o.wc || wc, woName: o.name, employee, data: {}, at });
    S.outbox.push(record);
  }
  sender.kick();
}

const orderNames = (orders) => orders.map((o) => o.name).join(', ');
const plantClock = (ms) => fmtClock(ms + clockOffset());

function logoutChoices() {
  return [
    { key: 'stop', label: t('logout.stop'), cls: 'btn-stop' },
    { key: 'keep', label: t('logout.keep'), cls: 'btn-keep' },
    { key: 'cancel', label: t('common.cancel'), cls: 'btn-cancel' },
  ];
}

/** The Log out button: with the operator's time running, asks first. ``handedOver``: the
 * message of a quick switch (else a plain logout). */
export async function requestLogout(handedOver) {
  const session = S.session;
  if (!session) return undefined;
  if (typeof handedOver !== 'string') handover = null;
  const employee = session.employee;
  const running = employee.badge ? await runningOrdersOf(employee) : [];
  if (S.session !== session) return undefined;
  if (!running.length) return logout(typeof handedOver === 'string' ? handedOver : t('logout.done'));
  const names = orderNames(running);
  const choice = await choose(t('logout.ask_title', { names }), t('logout.ask_text', { names }), logoutChoices());
  if (S.session !== session || !choice || choice === 'cancel') {
    handover = null;
    return changed(true);
  }
  const then = typeof handedOver === 'string' ? ` ${handedOver}` : '';
  if (choice === 'stop') {
    const now = Date.now();
    await stopTime(employee, running, now, session.wc);
    return logout(t('logout.stopped', { names, at: plantClock(now) }) + then);
  }
  return logout(t('logout.kept', { names }) + then);
}

/** No touch for the auto-logout minutes. With the operator's time running, asks for a short
 * while (a tenth of the idle time, at most 30 s); unanswered, the tablet is unattended: the
 * time stops at the last touch (or keeps running, as the set-up says) and the operator is
 * logged out. Cancel keeps the operator logged in. */
let autoLogoutBusy = false;
export const autoLogoutRunning = () => autoLogoutBusy;

export async function autoLogout() {
  const session = S.session;
  autoLogoutBusy = true;
  try {
    const idle = t('logout.idle', { minutes: fmtQty(idleMinutes()) });
    const employee = session.employee;
    const last = session.lastActivity;
    closeModal();
    const running = employee.badge ? await runningOrdersOf(employee) : [];
    if (S.session !== session) return undefined;
    if (!running.length) return logout(idle);
    const names = orderNames(running);
    const lastShown = plantClock(last);
    const unattended = idleStop() === 'stop' ? t('logout.unattended_stop', { at: lastShown }) : t('logout.unattended_keep');
    const choice = await choose(t('logout.still_there', { names }), `${t('logout.untouched', { at: lastShown })} ${unattended}`,
      logoutChoices(), { timeoutMs: Math.min(30000, idleMinutes() * 6000) });
    if (S.session !== session) return undefined;
    if (!choice || choice === 'cancel') {
      session.lastActivity = Date.now();
      return changed(true);
    }
    const decided = choice === 'timeout' ? idleStop() : choice;
    if (decided === 'stop') {
      const at = choice === 'timeout' ? last : Date.now();
      await stopTime(employee, running, at, session.wc);
      return logout(`${idle} ${t('logout.idle_stopped', { names, at: plantClock(at) })}`);
    }
    return logout(`${idle} ${t('logout.idle_kept', { names })}`);
  } finally {
    autoLogoutBusy = false;
  }
}

/** A session that ran out while the app was closed: nobody is there to ask. */
export async function expiredSession(session) {
  if (idleStop() !== 'stop' || !session.employee || !session.employee.badge) return;
  const running = await runningOrdersOf(session.employee);
  if (!running.length || (S.session && S.session.employee.id === session.employee.id)) return;
  await stopTime(session.employee, running, session.lastActivity, session.wc);
  S.loginInfo = t('logout.expired', { name: session.employee.name, names: orderNames(running), at: plantClock(session.lastActivity) });
  changed(true);
}

export async function logout(reason) {
  closeModal();
  S.session = null;
  saveSession(true);
  S.loginError = null;
  S.loginInfo = reason || null;
  S.badgeDraft = '';
  endUndo();                 // the last entry goes out now: nobody is left to take it back
  await clearRejected();
  await applyLanguage();     // back to the terminal's language
  S.screen = 'login';
  changed(true);
  refreshTerminal();
}
