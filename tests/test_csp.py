"""CSP rules DJS140-DJS147 beyond the fixtures: versions, django-csp < 4.0, parsing, W027, flake8."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Final

import pytest

from flake8_djsec.logic import csp
from flake8_djsec.options.config import DjsecConfig, OptionError, parse_django_csp_version
from flake8_djsec.rules.csp import CSP_CONTEXT_PROCESSOR
from tests.conftest import codes, lint, run_flake8
from tests.test_rules import FIXTURES, line_of

SECURE: Final = (FIXTURES / 'DJS100_secure.py').read_text(encoding='utf-8')
DJANGO_MIDDLEWARE: Final = '    "django.middleware.csp.ContentSecurityPolicyMiddleware",\n'
DJANGO_CSP_MIDDLEWARE: Final = '    "csp.middleware.CSPMiddleware",\n'
POLICY: Final = SECURE[SECURE.index('SECURE_CSP = {'):SECURE.index('}\n', SECURE.index('SECURE_CSP = {')) + 2]


def settings(policy: str, middleware: str = DJANGO_MIDDLEWARE) -> str:
    """The secure baseline with its CSP middleware and policy replaced."""
    assert SECURE.count(DJANGO_MIDDLEWARE) == 1
    assert SECURE.count(POLICY) == 1
    return SECURE.replace(DJANGO_MIDDLEWARE, middleware).replace(POLICY, textwrap.dedent(policy))


def csp_codes(source: str, config: DjsecConfig | None = None) -> set[tuple[int, str]]:
    """``(line, code)`` of the DJS14x findings."""
    return {(line, code) for line, code in codes(source, config=config) if code.startswith('DJS14')}


def version(django: tuple[int, int], django_csp: tuple[int, int] | None = None) -> DjsecConfig:
    return DjsecConfig(django_version=django, django_csp_version=django_csp)


# --- Django versions --------------------------------------------------------------------

NOT_A_DICT: Final = 'SECURE_CSP = "default-src \'self\'"\n'
NONCE_POLICY: Final = '''\
from django.utils.csp import CSP
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
'''


@pytest.mark.parametrize(('series', 'fires'), [((4, 2), False), ((5, 2), False), ((6, 0), True), ((6, 1), True)])
def test_e026_from_django_6_0(series: tuple[int, int], fires: bool) -> None:
    source = settings(NOT_A_DICT)
    found = csp_codes(source, version(series))
    assert ((line_of(source, 'SECURE_CSP ='), 'DJS143') in found) is fires


@pytest.mark.parametrize(('series', 'fires'), [((5, 2), False), ((6, 0), False), ((6, 1), True)])
def test_w027_from_django_6_1(series: tuple[int, int], fires: bool) -> None:
    source = settings(NONCE_POLICY)
    found = csp_codes(source, version(series))
    assert ((line_of(source, 'SECURE_CSP ='), 'DJS144') in found) is fires


def test_django_middleware_before_6_0_is_no_csp() -> None:
    """Django 5.2 has no CSP middleware: the policy is not sent, DJS140 names django-csp."""
    source = settings(POLICY)
    messages = lint(source, config=version((5, 2)))
    assert [message for message in messages if 'DJS14' in message] == [
        "{0}:1: DJS140 no enforced Content Security Policy: MIDDLEWARE has no CSP middleware; "
        "add django-csp's 'csp.middleware.CSPMiddleware' and set CONTENT_SECURITY_POLICY".format(
            line_of(source, 'MIDDLEWARE = ['),
        ),
    ]


def test_e026_mirrors_djangos_condition() -> None:
    """None and dicts pass; any other value, even empty or from an env default, fails."""
    for value, fires in (('None', False), ('{}', False), ('[]', True), ('""', True), ('()', True),
                         ('os.environ.get("CSP", "")', True), ('os.environ["CSP"]', False)):
        source = settings(POLICY + 'SECURE_CSP_REPORT_ONLY = {0}\n'.format(value))
        found = csp_codes(source)
        assert ((line_of(source, 'SECURE_CSP_REPORT_ONLY'), 'DJS143') in found) is fires, value


# --- W027's predicates, value by value -----------------------------------------------

@pytest.mark.parametrize(('policy', 'expected'), [
    ({'script-src': ['<CSP_NONCE_SENTINEL>']}, True),
    ({'script-src': "'self' <CSP_NONCE_SENTINEL>"}, True),  # substring of a string value
    ({'script-src': ('<CSP_NONCE_SENTINEL>',)}, True),
    ({'script-src': {'<CSP_NONCE_SENTINEL>': 1}}, True),  # dict membership: keys
    ({'script-src': ["'self'"], 'upgrade-insecure-requests': True}, False),  # True: TypeError, skipped
    ({'script-src': ["'csp-nonce'"]}, False),
    (['<CSP_NONCE_SENTINEL>'], False),  # no .values(): False
    ("<CSP_NONCE_SENTINEL>", False),
    ({}, False),
])
def test_nonce_in_policy(policy: object, expected: bool) -> None:
    assert csp.nonce_in_policy(policy) is expected


@pytest.mark.parametrize(('templates', 'expected'), [
    ([], False),
    ([{'OPTIONS': {'context_processors': [CSP_CONTEXT_PROCESSOR]}}], True),
    ([{'OPTIONS': {'context_processors': (CSP_CONTEXT_PROCESSOR,)}}], True),
    ([{'OPTIONS': {'context_processors': CSP_CONTEXT_PROCESSOR}}], True),  # substring of a string
    ([{'OPTIONS': {}}], False),
    ([{'BACKEND': 'x'}], False),
    (['not a dict', {'OPTIONS': {'context_processors': [CSP_CONTEXT_PROCESSOR]}}], True),
    ('TEMPLATES', False),  # a string iterates characters, none a dict
    ([{'OPTIONS': None}], None),  # Django raises AttributeError: no W027
    ([{'OPTIONS': {'context_processors': None}}], None),  # TypeError: no W027
    ([{'OPTIONS': {'context_processors': [CSP_CONTEXT_PROCESSOR]}}, {'OPTIONS': None}], True),  # any() stops
    (None, None),  # not iterable: Django raises
])
def test_context_processor_configured(templates: object, expected: bool | None) -> None:
    assert csp.context_processor_configured(templates, CSP_CONTEXT_PROCESSOR) is expected


def test_w027_silent_when_django_would_raise() -> None:
    source = settings(NONCE_POLICY) + 'TEMPLATES = [{"BACKEND": "x", "OPTIONS": None}]\n'
    assert not any(code == 'DJS144' for _, code in codes(source))


def test_w027_undecidable_middleware_is_silent() -> None:
    """The CSP middleware is not among the known entries: Django's ``in`` is undecidable."""
    source = settings(NONCE_POLICY, '    os.environ["EXTRA_MIDDLEWARE"],\n')
    assert not any(code == 'DJS144' for _, code in codes(source))
    listed = settings(NONCE_POLICY, DJANGO_MIDDLEWARE + '    os.environ["EXTRA_MIDDLEWARE"],\n')
    assert any(code == 'DJS144' for _, code in codes(listed))


