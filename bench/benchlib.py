"""What every benchmark needs: a database copied from the bench base, a real Odoo server on a
free port of 127.0.0.1, clients (terminal API, XML-RPC, Odoo's JSON-RPC), an in-process Odoo
environment, a small factory built fast, the terminal's event stream, and one way to print
figures.

Each bench script runs with the venv's Python; ``scripts/bench.sh`` exports BENCH_BASE_DB (the
template copy, updated to the current code). Run alone, a script needs that variable too:
``BENCH_BASE_DB=<db> .local/venv/bin/python bench/bench_ingest.py``.
"""
import atexit
import configparser
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
import xmlrpc.client
from contextlib import contextmanager
from datetime import datetime, timedelta

import requests

os.environ['TZ'] = 'UTC'   # Odoo expects its server process in UTC (the launcher sets it too)
time.tzset()

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
# the addon's plain-Python services (no Odoo import): the terminal contract's time format
sys.path.append(ROOT)
from services.contract import format_time as iso
LOCAL = os.path.join(ROOT, '.local')
VENV = os.path.join(LOCAL, 'venv')
CONF = os.environ.get('MES_CONF') or os.path.join(LOCAL, 'odoo.conf')
LOGS = os.path.join(LOCAL, 'logs', 'bench')
PGBIN = os.environ.get('PGBIN') or '/usr/lib/postgresql/15/bin'
SCALE = float(os.environ.get('BENCH_SCALE') or 1.0)   # < 1 shrinks the loops for a quick try
os.makedirs(LOGS, exist_ok=True)
# lessc for Odoo's web assets (report layouts compile them), as scripts/run.sh provides it
os.environ['PATH'] = os.path.join(LOCAL, 'node', 'node_modules', '.bin') + os.pathsep + os.environ.get('PATH', '')


def scaled(n, minimum=1, script=None):
    """``n`` times BENCH_SCALE (or BENCH_SCALE_<SCRIPT> for one script), at least ``minimum``."""
    factor = float(os.environ.get('BENCH_SCALE_%s' % script.upper()) or SCALE) if script else SCALE
    return max(minimum, int(round(n * factor)))


# -- figures ----------------------------------------------------------------------------------
def say(text=''):
    print(text, flush=True)


def figure(number, name, value, target, met):
    """One line per figure with its target; bench.sh collects these lines into the summary."""
    verdict = 'met' if met else 'MISSED'
    say('RESULT | %s | %s | %s | %s | %s' % (number, name, value, target, verdict))
    return met


