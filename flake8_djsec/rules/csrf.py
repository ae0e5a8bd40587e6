"""DJS120-129: CSRF, cookies, CORS (Django: security.W003, W013-W015, 4_0.E001)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final
from urllib.parse import SplitResult, urlsplit

from flake8_djsec.logic.evaluation.settings import Setting, StaticSettings
from flake8_djsec.logic.evaluation.values import truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import (
    CSRF_MIDDLEWARE,
    Finding,
    finding,
    has_middleware,
    known,
    origin,
    sessions_in_use,
    show,
)
from flake8_djsec.violations import csrf as codes

_LOCAL_HOSTS: Final = frozenset(('localhost', '127.0.0.1', '[::1]', '::1'))
#: Origins no one owns: a regex that accepts both accepts any origin.
_FOREIGN_ORIGINS: Final = ('https://attacker.example', 'http://evil.invalid:8080')
_CORS_ALLOW_ALL: Final = ('CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL')
_CORS_REGEXES: Final = ('CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST')
_CREDENTIALS_SUFFIX: Final = " with CORS_ALLOW_CREDENTIALS on: any site reads your users' data"


def check_session_cookie_httponly(
    settings: StaticSettings,
    config: DjsecConfig,
) -> Iterator[Finding]:
    """DJS120: W013/W014/W015, ``SESSION_COOKIE_HTTPONLY is True`` fails while sessions are used."""
    cookie = settings['SESSION_COOKIE_HTTPONLY']
    if known(cookie) and cookie.value is not True and sessions_in_use(settings):
        yield finding(codes.SessionCookieHttpOnlyViolation, cookie)


def check_csrf_middleware(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS121: W003, CsrfViewMiddleware is not in MIDDLEWARE."""
    if has_middleware(settings, CSRF_MIDDLEWARE) is False:
        yield finding(codes.CsrfMiddlewareMissingViolation, settings['MIDDLEWARE'])


def check_samesite(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS123: a cookie's SameSite attribute is off."""
    for name in ('SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE'):
        cookie = settings[name]
        if _samesite_off(cookie.value):
            yield finding(codes.SameSiteNoneViolation, cookie, setting=name)


def check_trusted_origins(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS124 (plain-HTTP or match-all origins) and DJS126 (4_0.E001, no scheme)."""
    trusted = settings['CSRF_TRUSTED_ORIGINS']
    if trusted.assigned and isinstance(trusted.value, str) and trusted.value:
        yield _string_origins(trusted)
        return
    if not trusted.assigned or not isinstance(trusted.value, (list, tuple, set, frozenset)):
        return
    for entry in sorted(item for item in trusted.value if isinstance(item, str)):
        yield from _entry_findings(trusted, entry)


def _entry_findings(trusted: Setting, entry: str) -> Iterator[Finding]:
    """DJS126 for an entry without a scheme, else DJS124 for an insecure one."""
    if '://' not in entry:
        yield _no_scheme(trusted, show(entry), entry.lstrip('*.') or 'example.com')
        return
    problem = _origin_problem(entry)
    if problem:
        yield Finding(codes.InsecureTrustedOriginViolation, trusted.name, {
            'entry': show(entry), 'problem': problem, 'origin': origin(trusted),
        })


def _string_origins(trusted: Setting) -> Finding:
    """Django iterates a string: each character is an "origin" without a scheme."""
    text = str(trusted.value)
    return _no_scheme(
        trusted,
        '{0} (the setting is a string, so each character is an entry)'.format(show(text[0])),
        text.split('://', 1)[-1],
    )


def _no_scheme(trusted: Setting, entry: str, host: str) -> Finding:
    return Finding(codes.TrustedOriginSchemeViolation, trusted.name, {
        'entry': entry, 'host': host, 'origin': origin(trusted),
    })


def check_cors(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS125: django-cors-headers accepts every origin."""
    credentials = truth(settings['CORS_ALLOW_CREDENTIALS'].value) is True
    suffix = _CREDENTIALS_SUFFIX if credentials else ''
    for name in _CORS_ALLOW_ALL:
        setting = settings[name]
        if setting.assigned and truth(setting.value) is True:
            yield finding(codes.CorsAllowAllViolation, setting, setting=name, credentials=suffix)
    for name in _CORS_REGEXES:
        setting = settings[name]
        if _allows_any_origin(setting):
            yield finding(codes.CorsAllowAllViolation, setting, setting=name, credentials=suffix)


def _samesite_off(cookie_samesite: object) -> bool:
    if cookie_samesite is None:
        return True
    return isinstance(cookie_samesite, str) and cookie_samesite.lower() == 'none'


def _allows_any_origin(regexes: Setting) -> bool:
    """Tell whether an origin regex list accepts origins no one owns."""
    if not regexes.assigned or not isinstance(regexes.value, (list, tuple)):
        return False
    return any(isinstance(regex, str) and _matches_any_origin(regex) for regex in regexes.value)


def _origin_problem(entry: str) -> str:
    try:
        parts, host = _split_origin(entry)
    except ValueError:
        return ''
    netloc = parts.netloc.rsplit('@', 1)[-1]
    bare_host = netloc.split(':')[0]
    if bare_host in {'*', ''} or host == '*':
        return ': every origin'
    if parts.scheme == 'http' and host not in _LOCAL_HOSTS and bare_host not in _LOCAL_HOSTS:
        return ': plain HTTP can be impersonated on the network'
    return ''


def _split_origin(entry: str) -> tuple[SplitResult, str]:
    parts = urlsplit(entry)
    return parts, parts.hostname or ''


def _matches_any_origin(regex: str) -> bool:
    try:
        compiled = re.compile(regex)
    except (re.error, RecursionError, OverflowError):
        return False
    return all(compiled.match(candidate) for candidate in _FOREIGN_ORIGINS)
