"""The Odoo tests of the addon.

pytest-odoo runs every file of this folder (``make test``, ``make test T=tests/test_x.py``).
Odoo's own runner (``make odoo-tests``: ``odoo -u shopfloor_mes --test-enable``) runs the unittest
classes of the modules imported below; plain pytest functions beside them run under pytest only.
A module made only of pytest tests (fixtures of conftest.py such as the live HTTP server, the demo
database) is listed in PYTEST_ONLY with its reason instead. test_runner_list.py fails when a
tests/test_*.py is in neither. The folders browser/, faults/ and fuzz/ are pytest only.
"""
import unittest

# pytest imports conftest.py as shopfloor_mes.tests.conftest, so this file too, before Odoo knows
# its addons path: the test modules (they import odoo.addons.shopfloor_mes) only under Odoo's name.
if __name__ == 'odoo.addons.shopfloor_mes.tests':
    from . import (  # Odoo's runner finds the test modules as attributes of this package
        test_cost_breakdown,
        test_costing,
        test_event_data_correction,
        test_event_errors,
        test_event_type_added,
        test_event_types,
        test_i18n,
        test_inbox,
        test_install,
        test_journal_items,
        test_labor_correction,
        test_machine_records,
        test_maintenance_from_terminal,
        test_oee_board,
        test_oee_config,
        test_oee_dashboard,
        test_oee_day,
        test_oee_live,
        test_oee_machine_cycles,
        test_oee_one_figure,
        test_oee_planned_time,
        test_oee_simulated_shift,
        test_planner_screens,
        test_planner_todos,
        test_posting_errors,
        test_posting_queue,
        test_posting_statements,
        test_quality_cost,
        test_quality_gate,
        test_quality_nonconformance,
        test_quality_scheduling,
        test_quality_spc,
        test_record_path,
        test_replay,
        test_runner_list,
        test_security_access,
        test_security_audit,
        test_security_methods,
        test_terminal_and_login,
        test_undo_from_terminal,
    )
    from odoo.tests.common import at_install, post_install

    # Odoo 11 runs a module's at-install tests only in a database with demo data (the test
    # template has none) and its post-install tests after every update of it: ours run post
    # install, in the fully loaded registry, as they do under pytest-odoo.
    for _name, _module in list(globals().items()):
        if _name.startswith('test_'):
            for _case in vars(_module).values():
                if isinstance(_case, type) and issubclass(_case, unittest.TestCase):
                    post_install(True)(at_install(False)(_case))

PYTEST_ONLY = {
    'test_demo': 'pytest functions on the demo factory database (fixture demo_env, MES_DEMO_DB)',
    'test_http_api': 'over HTTP against the live server (fixtures live_server, floor)',
    'test_i18n_http': 'over HTTP against the live server (fixtures live_server, floor)',
    'test_i18n_pot': 'runs scripts/pot.sh on the test database in a subprocess (MES_TEST_DB)',
    'test_machine_signals': 'the MQTT broker and bridge against the live server (fixture live_server)',
    'test_queue_job_runner': "queue_job's runner inside the live server (fixture floor)",
    'test_security_holes': 'over XML-RPC and HTTP against the live server (fixtures live_server, floor)',
    'test_security_routes': 'every route over HTTP against the live server (fixture site)',
}
