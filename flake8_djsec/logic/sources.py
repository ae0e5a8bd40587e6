"""
The one way the package reads a file flake8 did not hand it: a sibling, an entry point.

A read never blocks and never raises. The file is opened non-blocking, so that a
FIFO does not wait for a writer, and only a regular file (symbolic links followed)
of at most ``MAX_SOURCE_BYTES`` is read: a folder, FIFO, socket or device
(``/dev/zero`` would never end), a broken or looping link, a file that cannot be
read or vanished since it was found, all read as None, which makes the module
unknown. Bytes are decoded and parsed as Python imports them: PEP 263 cookie or
byte-order mark, and nothing Python would refuse.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import os
import stat
import tokenize
from typing import Final, final

#: Files larger than this are not read.
MAX_SOURCE_BYTES: Final = 2_000_000
#: Read-only, without waiting on a FIFO, not inherited by child processes; binary on Windows.
_OPEN_FLAGS: Final = (
    os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_CLOEXEC', 0)
    | getattr(os, 'O_BINARY', 0)
)
#: What decoding may raise: an unknown cookie (SyntaxError), a codec that is not a
#: text encoding (LookupError), bytes that are not in the declared encoding.
_UNDECODABLE: Final = (SyntaxError, UnicodeError, LookupError)
#: What parsing may raise: a syntax or decoding error, a NUL byte (ValueError on 3.10),
#: a tree too deep for the interpreter.
_UNPARSABLE: Final = (
    SyntaxError, ValueError, LookupError, RecursionError, MemoryError, OverflowError,
)

#: The cache key of a file: modification time and size.
SourceKey = tuple[int, int]


@final
@dataclasses.dataclass(frozen=True)
class Source:
    """A regular file's bytes and the key they were read under."""

    raw: bytes
    key: SourceKey


def is_regular(path: str) -> bool:
    """Tell whether a path names a regular file (symbolic links followed); never raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_source(path: str) -> Source | None:
    """Return a regular file's bytes, or None for anything that is not one or cannot be read."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None
    try:
        return _read_regular(descriptor)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _read_regular(descriptor: int) -> Source | None:
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_SOURCE_BYTES:
        return None
    chunks: list[bytes] = []
    remaining = MAX_SOURCE_BYTES + 1  # one byte more tells a file that grew past the cap
    while remaining > 0:
        chunk = os.read(descriptor, remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    if remaining <= 0:
        return None
    return Source(b''.join(chunks), (status.st_mtime_ns, status.st_size))


def decode_source(raw: bytes) -> str | None:
    """
    Return source text as ``tokenize.open`` (and so flake8) decodes it; None if Python cannot.

    The encoding is the PEP 263 cookie or byte-order mark's, newlines universal
    (a final lone carriage return too, which ``importlib.util.decode_source`` drops).
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except _UNDECODABLE:
        return None
    try:
        return _universal_newlines(raw.decode(encoding))
    except _UNDECODABLE:
        return None


def latin1_fallback(raw: bytes) -> str:
    """
    Return the text flake8 lints for a file Python cannot decode.

    flake8 then reads the file as latin-1 (universal newlines) and strips a
    UTF-8 byte-order mark, which latin-1 decodes to three characters.
    """
    text = _universal_newlines(raw.decode('latin-1'))
    return text[3:] if text.startswith('\xef\xbb\xbf') else text


def _universal_newlines(text: str) -> str:
    return text.replace('\r\n', '\n').replace('\r', '\n')


def parse_source(raw: bytes, path: str) -> ast.Module | None:
    """Parse bytes as ``import`` compiles them (cookie, BOM); None for what Python refuses."""
    try:
        return ast.parse(raw, filename=path)
    except _UNPARSABLE:
        return None
