"""``make lint`` (scripts/lint.sh) fails on a planted violation and passes on clean code.

The lint of the checkout is CI's own ``make lint``; here the same script, with the checkout's
configuration files, runs on a small tree in a temporary folder: clean, it passes; with one
violation planted for each tool, it fails and names flake8, pylint-odoo and eslint. The tools
are the checkout's (.local/lint-venv, .local/node), installed by scripts/setup_lint.sh."""
import os
import shutil
import subprocess
import tempfile

import pytest

ROOT = os.environ.get('MES_ROOT') or os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
COPIED = ('.flake8', '.pylintrc', 'eslint.config.cjs', 'requirements-lint.txt',
          'scripts/common.sh', 'scripts/setup_lint.sh', 'scripts/lint.sh')

MANIFEST = """{
    'name': 'Lint probe',
    'version': '11.0.1.0.0',
    'license': 'LGPL-3',
    'author': 'shopfloor_mes developers',
    'depends': ['base'],
}
"""
CLEAN_PY = '''"""A clean module."""


def double(value):
    """Twice ``value``."""
    return value * 2
'''
CLEAN_JS = "export function double(value) {\n  return value * 2;\n}\n"


@pytest.fixture(scope='module')
def tree():
    """A small addon beside copies of the lint configuration, linked to the installed tools."""
    subprocess.run(['bash', os.path.join(ROOT, 'scripts', 'setup_lint.sh')], check=True,
                   stdout=subprocess.DEVNULL, timeout=600)
    root = tempfile.mkdtemp(prefix='mes-lint-')
    for path in COPIED:
        os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
        shutil.copy(os.path.join(ROOT, path), os.path.join(root, path))
    os.makedirs(os.path.join(root, '.local'))
    for tool in ('lint-venv', 'node'):
        os.symlink(os.path.join(ROOT, '.local', tool), os.path.join(root, '.local', tool))
    write(root, '__init__.py', 'from . import services\n')
    write(root, '__manifest__.py', MANIFEST)
    write(root, 'services/__init__.py', 'from . import clean\n')
    write(root, 'services/clean.py', CLEAN_PY)
    write(root, 'static/terminal/js/clean.js', CLEAN_JS)
    yield root
    shutil.rmtree(root)


def write(root, path, text):
    os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
    with open(os.path.join(root, path), 'w') as handle:
        handle.write(text)


def lint(root):
    done = subprocess.run(['bash', os.path.join(root, 'scripts', 'lint.sh')], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)
    return done.returncode, done.stdout


def test_lint_passes_on_clean_code_and_fails_naming_each_tool_on_a_planted_violation(tree):
    code, out = lint(tree)
    assert code == 0, out
    assert 'Lint passed' in out

    # one violation for each tool, none of which the other two report
    write(tree, 'services/planted_import.py', 'import os\n')                    # flake8: F401
    write(tree, 'services/planted_default.py',
          'def collect(item, into=[]):\n    into.append(item)\n    return into\n')  # pylint: dangerous-default-value
    write(tree, 'static/terminal/js/planted.js', 'const unused = 1;\n')       # eslint: no-unused-vars
    code, out = lint(tree)
    assert code != 0, out
    assert 'LINT FAILED: flake8 pylint-odoo eslint' in out, out
    assert "planted_import.py:1:1: F401 'os' imported but unused" in out
    assert 'planted_default.py:1: [W0102(dangerous-default-value)' in out
    assert "'unused' is assigned a value but never used" in out
