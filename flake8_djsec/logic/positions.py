"""Where inside a setting's assignment a finding belongs: the line of a key in a dict literal."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from flake8_djsec.logic.nodes import walk


def key_line(tree: ast.Module | None, line: int, keys: Sequence[object]) -> int | None:
    """
    The line of the innermost key of ``keys`` in the dict literal assigned on ``line``.

    ``DATABASES = {"default": {..., "PASSWORD": "x"}}`` spread over lines: the line of
    ``"PASSWORD"``. None when the statement on that line assigns no such literal
    (the value was built otherwise): the finding stays on the assignment.
    """
    if tree is None or not keys:
        return None
    assignments = (
        node.value for node in walk(tree)
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno == line
    )
    return next(filter(None, (_descend(value, keys) for value in assignments)), None)


def _descend(node: ast.expr | None, keys: Sequence[object]) -> int | None:
    """Follow the keys through nested dict literals; the line of the last key found."""
    key_line_found: int | None = None
    for key in keys:
        found = _entry(node, key)
        if found is None:
            return None
        key_line_found, node = found[0].lineno, found[1]
    return key_line_found


def _entry(node: ast.expr | None, key: object) -> tuple[ast.expr, ast.expr] | None:
    """A dict literal's entry for a constant key (a repeated key: the last, as Python keeps)."""
    if not isinstance(node, ast.Dict):
        return None
    pairs = [
        (candidate, value) for candidate, value in zip(node.keys, node.values)
        if isinstance(candidate, ast.Constant) and candidate.value == key
    ]
    return pairs[-1] if pairs else None
