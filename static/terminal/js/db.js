// IndexedDB: the terminal's durable state. Everything an operator did is here before the
// network sees it, so a reload, a crash or a dead network loses nothing.
//
// stores: outbox   events not yet acknowledged by the server (key: seq)
//         rejected events the server refused, until the operator dismisses them (key: seq)
//         sent     recently acknowledged events, for the optimistic view (key: seq)
//         cache    last JSON of the terminal, queues and work orders (key: string)
//         meta     counters (key: string), e.g. the device's last seq

const NAME = 'shopfloor-mes-terminal';
const VERSION = 1;
let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const store of ['outbox', 'rejected', 'sent']) {
          if (!db.objectStoreNames.contains(store)) db.createObjectStore(store, { keyPath: 'seq' });
        }
        for (const store of ['cache', 'meta']) {
          if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close();
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
      request.onblocked = () => console.warn('IndexedDB upgrade blocked by another tab');
    });
  }
  return opening;
}

/** Promise of one IDBRequest's result. */
export function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run fn({store: IDBObjectStore, ...}) in one transaction; resolves with fn's result once the
 * transaction has committed (so the caller knows the data is on disk). */
export async function tx(storeNames, mode, fn) {
  const db = await openDb();
  const names = [].concat(storeNames);
  return new Promise((resolve, reject) => {
    const t = db.transaction(names, mode);
    const stores = {};
    for (const name of names) stores[name] = t.objectStore(name);
    let result;
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('IndexedDB transaction aborted'));
    Promise.resolve().then(() => fn(stores, t)).then((value) => { result = value; }, (err) => {
      try { t.abort(); } catch { /* already finished */ }
      reject(err);
    });
  });
}

export const getAll = (store) => tx(store, 'readonly', (s) => done(s[store].getAll()));
export const get = (store, key) => tx(store, 'readonly', (s) => done(s[store].get(key)));
export const put = (store, value, key) => tx(store, 'readwrite', (s) => done(key === undefined ? s[store].put(value) : s[store].put(value, key)));
export const del = (store, key) => tx(store, 'readwrite', (s) => done(s[store].delete(key)));
