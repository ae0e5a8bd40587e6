"""
Files of 100,000 lines: the right findings on the right lines, no DJS000, linear work.

Four modules of LINES lines each, in process and through the flake8 program: a settings
module (many assignments, ``MIDDLEWARE += [...]`` thousands of times, ``if DEBUG``
branches and undecided branches, a dict and a list literal of tens of thousands of
lines), a module of views (``mark_safe``, ``cursor.execute``, ``csrf_exempt``), a
URLconf with tens of thousands of routes, and a module that is one 100,000-line
string literal and one 100,000-line list. Issues are planted at known lines.

No timing is asserted: the work is counted instead (Python lines executed by the
evaluator, with a trace function), and must grow linearly with the module. Before
0.1.0 a module of N ``MIDDLEWARE += [...]`` was quadratic twice over: every ``+=``
re-inspected the whole list and scanned every binding for aliases; and a module of N
views was quadratic in the code rules, which scanned every function for each call judged.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, Final

import pytest

from flake8_djsec.analysis import analyse
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.visitors.index import build_index
from tests.conftest import FIGURES, run_plain_flake8

#: Lines of every generated module.
LINES: Final = 100_000
#: The settings every generated settings module starts with: a hardened deployment.
SETTINGS_HEAD: Final = '''\
import os

INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.messages"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {"default-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"]}
PERMISSIONS_POLICY = {"geolocation": []}
'''
CODE_HEAD: Final = '''\
from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
'''


class _Module:
    """Lines being written, with the line number of each planted finding."""

    def __init__(self, head: str) -> None:
        self.lines = head.splitlines()
        self.planted: list[tuple[int, str]] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def plant(self, code: str, line: str) -> None:
        self.lines.append(line)
        self.planted.append((len(self.lines), code))

    def source(self) -> str:
        return '\n'.join(self.lines) + '\n'


def settings_module(total: int = LINES) -> _Module:
    """A deployment settings module of ``total`` lines; four settings planted wrong."""
    module = _Module(SETTINGS_HEAD)
    index = 0
    while len(module.lines) < total * 0.3:
        module.add(
            'SETTING_{0} = {0}'.format(index),
            'MIDDLEWARE += ["app{0}.middleware.Middleware"]'.format(index),
            'if DEBUG:',
            '    SETTING_{0} = "debug"'.format(index),
            'else:',
            '    SETTING_{0} = SETTING_{0} + 1'.format(index),
        )
        if index % 100 == 0:
            module.add('if os.environ.get("FEATURE_{0}"):'.format(index), '    FEATURE_{0} = True'.format(index))
        index += 1
    module.plant('DJS115', 'SESSION_COOKIE_SECURE = False')
    module.add('BIG = {')
    while len(module.lines) < total * 0.6:
        module.add('    "key{0}": [{0}, "value{0}", {{"nested": {0}}}],'.format(len(module.lines)))
    module.add('}')
    module.plant('DJS132', 'X_FRAME_OPTIONS = "SAMEORIGIN"')
    module.add('HOSTS = [')
    while len(module.lines) < total * 0.9:
        module.add('    "host{0}.example.com",'.format(len(module.lines)))
    module.add(']')
    module.plant('DJS105', 'ALLOWED_HOSTS = HOSTS + ["*"]')
    while len(module.lines) < total - 1:
        module.add('VALUE_{0} = BIG.get("key{0}") if DEBUG else HOSTS[0]'.format(len(module.lines)))
    module.plant('DJS112', 'SECURE_HSTS_SECONDS = 3600')
    return module


def views_module(total: int = LINES) -> _Module:
    """Views: every tenth is exempted from CSRF, marks input safe or formats SQL."""
    module = _Module(CODE_HEAD)
    index = 0
    while len(module.lines) < total - 12:
        module.add('', '')
        if index % 10 == 0:
            module.add('@csrf_exempt')
            module.planted.append((len(module.lines), 'DJS122'))
        module.add('def view_{0}(request):'.format(index), '    name = request.GET["name"]')
        if index % 10 == 1:
            module.plant('DJS160', '    shown = mark_safe("<b>%s</b>" % name)')
        else:
            module.add('    shown = mark_safe("<b>fixed</b>")')
        if index % 10 == 2:
            module.add('    with connection.cursor() as cursor:')
            module.plant('DJS161', '        cursor.execute("SELECT * FROM t WHERE name = \'%s\'" % name)')
        else:
            module.add('    with connection.cursor() as cursor:', '        cursor.execute("SELECT 1 FROM t WHERE name = %s", [name])')
        module.add('    return HttpResponse(shown)')
        index += 1
    while len(module.lines) < total:
        module.add('# padding')
    return module


def urls_module(total: int = LINES) -> _Module:
    """A URLconf of one route a line; the admin is mounted at admin/ near the end."""
    module = _Module(CODE_HEAD + 'from shop import views\n\nurlpatterns = [')
    while len(module.lines) < total - 2:
        module.add('    path("page{0}/", views.page, name="page{0}"),'.format(len(module.lines)))
    module.plant('DJS150', '    path("admin/", admin.site.urls),')
    module.add(']')
    return module


def one_expression_module(total: int = LINES) -> _Module:
    """A 50,000-line string formatted into mark_safe(), and a 50,000-line list."""
    module = _Module(CODE_HEAD)
    module.plant('DJS160', 'SHOWN = mark_safe("""')
    half = total // 2
    while len(module.lines) < half:
        module.add('<p>line {0} of the template, %(name)s</p>'.format(len(module.lines)))
    module.add('""" % request.GET)')
    module.add('ROUTES = [')
    while len(module.lines) < total - 2:
        module.add('    "route{0}",'.format(len(module.lines)))
    module.add(']')
    module.plant('DJS161', 'connection.cursor().execute("SELECT " + ROUTES[0] + request.GET["q"])')
    return module


