"""The fuzzers' figures (cases tried, answers, rejection codes) are printed at the end."""
import collections
import sys
import types

from hypothesis import settings


def _figures():
    # One table per process: pytest may import this conftest under two module names.
    module = sys.modules.get('mes_test_figures')
    if module is None:
        module = sys.modules['mes_test_figures'] = types.ModuleType('mes_test_figures')
    if not hasattr(module, 'fuzz'):
        module.fuzz = collections.OrderedDict()
    return module.fuzz


def count(target, key, n=1):
    _figures().setdefault(target, collections.Counter())[key] += n


def pytest_terminal_summary(terminalreporter):
    figures = _figures()
    if not figures:
        return
    terminalreporter.section('fuzz figures')
    total = 0
    for target, counter in figures.items():
        cases = counter.get('cases', 0)
        total += cases
        rest = ', '.join('%s %s' % (k, v) for k, v in sorted(counter.items()) if k != 'cases')
        terminalreporter.write_line('%s: %d cases; %s' % (target, cases, rest))
    terminalreporter.write_line('total generated cases: %d' % total)


# Never write an example database into the checkout; print how to reproduce a failure.
settings.register_profile('mes', database=None, deadline=None, print_blob=True)
settings.load_profile('mes')