# --- parsing as a browser does -----------------------------------------------------------

def test_django_policy_renders_and_parses() -> None:
    policy = csp.django_policy({
        'Default-Src': "'self'; script-src *",  # a ';' inside a value starts another directive
        'script-src': ["'unsafe-inline'"],  # a duplicate: ignored by browsers
        'img-src': {"'self'", 'data:'},  # sets are sorted
        'upgrade-insecure-requests': True,
        'frame-src': None,
        'report-to': False,
    }, 'SECURE_CSP')
    assert isinstance(policy, csp.Policy)
    assert {name: directive.sources for name, directive in policy.directives.items()} == {
        'default-src': ("'self'",),
        'script-src': ('*',),
        'img-src': ("'self'", 'data:'),
        'upgrade-insecure-requests': (),
    }


def test_django_csp_policy_keeps_only_known_directives_and_adds_default_src() -> None:
    policy = csp.django_csp_policy({'DIRECTIVES': {'script_src': ['*'], 'script-src': []}}, 'X')
    assert isinstance(policy, csp.Policy)
    # django-csp drops unknown keys, adds default-src 'self', sends an empty list as a bare name.
    assert {name: directive.sources for name, directive in policy.directives.items()} == {
        'default-src': ("'self'",),
        'script-src': (),
    }


