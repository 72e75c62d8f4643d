// Small helpers: DOM building, ids, number and time formatting.

/** h('button', {class: 'big', onclick: fn, dataset: {action: 'start'}}, 'Start') */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A v4 uuid: crypto.randomUUID where the context allows it (https or localhost), else built
 * from getRandomValues (available on plain http too). */
export function uuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function fmtQty(value) {
  const n = Number(value) || 0;
  return (Math.round(n * 1000) / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 });
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
  } catch (_) {
    plantTz = undefined;     // a zone this browser does not know: its own
  }
}
export const timeZone = () => plantTz;

export function fmtClock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: plantTz });
}

const dayOf = (ms) => new Date(ms).toLocaleDateString('en-CA', { timeZone: plantTz });

export function fmtDay(ms) {
  const time = fmtClock(ms);
  if (dayOf(ms) === dayOf(Date.now())) return time;
  return `${new Date(ms).toLocaleDateString([], { day: 'numeric', month: 'short', timeZone: plantTz })} ${time}`;
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
  if (ms === null || ms === undefined) return 'clock —';
  const s = ms / 1000;
  return `clock ${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(1)} s`;
}

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export const TYPE_LABEL = {
  start: 'Start', stop: 'Stop', produce: 'Good parts', scrap: 'Scrap', consume: 'Consume',
  downtime_start: 'Downtime start', downtime_end: 'Downtime end', check: 'Quality check', finish: 'Finish',
};
