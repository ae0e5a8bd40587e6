"""
Where a finding about a missing setting goes: a line no bare ``# noqa`` covers.

flake8 silences every code on a line whose ``# noqa`` names no codes, and the codes
(or code prefixes) listed after ``# noqa:`` otherwise. It looks for the comment in the
whole statement a line belongs to (a bracketed or multi-line statement is one range),
and finds the first ``# noqa`` there. ``from .base import *  # noqa`` (written for
F403) on line 1 of a production module would hide that HSTS is missing; a
``# noqa: DJS111`` written on purpose must still silence that code. The rules are
flake8's own (``flake8.defaults.NOQA_INLINE_REGEXP``, ``FileProcessor._noqa_line_mapping``,
``Violation.is_inline_ignored``), restated here so that ``logic`` stays free of flake8.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence
from typing import Final

#: flake8's inline ``# noqa`` pattern: codes are letters then digits.
NOQA: Final = re.compile(
    r'# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?', re.IGNORECASE,
)
#: How flake8 splits the codes of a ``# noqa:`` comment.
_SEPARATORS: Final = re.compile(r'[,\s]')
#: The prefix of every code of ours.
PREFIX: Final = 'DJS'
_BOUNDARIES: Final = frozenset((tokenize.NL, tokenize.NEWLINE))
_SKIPPED: Final = frozenset((tokenize.ENDMARKER, tokenize.DEDENT))


def noqa_text(lines: Sequence[str]) -> dict[int, str]:
    """
    Map each line to the text flake8 searches for ``# noqa``: its whole statement.

    Empty when the source cannot be tokenized (flake8 then reads the physical line).
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(''.join(lines)).readline))
    except (tokenize.TokenError, SyntaxError):
        return {}
    mapping: dict[int, str] = {}
    span: list[int] = []
    for token in tokens:
        if token.type in _SKIPPED:
            continue
        span.extend((token.start[0], token.end[0]))
        if token.type in _BOUNDARIES:
            joined = ''.join(lines[min(span) - 1:max(span)])
            mapping.update(dict.fromkeys(range(min(span), max(span) + 1), joined))
            span = []
    return mapping


def codes_of(text: str) -> frozenset[str] | None:
    """
    The codes the first ``# noqa`` in a text names.

    None when there is no ``# noqa``; the empty set for a bare one (every code).
    """
    found = NOQA.search(text)
    if found is None:
        return None
    listed = found.group('codes')
    if listed is None:
        return frozenset()
    return frozenset(code.strip() for code in _SEPARATORS.split(listed) if code.strip())


def hides_everything(text: str) -> bool:
    """Tell whether a line's ``# noqa`` is bare: flake8 drops every code on it."""
    return codes_of(text) == frozenset()


def names_ours(text: str) -> bool:
    """Tell whether a line's ``# noqa:`` names one of our codes or a prefix of them."""
    codes = codes_of(text)
    return bool(codes) and any(code.startswith(PREFIX) for code in codes or ())


def home_line(source: str, tree: ast.Module | None, start: int = 1) -> int:
    """
    The line a missing-setting finding goes on, from ``start`` (a module's line 1, a class line).

    In a module (``start`` 1, ``tree`` its parse), the first line of its head (docstring, comments, imports) whose
    ``# noqa:`` names one of our codes, when there is one: the user wrote it for
    us. Else the first line from ``start`` that no bare ``# noqa`` covers. When
    every line is covered, ``start``: the user silenced the whole module.
    """
    texts = _searched(source.splitlines(keepends=True), start)
    if start == 1:
        head = _head_end(tree, start + len(texts) - 1)
        chosen = next(
            (number for number, text in texts if number <= head and names_ours(text)), None,
        )
        if chosen is not None:
            return chosen
    return next((number for number, text in texts if not hides_everything(text)), start)


def _searched(lines: Sequence[str], start: int) -> list[tuple[int, str]]:
    """Each line from ``start`` and the text flake8 searches for its ``# noqa``."""
    mapping = noqa_text(lines)
    return [
        (number, mapping.get(number, lines[number - 1]))
        for number in range(start, len(lines) + 1)
    ]


def _head_end(tree: ast.Module | None, total: int) -> int:
    """A module's head ends before its first statement that is no import or docstring."""
    if tree is None:
        return 1
    for index, statement in enumerate(tree.body):
        is_docstring = index == 0 and isinstance(statement, ast.Expr) and isinstance(
            statement.value, ast.Constant,
        ) and isinstance(statement.value.value, str)
        if not (is_docstring or isinstance(statement, (ast.Import, ast.ImportFrom))):
            return statement.lineno - 1
    return total
