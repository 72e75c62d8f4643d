"""README's Tests section names every test file: by its name (`test_costing`) or by a prefix
pattern (`test_oee_*`), so a new test file cannot go unmentioned and a list cannot rot."""
import fnmatch
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST_FOLDERS = ('services/tests', 'tests')   # and their subfolders
# a pattern that names every file names none in particular
TOO_WIDE = {'test_*', '*'}


def _test_files():
    found = []
    for folder in TEST_FOLDERS:
        for path, _dirs, files in os.walk(os.path.join(ROOT, folder)):
            found += [os.path.relpath(os.path.join(path, name), ROOT) for name in files
                      if name.startswith('test_') and name.endswith('.py')]
    return sorted(set(found))


def _tests_section():
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as handle:
        text = handle.read()
    match = re.search(r'^## Tests\n(.*?)(?=^## )', text, re.S | re.M)
    assert match, 'README.md has no "## Tests" section'
    return match.group(1)


def names(section):
    """What the section names in backquotes, as file stems or stem patterns."""
    named = set()
    for quoted in re.findall(r'`([^`\s]+)`', section):
        stem = os.path.basename(quoted.rstrip('/'))
        stem = stem[:-3] if stem.endswith('.py') else stem
        if stem.startswith('test_') and stem not in TOO_WIDE:
            named.add(stem)
    return named


def is_named(stem, named):
    return any(stem == name or ('*' in name and fnmatch.fnmatchcase(stem, name)) for name in named)


def is_module_test(path, named):
    """services/tests/test_<module>.py of a module services/<module>.py, when the section
    states that rule (`test_<module>`)."""
    module = os.path.basename(path)[len('test_'):]
    return ('test_<module>' in named and path.startswith('services/tests/')
            and os.path.exists(os.path.join(ROOT, 'services', module)))


def test_readme_names_every_test_file():
    named = names(_tests_section())
    missing = [path for path in _test_files()
               if not is_named(os.path.basename(path)[:-3], named) and not is_module_test(path, named)]
    assert not missing, 'README.md, section Tests, names none of: %s' % ', '.join(missing)


def test_readme_names_no_test_file_that_is_gone():
    stems = {os.path.basename(path)[:-3] for path in _test_files()}
    gone = sorted(name for name in names(_tests_section()) - {'test_<module>'}
                  if not any(is_named(stem, {name}) for stem in stems))
    assert not gone, 'README.md, section Tests, names test files that do not exist: %s' % ', '.join(gone)


def test_a_pattern_names_only_its_prefix():
    named = {'test_oee_*', 'test_costing'}
    assert is_named('test_oee_day', named) and is_named('test_costing', named)
    assert not is_named('test_cost_breakdown', named)
    assert names('`test_*` and `tests/test_*.py` and `test_i18n*`') == {'test_i18n*'}


def test_a_module_test_is_named_by_the_rule_only_beside_its_module():
    assert is_module_test('services/tests/test_costing.py', {'test_<module>'})
    assert not is_module_test('services/tests/test_costing.py', set())
    assert not is_module_test('services/tests/test_no_such_module.py', {'test_<module>'})
    assert not is_module_test('tests/test_costing.py', {'test_<module>'})
