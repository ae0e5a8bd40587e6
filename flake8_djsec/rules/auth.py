"""DJS151-154: login brute-force protection, django-axes wiring, password hashing and validation."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Final

from flake8_djsec.logic.evaluation.settings import StaticSettings
from flake8_djsec.logic.evaluation.values import contains, strings_of, truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import Finding, finding, has_app, has_middleware, known, show
from flake8_djsec.violations import auth as codes

AUTH_APPS: Final = ('django.contrib.auth', 'django.contrib.auth.apps.AuthConfig')
AXES_APPS: Final = ('axes', 'axes.apps.AppConfig')
AXES_MIDDLEWARE: Final = 'axes.middleware.AxesMiddleware'
_AXES_BACKEND: Final = 'axes.backends.AxesStandaloneBackend'
AXES_BACKENDS: Final = frozenset((_AXES_BACKEND, 'axes.backends.AxesBackend'))
ALLAUTH_APPS: Final = ('allauth.account', 'allauth.account.apps.AccountConfig')

#: Apps that protect the login against brute force (or signal that views are rate-limited).
PROTECTION_APPS: Final = (
    *AXES_APPS,
    'defender',
    'cerberus',
    'account_locker',
    'BruteBuster',
    'ratelimitbackend',
    'django_ratelimit',
    'ratelimit',
)
PROTECTION_MIDDLEWARE: Final = (
    'defender.middleware.FailedLoginMiddleware',
    'BruteBuster.middleware.RequestMiddleware',
    'ratelimitbackend.middleware.RateLimitMiddleware',
    'django_ratelimit.middleware.RatelimitMiddleware',
)
PROTECTION_BACKEND_PREFIXES: Final = ('ratelimitbackend.',)
#: Backends that check no password (the web server authenticated the user).
REMOTE_USER_BACKENDS: Final = frozenset((
    'django.contrib.auth.backends.RemoteUserBackend',
    'django.contrib.auth.backends.AllowAllUsersRemoteUserBackend',
))
#: Packages whose authentication backends are known not to be axes subclasses.
FOREIGN_BACKEND_PREFIXES: Final = (
    'django.', 'allauth.', 'social_core.', 'social.', 'guardian.', 'rules.', 'django_auth_ldap.',
    'graphql_jwt.', 'oauth2_provider.', 'mozilla_django_oidc.', 'sesame.', 'knox.',
    'rest_framework', 'djangosaml2.', 'django_cas_ng.', 'wagtail.', 'two_factor.', 'django_otp.',
    'oscar.', 'defender.', 'ratelimitbackend.',
)

#: Django's weak hashers, by class path: what makes each weak.
WEAK_HASHERS: Final = types.MappingProxyType({
    'django.contrib.auth.hashers.MD5PasswordHasher': 'salted MD5, a fast hash',
    'django.contrib.auth.hashers.UnsaltedMD5PasswordHasher': 'unsalted MD5',
    'django.contrib.auth.hashers.SHA1PasswordHasher': 'salted SHA1, a fast hash',
    'django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher': 'unsalted SHA1',
    'django.contrib.auth.hashers.CryptPasswordHasher': 'DES crypt, 8 characters',
})


def check_brute_force_protection(
    settings: StaticSettings,
    config: DjsecConfig,
) -> Iterator[Finding]:
    """DJS151: ``django.contrib.auth`` is installed and no brute-force protection is."""
    apps = settings['INSTALLED_APPS']
    if not _auth_installed(settings) or not known(apps):
        return
    protected = _protection(settings)
    if protected is False:
        yield finding(codes.BruteForceProtectionMissingViolation, apps, problem='')
    elif isinstance(protected, str):
        yield finding(codes.BruteForceProtectionMissingViolation, settings[protected], problem=(
            ' ({0} is {1})'.format(protected, show(settings[protected].value))
        ))


def check_axes_wiring(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS152: django-axes is installed without its middleware or its first backend."""
    if not any(has_app(settings, app) for app in AXES_APPS):
        return
    if has_middleware(settings, AXES_MIDDLEWARE) is False:
        yield finding(codes.AxesNotWiredViolation, settings['MIDDLEWARE'], problem=(
            "add '{0}' to MIDDLEWARE".format(AXES_MIDDLEWARE)
        ))
    backends = settings['AUTHENTICATION_BACKENDS']
    problem = _axes_backend_problem(backends.value)
    if problem:
        yield finding(codes.AxesNotWiredViolation, backends, problem=problem)


