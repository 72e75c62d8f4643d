// The operator terminal: set-up, login, queue, work order. State lives in IndexedDB (outbox,
// acknowledged and rejected events, cached JSON) and localStorage (token, session, settings);
// the screens are views of that state plus the events not yet in the server's answers.

import { ApiError, TOKEN_KEY, Unreachable, api, timed } from './api.js';
import { del, get, getAll, openDb, put } from './db.js';
import { Sender, enqueue } from './outbox.js';
import { choose, closeModal, confirmDialog, keypad, modalOpen, passFail, pickReason, supervisorPrompt, textPrompt } from './dialogs.js';
import { guarded, installGuard } from './guard.js';
import { confirmFinish, confirmQuantity } from './quantity.js';
import { TYPE_LABEL, fmtClock, fmtDay, fmtDuration, fmtOffset, fmtQty, h, localTimes, plural, setTimeZone } from './util.js';
import { viewLogin, viewQueue, viewSetup, viewWorkorder } from './screens.js';

const IDLE_KEY = 'mes.terminal.idleMinutes';
const IDLE_STOP_KEY = 'mes.terminal.idleStop';     // 'stop' (default) or 'keep'
const SESSION_KEY = 'mes.terminal.session';
const CLOCK_KEY = 'mes.terminal.clock';
const DEFAULT_IDLE_MINUTES = 5;
// The server's view is the truth for what several tablets share (downtime, checks, the order's
// state, who is on it): the screen's data is fetched again every few seconds, and merged with
// what this tablet has not had acknowledged yet. The operator list, less often.
const REFRESH_MS = 3000;
const TERMINAL_REFRESH_MS = 20000;

const readJson = (key) => { try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (_) { return null; } };

export const S = {
  screen: 'boot',
  terminal: null,          // last GET /terminal answer
  session: null,           // {employee, workcenters, wc, wo, lastActivity, offline}
  queues: {},              // wc id -> {data, fetchedAt}
  details: {},             // work order id -> {data, fetchedAt}
  outbox: [],
  rejected: [],
  sent: [],
  online: null,            // null: not known yet
  authError: null,         // the server refused the token
  clock: readJson(CLOCK_KEY),   // {offsetMs, reported}
  flash: null,
  loginError: null,
  loginInfo: null,
  setupError: null,
  setupInfo: null,
  badgeDraft: '',
  employeeFilter: '',
};

// ---- time -----------------------------------------------------------------------------------
export const serverNow = () => Date.now() + (S.clock ? S.clock.offsetMs : 0);

function noteClock(offsetMs, reported) {
  if (!reported && S.clock && S.clock.reported) return;   // an estimate never replaces a report
  S.clock = { offsetMs, reported, at: Date.now() };
  localStorage.setItem(CLOCK_KEY, JSON.stringify(S.clock));
}

function estimateClock(serverTime, startedAt) {
  const server = Date.parse(serverTime);
  if (Number.isFinite(server)) noteClock(Math.round(server - (startedAt + Date.now()) / 2), false);
}

/** What an auto-logout nobody answers does with the operator's running time: 'stop' it at the
 * last touch (default), or 'keep' it running. A terminal setting (set-up screen). */
export const idleStop = () => (localStorage.getItem(IDLE_STOP_KEY) === 'keep' ? 'keep' : 'stop');

export const idleMinutes = () => {
  const value = parseFloat(localStorage.getItem(IDLE_KEY));
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_IDLE_MINUTES;
};

// ---- derived state: the server's last answer plus what it has not seen yet ------------------
function pendingAndUnseen(woId, since) {
  const unseen = S.sent.filter((r) => r.wo === woId && r.doneAt > since);
  return unseen.concat(S.outbox.filter((r) => r.wo === woId)).sort((a, b) => a.seq - b.seq);
}

function summaryFromQueues(woId) {
  for (const entry of Object.values(S.queues)) {
    const found = entry.data.workorders.find((w) => w.id === woId);
    if (found) return [found, entry.fetchedAt];
  }
  return [null, 0];
}

