"""
Cross-check the look-up cases of test_environment.py against the real libraries.

Not a test module (pytest does not collect it) and not a dependency of the suite.  Run by
hand with the libraries importable, for instance::

    pip install --target /tmp/xcheck python-decouple==3.8 django-environ==0.14.0 environs==15.2.0
    PYTHONPATH=/tmp/xcheck:. python tests/logic/crosscheck_libraries.py

Each case's set-up and expression run for real with ``os.environ`` holding exactly the
case's variables (python-decouple reads no ``.env`` file: ``Config(RepositoryEmpty())``).
An exception means the module would not load: the expected value must be UNKNOWN.
Prints one line per disagreement between the real value, the test's expectation and the
evaluator; exits 1 if the test expectations disagree with the libraries.
"""

from __future__ import annotations

import os
import sys

from flake8_djsec.logic.evaluation.values import UNKNOWN, is_known
from tests.logic._helpers import evaluate, same
from tests.logic.test_environment import CASES, DECOUPLE

_REAL_DECOUPLE = 'from decouple import Config, RepositoryEmpty, Csv\nconfig = Config(RepositoryEmpty())\n'


def _real(setup: str, expression: str, variables: dict[str, str]) -> object:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(variables)
    try:
        namespace: dict[str, object] = {}
        code = (_REAL_DECOUPLE if setup == DECOUPLE else setup) + 'VALUE = ' + expression + '\n'
        exec(compile(code, '<case>', 'exec'), namespace)  # noqa: S102 - our own case table
        return namespace['VALUE']
    except BaseException:  # noqa: B902 - any failure means the module raises
        return UNKNOWN
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _agree(expected: object, actual: object) -> bool:
    if expected is UNKNOWN:
        return actual is UNKNOWN or not is_known(actual)
    return same(actual, expected)


def main() -> int:
    """Compare every case; return 1 if an expectation is wrong."""
    wrong = 0
    for case in CASES:
        evaluated = evaluate(case.setup + 'VALUE = ' + case.expression + '\n', case.variables)['VALUE'].value
        real = _real(case.setup, case.expression, dict(case.variables)) if case.check else case.expected
        status = []
        if case.check and not _agree(case.expected, real):
            status.append('EXPECTATION WRONG')
            wrong += 1
        if not _agree(case.expected, evaluated):
            status.append('evaluator differs' + (' (xfail)' if case.xfail else ' (NOT MARKED)'))
        elif case.xfail:
            status.append('xfail case now passes')
        if status or '-v' in sys.argv:
            print('{0}: real={1!r} expected={2!r} evaluator={3!r} {4}'.format(
                case.id, real, case.expected, evaluated, '; '.join(status),
            ))
    print('{0} cases, {1} cross-checked, {2} expectations wrong'.format(
        len(CASES), sum(case.check for case in CASES), wrong,
    ))
    return 1 if wrong else 0


if __name__ == '__main__':
    sys.exit(main())
