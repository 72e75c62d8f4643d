"""What the fault tests share: database copies, Odoo servers that can be killed and restarted,
a throwaway PostgreSQL cluster that can be stopped, a plant built over XML-RPC, a terminal
client that retries the way the tablet app does, and the shop-floor state to compare.

Each fault test runs its own Odoo server on its own database, restored from a dump of
``$MES_FAULT_DB`` (or, when that is not set, ``$MES_TEST_DB``, the updated test database):
``pg_dump`` reads a consistent snapshot while other processes are connected, which
``createdb -T`` would refuse.
"""
import configparser
import json
import os
import random
import shutil
import signal
import subprocess
import threading
import time
import uuid
from datetime import datetime, timedelta

import requests

from ..conftest import LOCAL, LiveServer, free_port
from ...services.contract import format_time as iso

PGBIN = os.environ.get('PGBIN') or '/usr/lib/postgresql/15/bin'
FAULT_DIR = os.path.join(LOCAL, 'faults')
LOG_DIR = os.path.join(LOCAL, 'logs')


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, '') else default


# -- PostgreSQL ------------------------------------------------------------------------------

def odoo_conf_path():
    return os.environ.get('MES_CONF') or os.path.join(LOCAL, 'odoo.conf')


class Postgres:
    """Client tools against one PostgreSQL server (host may be a unix socket directory)."""

    def __init__(self, host, port, user, password=None):
        self.host, self.port, self.user, self.password = host, str(port), user, password

    @classmethod
    def from_odoo_conf(cls):
        parser = configparser.ConfigParser()
        parser.read(odoo_conf_path())
        opts = parser['options']
        password = opts.get('db_password')
        return cls(opts.get('db_host') or 'localhost', opts.get('db_port') or '5432', opts.get('db_user') or 'odoo',
                   None if password in (None, 'False', '') else password)

    def env(self):
        env = dict(os.environ, PGHOST=self.host, PGPORT=self.port, PGUSER=self.user)
        if self.password:
            env['PGPASSWORD'] = self.password
        return env

    def run(self, tool, *args, check=True, timeout=600):
        exe = os.path.join(PGBIN, tool) if os.path.exists(os.path.join(PGBIN, tool)) else tool
        result = subprocess.run([exe] + list(args), env=self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=timeout)
        if check and result.returncode:
            raise RuntimeError('%s %s failed: %s' % (tool, ' '.join(args), result.stderr.decode(errors='replace')))
        return result.stdout.decode()

    def sql(self, db, query):
        return self.run('psql', '-X', '-d', db, '-tAc', query).strip()

    def exists(self, db):
        return self.sql('postgres', "SELECT 1 FROM pg_database WHERE datname = '%s'" % db) == '1'

    def drop(self, db):
        self.sql('postgres', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'" % db)
        self.run('dropdb', '--if-exists', db)

    def dump(self, db, path):
        self.run('pg_dump', '-Fc', '-Z0', '-f', path, db)

    def restore(self, path, db):
        self.drop(db)
        self.run('createdb', db)
        self.run('pg_restore', '--no-owner', '-j', '2', '-d', db, path)


_dump_lock = threading.Lock()


def source_dump():
    """A dump of the fault tests' source database, made once per test session."""
    source = os.environ.get('MES_FAULT_DB') or os.environ.get('MES_TEST_DB')
    if not source:
        raise RuntimeError('MES_TEST_DB is not set: run the fault tests with `make test` or `make faults`')
    os.makedirs(FAULT_DIR, exist_ok=True)
    path = os.path.join(FAULT_DIR, '%s.%d.dump' % (source, os.getpid()))
    with _dump_lock:
        if not os.path.exists(path):
            Postgres.from_odoo_conf().dump(source, path + '.part')
            os.rename(path + '.part', path)
    return path


def fault_db_name(kind):
    base = os.environ.get('MES_TEST_DB') or 'mes_test'
    return '%s_fault_%s_%s' % (base, kind, uuid.uuid4().hex[:6])


class ThrowawayCluster:
    """A PostgreSQL cluster of the test's own under .local/pg-fault/ (or beside the project's
    cluster when that is outside the checkout), on a unix socket only, so
    stopping it disturbs nobody else. As root, it runs as the OS user ``postgres`` (initdb and
    postgres refuse root)."""

    def __init__(self, name):
        # beside the project's own cluster: where scripts/common.sh's pg_dir put it (under
        # /var/tmp when the postgres user cannot enter the checkout, .local/pg links there)
        main = os.path.realpath(os.path.join(LOCAL, 'pg'))
        beside = main + '-fault' if not main.startswith(os.path.realpath(LOCAL) + os.sep) else None
        self.root = os.path.join(beside or os.path.join(LOCAL, 'pg-fault'), name)
        self.data = os.path.join(self.root, 'data')
        self.sock = os.path.join(self.root, 'sock')
        self.port = free_port()
        self.user = 'odoo'
        self.as_pg = []
        if os.geteuid() == 0:
            self.os_user = _unprivileged_user()
            self.as_pg = ['runuser', '-u', self.os_user, '--']

    @staticmethod
    def available():
        return os.path.exists(os.path.join(PGBIN, 'initdb')) and os.path.exists(os.path.join(PGBIN, 'pg_ctl'))

    def _run(self, *args, timeout=120):
        # from / : the postgres user may not enter the caller's folder (a checkout in /root)
        result = subprocess.run(self.as_pg + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=timeout, cwd='/')
        if result.returncode:
            raise RuntimeError('%s failed: %s' % (' '.join(args), result.stdout.decode(errors='replace')))
        return result

    def init(self):
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.sock)
        os.makedirs(self.data)
        if self.as_pg:
            for path in {LOCAL, os.path.dirname(self.root)}:
                os.chmod(path, os.stat(path).st_mode | 0o011)
            subprocess.run(['chown', '-R', self.os_user + ':', self.root], check=True)
        self._run(os.path.join(PGBIN, 'initdb'), '-D', self.data, '-U', self.user, '--auth=trust', '-E', 'UTF8',
                  '--locale=C.UTF-8')
        return self

    def start(self):
        # synchronous_commit stays on (PostgreSQL's default, and what production must run): with it
        # off, an immediate stop forgets commits already acknowledged to the terminal, which is a
        # lost event no server code can prevent. fsync may stay off: the machine does not crash,
        # only the postgres processes, and the kernel keeps what they wrote.
        self._run(os.path.join(PGBIN, 'pg_ctl'), '-D', self.data, '-l', os.path.join(self.root, 'server.log'),
                  '-w', '-t', '60', '-o', "-k %s -p %d -c listen_addresses='' -c fsync=off "
                  "-c synchronous_commit=on -c full_page_writes=off -c max_connections=100" % (self.sock, self.port),
                  'start')

    def stop(self, mode='fast'):
        self._run(os.path.join(PGBIN, 'pg_ctl'), '-D', self.data, '-m', mode, '-w', '-t', '60', 'stop')

    def running(self):
        result = subprocess.run(self.as_pg + [os.path.join(PGBIN, 'pg_ctl'), '-D', self.data, 'status'],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return result.returncode == 0

    def postgres(self):
        return Postgres(self.sock, self.port, self.user)

    def destroy(self):
        if os.path.exists(os.path.join(self.data, 'postmaster.pid')):
            try:
                self.stop('immediate')
            except Exception:   # best effort clean-up
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def _unprivileged_user():
    import pwd
    for name in ('postgres', 'odoopg', 'nobody'):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError('no unprivileged OS user to run PostgreSQL as')


# -- Odoo servers ----------------------------------------------------------------------------

class FaultServer(LiveServer):
    """An Odoo server of one fault test: killed with SIGKILL and restarted on demand."""

    def __init__(self, db, log_name, postgres=None):
        super().__init__(db, free_port(), os.path.join(LOG_DIR, log_name))
        self.postgres = postgres
        self.starts = 0

    def start(self, timeout=180):
        conf = odoo_conf_path()
        # MES_ODOO_BIN: another launcher (e.g. one that applies a candidate fix) for these tests
        odoo_bin = os.environ.get('MES_ODOO_BIN') or os.path.join(LOCAL, 'venv', 'bin', 'odoo')
        os.makedirs(LOG_DIR, exist_ok=True)
        self.log = open(self.log_path, 'ab')
        mark = self.log.tell()
        args = [odoo_bin, '-c', conf, '-d', self.db, '--db-filter=^%s$' % self.db, '--http-port=%d' % self.port,
                '--http-interface=127.0.0.1', '--max-cron-threads=0', '--log-level=warn',
                '--log-handler=odoo.modules.loading:INFO']
        if self.postgres:
            args += ['--db_host=%s' % self.postgres.host, '--db_port=%s' % self.postgres.port,
                     '--db_user=%s' % self.postgres.user]
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=dict(
            os.environ, PATH=os.path.join(LOCAL, 'node', 'node_modules', '.bin') + os.pathsep + os.environ['PATH']))
        self.starts += 1
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, 'rb') as log:
                log.seek(mark)
                if b'Modules loaded.' in log.read():
                    break
            if self.process.poll() is not None:
                raise RuntimeError('Odoo exited early; see %s' % self.log_path)
            time.sleep(0.1)
        else:
            raise RuntimeError('Odoo did not load in %s s; see %s' % (timeout, self.log_path))
        # The first request builds the routing map; make it now, not inside a timed request.
        for _attempt in range(50):
            try:
                if requests.get(self.url + '/mes/api/versions', timeout=30).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError('Odoo does not answer /mes/api/versions; see %s' % self.log_path)

    def kill9(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
            return True
        return False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def restart(self):
        self.kill9()
        self.log.close()
        return self.start()


# -- a plant built over XML-RPC --------------------------------------------------------------

class Plant:
    """Work centers (one per order), a real-time valued product made from two components,
    orders of ``order_qty``, operators and one terminal bound to every work center."""

    def __init__(self, server, orders=2, operators=3, order_qty=100000, terminals=1, tag=None):
        self.server = server
        rpc = server.rpc
        self.tag = tag = tag or uuid.uuid4().hex[:6]
        uom = rpc('ir.model.data', 'xmlid_to_res_id', 'product.product_uom_unit')
        categ = rpc('product.category', 'create', {'name': 'Fault %s' % tag, 'property_valuation': 'real_time',
                                                    'property_cost_method': 'standard'})

        def product(name, price):
            return rpc('product.product', 'create', {'name': '%s %s' % (name, tag), 'type': 'product', 'uom_id': uom,
                                                     'uom_po_id': uom, 'categ_id': categ, 'standard_price': price})
        self.product_id = product('Stool', 30.0)
        self.components = [product('Tube', 4.0), product('Screw', 0.1)]
        template = rpc('product.product', 'read', [self.product_id], ['product_tmpl_id'])[0]['product_tmpl_id'][0]
        self.workcenter_ids, self.workorder_ids, self.production_ids = [], [], []
        for index in range(orders):
            wc = rpc('mrp.workcenter', 'create', {'name': 'Fault saw %s-%d' % (tag, index), 'costs_hour': 60.0})
            routing = rpc('mrp.routing', 'create', {'name': 'Fault routing %s-%d' % (tag, index), 'operation_ids': [
                (0, 0, {'name': 'Cut', 'workcenter_id': wc, 'time_cycle_manual': 2.0})]})
            bom = rpc('mrp.bom', 'create', {'product_tmpl_id': template, 'product_qty': 1, 'routing_id': routing,
                                            'bom_line_ids': [
                                                (0, 0, {'product_id': self.components[0], 'product_qty': 3}),
                                                (0, 0, {'product_id': self.components[1], 'product_qty': 8})]})
            production = rpc('mrp.production', 'create', {'product_id': self.product_id, 'product_qty': order_qty,
                                                          'product_uom_id': uom, 'bom_id': bom})
            rpc('mrp.production', 'button_plan', [production])
            self.workcenter_ids.append(wc)
            self.production_ids.append(production)
            self.workorder_ids.append(rpc('mrp.workorder', 'search', [('production_id', '=', production)])[0])
        self.badges, self.employee_ids = [], []
        for index in range(operators):
            badge = 'F-%s-%d' % (tag, index)
            self.employee_ids.append(rpc('hr.employee', 'create', {
                'name': 'Fault operator %s-%d' % (tag, index), 'barcode': badge,
                'timesheet_cost': 30.0 + 6 * (index % 3)}))
            self.badges.append(badge)
        self.terminal_ids, self.tokens = [], []
        for index in range(terminals):
            terminal = rpc('mes.terminal', 'create', {'name': 'Fault tablet %s-%d' % (tag, index),
                                                      'workcenter_ids': [(6, 0, self.workcenter_ids)]})
            self.terminal_ids.append(terminal)
            self.tokens.append(rpc('mes.terminal', 'issue_token', [terminal]))
        self.token = self.tokens[0]
        reasons = rpc('mes.reason', 'search_read', [('is_category', '=', False)], ['code', 'kind'])
        self.scrap_reason = next(r['code'] for r in reasons if r['kind'] == 'scrap')
        self.down_reason = next(r['code'] for r in reasons if r['kind'] == 'downtime')

    # -- what the plant shows, to compare two runs ------------------------------------------
    def state(self):
        """Per order: quantities, labor and machine minutes, scrap, journal balances by account
        and by account and cost element, once everything recorded is posted. (Not the number of
        journal entries: postings coalesce what is pending, so a run interrupted by faults
        posts the same amounts in other groupings.)"""
        rpc = self.server.rpc
        self.server.wait_posted()
        orders = []
        for wo_id, production in zip(self.workorder_ids, self.production_ids):
            wo = rpc('mrp.workorder', 'read', [wo_id], ['qty_produced', 'state', 'mes_labor_minutes',
                                                        'mes_machine_minutes', 'mes_scrap_qty'])[0]
            logs = rpc('mes.labor.log', 'search_read', [('workorder_id', '=', wo_id)], ['duration'])
            lines = rpc('account.move.line', 'read_group', [('mes_production_id', '=', production)],
                        ['account_id', 'debit', 'credit'], ['account_id'])
            balances = {}
            for group in lines:
                code = rpc('account.account', 'read', [group['account_id'][0]], ['code', 'name'])[0]
                balances['%s %s' % (code['code'], code['name'])] = round(group['debit'] - group['credit'], 2)
            cells = rpc('account.move.line', 'read_group', [('mes_production_id', '=', production)],
                        ['account_id', 'mes_cost_element', 'debit', 'credit'], ['account_id', 'mes_cost_element'],
                        lazy=False)
            by_element = {}
            for cell in cells:
                key = '%s/%s' % (cell['account_id'][1].split(' ')[0], cell['mes_cost_element'] or '-')
                by_element[key] = round(cell['debit'] - cell['credit'], 2)
            orders.append({
                'qty_produced': round(wo['qty_produced'], 4), 'state': wo['state'],
                'labor_minutes': round(wo['mes_labor_minutes'], 4),
                'machine_minutes': round(wo['mes_machine_minutes'], 4),
                'scrap_qty': round(wo['mes_scrap_qty'], 4), 'labor_logs': len(logs),
                'journal_balances': balances, 'by_account_and_element': by_element,
            })
        return orders

    def inbox(self):
        """The inbox rows of the plant's terminals: event id and state."""
        return self.server.rpc('mes.event', 'search_read', [('terminal_id', 'in', self.terminal_ids)],
                               ['event_uid', 'state'])


def doubled_effects(server, plant):
    """Side effects that name the same event more than once (should never happen)."""
    rpc = server.rpc
    doubled = 0
    for model, field, domain in (
            ('mes.labor.log', 'start_event_id', [('workorder_id', 'in', plant.workorder_ids)]),
            ('stock.scrap', 'mes_event_id', [('workorder_id', 'in', plant.workorder_ids)]),
            ('mrp.workcenter.productivity', 'mes_event_id', [('workcenter_id', 'in', plant.workcenter_ids),
                                                             ('mes_event_id', '!=', False)]),
            ('stock.move', 'mes_event_id', [('mes_event_id.terminal_id', 'in', plant.terminal_ids),
                                            ('mes_consumption', '=', 'finished')])):
        groups = rpc(model, 'read_group', domain + [(field, '!=', False)], [field], [field])
        doubled += sum(g[field + '_count'] - 1 for g in groups if g[field + '_count'] > 1)
    return doubled


# -- the shop-floor script ---------------------------------------------------------------------

class Script:
    """A deterministic, valid stream of ``count`` events over the plant's orders, in true time
    order: operators start and stop, produce, scrap, and the machine goes down and up. Times
    are whole seconds plus 500 ms, far enough in the past; the same script with fresh ids can
    be replayed on a twin plant."""

    def __init__(self, count, orders, operators, seed=10, step_seconds=20):
        rng = random.Random(seed)
        self.steps = []   # (order index, type, operator index, seconds from start, data)
        on = [set() for _ in range(orders)]
        down = [False] * orders
        clock = 0
        while len(self.steps) < count:
            remaining = count - len(self.steps)
            order = rng.randrange(orders)
            if remaining <= sum(len(s) for s in on) + sum(down):
                # wind down: close everything still open so totals are final
                order = next(i for i in range(orders) if on[i] or down[i])
                kind = 'downtime_end' if down[order] else 'stop'
            else:
                kind = self._pick(rng, on[order], down[order], operators)
            clock += rng.randint(5, step_seconds)
            operator = 0
            data = {}
            if kind == 'start':
                operator = rng.choice([o for o in range(operators) if o not in on[order]])
                on[order].add(operator)
            elif kind == 'stop':
                operator = rng.choice(sorted(on[order]))
                on[order].discard(operator)
            else:
                operator = rng.choice(sorted(on[order])) if on[order] else 0
            if kind == 'produce':
                data = {'qty': rng.choice([1, 1, 2, 3, 0.5])}
            elif kind == 'scrap':
                data = {'qty': 1, 'reason': None}
            elif kind == 'downtime_start':
                data = {'reason': None}
                down[order] = True
            elif kind == 'downtime_end':
                down[order] = False
            self.steps.append((order, kind, operator, clock, data))
        self.span = clock

    @staticmethod
    def _pick(rng, on, down, operators):
        if not on:
            return 'start'
        # produce and scrap cost the most to apply (stock moves and their valuation): enough of
        # them to matter, not so many that the sample outgrows `make test`
        choices = [('produce', 28), ('stop', 14), ('scrap', 4)]
        if len(on) < operators:
            choices.append(('start', 14))
        choices.append(('downtime_end', 30) if down else ('downtime_start', 5))
        total = sum(w for _k, w in choices)
        pick = rng.uniform(0, total)
        for kind, weight in choices:
            pick -= weight
            if pick <= 0:
                return kind
        return choices[-1][0]

    def events(self, plant, start, prefix):
        """The script as contract v1 events for ``plant``, ids ``<prefix>-<n>``."""
        events = []
        for n, (order, kind, operator, seconds, data) in enumerate(self.steps):
            data = dict(data)
            if 'reason' in data:
                data['reason'] = plant.scrap_reason if kind == 'scrap' else plant.down_reason
            events.append({'schema': 1, 'id': '%s-%06d' % (prefix, n), 'seq': n + 1, 'type': kind,
                           'workorder_id': plant.workorder_ids[order], 'employee': plant.badges[operator],
                           'at': iso(start + timedelta(seconds=seconds, milliseconds=500)), 'data': data})
        return events


# -- a terminal that retries -----------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = self.connection_errors = 0
        self.by_status = {}
        self.retries = 0
        self.all_duplicate_retries = 0
        self.bad = []   # answers that break the contract (5xx other than a coded 503, rejections)
        self.nodb_fallbacks = 0   # Odoo's own 404 page while its pool held dropped connections

    def count(self, status):
        with self.lock:
            self.by_status[status] = self.by_status.get(status, 0) + 1


class TerminalClient:
    """Sends batches the way the tablet app does: on a lost connection or a retryable answer it
    sends the same events (same ids) again, with a fresh ``sent_at``. ``on_connection_error``
    lets the test bring the server back before the retry."""

    def __init__(self, server, token, stats=None, clock_lead=timedelta(milliseconds=400),
                 on_connection_error=None, max_seconds=600):
        self.server, self.token = server, token
        self.stats = stats or Stats()
        self.clock_lead = clock_lead
        self.on_connection_error = on_connection_error
        self.max_seconds = max_seconds
        self.durations = []

    def _accepted(self, events, results, attempt):
        """Note what is wrong in an accepted batch's answer; returns its results."""
        if [r['id'] for r in results] != [e['id'] for e in events]:
            self.stats.bad.append('results out of request order')
        for result in results:
            ok = result['status'] == 'applied' or (result['status'] == 'duplicate'
                                                   and result.get('outcome') == 'applied')
            if not ok:
                self.stats.bad.append('event %s: %s' % (result['id'], result))
        if attempt > 1 and results and all(r['status'] == 'duplicate' for r in results):
            with self.stats.lock:
                self.stats.all_duplicate_retries += 1
        return results

    def send(self, events, timeout=120):
        deadline = time.time() + self.max_seconds
        attempt = 0
        while True:
            attempt += 1
            if attempt > 1:
                with self.stats.lock:
                    self.stats.retries += 1
            if time.time() > deadline:
                raise AssertionError('batch of %d events not accepted in %d s' % (len(events), self.max_seconds))
            body = json.dumps({'sent_at': iso(datetime.utcnow() + self.clock_lead), 'events': events})
            began = time.time()
            try:
                with self.stats.lock:
                    self.stats.requests += 1
                response = requests.post(self.server.url + '/mes/api/v1/events', data=body, timeout=timeout, headers={
                    'Content-Type': 'application/json', 'Authorization': 'Bearer ' + self.token})
            except requests.RequestException as exc:
                with self.stats.lock:
                    self.stats.connection_errors += 1
                if self.on_connection_error:
                    self.on_connection_error(exc)
                else:
                    time.sleep(0.2)
                continue
            self.stats.count(response.status_code)
            if response.status_code == 200:
                self.durations.append(time.time() - began)
                return self._accepted(events, response.json()['results'], attempt)
            try:
                error = response.json()['error']
            except ValueError:
                error = None
            if response.status_code == 503 and error and error.get('code') == 'service_unavailable':
                time.sleep(0.2 + random.random() * 0.3)
                continue
            if response.status_code == 404 and error is None:
                # not our API's answer but Odoo's own page: its dispatcher fell back to "no
                # database" because the pooled connection PostgreSQL dropped failed the
                # registry check (odoo.http.Root, Odoo 11). The tablet's outbox retries all
                # but 400/413/415, so it loses nothing; counted and printed, not hidden.
                with self.stats.lock:
                    self.stats.nodb_fallbacks += 1
                time.sleep(0.2 + random.random() * 0.3)
                continue
            self.stats.bad.append('HTTP %s without a retryable code: %s' % (response.status_code, response.text[:200]))
            if response.status_code >= 500:
                time.sleep(0.5)
                continue   # a real terminal keeps its queue and retries; the answer is still wrong
            raise AssertionError('HTTP %s: %s' % (response.status_code, response.text[:500]))


def batches(events, size):
    return [events[i:i + size] for i in range(0, len(events), size)]


def figures(title, **values):
    line = '%s: %s' % (title, ', '.join('%s %s' % (k.replace('_', ' '), v) for k, v in values.items()))
    os.makedirs(LOG_DIR, exist_ok=True)
    with open(os.path.join(LOG_DIR, 'faults-figures.txt'), 'a') as handle:
        handle.write('%s %s\n' % (datetime.utcnow().isoformat(timespec='seconds'), line))
    report().append(line)
    return line


def report():
    """The lines to print at the end of the run; one list per process (pytest may import this
    package under two module names)."""
    import sys
    import types
    module = sys.modules.get('mes_test_figures')
    if module is None:
        module = sys.modules['mes_test_figures'] = types.ModuleType('mes_test_figures')
    if not hasattr(module, 'faults'):
        module.faults = []
    return module.faults


# -- the clean reference run, in this process ------------------------------------------------

class EnvServer:
    """Plant and state helpers speak XML-RPC through ``rpc``; this gives them the same calls on
    an in-process environment (``odoo.api.call_kw`` is what the RPC layer itself runs)."""

    def __init__(self, env):
        self.env = env

    def rpc(self, model, method, *args, **kwargs):
        import odoo
        return odoo.api.call_kw(self.env[model], method, list(args), kwargs)

    def wait_posted(self):
        self.rpc('mes.execution', 'action_post_pending')


def reference_run(orders, operators, script, batch_size, order_qty=100000, start=None, terminals=1):
    """One clean in-order run of ``script`` on a twin plant, in a transaction on
    ``$MES_TEST_DB`` that is rolled back: returns the plant's state. Runs in this process, so it
    can go on while the server under test is being killed."""
    import odoo
    db = os.environ.get('MES_TEST_DB')
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            plant = Plant(EnvServer(env), orders=orders, operators=operators, order_qty=order_qty,
                          terminals=terminals)
            terminal = env['mes.terminal'].browse(plant.terminal_ids[0])
            events = script.events(plant, start, 'ref-' + plant.tag)
            for batch in batches(events, batch_size):
                now = datetime.utcnow()
                results = env['mes.event']._ingest(terminal, batch, now, now)
                bad = [r for r in results if r['status'] != 'applied']
                if bad:
                    raise AssertionError('the clean reference run rejected events: %s' % bad[:3])
            env['mes.event'].invalidate_cache()
            return plant.state()
        finally:
            cr.rollback()


def diff(left, right, path=''):
    """Where two nested states differ, as readable lines."""
    if isinstance(left, dict) and isinstance(right, dict):
        out = []
        for key in sorted(set(left) | set(right), key=str):
            out += diff(left.get(key), right.get(key), '%s.%s' % (path, key) if path else str(key))
        return out
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        out = []
        for index, (a, b) in enumerate(zip(left, right)):
            out += diff(a, b, '%s[%d]' % (path, index))
        return out
    return [] if left == right else ['%s: %r != %r' % (path, left, right)]