/** Everything the work order screen shows, as plain data. */
export function deriveWorkorder(woId) {
  const entry = S.details[woId];
  const [summary, summaryAt] = summaryFromQueues(woId);
  const base = entry ? entry.data : summary;
  if (!base) return null;
  const since = entry ? entry.fetchedAt : summaryAt;
  let good = base.qty_produced || 0;
  let scrap = base.scrap_qty || 0;
  let state = base.state;
  let closedMs = (base.labor_minutes || 0) * 60000;
  let ops = (base.operators || []).map((o) => ({ id: o.id, name: o.name, since: Date.parse(o.since) }));
  const offset = S.clock ? S.clock.offsetMs : 0;
  for (const record of pendingAndUnseen(woId, since)) {
    const e = record.event;
    const at = Date.parse(e.at) + offset;
    if (e.type === 'produce') { good += e.data.qty; if (state !== 'done') state = 'progress'; }
    else if (e.type === 'scrap') scrap += e.data.qty;
    else if (e.type === 'start') {
      if (!ops.some((o) => o.id === record.emp.id)) ops.push({ id: record.emp.id, name: record.emp.name, since: at });
      if (state !== 'done') state = 'progress';
    } else if (e.type === 'stop') {
      const mine = ops.find((o) => o.id === record.emp.id);
      if (mine) closedMs += Math.max(0, at - mine.since);
      ops = ops.filter((o) => o.id !== record.emp.id);
    } else if (e.type === 'finish') {
      for (const o of ops) closedMs += Math.max(0, at - o.since);
      ops = [];
      state = 'done';
    }
  }
  const me = S.session && S.session.employee;
  return {
    id: woId, name: base.name, product: base.product, production: base.production, uom: base.uom || '',
    planned: base.qty_planned, standardMs: (base.standard_minutes || 0) * 60000, due: base.due,
    instructions: base.instructions || '', components: base.components || [], hasDetail: !!entry,
    tracking: base.tracking || 'none',
    good, scrap, state, closedMs, ops,
    meRunning: !!(me && ops.some((o) => o.id === me.id)),
    checks: checksOf(woId, base.checks || [], since),
    pending: S.outbox.filter((r) => r.wo === woId).length,
  };
}

/** Each check's last result: the server's (done on any tablet), then this tablet's checks the
 * server had not seen when it answered. */
function checksOf(woId, points, since) {
  const own = new Map();
  for (const r of pendingAndUnseen(woId, since)) {
    if (r.event.type === 'check') own.set(r.event.data.point_id, { result: r.event.data.result, value: r.event.data.value, pending: !('doneAt' in r) });
  }
  return points.map((p) => ({
    ...p,
    done: own.get(p.point_id) || (p.last ? { result: p.last.result, value: p.last.value, pending: false } : null),
  }));
}

/** The open downtime of a work center, or null: the server's latest answer about it (a work
 * order's detail or the queue), then this tablet's downtime events it had not seen; with no
 * answer yet, this tablet's own events. */
export function downtimeOf(wc) {
  let answer = null;
  for (const entry of Object.values(S.details)) {
    if (entry.data.workcenter_id === wc && (!answer || entry.fetchedAt > answer.at)) answer = { down: entry.data.downtime, at: entry.fetchedAt };
  }
  const queue = S.queues[wc];
  if (queue && queue.data.workorders.length && (!answer || queue.fetchedAt > answer.at)) {
    answer = { down: queue.data.workorders[0].downtime, at: queue.fetchedAt };
  }
  let down = answer && answer.down ? { code: answer.down.reason, name: answer.down.name, since: Date.parse(answer.down.since) } : null;
  const offset = S.clock ? S.clock.offsetMs : 0;
  const own = S.sent.concat(S.outbox).filter((r) => r.wc === wc && r.event.type.startsWith('downtime_')).sort((a, b) => a.seq - b.seq);
  for (const r of own) {
    if (answer && 'doneAt' in r && r.doneAt <= answer.at) continue;   // in the answer already
    if (r.event.type === 'downtime_start') {
      const code = r.event.data.reason;
      const reason = reasons('downtime').find((x) => x.code === code);
      down = { code, name: reason ? reason.name : code, since: Date.parse(r.event.at) + offset };
    } else {
      down = null;
    }
  }
  return down;
}

export function reasons(kind) {
  return ((S.terminal && S.terminal.reasons) || []).filter((r) => r.kind === kind);
}

export function queueRows(wc) {
  const entry = S.queues[wc];
  if (!entry) return null;
  return entry.data.workorders.map((w) => {
    const extra = pendingAndUnseen(w.id, entry.fetchedAt);
    let good = w.qty_produced;
    let state = w.state;
    for (const r of extra) {
      if (r.event.type === 'produce') good += r.event.data.qty;
      if (r.event.type === 'start' || r.event.type === 'produce') state = state === 'done' ? state : 'progress';
      if (r.event.type === 'finish') state = 'done';
    }
    return { ...w, qty_produced: good, state, pending: S.outbox.filter((r) => r.wo === w.id).length };
  }).filter((w) => w.state !== 'done');
}

