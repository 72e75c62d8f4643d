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
# The machine signals' broker (mosquitto on 127.0.0.1:${MQTT_PORT:-1883}, .local/mqtt/run), unless MQTT_HOST names one.
bash "$ROOT/scripts/mqtt.sh" start run
BRIDGE_PID=
MACHINE_ODOO_PID=
MACHINE_PORT=${MACHINE_PORT:-$((PORT + 1))}
say "starting Odoo on http://127.0.0.1:$PORT (log: $LOGS/odoo.log)"
# Prefork workers: requests wait until the registry is loaded (a tablet retrying its outbox
# while a threaded Odoo 11 preloads can leave a half-loaded registry).
# The terminals' and planners' Odoo runs no posting job (ODOO_QUEUE_JOB_CHANNELS=root:0): the
# postings have an Odoo of their own below, at a lower priority.
# Workers as production gets them (scripts/production_conf.py: 2 x cores + 1; ODOO_WORKERS to
# change): a worker waits for PostgreSQL for much of a request, and Odoo's accept backlog is 8
# per worker (with 2, the 17th tablet connecting at once was reset).
ODOO_QUEUE_JOB_CHANNELS=root:0 "$VENV/bin/odoo" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$PORT" \
  --workers="${ODOO_WORKERS:-$((2 * $(nproc) + 1))}" --max-cron-threads=1 --longpolling-port=$((PORT + 3)) >"$LOGS/odoo.log" 2>&1 &
ODOO_PID=$!
POSTING_PORT=${POSTING_PORT:-$((PORT + 2))}
# The posting stage: queue_job's runner and the postings in an Odoo of their own (same database,
# its own workers, no cron), nice 10: the OS serves a terminal's request first, and the ledger
# follows in the CPU the floor leaves (within seconds at a plant's load; README, "Background postings").
ODOO_QUEUE_JOB_CHANNELS=root:1,root.mes_posting:1 PGAPPNAME=mes-postings nice -n "${POSTING_NICE:-10}" \
  "$VENV/bin/odoo" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-interface=127.0.0.1 \
  --http-port="$POSTING_PORT" --workers=2 --max-cron-threads=0 --load=web,queue_job \
  --longpolling-port=$((PORT + 5)) >"$LOGS/odoo-postings.log" 2>&1 &
POSTING_ODOO_PID=$!
trap 'kill $ODOO_PID $POSTING_ODOO_PID $BRIDGE_PID $MACHINE_ODOO_PID 2>/dev/null; wait $ODOO_PID $POSTING_ODOO_PID $MACHINE_ODOO_PID 2>/dev/null; bash "$ROOT/scripts/mqtt.sh" stop run; echo; say "Odoo, the MQTT bridge and broker stopped (the database keeps running: make stop)"' EXIT INT TERM
# Requests during the registry preload can break it (Odoo 11's loader is not thread-safe).
for _ in $(seq 1 600); do
  grep -q 'Modules loaded\.' "$LOGS/odoo.log" && break
  kill -0 $ODOO_PID 2>/dev/null || die "Odoo exited; see $LOGS/odoo.log"
  sleep 0.2
