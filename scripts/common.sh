# Shared settings for the setup scripts; sourced, not run.
# Everything generated lives under .local/ (ignored by git).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=$ROOT/.local
VENV=$LOCAL/venv
ADDONS=$LOCAL/addons
LOGS=$LOCAL/logs
CONF=$LOCAL/odoo.conf
PGDATA=$LOCAL/pg/data
PGSOCK=$LOCAL/pg/sock
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-8069}
DEMO_DB=${DEMO_DB:-mes_demo}
mkdir -p "$LOCAL" "$LOGS"

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
