// Moving between screens: the session remembers where the operator is; the new screen's data
// is fetched right away.

import { loadCached, saveSession } from './persist.js';
import { S, changed } from './state.js';
import { refreshCurrent } from './sync.js';

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
  changed(true);
  window.scrollTo(0, 0);
  refreshCurrent(true);
}

export const openWorkorder = (id) => go('workorder', { wo: id });
export const selectWorkcenter = (id) => go('queue', { wc: id });