@pytest.mark.parametrize('config', [
    {'script-src': ["'self'", 1]},  # str.join raises on every response
    {'script-src': ['<csp.constants.NONCE>']},  # django-csp's NONCE object in Django's policy
    ['default-src'],  # not a dict, truthy: the middleware raises
])
def test_django_policy_that_would_raise_is_undecided(config: object) -> None:
    assert csp.django_policy(config, 'SECURE_CSP') is csp.UNDECIDED


def test_empty_or_none_policies_send_no_header() -> None:
    assert csp.django_policy({}, 'SECURE_CSP') is None
    assert csp.django_policy(None, 'SECURE_CSP') is None
    assert csp.django_csp_policy({}, 'X') is None
    assert csp.django_csp_policy({'DIRECTIVES': None}, 'X') is None


# --- fallbacks, nonces, 'strict-dynamic' ---------------------------------------------------

def weaknesses(directives: dict[str, list[str]]) -> list[tuple[str | None, str | None]]:
    policy = csp.django_policy(directives, 'SECURE_CSP')
    assert isinstance(policy, csp.Policy)
    found = [*csp.script_weaknesses(policy), *csp.source_weaknesses(policy)]
    return sorted((weakness.directive, weakness.source) for weakness in found if weakness.directive)


SAFE: Final = {'object-src': ["'none'"], 'base-uri': ["'none'"]}


@pytest.mark.parametrize(('directives', 'expected'), [
    ({'default-src': ["'unsafe-inline'"]}, [('default-src', "'unsafe-inline'")]),
    ({'default-src': ["'unsafe-inline'"], 'script-src': ["'self'"]}, []),
    ({'default-src': ["'self'"], 'script-src': ["'unsafe-inline'", "'nonce-abc'"]}, []),
    ({'default-src': ["'self'"], 'script-src': ["'UNSAFE-INLINE'"]}, [('script-src', "'unsafe-inline'")]),
    ({'default-src': ["'self'"], 'script-src': ["'unsafe-inline'", "'strict-dynamic'"]}, []),
    ({'default-src': ["'self'"], 'script-src-attr': ["'unsafe-inline'"]}, [('script-src-attr', "'unsafe-inline'")]),
    ({'default-src': ["'self'"], 'script-src': ["'nonce-a'", "'unsafe-eval'"]}, [('script-src', "'unsafe-eval'")]),
    ({'default-src': ["'self'"], 'script-src': ['https:']}, [('script-src', 'https:')]),
    ({'default-src': ["'self'"], 'script-src': ['https:', "'nonce-a'", "'strict-dynamic'"]}, []),
    ({'default-src': ['*']}, [('default-src', '*')]),
    ({'default-src': ["'self'"], 'script-src-elem': ['http:']}, [('script-src-elem', 'http:')]),
    ({'default-src': ["'self'"], 'object-src': ['data:'], 'base-uri': ["'none'"]}, [('object-src', 'data:')]),
    ({'default-src': ["'self'"], 'object-src': ["'none'"], 'base-uri': ['https:']}, [('base-uri', 'https:')]),
])
def test_fallbacks(directives: dict[str, list[str]], expected: list[tuple[str, str]]) -> None:
    assert weaknesses({**SAFE, **directives}) == sorted(expected)


def test_object_src_falls_back_to_default_src_but_base_uri_does_not() -> None:
    policy = csp.django_policy({'default-src': ["'self'"]}, 'SECURE_CSP')
    assert isinstance(policy, csp.Policy)
    details = [weakness.detail for weakness in csp.source_weaknesses(policy)]
    assert len(details) == 1
    assert details[0].startswith('has no base-uri')


# --- django-csp before 4.0: CSP_* settings are the policy only there --------------------