def spread(values, fmt='%.1f'):
    """min / median / max of several runs, as printed."""
    values = sorted(values)
    return '%s / %s / %s' % (fmt % values[0], fmt % statistics.median(values), fmt % values[-1])


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float('nan')
    k = (len(values) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# -- PostgreSQL ---------------------------------------------------------------------------------
def _conf():
    parser = configparser.ConfigParser()
    parser.read(CONF)
    return parser['options']


def pg_env():
    options = _conf()
    env = dict(os.environ)
    env.update(PGHOST=options.get('db_host') or 'localhost', PGPORT=options.get('db_port') or '5432',
               PGUSER=options.get('db_user') or 'odoo')
    if options.get('db_password') not in (None, '', 'False'):
        env['PGPASSWORD'] = options.get('db_password')
    return env


def pg(tool, *args, check=True):
    return subprocess.run([os.path.join(PGBIN, tool)] + list(args), env=pg_env(), check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def psql(db, sql):
    return pg('psql', '-X', '-q', '-tA', '-d', db, '-c', sql).stdout.strip()


_created_dbs = []


def base_db():
    db = os.environ.get('BENCH_BASE_DB')
    if not db:
        sys.exit('BENCH_BASE_DB is not set: run the benchmarks with `make bench` '
                 '(or export BENCH_BASE_DB=<an updated copy of the template database>).')
    return db


def copy_db(name, template=None):
    """A fresh database copied from ``template`` (the bench base by default), dropped at exit."""
    pg('dropdb', '--if-exists', name)
    pg('createdb', '-T', template or base_db(), name)
    if name not in _created_dbs:
        _created_dbs.append(name)
    return name


def drop_db(name):
    pg('dropdb', '--if-exists', name, check=False)
    if name in _created_dbs:
        _created_dbs.remove(name)


def bench_db(tag):
    return 'mes_bench_%s_%d' % (tag, os.getpid())


# -- the Odoo server ------------------------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


_servers = []
RETRIES = {'count': 0}
_retry_lock = __import__('threading').Lock()


class OdooServer:
    """``odoo`` on one database, on 127.0.0.1 and free ports, without cron threads. With
    ``workers`` > 0 it runs Odoo's prefork mode (one process per worker)."""

    def __init__(self, db, workers=2, name='server', extra=()):
        self.db, self.workers, self.extra = db, workers, list(extra)
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.log_path = os.path.join(LOGS, '%s-%s.log' % (name, db))
        self.process = None

    def start(self, timeout=240):
        cmd = [os.path.join(VENV, 'bin', 'odoo'), '-c', CONF, '-d', self.db, '--db-filter=^%s$' % self.db,
               '--http-interface=127.0.0.1', '--http-port=%d' % self.port, '--max-cron-threads=0',
               '--workers=%d' % self.workers, '--log-level=warn', '--log-handler=odoo.modules.loading:INFO']
        if self.workers:
            # the prefork server also starts a longpolling process: give it its own free port,
            # and no request or time limit that would recycle a worker in the middle of a run
            cmd += ['--longpolling-port=%d' % free_port(), '--limit-request=1000000',
                    '--limit-time-cpu=600', '--limit-time-real=1200']
        cmd += self.extra
        env = dict(os.environ, TZ='UTC', PATH=os.path.join(LOCAL, 'node', 'node_modules', '.bin') + os.pathsep
                   + os.environ.get('PATH', ''))
        self.log = open(self.log_path, 'wb')
        self.process = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True)
        _servers.append(self)
        deadline = time.time() + timeout
        # requests during the registry preload can break it: wait for "Modules loaded."
        while time.time() < deadline:
            with open(self.log_path, 'rb') as log:
                if b'Modules loaded.' in log.read():
                    break
            if self.process.poll() is not None:
                raise RuntimeError('Odoo exited early; see %s' % self.log_path)
            time.sleep(0.2)
        else:
            raise RuntimeError('Odoo did not load in %s s; see %s' % (timeout, self.log_path))
        while time.time() < deadline:
            try:
                if requests.get(self.url + '/mes/api/versions', timeout=10).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError('Odoo does not answer on %s; see %s' % (self.url, self.log_path))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self.process:
            try:   # the longpolling process and workers are in the server's own session
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.log.close()
        if self in _servers:
            _servers.remove(self)

    def http_workers(self):
        """psutil processes of the HTTP workers (not the longpolling process)."""
        import psutil
        main = psutil.Process(self.process.pid)
        return [child for child in main.children()
                if 'gevent' not in child.cmdline()]

    def errors_in_log(self):
        with open(self.log_path, 'rb') as log:
            return [line.decode('utf-8', 'replace').rstrip() for line in log
                    if b' ERROR ' in line or b' CRITICAL ' in line or b'Traceback' in line]

    # -- clients ------------------------------------------------------------------------------
    def rpc(self, model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(self.url + '/xmlrpc/2/object', allow_none=True)
        return proxy.execute_kw(self.db, ADMIN_UID, 'admin', model, method, list(args), kwargs)

    def post_events(self, session, token, events, sent_at=None, timeout=600, skew=None):
        """POST a batch as the terminal's outbox does: a 503 (or no answer) is retried with the
        same events after 1 s, doubling, with jitter (static/terminal/js/outbox.js); the
        terminal stamps ``sent_at`` at each send. Retries are counted in RETRIES."""
        delay = 0.0
        for attempt in range(12):
            stamp = sent_at or (datetime.utcnow() + (skew or timedelta(0)))
            body = {'sent_at': iso(stamp), 'events': events}
            try:
                response = session.post(self.url + '/mes/api/v1/events', data=json.dumps(body), timeout=timeout,
                                        headers={'Content-Type': 'application/json',
                                                 'Authorization': 'Bearer ' + token})
            except requests.RequestException as exc:
                response, failure = None, str(exc)
            else:
                failure = '%s: %s' % (response.status_code, response.text[:300])
            if response is not None and response.status_code == 200:
                return response.json()['results']
            if response is not None and response.status_code != 503:
                break
            with _retry_lock:
                RETRIES['count'] += 1
                RETRIES.setdefault('last', failure)
            delay = min(delay * 2 if delay else 1.0, 30.0)
            time.sleep(delay * random.uniform(0.8, 1.2))
        raise RuntimeError('events answered %s' % failure)

    def web_session(self):
        """A requests session logged in the way Odoo's web client logs in (JSON-RPC)."""
        session = requests.Session()
        answer = session.post(self.url + '/web/session/authenticate', json={
            'jsonrpc': '2.0', 'method': 'call', 'params': {'db': self.db, 'login': 'admin', 'password': 'admin'}},
            timeout=60).json()
        if answer.get('error') or not answer['result'].get('uid'):
            raise RuntimeError('web login failed: %s' % answer)
        return WebClient(self, session, answer['result'].get('user_context') or {})


ADMIN_UID = 1   # Odoo 11: the admin user is uid 1 (SUPERUSER_ID)


class WebClient:
    """Calls the way Odoo's web client makes them: JSON-RPC on /web/dataset/call_kw and
    /web/dataset/call_button."""

    def __init__(self, server, session, context):
        self.server, self.session, self.context = server, session, context
        self.calls = 0

    def call_kw(self, model, method, args, kwargs=None, route='call_kw'):
        kwargs = dict(kwargs or {})
        kwargs.setdefault('context', self.context)
        url = '%s/web/dataset/%s/%s/%s' % (self.server.url, route, model, method) if route == 'call_kw' \
            else '%s/web/dataset/call_button' % self.server.url
        self.calls += 1
        if route == 'call_kw':
            params = {'model': model, 'method': method, 'args': args, 'kwargs': kwargs}
        else:   # a button: the client sends the ids and the context as the arguments
            params = {'model': model, 'method': method, 'args': list(args) + [kwargs['context']]}
        answer = self.session.post(url, json={'jsonrpc': '2.0', 'method': 'call', 'id': self.calls,
                                              'params': params}, timeout=300).json()
        if answer.get('error'):
            raise RuntimeError('%s.%s failed: %s' % (model, method, json.dumps(answer['error'])[:800]))
        return answer.get('result')


@atexit.register
def _cleanup():
    for server in list(_servers):
        server.stop()
    if os.environ.get('BENCH_KEEP_DB'):   # for a look at the data afterwards
        say('kept databases: %s' % ', '.join(_created_dbs))
        return
    for db in list(_created_dbs):
        drop_db(db)


def _on_signal(signum, _frame):
    sys.exit(128 + signum)   # runs the atexit cleanup


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


# -- in-process Odoo ------------------------------------------------------------------------------
_odoo_ready = False


def odoo_module():
    """Import Odoo configured like the servers (same config file), once per process."""
    global _odoo_ready
    import odoo
    if not _odoo_ready:
        odoo.tools.config.parse_config(['-c', CONF, '--log-level=warn', '--max-cron-threads=0'])
        odoo.service.server.load_server_wide_modules()
        _odoo_ready = True
    return odoo


@contextmanager
def odoo_env(db, commit=True):
    """An environment as the superuser on ``db``, in one transaction committed at the end."""
    odoo = odoo_module()
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        yield env
        if commit:
            cr.commit()
        else:
            cr.rollback()


def release_registry(db):
    """Close the in-process registry's connections before the database is dropped."""
    odoo = odoo_module()
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)


# -- a factory built fast ---------------------------------------------------------------------------
def build_floor(env, orders=200, employees=20, terminals=1, workcenters=1, qty=1000000.0, operations=1,
                tag='B', plan=True):
    """``orders`` manufacturing orders of one product, each with ``operations`` work orders
    round-robin over ``workcenters``; components in stock; operators with badges; terminals with
    tokens. Product valued in real time at standard, so every fact posts as in production."""
    uom = env.ref('product.product_uom_unit')
    stock = env.ref('stock.stock_location_stock')
    company = env.user.company_id
    company._mes_costing_setup()
    wcs = env['mrp.workcenter']
    for i in range(workcenters):
        wcs |= env['mrp.workcenter'].create({'name': '%s machine %d' % (tag, i + 1), 'costs_hour': 60.0,
                                            'mes_labor_rate': 30.0})
    categ = env['product.category'].create({'name': '%s bench' % tag, 'property_valuation': 'real_time',
                                           'property_cost_method': 'standard'})

    def product(name, price):
        return env['product.product'].create({
            'name': '%s %s' % (tag, name), 'type': 'product', 'categ_id': categ.id, 'standard_price': price,
            'uom_id': uom.id, 'uom_po_id': uom.id})
    tube, screw, stool = product('tube', 4.0), product('screw', 0.1), product('stool', 30.0)
    for component in (tube, screw):
        env['stock.quant']._update_available_quantity(component, stock, 1e9)
    routing = env['mrp.routing'].create({'name': '%s routing' % tag, 'operation_ids': [
        (0, 0, {'name': 'Op %d' % (i + 1), 'workcenter_id': wcs[i % len(wcs)].id, 'time_cycle_manual': 2.0,
                'sequence': i + 1}) for i in range(operations)]})
    bom = env['mrp.bom'].create({
        'product_tmpl_id': stool.product_tmpl_id.id, 'product_qty': 1.0, 'routing_id': routing.id,
        'bom_line_ids': [(0, 0, {'product_id': tube.id, 'product_qty': 3.0}),
                         (0, 0, {'product_id': screw.id, 'product_qty': 8.0})]})
    production_ids = []
    for index in range(orders):
        production = env['mrp.production'].create({
            'product_id': stool.id, 'product_qty': qty, 'product_uom_id': uom.id, 'bom_id': bom.id})
        if plan:
            production.button_plan()   # work orders created, the first one ready
        production_ids.append(production.id)
        if index % 25 == 24:
            env['mrp.production'].invalidate_cache()   # a small cache: planning one order must not prefetch all others
    productions = env['mrp.production'].browse(production_ids)
    people = env['hr.employee']
    for i in range(employees):
        people |= env['hr.employee'].create({'name': '%s operator %d' % (tag, i + 1),
                                             'barcode': '%s-OP-%03d' % (tag, i + 1), 'timesheet_cost': 30.0 + i})
    tokens = []
    for i in range(terminals):
        terminal = env['mes.terminal'].create({'name': '%s tablet %d' % (tag, i + 1),
                                               'workcenter_ids': [(6, 0, wcs.ids)]})
        tokens.append(issue_token(terminal))
    workorders = productions.mapped('workorder_ids').sorted('id')
    return {'workcenter_ids': wcs.ids, 'production_ids': productions.ids, 'workorder_ids': workorders.ids,
            'badges': people.mapped('barcode'), 'employee_ids': people.ids, 'tokens': tokens,
            'product_id': stool.id, 'component_ids': [tube.id, screw.id], 'bom_id': bom.id}


# The shop floor most benchmarks share: 400 orders of one operation on one work center, 20
# operators, 20 terminals on that work center. Built once per base database and copied by each
# script (createdb -T takes a second; building takes minutes).
# 50 terminals with 10 orders each: the latency bench's paced load (issue 17: 50 terminals)
FLOOR_SPEC = {'orders': 500, 'employees': 50, 'terminals': 50, 'workcenters': 1}


def floor_db():
    """Name and description (ids, tokens) of the shared floor database, built if missing.
    Under `make bench` (BENCH_SHARED_FLOOR=1) bench.sh drops it at the end; a script run
    alone drops it at its exit."""
    import hashlib
    digest = hashlib.sha1(json.dumps([base_db(), FLOOR_SPEC], sort_keys=True).encode()).hexdigest()[:8]
    name = 'mes_bench_floor_%s' % digest
    meta_path = os.path.join(LOGS, name + '.json')
    exists = psql('postgres', "SELECT 1 FROM pg_database WHERE datname = '%s'" % name) == '1'
    if exists and os.path.exists(meta_path):
        with open(meta_path) as handle:
            return name, json.load(handle)
    started = time.time()
    say('building the shared floor database %s (%s) ...' % (name, ', '.join(
        '%s %s' % (v, k) for k, v in sorted(FLOOR_SPEC.items()))))
    copy_db(name)
    if os.environ.get('BENCH_SHARED_FLOOR'):
        _created_dbs.remove(name)
    with odoo_env(name) as env:
        floor = build_floor(env, tag='F', **FLOOR_SPEC)
    release_registry(name)
    with open(meta_path, 'w') as handle:
        json.dump(floor, handle)
    say('... built in %.0f s' % (time.time() - started))
    return name, floor


def floor_copy(tag):
    """A private copy of the shared floor for one script, and the floor's description."""
    name, floor = floor_db()
    return copy_db(bench_db(tag), name), floor


def clone_rows(cr, table, template_id, count, overrides, params=None):
    """Insert ``count`` copies of row ``template_id`` of ``table`` in one statement; each
    column in ``overrides`` is an SQL expression over the template ``t`` and the copy number
    ``g`` (0-based). Returns the new ids in order of ``g``. For building volume fast; the
    measured operations never go through here."""
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
               "ORDER BY ordinal_position", (table,))
    columns = [row[0] for row in cr.fetchall()]
    select = ', '.join(overrides.get(c, 't.%s' % c) for c in columns)
    cr.execute('INSERT INTO %s (%s) SELECT %s FROM %s t, generate_series(0, %d) g WHERE t.id = %%(template)s '
               'ORDER BY g RETURNING id' % (table, ', '.join(columns), select, table, count - 1),
               dict(params or {}, template=template_id))
    return sorted(row[0] for row in cr.fetchall())


