"""
The versions a project pins for itself: requirements files, ``pyproject.toml``, lock files.

From a module's folder upward (nearest folder first; at most ``MAX_FOLDERS``, and
never above the repository's root, the folder holding ``.git``, or the home
folder), each folder's files are read in this order, the first that pins a
package answering for it:

1. lock files, which say what is installed: ``uv.lock``, ``poetry.lock``, ``Pipfile.lock``;
2. declarations: ``pyproject.toml`` (``[project]`` dependencies, optional ones,
   dependency groups, ``[tool.poetry]`` and ``[tool.uv]`` tables), ``Pipfile``;
3. requirements files, ``requirements*.txt`` and ``requirements/*.txt``: production
   ones (``production.txt``, ``requirements-prod.txt``) first, development ones
   (named by a development word) last, each with the files it includes
   (``-r``/``-c``, depth-first, cycle-safe, at most ``MAX_FILES`` a folder).

Every file is read once while it is unchanged (cached by path, modification time
and size) through the package's one safe reader (regular files of at most 2 MB,
never blocking); a file that cannot be read or parsed (malformed TOML or JSON,
not UTF-8) pins nothing. TOML needs ``tomllib`` (Python 3.11+) or ``tomli``; on
3.10 without ``tomli`` the TOML files pin nothing. Pure: no flake8, no imports of
the analysed project.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Final, cast, final

from flake8_djsec.logic import pinfiles, sources
from flake8_djsec.logic.runs import RUN
from flake8_djsec.logic.specifiers import Range

#: The packages whose versions decide which checks apply.
PACKAGES: Final = frozenset(('django', 'django-csp'))
#: Folders searched, the module's own included.
MAX_FOLDERS: Final = 6
#: Requirements files read in one folder, includes counted.
MAX_FILES: Final = 64
#: How deep ``-r`` includes are followed.
MAX_INCLUDE_DEPTH: Final = 8

_REPOSITORY_MARKER: Final = '.git'
_REQUIREMENTS: Final = 'requirements'
_TEXT_SUFFIX: Final = '.txt'
_PRODUCTION_WORDS: Final = frozenset(('prod', 'production', 'deploy', 'deployment', 'live'))
_WORDS: Final = re.compile('[^a-z0-9]+')
_Parsed = tuple[sources.SourceKey, object]
_Parser = Callable[[bytes], object]
#: A file read as a whole document: its name, its parser and its reader.
_Document = tuple[str, _Parser, 'pinfiles.Reader']
_FILES: dict[tuple[str, str], _Parsed] = {}  # noqa: WPS407 - read cache (path, mtime, size)


@final
@dataclasses.dataclass(frozen=True)
class Pin:
    """A package's pin: the file, what it says as written, and the releases it allows."""

    package: str
    spec: str
    allowed: Range
    path: str
    locked: bool


def project_pins(start: str, dev_words: Sequence[str] = ()) -> tuple[Pin, ...]:
    """
    Return the pins of ``PACKAGES`` that apply to the module at ``start``, first ones first.

    Pins that say nothing readable (a URL, ``*``) are kept: the caller decides what
    a range tells; it takes, for each package, the first pin that decides.
    """
    found: list[Pin] = []
    for folder in _folders(os.path.dirname(os.path.abspath(start))):
        found.extend(RUN.remember(
            ('pins', folder, tuple(dev_words)),
            functools.partial(_folder_pins, folder, tuple(dev_words)),
        ))
    return tuple(found)


def _folders(folder: str) -> Iterator[str]:
    home = os.path.expanduser('~')
    for _ in range(MAX_FOLDERS):
        if folder == home:
            return
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder or _exists(os.path.join(folder, _REPOSITORY_MARKER)):
            return
        folder = parent


def _folder_pins(folder: str, dev_words: tuple[str, ...]) -> tuple[Pin, ...]:
    found: list[Pin] = []
    for document in _DOCUMENTS:
        found.extend(_document_pins(folder, *document))
    seen: set[str] = set()
    for path in requirements_files(folder, dev_words):
        found.extend(_requirements_pins(path, seen, MAX_INCLUDE_DEPTH))
    return tuple(found)