done
TOKEN=$("$VENV/bin/python" "$ROOT/scripts/demo_token.py" "http://127.0.0.1:$PORT" "$DEMO_DB" 2>>"$LOGS/odoo.log" || echo "(could not issue: see $LOGS/odoo.log)")
# The MQTT bridge beside Odoo: one machine terminal per demo work center (tokens issued now).
MACHINES="SAW/SAW-1 CNC/CNC-1 ASM/ASM-1 PNT/PNT-1"
# shellcheck disable=SC2086
if PROVISIONED=$("$VENV/bin/python" "$ROOT/scripts/machine_provision.py" "http://127.0.0.1:$PORT" "$DEMO_DB" $MACHINES \
     --out "$LOCAL/mqtt/machines.json" 2>&1); then
  echo "$PROVISIONED" >>"$LOGS/mqtt-bridge.log"
  # The bridge posts to an Odoo server of its own (same database, its own workers, no cron or job
  # runner, nice 10): the tablets never queue behind machine batches and the OS serves them first.
  say "starting the machines' Odoo on http://127.0.0.1:$MACHINE_PORT (log: $LOGS/odoo-machines.log)"
  ODOO_QUEUE_JOB_CHANNELS=root:0 PGAPPNAME=mes-machines nice -n "${MACHINE_NICE:-10}" \
    "$VENV/bin/odoo" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-interface=127.0.0.1 \
    --http-port="$MACHINE_PORT" --workers="${MACHINE_WORKERS:-2}" --max-cron-threads=0 \
    --longpolling-port=$((PORT + 4)) >"$LOGS/odoo-machines.log" 2>&1 &
  MACHINE_ODOO_PID=$!
  MACHINE_URL=http://127.0.0.1:$MACHINE_PORT
  for _ in $(seq 1 600); do
    grep -q 'Modules loaded\.' "$LOGS/odoo-machines.log" && break
    if ! kill -0 $MACHINE_ODOO_PID 2>/dev/null; then
      say "the machines' Odoo exited (see $LOGS/odoo-machines.log): the bridge posts to the tablets' Odoo"
      MACHINE_URL=http://127.0.0.1:$PORT; MACHINE_ODOO_PID=; break
    fi
    sleep 0.2
  done
  MES_URL=$MACHINE_URL MQTT_PORT=${MQTT_PORT:-1883} nice -n "${MACHINE_NICE:-10}" "$VENV/bin/python" "$ROOT/scripts/mqtt_bridge.py" \
    --machines "$LOCAL/mqtt/machines.json" >>"$LOGS/mqtt-bridge.log" 2>&1 &
  BRIDGE_PID=$!
  # the simulator reaches the same broker (its port and prefix when they are not the defaults)
  SIM_ENV=""
  [ "${MQTT_PORT:-1883}" != 1883 ] && SIM_ENV="MQTT_PORT=$MQTT_PORT "
  [ -n "${MQTT_HOST:-}" ] && SIM_ENV="MQTT_HOST=$MQTT_HOST $SIM_ENV"
  [ -n "${MQTT_PREFIX:-}" ] && SIM_ENV="${SIM_ENV}MQTT_PREFIX=$MQTT_PREFIX "
  BRIDGE_MSG="MQTT bridge       mqtt://${MQTT_HOST:-127.0.0.1}:${MQTT_PORT:-1883} topics ${MQTT_PREFIX:-mes}/<work center>/<machine>/{cycle,counter,state}
                     machines $MACHINES (log: $LOGS/mqtt-bridge.log)
                     posting to $MACHINE_URL (the machines' own Odoo, nice ${MACHINE_NICE:-10})
    Machines' shift  ${SIM_ENV}.local/venv/bin/python scripts/machine_simulator.py --machine SAW/SAW-1 --minutes 60"
else
  echo "$PROVISIONED" >>"$LOGS/mqtt-bridge.log"
  BRIDGE_MSG="MQTT bridge       not started: provisioning the machines failed: $(echo "$PROVISIONED" | tail -1)
                     (whole output in $LOGS/mqtt-bridge.log)"
fi
cat <<MSG

  Shop Floor MES is running.
    Odoo backend     http://127.0.0.1:$PORT/web      admin / admin (administrator)
    Operator tablet  http://127.0.0.1:$PORT/mes/terminal
                     terminal token for "Saw tablet" (issued now, shown once):
                     $TOKEN
    Demo logins      operator / operator      supervisor / supervisor      finance / finance
    Tablet operators badge MES-0001 … or pick a name and PIN 1111, 2222, … (see README)
    API              http://127.0.0.1:$PORT/mes/api/versions
    Postings         queue_job's runner in an Odoo of its own, nice ${POSTING_NICE:-10} (log: $LOGS/odoo-postings.log)
    $BRIDGE_MSG

  DEMO ONLY: the database manager http://127.0.0.1:$PORT/web/database/manager is open, with
  master password 'admin', and lists the databases. Never expose this server; for production
  write a configuration with scripts/production_conf.py (README, "Running it in production").

  Ctrl-C stops Odoo; 'make stop' stops the database.
MSG
wait $ODOO_PID
