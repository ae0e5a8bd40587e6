"""DJS100-109: secrets, debug, hosts (Django: security.W009, W018, W020, W025)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from flake8_djsec.logic.deployment.model import written_in_repository
from flake8_djsec.logic.evaluation.environment import given_outside_repository
from flake8_djsec.logic.evaluation.settings import MISSING, Setting, StaticSettings
from flake8_djsec.logic.evaluation.values import Sourced, contains, is_known, truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import Finding, finding, known, origin
from flake8_djsec.violations import secrets as codes

SECRET_KEY_INSECURE_PREFIX: Final = 'django-insecure-'
SECRET_KEY_MIN_LENGTH: Final = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS: Final = 5

#: Suffixes of setting names that hold credentials (DJS106).
CREDENTIAL_SUFFIXES: Final = ('PASSWORD', 'SECRET', 'SECRET_KEY', 'TOKEN', 'API_KEY')


def secret_key_problem(key: object) -> str | None:
    """Return why a key fails Django's strength test, None if it passes or is undecidable."""
    if key is MISSING:
        return 'is not set'
    if truth(key) is False:  # Django raises ImproperlyConfigured on any falsy SECRET_KEY
        return 'is {0!r}'.format(key)
    if not isinstance(key, str):
        return None
    return _weak_key_problem(key)


def _weak_key_problem(key: str) -> str | None:
    """Django's strength test on a non-empty key string."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return 'has {0} characters'.format(len(key))
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return 'has {0} distinct characters'.format(len(set(key)))
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return "starts with 'django-insecure-'"
    return None


def check_debug(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS100: ``DEBUG`` is truthy (W018: ``not settings.DEBUG`` fails)."""
    debug = settings['DEBUG']
    if truth(debug.value) is True:
        yield finding(codes.DebugEnabledViolation, debug)


def check_secret_key_in_source(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS101: a non-empty ``SECRET_KEY`` string is written in the source."""
    key = settings['SECRET_KEY']
    if key.assigned and isinstance(key.value, str) and key.value and _written(key.origin):
        yield Finding(codes.HardcodedSecretKeyViolation, key.name, {'origin': origin(key)})


def check_secret_key(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS102: ``SECRET_KEY`` fails Django's strength test (W009)."""
    key = settings['SECRET_KEY']
    if not key.assigned and key.value is not MISSING and not known(key):
        return
    problem = secret_key_problem(key.value if key.assigned or key.value else MISSING)
    if problem is not None:
        yield Finding(
            codes.WeakSecretKeyViolation, key.name, {'problem': problem, 'origin': origin(key)},
        )


def check_secret_key_fallbacks(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS103: an entry of ``SECRET_KEY_FALLBACKS`` fails the strength test (W025)."""
    fallbacks = settings['SECRET_KEY_FALLBACKS']
    if not isinstance(fallbacks.value, (list, tuple)):
        return
    for index, key in enumerate(fallbacks.value):
        problem = secret_key_problem(key) if isinstance(key, str) else None
        if problem is not None:
            yield Finding(
                codes.WeakSecretKeyFallbackViolation,
                fallbacks.name,
                {'index': index, 'problem': problem, 'origin': origin(fallbacks)},
            )


def check_allowed_hosts(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS104 (W020: ``not settings.ALLOWED_HOSTS``) and DJS105 (``'*'`` in it)."""
    hosts = settings['ALLOWED_HOSTS']
    if truth(hosts.value) is False:
        yield finding(codes.EmptyAllowedHostsViolation, hosts)
    elif contains(hosts.value, '*') is True and not isinstance(hosts.value, str):
        yield finding(codes.WildcardAllowedHostsViolation, hosts)


def _written(value_origin: str | None) -> bool:
    """A value written in the repository: not one given with ``--djsec-env`` (issue 12, #9)."""
    return written_in_repository(value_origin) and not given_outside_repository(value_origin)


def check_credentials(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS106: credentials written in the source."""
    for name in settings.assigned_names():
        if name == 'SECRET_KEY' or not name.endswith(CREDENTIAL_SUFFIXES):
            continue
        setting = settings[name]
        if isinstance(setting.value, str) and setting.value and _written(setting.origin):
            yield Finding(
                codes.HardcodedCredentialViolation,
                name,
                {'setting': name, 'origin': origin(setting)},
            )
    yield from _database_passwords(settings['DATABASES'])


def _database_passwords(databases: Setting) -> Iterator[Finding]:
    """DJS106 for each ``DATABASES`` alias whose ``PASSWORD`` is written in the source."""
    if not databases.assigned or not isinstance(databases.value, dict):
        return
    for alias, database in databases.value.items():
        password = database.get('PASSWORD') if isinstance(database, dict) else None
        if not (_credential(password) and is_known(alias)):
            continue
        yield Finding(
            codes.HardcodedCredentialViolation,
            databases.name,
            {
                'setting': 'DATABASES[{0!r}]["PASSWORD"]'.format(alias),
                'origin': _item_origin(password, databases),
            },
            keys=(alias, 'PASSWORD'),
        )


def _credential(item: object) -> bool:
    """A non-empty string, unless a variable from outside the repository set it (issue 14)."""
    if not isinstance(item, str) or not item:
        return False
    return not isinstance(item, Sourced) or _written(item.origin)


def _item_origin(item: object, container: Setting) -> str:
    """Where an item of a setting came from: its variable's file, else the setting's origin."""
    if isinstance(item, Sourced):
        return ' ({0})'.format(item.origin)
    return origin(container)


def check_debug_propagate_exceptions(
    settings: StaticSettings,
    config: DjsecConfig,
) -> Iterator[Finding]:
    """DJS107: ``DEBUG_PROPAGATE_EXCEPTIONS`` is truthy."""
    setting = settings['DEBUG_PROPAGATE_EXCEPTIONS']
    if truth(setting.value) is True:
        yield finding(codes.DebugPropagateExceptionsViolation, setting)
