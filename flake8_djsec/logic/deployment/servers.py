"""
Server and process-manager configuration: ``uwsgi.ini``, ``gunicorn.conf.py``, systemd units.

- ``uwsgi.ini``: the ``[uwsgi]`` section's ``env = NAME=VALUE`` lines (repeated
  keys, as uWSGI allows), read by ``configparser`` (no interpolation).
- ``gunicorn.conf.py``: ``raw_env = ["NAME=VALUE", ...]`` read from the syntax
  tree, never executed.
- systemd ``*.service`` units: ``Environment=`` (quoted assignments),
  ``EnvironmentFile=`` and ``ExecStart=``.
"""

from __future__ import annotations

import ast
import configparser
import os
import shlex
from collections.abc import Callable
from typing import Final

from flake8_djsec.logic import sources
from flake8_djsec.logic.deployment import envfiles, platforms
from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE, Kind, Process, Variable
from flake8_djsec.logic.deployment.reading import Reading

_UWSGI: Final = 'uwsgi'


class _MultiValues(dict[str, object]):  # noqa: WPS600 - configparser's dict_type, keeping repeats
    """A section whose repeated ``env`` keys are all kept, in order."""

    def __setitem__(self, key: str, value: object) -> None:
        if key == 'env' and isinstance(value, list) and key in self:
            existing = self[key]
            if isinstance(existing, list):
                existing.extend(value)
                return
        super().__setitem__(key, value)


def _lines_of(text: str, prefix: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().replace(' ', '').startswith(prefix)
    ]


def read_uwsgi(reading: Reading, path: str) -> list[Process]:
    """A uWSGI ini file: a server, with its ``env`` lines."""
    text = reading.text(path)
    if text is None:
        return []
    parser = configparser.RawConfigParser(
        strict=False, allow_no_value=True, dict_type=_MultiValues,  # type: ignore[arg-type]
    )
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        reading.unknown(path, 'malformed INI')
        return []
    if not parser.has_section(_UWSGI):
        return []
    raw = parser.get(_UWSGI, 'env', fallback='')
    values = [entry.strip() for entry in raw.splitlines() if entry.strip()]
    lines = _lines_of(text, 'env=')
    committed = reading.committed(path)
    variables = tuple(
        Variable(
            entry.partition('=')[0].strip(),
            entry.partition('=')[2].strip(),
            reading.where(path, lines[index] if index < len(lines) else 0),
            committed=committed,
        )
        for index, entry in enumerate(values)
        if '=' in entry
    )
    return [_server(reading, path, variables, 'a uWSGI configuration')]


def _server(reading: Reading, path: str, variables: tuple[Variable, ...], reason: str) -> Process:
    module = next((variable for variable in variables if variable.name == SETTINGS_VARIABLE), None)
    return Process(
        reading.relative(path),
        reading.where(path, 1),
        Kind.deployment,
        module.value if module else None,
        module.where if module else None,
        variables,
        reason,
    )


def read_gunicorn(reading: Reading, path: str) -> list[Process]:
    """``gunicorn.conf.py``: ``raw_env``, read statically."""
    if reading.text(path) is None:
        return []
    source = sources.read_source(path)
    tree = None if source is None else sources.parse_source(source.raw, path)
    if tree is None:
        reading.unknown(path, 'a Python file that does not parse')
        return []
    committed = reading.committed(path)
    variables: list[Variable] = []
    for statement in tree.body:
        if not (
            isinstance(statement, ast.Assign)
            and any(
                isinstance(target, ast.Name) and target.id == 'raw_env'
                for target in statement.targets
            )
        ):
            continue
        if not isinstance(statement.value, (ast.List, ast.Tuple)):
            reading.unknown(path, 'raw_env is not a literal list', statement.lineno)
            continue
        variables = []
        for element in statement.value.elts:
            if (
                isinstance(element, ast.Constant)
                and isinstance(element.value, str)
                and '=' in element.value
            ):
                name, _, value = element.value.partition('=')
                variables.append(
                    Variable(
                        name.strip(),
                        value,
                        reading.where(path, element.lineno),
                        committed=committed,
                    )
                )
    return [_server(reading, path, tuple(variables), 'a gunicorn configuration')]


def read_systemd(
    reading: Reading, path: str, is_env_file: Callable[[str], bool] = os.path.isfile
) -> list[Process]:
    """A systemd unit: ``Environment=``, ``EnvironmentFile=``, ``ExecStart=``."""
    text = reading.text(path)
    if text is None:
        return []
    committed = reading.committed(path)
    label = reading.relative(path)
    variables: dict[str, Variable] = {}
    start: tuple[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        key, separator, value = line.strip().partition('=')
        if not separator:
            continue
        if key == 'Environment':
            try:
                words = shlex.split(value)
            except ValueError:
                reading.unknown(path, 'an Environment= line that cannot be split', number)
                continue
            for word in words:
                name, equals, named = word.partition('=')
                if equals:
                    variables[name] = Variable(
                        name, named, reading.where(path, number), committed=committed
                    )
        elif key == 'EnvironmentFile':
            target = value.lstrip('-').strip()
            candidate = os.path.join(reading.root, target.lstrip('/'))
            for found in (
                (envfiles.read(reading, candidate, label) or []) if is_env_file(candidate) else []
            ):
                variables[found.name] = found
        elif key == 'ExecStart':
            start = (value.lstrip('@-:+!'), number)
    if start is None:
        return []
    declared = platforms.process(
        label, reading.where(path, start[1]), start[0], tuple(variables.values())
    )
    return [] if declared is None else [declared]
