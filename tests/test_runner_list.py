"""Every tests/test_*.py is either run by Odoo's own runner (imported by tests/__init__.py) or
listed there in PYTEST_ONLY with its reason: a new test module cannot silently drop out of
``odoo --test-enable``. Read from the source, so it runs the same under pytest and Odoo."""
import ast
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def package_lists():
    """The modules tests/__init__.py imports, and its PYTEST_ONLY {module: reason}."""
    with open(os.path.join(HERE, '__init__.py')) as handle:
        tree = ast.parse(handle.read())
    imported, pytest_only = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Assign) and [t.id for t in node.targets] == ['PYTEST_ONLY']:
            pytest_only = ast.literal_eval(node.value)
    return imported, pytest_only


def module_files():
    return {name[:-3] for name in os.listdir(HERE) if name.startswith('test_') and name.endswith('.py')}


def has_test_class(module):
    with open(os.path.join(HERE, module + '.py')) as handle:
        tree = ast.parse(handle.read())
    return any(isinstance(node, ast.ClassDef) and node.name.startswith('Test') for node in tree.body)


class TestRunnerList(unittest.TestCase):

    def test_every_test_module_is_imported_or_listed_as_pytest_only(self):
        imported, pytest_only = package_lists()
        missing = module_files() - imported - set(pytest_only)
        self.assertFalse(missing, 'tests/__init__.py neither imports these modules (for Odoo\'s runner) nor lists '
                                  'them in PYTEST_ONLY with a reason: %s' % sorted(missing))

    def test_no_module_is_both_and_the_lists_name_existing_modules(self):
        imported, pytest_only = package_lists()
        self.assertFalse(imported & set(pytest_only), 'imported and listed as pytest only')
        self.assertFalse((imported | set(pytest_only)) - module_files(), 'no such tests/test_*.py')

    def test_each_pytest_only_module_says_why(self):
        _imported, pytest_only = package_lists()
        self.assertFalse([name for name, reason in pytest_only.items() if not str(reason).strip()],
                         'PYTEST_ONLY entries without a reason')

    def test_each_imported_module_has_a_test_class_odoo_can_run(self):
        # Odoo's runner loads unittest classes only: a module of pytest functions runs nothing there.
        imported, _pytest_only = package_lists()
        self.assertFalse(sorted(name for name in imported if not has_test_class(name)),
                         'imported for Odoo\'s runner but without a Test* class: list it in PYTEST_ONLY')
