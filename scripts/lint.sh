#!/usr/bin/env bash
# make lint: install what is missing (scripts/setup_lint.sh), then run flake8 (.flake8),
# pylint-odoo's mandatory checks (.pylintrc) and eslint (eslint.config.cjs) over the checkout.
# Runs all three, names each that failed, and exits non-zero when any did.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup_lint.sh"
cd "$ROOT"
LINT_VENV=$LOCAL/lint-venv
failed=()

# The Python files of the checkout (and new ones not yet added), as git sees them; outside a
# git work tree (a copied tree), every .py file but .local's.
py_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- '*.py' | while read -r f; do [ -f "$f" ] && echo "$f"; done
  else
    find . -path ./.local -prune -o -name '*.py' -print | sed 's|^\./||'
  fi
}
mapfile -t PY < <(py_files | sort)
# Printing is the output of the command-line tools (scripts/, bench/) and of the tests' figures;
# everywhere else (the addon's code) print-used stands.
mapfile -t PY_ADDON < <(printf '%s\n' "${PY[@]}" | grep -vE '^(scripts|bench)/|(^|/)tests/' || true)
mapfile -t PY_TOOLS < <(printf '%s\n' "${PY[@]}" | grep -E '^(scripts|bench)/|(^|/)tests/' || true)

say "flake8 (${#PY[@]} files)"
"$LINT_VENV/bin/flake8" "${PY[@]}" || failed+=(flake8)

say "pylint-odoo, mandatory checks (${#PY_ADDON[@]} files of the addon, ${#PY_TOOLS[@]} of tests and tools)"
pylint_rc=0
if [ ${#PY_ADDON[@]} -gt 0 ]; then
  "$LINT_VENV/bin/pylint" --rcfile=.pylintrc "${PY_ADDON[@]}" || pylint_rc=1
fi
if [ ${#PY_TOOLS[@]} -gt 0 ]; then
  "$LINT_VENV/bin/pylint" --rcfile=.pylintrc --disable=print-used "${PY_TOOLS[@]}" || pylint_rc=1
fi
[ $pylint_rc = 0 ] || failed+=(pylint-odoo)

say "eslint"
"$LOCAL/node/node_modules/.bin/eslint" --max-warnings=0 . || failed+=(eslint)

if [ ${#failed[@]} -gt 0 ]; then
  printf '\033[31mLINT FAILED: %s (see above)\033[0m\n' "${failed[*]}"
  exit 1
fi
printf '\033[32mLint passed: flake8, pylint-odoo, eslint.\033[0m\n'
