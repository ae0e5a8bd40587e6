"""
Reading deployment files safely: size, binary, time caps; unknowns said once.

Every reader gets a ``Reading``: it reads a file's text through the package's
one non-blocking reader of regular files, refuses what is larger than
``MAX_FILE_BYTES``, holds a NUL byte or is not UTF-8, and records each such
file once as unknown. Past ``MAX_SECONDS`` for a project, the files not read
yet are unknown too (a cap, not a result: the run stays bounded).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Final, final

from flake8_djsec.logic import sources
from flake8_djsec.logic.deployment.model import Unknown, Where

#: Deployment files larger than this are unknown.
MAX_FILE_BYTES: Final = 1_000_000
#: Reading one project's deployment files stops after this long.
MAX_SECONDS: Final = 5.0
_NUL: Final = b'\x00'


@final
class Reading:
    """One project's reading: its root, the texts read, the unknowns said."""

    def __init__(self, root: str, clock: Callable[[], float] = time.monotonic) -> None:
        """Start reading below ``root``."""
        self.root = root
        self._clock = clock
        self._deadline = clock() + MAX_SECONDS
        self._texts: dict[str, str | None] = {}
        self._unknowns: dict[tuple[str, str], Unknown] = {}
        self._ignored: Callable[[str], bool] | None = None

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        """What could not be read, in the order it was met."""
        return tuple(self._unknowns.values())

    def relative(self, path: str) -> str:
        """A path as messages show it: relative to the root, POSIX separators."""
        relative = os.path.relpath(path, self.root)
        return relative.replace(os.sep, '/')

    def where(self, path: str, line: int = 0) -> Where:
        """A place in a file, relative to the root."""
        return Where(self.relative(path), line)

    def unknown(self, path: str, reason: str, line: int = 0) -> None:
        """Say once that (part of) a file is unknown."""
        where = self.where(path, line)
        self._unknowns.setdefault((where.path, reason), Unknown(where, reason))

    def text(self, path: str) -> str | None:
        """Return a file's text, or None (said once) when it cannot be read safely."""
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def committed(self, path: str) -> bool:
        """Tell whether a file is in the repository: present and not ignored by ``.gitignore``."""
        if not sources.is_regular(path):
            return False
        if self._ignored is None:
            from flake8_djsec.logic.deployment import ignores  # noqa: WPS433 - lazily: pathspec
            self._ignored = ignores.matcher(self.root, self.text)
        return not self._ignored(self.relative(path))

    def _read(self, path: str) -> str | None:
        if self._clock() > self._deadline:
            self.unknown(path, 'not read: the time cap for deployment files was reached')
            return None
        source = sources.read_source(path)
        if source is None:
            self.unknown(path, 'not a readable regular file of at most {0} bytes'.format(
                sources.MAX_SOURCE_BYTES,
            ))
            return None
        if len(source.raw) > MAX_FILE_BYTES:
            self.unknown(path, 'larger than {0} bytes'.format(MAX_FILE_BYTES))
            return None
        if _NUL in source.raw:
            self.unknown(path, 'binary (a NUL byte)')
            return None
        try:
            text = source.raw.decode('utf-8-sig')
        except UnicodeDecodeError:
            self.unknown(path, 'not UTF-8 text')
            return None
        return text.replace('\r\n', '\n').replace('\r', '\n')
