"""The map of the code holds (README, "Map of the code"): the models live in capability folders,
and each capability extends a model at most once, under a class name of its own, so that a
reader finds "what quality adds to a work order" in one class. Read from the source with ``ast``
(no Odoo needed)."""
import ast
import glob
import os
from collections import defaultdict

ROOT = os.environ.get('MES_ROOT') or os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
CAPABILITIES = ('shared', 'terminal', 'events', 'execution', 'guard', 'posting', 'quality', 'oee', 'maintenance')


def model_classes(path):
    """(class name, _name, _inherit) of each class in ``path`` that sets either."""
    for node in ast.parse(open(path).read()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        attributes = {}
        for statement in node.body:
            if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name) \
                    and statement.targets[0].id in ('_name', '_inherit'):
                attributes[statement.targets[0].id] = ast.literal_eval(statement.value)
        if attributes:
            yield node.name, attributes.get('_name'), attributes.get('_inherit')


def folders():
    """Each folder of Python model code: models/<capability>, wizards, report."""
    found = {os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(ROOT, 'models', '*', '*.py'))}
    return ['models/%s' % name for name in sorted(found - {'__pycache__'})] + ['wizards', 'report']


def test_no_model_file_is_left_outside_a_capability_folder():
    loose = [os.path.basename(p) for p in glob.glob(os.path.join(ROOT, 'models', '*.py'))]
    assert loose == ['__init__.py']
    assert sorted(f.split('/')[1] for f in folders() if f.startswith('models/')) == sorted(CAPABILITIES)


def test_each_capability_extends_a_model_once_under_a_class_name_of_its_own():
    extensions, class_names = defaultdict(list), defaultdict(list)
    for folder in folders():
        for path in sorted(glob.glob(os.path.join(ROOT, folder, '*.py'))):
            for class_name, name, inherit in model_classes(path):
                class_names[class_name].append(path)
                if inherit and not name:
                    extensions[(folder, str(inherit))].append(class_name)
    assert extensions, 'no extension found: the test reads the wrong folders'
    twice = {key: names for key, names in extensions.items() if len(names) > 1}
    assert not twice, 'a model extended more than once in one capability: %s' % twice
    shared = {name: paths for name, paths in class_names.items() if len(paths) > 1}
    assert not shared, 'classes that share a name: %s' % shared
