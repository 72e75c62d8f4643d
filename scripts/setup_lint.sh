#!/usr/bin/env bash
# Installs the tools of `make lint`: flake8 and pylint-odoo in their own venv, .local/lint-venv,
# from requirements-lint.txt; eslint under .local/node, beside lessc. Like scripts/setup.sh,
# repeat runs are fast: each step is skipped when its stamp shows nothing changed.
source "$(dirname "$0")/common.sh"
LINT_VENV=$LOCAL/lint-venv
# eslint and its recommended rules (the two go together), and the browser/node globals.
ESLINT_PINS="eslint@9.39.1 @eslint/js@9.39.1 globals@16.5.0"

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for cand in "$(pyenv root 2>/dev/null)/versions/3.7.16/bin/python" "$HOME/.pyenv/versions/3.7.16/bin/python" python3.7; do
    if [ -x "$cand" ] || command -v "$cand" >/dev/null 2>&1; then PYTHON=$cand; break; fi
  done
fi
[ -n "$PYTHON" ] || die "CPython 3.7 not found (the lint tools check the code as Odoo 11's Python reads it).
  Get it with pyenv:  pyenv install 3.7.16   (or point PYTHON=/path/to/python3.7)"

stamp_want=$( { "$PYTHON" --version 2>&1; cat "$ROOT/requirements-lint.txt"; } | sha1sum | cut -c1-16)
if [ "$(cat "$LINT_VENV/.stamp" 2>/dev/null)" != "$stamp_want" ]; then
  say "creating $LINT_VENV and installing the lint pins (flake8, pylint-odoo; about 20 s)"
  rm -rf "$LINT_VENV"
  "$PYTHON" -m venv "$LINT_VENV"
  "$LINT_VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements-lint.txt" \
    >"$LOGS/pip-lint.log" 2>&1 || die "pip install -r requirements-lint.txt failed; see $LOGS/pip-lint.log"
  echo "$stamp_want" > "$LINT_VENV/.stamp"
fi

if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's npm (eslint comes from the npm registry)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$LOGS/apt-lint.log" 2>&1 || true
    apt-get install -y -qq --no-install-recommends npm >>"$LOGS/apt-lint.log" 2>&1 \
      || die "apt-get install npm failed; see $LOGS/apt-lint.log"
  else
    die "npm is missing (eslint comes from the npm registry). Install it (as root: apt-get install npm) and run again."
  fi
fi
if [ "$(cat "$LOCAL/node/.stamp-eslint" 2>/dev/null)" != "$ESLINT_PINS" ]; then
  say "installing $ESLINT_PINS under .local/node"
  # shellcheck disable=SC2086
  npm install --silent --no-audit --no-fund --save-exact --prefix "$LOCAL/node" $ESLINT_PINS >"$LOGS/npm-lint.log" 2>&1 \
    || die "npm install $ESLINT_PINS failed; see $LOGS/npm-lint.log"
  echo "$ESLINT_PINS" > "$LOCAL/node/.stamp-eslint"
fi
