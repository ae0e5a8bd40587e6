"""
Generated programs never break the plugin: hypothesmith programs and random settings modules.

Property: for any program Python parses, in any role (deployment settings alone or
in a package with siblings, a sibling star-imported by a deployment module, a
django-configurations class body, a URLconf, ordinary code, an unnamed buffer) and
under every option that changes what runs (Django series, django-csp series, an
environment, settings and development patterns, named deployment modules), the
pipeline raises nothing and reports no DJS000.

The catch-all that turns a failing rule into DJS000 would hide any exception from a
test that only looks at the output; so every example runs with that catch-all
(``analysis._internal``) replaced by one that re-raises: an exception anywhere in
classification, discovery, evaluation, a rule or a visitor fails the example, with
its traceback, and hypothesis shrinks it.

hypothesmith's programs (``from_grammar()``: token-level, ``from_node()``: libcst
trees) are rarely settings-like, so a second family splices random expressions
(random ASTs over the names settings use, and expressions taken from hypothesmith
programs) into settings, URLconf and view templates: ``SECRET_KEY = ...``,
``MIDDLEWARE += [...]``, ``SECURE_CSP = {...}``, ``urlpatterns = [path(...)]``,
``mark_safe(...)``, ``cursor.execute(...)`` and so on.

Generation is derandomized: CI sees the same programs every run. The counts are
printed at the end of the session. ``DJSEC_HYPOTHESIS_SCALE=N`` multiplies every
example count by N for a long local run.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Final
from unittest import mock

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flake8_djsec import analysis
from flake8_djsec.options.config import DjsecConfig
from tests.conftest import FIGURES

#: Multiplies every example count (a long local run: DJSEC_HYPOTHESIS_SCALE=50).
SCALE: Final = max(1, int(os.environ.get('DJSEC_HYPOTHESIS_SCALE') or '1'))
#: Programs generated per test in this session.
GENERATED: Final[collections.Counter[str]] = collections.Counter()


def _record(name: str, roles: str) -> None:
    FIGURES.append('{0}: {1} programs, each {2}, 0 failures'.format(name, GENERATED[name], roles))

#: Configuration variants that change which code runs.
CONFIGS: Final = (
    DjsecConfig(),
    DjsecConfig(django_version=(4, 2), django_csp_version=(3, 9)),
    DjsecConfig(django_version=(6, 0), django_csp_version=(4, 0), hsts_min_seconds=0),
    DjsecConfig(
        env=MappingProxyType({
            'DEBUG': 'False', 'SECRET_KEY': 'k' * 60, 'DJANGO_SETTINGS_MODULE': 'proj.settings',
            'DJANGO_CONFIGURATION': 'Prod', 'ALLOWED_HOSTS': '*', 'X': '',
        }),
        settings_patterns=('*.py',),
        dev_patterns=('nothing-is-development',),
    ),
    DjsecConfig(deploy_settings=('proj.settings.production', 'proj/settings.py')),
)
#: A settings module's opening, so that any program after it is deployment settings.
SETTINGS_HEAD: Final = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\n'
#: Words without which the code rules skip a file.
CODE_HEAD: Final = (
    'from django.contrib import admin\n'
    'from django.urls import path\n'
    'from django.utils.safestring import mark_safe\n'
    'from django.views.decorators.csrf import csrf_exempt\n'
)


def _examples(count: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(
        max_examples=count * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _strict_internal(name: str, error: BaseException) -> analysis.Report:
    """Stand-in for the DJS000 catch-all: re-raise whatever a guarded step raised."""
    raise error


def _analyse(tree: ast.Module, filename: str, source: str | None, config: DjsecConfig) -> list[str]:
    """The full pipeline with the catch-all re-raising; a fresh run each call."""
    fresh = dataclasses.replace(config)  # a new configuration object is a new run
    with mock.patch.object(analysis, '_internal', _strict_internal):
        reports = analysis.analyse(tree, filename, source, fresh)
    messages = [report.message for report in reports]
    assert not [message for message in messages if message.startswith('DJS000')]
    return messages


def _parsed(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        assume(False)
        raise  # unreachable: assume(False) raises


class _Workspace:
    """A fresh folder per example, so that no cache keyed by path sees an older example."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._count = 0

    def write(self, files: dict[str, str]) -> Path:
        self._count += 1
        folder = self._root / str(self._count)
        for relative, content in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding='utf-8')
        return folder