// ---- persistence ----------------------------------------------------------------------------
async function reloadStores() {
  [S.outbox, S.rejected, S.sent] = await Promise.all([getAll('outbox'), getAll('rejected'), getAll('sent')]);
}

let sessionSavedAt = 0;
function saveSession(force) {
  if (!S.session) localStorage.removeItem(SESSION_KEY);
  else if (force || Date.now() - sessionSavedAt > 5000) {
    localStorage.setItem(SESSION_KEY, JSON.stringify(S.session));
    sessionSavedAt = Date.now();
  }
}

async function loadCached(key) {
  const value = await get('cache', key).catch(() => null);
  return value || null;
}

// ---- network --------------------------------------------------------------------------------
let probeDelay = 2000;
let nextProbe = 0;
let nextRefresh = 0;

function setOnline(value) {
  if (S.online === value) return;
  S.online = value;
  if (value) {
    probeDelay = 2000;
    sender.kick();
    nextRefresh = 0;
  } else {
    nextProbe = Date.now() + probeDelay;
  }
  render();
}

function networkFailed(err) {
  if (err instanceof ApiError && err.status === 401) {
    S.authError = err.message;
    setOnline(true);
    render();
    return true;
  }
  if (err instanceof Unreachable) {
    setOnline(false);
    return true;
  }
  return false;
}

async function refreshTerminal() {
  try {
    const [data, startedAt] = await timed(() => api.terminal());
    S.terminal = data;
    S.authError = null;
    estimateClock(data.server_time, startedAt);
    await put('cache', data, 'terminal');
    setOnline(true);
    render();
  } catch (err) {
    if (!networkFailed(err)) console.error(err);
  }
}

async function refreshQueue(wc) {
  try {
    const [data, startedAt] = await timed(() => api.queue(wc));
    await reloadStores();   // the outbox as it was when this answer was asked for
    S.queues[wc] = { data, fetchedAt: startedAt };
    await put('cache', S.queues[wc], `queue:${wc}`);
    setOnline(true);
    render();
  } catch (err) {
    if (!networkFailed(err)) flash(err.message, 'error');
  }
}

async function refreshWorkorder(id) {
  try {
    const [data, startedAt] = await timed(() => api.live(id));
    await reloadStores();
    S.details[id] = { data, fetchedAt: startedAt };
    await put('cache', S.details[id], `wo:${id}`);
    setOnline(true);
    render();
  } catch (err) {
    if (networkFailed(err)) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      delete S.details[id];
      await del('cache', `wo:${id}`);
      if (S.session && S.session.wo === id) go('queue');
    }
    flash(err.message, 'error');
  }
}

