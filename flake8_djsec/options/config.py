"""The plugin's options: declared once, validated into a frozen ``DjsecConfig``."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from types import MappingProxyType
from typing import Final, final

#: Paths that are settings modules: globs on the file name, or on the path when they hold a ``/``.
DEFAULT_SETTINGS_PATTERNS: Final = (
    'settings.py',
    '*_settings.py',
    'settings_*.py',
    '*/settings/*.py',
)
#: Words in a settings module's name (or its folder's) that mark it as not deployed, each
#: matching a whole part of the name or the whole name: development and test settings,
#: defaults or templates (``global_settings.py``, not ``settings_global.py``), and the
#: settings used only to build an image or the docs (django-configurations' ``Build``, ``Docs``).
DEFAULT_DEV_PATTERNS: Final = (
    'dev',
    'devel',
    'develop',
    'development',
    'local',
    'test',
    'tests',
    'testing',
    'ci',
    'global_settings',
    'example',
    'sample',
    'template',
    'build',
    'docs',
)
#: Paths of test code, where DJS160/DJS161 report nothing: folders (ending in ``/``), file names.
DEFAULT_TEST_PATTERNS: Final = (
    'tests/',
    'test/',
    'test_*.py',
    '*_tests.py',
    '*_test.py',
    'tests.py',
    'conftest.py',
)
#: The HSTS max-age the preload list requires: one year.
DEFAULT_HSTS_MIN_SECONDS: Final = 31_536_000
#: The newest Django series we know; used when Django is not installed.
NEWEST_DJANGO: Final = (6, 1)
#: The oldest Django series we support.
OLDEST_DJANGO: Final = (4, 2)

_ENV_NAME: Final = re.compile('^[A-Za-z_][A-Za-z0-9_]*$')
_VERSION: Final = re.compile(r'^(\d+)\.(\d+)')


@final
class OptionError(ValueError):
    """An option's value is invalid; the message is one line for the user."""


@final
@dataclasses.dataclass(frozen=True)
class DjsecConfig:
    """Every option of the plugin, validated."""

    env: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    settings_patterns: tuple[str, ...] = DEFAULT_SETTINGS_PATTERNS
    dev_patterns: tuple[str, ...] = DEFAULT_DEV_PATTERNS
    hsts_min_seconds: int = DEFAULT_HSTS_MIN_SECONDS
    django_version: tuple[int, int] = NEWEST_DJANGO
    deploy_settings: tuple[str, ...] = ()
    #: The django-csp series; None when unknown (no option, pin or installed package).
    django_csp_version: tuple[int, int] | None = None
    #: ``--djsec-env-file`` files, in order (a later one wins).
    env_files: tuple[str, ...] = ()
    #: Where each version came from, as messages say it (``django-csp 4.0.1 pinned in
    #: requirements.txt``); empty when unsaid (the newest Django, a version set in code).
    django_version_origin: str = ''
    django_csp_version_origin: str = ''
    #: The packages (``django``, ``django-csp``) no option named a version for: the
    #: repository's pins, when it has some, decide them for each module.
    version_defaults: frozenset[str] = frozenset()
    #: ``--djsec-test-patterns``: test code, where the code rules DJS160/DJS161 stay silent.
    test_patterns: tuple[str, ...] = DEFAULT_TEST_PATTERNS


def parse_env(entries: Iterable[str]) -> Mapping[str, str]:
    """Validate ``NAME=VALUE`` entries of ``--djsec-env``."""
    variables: dict[str, str] = {}
    for entry in entries:
        name, separator, value = entry.partition('=')
        name = name.strip()
        if not separator or not _ENV_NAME.match(name):
            raise OptionError(
                '--djsec-env expects NAME=VALUE with NAME a variable name, got {0!r}'.format(entry),
            )
        variables[name] = value.strip()
    return MappingProxyType(variables)


def parse_env_files(entries: Iterable[str]) -> tuple[str, ...]:
    """Validate ``--djsec-env-file`` paths: each must be a file."""
    paths = tuple(entry.strip() for entry in entries if entry.strip())
    for path in paths:
        if not os.path.isfile(path):
            raise OptionError('--djsec-env-file {0!r} is not a file'.format(path))
    return paths


def parse_patterns(option: str, entries: Sequence[str]) -> tuple[str, ...]:
    """Validate a non-empty list of glob patterns."""
    patterns = tuple(entry.strip() for entry in entries if entry.strip())
    if not patterns:
        raise OptionError('{0} expects at least one pattern'.format(option))
    return patterns


def parse_hsts_min_seconds(raw: object) -> int:
    """Validate ``--djsec-hsts-min-seconds``: a non-negative integer."""
    text = str(raw).strip()
    if not text.isdigit():
        raise OptionError(
            '--djsec-hsts-min-seconds expects a whole number of seconds, got {0!r}'.format(raw),
        )
    return int(text)


def parse_django_version(raw: str | None) -> tuple[int, int]:
    """Validate ``--djsec-django-version``; default: the installed Django, else the newest."""
    if raw is None or not raw.strip():
        return installed_django_version()
    match = _VERSION.match(raw.strip())
    if match is None:
        raise OptionError('--djsec-django-version expects X.Y, such as 5.2, got {0!r}'.format(raw))
    version = (int(match.group(1)), int(match.group(2)))
    if version < OLDEST_DJANGO:
        raise OptionError(
            '--djsec-django-version {0} is older than the oldest supported series, 4.2'.format(raw),
        )
    return version


def installed_django_version() -> tuple[int, int]:
    """Read the installed Django's version from package metadata, never importing it."""
    try:
        match = _VERSION.match(metadata.version('django'))
    except metadata.PackageNotFoundError:
        return NEWEST_DJANGO
    if match is None:
        return NEWEST_DJANGO
    return max((int(match.group(1)), int(match.group(2))), OLDEST_DJANGO)


def parse_django_csp_version(raw: str | None) -> tuple[int, int] | None:
    """Validate ``--djsec-django-csp-version``; default: the installed django-csp, else None."""
    if raw is None or not raw.strip():
        return installed_version('django-csp')
    match = _VERSION.match(raw.strip())
    if match is None:
        raise OptionError(
            '--djsec-django-csp-version expects X.Y, such as 4.0, got {0!r}'.format(raw),
        )
    return int(match.group(1)), int(match.group(2))


def installed_version(package: str) -> tuple[int, int] | None:
    """Read an installed package's X.Y from its metadata, never importing it."""
    try:
        match = _VERSION.match(metadata.version(package))
    except metadata.PackageNotFoundError:
        return None
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def flatten(raw: object) -> list[str]:
    """
    Flatten an option value into entries.

    A string (from ``setup.cfg``) holds one entry per line; a list comes
    from a repeated command-line flag, one entry per flag.
    """
    if raw is None:
        return []
    if isinstance(raw, str):
        return [part.strip() for part in raw.splitlines() if part.strip()]
    flat: list[str] = []
    for item in raw if isinstance(raw, (list, tuple)) else [raw]:
        flat.extend(flatten(item))
    return flat
