// Numbers, durations and times as the operator reads them: numbers and dates in the plant's
// locale (i18n.js), times in the plant's time zone.

import { currentLocale, t } from './i18n.js';

export function fmtQty(value) {
  const n = Number(value) || 0;
  return (Math.round(n * 1000) / 1000).toLocaleString(currentLocale(), { maximumFractionDigits: 3 });
}

/** Milliseconds as h:mm:ss (or m:ss under an hour). */
export function fmtDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours ? String(minutes).padStart(2, '0') : String(minutes);
  return `${hours ? hours + ':' : ''}${mm}:${String(seconds).padStart(2, '0')}`;
}

// Times are shown in the plant's time zone (the terminal's, else the company's, as the server
// says in GET /terminal), not the tablet's: a tablet set to another zone still shows plant time.
let plantTz;        // undefined: the tablet's own zone (until the server said)
export function setTimeZone(tz) {
  if ((tz || undefined) === plantTz) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz || undefined });
    plantTz = tz || undefined;
  } catch {
    plantTz = undefined;     // a zone this browser does not know: its own
  }
}
export const timeZone = () => plantTz;

export function fmtClock(ms) {
  return new Date(ms).toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: plantTz });
}

const dayOf = (ms) => new Date(ms).toLocaleDateString('en-CA', { timeZone: plantTz });

export function fmtDay(ms) {
  const time = fmtClock(ms);
  if (dayOf(ms) === dayOf(Date.now())) return time;
  return `${new Date(ms).toLocaleDateString(currentLocale(), { day: 'numeric', month: 'short', timeZone: plantTz })} ${time}`;
}

/** The server's messages quote times in UTC ("until 2026-12-07 07:15:00 UTC"): shown in the
 * plant's time zone instead. */
const UTC_TIME = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?Z? UTC/g;
export function localTimes(text) {
  return String(text || '').replace(UTC_TIME, (all, day, hm, sec, frac) => {
    const ms = Date.parse(`${day}T${hm}:${sec || '00'}.${(frac || '0').slice(0, 3).padEnd(3, '0')}Z`);
    return Number.isFinite(ms) ? fmtDay(ms) : all;
  });
}

export function fmtOffset(ms) {
  if (ms === null || ms === undefined) return t('bar.clock_unknown');
  const s = ms / 1000;
  return t('bar.clock_offset', { sign: s >= 0 ? '+' : '−', seconds: Math.abs(s).toFixed(1) });
}
