#!/usr/bin/env bash
# make pot: regenerate i18n/shopfloor_mes.pot with Odoo's own exporter (odoo --i18n-export), from
# a database where the addon is installed as this checkout has it (a copy of the test template,
# updated). POT_DB=<db> POT_OUT=<file>: export from that database as it is (no copy, no update)
# into that file (tests/test_i18n_pot.py compares such an export with the committed .pot).
source "$(dirname "$0")/common.sh"
OUT=${POT_OUT:-$ROOT/i18n/shopfloor_mes.pot}
if [ -z "${POT_DB:-}" ]; then
  bash "$ROOT/scripts/setup.sh"
  bash "$ROOT/scripts/pg.sh" start
  ensure_template
  POT_DB=mes_pot
  copy_updated "$POT_DB"
fi
# The exporter reads every .py under the addons path and follows symlinks: in the checkout it
# would read .local/ (the venv, and the symlink back to the checkout) as the addon's code. It
# reads a copy of the addon's own files instead (no tests, scripts, benchmarks).
SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
mkdir "$SRC/shopfloor_mes"
(cd "$ROOT" && git ls-files -co --exclude-standard \
   | grep -vE '^(tests|bench|scripts|docs|services/tests)/' \
   | while read -r f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
   | xargs -0 cp --parents -t "$SRC/shopfloor_mes")
"$VENV/bin/odoo" -c "$CONF" --addons-path="$VENV/lib/python3.7/site-packages/odoo/addons,$SRC" -d "$POT_DB" \
  --i18n-export="$SRC/export.po" --modules=shopfloor_mes --stop-after-init --log-level=warn
# (Odoo 11 writes a template only to a .po name.) It stamps the export with the time: dropped,
# so that a .pot whose strings did not change stays byte for byte the same.
sed -e '/^"POT-Creation-Date: /d' -e '/^"PO-Revision-Date: /d' "$SRC/export.po" >"$OUT"
[ -n "${POT_OUT:-}" ] || say "wrote $OUT ($(grep -c '^msgid "' "$OUT") strings)"
