// Service worker of the operator terminal: keeps the app shell so the terminal loads without
// the network. The server fills in VERSION (a hash of the app's files) and ASSETS, so any new
// version of the app installs a new worker that caches the new files.
// API calls (/mes/api/...) are outside its scope: the app itself keeps their data in IndexedDB.

const VERSION = '__VERSION__';
const ASSETS = ['__ASSETS__'];
const PREFIX = 'mes-terminal-';
const CACHE = PREFIX + VERSION;
const SCOPE = '/mes/terminal';
const NAVIGATION_TIMEOUT = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(ASSETS.map((url) => new Request(url, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname !== SCOPE && !url.pathname.startsWith(SCOPE + '/')) return;
  if (url.pathname === SCOPE + '/sw.js') return;
  event.respondWith(answer(request, url));
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (err) => { clearTimeout(timer); reject(err); });
  });
}

async function answer(request, url) {
  const cache = await caches.open(CACHE);
  const key = url.pathname === SCOPE + '/' ? SCOPE : url.pathname;   // the query string is ignored
  const cached = await cache.match(key);
  if (request.mode === 'navigate') {
    // The page: from the network when it answers soon (a new deploy shows at once), else the
    // cached shell.
    try {
      const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT);
      if (response.ok) await cache.put(key, response.clone());
      else if (cached && response.status >= 500) return cached;
      return response;
    } catch (err) {
      if (cached) return cached;
      throw err;
    }
  }
  // Scripts, styles, icons: versioned with this worker, so the cache is right by construction.
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(key, response.clone());
  return response;
}
