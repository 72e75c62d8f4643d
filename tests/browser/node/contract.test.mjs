// What the tablet shares with the server and between its own files: the event types' data
// fields against the server's contract (services/contract.py, read by Python), every word the
// app shows in the catalogue with the same placeholders in every language, and the modules'
// imports without a cycle.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { EVENT_TYPES, MACHINE_ONLY_TYPES } from '../../../static/terminal/js/events.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const JS = join(ROOT, 'static', 'terminal', 'js');
const I18N = join(ROOT, 'static', 'terminal', 'i18n');

function python() {
  const venv = join(ROOT, '.local', 'venv', 'bin', 'python');
  return process.env.MES_PYTHON || (existsSync(venv) ? venv : 'python3');
}

test('the event types and their data fields are the server contract\'s', () => {
  const script = 'import json, sys; sys.path.insert(0, sys.argv[1]); from services import contract; '
    + 'print(json.dumps({"fields": {t: sorted(f) for t, f in contract.EVENT_FIELDS.items()}, "machine": list(contract.MACHINE_TYPES)}))';
  const server = JSON.parse(execFileSync(python(), ['-c', script, ROOT], { encoding: 'utf8' }));
  const tablet = Object.fromEntries(Object.entries(EVENT_TYPES).map(([type, spec]) => [type, spec.data.slice().sort()]));
  const serverTablet = Object.fromEntries(Object.entries(server.fields).filter(([type]) => !server.machine.includes(type)));
  assert.deepEqual(tablet, serverTablet);
  assert.deepEqual(MACHINE_ONLY_TYPES.slice().sort(), server.machine.slice().sort());
});

const catalogue = (lang) => JSON.parse(readFileSync(join(I18N, `${lang}.json`), 'utf8'));
const placeholders = (entry) => {
  const texts = typeof entry === 'object' ? Object.values(entry) : [entry];
  return [...new Set(texts.flatMap((text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
};

test('every key the app uses is in the English catalogue, and every English key is used', () => {
  const en = catalogue('en');
  const namespaces = [...new Set(Object.keys(en).map((k) => k.split('.')[0]))].join('|');
  const used = new Set();
  for (const file of readdirSync(JS).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(JS, file), 'utf8');
    for (const m of text.matchAll(new RegExp(`'((?:${namespaces})\\.[a-z_]+)'`, 'g'))) used.add(m[1]);
    // t(`state.${state}`): every key of that namespace
    for (const m of text.matchAll(/t\(`(\w+)\.\$\{/g)) for (const k of Object.keys(en)) if (k.startsWith(`${m[1]}.`)) used.add(k);
  }
  assert.deepEqual([...used].filter((k) => !(k in en)), [], 'used but not in en.json');
  assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)), [], 'in en.json but not used');
});

test('every other catalogue has the English keys, the same placeholders and plural forms', () => {
  const en = catalogue('en');
  for (const file of readdirSync(I18N).filter((f) => f.endsWith('.json') && f !== 'en.json')) {
    const other = JSON.parse(readFileSync(join(I18N, file), 'utf8'));
    assert.deepEqual(Object.keys(en).filter((k) => !(k in other)), [], `${file}: missing keys`);
    assert.deepEqual(Object.keys(other).filter((k) => !(k in en)), [], `${file}: keys English does not have`);
    for (const [key, entry] of Object.entries(en)) {
      assert.deepEqual(placeholders(other[key]), placeholders(entry), `${file}: ${key} placeholders`);
      assert.equal(typeof other[key], typeof entry, `${file}: ${key} plural or not`);
      if (typeof entry === 'object') assert.ok('other' in other[key], `${file}: ${key} has no "other" form`);
    }
  }
});

test('the modules import each other without a cycle', () => {
  const graph = {};
  for (const file of readdirSync(JS).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(JS, file), 'utf8');
    graph[file] = [...text.matchAll(/^import[^'"]*['"]\.\/([\w.]+)['"]/gm)].map((m) => m[1]);
  }
  const state = {};
  const visit = (file, path) => {
    if (state[file] === 'done') return;
    assert.notEqual(state[file], 'open', `import cycle: ${path.concat(file).join(' -> ')}`);
    state[file] = 'open';
    for (const dep of graph[file] || []) visit(dep, path.concat(file));
    state[file] = 'done';
  };
  for (const file of Object.keys(graph)) visit(file, []);
  assert.ok(graph['app.js'].length > 3);
});
