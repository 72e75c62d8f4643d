// The tap guard: a tap is taken once. Two rules, for every button of the app:
// - busy: while an action is being taken (its promise has not settled), taps outside its
//   dialog are ignored, so a second Start, a second queue card or a second name does nothing;
// - repeat: a tap on something else than the previous tap hit, less than SETTLE_MS after the
//   screen, a dialog or a banner changed under it (since that previous tap), is the same
//   finger again when it lands where the previous tap landed (within RADIUS_PX) or when the
//   browser itself counts it as the second tap of a double tap (detail 2 or more): what
//   appeared under the finger ignores it. A keypad key tapped twice is the same element both
//   times, and "+1" rebuilt in place between two taps the same action (sameControl): they
//   count twice, as they should; a tap elsewhere, aimed at what is now there, counts.
// Only pointer taps are judged by the repeat rule (a badge scanner's Enter is not a finger).

export const SETTLE_MS = 400;
export const RADIUS_PX = 24;    // a finger bouncing on the glass lands within a few millimetres

let busy = false;
let last = null;        // {x, y, t, el}: where and when the previous tap landed, what it hit
let changedAt = -Infinity;
let ignored = 0;

const now = () => performance.now();
const hitOf = (target) => (target && target.closest ? target.closest('button, a, input, select, textarea, label') || target : target);

/** Wrap an action: taken only when no other action is being taken, busy until it settles. */
export function guarded(fn) {
  return (...args) => {
    if (busy) return undefined;
    busy = true;
    let result;
    try {
      result = Promise.resolve(fn(...args));
    } catch (err) {
      busy = false;
      throw err;
    }
    return result.finally(() => { busy = false; });
  };
}

export const isBusy = () => busy;

/** Something the finger may be on was rebuilt, opened or closed (called by the observer). */
export function changed() {
  changedAt = now();
}

/** The same element, or the same action rebuilt in its place ("+1" tapped twice while the
 * screen was rebuilt between the taps: two parts, as a keypad key tapped twice is two digits). */
function sameControl(el, before) {
  if (el === before) return true;
  const action = el && el.dataset && el.dataset.action;
  return !!action && !!before && !!before.dataset && before.dataset.action === action && before.isConnected === false;
}

function judge(ev, modal) {
  const el = hitOf(ev.target);
  const pointer = ev.detail > 0;
  const inModal = !!(modal && modal.contains(ev.target));
  let reason = null;
  if (busy && !inModal) reason = 'busy';
  else if (pointer && last) {
    const again = ev.detail > 1 || Math.hypot(ev.clientX - last.x, ev.clientY - last.y) <= RADIUS_PX;
    const underIt = changedAt > last.t && now() - changedAt < SETTLE_MS;
    if (again && underIt && !sameControl(el, last.el)) reason = 'repeat';
  }
  if (pointer) {
    // an ignored tap keeps what the finger first hit: a third quick tap is still a repeat
    last = reason === 'repeat' ? { ...last, x: ev.clientX, y: ev.clientY } : { x: ev.clientX, y: ev.clientY, t: now(), el };
  }
  return reason;
}

/** Install the guard on the document: clicks it refuses never reach the buttons. */
export function installGuard(doc = document) {
  const modal = doc.getElementById('modal');
  doc.addEventListener('click', (ev) => {
    const reason = judge(ev, modal);
    if (!reason) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    ignored += 1;
    doc.body.dataset.tapsIgnored = String(ignored);
    doc.body.dataset.lastIgnored = reason;
  }, true);
  // The screen, a dialog or a banner rebuilt: direct children only (the clock's ticking text
  // deeper down is not a change under the finger).
  const observer = new MutationObserver(changed);
  for (const id of ['bar', 'banners', 'main', 'modal']) {
    const el = doc.getElementById(id);
    if (el) observer.observe(el, { childList: true });
  }
}