def check_password_hashers(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS153: the first of ``PASSWORD_HASHERS`` (the one new passwords get) is weak."""
    hashers = settings['PASSWORD_HASHERS']
    if not isinstance(hashers.value, (list, tuple)) or not hashers.value:
        return
    first = hashers.value[0]
    if isinstance(first, str) and first in WEAK_HASHERS:
        yield finding(
            codes.WeakPasswordHasherViolation, hashers,
            value=repr(first.rsplit('.', 1)[-1]), weakness=WEAK_HASHERS[first],
        )


def check_password_validators(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS154: ``django.contrib.auth`` is installed and ``AUTH_PASSWORD_VALIDATORS`` is empty."""
    validators = settings['AUTH_PASSWORD_VALIDATORS']
    if not _auth_installed(settings) or not known(validators):
        return
    if truth(validators.value) is False:
        yield finding(codes.PasswordValidatorsMissingViolation, validators)


def _auth_installed(settings: StaticSettings) -> bool:
    return any(has_app(settings, app) for app in AUTH_APPS)


def _protection(settings: StaticSettings) -> bool | str | None:
    """
    Tell whether the login is protected: True, False, None (undecidable).

    A string names the setting that turns off the only protection installed.
    """
    backends = strings_of(settings['AUTHENTICATION_BACKENDS'].value)
    # An undecided MIDDLEWARE entry is not taken for protection: every package listed
    # needs its app or backend too (django-ratelimit's optional middleware aside).
    middleware = settings['MIDDLEWARE'].value
    if backends is None:
        return None
    if backends and all(backend in REMOTE_USER_BACKENDS for backend in backends):
        return None  # the web server checks the password
    if any(backend.startswith(PROTECTION_BACKEND_PREFIXES) for backend in backends):
        return True
    if any(contains(middleware, name) for name in PROTECTION_MIDDLEWARE):
        return True
    return _protection_apps(settings)


def _protection_apps(settings: StaticSettings) -> bool | str | None:
    switches = []
    if any(has_app(settings, app) for app in AXES_APPS):
        switches.append('AXES_ENABLED')
    if any(has_app(settings, app) for app in ALLAUTH_APPS):
        switches.append('ACCOUNT_RATE_LIMITS')
    others = [app for app in PROTECTION_APPS if app not in AXES_APPS]
    if any(has_app(settings, app) for app in others):
        return True
    if not switches:
        return False
    for switch in switches:
        setting = settings[switch]
        if not known(setting) or truth(setting.value) is not False:
            return True  # on by default (a missing setting), or a value we cannot judge
    return switches[-1]


def _axes_backend_problem(backends: object) -> str | None:
    """Say what is wrong with the backends for axes, or None when fine or undecidable."""
    entries = strings_of(backends)
    if entries is None:
        return None
    first = entries[0] if entries else None
    if first in AXES_BACKENDS:
        return None
    if first is not None and not first.startswith(FOREIGN_BACKEND_PREFIXES):
        return None  # a project backend: perhaps a subclass of AxesStandaloneBackend
    if any(entry in AXES_BACKENDS for entry in entries):
        return "put '{0}' first in AUTHENTICATION_BACKENDS, before {1}".format(
            _AXES_BACKEND, repr(first),
        )
    return "add '{0}' first to AUTHENTICATION_BACKENDS".format(_AXES_BACKEND)
