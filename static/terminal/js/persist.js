// What survives a reload: the session, the terminal's settings and the clock in localStorage;
// events and cached answers in IndexedDB (db.js).

import { S } from './state.js';
import { get, getAll } from './db.js';

const IDLE_KEY = 'mes.terminal.idleMinutes';
const IDLE_STOP_KEY = 'mes.terminal.idleStop';     // 'stop' (default) or 'keep'
const SESSION_KEY = 'mes.terminal.session';
const CLOCK_KEY = 'mes.terminal.clock';
const DEFAULT_IDLE_MINUTES = 5;

export const readJson = (key) => { try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch { return null; } };

/** What an auto-logout nobody answers does with the operator's running time: 'stop' it at the
 * last touch (default), or 'keep' it running. A terminal setting (set-up screen). */
export const idleStop = () => (localStorage.getItem(IDLE_STOP_KEY) === 'keep' ? 'keep' : 'stop');

export const idleMinutes = () => {
  const value = parseFloat(localStorage.getItem(IDLE_KEY));
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_IDLE_MINUTES;
};

export function saveSettings(minutes, stopWhenIdle) {
  localStorage.setItem(IDLE_KEY, String(minutes));
  localStorage.setItem(IDLE_STOP_KEY, stopWhenIdle === 'keep' ? 'keep' : 'stop');
}

export const storedSession = () => readJson(SESSION_KEY);

let sessionSavedAt = 0;
export function saveSession(force) {
  if (!S.session) localStorage.removeItem(SESSION_KEY);
  else if (force || Date.now() - sessionSavedAt > 5000) {
    localStorage.setItem(SESSION_KEY, JSON.stringify(S.session));
    sessionSavedAt = Date.now();
  }
}

export function loadClock() {
  S.clock = readJson(CLOCK_KEY);
}

export function noteClock(offsetMs, reported) {
  if (!reported && S.clock && S.clock.reported) return;   // an estimate never replaces a report
  S.clock = { offsetMs, reported, at: Date.now() };
  localStorage.setItem(CLOCK_KEY, JSON.stringify(S.clock));
}

/** The offset estimated from an answer's server_time and when the request went out. */
export function estimateClock(serverTime, startedAt) {
  const server = Date.parse(serverTime);
  if (Number.isFinite(server)) noteClock(Math.round(server - (startedAt + Date.now()) / 2), false);
}

export async function reloadStores() {
  [S.outbox, S.rejected, S.sent] = await Promise.all([getAll('outbox'), getAll('rejected'), getAll('sent')]);
}

export async function loadCached(key) {
  const value = await get('cache', key).catch(() => null);
  return value || null;
}

export async function loadSessionCaches() {
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
