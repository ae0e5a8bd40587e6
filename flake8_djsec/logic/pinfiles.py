"""
What each kind of file says about a package's version: one small reader per format.

Readers take what was read (text, or a parsed TOML/JSON document) and return the
mentions of the wanted packages, in the file's order; anything of an unexpected
shape is skipped, never an error. Names compare as PEP 503 normalises them
(``Django``, ``django_csp`` and ``django-csp`` are one name each).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Final, cast, final

from flake8_djsec.logic import specifiers

_NAME: Final = re.compile(r'^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?(.*)$')
_SEPARATORS: Final = re.compile(r'[-_.]+')
_COMMENT: Final = re.compile(r'(?:^|\s)#.*$')
#: Options at the end of a requirement line (``--hash=...``).
_LINE_OPTION: Final = re.compile(r'\s--?[A-Za-z]')
#: Requirement-file options that name another file to read, longest first.
_INCLUDE_FLAGS: Final = ('--requirement', '--constraint', '-r', '-c')
_DEPENDENCIES: Final = 'dependencies'


@final
@dataclasses.dataclass(frozen=True)
class Mention:
    """A package named in a file, with what it allows (None: a URL or text we cannot read)."""

    package: str
    spec: str
    allowed: specifiers.Range | None
    locked: bool = False


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return _SEPARATORS.sub('-', name).lower()


def requirement(text: str) -> tuple[str, str, specifiers.Range | None] | None:
    """Read a PEP 508 requirement: its normalised name, specifier as written, and range."""
    matched = _NAME.match(text)
    if matched is None:
        return None
    rest = matched.group(3).split(';', 1)[0].strip()
    name = normalize(matched.group(1))
    if rest.startswith('@'):
        return name, rest, None  # a URL: no version we can read
    spec = rest.strip('()').strip()
    return name, spec, specifiers.pep440(spec)


def requirements_file(text: str, wanted: Collection[str]) -> tuple[list[Mention], list[str]]:
    """A requirements file's mentions and the files it includes (``-r``/``-c``), in order."""
    mentions: list[Mention] = []
    includes: list[str] = []
    for line in _logical_lines(text):
        if line.startswith('-'):
            included = _included(line)
            if included is not None:
                includes.append(included)
            continue
        mentions.extend(_mentions([_LINE_OPTION.split(line, 1)[0]], wanted))
    return mentions, includes


def pyproject(document: Mapping[str, object], wanted: Collection[str]) -> list[Mention]:
    """``[project]`` dependencies, optional ones, dependency groups, Poetry's and uv's tables."""
    project = _table(document, 'project')
    poetry = _table(_table(document, 'tool'), 'poetry')
    found = [
        *_mentions(_strings(project.get(_DEPENDENCIES)), wanted),
        *_poetry_table(_table(poetry, _DEPENDENCIES), wanted),
    ]
    for extra in _extra_lists(document, project):
        found.extend(_mentions(_strings(extra), wanted))
    for table in _poetry_extra_tables(poetry):
        found.extend(_poetry_table(table, wanted))
    return found


def pipfile(document: Mapping[str, object], wanted: Collection[str]) -> list[Mention]:
    """A Pipfile's ``[packages]``, then ``[dev-packages]`` (pipenv's specifiers are PEP 440)."""
    found: list[Mention] = []
    for section in ('packages', 'dev-packages'):
        for name, entry in _wanted(_table(document, section), wanted):
            spec = _entry_version(entry)
            if spec is not None:
                found.append(Mention(name, spec, _pipenv_range(spec)))
    return found


def lock_packages(document: Mapping[str, object], wanted: Collection[str]) -> list[Mention]:
    """``uv.lock`` and ``poetry.lock``: a ``[[package]]`` table per locked distribution."""
    packages = document.get('package')
    found: list[Mention] = []
    for table in map(_as_table, packages if isinstance(packages, list) else []):
        name, version = table.get('name'), table.get('version')
        if isinstance(name, str) and isinstance(version, str) and normalize(name) in wanted:
            found.append(_locked(normalize(name), version))
    return found


def pipfile_lock(document: Mapping[str, object], wanted: Collection[str]) -> list[Mention]:
    """``Pipfile.lock`` (JSON): ``default``, then ``develop``: a name to ``{"version": "==X"}``."""
    found: list[Mention] = []
    for section in ('default', 'develop'):
        for name, entry in _wanted(_table(document, section), wanted):
            version = _as_table(entry).get('version')
            if isinstance(version, str):
                found.append(_locked(name, version.strip().lstrip('=')))
    return found