LEGACY: Final = '''\
CSP_DEFAULT_SRC = ("'self'",)
CSP_SCRIPT_SRC = ("'self'", "'unsafe-inline'")
CSP_OBJECT_SRC = ("'none'",)
CSP_BASE_URI = ("'none'",)
'''


def test_legacy_settings_are_judged_under_django_csp_3() -> None:
    source = settings(LEGACY, DJANGO_CSP_MIDDLEWARE)
    found = csp_codes(source, version((6, 1), (3, 8)))
    script = line_of(source, 'CSP_SCRIPT_SRC')
    assert found == {(script, 'DJS141')}  # the series reads them: no DJS145
    assert (script, 'DJS145') in csp_codes(source, version((6, 1), (4, 0)))
    assert any('DJS141 CSP_SCRIPT_SRC allows' in line for line in lint(source, config=version((6, 1), (3, 8))))


def test_legacy_nonce_in_script_src_neutralises_unsafe_inline() -> None:
    source = settings(LEGACY + 'CSP_INCLUDE_NONCE_IN = ["script-src"]\n', DJANGO_CSP_MIDDLEWARE)
    assert 'DJS141' not in {code for _, code in csp_codes(source, version((6, 1), (3, 8)))}


def test_legacy_default_nonce_goes_to_default_src_only() -> None:
    """django-csp < 4.0 puts the nonce in default-src by default: script-src stays unsafe."""
    source = settings(LEGACY, DJANGO_CSP_MIDDLEWARE)
    assert (line_of(source, 'CSP_SCRIPT_SRC'), 'DJS141') in csp_codes(source, version((6, 1), (3, 8)))


def test_legacy_defaults_alone_send_default_src_self() -> None:
    """With no CSP_* setting django-csp < 4.0 still sends default-src 'self' (no base-uri)."""
    source = settings('', DJANGO_CSP_MIDDLEWARE)
    assert csp_codes(source, version((6, 1), (3, 8))) == {(1, 'DJS142')}
    assert csp_codes(source, version((6, 1), (4, 0))) == {(1, 'DJS140')}
    assert csp_codes(source) == set()  # version unknown: undecidable


def test_legacy_report_only() -> None:
    source = settings(LEGACY + 'CSP_REPORT_ONLY = True\n', DJANGO_CSP_MIDDLEWARE)
    found = csp_codes(source, version((6, 1), (3, 8)))
    assert (line_of(source, 'CSP_REPORT_ONLY'), 'DJS146') in found
    assert not {code for _, code in found} & {'DJS140', 'DJS141', 'DJS142'}


def test_legacy_settings_under_django_csp_4_are_no_policy() -> None:
    source = settings(LEGACY, DJANGO_CSP_MIDDLEWARE)
    found = csp_codes(source, version((6, 1), (4, 0)))
    assert (1, 'DJS140') in found
    assert 'DJS141' not in {code for _, code in found}


def test_legacy_exclude_every_path() -> None:
    source = settings(LEGACY + 'CSP_EXCLUDE_URL_PREFIXES = ("/",)\n', DJANGO_CSP_MIDDLEWARE)
    found = csp_codes(source, version((6, 1), (3, 8)))
    assert (line_of(source, 'CSP_DEFAULT_SRC'), 'DJS140') in found
    # A string prefix is used as one prefix by django-csp < 4.0: "/admin" exempts only /admin.
    source = settings(LEGACY + 'CSP_EXCLUDE_URL_PREFIXES = "/admin"\n', DJANGO_CSP_MIDDLEWARE)
    assert 'DJS140' not in {code for _, code in csp_codes(source, version((6, 1), (3, 8)))}


def test_exclude_prefixes_string_is_not_e002_before_django_csp_4() -> None:
    source = (FIXTURES / 'DJS147_insecure.py').read_text(encoding='utf-8')
    assert 'DJS147' in {code for _, code in codes(source)}
    assert 'DJS147' not in {code for _, code in codes(source, config=version((6, 1), (3, 8)))}


