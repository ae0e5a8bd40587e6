"""Which files a run checks: flake8's walk and exclude matching, and no virtualenvs."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from typing import Final

from flake8 import utils

from flake8_djsec.command.errors import UsageError

_LOG: Final = logging.getLogger(__name__)
_EXCLUDED: Final = '"%(path)s" has %(whether)sbeen excluded'
#: The file every virtual environment (venv, virtualenv, uv) has at its root.
_VENV_MARKER: Final = 'pyvenv.cfg'


def expand(
    paths: Sequence[str],
    exclude: Sequence[str],
    filename_patterns: Sequence[str],
) -> list[str]:
    """
    Return the files to check, each once, as flake8 names them.

    A path given explicitly is checked whatever its name; inside folders only
    names matching ``filename_patterns``; nothing matching ``exclude`` (on the
    base name or the absolute path, as flake8 matches) and no folder holding
    ``pyvenv.cfg``. A path that does not exist is a usage error.
    """
    found: dict[str, None] = {}
    for path in paths or ['.']:
        if not os.path.exists(path):
            raise UsageError('no such file or folder: {0!r}'.format(path))
        found.update(dict.fromkeys(_expand_one(path, exclude, filename_patterns)))
    return list(found)


def _expand_one(
    path: str, exclude: Sequence[str], filename_patterns: Sequence[str],
) -> Iterator[str]:
    if _excluded(path, exclude):
        return
    if os.path.isdir(path):
        yield from _walk(path, exclude, filename_patterns)
    else:
        yield path


def _walk(folder: str, exclude: Sequence[str], filename_patterns: Sequence[str]) -> Iterator[str]:
    for root, folders, names in os.walk(folder):
        kept = [name for name in folders if not _skipped(os.path.join(root, name), exclude)]
        folders.clear()  # os.walk descends only into what the list still holds
        folders.extend(kept)
        yield from (
            os.path.join(root, name) for name in names
            if _wanted(os.path.join(root, name), exclude, filename_patterns)
        )


def _wanted(path: str, exclude: Sequence[str], filename_patterns: Sequence[str]) -> bool:
    return (
        bool(utils.fnmatch(path, filename_patterns))
        and not _excluded(path, exclude)
        and not _special(path)
    )


def _special(path: str) -> bool:
    """
    A FIFO, socket or device met in a walk: reading it would block or never end.

    flake8 would hang on such a file; a broken link (no file at all) stays in,
    for flake8's E902 as flake8 reports it.
    """
    return os.path.exists(path) and not os.path.isfile(path)


def _skipped(folder: str, exclude: Sequence[str]) -> bool:
    return _excluded(folder, exclude) or os.path.isfile(os.path.join(folder, _VENV_MARKER))


def _excluded(path: str, exclude: Sequence[str]) -> bool:
    return bool(utils.matches_filename(path, patterns=exclude, log_message=_EXCLUDED, logger=_LOG))
