"""Unit tests per rule, fixture style.

Each file in ``tests/fixtures/rules/`` is a small Django module named ``DJSxxx_insecure*.py``
or ``DJSxxx_secure*.py``. A comment ``# expect: DJS101, DJS102`` marks the line where each
finding must be reported (findings about a missing setting go on line 1). The comparison is
exact and covers *every* code: the set of ``(line, code)`` the pipeline reports must equal
the set the comments declare, so a secure fixture also proves that nothing else fires.

The file is linted under a settings-like name (``proj/settings.py``) unless it says
``# lint-as: some/path.py`` (code fixtures, development settings).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from flake8_djsec import presets
from flake8_djsec.analysis import analyse
from flake8_djsec.checker import plugin_reports
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.violations import CATALOGUE
from tests.conftest import lint

FIXTURES: Final = Path(__file__).parent / 'fixtures' / 'rules'
DEFAULT_PATH: Final = 'proj/settings.py'

_NAME: Final = re.compile(r'^(DJS\d{3})_(insecure|secure)(?:_\w+)?\.py$')
_EXPECT: Final = re.compile(r'#\s*expect:\s*(DJS\d{3}(?:\s*,\s*DJS\d{3})*)')
_LINT_AS: Final = re.compile(r'^#\s*lint-as:\s*(\S+)\s*$')
_CODE: Final = re.compile(r'DJS\d{3}')

Expected = set[tuple[int, str]]

#: Fixtures whose expectation disagrees with the rules today: a suspected bug, listed in the
#: report, kept as a strict xfail so a fix is noticed.
KNOWN_BUGS: Final[dict[str, str]] = {
}


def fixture_files() -> list[Path]:
    """Return every fixture, sorted by name."""
    return sorted(FIXTURES.glob('DJS*.py'))


def parse_fixture(path: Path) -> tuple[str, str, Expected]:
    """Return the fixture's source, the path to lint it as, and its expected findings."""
    source = path.read_text(encoding='utf-8')
    return (source, *parse_expectations(source))


def parse_expectations(source: str) -> tuple[str, Expected]:
    """Return the path to lint a source as, and the findings its comments expect."""
    lint_as = DEFAULT_PATH
    expected: Expected = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        match = _LINT_AS.match(token.string)
        if match:
            lint_as = match.group(1)
            continue
        match = _EXPECT.search(token.string)
        if match:
            expected.update((line, code) for code in _CODE.findall(match.group(1)))
    return lint_as, expected


def found(source: str, lint_as: str, config: DjsecConfig | None = None) -> Expected:
    """Return ``(line, code)`` of every finding the pipeline reports."""
    lines = source.splitlines(keepends=True)
    reports = plugin_reports(ast.parse(source), lint_as, lines, config or DjsecConfig())
    return {(report.line, report.message.split()[0]) for report in reports}


def _params() -> Iterator[object]:
    for path in fixture_files():
        marks = []
        if path.name in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(reason=KNOWN_BUGS[path.name], strict=True))
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize('path', list(_params()))
def test_fixture(path: Path) -> None:
    """The findings are exactly the ``# expect:`` comments, for every code."""
    source, lint_as, expected = parse_fixture(path)
    assert found(source, lint_as) == expected


@pytest.mark.parametrize('path', fixture_files(), ids=lambda path: path.stem)
def test_fixture_is_well_formed(path: Path) -> None:
    """Names follow the convention; insecure fixtures expect their code, secure ones never."""
    match = _NAME.match(path.name)
    assert match, 'fixture names look like DJS100_insecure.py or DJS100_secure_variant.py'
    code, kind = match.groups()
    _, _, expected = parse_fixture(path)
    codes = {code_ for _, code_ in expected}
    if kind == 'insecure':
        assert code in codes
    else:
        assert code not in codes
    assert 'DJS000' not in codes


IMPLEMENTED: Final = sorted(violation.full_code() for violation in CATALOGUE if violation.code != 0)


@pytest.mark.parametrize('code', IMPLEMENTED)
def test_every_code_has_insecure_and_secure_fixtures(code: str) -> None:
    """Each implemented code has an insecure fixture that fires it and a secure one."""
    names = [path.name for path in fixture_files()]
    insecure = [name for name in names if name.startswith('{0}_insecure'.format(code))]
    secure = [name for name in names if name.startswith('{0}_secure'.format(code))]
    assert insecure, 'no insecure fixture for {0}'.format(code)
    assert secure, 'no secure fixture for {0}'.format(code)
    fired = [
        name for name in insecure
        if name not in KNOWN_BUGS and code in {code_ for _, code_ in _found_fixture(FIXTURES / name)}
    ]
    assert fired, 'no insecure fixture actually fires {0}'.format(code)
    quiet = [
        name for name in secure
        if name not in KNOWN_BUGS and code not in {code_ for _, code_ in _found_fixture(FIXTURES / name)}
    ]
    assert quiet, 'no secure fixture keeps {0} quiet'.format(code)


