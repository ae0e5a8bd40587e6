"""
The command's options: flake8's own parsing, flake8's configuration files.

The options are registered on a flake8 ``OptionManager``, the plugin's through
the very ``declare`` the plugin uses, flake8's selection and exclusion options
with flake8's declarations, so the ``[flake8]`` section of ``setup.cfg``,
``tox.ini`` or ``.flake8`` means the same to both front ends (see
``configuration``).
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from typing import Final, NoReturn, cast, final

from flake8 import __version__ as flake8_version
from flake8.options.manager import OptionManager

from flake8_djsec import __version__
from flake8_djsec.command import configuration, flake8_options
from flake8_djsec.command.errors import UsageError
from flake8_djsec.options import declarations
from flake8_djsec.options.config import DjsecConfig, OptionError

#: Output formats of ``--format``.
FORMATS: Final = ('text', 'json', 'sarif')
#: The code prefix flake8 selects by default for this plugin (its entry point name).
PLUGIN_PREFIX: Final = 'DJS'


@final
@dataclasses.dataclass(frozen=True)
class Arguments:
    """What a run needs: flake8-style options and the plugin's validated config."""

    options: argparse.Namespace
    config: DjsecConfig


def parse(argv: Sequence[str], prog: str) -> Arguments:
    """Parse the command line over the configuration files; raise ``UsageError``."""
    options = _options(argv, prog)
    try:
        return Arguments(options, declarations.validated(options))
    except OptionError as error:
        raise UsageError(str(error)) from error


def _options(argv: Sequence[str], prog: str) -> argparse.Namespace:
    """Defaults, then the configuration files, then the command line, as flake8 merges them."""
    preliminary = _preliminary_parser()
    early, rest = preliminary.parse_known_args(argv)
    manager = _manager(preliminary, prog)
    values = manager.parse_args([])
    values.extended_default_ignore = manager.extended_default_ignore
    values.extended_default_select = manager.extended_default_select
    configuration.apply(manager, early, values)
    return cast(argparse.Namespace, manager.parse_args(rest, values))


def _fail(message: str) -> NoReturn:
    raise UsageError(message)


def _preliminary_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        '--config', default=None, metavar='PATH',
        help='read only this [flake8] configuration file (no discovery, no pyproject.toml)',
    )
    parser.add_argument(
        '--isolated', action='store_true', help='ignore every configuration file',
    )
    return parser


def _manager(preliminary: argparse.ArgumentParser, prog: str) -> OptionManager:
    manager = OptionManager(
        version=__version__,
        plugin_versions='flake8: {0}'.format(flake8_version),
        parents=[preliminary],
        formatter_names=[],
    )
    manager.parser.prog = prog
    manager.parser.usage = '%(prog)s [options] [path ...]'
    manager.parser.description = (
        'Report the flake8-djsec findings (DJS codes) of Python files and folders, '
        'as the flake8 plugin reports them, without running flake8.'
    )
    manager.parser.epilog = None
    manager.parser.error = _fail
    flake8_options.declare(manager)
    declarations.declare(manager)
    manager.add_option(
        '--format', dest='output_format', choices=FORMATS, default='text',
        help='output: flake8-style text lines, JSON or SARIF 2.1.0. Default: %(default)s',
    )
    manager.extend_default_select([PLUGIN_PREFIX])
    return manager
