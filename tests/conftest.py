"""A real Odoo HTTP server for the route and browser tests.

``make test`` prepares ``$MES_HTTP_DB``, a copy of the updated test database; the server runs
on it in a subprocess on a free port, for the whole session. Tests talk to it the way a terminal
or a client does: HTTP, JSON and XML-RPC. Data they create is committed, so each test makes its
own records (unique names) instead of relying on a rollback.
"""
import os
import socket
import subprocess
import time
import uuid
import xmlrpc.client

import pytest
import requests

ROOT = os.environ.get('MES_ROOT') or os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
LOCAL = os.path.join(ROOT, '.local')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, db, port, log_path):
        self.db, self.port, self.log_path = db, port, log_path
        self.url = 'http://127.0.0.1:%d' % port
        self.process = None
        self.conf = os.environ.get('MES_CONF') or os.path.join(LOCAL, 'odoo.conf')

    def start(self, timeout=180):
        conf = self.conf
        odoo_bin = os.path.join(LOCAL, 'venv', 'bin', 'odoo')
        self.log = open(self.log_path, 'ab')
        mark = self.log.tell()
        self.process = subprocess.Popen(
            [odoo_bin, '-c', conf, '-d', self.db, '--db-filter=^%s$' % self.db, '--http-port=%d' % self.port,
             '--http-interface=127.0.0.1', '--max-cron-threads=0', '--log-level=warn',
             # Prefork workers accept requests only once the registry is loaded: in threaded
             # mode Odoo 11 serves requests during the preload, and a terminal retrying its
             # outbox then can leave a half-loaded registry behind (seen in CI).
             '--workers=2', '--longpolling-port=%d' % free_port(),
             '--log-handler=odoo.modules.loading:INFO'],
            stdout=self.log, stderr=subprocess.STDOUT, env=dict(
                os.environ, PATH=os.path.join(LOCAL, 'node', 'node_modules', '.bin') + os.pathsep + os.environ['PATH']))
        deadline = time.time() + timeout
        # Requests during the registry preload can break it: wait for "Modules loaded."
        while time.time() < deadline:
            with open(self.log_path, 'rb') as log:
                log.seek(mark)
                if b'Modules loaded.' in log.read():
                    return self
            if self.process.poll() is not None:
                raise RuntimeError('Odoo exited early; see %s' % self.log_path)
            time.sleep(0.2)
        raise RuntimeError('Odoo did not load in %s s; see %s' % (timeout, self.log_path))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    # -- clients ---------------------------------------------------------------------------
    def rpc(self, model, method, *args, login='admin', password='admin', **kwargs):
        common = xmlrpc.client.ServerProxy(self.url + '/xmlrpc/2/common')
        uid = common.authenticate(self.db, login, password, {})
        models = xmlrpc.client.ServerProxy(self.url + '/xmlrpc/2/object', allow_none=True)
        return models.execute_kw(self.db, uid, password, model, method, list(args), kwargs)

    def wait_posted(self):
        """Bring Odoo's records up to everything recorded now (what the posting jobs do within
        seconds), so that a test can read stock, time logs and the ledger."""
        self.rpc('mes.execution', 'action_post_pending')

    def get(self, path, token=None, **kw):
        headers = kw.pop('headers', {})
        if token:
            headers['Authorization'] = 'Bearer ' + token
        return requests.get(self.url + path, headers=headers, timeout=30, **kw)

    def post_json(self, path, body, token=None, **kw):
        headers = {'Content-Type': 'application/json'}
        headers.update(kw.pop('headers', {}))
        if token:
            headers['Authorization'] = 'Bearer ' + token
        data = body if isinstance(body, (bytes, str)) else __import__('json').dumps(body)
        return requests.post(self.url + path, data=data, headers=headers, timeout=60, **kw)


@pytest.fixture(scope='session')
def live_server():
    db = os.environ.get('MES_HTTP_DB')
    if not db:
        pytest.fail('MES_HTTP_DB is not set: run the suite with `make test`')
    os.makedirs(os.path.join(LOCAL, 'logs'), exist_ok=True)
    server = LiveServer(db, free_port(), os.path.join(LOCAL, 'logs', 'test-http-server.log')).start()
    yield server
    server.stop()


class ShopFloorFixture:
    """A work center with an order ready to run, an operator and a terminal with its token,
    created over XML-RPC with unique names."""

    def __init__(self, server):
        self.server = server
        rpc = server.rpc
        tag = uuid.uuid4().hex[:8]
        self.tag = tag
        self.workcenter_id = rpc('mrp.workcenter', 'create', {'name': 'HTTP saw %s' % tag, 'costs_hour': 60})
        self.other_workcenter_id = rpc('mrp.workcenter', 'create', {'name': 'HTTP paint %s' % tag})
        uom = rpc('ir.model.data', 'xmlid_to_res_id', 'product.product_uom_unit')
        self.product_id = rpc('product.product', 'create', {'name': 'HTTP stool %s' % tag, 'type': 'product',
                                                            'uom_id': uom, 'uom_po_id': uom})
        self.component_id = rpc('product.product', 'create', {'name': 'HTTP tube %s' % tag, 'type': 'product',
                                                              'uom_id': uom, 'uom_po_id': uom})
        routing = rpc('mrp.routing', 'create', {'name': 'HTTP routing %s' % tag, 'operation_ids': [
            (0, 0, {'name': 'Cut %s' % tag, 'workcenter_id': self.workcenter_id, 'time_cycle_manual': 2.0})]})
        template = rpc('product.product', 'read', [self.product_id], ['product_tmpl_id'])[0]['product_tmpl_id'][0]
        bom = rpc('mrp.bom', 'create', {'product_tmpl_id': template, 'product_qty': 1, 'routing_id': routing,
                                        'bom_line_ids': [(0, 0, {'product_id': self.component_id, 'product_qty': 2})]})
        self.production_id = rpc('mrp.production', 'create', {
            'product_id': self.product_id, 'product_qty': 10, 'product_uom_id': uom, 'bom_id': bom})
        rpc('mrp.production', 'action_assign', [self.production_id])
        rpc('mrp.production', 'button_plan', [self.production_id])
        self.workorder_id = rpc('mrp.workorder', 'search', [('production_id', '=', self.production_id)])[0]
        self.badge = 'HTTP-%s' % tag
        self.employee_id = rpc('hr.employee', 'create', {'name': 'Operator %s' % tag, 'barcode': self.badge,
                                                         'mes_pin': '4321', 'timesheet_cost': 30})
        self.terminal_id = rpc('mes.terminal', 'create', {'name': 'HTTP tablet %s' % tag,
                                                          'workcenter_ids': [(6, 0, [self.workcenter_id])]})
        self.token = rpc('mes.terminal', 'issue_token', [self.terminal_id])


@pytest.fixture
def floor(live_server):
    return ShopFloorFixture(live_server)
