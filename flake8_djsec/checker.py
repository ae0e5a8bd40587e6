"""The flake8 entry point: ``DJS`` errors for Django settings and code."""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Sequence
from typing import ClassVar, Final, final

from flake8.options.manager import OptionManager

from flake8_djsec import __version__
from flake8_djsec.analysis import analyse
from flake8_djsec.options import config as option_values
from flake8_djsec.options.config import DjsecConfig, OptionError

_HELP: Final = {
    '--djsec-env': (
        'evaluate settings as if this environment variable were set: NAME=VALUE '
        '(repeatable; in setup.cfg one per line). Default: an empty environment.'
    ),
    '--djsec-settings-patterns': (
        'comma-separated globs of settings module paths (a glob without "/" matches the '
        'file name). Default: %(default)s'
    ),
    '--djsec-dev-patterns': (
        'comma-separated words that mark a settings module (or its folder) as development '
        'settings, which report nothing. Default: %(default)s'
    ),
    '--djsec-hsts-min-seconds': 'minimum SECURE_HSTS_SECONDS for DJS112. Default: %(default)s',
    '--djsec-django-version': (
        'Django series to check against, X.Y. Default: the installed Django, else the newest'
    ),
}


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
            '--djsec-env', action='append', default=[], parse_from_config=True,
            metavar='NAME=VALUE', help=_HELP['--djsec-env'],
        )
        manager.add_option(
            '--djsec-settings-patterns', default=','.join(option_values.DEFAULT_SETTINGS_PATTERNS),
            parse_from_config=True, comma_separated_list=True, help=_HELP['--djsec-settings-patterns'],
        )
        manager.add_option(
            '--djsec-dev-patterns', default=','.join(option_values.DEFAULT_DEV_PATTERNS),
            parse_from_config=True, comma_separated_list=True, help=_HELP['--djsec-dev-patterns'],
        )
        manager.add_option(
            '--djsec-hsts-min-seconds', default=str(option_values.DEFAULT_HSTS_MIN_SECONDS),
            parse_from_config=True, help=_HELP['--djsec-hsts-min-seconds'],
        )
        manager.add_option(
            '--djsec-django-version', default=None, parse_from_config=True,
            metavar='X.Y', help=_HELP['--djsec-django-version'],
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Validate the options into one frozen config; a bad value exits with one line."""
        try:
            cls.config = DjsecConfig(
                env=option_values.parse_env(option_values.flatten(options.djsec_env)),
                settings_patterns=option_values.parse_patterns(
                    '--djsec-settings-patterns', _entries(options.djsec_settings_patterns),
                ),
                dev_patterns=option_values.parse_patterns(
                    '--djsec-dev-patterns', _entries(options.djsec_dev_patterns),
                ),
                hsts_min_seconds=option_values.parse_hsts_min_seconds(options.djsec_hsts_min_seconds),
                django_version=option_values.parse_django_version(options.djsec_django_version),
            )
        except OptionError as error:
            sys.stderr.write('flake8: error: {0}\n'.format(error))
            raise SystemExit(2) from None

    def run(self) -> Iterator[tuple[int, int, str, type[DjsecChecker]]]:
        """Yield ``(line, col, message, type)`` for every finding in the file."""
        source = ''.join(self._lines) if self._lines else None
        for report in analyse(self._tree, self._filename, source, self.config):
            yield report.line, report.col, report.message, type(self)


def _entries(raw: object) -> list[str]:
    if isinstance(raw, str):
        return raw.split(',')
    if isinstance(raw, (list, tuple)):
        return [str(entry) for entry in raw]
    return []
