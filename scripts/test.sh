#!/usr/bin/env bash
# make test: set up what is missing, build the template database once (cached by a hash of the
# manifest, data files and pins), copy it, update the addon, run the whole suite.
source "$(dirname "$0")/common.sh"
WITH_BROWSER=${WITH_BROWSER:-1} bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
export PATH="$LOCAL/node/node_modules/.bin:$PATH"
T0=$(date +%s)

TEST_DB=${TEST_DB:-mes_test}
# T=path (a file or folder under tests/ or services/tests/, or a pytest node id) runs only that.
T=${T:-}
# The plain tests of services/ need no database and no broker.
if [[ "$T" != services/* ]]; then
  # The machine signals' broker: mosquitto on a free loopback port, config and data under
  # .local/mqtt/test-$TEST_DB, stopped when the suite ends (unless MQTT_HOST names a broker).
  if [ -z "${MQTT_HOST:-}" ]; then
    MQTT_NAME=test-$TEST_DB
    MQTT_PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    MQTT_FRESH=1 bash "$ROOT/scripts/mqtt.sh" start "$MQTT_NAME" "$MQTT_PORT"
    trap 'MQTT_HOST= bash "$ROOT/scripts/mqtt.sh" stop "$MQTT_NAME"' EXIT
    export MQTT_HOST=127.0.0.1 MQTT_PORT
  fi
  ensure_template
  # The demo factory, built once per hash too, for the test that demo data loads.
  DEMO_TEMPLATE=mes_demotpl_$(template_hash)
  build_once "$DEMO_TEMPLATE" 'mes\_demotpl\_' "demo database (addon + demo factory; about 3 minutes, once):" \
    demo-template-build.log -i shopfloor_mes,l10n_generic_coa
  copy_updated "$TEST_DB"
  # The HTTP and browser tests run a real server on their own copy (it commits what it does).
  pg dropdb --if-exists "${TEST_DB}_http"
  pg createdb -T "$TEST_DB" "${TEST_DB}_http"
fi
say "setup took $(( $(date +%s) - T0 )) s; running the suite"

cd "$ROOT"
# Bounded samples of the fault and fuzz tests (make faults / make fuzz run them at full size).
export FAULT_EVENTS=${FAULT_EVENTS:-400} FAULT_KILLS=${FAULT_KILLS:-3} FUZZ_CASES=${FUZZ_CASES:-2000}
export FAULT_POSTING_ORDERS=${FAULT_POSTING_ORDERS:-4} FAULT_POSTING_KILLS=${FAULT_POSTING_KILLS:-3}
rc=0
if [ -z "$T" ] || [[ "$T" == services/* ]]; then
  say "plain tests of services/ (no Odoo)"
  # As a newcomer types it: services/tests/pytest.ini gives the flags these tests need.
  "$VENV/bin/python" -m pytest -p no:cacheprovider -q ${T:-services/tests} || rc=1
fi
if [ -z "$T" ] || [[ "$T" == tests/browser/node* ]]; then
  say "unit tests of the tablet app (node --test: the state merge, the outbox, the contract)"
  MES_PYTHON="$VENV/bin/python" node --experimental-detect-module --test --test-reporter=spec "${T:-tests/browser/node/}" || rc=1
fi
if [ -z "$T" ] || [[ "$T" != services/* && "$T" != tests/browser/node* ]]; then
  say "Odoo tests (pytest-odoo on $TEST_DB, real PostgreSQL)"
  MES_TEST_DB=$TEST_DB MES_DEMO_DB=$DEMO_TEMPLATE MES_HTTP_DB=${TEST_DB}_http MES_ROOT=$ROOT MES_CONF=$CONF "$VENV/bin/python" -m pytest -p no:cacheprovider \
    -W ignore::DeprecationWarning --odoo-config="$CONF" --odoo-database="$TEST_DB" -q -rfE \
    "$ADDONS/shopfloor_mes/${T:-tests}" || rc=1
fi
if [ $rc -ne 0 ]; then printf '\033[31mFAILED: see the failures above\033[0m\n'; exit 1; fi
printf '\033[32mAll tests passed.\033[0m\n'