#: Generated module, the name it is linted as, and the codes judged.
CASES: Final[dict[str, tuple[Callable[[int], _Module], str]]] = {
    'settings': (settings_module, 'proj/settings.py'),
    'views': (views_module, 'shop/views.py'),
    'urls': (urls_module, 'proj/urls.py'),
    'one expression': (one_expression_module, 'shop/templates.py'),
}


def _found(reports: list[tuple[int, str]], codes: set[str]) -> list[tuple[int, str]]:
    return sorted(report for report in reports if report[1] in codes)


@pytest.mark.parametrize('case', sorted(CASES))
def test_in_process(case: str, tmp_path: Path) -> None:
    """Every planted finding on its line, nothing else of those codes, no DJS000."""
    build, name = CASES[case]
    module = build(LINES)
    source = module.source()
    assert source.count('\n') == LINES
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding='utf-8')
    reports = analyse(ast.parse(source), str(path), source, DjsecConfig())
    found = [(report.line, report.message.split()[0]) for report in reports]
    assert 'DJS000' not in {code for _, code in found}
    codes = {code for _, code in module.planted}
    assert _found(found, codes) == sorted(module.planted)
    FIGURES.append('{0} module of {1} lines, in process: {2} findings as planted, 0 DJS000'.format(
        case, LINES, len(module.planted),
    ))


#: The modules linted through flake8 by default (pycodestyle and pyflakes take most of a
#: minute on each of the others); DJSEC_CORPUS=full: all four.
FLAKE8_CASES: Final = tuple(sorted(CASES)) if os.environ.get('DJSEC_CORPUS') == 'full' else (
    'one expression', 'settings',
)


def test_through_flake8(tmp_path: Path, plain_flake8: list[str]) -> None:
    """The modules in one flake8 run: the planted findings, no DJS000, nothing on stderr."""
    expected = []
    for case in FLAKE8_CASES:
        build, name = CASES[case]
        module = build(LINES)
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module.source(), encoding='utf-8')
        expected.extend('{0}:{1} {2}'.format(name, line, code) for line, code in module.planted)
    codes = ','.join(sorted({line.split()[-1] for line in expected}))
    result = run_plain_flake8(plain_flake8, ['--select={0}'.format(codes), '--jobs=2', '.'], tmp_path)
    assert result.stderr == ''
    assert result.returncode == 1
    found = sorted(
        '{0}:{1} {2}'.format(*line.split(':', 3)[:2], line.split(': ', 1)[1].split()[0])
        for line in result.stdout.splitlines()
    )
    assert found == sorted(line.removeprefix('./') for line in expected) or found == sorted(
        './{0}'.format(line) for line in expected
    )
    FIGURES.append('{0} modules of {1} lines through flake8 ({2}): {3} findings as planted, 0 DJS000'.format(
        len(FLAKE8_CASES), LINES, ', '.join(FLAKE8_CASES), len(expected),
    ))


