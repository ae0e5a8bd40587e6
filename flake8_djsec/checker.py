"""The flake8 entry point: ``DJS`` errors for Django settings and code."""

from __future__ import annotations

import argparse
import ast
import sys
import types
from collections.abc import Iterator, Sequence
from typing import ClassVar, Final, final

from flake8.options.manager import OptionManager

from flake8_djsec import __version__
from flake8_djsec.analysis import analyse
from flake8_djsec.options import config as option_values
from flake8_djsec.options.config import DjsecConfig, OptionError

_ENV: Final = '--djsec-env'
_SETTINGS_PATTERNS: Final = '--djsec-settings-patterns'
_DEV_PATTERNS: Final = '--djsec-dev-patterns'
_HSTS_MIN_SECONDS: Final = '--djsec-hsts-min-seconds'
_DJANGO_VERSION: Final = '--djsec-django-version'
_DEPLOY_SETTINGS: Final = '--djsec-deploy-settings'
_DJANGO_CSP_VERSION: Final = '--djsec-django-csp-version'

_HELP: Final = types.MappingProxyType({
    _ENV: (
        'evaluate settings as if this environment variable were set: NAME=VALUE '
        '(repeatable; in setup.cfg one per line). Default: an empty environment.'
    ),
    _SETTINGS_PATTERNS: (
        'comma-separated globs of settings module paths (a glob without "/" matches the '
        'file name). Default: %(default)s'
    ),
    _DEV_PATTERNS: (
        'comma-separated words that mark a settings module (or its folder) as development '
        'settings, which report nothing. Default: %(default)s'
    ),
    _HSTS_MIN_SECONDS: 'minimum SECURE_HSTS_SECONDS for DJS112. Default: %(default)s',
    _DJANGO_VERSION: (
        'Django series to check against, X.Y. Default: the installed Django, else the newest'
    ),
    _DJANGO_CSP_VERSION: (
        'django-csp series the project runs, X.Y (before 4.0 its CSP_* settings are the '
        'policy). Default: the installed django-csp, else unknown'
    ),
    _DEPLOY_SETTINGS: (
        'comma-separated deployment settings modules: dotted names (config.settings.production) '
        'or path globs. Default: the DJANGO_SETTINGS_MODULE default in wsgi.py/asgi.py, else '
        'every settings module no other one imports, development ones excepted'
    ),
})


@final
class DjsecChecker:
    """Reports Django security misconfigurations as ``DJS`` errors."""

    name: ClassVar[str] = 'flake8-djsec'
    version: ClassVar[str] = __version__
    config: ClassVar[DjsecConfig] = DjsecConfig()

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        """Receive what flake8 gives every AST plugin; do no work yet."""
        self._tree = tree
        self._filename = filename
        self._lines = lines

    @classmethod
    def add_options(cls, manager: OptionManager) -> None:
        """Declare the plugin's options (command line and ``[flake8]`` configuration)."""
        manager.add_option(
            _ENV, action='append', default=[], parse_from_config=True,
            metavar='NAME=VALUE', help=_HELP[_ENV],
        )
        manager.add_option(
            _SETTINGS_PATTERNS, default=','.join(option_values.DEFAULT_SETTINGS_PATTERNS),
            parse_from_config=True, comma_separated_list=True, help=_HELP[_SETTINGS_PATTERNS],
        )
        manager.add_option(
            _DEV_PATTERNS, default=','.join(option_values.DEFAULT_DEV_PATTERNS),
            parse_from_config=True, comma_separated_list=True, help=_HELP[_DEV_PATTERNS],
        )
        manager.add_option(
            _HSTS_MIN_SECONDS, default=str(option_values.DEFAULT_HSTS_MIN_SECONDS),
            parse_from_config=True, help=_HELP[_HSTS_MIN_SECONDS],
        )
        manager.add_option(
            _DJANGO_VERSION, default=None, parse_from_config=True,
            metavar='X.Y', help=_HELP[_DJANGO_VERSION],
        )
        manager.add_option(
            _DJANGO_CSP_VERSION, default=None, parse_from_config=True,
            metavar='X.Y', help=_HELP[_DJANGO_CSP_VERSION],
        )
        manager.add_option(
            _DEPLOY_SETTINGS, default='', parse_from_config=True, comma_separated_list=True,
            help=_HELP[_DEPLOY_SETTINGS],
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Validate the options into one frozen config; a bad value exits with one line."""
        try:
            cls.config = DjsecConfig(
                env=option_values.parse_env(option_values.flatten(options.djsec_env)),
                settings_patterns=option_values.parse_patterns(
                    _SETTINGS_PATTERNS, _entries(options.djsec_settings_patterns),
                ),
                dev_patterns=option_values.parse_patterns(
                    _DEV_PATTERNS, _entries(options.djsec_dev_patterns),
                ),
                hsts_min_seconds=option_values.parse_hsts_min_seconds(
                    options.djsec_hsts_min_seconds,
                ),
                django_version=option_values.parse_django_version(options.djsec_django_version),
                django_csp_version=option_values.parse_django_csp_version(
                    options.djsec_django_csp_version,
                ),
                deploy_settings=tuple(
                    entry.strip()
                    for entry in _entries(options.djsec_deploy_settings)
                    if entry.strip()
                ),
            )
        except OptionError as error:
            sys.stderr.write('flake8: error: {0}\n'.format(error))
            sys.exit(2)

    def run(self) -> Iterator[_FlakeError]:
        """Yield ``(line, col, message, type)`` for every finding in the file."""
        source = ''.join(self._lines) if self._lines else None
        for report in analyse(self._tree, self._filename, source, self.config):
            yield report.line, report.col, report.message, type(self)


#: What flake8 expects from ``run()``: line, column, message, and the checker class.
_FlakeError = tuple[int, int, str, type[DjsecChecker]]


def _entries(raw: object) -> list[str]:
    if isinstance(raw, str):
        return raw.split(',')
    if isinstance(raw, (list, tuple)):
        return [str(entry) for entry in raw]
    return []
