"""DJS120-129: CSRF, cookies, CORS (Django: security.W003, W013-W015, 4_0.E001)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

from flake8_djsec.logic.evaluation.settings import StaticSettings
from flake8_djsec.logic.evaluation.values import truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import CSRF_MIDDLEWARE, Finding, finding, has_middleware, known, origin, show
from flake8_djsec.rules.https import sessions_in_use
from flake8_djsec.violations import csrf as codes

_LOCAL_HOSTS: Final = frozenset(('localhost', '127.0.0.1', '[::1]', '::1'))
#: Origins no one owns: a regex that accepts both accepts any origin.
_FOREIGN_ORIGINS: Final = ('https://attacker.example', 'http://evil.invalid:8080')
_CORS_ALLOW_ALL: Final = ('CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL')
_CORS_REGEXES: Final = ('CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST')


def check_session_cookie_httponly(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
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
        if cookie.value is None or (isinstance(cookie.value, str) and cookie.value.lower() == 'none'):
            yield finding(codes.SameSiteNoneViolation, cookie, setting=name)


def check_trusted_origins(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS124 (plain-HTTP or match-all origins) and DJS126 (4_0.E001, no scheme)."""
    trusted = settings['CSRF_TRUSTED_ORIGINS']
    if not trusted.assigned or not isinstance(trusted.value, (list, tuple, set, frozenset)):
        return
    for entry in sorted(item for item in trusted.value if isinstance(item, str)):
        if '://' not in entry:
            yield Finding(codes.TrustedOriginSchemeViolation, trusted.name, {
                'entry': show(entry), 'host': entry.lstrip('*.') or 'example.com',
                'origin': origin(trusted),
            })
            continue
        problem = _origin_problem(entry)
        if problem:
            yield Finding(codes.InsecureTrustedOriginViolation, trusted.name, {
                'entry': show(entry), 'problem': problem, 'origin': origin(trusted),
            })


def check_cors(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS125: django-cors-headers accepts every origin."""
    credentials = truth(settings['CORS_ALLOW_CREDENTIALS'].value) is True
    suffix = ' with CORS_ALLOW_CREDENTIALS on: any site reads your users\' data' if credentials else ''
    for name in _CORS_ALLOW_ALL:
        setting = settings[name]
        if setting.assigned and truth(setting.value) is True:
            yield finding(codes.CorsAllowAllViolation, setting, setting=name, credentials=suffix)
    for name in _CORS_REGEXES:
        setting = settings[name]
        if not setting.assigned or not isinstance(setting.value, (list, tuple)):
            continue
        if any(isinstance(regex, str) and _matches_any_origin(regex) for regex in setting.value):
            yield finding(codes.CorsAllowAllViolation, setting, setting=name, credentials=suffix)


def _origin_problem(entry: str) -> str:
    try:
        parts = urlsplit(entry)
        host = parts.hostname or ''
    except ValueError:
        return ''
    netloc = parts.netloc.rsplit('@', 1)[-1]
    if netloc.split(':')[0] in {'*', ''} or host == '*':
        return ': every origin'
    if parts.scheme == 'http' and host not in _LOCAL_HOSTS and netloc.split(':')[0] not in _LOCAL_HOSTS:
        return ': plain HTTP can be impersonated on the network'
    return ''


def _matches_any_origin(regex: str) -> bool:
    try:
        compiled = re.compile(regex)
    except (re.error, RecursionError, OverflowError):
        return False
    return all(compiled.match(candidate) for candidate in _FOREIGN_ORIGINS)
