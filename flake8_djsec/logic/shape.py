"""
The shape of one module for the code rules: every node's enclosing nodes, and memos shared by rules.

Built once per module (through the code index) and shared by every provenance
analysis of the module: DJS160 and DJS161 ask the same structural questions
(which function holds a call, which branches enclose a binding) of the same tree.
Nothing is computed up front: a module no rule judges pays nothing.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar, cast, final

#: A binding: its statement, and the target (or the statement) that binds the name.
Bound = tuple[ast.AST, ast.AST]
#: Every name a scope binds -> its bindings in source order.
ScopeBindings = dict[str, list[Bound]]
_Position = tuple[int, int]
#: A child, where it starts and where it ends.
_Span = tuple[ast.AST, _Position, _Position]
#: The span of a node without a position: it may hold any place.
_EVERYWHERE: tuple[_Position, _Position] = ((0, 0), (sys.maxsize, sys.maxsize))
#: A node being descended into (None: the module), with its children left to see.
_Descent = tuple[ast.AST | None, Iterator[_Span]]
_DECORATED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_Shared = TypeVar('_Shared')


@final
class ModuleShape:
    """The enclosing nodes of any node of the module's statements, found when asked."""

    def __init__(self, body: list[ast.stmt]) -> None:
        """Keep the module's top-level statements (their own parents are not asked for)."""
        self._body = body
        self._paths: dict[int, tuple[ast.AST, ...]] = {}
        self._parents: dict[int, ast.AST] | None = None
        self._spans: dict[int, list[_Span]] = {}
        #: Each scope's bindings by ``id`` of the function (or of None, the module).
        self.scope_bindings: dict[int, ScopeBindings] = {}
        self._shared: dict[str, object] = {}

    def shared(self, name: str, build: Callable[[], _Shared]) -> _Shared:
        """One object of the module's analyses by name (its call sites, its classes), built once."""
        if name not in self._shared:
            self._shared[name] = build()
        return cast(_Shared, self._shared[name])

    def ancestors(self, node: ast.AST) -> tuple[ast.AST, ...]:
        """
        The nodes holding ``node``, innermost first, up to a top-level statement.

        Found by descending from the module into the only children whose lines and
        columns hold the node's start, so a question costs the node's depth, not the
        module's size. A node that has no position, or that the positions do not lead
        to (a parser whose positions do not nest), is found in a full parent map.
        """
        key = id(node)
        path = self._paths.get(key)
        if path is None:
            path = self._descend(node)
            if path is None:
                path = self._from_parents(node)
            self._paths[key] = path
        return path

    def _descend(self, node: ast.AST) -> tuple[ast.AST, ...] | None:
        start = _start(node)
        if start is None:
            return None
        pending: list[_Descent] = [(None, iter(self._spans_of(None)))]
        while pending:
            entry = next(pending[-1][1], None)
            if entry is None:
                pending.pop()
            elif entry[0] is node:
                return tuple(parent for parent, _ in reversed(pending) if parent is not None)
            elif entry[1] <= start <= entry[2]:
                pending.append((entry[0], iter(self._spans_of(entry[0]))))
        return None

    def _spans_of(self, node: ast.AST | None) -> list[_Span]:
        """A node's children (the module's statements for None) with their spans, listed once."""
        key = id(node)
        found = self._spans.get(key)
        if found is None:
            children = self._body if node is None else child_nodes(node)
            found = [(child, *_span(child)) for child in children]
            self._spans[key] = found
        return found

    def _from_parents(self, node: ast.AST) -> tuple[ast.AST, ...]:
        parents = self._parent_map()
        found: list[ast.AST] = []
        current = parents.get(id(node))
        while current is not None:
            found.append(current)
            current = parents.get(id(current))
        return tuple(found)

    def _parent_map(self) -> dict[int, ast.AST]:
        if self._parents is None:
            parents: dict[int, ast.AST] = {}
            pending: list[ast.AST] = list(self._body)
            while pending:
                parent = pending.pop()
                for child in ast.iter_child_nodes(parent):
                    parents[id(child)] = parent
                    pending.append(child)
            self._parents = parents
        return self._parents


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """A node's children in ``ast.iter_child_nodes``'s order, less the contexts, read directly."""
    found: list[ast.AST] = []
    for field in node._fields:
        child = getattr(node, field, None)
        if isinstance(child, list):
            found.extend([item for item in child if isinstance(item, ast.AST)])
        elif isinstance(child, ast.AST) and not isinstance(child, ast.expr_context):
            found.append(child)
    return found


def _start(node: ast.AST) -> _Position | None:
    line = getattr(node, 'lineno', None)
    if line is None:
        return None
    return line, getattr(node, 'col_offset', 0) or 0


def _span(node: ast.AST) -> tuple[_Position, _Position]:
    """Where a node starts (its decorators included) and ends; everywhere without a position."""
    first = _start(node)
    last_line = getattr(node, 'end_lineno', None)
    if first is None or last_line is None:
        return _EVERYWHERE  # no position (arguments, comprehension, match_case): look inside
    if isinstance(node, _DECORATED) and node.decorator_list:
        first = min(first, *(_start(decorator) or first for decorator in node.decorator_list))
    return first, (last_line, getattr(node, 'end_col_offset', 0) or 0)