@pytest.fixture(scope='module')
def workspace(tmp_path_factory: pytest.TempPathFactory) -> _Workspace:
    return _Workspace(tmp_path_factory.mktemp('generated'))


def _every_role(program: str, config: DjsecConfig, workspace: _Workspace) -> None:
    """Lint a program in every role the plugin distinguishes."""
    tree = _parsed(program)
    folder = workspace.write({
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/production.py': 'from .base import *  # noqa\n' + program,
        'proj/settings/base.py': program,
        'proj/settings/staging.py': 'from .base import *  # noqa\nDEBUG = False\n',
    })
    settings_dir = folder / 'proj' / 'settings'
    # As a deployment module alone, read from nowhere (its folder does not exist).
    _analyse(tree, str(folder / 'alone' / 'settings.py'), program, config)
    # As a settings module with siblings on disk, and as the sibling others star-import.
    for name in ('production.py', 'base.py', 'staging.py'):
        path = settings_dir / name
        source = path.read_text(encoding='utf-8')
        _analyse(_parsed(source), str(path), source, config)
    # As an editor's buffer that differs from the file on disk.
    _analyse(tree, str(settings_dir / 'staging.py'), program, config)
    # Settings by content, then URLconf, views and a nameless buffer; code rules forced.
    with_head = SETTINGS_HEAD + CODE_HEAD + program
    _analyse(_parsed(with_head), str(folder / 'conf.py'), with_head, config)
    for role in ('proj/urls.py', 'shop/views.py', 'stdin'):
        _analyse(tree, role if role == 'stdin' else str(folder / role), None, config)
        _analyse(tree, role if role == 'stdin' else str(folder / role), program, config)
    # As the body of a django-configurations class.
    klass = (
        'from configurations import Configuration, values\n'
        'class Prod(Configuration):\n    INSTALLED_APPS = []\n{0}\n'
    ).format(textwrap.indent(program, '    '))
    try:
        class_tree = ast.parse(klass)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # a program that does not parse indented (a continued string, say)
    _analyse(class_tree, str(folder / 'proj' / 'settings.py'), klass, config)


@pytest.mark.parametrize(('name', 'strategy', 'count'), [
    ('hypothesmith.from_grammar()', hypothesmith.from_grammar(), 100),
    ('hypothesmith.from_node()', hypothesmith.from_node(), 20),
])
def test_hypothesmith_programs(
    name: str, strategy: st.SearchStrategy[str], count: int, workspace: _Workspace,
) -> None:
    """hypothesmith programs in every role, under every configuration: nothing raises."""

    @_examples(count)
    @given(program=strategy, config=st.sampled_from(CONFIGS))
    def check(program: str, config: DjsecConfig) -> None:
        GENERATED[name] += 1
        _every_role(program, config, workspace)

    check()
    _record(name, 'in 12 roles')
    assert GENERATED[name] >= count * SCALE // 2


