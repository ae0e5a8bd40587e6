"""
``${VAR}`` interpolation as compose and env files do it, in the empty environment.

Known variables are those the same file (or the compose project's ``.env``) set
earlier. A reference to an unset variable takes its default (``${X:-d}``,
``${X-d}``); without one, or with ``${X:?err}``, a nested default or a
variable that refers to itself, the value is unknown (None): never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

_REFERENCE: Final = re.compile(
    r'\$(?:\$|(?P<bare>[A-Za-z_][A-Za-z0-9_]*)|\{(?P<body>[^}]*)\})',
)
_BODY: Final = re.compile(
    r'^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-?+])(?P<word>.*))?$', re.DOTALL,
)


def interpolate(text: str, known: Mapping[str, str], itself: str = '') -> str | None:
    """Return ``text`` with its references replaced; None when one cannot be decided."""
    parts: list[str] = []
    cursor = 0
    for match in _REFERENCE.finditer(text):
        parts.append(text[cursor:match.start()])
        cursor = match.end()
        replaced = _replacement(match, known, itself)
        if replaced is None:
            return None
        parts.append(replaced)
    parts.append(text[cursor:])
    return ''.join(parts)


def _replacement(match: re.Match[str], known: Mapping[str, str], itself: str) -> str | None:
    if match.group(0) == '$$':
        return '$'
    bare = match.group('bare')
    if bare is not None:
        return _lookup(bare, None, known, itself)
    body = _BODY.match(match.group('body') or '')
    if body is None:
        return None
    operator = body.group('operator') or ''
    word = body.group('word') or ''
    if '$' in word or '?' in operator:
        return None
    name = body.group('name')
    if name == itself:
        return None
    if operator.endswith('+'):
        present = known.get(name)
        return word if present or (present is not None and ':' not in operator) else ''
    if operator == ':-':
        return known.get(name) or word
    return _lookup(name, word if operator == '-' else None, known, itself)


def _lookup(name: str, default: str | None, known: Mapping[str, str], itself: str) -> str | None:
    if name == itself:
        return None
    return known.get(name, default)