let nextTerminal = 0;
let refreshing = null;
function refreshCurrent(now = false) {
  // one round at a time: a slow server is not piled on; a new screen's data comes right after
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

const sender = new Sender({
  sent(outcome, answer) {
    if (answer) {
      setOnline(true);
      S.authError = null;
      if (typeof answer.clock_offset_ms === 'number') noteClock(answer.clock_offset_ms, true);
    }
    reloadStores().then(() => {
      render();
      if (outcome.rejected.length && S.screen === 'workorder') {
        // the status slot says it; a "saved" toast still showing would say the opposite
        clearTimeout(flashTimer);
        S.flash = null;
        render();
      } else if (outcome.rejected.length) {
        flash(`${plural(outcome.rejected.length, 'action was', 'actions were')} refused by the server: see the red panel.`, 'error');
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
    if (S.outbox.length) reloadStores().then(render);
  },
});

// ---- actions --------------------------------------------------------------------------------
let flashTimer = null;
export function flash(text, kind = 'info') {
  S.flash = { text, kind };
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { S.flash = null; render(); }, kind === 'error' ? 8000 : 3000);
  render();
}

export async function saveSetup(token, minutes, stopWhenIdle) {
  token = (token || '').trim();
  S.setupError = null;
  S.setupInfo = null;
  if (!token) {
    S.setupError = 'Paste or scan the terminal token first.';
    return render(true);
  }
  const idle = parseFloat(String(minutes).replace(',', '.'));
  if (!(idle > 0)) {
    S.setupError = 'Auto-logout needs a number of minutes greater than zero.';
    return render(true);
  }
  localStorage.setItem(IDLE_KEY, String(idle));
  localStorage.setItem(IDLE_STOP_KEY, stopWhenIdle === 'keep' ? 'keep' : 'stop');
  try {
    const [data, startedAt] = await timed(() => api.terminal(token));
    localStorage.setItem(TOKEN_KEY, token);
    S.terminal = data;
    S.authError = null;
    estimateClock(data.server_time, startedAt);
    await put('cache', data, 'terminal');
    setOnline(true);
    S.loginInfo = `This tablet is now terminal “${data.terminal.name}”.`;
  } catch (err) {
    if (err instanceof ApiError) {
      S.setupError = err.message;
      return render(true);
    }
    localStorage.setItem(TOKEN_KEY, token);
    setOnline(false);
    S.loginInfo = 'Token saved. The server cannot be reached now; it will be checked when the network returns.';
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => undefined);
  S.screen = 'login';
  render(true);
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
    if (!payload) return render(true);
    try {
      const [answer] = await timed(() => api.supervisor(payload));
      S.setupInfo = `Opened by ${answer.supervisor.name}.`;
      break;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && err.code === 'unauthorized') {
        S.authError = err.message;
        break;
      }
      error = err instanceof ApiError ? localTimes(err.message)
        : 'The server cannot be reached: a supervisor is checked by the server, so the set-up needs the network.';
    }
  }
  S.setupError = null;
  S.screen = 'setup';
  render(true);
}

export function cancelSetup() {
  S.screen = S.session ? 'queue' : 'login';
  render(true);
}

export async function loginWithBadge(code) {
  code = (code || '').trim();
  S.badgeDraft = '';
  if (!code) return;
  await login({ badge: code }, code);
}

export async function loginWithPin(employee) {
  const pin = await keypad({ title: employee.name, subtitle: 'Enter your PIN', secret: true, decimals: false, okLabel: 'Log in' });
  if (pin === null) return render(true);
  await login({ employee_id: employee.id, pin }, null);
}

async function login(payload, badge) {
  S.loginError = null;
  S.loginInfo = null;
  render(true);
  let answer;
  try {
    [answer] = await timed(() => api.login(payload));
    setOnline(true);
  } catch (err) {
    if (err instanceof ApiError) {
      if (err.status === 401 && err.code === 'unauthorized') S.authError = err.message;
      S.loginError = localTimes(err.message);
      return render(true);
    }
    setOnline(false);
    const known = badge ? await loadCached(`badge:${badge}`) : null;
    if (!known) {
      S.loginError = badge
        ? 'The server cannot be reached, and this badge was never used on this terminal: logging in needs the network once.'
        : 'The server cannot be reached: logging in with a PIN needs the network. A badge already used on this terminal works offline.';
      return render(true);
    }
    answer = known;
    S.loginInfo = 'Logged in offline with a badge known to this terminal.';
  }
  if (!answer.workcenters.length) {
    S.loginError = `${answer.employee.name} may not work at this terminal's work centers. Ask a supervisor.`;
    return render(true);
  }
  if (answer.employee.badge) await put('cache', { employee: answer.employee, workcenters: answer.workcenters }, `badge:${answer.employee.badge}`);
  S.session = {
    employee: answer.employee, workcenters: answer.workcenters, wc: answer.workcenters[0].id, wo: null,
    lastActivity: Date.now(),
  };
  saveSession(true);
  await loadSessionCaches();
  S.loginError = null;
  go('queue');
}

/** The work orders at this terminal where the operator's time runs: the server's list (when it
 * answers within a few seconds) or what this tablet knows of the orders it has, then this
 * tablet's events the server has not seen yet. [{id, name, wc}] */
async function runningOrdersOf(employee) {
  let base = null;
  let since = 0;
  if (localStorage.getItem(TOKEN_KEY) && S.online !== false) {
    try {
      const [data, startedAt] = await timed(() => api.running(employee.id));
      base = data.running.map((r) => ({ id: r.workorder_id, name: r.name, wc: r.workcenter_id }));
      since = startedAt;
      await reloadStores();
    } catch (err) {
      networkFailed(err);
    }
  }
  const running = new Map();
  if (base) {
    for (const r of base) running.set(r.id, r);
    const unseen = S.sent.filter((r) => r.doneAt > since).concat(S.outbox).sort((a, b) => a.seq - b.seq);
    for (const r of unseen) {
      if (r.event.type === 'finish') running.delete(r.wo);
      if (r.emp.id !== employee.id) continue;
      if (r.event.type === 'start') running.set(r.wo, { id: r.wo, name: r.woName, wc: r.wc });
      if (r.event.type === 'stop') running.delete(r.wo);
    }
  } else {
    const ids = new Set(Object.keys(S.details).map(Number));
    for (const entry of Object.values(S.queues)) for (const w of entry.data.workorders) ids.add(w.id);
    for (const r of S.outbox) ids.add(r.wo);
    for (const id of ids) {
      const wo = deriveWorkorder(id);
      if (wo && wo.state !== 'done' && wo.ops.some((o) => o.id === employee.id)) {
        const mine = S.sent.concat(S.outbox).find((r) => r.wo === id);
        running.set(id, { id, name: wo.name, wc: mine ? mine.wc : null });
      }
    }
  }
  return [...running.values()];
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

/** The Log out button: with the operator's time running, asks first. */
export async function requestLogout() {
  const session = S.session;
  if (!session) return;
  const employee = session.employee;
  const running = employee.badge ? await runningOrdersOf(employee) : [];
  if (S.session !== session) return;
  if (!running.length) return logout('Logged out.');
  const names = orderNames(running);
  const choice = await choose(`Stop your time on ${names}?`,
    `Your time is running on ${names}. Logged out, it goes on counting until you or someone stops it.`, [
      { key: 'stop', label: 'Stop and log out', cls: 'btn-stop' },
      { key: 'keep', label: 'Keep running and log out', cls: 'btn-keep' },
      { key: 'cancel', label: 'Cancel', cls: 'btn-cancel' },
    ]);
  if (S.session !== session || !choice || choice === 'cancel') return render(true);
  if (choice === 'stop') {
    const now = Date.now();
    await stopTime(employee, running, now, session.wc);
    return logout(`Logged out. Your time on ${names} stopped at ${fmtClock(now + (S.clock ? S.clock.offsetMs : 0))}.`);
  }
  return logout(`Logged out. Your time on ${names} keeps running.`);
}

/** No touch for the auto-logout minutes. With the operator's time running, asks for a short
 * while (a tenth of the idle time, at most 30 s); unanswered, the tablet is unattended: the
 * time stops at the last touch (or keeps running, as the set-up says) and the operator is
 * logged out. Cancel keeps the operator logged in. */
let autoLogoutBusy = false;
async function autoLogout() {
  const session = S.session;
  autoLogoutBusy = true;
  try {
    const idle = `Logged out after ${fmtQty(idleMinutes())} min without activity.`;
    const employee = session.employee;
    const last = session.lastActivity;
    closeModal();
    const running = employee.badge ? await runningOrdersOf(employee) : [];
    if (S.session !== session) return;
    if (!running.length) return logout(idle);
    const names = orderNames(running);
    const lastShown = fmtClock(last + (S.clock ? S.clock.offsetMs : 0));
    const unattended = idleStop() === 'stop'
      ? `Without an answer, your time stops at ${lastShown} (your last touch) and you are logged out.`
      : 'Without an answer, you are logged out and your time keeps running.';
    const choice = await choose(`Still there? Stop your time on ${names}?`,
      `Nobody has touched this tablet since ${lastShown}. ${unattended}`, [
        { key: 'stop', label: 'Stop and log out', cls: 'btn-stop' },
        { key: 'keep', label: 'Keep running and log out', cls: 'btn-keep' },
        { key: 'cancel', label: 'Cancel', cls: 'btn-cancel' },
      ], { timeoutMs: Math.min(30000, idleMinutes() * 6000) });
    if (S.session !== session) return;
    if (!choice || choice === 'cancel') {
      session.lastActivity = Date.now();
      return render(true);
    }
    const decided = choice === 'timeout' ? idleStop() : choice;
    if (decided === 'stop') {
      const at = choice === 'timeout' ? last : Date.now();
      await stopTime(employee, running, at, session.wc);
      return logout(`${idle} Your time on ${names} stopped at ${fmtClock(at + (S.clock ? S.clock.offsetMs : 0))}.`);
    }
    return logout(`${idle} Your time on ${names} keeps running.`);
  } finally {
    autoLogoutBusy = false;
  }
}

/** A session that ran out while the app was closed: nobody is there to ask. */
async function expiredSession(session) {
  if (idleStop() !== 'stop' || !session.employee || !session.employee.badge) return;
  const running = await runningOrdersOf(session.employee);
  if (!running.length || (S.session && S.session.employee.id === session.employee.id)) return;
  await stopTime(session.employee, running, session.lastActivity, session.wc);
  S.loginInfo = `${session.employee.name} was logged out without activity; the time on ${orderNames(running)} `
    + `stopped at ${fmtClock(session.lastActivity + (S.clock ? S.clock.offsetMs : 0))}.`;
  render(true);
}

export function logout(reason) {
  closeModal();
  S.session = null;
  saveSession(true);
  S.loginError = null;
  S.loginInfo = reason || null;
  S.badgeDraft = '';
  S.screen = 'login';
  render(true);
  refreshTerminal();
}

async function loadSessionCaches() {
  const s = S.session;
  for (const wc of s.workcenters) {
    if (!S.queues[wc.id]) {
      const cached = await loadCached(`queue:${wc.id}`);
      if (cached) S.queues[wc.id] = cached;
    }
  }
  if (s.wo && !S.details[s.wo]) {
    const cached = await loadCached(`wo:${s.wo}`);
    if (cached) S.details[s.wo] = cached;
  }
}

export async function go(screen, patch) {
  if (S.session) {
    Object.assign(S.session, patch || {});
    if (screen === 'queue') S.session.wo = null;
    saveSession(true);
    if (S.session.wo && !S.details[S.session.wo]) {
      const cached = await loadCached(`wo:${S.session.wo}`);
      if (cached) S.details[S.session.wo] = cached;
    }
  }
  S.screen = screen;
  render(true);
  window.scrollTo(0, 0);
  refreshCurrent(true);
}

export const openWorkorder = (id) => go('workorder', { wo: id });
export const selectWorkcenter = (id) => go('queue', { wc: id });

/** Write the event to the outbox (durable), show it at once, then try to send it. */
async function act(type, data) {
  const s = S.session;
  const wo = deriveWorkorder(s.wo);
  if (!s.employee.badge) {
    flash('Your employee record has no badge code, which every action needs. Ask a supervisor to set your Badge ID.', 'error');
    return;
  }
  const record = await enqueue(type, { wo: wo.id, wc: s.wc, woName: wo.name, employee: s.employee, data });
  S.outbox.push(record);
  const qty = data && data.qty !== undefined ? ` ${fmtQty(data.qty)}` : '';
  flash(`${TYPE_LABEL[type]}${qty} saved${S.online === false ? ' — it will be sent when the network returns' : ''}.`);
  sender.kick();
}

export const actions = {
  start: () => act('start', {}),
  stop: () => act('stop', {}),
  async produce() {
    const wo = deriveWorkorder(S.session.wo);
    const qty = await keypad({ title: 'Good parts made', subtitle: `${wo.name}: ${fmtQty(wo.good)} of ${fmtQty(wo.planned)} ${wo.uom} done`, unit: wo.uom });
    if (qty === null || !(await confirmQuantity(wo, qty, 'good'))) return;
    if (wo.tracking === 'none') {
      await act('produce', { qty });
      return;
    }
    // a product tracked by lot or serial number: the server needs the lot with the quantity
    const lot = await textPrompt(wo.tracking === 'serial' ? 'Serial number' : 'Lot number',
      `Scan or type the ${wo.tracking === 'serial' ? 'serial' : 'lot'} number of these ${fmtQty(qty)} ${wo.uom}.`, 'Scan…');
    if (lot !== null) await act('produce', { qty, lot });
  },
  async scrap() {
    const wo = deriveWorkorder(S.session.wo);
    const qty = await keypad({ title: 'Scrapped parts', subtitle: `${wo.name}: ${fmtQty(wo.scrap)} scrapped so far`, unit: wo.uom, okLabel: 'Next: reason' });
    if (qty === null || !(await confirmQuantity(wo, qty, 'scrapped'))) return;
    const reason = await pickReason(`Why were ${fmtQty(qty)} ${wo.uom} scrapped?`, reasons('scrap'));
    if (reason) await act('scrap', { qty, reason: reason.code });
  },
  async downtimeStart() {
    const reason = await pickReason('Why is the machine stopped?', reasons('downtime'));
    if (reason) await act('downtime_start', { reason: reason.code });
  },
  downtimeEnd: () => act('downtime_end', {}),
  async finish() {
    const wo = deriveWorkorder(S.session.wo);
    if (await confirmFinish(wo)) await act('finish', {});
  },
  async check(point) {
    let result;
    let value;
    if (point.kind === 'measure') {
      const limits = point.min || point.max;
      const inside = (v) => v >= point.min && v <= point.max;
      value = await keypad({
        title: point.name, unit: point.unit, signed: true, allowZero: true, okLabel: 'Record',
        subtitle: `Nominal ${fmtQty(point.nominal)} ${point.unit}` + (limits ? ` · tolerance ${fmtQty(point.min)} – ${fmtQty(point.max)} ${point.unit}` : ''),
        hint: limits ? (v) => (inside(v) ? h('span', { class: 'ok' }, 'Within tolerance: PASS') : h('span', { class: 'bad' }, 'Out of tolerance: FAIL')) : null,
      });
      if (value === null) return;
      result = limits ? (inside(value) ? 'pass' : 'fail') : await passFail(point.name, `Measured ${fmtQty(value)} ${point.unit}`);
    } else if (point.kind === 'instruction') {
      result = (await confirmDialog(point.name, point.instructions || 'Confirm the instruction is done.', 'Done')) ? 'pass' : null;
    } else {
      result = await passFail(point.name, point.instructions);
    }
    if (!result) return;
    await act('check', value === undefined ? { point_id: point.point_id, result } : { point_id: point.point_id, result, value });
  },
};

export async function dismissRejected(seq) {
  await del('rejected', seq);
  S.rejected = S.rejected.filter((r) => r.seq !== seq);
  render();
}

// ---- rendering ------------------------------------------------------------------------------
const shown = { bar: '', banners: '', main: '' };

function renderPart(id, key, build, force) {
  if (!force && shown[id] === key) return false;
  shown[id] = key;
  document.getElementById(id).replaceChildren(...[].concat(build()));
  return true;
}

export function render(force = false) {
  setTimeZone(S.terminal && S.terminal.terminal && S.terminal.terminal.tz);
  const body = document.body;
  body.dataset.screen = S.screen;
  body.dataset.outbox = String(S.outbox.length);
  body.dataset.rejected = String(S.rejected.length);
  body.dataset.online = String(S.online !== false);
  renderPart('bar', JSON.stringify(barModel()), viewBar, force);
  renderPart('banners', JSON.stringify([S.online, S.outbox.length, S.rejected.map((r) => r.seq), S.flash, S.authError, S.screen === 'workorder']), viewBanners, force);
  const view = { setup: viewSetup, login: viewLogin, queue: viewQueue, workorder: viewWorkorder }[S.screen];
  if (view) {
    const [key, build] = view();
    const changed = renderPart('main', `${S.screen}:${key}`, build, force);
    if (changed && S.screen === 'login' && !modalOpen()) {
      const input = document.getElementById('badge-input');
      if (input) input.focus();
    }
  }
  tick();
}

function barModel() {
  return {
    terminal: S.terminal && S.terminal.terminal.name, employee: S.session && S.session.employee.name,
    wc: S.session && (S.session.workcenters.find((w) => w.id === S.session.wc) || {}).name,
    online: S.online, outbox: S.outbox.length, clock: S.clock && [S.clock.offsetMs, S.clock.reported],
  };
}

function viewBar() {
  const m = barModel();
  const status = m.online === false ? ['Offline', 'off'] : m.outbox ? [`Sending ${m.outbox}`, 'busy'] : m.online ? ['Online', 'on'] : ['Connecting', 'busy'];
  return [
    h('div', { class: 'bar-left' }, h('span', { class: 'bar-title' }, m.terminal || 'Shop floor terminal'),
      m.wc ? h('span', { class: 'bar-wc' }, m.wc) : null),
    h('div', { class: 'bar-mid' }, h('span', { id: 'clock-now', class: 'clock-now' }),
      h('span', { id: 'clock-offset', class: 'clock-offset', title: 'Server clock minus this tablet’s clock, as the server measured it' },
        (S.clock && !S.clock.reported ? '≈ ' : '') + fmtOffset(S.clock ? S.clock.offsetMs : null))),
    h('div', { class: 'bar-right' },
      h('span', { id: 'net-status', class: `pill pill-${status[1]}` }, status[0]),
      m.employee ? h('span', { id: 'operator-name', class: 'bar-user' }, m.employee) : null,
      m.employee ? h('button', { id: 'logout', class: 'btn btn-small', type: 'button', onclick: guarded(requestLogout) }, 'Log out') : null),
  ];
}

function viewBanners() {
  const parts = [];
  if (S.authError) {
    parts.push(h('div', { id: 'auth-banner', class: 'banner banner-error', role: 'alert' },
      h('span', null, `The server refused this terminal: ${S.authError}`),
      h('button', { class: 'btn btn-small', type: 'button', onclick: guarded(openSetup) }, 'Set-up')));
  }
  if (S.online === false) {
    const n = S.outbox.length;
    parts.push(h('div', { id: 'offline-banner', class: 'banner banner-offline', role: 'status' }, n
      ? `Offline — ${plural(n, 'action', 'actions')} waiting, ${n === 1 ? 'it' : 'they'} will be sent when the network returns`
      : 'Offline — showing saved data; your actions will be kept and sent when the network returns'));
  }
  if (S.rejected.length && S.screen !== 'workorder') {   // on a work order: in its status slot
    parts.push(h('section', { id: 'rejected', class: 'banner banner-error rejected', role: 'alert' },
      h('h2', null, `Refused by the server (${S.rejected.length}) — these actions were not recorded`),
      S.rejected.map((r) => {
        const e = r.event;
        const qty = e.data && e.data.qty !== undefined ? ` ${fmtQty(e.data.qty)}` : '';
        return h('div', { class: 'rejected-item', dataset: { seq: r.seq, code: r.error.code } },
          h('div', { class: 'rejected-text' },
            h('strong', null, `${TYPE_LABEL[e.type] || e.type}${qty} on ${r.woName || `work order ${e.workorder_id}`} at ${fmtDay(Date.parse(e.at))}`),
            h('span', { class: 'rejected-message' }, localTimes(r.error.message)),
            h('code', null, r.error.code)),
          h('button', { class: 'btn btn-small', type: 'button', dataset: { dismiss: r.seq }, onclick: guarded(() => dismissRejected(r.seq)) }, 'Dismiss'));
      })));
  }
  if (S.flash) parts.push(h('div', { id: 'flash', class: `banner banner-flash flash-${S.flash.kind}`, role: 'status' }, S.flash.text));
  return parts;
}

/** Every second: clocks and running times (without rebuilding the screen), auto-logout, and
 * the periodic refresh or, offline, the probe for the network's return. */
function tick() {
  const now = serverNow();
  const clock = document.getElementById('clock-now');
  if (clock) clock.textContent = fmtClock(now);
  for (const el of document.querySelectorAll('[data-elapsed]')) {
    const open = JSON.parse(el.dataset.open || '[]');
    el.textContent = fmtDuration(Number(el.dataset.elapsed) + open.reduce((sum, t) => sum + Math.max(0, now - t), 0));
  }
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = fmtDuration(now - Number(el.dataset.since));
  }
}

function heartbeat() {
  tick();
  if (S.session && !autoLogoutBusy && Date.now() - S.session.lastActivity > idleMinutes() * 60000) {
    autoLogout();
    return;
  }
  if (!localStorage.getItem(TOKEN_KEY) || S.screen === 'setup') return;
  if (S.online === false) {
    if (Date.now() >= nextProbe) {
      nextProbe = Date.now() + probeDelay;
      probeDelay = Math.min(probeDelay * 2, 10000);
      refreshCurrent();
    }
  } else if (Date.now() >= nextRefresh && !modalOpen()) {
    refreshCurrent();
  }
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

// ---- boot -----------------------------------------------------------------------------------
async function boot() {
  registerServiceWorker();
  installGuard(document);
  document.addEventListener('pointerdown', touch, true);
  document.addEventListener('keydown', touch, true);
  // A badge scanner types wherever the focus is: on the login screen, send it to the badge field.
  document.addEventListener('keydown', (ev) => {
    const input = document.getElementById('badge-input');
    if (S.screen !== 'login' || !input || modalOpen() || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const target = ev.target;
    if (target === input || (target && ['INPUT', 'TEXTAREA'].includes(target.tagName))) return;
    if (ev.key.length === 1) input.focus();   // the key's character then lands in the field
  }, true);
  window.addEventListener('online', () => { nextProbe = 0; sender.kick(); });
  window.addEventListener('offline', () => setOnline(false));
  try {
    await openDb();
  } catch (err) {
    document.getElementById('main').replaceChildren(h('p', { class: 'error' },
      'This browser does not let the terminal store data (IndexedDB is blocked). Use a normal, non-private window.'));
    return;
  }
  await reloadStores();
  const cached = await loadCached('terminal');
  if (cached) S.terminal = cached;
  const session = readJson(SESSION_KEY);
  if (session && Date.now() - session.lastActivity < idleMinutes() * 60000) {
    S.session = session;
    await loadSessionCaches();
  } else if (session) {
    saveSession(true);
    expiredSession(session);
  }
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