# Random expressions over the names, calls and values settings modules use.
_NAMES: Final = (
    'os', 'env', 'config', 'values', 'environ', 'DEBUG', 'SECRET_KEY', 'BASE_DIR', 'MIDDLEWARE',
    'INSTALLED_APPS', 'ALLOWED_HOSTS', 'x', 'Path', 'str', 'bool', 'int', 'list', 'dict', 'tuple',
    'set', 'len', 'getattr', 'globals', 'locals', 'vars', 'super', '__file__', '__name__', 'CSP',
    'True', 'None', 'request', 'self', 'sorted', 'map', 'range', 'open', 'print', 'type',
)
_CALLEES: Final = (
    'os.environ.get', 'os.getenv', 'os.environ.setdefault', 'os.path.join', 'env', 'env.bool',
    'env.str', 'env.int', 'env.list', 'env.db', 'environ.Env', 'config', 'values.Value',
    'values.BooleanValue', 'values.SecretValue', 'values.ListValue', 'str', 'bool', 'int',
    'list', 'dict', 'tuple', 'set', 'frozenset', 'len', 'sorted', 'getattr', 'range', 'map',
    'mark_safe', 'format_html', 'path', 're_path', 'include', 'csrf_exempt', 'Path',
    'Path(__file__).resolve', '"{}".format', '", ".join', '"a b".split', 'x.copy', 'f', 'lambda: 1',
    'RawSQL', 'cursor.execute', 'Model.objects.raw', 'Model.objects.extra', 'super',
)
_STRINGS: Final = (
    '', '*', '.example.com', 'django.middleware.security.SecurityMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware', 'django.contrib.sessions', "'unsafe-inline'",
    "'self'", 'http://', 'https://*.example.com', 'django-insecure-x', 'k' * 60, '%s', '{}',
    '{0!r:>{1}}', 'SELECT * FROM t WHERE id = %s', 'admin/', '<b>%s</b>', 'DEBUG', 'True',
    'False', 'Lax', 'None', 'SAMEORIGIN', 'default-src', 'script-src', 'same-origin',
    'django.contrib.auth.hashers.MD5PasswordHasher', '\x00', '\udcff', 'é',
)
_ATTRIBUTES: Final = (
    'environ', 'get', 'getenv', 'bool', 'str', 'int', 'list', 'Env', 'BooleanValue', 'Value',
    'join', 'format', 'split', 'parent', 'path', 'copy', 'append', 'SELF', 'NONE', 'UNSAFE_INLINE',
    'resolve', 'upper', 'site', 'urls', 'objects', 'raw', 'execute', '__dict__', '__class__',
)
_BINARY: Final = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift,
    ast.BitOr, ast.BitAnd, ast.BitXor, ast.MatMult,
)
_COMPARE: Final = (ast.Eq, ast.NotEq, ast.Lt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot)


def _expression(text: str) -> ast.expr:
    return ast.parse(text, mode='eval').body


def _load(name: str) -> ast.expr:
    return ast.Name(id=name, ctx=ast.Load())


_constants = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.sampled_from((0, 1, 60, 3600, 31_536_000, 10 ** 20, -1, 2 ** 31)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(_STRINGS),
    st.binary(max_size=8),
    st.just(...),
    st.complex_numbers(allow_nan=False, allow_infinity=False, max_magnitude=10),
).map(lambda value: ast.Constant(value=value))
_leaves = st.one_of(_constants, st.sampled_from(_NAMES).map(_load))
_callees = st.sampled_from(_CALLEES).map(_expression)


def _call(callee: ast.expr, arguments: list[ast.expr], keywords: list[tuple[str | None, ast.expr]]) -> ast.expr:
    return ast.Call(
        func=callee, args=arguments, keywords=[ast.keyword(arg=name, value=value) for name, value in keywords],
    )


