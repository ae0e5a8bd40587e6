"""
The configuration files a run reads, and their values over the defaults.

The ``[flake8]`` section is found as flake8 finds it (``setup.cfg``,
``tox.ini`` or ``.flake8`` in the current folder or above; ``--config``;
``--isolated``) and parsed by flake8's own ``parse_config``; then
``[tool.flake8-djsec]`` of the nearest ``pyproject.toml`` that has it, which
wins where both set an option.
"""

from __future__ import annotations

import argparse
import configparser
import os

from flake8 import exceptions
from flake8.options import config as flake8_config
from flake8.options.manager import OptionManager

from flake8_djsec.command import pyproject
from flake8_djsec.command.errors import UsageError

#: A parsed file, its folder, and whether it is our own table (whose keys are checked).
_Source = tuple[configparser.RawConfigParser, str, bool]


def apply(manager: OptionManager, early: argparse.Namespace, values: argparse.Namespace) -> None:
    """Set every option the configuration files give onto ``values`` (the defaults)."""
    for parser, folder, own_table in _sources(early):
        if own_table:
            _known_keys(manager, parser, folder)
        try:
            parsed = flake8_config.parse_config(manager, parser, folder)
        except (ValueError, configparser.Error) as error:
            raise UsageError(str(error).splitlines()[0]) from error
        _merge(manager, parsed, values)


def _merge(manager: OptionManager, parsed: dict[str, object], values: argparse.Namespace) -> None:
    for name, option_value in parsed.items():
        # As flake8's aggregator: the config name, unless the option stores elsewhere.
        dest = name if hasattr(values, name) else manager.config_options_dict[name].dest
        setattr(values, dest, option_value)


def _known_keys(manager: OptionManager, parser: configparser.RawConfigParser, folder: str) -> None:
    """Refuse an unknown key in our own table (flake8 skips unknown ``[flake8]`` keys)."""
    for key in parser['flake8']:
        if key not in manager.config_options_dict:
            raise UsageError('unknown option {0!r} in [tool.{1}] of {2}'.format(
                key, pyproject.TABLE, os.path.join(folder, 'pyproject.toml'),
            ))


def _sources(early: argparse.Namespace) -> list[_Source]:
    try:
        parser, folder = flake8_config.load_config(
            config=early.config, extra=[], isolated=early.isolated,
        )
    except exceptions.ExecutionError as error:
        raise UsageError(str(error)) from error
    found = [(parser, folder, False)]
    if early.isolated or early.config is not None:
        return found
    table = pyproject.find(os.path.abspath('.'))
    if table is not None:
        found.append((pyproject.load(table), os.path.dirname(table), True))
    return found