def _extra_lists(document: Mapping[str, object], project: Mapping[str, object]) -> list[object]:
    """Lists of PEP 508 requirements beyond ``[project]`` dependencies, in the order they count."""
    uv_table = _table(_table(document, 'tool'), 'uv')
    return [
        *_table(project, 'optional-dependencies').values(),
        *_table(document, 'dependency-groups').values(),
        uv_table.get('dev-dependencies'),
        uv_table.get('constraint-dependencies'),
    ]


def _poetry_extra_tables(poetry: Mapping[str, object]) -> list[Mapping[str, object]]:
    """Poetry's development table and its groups' tables."""
    groups = _table(poetry, 'group').values()
    return [
        _table(poetry, 'dev-dependencies'),
        *(_table(_as_table(group), _DEPENDENCIES) for group in groups),
    ]


def _pipenv_range(spec: str) -> specifiers.Range | None:
    return specifiers.Range() if spec == '*' else specifiers.pep440(spec)


def _locked(name: str, version: str) -> Mention:
    return Mention(name, version, specifiers.exact(version), locked=True)


def parse_toml(raw: bytes) -> object:
    """A TOML document (UTF-8); None when no TOML parser is available (3.10 without tomli)."""
    loads = _toml_loads()
    return None if loads is None else loads(raw.decode('utf-8'))


def parse_json(raw: bytes) -> object:
    """A JSON document (UTF-8, a byte-order mark allowed)."""
    return json.loads(raw.decode('utf-8-sig'))


@functools.cache
def _toml_loads() -> Callable[[str], dict[str, object]] | None:
    """``tomllib.loads`` (3.11+), else ``tomli.loads`` when installed, else None."""
    name = 'tomllib' if sys.version_info >= (3, 11) else 'tomli'
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return cast(Callable[[str], dict[str, object]], module.loads)


def _logical_lines(text: str) -> Iterator[str]:
    """pip's lines: comments dropped, a trailing backslash joining the next line."""
    pending = ''
    for raw in text.splitlines():
        if raw.endswith('\\'):
            pending += raw[:-1]
            continue
        line = _COMMENT.sub('', pending + raw).strip()
        pending = ''
        if line:
            yield line
    if pending.strip():
        yield _COMMENT.sub('', pending).strip()


def _included(line: str) -> str | None:
    for flag in _INCLUDE_FLAGS:
        if line.startswith(flag):
            rest = line[len(flag):]
            if rest[:1] not in {'', ' ', '\t', '='} and flag.startswith('--'):
                return None  # another long option that starts the same way
            target = rest.lstrip('= \t').split()
            return target[0] if target else None
    return None


def _mentions(texts: Iterable[str], wanted: Collection[str]) -> Iterator[Mention]:
    for text in texts:
        read = requirement(text)
        if read is not None and read[0] in wanted:
            yield Mention(*read)


def _poetry_table(table: Mapping[str, object], wanted: Collection[str]) -> Iterator[Mention]:
    for name, entry in _wanted(table, wanted):
        spec = _entry_version(entry)
        if spec is not None:
            yield Mention(name, spec, specifiers.poetry(spec))


def _wanted(table: Mapping[str, object], wanted: Collection[str]) -> Iterator[tuple[str, object]]:
    """A table's entries for the wanted packages, under their normalised names."""
    for name, entry in table.items():
        if normalize(name) in wanted:
            yield normalize(name), entry


def _entry_version(entry: object) -> str | None:
    """A dependency table's value: ``"^4.2"``, or ``{version = "^4.2", extras = [...]}``."""
    if isinstance(entry, str):
        return entry.strip()
    version = _as_table(entry).get('version')
    return version.strip() if isinstance(version, str) else None


def _table(document: Mapping[str, object], key: str) -> Mapping[str, object]:
    return _as_table(document.get(key))


def _as_table(candidate: object) -> Mapping[str, object]:
    if isinstance(candidate, dict):
        return {str(key): entry for key, entry in candidate.items()}
    return {}


def _strings(candidate: object) -> list[str]:
    if not isinstance(candidate, list):
        return []
    return [entry for entry in candidate if isinstance(entry, str)]


#: A reader of a parsed document (TOML or JSON): the document and the wanted names.
Reader = Callable[[Mapping[str, object], Collection[str]], list[Mention]]