class _LineCounter:
    """Counts the Python lines some of the plugin's modules execute (a deterministic work measure)."""

    def __init__(self, modules: tuple[str, ...] = ('statements.py', 'namespace.py', 'values.py')) -> None:
        self.lines = 0
        self._modules = modules

    def trace(self, frame: FrameType, event: str, arg: object) -> Any:
        filename = frame.f_code.co_filename
        if 'flake8_djsec' not in filename or not filename.endswith(self._modules):
            return None
        if event == 'line':
            self.lines += 1
        return self.trace


def _evaluator_lines(source: str) -> int:
    counter = _LineCounter()
    tree = ast.parse(source)
    sys.settrace(counter.trace)
    try:
        analyse(tree, 'proj/settings.py', source, DjsecConfig())
    finally:
        sys.settrace(None)
    return counter.lines


@pytest.mark.parametrize('block', [
    'MIDDLEWARE += ["app{0}.Middleware"]\nSETTING_{0} = {0}',
    'MIDDLEWARE.append("app{0}.Middleware")\nSETTING_{0} = [{0}]',
    'MIDDLEWARE += ["app{0}.Middleware"]\nLAST_{0} = MIDDLEWARE[-1]',
])
def test_evaluation_work_is_linear(block: str) -> None:
    """Four times the statements, about four times the work (quadratic would be sixteen)."""
    measured = []
    for count in (200, 800):
        # OLD: an alias of MIDDLEWARE, which every mutation updates.
        statements = '\n'.join(block.format(index) for index in range(count))
        source = '{0}OLD = MIDDLEWARE\n{1}\n'.format(SETTINGS_HEAD, statements)
        measured.append(_evaluator_lines(source))
    assert measured[1] / measured[0] < 4.5, measured


def test_aliases_still_see_mutations() -> None:
    """The alias index keeps Python's semantics: every name bound to a list sees ``+=``."""
    reports = analyse(ast.parse(
        'MIDDLEWARE = []\nOLD = MIDDLEWARE\nMIDDLEWARE += ["django.middleware.security.SecurityMiddleware"]\n'
        'del MIDDLEWARE\nMIDDLEWARE = OLD\nINSTALLED_APPS = []\n',
    ), 'proj/settings.py', None, DjsecConfig())
    assert 'DJS130' not in {report.message.split()[0] for report in reports}


@pytest.mark.parametrize('module', ['ast', 'inspect', 'typing', 'dataclasses'])
def test_innermost_function_matches_a_scan(module: str) -> None:
    """The scope index answers as scanning every function does, on every line of real modules."""
    import importlib.util  # noqa: WPS433 - only this test reads the standard library's files

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding='utf-8')
    nested = 'def outer():\n    def inner():\n        x = 1\n    y = 2\n\n\nclass K:\n    def m(self):\n        pass\n'
    for text in (source, nested):
        index = build_index(ast.parse(text), frozenset())
        for line in range(1, text.count('\n') + 2):
            holders = [
                function for function in index.functions
                if function.lineno <= line <= (function.end_lineno or function.lineno)
            ]
            assert index.function_at(line) is max(holders, key=lambda function: function.lineno, default=None)


def test_code_rules_work_is_linear() -> None:
    """Four times the views, about four times the work of the code rules."""
    measured = []
    for total in (2_000, 8_000):
        counter = _LineCounter(('dynamic.py', 'index.py', 'markup.py', 'sql.py', 'csrf.py'))
        source = views_module(total).source()
        tree = ast.parse(source)
        sys.settrace(counter.trace)
        try:
            analyse(tree, 'shop/views.py', source, DjsecConfig())
        finally:
            sys.settrace(None)
        measured.append(counter.lines)
    assert measured[1] / measured[0] < 4.5, measured