def _branches(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    """Every expression kind the evaluator handles, and some it does not."""
    some = st.lists(children, max_size=3)
    keyword = st.tuples(st.sampled_from((None, 'default', 'cast', 'var', 'sep', 'key', 'params')), children)
    target = ast.Name(id='x', ctx=ast.Store())
    return st.one_of(
        st.builds(_call, st.one_of(_callees, children), some, st.lists(keyword, max_size=2)),
        st.builds(lambda value, attr: ast.Attribute(value=value, attr=attr, ctx=ast.Load()),
                  children, st.sampled_from(_ATTRIBUTES)),
        st.builds(lambda left, op, right: ast.BinOp(left=left, op=op(), right=right),
                  children, st.sampled_from(_BINARY), children),
        st.builds(lambda op, items: ast.BoolOp(op=op(), values=items),
                  st.sampled_from((ast.And, ast.Or)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda op, operand: ast.UnaryOp(op=op(), operand=operand),
                  st.sampled_from((ast.Not, ast.USub, ast.UAdd, ast.Invert)), children),
        st.builds(lambda left, pairs: ast.Compare(
            left=left, ops=[op() for op, _ in pairs], comparators=[right for _, right in pairs],
        ), children, st.lists(st.tuples(st.sampled_from(_COMPARE), children), min_size=1, max_size=2)),
        st.builds(lambda test, body, orelse: ast.IfExp(test=test, body=body, orelse=orelse),
                  children, children, children),
        st.builds(lambda items: ast.List(elts=items, ctx=ast.Load()), st.lists(
            st.one_of(children, children.map(lambda node: ast.Starred(value=node, ctx=ast.Load()))), max_size=4,
        )),
        st.builds(lambda items: ast.Tuple(elts=items, ctx=ast.Load()), some),
        st.builds(lambda items: ast.Set(elts=items), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda pairs: ast.Dict(keys=[key for key, _ in pairs], values=[value for _, value in pairs]),
                  st.lists(st.tuples(st.one_of(st.none(), children), children), max_size=4)),
        st.builds(lambda value, key: ast.Subscript(value=value, slice=key, ctx=ast.Load()), children, children),
        st.builds(lambda value, low, high: ast.Subscript(
            value=value, slice=ast.Slice(lower=low, upper=high), ctx=ast.Load(),
        ), children, st.one_of(st.none(), children), st.one_of(st.none(), children)),
        st.builds(lambda text, value, conversion: ast.JoinedStr(values=[
            ast.Constant(value=text), ast.FormattedValue(value=value, conversion=conversion, format_spec=None),
        ]), st.sampled_from(_STRINGS), children, st.sampled_from((-1, 115, 114, 97))),
        st.builds(lambda body: ast.Lambda(args=_no_arguments(), body=body), children),
        st.builds(lambda element, iterable, condition: ast.ListComp(elt=element, generators=[ast.comprehension(
            target=target, iter=iterable, ifs=condition, is_async=0,
        )]), st.one_of(children, st.just(_load('x'))), children, st.lists(children, max_size=1)),
        st.builds(lambda value: ast.NamedExpr(target=target, value=value), children),
    )


def _no_arguments() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])


expressions: Final = st.recursive(_leaves, _branches, max_leaves=12)

