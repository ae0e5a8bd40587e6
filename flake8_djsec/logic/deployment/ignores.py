"""
Which files ``.gitignore`` keeps out of the repository (pathspec's git semantics).

Imported only when a deployment file loads an env file: pathspec is a runtime
dependency for exactly this question (is ``.envs/.production/.django``
committed?). The ``.gitignore`` files read are the root's and those of each
folder between the root and the file, as git reads them.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Callable

import pathspec


def matcher(root: str, text: Callable[[str], str | None]) -> Callable[[str], bool]:
    """Return a predicate over root-relative POSIX paths: ignored by some ``.gitignore``."""
    return functools.partial(_ignored, root, text, {})


def _ignored(
    root: str,
    text: Callable[[str], str | None],
    specs: dict[str, pathspec.GitIgnoreSpec | None],
    relative: str,
) -> bool:
    folders = [''] + _ancestors(relative)
    ignored = False
    for folder in folders:
        spec = _spec(root, text, specs, folder)
        if spec is None:
            continue
        inside = posixpath.relpath(relative, folder) if folder else relative
        outcome = spec.check_file(inside).include
        if outcome is not None:
            ignored = outcome
    return ignored


def _ancestors(relative: str) -> list[str]:
    parts = relative.split('/')[:-1]
    return ['/'.join(parts[:index]) for index in range(1, len(parts) + 1)]


def _spec(
    root: str,
    text: Callable[[str], str | None],
    specs: dict[str, pathspec.GitIgnoreSpec | None],
    folder: str,
) -> pathspec.GitIgnoreSpec | None:
    if folder not in specs:
        path = os.path.join(root, folder, '.gitignore')
        lines = text(path) if os.path.isfile(path) else None
        specs[folder] = None if lines is None else pathspec.GitIgnoreSpec.from_lines(
            lines.splitlines(),
        )
    return specs[folder]
