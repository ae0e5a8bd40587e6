"""
``[tool.flake8-djsec]`` in ``pyproject.toml``, as a ``[flake8]`` section.

flake8 itself never reads ``pyproject.toml``; the command does, for teams whose
only configuration file it is. The table's keys are the ``[flake8]`` keys; its
values become the strings a ``[flake8]`` section would hold, so flake8's own
option parsing reads both the same way. ``tomllib`` is Python 3.11+: on 3.10 a
``pyproject.toml`` that has the table is a configuration error (the runtime
dependency is flake8 alone), never silently ignored.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping
from typing import Any, Final

from flake8_djsec.command.errors import UsageError

#: The table the command reads.
TABLE: Final = 'flake8-djsec'
_FILE_NAME: Final = 'pyproject.toml'
_MARKER: Final = 'tool.{0}'.format(TABLE)


def find(start: str) -> str | None:
    """Return the nearest ``pyproject.toml`` at or above ``start`` holding the table."""
    home = os.path.realpath(os.path.expanduser('~'))
    folder = os.path.realpath(start)
    while True:
        candidate = os.path.join(folder, _FILE_NAME)
        if os.path.isfile(candidate) and _mentions_table(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent in {folder, home}:
            return None
        folder = parent


def load(path: str) -> configparser.RawConfigParser:
    """Read the table into a parser with one ``[flake8]`` section."""
    table = _table(path)
    section: dict[str, str] = {}
    for key, raw in table.items():
        section[key] = _ini_value(path, key, raw)
    parser = configparser.RawConfigParser()
    parser['flake8'] = section
    return parser


def _mentions_table(path: str) -> bool:
    try:
        with open(path, encoding='utf-8') as stream:
            return _MARKER in stream.read()
    except (OSError, UnicodeDecodeError):
        return False


def _table(path: str) -> Mapping[str, object]:
    # tomllib only inside the version test: mypy --python-version 3.10 skips that block.
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: WPS433 - the standard library has it from 3.11 only

        try:
            with open(path, 'rb') as stream:
                return _tool_table(path, tomllib.load(stream))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise UsageError('{0}: {1}'.format(path, error)) from error
    raise UsageError(
        '{0}: [tool.{1}] needs Python 3.11 or newer (tomllib); on 3.10 put the options '
        'in the [flake8] section of setup.cfg, tox.ini or .flake8'.format(path, TABLE),
    )


def _tool_table(path: str, document: Mapping[str, Any]) -> Mapping[str, object]:
    table = document.get('tool', {}).get(TABLE, {})
    if not isinstance(table, dict):
        raise UsageError('{0}: [tool.{1}] must be a table'.format(path, TABLE))
    return table


def _ini_value(path: str, key: str, raw: object) -> str:
    """Write a TOML value as ``[flake8]`` does: a list one entry a line, a table ``key: value``."""
    if isinstance(raw, bool):
        return 'true' if raw else 'false'
    if isinstance(raw, (str, int)):
        return str(raw)
    if isinstance(raw, list) and all(isinstance(entry, (str, int)) for entry in raw):
        return '\n'.join(str(entry) for entry in raw)
    if isinstance(raw, dict):
        return '\n'.join(
            '{0}: {1}'.format(name, _ini_value(path, key, entry).replace('\n', ','))
            for name, entry in raw.items()
        )
    raise UsageError('{0}: [tool.{1}] {2} has an unsupported value {3!r}'.format(
        path, TABLE, key, raw,
    ))