#: Statement templates; each ``{}`` takes an expression, ``{name}`` a setting's name.
_STATEMENTS: Final = (
    '{name} = {0}',
    '{name} += {0}',
    '{name} += [{0}]',
    '{name}.append({0})',
    '{name}.insert({0}, {1})',
    '{name}.extend({0})',
    '{name}[{0}] = {1}',
    '{name}, x = {0}',
    '{name} = x = {0}',
    '{name}: {0} = {1}',
    'if {0}:\n    {name} = {1}\nelse:\n    {name} = {2}',
    'if {0}:\n    from .local import *  # noqa\n',
    'try:\n    {name} = {0}\nexcept {1}:\n    {name} = {2}',
    'for x in {0}:\n    {name} = x',
    'while {0}:\n    {name} = {1}\n    break',
    'with {0} as x:\n    {name} = x',
    'del {name}',
    'def f(a={0}):\n    return {1}',
    '{name} = f({0})',
    'globals()[{0}] = {1}',
    'globals().update({0})',
    'locals()["{name}"] = {0}',
    'os.environ.setdefault({0}, {1})',
    'os.environ[{0}] = {1}',
    'import {module}',
    'from {module} import {attribute}',
    'from .base import *  # noqa',
    'include({0}, optional({1}))',
    'MIDDLEWARE = [{0}, "django.middleware.security.SecurityMiddleware", *{1}]',
    'MIDDLEWARE += ({0},)',
    'MIDDLEWARE.insert({0}, "django.middleware.csrf.CsrfViewMiddleware")',
    'INSTALLED_APPS = [*INSTALLED_APPS, {0}]',
    'SECRET_KEY = {0}',
    'SECRET_KEY_FALLBACKS = [{0}, {1}]',
    'DEBUG = {0}',
    'ALLOWED_HOSTS = {0}',
    'SECURE_HSTS_SECONDS = {0}',
    'SECURE_PROXY_SSL_HEADER = ({0}, {1})',
    'SECURE_CSP = {{"default-src": [{0}], {1}: {2}}}',
    'SECURE_CSP_REPORT_ONLY = {{{0}: {1}}}',
    'CONTENT_SECURITY_POLICY = {{"DIRECTIVES": {{"script-src": {0}}}, "EXCLUDE_URL_PREFIXES": {1}}}',
    'CSP_DEFAULT_SRC = {0}',
    'CSP_SCRIPT_SRC = ({0}, CSP.SELF)',
    'TEMPLATES = [{{"BACKEND": {0}, "OPTIONS": {{"context_processors": [{1}], "debug": {2}}}}}]',
    'DATABASES = {{"default": {{"ENGINE": {0}, "PASSWORD": {1}}}}}',
    'PASSWORD_HASHERS = [{0}]',
    'AUTH_PASSWORD_VALIDATORS = [{{"NAME": {0}, "OPTIONS": {1}}}]',
    'CORS_ALLOWED_ORIGIN_REGEXES = [{0}]',
    'CSRF_TRUSTED_ORIGINS = {0}',
    'SESSION_COOKIE_SAMESITE = {0}',
    'class Prod(Configuration):\n    DEBUG = {0}\n    SECRET_KEY = {1}\n    MIDDLEWARE = [{2}]',
    'class Prod({0}):\n    {name} = {1}',
    'urlpatterns = [path({0}, {1}), re_path({2}, include({0}))]',
    'urlpatterns += [path("admin/", admin.site.urls), path({0}, admin.site.urls)]',
    'SHOWN = mark_safe({0})',
    'SHOWN = mark_safe({0} % {1})',
    'SHOWN = format_html({0}, {1})',
    'cursor.execute({0}, {1})',
    'cursor.execute({0} % {1})',
    'Model.objects.raw({0})',
    'Model.objects.extra(where=[{0}], params={1})',
    'RawSQL({0}, [])',
    '@csrf_exempt\ndef view(request):\n    return {0}',
    'exempt = csrf_exempt({0})',
    'view = {0}(csrf_exempt(f))',
)
_SETTING_NAMES: Final = (
    'DEBUG', 'SECRET_KEY', 'ALLOWED_HOSTS', 'MIDDLEWARE', 'INSTALLED_APPS', 'SECURE_CSP',
    'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',
    'X_FRAME_OPTIONS', 'TEMPLATES', 'DATABASES', 'PASSWORD_HASHERS', 'CSP_DEFAULT_SRC',
    'CONTENT_SECURITY_POLICY', 'CORS_ALLOW_ALL_ORIGINS', 'SECURE_REFERRER_POLICY', 'x', 'env',
)
_MODULES: Final = ('os', 'environ', 'configurations', 'decouple', 'django.utils.csp', 'split_settings.tools')
_IMPORTED: Final = ('*', 'config', 'values', 'Configuration', 'CSP', 'include, optional', 'Csv')