def test_option_parses_the_series() -> None:
    assert parse_django_csp_version('3.8') == (3, 8)
    assert parse_django_csp_version(' 4.0.1 ') == (4, 0)
    with pytest.raises(OptionError, match='--djsec-django-csp-version expects X.Y'):
        parse_django_csp_version('four')


# --- providers side by side ------------------------------------------------------------------

def test_later_middleware_sets_the_header() -> None:
    """Both middleware listed: the later one answers first and the other keeps its header."""
    source = settings(
        POLICY + 'CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["*"], "base-uri": ["\'none\'"]}}\n',
        DJANGO_MIDDLEWARE + DJANGO_CSP_MIDDLEWARE,
    )
    line = line_of(source, 'CONTENT_SECURITY_POLICY')
    assert csp_codes(source) == {(line, 'DJS142')}
    reordered = source.replace(DJANGO_MIDDLEWARE + DJANGO_CSP_MIDDLEWARE, DJANGO_CSP_MIDDLEWARE + DJANGO_MIDDLEWARE)
    assert csp_codes(reordered) == set()


# --- end to end through flake8 ----------------------------------------------------------------

BASE_SETTINGS: Final = '''\
import os
from django.utils.csp import CSP

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]
PERMISSIONS_POLICY = {"camera": []}
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "object-src": [CSP.NONE],
}
'''
PRODUCTION_SETTINGS: Final = '''\
from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
'''


def test_split_settings_report_the_policy_in_base(project) -> None:  # type: ignore[no-untyped-def]
    """The policy written in base.py is judged for production and reported at its line there."""
    root = project({
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': BASE_SETTINGS,
        'proj/settings/production.py': PRODUCTION_SETTINGS,
        'proj/settings/local.py': 'from .base import *  # noqa: F403\nSECURE_CSP = {}\n',
    })
    result = run_flake8(['--select=DJS14', 'proj'], root)
    assert sorted(result.stdout.splitlines()) == [
        "proj/settings/base.py:12:1: DJS141 SECURE_CSP allows 'unsafe-inline' for scripts in "
        'script-src: inline scripts and event handlers run',
        'proj/settings/base.py:12:1: DJS142 SECURE_CSP has no base-uri (it never falls back to '
        "default-src): an injected <base> tag redirects relative script URLs; set base-uri 'none' "
        "or 'self'",
    ]


def test_django_version_option_end_to_end(project) -> None:  # type: ignore[no-untyped-def]
    """Under Django 5.2 Django's CSP middleware does not exist: no policy, DJS140 instead."""
    root = project({'proj/settings.py': BASE_SETTINGS + PRODUCTION_SETTINGS.split('\n', 2)[2]})
    result = run_flake8(['--select=DJS14', '--djsec-django-version=5.2', 'proj/settings.py'], root)
    assert [line.split()[1] for line in result.stdout.splitlines()] == ['DJS140']


def test_django_csp_version_option_end_to_end(project) -> None:  # type: ignore[no-untyped-def]
    """``--djsec-django-csp-version`` makes django-csp < 4.0 settings the judged policy."""
    legacy = BASE_SETTINGS.replace(
        '"django.middleware.csp.ContentSecurityPolicyMiddleware"', '"csp.middleware.CSPMiddleware"',
    ).split('SECURE_CSP')[0] + LEGACY + PRODUCTION_SETTINGS.split('\n', 2)[2]
    root = project({'proj/settings.py': legacy})
    unknown = run_flake8(['--select=DJS14', 'proj/settings.py'], root)
    assert {line.split()[1] for line in unknown.stdout.splitlines()} == {'DJS145'}
    old = run_flake8(['--select=DJS14', '--djsec-django-csp-version=3.8', 'proj/settings.py'], root)
    assert {line.split()[1] for line in old.stdout.splitlines()} == {'DJS141'}
    bad = run_flake8(['--djsec-django-csp-version=x', 'proj/settings.py'], root)
    assert bad.returncode == 2
    assert '--djsec-django-csp-version expects X.Y' in bad.stderr


def test_option_is_in_the_help(tmp_path: Path) -> None:
    assert '--djsec-django-csp-version' in run_flake8(['--help'], tmp_path).stdout
