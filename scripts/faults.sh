#!/usr/bin/env bash
# make faults: the fault tests at full size, on fresh copies of the test database:
#   kill -9 of the Odoo server 10 times during a 10,000-event ingest (FAULT_EVENTS, FAULT_KILLS,
#   FAULT_BATCH, FAULT_ORDERS, FAULT_SEED), PostgreSQL restarts during an ingest (FAULT_PG_EVENTS,
#   FAULT_PG_RESTARTS), 20 terminals on one work order (FAULT_TERMINALS), and kill -9 10 times
#   while posting jobs run, over 20 orders (FAULT_POSTING_KILLS, FAULT_POSTING_ORDERS).
# `make test` runs the same tests at a bounded size. The figures (cases, faults injected, lost,
# doubled) are printed at the end and appended to .local/logs/faults-figures.txt.
# scripts/fuzz.sh sources this file for prepare_test_databases.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The same template database as scripts/test.sh (same hash), copied and updated to the checkout.
prepare_test_databases() {   # $1: test database name; $2 (optional): name of an extra HTTP copy
  WITH_BROWSER=0 bash "$ROOT/scripts/setup.sh"
  bash "$ROOT/scripts/pg.sh" start
  ensure_template
  copy_updated "$1"
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
  export FAULT_POSTING_ORDERS=${FAULT_POSTING_ORDERS:-20} FAULT_POSTING_KILLS=${FAULT_POSTING_KILLS:-10}
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
