"""
The plugin never crashes flake8: deep expressions in every role and rule.

Every test here asserts that no DJS000 (internal error) is reported and nothing
is written to standard error, on inputs built to break a linter: expressions as
deep as this interpreter's parser accepts. The files around a settings module
(encodings, undecodable or unparsable siblings, folders, FIFOs, devices, broken,
looping or symlinked siblings and folders, unreadable files, star-import cycles
through links) are tests/test_filesystem.py.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flake8_djsec.analysis import analyse
from flake8_djsec.options.config import DjsecConfig
from tests.conftest import run_flake8

#: File names that make a module deployment settings, URLconf and ordinary code.
ROLES = ('proj/settings.py', 'proj/urls.py', 'shop/views.py')
#: Depths tried, deepest first: CPython 3.10 parses 10,000-deep chains, 3.11 and 3.12
#: about 2,990 (RecursionError "during ast construction" beyond), 3.13 about 6,000.
DEPTHS = (10_000, 5_000, 2_500, 1_000)
#: The tokenizer refuses more than 200 nested brackets.
BRACKETS = 190
#: A module that triggers every rule family: settings names, then each code rule's words.
HEAD = '''\
import os
from django.contrib import admin
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from configurations import Configuration, values
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = []
DEBUG = False
'''
#: How each deep expression is used: as settings, and as every code rule's argument.
USES = '''\
SECRET_KEY = ({expr})
ALLOWED_HOSTS = [({expr})]
DEBUG = ({expr})
MIDDLEWARE += [({expr})]
SHOWN = mark_safe(({expr}))
QUERY = "SELECT %s" % ({expr})
cursor.execute(({expr}))
Model.objects.raw("SELECT " + ({expr}))
urlpatterns = [path(({expr}), admin.site.urls), path("admin/", ({expr}))]
exempt = csrf_exempt(({expr}))
class Deep(({expr}).Configuration, ({expr})):
    DEBUG = ({expr})
'''


def _chains(depth: int) -> dict[str, str]:
    """Expressions that nest ``depth`` deep without brackets."""
    return {
        'sum': '+'.join(['"a"'] * depth),
        'percent': '"%s"' + ' % x' * depth,
        'attributes': 'a' + '.b' * depth,
        'calls': 'f' + '()' * depth,
        'subscripts': 'a' + '[0]' * depth,
        'not': 'not ' * depth + 'x',
        'minus': '- ' * depth + '1',
        'conditional': '"a" if x else ' * depth + '"b"',
        'lambda': 'lambda: ' * depth + '1',
        'boolean': ' or '.join(['x'] * depth),
        'compare': ' < '.join(['1'] * depth),
        'flat list': '[{0}]'.format(', '.join(['"a"'] * depth)),
    }


def _brackets() -> dict[str, str]:
    """Expressions nested as deep as the tokenizer allows brackets."""
    return {
        'parentheses': '1+(' * BRACKETS + '1' + ')' * BRACKETS,
        'lists': '[' * BRACKETS + ']' * BRACKETS,
        'dicts': '{"a": ' * BRACKETS + '1' + '}' * BRACKETS,
        'call arguments': 'f(' * BRACKETS + ')' * BRACKETS,
        'format calls': '"{}".format(' * BRACKETS + '1' + ')' * BRACKETS,
        'f-strings': _nested_fstring(),
    }


def _nested_fstring() -> str:
    """f-strings nested as deep as this interpreter allows (3.12 lifts the quote limit)."""
    if sys.version_info >= (3, 12):
        return 'f"{' * 100 + 'x' + '}"' * 100
    return 'f"""{f\'\'\'{f\'{f"{x}"}\'}\'\'\'}"""'


def _parse_deepest(build: Callable[[int], str]) -> tuple[str, ast.Module] | None:
    """The deepest of DEPTHS whose module this interpreter parses."""
    for depth in DEPTHS:
        source = build(depth)
        try:
            return source, ast.parse(source)
        except (SyntaxError, RecursionError, MemoryError):
            continue
    return None


def _deep_module(kind: str, depth: int) -> str:
    expressions = {**_chains(depth), **_brackets()}
    return HEAD + USES.format(expr=expressions[kind])


def _analyse_in_a_deep_stack(tree: ast.Module, filename: str, source: str) -> list[str]:
    """Run the pipeline with 100 frames already used, as flake8's own call stack does."""

    def nested(levels: int) -> list[str]:
        if levels:
            return nested(levels - 1)
        return [report.message for report in analyse(tree, filename, source, DjsecConfig())]

    return nested(100)


@pytest.mark.parametrize('kind', sorted({**_chains(1), **_brackets()}))
def test_deep_expressions(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """As deep as CPython parses, in every role and every rule's argument: no internal error."""
    parsed = _parse_deepest(lambda depth: _deep_module(kind, depth))
    if parsed is None:
        pytest.skip('this interpreter parses no depth of {0}'.format(DEPTHS))
    source, tree = parsed
    for filename in ROLES:
        messages = _analyse_in_a_deep_stack(tree, filename, source)
        errors = [message for message in messages if message.startswith('DJS000')]
        assert not errors, (filename, errors)
    assert capsys.readouterr().err == ''
