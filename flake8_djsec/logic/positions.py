"""Where inside a setting's assignment a finding belongs: the line of a key in a dict literal."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from flake8_djsec.logic.nodes import walk


def key_line(
    tree: ast.Module | None, line: int, keys: Sequence[object], name: str | None = None,
) -> int | None:
    """
    The line of the innermost key of ``keys`` in the dict literal assigned on ``line``.

    ``DATABASES = {"default": {..., "PASSWORD": "x"}}`` spread over lines: the line of
    ``"PASSWORD"``. When the statement on that line changes other keys of ``name``
    (``DATABASES["default"]["HOST"] = ...``, ``.update({"PORT": ...})``), the module's
    statements before it are read back to the last that wrote the key. None when the
    value was built otherwise: the finding stays on the assignment.
    """
    if tree is None or not keys:
        return None
    assignments = (
        node.value for node in walk(tree)
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno == line
    )
    found = next(filter(None, (_descend(value, keys) for value in assignments)), None)
    if found is not None or name is None:
        return found
    return _written_before(tree, line, keys, name)


def _written_before(tree: ast.Module, line: int, keys: Sequence[object], name: str) -> int | None:
    """Read the module's statements back from ``line`` to the last that wrote ``name[keys]``."""
    for statement in reversed([node for node in tree.body if node.lineno <= line]):
        written = _writes(statement, name, keys)
        if written is not _UNTOUCHED:
            return written if isinstance(written, int) else None
    return None


#: A statement that does not write the key: read further back.
_UNTOUCHED: object = object()


def _writes(statement: ast.stmt, name: str, keys: Sequence[object]) -> object:
    """
    The line ``statement`` writes ``name[keys]`` on, ``_UNTOUCHED``, or None (written otherwise).

    ``NAME = {...}``, ``NAME[k] = {...}`` / ``NAME[k1][k2] = ...`` and ``NAME[k].update({...})``.
    """
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        return _assigned(statement.targets[0], statement.value, name, keys)
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return _assigned(statement.target, statement.value, name, keys)
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        return _updated(statement.value, name, keys)
    return _UNTOUCHED


def _assigned(target: ast.expr, value: ast.expr, name: str, keys: Sequence[object]) -> object:
    path = _subscript_keys(target, name)
    if path is None or not _overlaps(path, keys):
        return _UNTOUCHED
    if len(path) >= len(keys):
        return target.lineno if len(path) == len(keys) else _UNTOUCHED
    return _descend(value, keys[len(path):])


def _updated(call: ast.Call, name: str, keys: Sequence[object]) -> object:
    function = call.func
    if not (isinstance(function, ast.Attribute) and function.attr == 'update'):
        return _UNTOUCHED
    path = _subscript_keys(function.value, name)
    if path is None or len(path) >= len(keys) or not _overlaps(path, keys):
        return _UNTOUCHED
    table = call.args[0] if len(call.args) == 1 and not call.keywords else None
    if not isinstance(table, ast.Dict):
        return None  # updated with what we do not read: the key may be written there
    if _entry(table, keys[len(path)]) is None:
        return _UNTOUCHED
    return _descend(table, keys[len(path):])


def _subscript_keys(target: ast.expr, name: str) -> list[object] | None:
    """``NAME["a"]["b"]``: ``["a", "b"]``; None for anything else (another name, a computed key)."""
    path: list[object] = []
    node = target
    while isinstance(node, ast.Subscript):
        if not isinstance(node.slice, ast.Constant):
            return None
        path.append(node.slice.value)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == name):
        return None
    return list(reversed(path))


def _overlaps(path: Sequence[object], keys: Sequence[object]) -> bool:
    """One is a prefix of the other: the statement writes the key, or a dict holding it."""
    return all(left == right for left, right in zip(path, keys))


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
