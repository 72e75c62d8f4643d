"""Fault tests: each runs its own Odoo server on its own database (see support.py), and the
figures they measure are printed at the end of the run."""
import os

import pytest

from . import support


def pytest_terminal_summary(terminalreporter):
    lines = support.report()
    if lines:
        terminalreporter.section('fault injection figures')
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def fault_server(request):
    """Start an Odoo server on a fresh copy of the test database; stop it and drop the copy
    afterwards. ``fault_server(kind, postgres=None)`` returns the started server."""
    started = []

    def make(kind, postgres=None):
        pg = postgres or support.Postgres.from_odoo_conf()
        db = support.fault_db_name(kind)
        pg.restore(support.source_dump(), db)
        server = support.FaultServer(db, 'test-fault-%s.log' % kind, postgres=postgres)
        started.append((server, pg))
        return server.start()
    yield make
    for server, pg in started:
        try:
            server.kill9()
            server.log.close()
        finally:
            if os.environ.get('FAULT_KEEP_DB') != '1':
                try:
                    pg.drop(server.db)
                except Exception:   # the cluster may be gone already
                    pass


def pytest_sessionfinish(session):
    """The dump the fault databases were restored from is only good for this run."""
    for name in os.listdir(support.FAULT_DIR) if os.path.isdir(support.FAULT_DIR) else []:
        if name.endswith('.%d.dump' % os.getpid()):
            os.remove(os.path.join(support.FAULT_DIR, name))
