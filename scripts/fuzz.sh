#!/usr/bin/env bash
# make fuzz: the property-based fuzzers at full size, FUZZ_CASES generated cases in all (100,000
# by default): most in this process on the terminal contract and on mes.event.ingest (rolled
# back), some over raw HTTP against a live server. Per-target overrides: FUZZ_CONTRACT_EVENT_CASES,
# FUZZ_CONTRACT_REQUEST_CASES, FUZZ_INGEST_CASES, FUZZ_HTTP_CASES. The counts are printed at the end.
source "$(dirname "$0")/faults.sh"
export FUZZ_CASES=${FUZZ_CASES:-100000}
DB=${FUZZ_DB:-mes_fuzz}
prepare_test_databases "$DB" "${DB}_http"
say "fuzzing: $FUZZ_CASES generated cases"
rc=0
run_odoo_tests "$DB" "${DB}_http" "$ADDONS/shopfloor_mes/tests/fuzz" || rc=1
pg dropdb --if-exists "${DB}_http"
pg dropdb --if-exists "$DB"
if [ $rc -ne 0 ]; then printf '\033[31mFAILED: see the failures above\033[0m\n'; exit 1; fi
printf '\033[32mFuzzing passed.\033[0m\n'
