"""DJS110-119: HTTPS (Django: security.W004, W005, W008, W010-W012, W016, W021)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_djsec.logic.evaluation.settings import StaticSettings
from flake8_djsec.logic.evaluation.values import truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import (
    CSRF_MIDDLEWARE,
    SECURITY_MIDDLEWARE,
    Finding,
    finding,
    has_middleware,
    known,
    sessions_in_use,
)
from flake8_djsec.violations import https as codes

_HOUR = 60 * 60
_DAY = 24 * _HOUR


def check_ssl_redirect(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS110: W008, ``SECURE_SSL_REDIRECT is True`` fails with SecurityMiddleware."""
    redirect = settings['SECURE_SSL_REDIRECT']
    if not has_middleware(settings, SECURITY_MIDDLEWARE):
        return
    if known(redirect) and redirect.value is not True:
        yield finding(codes.SslRedirectViolation, redirect)


def check_hsts(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS111 (W004) and DJS113/DJS114 (W005/W021), which need HSTS on."""
    if not has_middleware(settings, SECURITY_MIDDLEWARE):
        return
    seconds = settings['SECURE_HSTS_SECONDS']
    hsts_on = truth(seconds.value)
    if hsts_on is False:
        yield finding(codes.HstsMissingViolation, seconds)
    if hsts_on is not True:
        return
    for name, violation in (
        ('SECURE_HSTS_INCLUDE_SUBDOMAINS', codes.HstsSubdomainsViolation),
        ('SECURE_HSTS_PRELOAD', codes.HstsPreloadViolation),
    ):
        flag = settings[name]
        if known(flag) and flag.value is not True:
            yield finding(violation, flag)


def check_hsts_duration(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS112: ``SECURE_HSTS_SECONDS`` is set but shorter than the minimum."""
    seconds = settings['SECURE_HSTS_SECONDS']
    value = seconds.value
    if isinstance(value, bool) or not isinstance(value, int):
        return
    if 0 < value < config.hsts_min_seconds:
        yield finding(
            codes.HstsTooShortViolation,
            seconds,
            duration=_duration(value),
            minimum=config.hsts_min_seconds,
        )


def check_session_cookie_secure(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS115: W010/W011/W012, ``SESSION_COOKIE_SECURE is True`` fails while sessions are used."""
    cookie = settings['SESSION_COOKIE_SECURE']
    if known(cookie) and cookie.value is not True and sessions_in_use(settings):
        yield finding(codes.SessionCookieInsecureViolation, cookie)


def check_csrf_cookie_secure(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS116: W016, CSRF cookie not secure while the middleware uses it."""
    cookie = settings['CSRF_COOKIE_SECURE']
    uses_sessions = truth(settings['CSRF_USE_SESSIONS'].value)
    if uses_sessions is not False or not has_middleware(settings, CSRF_MIDDLEWARE):
        return
    if known(cookie) and cookie.value is not True:
        yield finding(codes.CsrfCookieInsecureViolation, cookie)


def check_proxy_ssl_header(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS117: a malformed ``SECURE_PROXY_SSL_HEADER``."""
    header = settings['SECURE_PROXY_SSL_HEADER']
    if not header.assigned or header.value is None or not known(header):
        return
    problem = _proxy_header_problem(header.value)
    if problem:
        yield finding(codes.ProxySslHeaderViolation, header, problem=problem)


def _proxy_header_problem(value: object) -> str:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return ': not a (header, value) pair'
    name, expected = value
    if not isinstance(name, str) or not isinstance(expected, str):
        return ': both items must be strings'
    if not name.startswith('HTTP_'):
        return ": Django sees request headers as 'HTTP_...' names in request.META"
    return ''


def _duration(seconds: int) -> str:
    if seconds < _DAY:
        hours = seconds / _HOUR
        return '{0:g} hour{1}'.format(hours, '' if hours == 1 else 's')
    days = seconds / _DAY
    return '{0:g} day{1}'.format(round(days, 1), '' if days == 1 else 's')
