#!/usr/bin/env bash
# make run: set up, build the demo database once, serve Odoo and the terminal.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
export PATH="$LOCAL/node/node_modules/.bin:$PATH"
code_hash=$(cd "$ROOT" && cat $(git ls-files 2>/dev/null | grep -E '\.(py|xml|csv)$' || find . -name '*.py' -not -path './.local/*') | sha1sum | cut -c1-12)
if ! db_exists "$DEMO_DB"; then
  say "building database $DEMO_DB with the demo factory (about 3 minutes, once)"
  "$VENV/bin/odoo" -c "$CONF" -d "$DEMO_DB" -i shopfloor_mes,l10n_generic_coa --stop-after-init \
    --log-level=warn >"$LOGS/demo-build.log" 2>&1 || { pg dropdb --if-exists "$DEMO_DB"; die "building $DEMO_DB failed; see $LOGS/demo-build.log"; }
  echo "$code_hash" > "$LOCAL/$DEMO_DB.stamp"
elif [ "$(cat "$LOCAL/$DEMO_DB.stamp" 2>/dev/null)" != "$code_hash" ]; then
  say "the addon changed since $DEMO_DB was built: updating it"
  "$VENV/bin/odoo" -c "$CONF" -d "$DEMO_DB" -u shopfloor_mes --stop-after-init --log-level=warn \
    >"$LOGS/demo-update.log" 2>&1 || die "updating $DEMO_DB failed; see $LOGS/demo-update.log (or make clean-db)"
  echo "$code_hash" > "$LOCAL/$DEMO_DB.stamp"
fi
say "starting Odoo on http://127.0.0.1:$PORT (log: $LOGS/odoo.log)"
# Prefork workers: requests wait until the registry is loaded (a tablet retrying its outbox
# while a threaded Odoo 11 preloads can leave a half-loaded registry).
"$VENV/bin/odoo" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$PORT" \
  --workers=2 --max-cron-threads=1 --longpolling-port=$((PORT + 3)) >"$LOGS/odoo.log" 2>&1 &
ODOO_PID=$!
trap 'kill $ODOO_PID 2>/dev/null; wait $ODOO_PID 2>/dev/null; echo; say "Odoo stopped (the database keeps running: make stop)"' EXIT INT TERM
# Requests during the registry preload can break it (Odoo 11's loader is not thread-safe).
for _ in $(seq 1 600); do
  grep -q 'Modules loaded\.' "$LOGS/odoo.log" && break
  kill -0 $ODOO_PID 2>/dev/null || die "Odoo exited; see $LOGS/odoo.log"
  sleep 0.2
done
TOKEN=$("$VENV/bin/python" "$ROOT/scripts/demo_token.py" "http://127.0.0.1:$PORT" "$DEMO_DB" 2>>"$LOGS/odoo.log" || echo "(could not issue: see $LOGS/odoo.log)")
cat <<MSG

  Shop Floor MES is running.
    Odoo backend     http://127.0.0.1:$PORT/web      admin / admin (administrator)
    Operator tablet  http://127.0.0.1:$PORT/mes/terminal
                     terminal token for "Saw tablet" (issued now, shown once):
                     $TOKEN
    Demo logins      operator / operator      supervisor / supervisor      finance / finance
    Tablet operators badge MES-0001 … or pick a name and PIN 1111, 2222, … (see README)
    API              http://127.0.0.1:$PORT/mes/api/versions

  DEMO ONLY: the database manager http://127.0.0.1:$PORT/web/database/manager is open, with
  master password 'admin', and lists the databases. Never expose this server; for production
  write a configuration with scripts/production_conf.py (README, "Running it in production").

  Ctrl-C stops Odoo; 'make stop' stops the database.
MSG
wait $ODOO_PID
