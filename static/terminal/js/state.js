// The terminal's state in memory, and who is told when it changes. No DOM and no network here:
// the modules that change the state call changed(); the app re-renders on it (render.js), so
// no module below the screens needs to import them.

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
  clock: null,             // {offsetMs, reported}
  flash: null,
  loginError: null,
  loginInfo: null,
  setupError: null,
  setupInfo: null,
  badgeDraft: '',
  queueFilter: '',         // the queue's search text
  lastEntry: null,         // {seq, until}: the operator's last quantity, undoable until then
};

const listeners = [];

/** Call fn(force) whenever the state changed (force: rebuild even what looks unchanged). */
export function subscribe(fn) {
  listeners.push(fn);
}

export function changed(force = false) {
  for (const fn of listeners) fn(force);
}

export const clockOffset = () => (S.clock ? S.clock.offsetMs : 0);
export const serverNow = () => Date.now() + clockOffset();

let flashTimer = null;
/** A short message at the bottom of the screen (a toast): errors stay 8 s, the rest 3 s. */
export function flash(text, kind = 'info') {
  S.flash = { text, kind };
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { S.flash = null; changed(); }, kind === 'error' ? 8000 : 3000);
  changed();
}

export function clearFlash() {
  clearTimeout(flashTimer);
  S.flash = null;
}

export function reasons(kind) {
  return ((S.terminal && S.terminal.reasons) || []).filter((r) => r.kind === kind);
}

/** The refusals shown: the logged-in operator's (another operator's stay off this screen). */
export function visibleRejected() {
  const me = S.session && S.session.employee;
  return me ? S.rejected.filter((r) => r.emp && r.emp.id === me.id) : [];
}