def requirements_files(folder: str, dev_words: Sequence[str] = ()) -> list[str]:
    """A folder's requirements files in the order they count: production first, development last."""
    candidates = [
        os.path.join(folder, name) for name in _names(folder)
        if name.startswith(_REQUIREMENTS) and name.endswith(_TEXT_SUFFIX)
    ]
    nested = os.path.join(folder, _REQUIREMENTS)
    candidates.extend(
        os.path.join(nested, name) for name in _names(nested) if name.endswith(_TEXT_SUFFIX)
    )
    regular = [path for path in candidates if sources.is_regular(path)]
    return sorted(regular, key=functools.partial(_rank, frozenset(dev_words)))


def _rank(dev_words: frozenset[str], path: str) -> tuple[int, str]:
    name = os.path.basename(path)[:-len(_TEXT_SUFFIX)]
    words = set(_WORDS.split(name.lower())) - {_REQUIREMENTS, ''}
    if words & dev_words:
        return 2, path
    return (0 if words & _PRODUCTION_WORDS else 1), path


def _requirements_pins(path: str, seen: set[str], depth: int) -> Iterator[Pin]:
    """A requirements file's pins, each included file's at the place it is included."""
    key = os.path.normpath(path)
    if key in seen or len(seen) >= MAX_FILES or depth <= 0:
        return
    seen.add(key)
    read = _cached(key, _read_requirements)
    if not isinstance(read, tuple):
        return
    mentions, includes = cast(tuple[list[pinfiles.Mention], list[str]], read)
    yield from _pins(mentions, key)
    for included in includes:
        if '://' not in included:  # pip fetches those; we never touch the network
            yield from _requirements_pins(
                os.path.join(os.path.dirname(key), os.path.expanduser(included)), seen, depth - 1,
            )


def _document_pins(folder: str, name: str, parse: _Parser, reader: pinfiles.Reader) -> list[Pin]:
    path = os.path.join(folder, name)
    if not _exists(path):
        return []
    document = _cached(path, parse)
    if not isinstance(document, dict):
        return []
    return list(_pins(reader(document, PACKAGES), path))


def _pins(mentions: Sequence[pinfiles.Mention], path: str) -> Iterator[Pin]:
    for mention in mentions:
        if mention.allowed is not None:
            yield Pin(mention.package, mention.spec, mention.allowed, path, mention.locked)


def _cached(path: str, parse: _Parser) -> object:
    """A file's parse, read again only when its modification time or size changed."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    key = (status.st_mtime_ns, status.st_size)
    cache_key = (path, parse.__name__)
    cached = _FILES.get(cache_key)
    if cached is None or cached[0] != key:
        read = sources.read_source(path)
        cached = (key, None) if read is None else (read.key, _parse(parse, read.raw))
        _FILES[cache_key] = cached
    return cached[1]


def _parse(parse: _Parser, raw: bytes) -> object:
    try:
        return parse(raw)
    except (ValueError, RecursionError):  # malformed (or not UTF-8): pins nothing
        return None


def _read_requirements(raw: bytes) -> tuple[list[pinfiles.Mention], list[str]]:
    return pinfiles.requirements_file(raw.decode('utf-8-sig'), PACKAGES)


def _names(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except (OSError, ValueError):
        return []


def _exists(path: str) -> bool:
    try:
        return os.path.lexists(path)
    except ValueError:
        return False


#: The files read as whole documents, in the order they count within a folder.
_DOCUMENTS: Final[tuple[_Document, ...]] = (
    ('uv.lock', pinfiles.parse_toml, pinfiles.lock_packages),
    ('poetry.lock', pinfiles.parse_toml, pinfiles.lock_packages),
    ('Pipfile.lock', pinfiles.parse_json, pinfiles.pipfile_lock),
    ('pyproject.toml', pinfiles.parse_toml, pinfiles.pyproject),
    ('Pipfile', pinfiles.parse_toml, pinfiles.pipfile),
)
