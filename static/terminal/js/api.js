// The terminal contract v1 over fetch. One lane: requests run one at a time, so the view can
// tell exactly which acknowledged events a fetched work order already includes.

import { currentLanguage, t } from './i18n.js';

export const TOKEN_KEY = 'mes.terminal.token';

/** The server answered with a coded error (4xx): its message is for the operator. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || t('api.refused', { status }));
    this.status = status;
    this.code = error.code || `http_${status}`;
  }
}

/** No usable answer: no network, server down, timeout or a 5xx. Retry later. */
export class Unreachable extends Error {
  constructor(detail) {
    super(t('api.unreachable', { detail }));
    this.detail = detail;
  }
}

let lane = Promise.resolve();

export function serial(work) {
  const run = lane.then(work, work);
  lane = run.catch(() => undefined);
  return run;
}

export async function request(method, path, body, { timeout = 15000, token } = {}) {
  // the server's messages in the operator's language
  const headers = { Accept: 'application/json', 'Accept-Language': currentLanguage() };
  const bearer = token === undefined ? localStorage.getItem(TOKEN_KEY) : token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal, cache: 'no-store', credentials: 'omit',
    });
  } catch (err) {
    throw new Unreachable(t(err.name === 'AbortError' ? 'api.timeout' : 'api.no_network'));
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.status >= 500 || (!response.ok && !(data && data.error))) {
    throw new Unreachable(`HTTP ${response.status}`);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  if (!data) throw new Unreachable(t('api.not_json'));
  return data;
}

// Raw calls; callers put them in the lane with serial() or timed().
export const api = {
  terminal: (token) => request('GET', '/mes/api/v1/terminal', undefined, { token }),
  login: (payload) => request('POST', '/mes/api/v1/login', payload),
  queue: (wc) => request('GET', `/mes/api/v1/workcenters/${wc}/queue`),
  workorder: (id) => request('GET', `/mes/api/v1/workorders/${id}`),
  live: (id) => request('GET', `/mes/api/v1/workorders/${id}/live`),
  events: (events) => request('POST', '/mes/api/v1/events',
    { sent_at: new Date().toISOString(), events }, { timeout: 30000 }),
  running: (employeeId, timeout = 4000) => request('GET', `/mes/api/v1/employees/${employeeId}/running`, undefined, { timeout }),
  supervisor: (payload) => request('POST', '/mes/api/v1/terminal/supervisor', payload),
  ping: () => request('GET', '/mes/api/versions', undefined, { token: null, timeout: 5000 }),
};

/** Run work() inside the lane and return [result, startedAt]: startedAt is when the request
 * went out, after every earlier request of the lane had finished. */
export function timed(work) {
  return serial(async () => {
    const startedAt = Date.now();
    return [await work(), startedAt];
  });
}
