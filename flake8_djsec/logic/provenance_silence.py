"""Where the code rules DJS160/DJS161 stay silent: test code and lines marked ``# nosec``."""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Sequence
from types import MappingProxyType
from typing import Final

#: bandit's tests for the same risks: a ``# nosec`` naming one of them silences our code too.
NOSEC_TESTS: Final = MappingProxyType({
    'DJS160': frozenset(('B308', 'B703', 'S308', 'S703', 'mark_safe', 'django_mark_safe')),
    'DJS161': frozenset((
        'B608', 'B610', 'B611', 'S608', 'S610', 'S611', 'hardcoded_sql_expressions',
        'django_extra_used', 'django_rawsql_used',
    )),
})
_NOSEC: Final = re.compile(r'#\s*nosec\b(?P<tests>[^#]*)', re.IGNORECASE)
_TEST_NAME: Final = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
#: ruff's flake8-bandit codes in a ``# noqa`` (S308 is bandit's B308).
_NOQA: Final = re.compile(r'#\s*noqa:(?P<codes>[A-Z0-9, ]+)', re.IGNORECASE)


def is_test_path(path: str | None, patterns: Sequence[str]) -> bool:
    """
    Tell whether a file is test code.

    A pattern ending in ``/`` names a folder anywhere on the path (``tests/``);
    one without ``/`` matches the file name (``test_*.py``); others the path.
    """
    if not path:
        return False
    normalized = path.replace('\\', '/')
    return any(_matches(pattern, normalized) for pattern in patterns)


def _matches(pattern: str, path: str) -> bool:
    folders = path.split('/')[:-1]
    if pattern.endswith('/'):
        return any(fnmatch.fnmatchcase(folder, pattern.rstrip('/')) for folder in folders)
    if '/' not in pattern:
        return fnmatch.fnmatchcase(path.rsplit('/', 1)[-1], pattern)
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, '*/{0}'.format(pattern))


def is_nosec(line: str, code: str) -> bool:
    """Tell whether a line's ``# nosec`` (bare, or naming bandit's test for the risk) covers it."""
    noqa = _NOQA.search(line)
    if noqa is not None and set(_TEST_NAME.findall(noqa.group('codes'))) & NOSEC_TESTS.get(
        code, frozenset(),
    ):
        return True
    match = _NOSEC.search(line)
    if match is None:
        return False
    named = set(_TEST_NAME.findall(match.group('tests')))
    return not named or bool(named & NOSEC_TESTS.get(code, frozenset()))


def is_fixture(function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> bool:
    """Tell whether a function is a pytest fixture (``@pytest.fixture``, ``@fixture(...)``)."""
    if function is None:
        return False
    targets = [
        decorator.func if isinstance(decorator, ast.Call) else decorator
        for decorator in function.decorator_list
    ]
    return any(
        (isinstance(target, ast.Attribute) and target.attr == 'fixture')
        or (isinstance(target, ast.Name) and target.id == 'fixture')
        for target in targets
    )
