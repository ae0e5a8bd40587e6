"""
What rules modules out: test configuration and CI workflows name modules only tests load.

- ``pytest.ini`` ``[pytest]``, ``tox.ini`` ``[pytest]``/``[testenv]`` (``setenv``),
  ``setup.cfg`` ``[tool:pytest]``: ``DJANGO_SETTINGS_MODULE`` (pytest-django's key)
  read by ``configparser``; ``pyproject.toml`` ``[tool.pytest.ini_options]``.
- CI workflows (``.github/workflows/*.yml``, ``.gitlab-ci.yml``, ...): any
  ``DJANGO_SETTINGS_MODULE`` in an ``env:``/``variables:`` map, and ``--settings``
  in a ``run:``/``script:`` line.
"""

from __future__ import annotations

import configparser
import re
from typing import Final

from flake8_djsec.logic.deployment import platforms, yamldocs
from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE, Kind, Process
from flake8_djsec.logic.deployment.reading import Reading

_SECTIONS: Final = ('pytest', 'tool:pytest', 'testenv')
_SETTINGS_LINE: Final = re.compile(r'DJANGO_SETTINGS_MODULE\s*[=:]\s*["\']?(?P<module>[\w.]+)')
_FLAG: Final = re.compile(r'--settings[= ](?P<module>[\w.]+)')
_MAX_WALK: Final = 20


def read_test_config(reading: Reading, path: str) -> list[Process]:
    """pytest-django's ``DJANGO_SETTINGS_MODULE`` in an INI-style file or ``pyproject.toml``."""
    text = reading.text(path)
    if text is None:
        return []
    if path.endswith('.toml'):
        return _pyproject(reading, path, text)
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        reading.unknown(path, 'malformed INI')
        return []
    found: list[Process] = []
    for section in parser.sections():
        if section not in _SECTIONS and not section.startswith('testenv:'):
            continue
        for key, value in parser.items(section):
            module = _module(key, value)
            if module is not None:
                found.append(_excluded(reading, path, text, module, Kind.tests, section))
    return found


def _module(key: str, value: str) -> str | None:
    if key.upper() == SETTINGS_VARIABLE:
        return value.strip() or None
    match = _SETTINGS_LINE.search(value)
    return match.group('module') if match else None


def _excluded(
    reading: Reading, path: str, text: str, module: str, kind: Kind, section: str,
) -> Process:
    line = next(
        (number for number, written in enumerate(text.splitlines(), start=1) if module in written),
        0,
    )
    where = reading.where(path, line)
    return Process(
        '{0} [{1}]'.format(reading.relative(path), section), where, kind, module, where,
        reason='{0} configuration'.format('test' if kind is Kind.tests else 'CI'),
    )


def _pyproject(reading: Reading, path: str, text: str) -> list[Process]:
    document = platforms._toml(text)  # noqa: WPS437 - the one TOML loader of the package
    if document is None:
        reading.unknown(path, 'malformed TOML')
        return []
    options = document.get('tool', {}).get('pytest', {}).get('ini_options', {})
    module = options.get(SETTINGS_VARIABLE) if isinstance(options, dict) else None
    if not isinstance(module, str):
        return []
    return [_excluded(reading, path, text, module, Kind.tests, 'tool.pytest.ini_options')]


def read_workflow(reading: Reading, path: str) -> list[Process]:
    """A CI workflow: every module it names is CI-only."""
    text = reading.text(path)
    if text is None or (SETTINGS_VARIABLE not in text and '--settings' not in text):
        return []
    documents = yamldocs.load(text)
    if isinstance(documents, str):
        reading.unknown(path, documents)
        return []
    modules: set[str] = set()
    for document in documents:
        _collect(document, modules, 0)
    return [_excluded(reading, path, text, module, Kind.ci, 'CI') for module in sorted(modules)]


def _collect(node: object, modules: set[str], depth: int) -> None:
    if depth > _MAX_WALK:
        return
    if isinstance(node, yamldocs.Map):
        for key, value in node.items():
            if key == SETTINGS_VARIABLE and isinstance(value, str):
                modules.add(value.strip())
            else:
                _collect(value, modules, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _collect(item, modules, depth + 1)
    elif isinstance(node, str):
        modules.update(match.group('module') for match in _FLAG.finditer(node))
        modules.update(match.group('module') for match in _SETTINGS_LINE.finditer(node))
