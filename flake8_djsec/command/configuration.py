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

_Source = tuple[configparser.RawConfigParser, str]


def apply(manager: OptionManager, early: argparse.Namespace, values: argparse.Namespace) -> None:
    """Set every option the configuration files give onto ``values`` (the defaults)."""
    for parser, folder in _sources(early):
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


def _sources(early: argparse.Namespace) -> list[_Source]:
    try:
        found = [flake8_config.load_config(config=early.config, extra=[], isolated=early.isolated)]
    except exceptions.ExecutionError as error:
        raise UsageError(str(error)) from error
    if early.isolated or early.config is not None:
        return found
    table = pyproject.find(os.path.abspath('.'))
    if table is not None:
        found.append((pyproject.load(table), os.path.dirname(table)))
    return found