def settings_modules(pool: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Settings-like modules: imports, then statements with expressions drawn from ``pool``."""

    @st.composite
    def statement(draw: st.DrawFn) -> str:
        template = draw(st.sampled_from(_STATEMENTS))
        return template.format(
            *[draw(pool) for _ in range(3)],
            name=draw(st.sampled_from(_SETTING_NAMES)),
            module=draw(st.sampled_from(_MODULES)),
            attribute=draw(st.sampled_from(_IMPORTED)),
        )

    @st.composite
    def module(draw: st.DrawFn) -> str:
        statements = draw(st.lists(statement(), min_size=1, max_size=12))
        head = draw(st.sampled_from(_HEADS))
        return head + CODE_HEAD + SETTINGS_HEAD + '\n'.join(statements) + '\n'

    return module()


_HEADS: Final = (
    'import os\n',
    'import os\nimport environ\nenv = environ.Env()\n',
    'from decouple import config, Csv\n',
    'from configurations import Configuration, values\n',
    'from django.utils.csp import CSP\nfrom split_settings.tools import include, optional\n',
)


def _unparsed(node: ast.expr) -> str:
    try:
        return ast.unparse(ast.fix_missing_locations(node))
    except ValueError:  # before 3.12, a backslash in an f-string's expression cannot be written
        return 'None'


def _hypothesmith_expressions(program: str) -> list[str]:
    """The expressions of a hypothesmith program, as source text (small ones only)."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and not isinstance(node, (ast.Starred, ast.Slice)):
            try:
                found.append('({0})'.format(ast.unparse(node)))
            except (ValueError, RecursionError):
                continue
    return found[:40]


_random_expressions = expressions.map(_unparsed).map('({0})'.format)
_grammar_expressions = hypothesmith.from_grammar().map(_hypothesmith_expressions).filter(bool).flatmap(
    lambda found: st.lists(st.sampled_from(found), min_size=1, max_size=3),
)


def _lint_module(module: str, config: DjsecConfig, workspace: _Workspace) -> None:
    tree = _parsed(module)
    folder = workspace.write({
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': module,
        'proj/settings/production.py': 'from .base import *  # noqa\nDEBUG = False\n',
    })
    for path in (folder / 'proj' / 'settings' / 'base.py', folder / 'proj' / 'settings' / 'production.py'):
        source = path.read_text(encoding='utf-8')
        _analyse(_parsed(source), str(path), source, config)
    for role in ('proj/settings.py', 'proj/urls.py', 'shop/views.py', 'stdin'):
        _analyse(tree, role if role == 'stdin' else str(folder / role), module, config)


def test_random_settings_modules(workspace: _Workspace) -> None:
    """Random ASTs spliced into settings, URLconf and view templates: nothing raises."""
    name = 'random settings modules'

    @_examples(300)
    @given(module=settings_modules(_random_expressions), config=st.sampled_from(CONFIGS))
    def check(module: str, config: DjsecConfig) -> None:
        GENERATED[name] += 1
        _lint_module(module, config, workspace)

    check()
    _record(name, 'in 6 roles')
    assert GENERATED[name] >= 150 * SCALE


def test_hypothesmith_expressions_in_settings(workspace: _Workspace) -> None:
    """Expressions of hypothesmith programs spliced into the same templates: nothing raises."""
    name = 'hypothesmith expressions in settings templates'

    @_examples(30)
    @given(
        pool=_grammar_expressions,
        module=st.data(),
        config=st.sampled_from(CONFIGS),
    )
    def check(pool: list[str], module: st.DataObject, config: DjsecConfig) -> None:
        GENERATED[name] += 1
        _lint_module(module.draw(settings_modules(st.sampled_from(pool))), config, workspace)

    check()
    _record(name, 'in 6 roles')
    assert GENERATED[name] >= 10 * SCALE


def test_strict_stand_in_really_raises() -> None:
    """The re-raising stand-in turns a failing rule into a failing example, not a DJS000."""
    tree = ast.parse('INSTALLED_APPS = []\nDEBUG = True\n')

    def failing(*arguments: object) -> Iterator[object]:
        raise ZeroDivisionError('planted')
        yield  # a generator, as the rules are

    with mock.patch.object(analysis.presets, 'SETTINGS_RULES', (failing,)):
        with pytest.raises(ZeroDivisionError, match='planted'):
            _analyse(tree, 'proj/settings.py', None, DjsecConfig())
