#!/usr/bin/env bash
# Drop the demo and test databases; make run / make test rebuild them on demand.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/pg.sh" start
for db in $(pg psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'mes\_%'"); do
  pg dropdb "$db" && say "dropped $db"
done
