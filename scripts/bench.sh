#!/usr/bin/env bash
# make bench: set up what is missing (like make test: venv, template database), copy the template
# to a bench base updated to the current code, run every benchmark in bench/ and rewrite
# bench/RESULTS.md with the command, the machine and each script's figures as printed.
#   BENCH_ONLY="ingest cost"  run only these scripts (bench/bench_<name>.py)
#   BENCH_SCALE=0.1           shrink every loop for a quick try (BENCH_SCALE_REPLAY=0.2: one script)
#   BENCH_TIME_BUDGET=600     stop the long loops (ingest, memory) after this many seconds
# A quick run (BENCH_ONLY or BENCH_SCALE) writes .local/logs/bench/RESULTS-quick.md instead.
source "$(dirname "$0")/common.sh"
WITH_BROWSER=${WITH_BROWSER:-1} bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
export PATH="$LOCAL/node/node_modules/.bin:$PATH"
BENCH_LOGS=$LOGS/bench
mkdir -p "$BENCH_LOGS"
ALL="terminal queries cost native latency replay ingest memory ledger machines"
ONLY=${BENCH_ONLY:-$ALL}
COMMAND="make bench"
for var in BENCH_ONLY BENCH_SCALE BENCH_TIME_BUDGET $(compgen -e | grep '^BENCH_SCALE_' || true); do
  if [ -n "${!var:-}" ]; then COMMAND="$var=${!var} $COMMAND"
  elif [ -n "${!var+set}" ]; then COMMAND="$var= $COMMAND"; fi   # set empty: BENCH_TIME_BUDGET= is no budget
done
if [ -n "${BENCH_ONLY:-}${BENCH_SCALE:-}" ]; then OUT=$BENCH_LOGS/RESULTS-quick.md; else OUT=$ROOT/bench/RESULTS.md; fi
# Bounded by default so that `make bench` ends within about an hour on the 2-core machine: at
# today's few events per second the issue's full sizes (50,000 + 100,000 events streamed, 10,000
# replayed twice) would take most of a day. The figures say how many events they cover and a
# figure measured on fewer events than its target asks for is marked MISSED. Full sizes:
#   BENCH_TIME_BUDGET= BENCH_SCALE_REPLAY=1 BENCH_SCALE_NATIVE=1 BENCH_SCALE_MEMORY=1 make bench
DEFAULTS=""
for pair in BENCH_TIME_BUDGET=300 BENCH_SCALE_REPLAY=0.1 BENCH_SCALE_NATIVE=0.3 BENCH_SCALE_MEMORY=0.2; do
  var=${pair%%=*}
  if [ -z "${!var+set}" ]; then export "$pair"; DEFAULTS="$DEFAULTS $pair"; fi
done

# What else runs here now: the figures of a shared machine are noisier.
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
OTHERS=$(ps -eo args | grep -cE '^[^ ]*(python|odoo)[^ ]* .*(odoo|pytest)' || true)

# ---- the template database (the same cache as make test) ------------------------------------
ensure_template

# ---- the bench base: the template updated to the code as it is now -------------------------
export BENCH_BASE_DB=mes_bench_base
cleanup() {
  for db in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'mes\_bench\_%'"); do
    pg dropdb --if-exists "$db" >/dev/null 2>&1 || true
  done
  rm -f "$BENCH_LOGS"/mes_bench_floor_*.json
}
cleanup   # what an interrupted run left
trap cleanup EXIT
copy_updated "$BENCH_BASE_DB"
export BENCH_SHARED_FLOOR=1   # the floor database is built once, by the first script that needs it

CODE=$(cd "$ROOT" && find models controllers services static -type f \( -name '*.py' -o -name '*.js' -o -name '*.html' -o -name '*.css' \) | sort | xargs cat | sha1sum | cut -c1-12)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
T0=$(date +%s)
rc=0
for name in $ONLY; do
  script=$ROOT/bench/bench_$name.py
  [ -f "$script" ] || die "no benchmark bench/bench_$name.py (known: $ALL)"
  say "bench/bench_$name.py"
  bash "$ROOT/scripts/pg.sh" start   # still up? (other sessions' fault tests restart the cluster)
  t=$(date +%s)
  if ! "$VENV/bin/python" "$script" 2>"$BENCH_LOGS/$name.stderr" | tee "$BENCH_LOGS/$name.out"; then
    rc=1
    echo "RESULT | $name | bench/bench_$name.py failed: $(grep -v '^\s*$' "$BENCH_LOGS/$name.stderr" | tail -1) | - | MISSED" \
      | tee -a "$BENCH_LOGS/$name.out"
  fi
  echo "($(( $(date +%s) - t )) s)" >>"$BENCH_LOGS/$name.out"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- bench/RESULTS.md -------------------------------------------------------------------------
{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh); the figures below are the scripts' output as printed."
  echo
  echo "- command: \`$COMMAND\`"
  if [ -n "$DEFAULTS" ]; then echo "- bounded by scripts/bench.sh's defaults:\`$DEFAULTS\` (loops stop after the time budget; replay, native and memory run at the scale given); figures name the sizes they cover"; fi
  echo "- date: $STARTED, $(( ($(date +%s) - T0) / 60 )) minutes"
  echo "- machine: nproc $(nproc), memory $(grep MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2 / 1048576}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "- PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') ($(external_pg && echo "external server" || echo "private cluster, fsync off")); Odoo 11.0 in prefork mode where the script says so"
  echo "- load average (1, 5, 15 min) at start: $LOAD_START; at end: $LOAD_END"
  if [ "$OTHERS" -gt 0 ] || awk "BEGIN{exit !(${LOAD_START%% *} > 1.0)}"; then
    echo "- **shared machine**: $OTHERS other Odoo or pytest processes were running when the run began (other engineers' tests); timings are noisier and slower than on an idle machine, query counts and bytes are not affected"
  fi
  echo "- code measured: sha1 $CODE of models/, controllers/, services/, static/ (.py .js .html .css)"
  echo
  echo "## Summary"
  echo
  echo "| # | figure | measured | target | verdict |"
  echo "|---|---|---|---|---|"
  for name in $ONLY; do
    grep '^RESULT |' "$BENCH_LOGS/$name.out" | sed 's/^RESULT //; s/$/ |/' || true
  done
  echo
  echo "Details, profiles and causes of the missed targets: bench/README.md."
  for name in $ONLY; do
    echo
    echo "## bench/bench_$name.py"
    echo
    echo '```'
    cat "$BENCH_LOGS/$name.out"
    echo '```'
  done
} >"$OUT"
say "wrote ${OUT#$ROOT/}"
exit $rc