def issue_token(terminal):
    """The terminal's token as a supervisor issues it (issue_token); as the superuser outside
    the supervisor group, the same hash is written directly."""
    try:
        return terminal.issue_token()
    except Exception:  # only the group check can refuse here
        from odoo.addons.shopfloor_mes.services.terminal_token import token_hash
        token = secrets.token_urlsafe(32)
        terminal.sudo().write({'token_hash': token_hash(token)})
        return token


# -- the terminal's events ----------------------------------------------------------------------------
def event(etype, wo_id, badge, at, seq, data=None):
    return {'schema': 1, 'id': str(uuid.uuid4()), 'seq': seq, 'type': etype, 'workorder_id': wo_id,
            'employee': badge, 'at': iso(at), 'data': data or {}}


CYCLE = ('start', 'produce', 'produce', 'stop')


class FloorStream:
    """A terminal's realistic stream: every work order goes round start, produce, produce, stop
    with its own operator; work orders are out of phase, so each batch holds a mix of the
    three types (1/4 start, 1/2 produce, 1/4 stop). A batch takes the next event of
    ``batch`` distinct work orders; shop-floor time advances a minute per batch, from a start
    far enough in the past that no event is in the future."""

    def __init__(self, wo_ids, badges, batches, batch=100, seed=1, start=None):
        self.wo_ids, self.badges, self.batch = list(wo_ids), list(badges), batch
        self.phase = {wo: i % len(CYCLE) for i, wo in enumerate(self.wo_ids)}
        self.started = set()
        self.badge = {wo: self.badges[i % len(self.badges)] for i, wo in enumerate(self.wo_ids)}
        self.cursor = 0
        self.seq = 0
        self.rng = random.Random(seed)
        self.t0 = start or (datetime.utcnow() - timedelta(minutes=batches + 30))
        self.batches = 0
        self.sent = {etype: 0 for etype in set(CYCLE)}

    def badge_of(self, wo):
        return self.badge[wo]

    def next_batch(self):
        events = []
        base = self.t0 + timedelta(minutes=self.batches)
        for k in range(min(self.batch, len(self.wo_ids))):
            wo = self.wo_ids[self.cursor]
            self.cursor = (self.cursor + 1) % len(self.wo_ids)
            if wo in self.started or self.phase[wo] == 0:
                etype = CYCLE[self.phase[wo]]
                self.phase[wo] = (self.phase[wo] + 1) % len(CYCLE)
            else:
                etype = 'start'   # a work order out of phase still begins with a start
            self.started.add(wo)
            self.seq += 1
            data = {'qty': self.rng.choice((1, 2, 3))} if etype == 'produce' else {}
            events.append(event(etype, wo, self.badge_of(wo), base + timedelta(milliseconds=300 * k),
                                self.seq, data))
            self.sent[etype] += 1
        self.batches += 1
        return events