def _found_fixture(path: Path) -> Expected:
    source, lint_as, _ = parse_fixture(path)
    return found(source, lint_as)


def test_expectation_parser_is_exact() -> None:
    """The parser reads several codes, line 1, and ignores look-alikes in strings."""
    source = (
        '"""Doc."""  # expect: DJS102, DJS104\n'
        'X = "# expect: DJS999"\n'
        'DEBUG = True  # expect: DJS100 (a note)\n'
        '# lint-as: proj/settings/prod.py\n'
    )
    lint_as, expected = parse_expectations(source)
    assert lint_as == 'proj/settings/prod.py'
    assert expected == {(1, 'DJS102'), (1, 'DJS104'), (3, 'DJS100')}


# --- traps from RULES.md / DESIGN.md, spelled out -----------------------------------------

SECURE_BASE: Final = (FIXTURES / 'DJS100_secure.py').read_text(encoding='utf-8')


def variant(*replacements: tuple[str, str]) -> str:
    """Return the secure baseline with exact, single replacements."""
    source = SECURE_BASE
    for old, new in replacements:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


def line_of(source: str, text: str) -> int:
    """Return the 1-based line holding a text."""
    for number, line in enumerate(source.splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


def test_secure_baseline_reports_nothing() -> None:
    assert found(SECURE_BASE, DEFAULT_PATH) == set()


def test_hsts_include_subdomains_one_is_not_true() -> None:
    source = variant(('SECURE_HSTS_INCLUDE_SUBDOMAINS = True', 'SECURE_HSTS_INCLUDE_SUBDOMAINS = 1'))
    assert found(source, DEFAULT_PATH) == {(line_of(source, 'INCLUDE_SUBDOMAINS = 1'), 'DJS113')}


def test_x_frame_options_lowercase_deny_fires() -> None:
    source = variant(('X_FRAME_OPTIONS = "DENY"', 'X_FRAME_OPTIONS = "deny"'))
    assert found(source, DEFAULT_PATH) == {(line_of(source, 'X_FRAME_OPTIONS'), 'DJS132')}


def test_debug_env_default_false_string_is_truthy() -> None:
    source = variant(('DEBUG = False', 'DEBUG = os.environ.get("DEBUG", "False")'))
    assert found(source, DEFAULT_PATH) == {(line_of(source, 'DEBUG ='), 'DJS100')}
    assert any('(default of environment variable DEBUG)' in line for line in lint(source))


def test_allowed_hosts_split_comma_of_empty_default_is_not_empty() -> None:
    source = variant(('ALLOWED_HOSTS = ["www.example.com"]', 'ALLOWED_HOSTS = os.environ.get("H", "").split(",")'))
    assert found(source, DEFAULT_PATH) == set()


def test_no_hsts_dependents_when_hsts_is_zero() -> None:
    source = variant(
        ('SECURE_HSTS_SECONDS = 31536000', 'SECURE_HSTS_SECONDS = 0'),
        ('SECURE_HSTS_INCLUDE_SUBDOMAINS = True', 'SECURE_HSTS_INCLUDE_SUBDOMAINS = False'),
        ('SECURE_HSTS_PRELOAD = True', 'SECURE_HSTS_PRELOAD = False'),
    )
    assert found(source, DEFAULT_PATH) == {(line_of(source, 'SECURE_HSTS_SECONDS'), 'DJS111')}


def test_no_security_middleware_dependents_without_security_middleware() -> None:
    source = variant(
        ('    "django.middleware.security.SecurityMiddleware",\n', ''),
        ('SECURE_SSL_REDIRECT = True', 'SECURE_SSL_REDIRECT = False\nSECURE_CONTENT_TYPE_NOSNIFF = False'),
        ('SECURE_HSTS_SECONDS = 31536000', 'SECURE_HSTS_SECONDS = 0'),
    )
    assert found(source, DEFAULT_PATH) == {(line_of(source, 'MIDDLEWARE = ['), 'DJS130')}


@pytest.mark.parametrize('value', [
    'os.environ["SECRET_KEY"]',
    'some_function()',
    'get_secret("django")',
])
def test_unknown_secret_key_never_fires(value: str) -> None:
    source = variant(('SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'SECRET_KEY = {0}'.format(value)))
    assert found(source, DEFAULT_PATH) == set()


@pytest.mark.parametrize('value', ['some_function()', 'os.environ["DEBUG"]', 'settings_flag.DEBUG'])
def test_unknown_debug_never_fires(value: str) -> None:
    source = variant(('DEBUG = False', 'DEBUG = {0}'.format(value)))
    assert found(source, DEFAULT_PATH) == set()


INSECURE_EVERYTHING: Final = '''\
DEBUG = True
SECRET_KEY = "django-insecure-abc"
ALLOWED_HOSTS = []
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
ROOT_URLCONF = "proj.urls"
DATABASES = {"default": {"PASSWORD": "postgres"}}
SESSION_COOKIE_SECURE = False
SECURE_BROWSER_XSS_FILTER = True
CSRF_TRUSTED_ORIGINS = ["http://dev.example.com", "example.com"]
CORS_ALLOW_ALL_ORIGINS = True
'''


@pytest.mark.parametrize('lint_as', [
    'proj/settings/dev.py',
    'proj/settings/local.py',
    'local_settings.py',
    'settings_test.py',
    'proj/settings/test.py',
    'proj/settings/ci.py',
])
def test_development_settings_report_nothing(lint_as: str) -> None:
    assert found(INSECURE_EVERYTHING, lint_as) == set()


def test_same_module_as_deployment_settings_reports() -> None:
    """The control for the test above: the same text under a deployment name does fire."""
    codes = {code for _, code in found(INSECURE_EVERYTHING, 'proj/settings/production.py')}
    assert {'DJS100', 'DJS101', 'DJS102', 'DJS104', 'DJS106', 'DJS115', 'DJS138'} <= codes


def test_failing_rule_yields_djs000_and_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(settings: object, config: object) -> Iterator[object]:
        raise RuntimeError('boom')
        yield  # pragma: no cover - a generator, like the real rules

    rules = list(presets.SETTINGS_RULES)
    index = next(number for number, rule in enumerate(rules) if rule.__name__ == 'check_ssl_redirect')
    broken.__name__ = 'check_ssl_redirect'
    rules[index] = broken
    monkeypatch.setattr(presets, 'SETTINGS_RULES', tuple(rules))
    source = variant(('DEBUG = False', 'DEBUG = True'))
    lines = lint(source)
    assert found(source, DEFAULT_PATH) == {(1, 'DJS000'), (line_of(source, 'DEBUG = True'), 'DJS100')}
    internal = [line for line in lines if 'DJS000' in line]
    assert internal == [
        "1:1: DJS000 internal error in check_ssl_redirect: RuntimeError('boom'); "
        'please report it (traceback on stderr)',
    ]


def test_failing_rule_raising_on_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that raises before yielding (a plain function) is caught the same way."""
    def broken(settings: object, config: object) -> list[object]:
        raise KeyError('MIDDLEWARE')

    rules = (broken, *presets.SETTINGS_RULES)
    monkeypatch.setattr(presets, 'SETTINGS_RULES', rules)
    source = variant(('SECURE_HSTS_PRELOAD = True', 'SECURE_HSTS_PRELOAD = False'))
    assert found(source, DEFAULT_PATH) == {(1, 'DJS000'), (line_of(source, 'SECURE_HSTS_PRELOAD'), 'DJS114')}


def test_linting_never_executes_the_module(tmp_path: Path) -> None:
    target = tmp_path / 'pwned'
    source = variant(
        ('DEBUG = False', 'DEBUG = False\nopen({0!r}, "w").write("x")\n'
         'exec("open({0!r}, \'w\').write(\'x\')")\n'
         '__import__("pathlib").Path({0!r}).write_text("x")'.format(str(target))),
    )
    found(source, DEFAULT_PATH)
    found(source, 'proj/settings/dev.py')
    found(source, 'proj/views.py')
    assert not target.exists()


# --- exact messages --------------------------------------------------------------------------

@pytest.mark.parametrize(('replacement', 'message'), [
    (
        ('DEBUG = False', 'DEBUG = True'),
        '4:1: DJS100 DEBUG is True in deployment settings; set DEBUG = False',
    ),
    (
        ('DEBUG = False', 'DEBUG = os.environ.get("DEBUG", "False")'),
        "4:1: DJS100 DEBUG is 'False' in deployment settings (default of environment variable DEBUG); "
        'set DEBUG = False',
    ),
    (
        ('ALLOWED_HOSTS = ["www.example.com"]', 'ALLOWED_HOSTS = os.environ.get("H", "").split()'),
        '6:1: DJS104 ALLOWED_HOSTS is empty in deployment settings (default of environment variable H); '
        'list the host names the site serves',
    ),
    (
        ('SECURE_HSTS_SECONDS = 31536000', 'SECURE_HSTS_SECONDS = 3600'),
        '49:1: DJS112 SECURE_HSTS_SECONDS is 3600 (1 hour); use at least 31536000',
    ),
    (
        ('SECURE_HSTS_INCLUDE_SUBDOMAINS = True', 'SECURE_HSTS_INCLUDE_SUBDOMAINS = 1'),
        '50:1: DJS113 SECURE_HSTS_INCLUDE_SUBDOMAINS is 1; set it to True',
    ),
    (
        ('X_FRAME_OPTIONS = "DENY"', 'X_FRAME_OPTIONS = "deny"'),
        "54:1: DJS132 X_FRAME_OPTIONS is 'deny'; set it to 'DENY'",
    ),
    (
        ('    "django.middleware.security.SecurityMiddleware",\n', ''),
        "20:1: DJS130 MIDDLEWARE lacks 'django.middleware.security.SecurityMiddleware'; add it first",
    ),
    (
        ('    "django.middleware.csrf.CsrfViewMiddleware",\n', ''),
        "20:1: DJS121 MIDDLEWARE lacks 'django.middleware.csrf.CsrfViewMiddleware'; add it",
    ),
    (
        ('X_FRAME_OPTIONS = "DENY"', 'X_FRAME_OPTIONS = "DENY"\nCSRF_TRUSTED_ORIGINS = ["example.com"]'),
        "55:1: DJS126 CSRF_TRUSTED_ORIGINS entry 'example.com' has no scheme; "
        "write it as 'https://example.com'",
    ),
    (
        ('SECURE_HSTS_PRELOAD = True\n', ''),
        "1:1: DJS114 SECURE_HSTS_PRELOAD is False (Django's default); set it to True",
    ),
    (
        ('    "defender",\n', ''),
        '8:1: DJS151 django.contrib.auth is installed and no login brute-force protection is on; '
        'install and wire django-axes or django-defender',
    ),
    (
        ('X_FRAME_OPTIONS = "DENY"', 'X_FRAME_OPTIONS = "DENY"\nINSTALLED_APPS += ["axes"]\nMIDDLEWARE += ["axes.middleware.AxesMiddleware"]'),
        "1:1: DJS152 django-axes is installed but not wired: add 'axes.backends.AxesStandaloneBackend' "
        'first to AUTHENTICATION_BACKENDS',
    ),
    (
        ('X_FRAME_OPTIONS = "DENY"', 'X_FRAME_OPTIONS = "DENY"\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.UnsaltedMD5PasswordHasher"]'),
        "55:1: DJS153 PASSWORD_HASHERS starts with 'UnsaltedMD5PasswordHasher' (unsalted MD5); "
        'put Argon2PasswordHasher, ScryptPasswordHasher or PBKDF2PasswordHasher first',
    ),
    (
        ('AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]', 'AUTH_PASSWORD_VALIDATORS = ()'),
        '18:1: DJS154 AUTH_PASSWORD_VALIDATORS is empty: any password is accepted; add Django\'s validators',
    ),
])
def test_exact_message(replacement: tuple[str, str], message: str) -> None:
    assert lint(variant(replacement)) == [message]


def test_exact_message_code_rules() -> None:
    urls = (FIXTURES / 'DJS150_insecure.py').read_text(encoding='utf-8')
    assert lint(urls, 'proj/urls.py') == [
        "7:5: DJS150 admin site mounted at the default URL 'admin/'; mount it at a path of your own",
    ]
    views = (FIXTURES / 'DJS122_insecure.py').read_text(encoding='utf-8')
    messages = lint(views, 'payments/views.py')
    assert [message.split(' ', 2)[:2] for message in messages] == [
        ['11:2:', 'DJS122'], ['21:19:', 'DJS122'], ['24:19:', 'DJS122'],
    ]


def test_code_rules_skip_files_without_trigger_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """An ordinary module (no trigger word) is never indexed: code rules cost nothing there."""
    from flake8_djsec import analysis

    def fail(*arguments: object) -> None:
        raise AssertionError('indexed')

    monkeypatch.setattr(analysis, 'build_index', fail)
    ordinary = 'def total(items):\n    return sum(item.price for item in items)\n'
    assert found(ordinary, 'shop/utils.py') == set()
    with_sql = 'def run(cursor, table):\n    cursor.execute(f"DELETE FROM {table}")\n'
    assert found(with_sql, 'shop/utils.py') == {(1, 'DJS000')}


@pytest.mark.parametrize('source', [
    # Each trigger word alone must reach the index: the gate may not hide a rule.
    'from django.utils.safestring import mark_safe\nmark_safe(x)\n',
    'from django.utils.safestring import SafeString\nSafeString(x)\n',
    'Order.objects.raw(f"SELECT * FROM t WHERE a = {x}")\n',
    'cursor.execute(f"SELECT * FROM t WHERE a = {x}")\n',
    'cursor.executemany(f"DELETE FROM t WHERE a = {x}", rows)\n',
    'Order.objects.extra(where=[f"a = {x}"])\n',
    'from django.db.models import RawSQL\nRawSQL(f"a = {x}", [])\n',
])
def test_every_code_rule_passes_the_trigger_gate(source: str) -> None:
    codes = {code for _, code in found(source, 'app/views.py')}
    assert codes & {'DJS160', 'DJS161'}


def test_admin_gate_needs_the_route_and_the_site_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    """DJS150 passes the gate (route and ``.urls`` in one file); ``admin`` alone is not indexed."""
    urls = (
        'from django.contrib import admin\nfrom django.urls import path\n\n'
        'urlpatterns = [path("admin/", admin.site.urls)]\n'
    )
    assert found(urls, 'proj/urls.py') == {(4, 'DJS150')}
    from flake8_djsec import analysis

    def fail(*arguments: object) -> None:
        raise AssertionError('indexed')

    monkeypatch.setattr(analysis, 'build_index', fail)
    registration = 'from django.contrib import admin\n\nadmin.site.register(Order)\n'
    assert found(registration, 'shop/admin.py') == set()
    assert found(urls, 'proj/urls.py') == {(1, 'DJS000')}


def test_index_walk_is_ast_walk_without_contexts() -> None:
    """The index's own walk visits what ast.walk does, in its order, less Load/Store/Del."""
    from flake8_djsec.logic.nodes import walk

    for path in sorted(FIXTURES.rglob('*.py')):
        tree = ast.parse(path.read_text(encoding='utf-8'))
        expected = [node for node in ast.walk(tree) if not isinstance(node, ast.expr_context)]
        assert [id(node) for node in walk(tree)] == [id(node) for node in expected], path


def test_exact_message_dangerous_code() -> None:
    source = (
        'from django.utils.html import mark_safe as ms\n'
        'def f(request, cursor, name):\n'
        '    html = ms(name)\n'
        '    sql = "SELECT * FROM t WHERE name = \'%s\'" % name\n'
        '    cursor.execute(sql)\n'
    )
    assert lint(source, 'app/views.py') == [
        '3:12: DJS160 mark_safe() on the function argument name: its text is not escaped; '
        'build the HTML with format_html() instead',
        '5:20: DJS161 SQL built by % formatting from the function argument name passed to '
        '.execute(): SQL injection; '
        'keep the SQL a literal and pass the values as parameters',
    ]


@pytest.mark.parametrize('lint_as', [
    'shop/tests/test_views.py', 'shop/tests/helpers.py', 'shop/test_views.py', 'shop/views_tests.py',
    'conftest.py', 'shop/tests.py',
])
def test_code_rules_silent_in_test_code(lint_as: str) -> None:
    """DJS160/DJS161 report nothing in test code (--djsec-test-patterns' defaults)."""
    source = (FIXTURES / 'DJS160_insecure.py').read_text(encoding='utf-8')
    assert found(source, 'shop/templatetags/shop_tags.py')
    assert not found(source, lint_as)
    sql = (FIXTURES / 'DJS161_insecure.py').read_text(encoding='utf-8')
    assert not found(sql, lint_as)


def test_test_patterns_option_replaces_the_defaults() -> None:
    """A configured pattern list is the whole list: tests/ is then reported."""
    source = (FIXTURES / 'DJS160_insecure.py').read_text(encoding='utf-8')
    config = DjsecConfig(test_patterns=('fixtures/',))
    assert found(source, 'shop/tests/test_tags.py', config)
    assert not found(source, 'shop/fixtures/tags.py', config)
