"""Django's defaults (``django/conf/global_settings.py``) for the settings rules read."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Final

#: The defaults shared by every supported Django series (4.2, 5.2, 6.x).
DJANGO_DEFAULTS: Final[Mapping[str, object]] = types.MappingProxyType({
    'DEBUG': False,
    'DEBUG_PROPAGATE_EXCEPTIONS': False,
    'SECRET_KEY': '',
    'SECRET_KEY_FALLBACKS': [],
    'ALLOWED_HOSTS': [],
    'INSTALLED_APPS': [],
    'MIDDLEWARE': [],
    'TEMPLATES': [],
    'X_FRAME_OPTIONS': 'DENY',
    'SECURE_PROXY_SSL_HEADER': None,
    'SESSION_COOKIE_SECURE': False,
    'SESSION_COOKIE_HTTPONLY': True,
    'SESSION_COOKIE_SAMESITE': 'Lax',
    'AUTHENTICATION_BACKENDS': ['django.contrib.auth.backends.ModelBackend'],
    'PASSWORD_HASHERS': [
        'django.contrib.auth.hashers.PBKDF2PasswordHasher',
        'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher',
        'django.contrib.auth.hashers.Argon2PasswordHasher',
        'django.contrib.auth.hashers.BCryptSHA256PasswordHasher',
        'django.contrib.auth.hashers.ScryptPasswordHasher',
    ],
    'AUTH_PASSWORD_VALIDATORS': [],
    'CSRF_COOKIE_SECURE': False,
    'CSRF_COOKIE_HTTPONLY': False,
    'CSRF_COOKIE_SAMESITE': 'Lax',
    'CSRF_TRUSTED_ORIGINS': [],
    'CSRF_USE_SESSIONS': False,
    'SECURE_CONTENT_TYPE_NOSNIFF': True,
    'SECURE_CROSS_ORIGIN_OPENER_POLICY': 'same-origin',
    'SECURE_HSTS_INCLUDE_SUBDOMAINS': False,
    'SECURE_HSTS_PRELOAD': False,
    'SECURE_HSTS_SECONDS': 0,
    'SECURE_REDIRECT_EXEMPT': [],
    'SECURE_REFERRER_POLICY': 'same-origin',
    'SECURE_SSL_HOST': None,
    'SECURE_SSL_REDIRECT': False,
    'DATABASES': {},
})

_Series = tuple[int, int]
_Defaults = Mapping[str, object]

#: Defaults that exist only from a Django series on: (major, minor) -> defaults.
VERSIONED_DEFAULTS: Final[Mapping[_Series, _Defaults]] = types.MappingProxyType({
    (6, 0): {'SECURE_CSP': {}, 'SECURE_CSP_REPORT_ONLY': {}},
})

#: Marks a setting with no default in ``DJANGO_DEFAULTS`` (None is a default there).
_ABSENT: Final = object()


def django_default(name: str, version: tuple[int, int]) -> tuple[bool, object]:
    """Return (has default, default) for a setting under a Django version."""
    default = DJANGO_DEFAULTS.get(name, _ABSENT)
    if default is not _ABSENT:
        return True, default
    for since, defaults in VERSIONED_DEFAULTS.items():
        if version >= since and name in defaults:
            return True, defaults[name]
    return False, None
