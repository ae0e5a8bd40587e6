"""DJS130-139: security headers (Django: security.W001, W002, W006, W019, W022, E023, E024)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from flake8_djsec.logic.evaluation.settings import MISSING, StaticSettings
from flake8_djsec.logic.evaluation.values import truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import (
    SECURITY_MIDDLEWARE,
    XFRAME_MIDDLEWARE,
    Finding,
    finding,
    has_middleware,
    known,
)
from flake8_djsec.violations import headers as codes

REFERRER_POLICY_VALUES: Final = frozenset((
    'no-referrer',
    'no-referrer-when-downgrade',
    'origin',
    'origin-when-cross-origin',
    'same-origin',
    'strict-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
))
LEAKY_REFERRER_POLICIES: Final = frozenset(('unsafe-url', 'no-referrer-when-downgrade'))
CROSS_ORIGIN_OPENER_POLICY_VALUES: Final = frozenset((
    'same-origin',
    'same-origin-allow-popups',
    'unsafe-none',
))
PERMISSIONS_POLICY_MIDDLEWARE: Final = 'django_permissions_policy.PermissionsPolicyMiddleware'


def check_security_middleware(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS130: W001, SecurityMiddleware is not in MIDDLEWARE."""
    if has_middleware(settings, SECURITY_MIDDLEWARE) is False:
        yield finding(codes.SecurityMiddlewareMissingViolation, settings['MIDDLEWARE'])


def check_xframe(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS131 (W002, middleware missing) and DJS132 (W019, ``X_FRAME_OPTIONS != 'DENY'``)."""
    present = has_middleware(settings, XFRAME_MIDDLEWARE)
    if present is False:
        yield finding(codes.ClickjackingMiddlewareMissingViolation, settings['MIDDLEWARE'])
        return
    option = settings['X_FRAME_OPTIONS']
    if present and known(option) and option.value != 'DENY':
        yield finding(codes.XFrameOptionsViolation, option)


def check_content_type_nosniff(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS133: W006, ``SECURE_CONTENT_TYPE_NOSNIFF is True`` fails."""
    nosniff = settings['SECURE_CONTENT_TYPE_NOSNIFF']
    if not has_middleware(settings, SECURITY_MIDDLEWARE):
        return
    if known(nosniff) and nosniff.value is not True:
        yield finding(codes.ContentTypeNosniffViolation, nosniff)


def check_referrer_policy(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS134: W022 (``None``) and E023 (invalid values), with SecurityMiddleware."""
    policy = settings['SECURE_REFERRER_POLICY']
    if not has_middleware(settings, SECURITY_MIDDLEWARE) or not known(policy):
        return
    if policy.value is None:
        yield finding(codes.ReferrerPolicyViolation, policy, problem=': no Referrer-Policy header')
        return
    values = referrer_values(policy.value)
    if values is None:
        return
    invalid = sorted(set(values) - REFERRER_POLICY_VALUES)
    if invalid:
        yield finding(
            codes.ReferrerPolicyViolation,
            policy,
            problem=', not a valid policy: {0}'.format(', '.join(repr(value) for value in invalid)),
        )


def check_leaky_referrer_policy(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS135: the referrer policy SecurityMiddleware sends leaks full URLs across origins."""
    if not has_middleware(settings, SECURITY_MIDDLEWARE):
        return  # no header: browsers use strict-origin-when-cross-origin (DJS130 reports)
    policy = settings['SECURE_REFERRER_POLICY']
    values = referrer_values(policy.value) if known(policy) else None
    valid = [value for value in values or [] if value in REFERRER_POLICY_VALUES]
    if valid and valid[-1] in LEAKY_REFERRER_POLICIES:
        yield finding(codes.LeakyReferrerPolicyViolation, policy, value=repr(valid[-1]))


def check_cross_origin_opener_policy(
    settings: StaticSettings,
    config: DjsecConfig,
) -> Iterator[Finding]:
    """DJS136: E024, an invalid ``SECURE_CROSS_ORIGIN_OPENER_POLICY`` (Django 4.0+)."""
    policy = settings['SECURE_CROSS_ORIGIN_OPENER_POLICY']
    if not has_middleware(settings, SECURITY_MIDDLEWARE):
        return
    if not known(policy) or policy.value is None:
        return
    try:
        valid = policy.value in CROSS_ORIGIN_OPENER_POLICY_VALUES
    except TypeError:
        return  # unhashable: Django's own check raises
    if not valid:
        yield finding(codes.CrossOriginOpenerPolicyViolation, policy)


def check_permissions_policy(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS137: no Permissions-Policy header (django-permissions-policy)."""
    present = has_middleware(settings, PERMISSIONS_POLICY_MIDDLEWARE)
    if present is False:
        yield finding(
            codes.PermissionsPolicyMissingViolation,
            settings['MIDDLEWARE'],
            problem="add 'django_permissions_policy.PermissionsPolicyMiddleware' to MIDDLEWARE "
            'and set PERMISSIONS_POLICY',
        )
        return
    policy = settings['PERMISSIONS_POLICY']
    if present and (policy.value is MISSING or (known(policy) and truth(policy.value) is not True)):
        yield finding(
            codes.PermissionsPolicyMissingViolation,
            policy,
            problem=_empty_permissions_policy(settings),
        )


def _empty_permissions_policy(settings: StaticSettings) -> str:
    """Say why no header is sent; a report-only policy alone blocks nothing."""
    report_only = settings['PERMISSIONS_POLICY_REPORT_ONLY']
    if known(report_only) and truth(report_only.value):
        return (
            'only PERMISSIONS_POLICY_REPORT_ONLY is set, which reports and blocks nothing; '
            'move the features to PERMISSIONS_POLICY'
        )
    return 'PERMISSIONS_POLICY is empty or not set; list the features to disable'


def check_browser_xss_filter(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS138: ``SECURE_BROWSER_XSS_FILTER`` is set, with no effect since Django 4.0."""
    setting = settings['SECURE_BROWSER_XSS_FILTER']
    if setting.assigned:
        yield finding(codes.BrowserXssFilterViolation, setting)


def referrer_values(policy: object) -> list[str] | None:
    """Split a referrer policy as Django does: a comma-separated string or an iterable."""
    if isinstance(policy, str):
        return [value.strip() for value in policy.split(',')]
    if isinstance(policy, (bytes, dict)):
        policy = list(policy)  # Django's set(): the byte values, the keys
    if not isinstance(policy, (list, tuple, set, frozenset)):
        return None
    try:
        set(policy)
    except TypeError:
        return None  # unhashable entries: Django's own check raises
    return [value if isinstance(value, str) else repr(value) for value in policy]
