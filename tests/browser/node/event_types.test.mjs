// The tablet's copy of the event types' descriptions (static/terminal/js/event_types.js, made
// from services/event_types.py) and its check of an event (events.js checkEvent) against the
// server's: the copy is up to date, the check gives the parser's code and field on the same
// events, every type a tablet action sends has its word and its action, and the outbox stores
// no event of a type the tablet does not send.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { DESCRIPTIONS } from '../../../static/terminal/js/event_types.js';
import { EFFECTS, EVENT_TYPES, MACHINE_ONLY_TYPES, checkEvent, tabletSends } from '../../../static/terminal/js/events.js';
import { enqueue } from '../../../static/terminal/js/outbox.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const JS = join(ROOT, 'static', 'terminal', 'js');

function python() {
  const venv = join(ROOT, '.local', 'venv', 'bin', 'python');
  return process.env.MES_PYTHON || (existsSync(venv) ? venv : 'python3');
}

test('the tablet\'s copy of the descriptions is the one services/event_types.py makes', () => {
  const made = execFileSync(python(), ['-m', 'services.event_types'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(readFileSync(join(JS, 'event_types.js'), 'utf8'), made,
    'out of date: run python3 -m services.event_types --write');
});

// The same events judged by the tablet's check and by the server's parser (services/contract.py).
const CASES = [
  ['start', {}], ['stop', null], ['finish', { anything: 1 }],
  ['produce', { qty: 2 }], ['produce', { qty: 0 }], ['produce', { qty: -1 }], ['produce', {}], ['produce', { qty: '2' }],
  ['produce', { qty: 1e9 + 1 }], ['produce', { qty: true }], ['produce', { qty: 1, lot: 7 }], ['produce', { qty: 1, lot: '' }],
  ['produce', { qty: 1, lot: 'x'.repeat(200) }], ['produce', { qty: 1, lot: 'x'.repeat(201) }],
  ['produce', { qty: 1, lot: '\u{1F600}'.repeat(200) }], ['produce', { qty: 1, lot: 'a\u0000b' }],
  ['produce', { qty: 1, lot: 'a\uD800b' }], ['produce', [1]], ['produce', 'qty=5'],
  ['scrap', { qty: 1, reason: 'BURR' }], ['scrap', { qty: 1, reason: '  ' }], ['scrap', { qty: 1 }],
  ['scrap', { qty: 1, reason: 'BURR', product_id: -1 }], ['scrap', { qty: 1, reason: 'BURR', product_id: 2 ** 31 }],
  ['scrap', { qty: 1, reason: 'BURR', product_id: 1.5 }], ['scrap', { qty: 1, reason: 'BURR', product_id: 2 ** 31 - 1 }],
  ['consume', { product_id: 9, qty: 1 }], ['consume', { qty: 1 }], ['consume', { product_id: '9', qty: 1 }],
  ['downtime_start', { reason: 'JAM' }], ['downtime_start', { reason: { code: 'JAM' } }], ['downtime_end', {}],
  ['check', { point_id: 3, result: 'pass' }], ['check', { point_id: 3, result: 'maybe' }], ['check', { point_id: 3 }],
  ['check', { point_id: 3, result: 'fail', value: -12.5, note: 'burr' }], ['check', { point_id: 3, result: 'pass', value: '1' }],
  ['check', { point_id: 3, result: ['pass'] }],
  ['machine_stop_reason', { stop: 'm:SAW-1:state:7', reason: 'JAM' }], ['machine_stop_reason', { reason: 'JAM' }],
  ['maintenance_request', { note: 'Blade guard loose' }], ['maintenance_request', { note: '' }],
  ['undo', { event: 't1-17' }], ['undo', {}],
  ['machine_cycle', { count: 1 }], ['machine_state', { state: 'down' }],
  ['pause', {}], ['Start', {}], ['labor_correction', {}], [5, {}], [null, {}],
];

function parsedByTheServer(cases) {
  const script = [
    'import json, sys',
    'from services import contract, errors',
    'out = []',
    'for etype, data in json.loads(sys.stdin.read()):',
    '    raw = {"schema": 1, "id": "e1", "type": etype, "workorder_id": 1, "employee": "B", "at": "2026-11-24T06:59:58Z", "data": data}',
    '    try:',
    '        contract.parse_event(raw)',
    '        out.append(None)',
    '    except errors.MesError as exc:',
    '        out.append([exc.code, exc.params.get("field", "type" if exc.code == "type_unknown" else None)])',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync(python(), ['-c', script], { cwd: ROOT, input: JSON.stringify(cases), encoding: 'utf8' }));
}

test('the tablet\'s check gives the server parser\'s code and field; a machine\'s type is unknown to it', () => {
  const server = parsedByTheServer(CASES);
  CASES.forEach(([type, data], i) => {
    const tablet = checkEvent(type, data);
    const what = `${JSON.stringify(type)} ${JSON.stringify(data)}`;
    if (MACHINE_ONLY_TYPES.includes(type)) {
      assert.equal(server[i], null, `the server parses ${what}`);
      assert.equal(tablet.code, 'type_unknown', `the tablet refuses ${what}`);
    } else {
      // qty_not_positive names no field on the server (its message says which quantity)
      const field = server[i] && server[i][1] === null ? null : tablet && tablet.field;
      assert.deepEqual(tablet && [tablet.code, field], server[i], what);
    }
  });
  // the cases reach every kind of field the descriptions have
  const kinds = new Set(Object.values(DESCRIPTIONS).flatMap((d) => d.fields.map((f) => f.kind)));
  assert.deepEqual([...kinds].sort(), ['choice', 'count', 'id', 'number', 'quantity', 'text']);
});

test('the check reads the descriptions it is given: a type described without a tablet action is unknown to the tablet', () => {
  const described = { ...DESCRIPTIONS, pallet: { fields: [{ name: 'pallets', kind: 'count', required: true, min: 1, max: 2 ** 31 - 1 }], sent_by: 'operator', tablet_action: null } };
  assert.equal(checkEvent('pallet', { pallets: 2 }, described).code, 'type_unknown');
  const withAction = { ...described, pallet: { ...described.pallet, tablet_action: 'actions.js: pallet' } };
  assert.equal(checkEvent('pallet', { pallets: 2 }, withAction), null);
  assert.equal(checkEvent('pallet', { pallets: 0 }, withAction).code, 'qty_not_positive');
  assert.equal(checkEvent('pallet', {}, withAction).field, 'data.pallets');
});

test('every type a tablet action sends has its word, its action in that module and its effect; no other', () => {
  const en = JSON.parse(readFileSync(join(ROOT, 'static', 'terminal', 'i18n', 'en.json'), 'utf8'));
  const sent = Object.keys(DESCRIPTIONS).filter((type) => DESCRIPTIONS[type].tablet_action);
  assert.deepEqual(Object.keys(EVENT_TYPES), sent);
  for (const [type, spec] of Object.entries(EVENT_TYPES)) {
    assert.ok(spec.label && spec.label in en, `${type}: no word for it in events.js LABELS`);
    const [file, action] = spec.action.split(': ');
    const text = readFileSync(join(JS, file), 'utf8');
    assert.match(text, new RegExp(`\\b${action}\\b\\s*(\\(|:)`), `${type}: no action ${action} in ${file}`);
    assert.ok(text.includes(`'${type}'`), `${type}: ${file} never names it`);
  }
  for (const type of Object.keys(EFFECTS)) assert.ok(tabletSends(type), `${type}: an effect, but no tablet sends it`);
  for (const type of MACHINE_ONLY_TYPES) assert.equal(tabletSends(type), false);
});

test('the outbox stores no event of a type the tablet does not send', async () => {
  const employee = { id: 1, name: 'Anna', badge: 'B-ANNA' };
  for (const type of ['machine_cycle', 'pallet', undefined]) {
    await assert.rejects(enqueue(type, { wo: 1, wc: 1, woName: 'WO', employee, data: { count: 1 } }),
      /is not an event this tablet sends/);
  }
});