def load_average():
    return '%.2f %.2f %.2f' % os.getloadavg()


# -- where the time goes ------------------------------------------------------------------------------
def cpu_seconds(server):
    """CPU seconds (user + system) used so far by the server's processes and by the PostgreSQL
    backends serving its database: says whether Python or the database is the bottleneck."""
    pids = psql('postgres', "SELECT string_agg(pid::text, ',') FROM pg_stat_activity "
                            "WHERE datname = '%s' AND application_name <> '%s'" % (server.db, POSTING_APP))
    return process_tree_cpu(server.process.pid), processes_cpu(int(pid) for pid in filter(None, pids.split(',')))


def process_tree_cpu(pid):
    """CPU seconds (user + system) of process ``pid`` and its children so far."""
    import psutil
    try:
        main = psutil.Process(pid)
        return processes_cpu([main.pid] + [child.pid for child in main.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0.0


def processes_cpu(pids):
    """CPU seconds (user + system) of the processes ``pids`` so far; gone ones count nothing."""
    import psutil
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def time_budget():
    """Seconds a measuring loop may run (BENCH_TIME_BUDGET); None: no limit, the full size."""
    value = os.environ.get('BENCH_TIME_BUDGET')
    return float(value) if value else None


def count_statuses(results, into):
    for result in results:
        into[result['status']] = into.get(result['status'], 0) + 1
        if result['status'] == 'rejected':
            code = result.get('error', {}).get('code')
            into.setdefault('codes', {})
            into['codes'][code] = into['codes'].get(code, 0) + 1
            into.setdefault('first_error', '%s: %s' % (code, result.get('error', {}).get('message')))
    return into


# -- the posting stage (issue 18) -----------------------------------------------------------------
def production_workers():
    """The prefork workers scripts/production_conf.py gives this machine (2 x cores + 1)."""
    return 2 * (os.cpu_count() or 1) + 1


def posting_server(db, name='server', workers=None):
    """An Odoo server that runs the postings as in production (scripts/production_conf.py):
    ``--load=web,queue_job`` (queue_job's runner in the server), prefork workers (2 x cores + 1
    by default), channels ``root:<min(2, workers - 1)>,root.mes_posting:1`` (set through
    ODOO_QUEUE_JOB_CHANNELS, which queue_job reads before the config file). Not started."""
    workers = workers or production_workers()
    server = OdooServer(db, workers=workers, name=name, extra=['--load=web,queue_job'])
    server.channels = 'root:%d,root.mes_posting:1' % max(1, min(2, workers - 1))
    start = server.start

    def start_with_channels(timeout=240):
        saved = os.environ.get('ODOO_QUEUE_JOB_CHANNELS')
        os.environ['ODOO_QUEUE_JOB_CHANNELS'] = server.channels
        try:
            return start(timeout)
        finally:
            if saved is None:
                os.environ.pop('ODOO_QUEUE_JOB_CHANNELS', None)
            else:
                os.environ['ODOO_QUEUE_JOB_CHANNELS'] = saved
    server.start = start_with_channels
    return server


POSTING_NICE = int(os.environ.get('POSTING_NICE') or 10)
POSTING_APP = 'mes-postings'


class BackendNice(threading.Thread):
    """The PostgreSQL backends of one server (its application_name) at a lower priority: much of
    a posting's or a machine batch's CPU is theirs. Odoo keeps its connections, so a look every
    second finds each new one."""

    def __init__(self, db, application, nice):
        super().__init__(daemon=True)
        self.db, self.application, self.nice = db, application, nice
        self.stop, self.reniced = threading.Event(), set()

    def run(self):
        while not self.stop.wait(1.0):
            pids = psql(self.db, "SELECT pid FROM pg_stat_activity WHERE application_name = '%s'" % self.application)
            for pid in {int(p) for p in pids.split()} - self.reniced:
                try:
                    os.setpriority(os.PRIO_PROCESS, pid, self.nice)
                    self.reniced.add(pid)
                except OSError:
                    pass


@contextmanager
def environment(**values):
    """``os.environ`` with ``values`` set for the block (a server started in it inherits them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.update({name: value})


class FloorServers:
    """The floor as ``make run`` deploys it: the terminals' Odoo (``workers`` prefork workers, no
    job runner: ODOO_QUEUE_JOB_CHANNELS=root:0) and the posting stage's own Odoo (queue_job's
    runner, channels root:1,root.mes_posting:1) at a lower priority, nice POSTING_NICE with its
    PostgreSQL backends, so that the OS serves a terminal's request first and the ledger follows
    in the CPU the floor leaves. BENCH_POSTING=shared runs both in one server (the set-up before
    the posting server had its own process), for comparison."""

    def __init__(self, db, name, workers=None):
        # as many prefork workers as production gets (scripts/production_conf.py, 2 x cores + 1;
        # FLOOR_WORKERS to try others): a worker waits for PostgreSQL most of a request
        self.db, self.name = db, name
        self.workers = workers or int(os.environ.get('FLOOR_WORKERS') or 0) or production_workers()
        self.shared = os.environ.get('BENCH_POSTING') == 'shared'
        # BENCH_POSTING=off: no posting server (the record stage alone, for a diagnosis)
        self.off = os.environ.get('BENCH_POSTING') == 'off'
        self.server = self.posting = self.backends = None

    def start(self):
        if self.shared:
            self.server = OdooServer(self.db, workers=self.workers, name=self.name).start()
            return self
        with environment(ODOO_QUEUE_JOB_CHANNELS='root:0'):
            self.server = OdooServer(self.db, workers=self.workers, name=self.name).start()
        if self.off:
            return self
        with environment(ODOO_QUEUE_JOB_CHANNELS='root:1,root.mes_posting:1', PGAPPNAME=POSTING_APP):
            self.posting = OdooServer(self.db, workers=2, name=self.name + '-postings',
                                      extra=['--load=web,queue_job']).start()
        os.setpriority(os.PRIO_PGRP, self.posting.process.pid, POSTING_NICE)
        self.backends = BackendNice(self.db, POSTING_APP, POSTING_NICE)
        self.backends.start()
        return self

    def describe(self):
        if self.shared:
            return 'postings in the terminals\' server (BENCH_POSTING=shared)'
        if self.off:
            return 'no posting server (BENCH_POSTING=off): the record stage alone'
        return 'postings in a server of their own at nice %d, its PostgreSQL backends too' % POSTING_NICE

    def posting_cpu(self):
        """CPU seconds of the posting server's processes and its PostgreSQL backends so far."""
        if not self.posting:
            return 0.0, 0.0
        return process_tree_cpu(self.posting.process.pid), processes_cpu(list(self.backends.reniced))

    def stop(self):
        if self.backends:
            self.backends.stop.set()
        for server in (self.posting, self.server):
            if server:
                server.stop()


def pg_connect(db):
    """A psycopg2 connection to ``db`` in autocommit (each statement sees what is committed):
    for watching a live server's tables from the bench process."""
    import psycopg2
    env = pg_env()
    connection = psycopg2.connect(dbname=db, host=env['PGHOST'], port=env['PGPORT'], user=env['PGUSER'],
                                  password=env.get('PGPASSWORD'))
    connection.autocommit = True
    return connection


def wait_postings(connection, cap=900):
    """Seconds until no posting job is pending, enqueued or started (at most ``cap``), watched
    through ``connection`` (``pg_connect``)."""
    began = time.time()
    with connection.cursor() as cr:
        while time.time() - began < cap:
            cr.execute("SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')")
            if not cr.fetchone()[0]:
                break
            time.sleep(0.5)
    return time.time() - began
