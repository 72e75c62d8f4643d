#!/usr/bin/env bash
# make odoo-tests: Odoo's own runner, `odoo -u shopfloor_mes --test-enable`, on a fresh copy of the
# test template (the one `make test` builds): the unittest classes of the modules tests/__init__.py
# imports (the pytest-only modules are listed there, with their reasons). Prints how many ran.
source "$(dirname "$0")/common.sh"
WITH_BROWSER=0 bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
export PATH="$LOCAL/node/node_modules/.bin:$PATH"   # lessc, for the tests that render pages
DB=${ODOO_TESTS_DB:-mes_odoo_tests}
LOG=$LOGS/$DB.log
ensure_template
say "copying $TEMPLATE to $DB; Odoo updates the addon and runs its tests (log: $LOG)"
pg dropdb --if-exists "$DB"
pg createdb -T "$TEMPLATE" "$DB"
T0=$(date +%s)
rc=0
"$VENV/bin/odoo" -c "$CONF" -d "$DB" -u shopfloor_mes --test-enable --stop-after-init --log-level=warn \
  --log-handler=odoo.addons.shopfloor_mes.tests:INFO >"$LOG" 2>&1 || rc=$?
# Each test module's runner logs "Ran N tests in T s", and "FAIL: test" / "ERROR: test" for each
# one that did not pass (other ERROR lines are the addon's own logs, which some tests provoke).
ran=$(awk '/ Ran [0-9]+ tests? in / { for (i = 1; i < NF; i++) if ($i == "Ran") n += $(i + 1) } END { print n + 0 }' "$LOG")
grep -E ': (FAIL|ERROR): test|Module [a-z_]+: [0-9]+ failures' "$LOG" && rc=1
pg dropdb --if-exists "$DB"
say "Odoo's runner: ${ran:-0} tests in $(( $(date +%s) - T0 )) s (the addon update included)"
if [ "${ran:-0}" = 0 ]; then rc=1; say "no test ran: does tests/__init__.py import the test modules?"; fi
if [ $rc -ne 0 ]; then printf '\033[31mFAILED: see the errors above and %s\033[0m\n' "$LOG"; exit 1; fi
printf '\033[32mOdoo'"'"'s runner: all tests passed.\033[0m\n'
