"""What every settings rule shares: findings, value rendering, middleware predicates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, final

from flake8_djsec.logic.evaluation.settings import Setting, StaticSettings
from flake8_djsec.logic.evaluation.values import contains, is_known
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.violations.base import Violation

SECURITY_MIDDLEWARE: Final = 'django.middleware.security.SecurityMiddleware'
CSRF_MIDDLEWARE: Final = 'django.middleware.csrf.CsrfViewMiddleware'
XFRAME_MIDDLEWARE: Final = 'django.middleware.clickjacking.XFrameOptionsMiddleware'
SESSION_MIDDLEWARE: Final = 'django.contrib.sessions.middleware.SessionMiddleware'
SESSION_APP: Final = 'django.contrib.sessions'

_MAX_SHOWN: Final = 60


@final
@dataclasses.dataclass(frozen=True)
class Finding:
    """A rule's verdict: the code, the setting it is about, the message parameters."""

    violation: type[Violation]
    setting: str | None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: Keys into the setting's value (``("default", "PASSWORD")``): reported on the key's line
    #: when the setting is a dict literal.
    keys: tuple[object, ...] = ()


#: A settings rule: reads settings (and options), yields findings.
Rule = Callable[[StaticSettings, DjsecConfig], Iterator[Finding]]


def show(obj: object) -> str:
    """Render a value for a message: Python syntax, shortened."""
    text = repr(obj)
    if len(text) > _MAX_SHOWN:
        return '{0}...'.format(text[:_MAX_SHOWN - 3])
    return text


def origin(setting: Setting) -> str:
    """Render where a value came from, when it is not a plain literal."""
    if setting.origin:
        return ' ({0})'.format(setting.origin)
    if not setting.assigned:
        return " (Django's default)"
    return ''


def finding(violation: type[Violation], subject: Setting, **params: Any) -> Finding:
    """Make a finding about a setting, with its value and origin in the message."""
    params.setdefault('value', show(subject.value))
    params.setdefault('origin', origin(subject))
    return Finding(violation, subject.name, params)


def has_middleware(settings: StaticSettings, middleware: str) -> bool | None:
    """Return Django's ``middleware in settings.MIDDLEWARE``, or None when undecidable."""
    return contains(settings['MIDDLEWARE'].value, middleware)


def has_app(settings: StaticSettings, app: str) -> bool | None:
    """Return Django's ``app in settings.INSTALLED_APPS``, or None when undecidable."""
    return contains(settings['INSTALLED_APPS'].value, app)


def sessions_in_use(settings: StaticSettings) -> bool:
    """Tell whether Django's session app or middleware is on (decidably)."""
    return bool(has_app(settings, SESSION_APP) or has_middleware(settings, SESSION_MIDDLEWARE))


def known(setting: Setting) -> bool:
    """Tell whether a setting's value is fully decided."""
    return is_known(setting.value)
