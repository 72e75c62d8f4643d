// Putting the state on the screen: each part (bar, banners, main) is rebuilt only when what it
// shows changed; running times and clocks tick every second without a rebuild.

import { fmtClock, fmtDuration, setTimeZone } from './format.js';
import { modalOpen } from './dialogs.js';
import { S, serverNow, visibleRejected } from './state.js';
import { barModel, bannersKey, viewBanners, viewBar } from './view_chrome.js';
import { viewLogin } from './view_login.js';
import { viewQueue } from './view_queue.js';
import { viewSetup } from './view_setup.js';
import { viewWorkorder } from './view_workorder.js';

const VIEWS = { setup: viewSetup, login: viewLogin, queue: viewQueue, workorder: viewWorkorder };
const shown = { bar: '', banners: '', main: '' };

function renderPart(id, key, build, force) {
  if (!force && shown[id] === key) return false;
  shown[id] = key;
  const focused = document.activeElement && document.activeElement.id;
  const root = document.getElementById(id);
  root.replaceChildren(...[].concat(build()));
  // a field being typed in keeps the focus through a rebuild (the queue's search)
  const again = focused && root.querySelector(`input#${focused}`);
  if (again) again.focus();
  return true;
}

export function render(force = false) {
  setTimeZone(S.terminal && S.terminal.terminal && S.terminal.terminal.tz);
  const body = document.body;
  body.dataset.screen = S.screen;
  body.dataset.outbox = String(S.outbox.length);
  body.dataset.rejected = String(visibleRejected().length);
  body.dataset.online = String(S.online !== false);
  renderPart('bar', JSON.stringify(barModel()), viewBar, force);
  renderPart('banners', bannersKey(), viewBanners, force);
  const view = VIEWS[S.screen];
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

/** Clocks and running times, without rebuilding the screen. */
export function tick() {
  const now = serverNow();
  const clock = document.getElementById('clock-now');
  if (clock) clock.textContent = fmtClock(now);
  for (const el of document.querySelectorAll('[data-elapsed]')) {
    const open = JSON.parse(el.dataset.open || '[]');
    const ms = (Number(el.dataset.elapsed) + open.reduce((sum, t) => sum + Math.max(0, now - t), 0)) / Number(el.dataset.divide || 1);
    el.textContent = fmtDuration(ms);
    // a time against a standard (per piece): marked once above it
    if (el.dataset.standard) el.classList.toggle('over', ms > Number(el.dataset.standard));
  }
  for (const el of document.querySelectorAll('[data-countdown]')) {
    el.textContent = `${Math.max(0, Math.ceil((Number(el.dataset.countdown) - Date.now()) / 1000))} s`;
  }
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = fmtDuration(now - Number(el.dataset.since));
  }
}
