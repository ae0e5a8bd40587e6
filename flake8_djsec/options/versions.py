"""
The Django and django-csp versions that apply to one module.

Precedence, the first that answers winning: the option (``--djsec-django-version``,
``--djsec-django-csp-version``), else the version the repository pins for the
module (``logic/pins.py``: lock files, ``pyproject.toml``, requirements files),
else the installed package, else the newest Django series (django-csp: unknown).
Options and the installed packages are read once a run (``parse_options``); pins
are read here, once a run per folder, for each deployment module judged.

A pin decides when it allows one Django series (``==5.2.1``, ``~=4.2``,
``>=5.2,<5.3``, a lock entry) or, for django-csp, when every release it allows
is on one side of 4.0 (``>=4.0``, ``<4``), the only line the checks draw.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable
from importlib import metadata
from typing import Final

from flake8_djsec.logic import pins
from flake8_djsec.logic.runs import RUN
from flake8_djsec.logic.specifiers import Range, Series
from flake8_djsec.options.config import OLDEST_DJANGO, DjsecConfig

#: Django ends each major series at X.2, so a range below (X+1).0 from X.2 is X.2 alone.
DJANGO_LAST_MINOR: Final = 2
#: The django-csp series that replaced the ``CSP_*`` settings by ``CONTENT_SECURITY_POLICY``.
DJANGO_CSP_DICT_SINCE: Final = (4, 0)
#: The series we say for a pin below 4.0 with no lower bound (``django-csp<4``).
DJANGO_CSP_LEGACY: Final = (3, 0)

_DJANGO: Final = 'django'
_DJANGO_CSP: Final = 'django-csp'


def version_origin(label: str, package: str, option: str, raw: str | None) -> str:
    """Say where a version came from: the option, else the installed package; '' for neither."""
    if raw is not None and raw.strip():
        return '{0} {1} from {2}'.format(label, raw.strip(), option)
    try:
        return '{0} {1} installed'.format(label, metadata.version(package))
    except metadata.PackageNotFoundError:
        return ''


def version_defaults(django: str | None, django_csp: str | None) -> frozenset[str]:
    """The packages whose version option is not given (so the repository's pins may decide)."""
    given = {_DJANGO: django, _DJANGO_CSP: django_csp}
    return frozenset(package for package, raw in given.items() if not (raw or '').strip())


def for_module(config: DjsecConfig, path: str | None) -> DjsecConfig:
    """Return the config with the versions the repository pins for ``path`` where no option did."""
    if path is None or not config.version_defaults:
        return config
    folder = os.path.dirname(os.path.abspath(path))
    return RUN.remember(('pinned versions', folder), functools.partial(_pinned, config, path))


def _pinned(config: DjsecConfig, path: str) -> DjsecConfig:
    found = pins.project_pins(path, config.dev_patterns)
    if _DJANGO in config.version_defaults:
        django = _first(found, _DJANGO, django_series)
        if django is not None:
            config = dataclasses.replace(
                config, django_version=django[0], django_version_origin=origin('Django', django[1]),
            )
    if _DJANGO_CSP in config.version_defaults:
        django_csp = _first(found, _DJANGO_CSP, django_csp_series)
        if django_csp is not None:
            config = dataclasses.replace(
                config,
                django_csp_version=django_csp[0],
                django_csp_version_origin=origin('django-csp', django_csp[1]),
            )
    return config


def django_series(allowed: Range) -> Series | None:
    """The Django series a pin allows, the oldest supported for older ones; None for several."""
    series = allowed.series(DJANGO_LAST_MINOR)
    return None if series is None else max(series, OLDEST_DJANGO)


def django_csp_series(allowed: Range) -> Series | None:
    """The django-csp series a pin allows, or its lowest when all are on one side of 4.0."""
    series = allowed.series(None)
    if series is not None:
        return series
    side = allowed.at_least(DJANGO_CSP_DICT_SINCE)
    if side is None:
        return None
    if allowed.low is not None:
        return allowed.low[0], allowed.low[1]
    return DJANGO_CSP_LEGACY


def origin(label: str, pin: pins.Pin) -> str:
    """Say where a pinned version came from: ``django-csp 4.0.1 pinned in requirements.txt``."""
    return '{0} {1} {2} in {3}'.format(
        label,
        pin.allowed.exact or pin.spec,
        'locked' if pin.locked else 'pinned',
        display_path(pin.path),
    )


def display_path(path: str) -> str:
    """A path as flake8 shows the files it lints: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith(os.pardir) else relative


def _first(
    found: tuple[pins.Pin, ...],
    package: str,
    decide: Callable[[Range], Series | None],
) -> tuple[Series, pins.Pin] | None:
    for pin in found:
        if pin.package != package:
            continue
        series = decide(pin.allowed)
        if series is not None:
            return series, pin
    return None
