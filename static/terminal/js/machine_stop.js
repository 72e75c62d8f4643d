// A machine's unexplained stops on the work order screen (issue 22). A machine that reports
// idle or down for longer than the company's threshold opens a stop; the server lists the stops
// still to classify in the work order's live answer (machine_stops: the open one first, then
// closed ones without a reason). The operator gives the reason, a downtime reason, as a
// machine_stop_reason event {stop, reason}; the server then books the stop as downtime with it.
// Until the server's answer no longer lists it, a stop this tablet classified is not asked again.

import { act } from './actions.js';
import { pickReason } from './dialogs.js';
import { fmtClock } from './format.js';
import { guarded } from './guard.js';
import { t } from './i18n.js';
import { S, reasons } from './state.js';
import { h } from './util.js';

export const STOP_REASON = 'machine_stop_reason';

/** The stops of this work order still to classify: the server's last answer, less the stops
 * this tablet classified that the answer had not seen. */
export function stopsToClassify(woId) {
  const entry = S.details[woId];
  if (!entry) return [];
  const classifiedHere = new Set(S.outbox.concat(S.sent.filter((r) => r.doneAt > entry.fetchedAt))
    .filter((r) => r.wo === woId && r.event.type === STOP_REASON).map((r) => r.event.data.stop));
  return (entry.data.machine_stops || []).filter((stop) => !classifiedHere.has(stop.stop));
}

/** What the card shows, for the screen's key (rebuilt only when it changed). */
export const machineStopKey = (woId) => stopsToClassify(woId).map((s) => [s.stop, s.until]);

/** Ask the reason of ``stop`` and send it. */
export async function classifyStop(stop) {
  const reason = await pickReason(t('machine_stop.question', { since: fmtClock(Date.parse(stop.since)) }), reasons('downtime'));
  if (reason) await act(STOP_REASON, { stop: stop.stop, reason: reason.code });
}

/** The card asking for the newest stop's reason (null when none is to classify). */
export function viewMachineStop(woId, disabled) {
  const stops = stopsToClassify(woId);
  if (!stops.length) return null;
  const [stop] = stops;
  const since = fmtClock(Date.parse(stop.since));
  const what = stop.until
    ? t('machine_stop.closed', { since, until: fmtClock(Date.parse(stop.until)) })
    : t(stop.state === 'down' ? 'machine_stop.open_down' : 'machine_stop.open_idle', { since });
  return h('section', { class: 'card machine-stop', id: 'machine-stop', dataset: { stop: stop.stop, open: String(!stop.until) } },
    h('h2', null, t('machine_stop.title')),
    h('p', { class: 'machine-stop-text' }, what, stop.code ? ` · ${t('machine_stop.code', { code: stop.code })}` : ''),
    h('button', {
      class: 'btn btn-down', type: 'button', id: 'classify-stop', disabled,
      onclick: guarded(() => classifyStop(stop)),
    }, t('machine_stop.classify')),
    stops.length > 1 ? h('p', { class: 'muted' }, t('machine_stop.more', { count: stops.length - 1 })) : null);
}
