#!/usr/bin/env bash
# scripts/pg.sh start|stop — the private PostgreSQL cluster under .local/pg (unix socket only).
# Does nothing when an external server is configured through PGHOST/PGPORT/PGUSER.
source "$(dirname "$0")/common.sh"
if external_pg; then
  [ "${1:-}" = start ] && { pg psql -d postgres -tAc 'SELECT 1' >/dev/null \
    || die "cannot reach PostgreSQL at $DB_HOST:$DB_PORT as $DB_USER"; }
  exit 0
fi
# initdb and postgres refuse to run as root: run them as an unprivileged OS user.
AS_PG=()
if [ "$(id -u)" = 0 ]; then
  PGOS=postgres
  id "$PGOS" >/dev/null 2>&1 || { PGOS=odoopg; id "$PGOS" >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$PGOS"; }
  AS_PG=(runuser -u "$PGOS" --)
  chmod o+x "$ROOT" "$LOCAL" 2>/dev/null || true
  cd /   # that user may not enter the caller's folder; every path here is absolute
fi
case "${1:-}" in
  start)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      say "creating private PostgreSQL cluster in $PGDATA"
      mkdir -p "$PGDATA" "$PGSOCK"
      # Outside the checkout (see pg_dir in common.sh): .local/pg links to it, which keeps the choice.
      [ "$PGDIR" = "$LOCAL/pg" ] || ln -sfn "$PGDIR" "$LOCAL/pg"
      if [ "$(id -u)" = 0 ]; then
        chown "$PGOS": "$PGDATA" "$PGSOCK" "$PGDIR"
        "${AS_PG[@]}" test -w "$PGDATA" || die "the OS user $PGOS cannot enter $PGDATA (initdb and postgres \
refuse to run as root); give others the right to traverse the folders above it (chmod o+x)"
      fi
      "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDATA" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 \
        || die "initdb failed; see $LOGS/initdb.log"
    fi
    if ! "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      mkdir -p "$PGSOCK"; [ "$(id -u)" = 0 ] && chown "$PGOS": "$PGSOCK"
      # fsync off: this is a development/test cluster; speed over durability.
      "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
        -o "-k $PGSOCK -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || die "PostgreSQL did not start; see $PGDATA/server.log"
    fi ;;
  stop)
    if [ -f "$PGDATA/postmaster.pid" ]; then
      "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
    fi ;;
  *) die "usage: scripts/pg.sh start|stop" ;;
esac
