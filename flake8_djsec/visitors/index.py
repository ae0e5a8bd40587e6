"""One walk of a module's AST, collecting what the code rules look at."""

from __future__ import annotations

import ast
import bisect
import dataclasses
from typing import final

from flake8_djsec.logic.nodes import walk
from flake8_djsec.logic.shape import ModuleShape

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: The other node types the index keeps something of (a node of another type is skipped).
_COLLECTED = frozenset((
    ast.Call, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Name, ast.Attribute,
    ast.Import, ast.ImportFrom,
))


@final
class _Scopes:
    """
    The functions of a module by first line, each with its enclosing function.

    Finds the innermost function holding a line in O(nesting depth), where scanning
    every function for every judged call made a module of N views quadratic.
    """

    def __init__(self, functions: list[_Function]) -> None:
        self._functions = sorted(functions, key=lambda function: function.lineno)
        self._starts = [function.lineno for function in self._functions]
        self._parents: list[int] = []
        open_functions: list[int] = []
        for position, function in enumerate(self._functions):
            while open_functions and _end(self._functions[open_functions[-1]]) < function.lineno:
                open_functions.pop()
            self._parents.append(open_functions[-1] if open_functions else -1)
            open_functions.append(position)

    def innermost(self, line: int) -> _Function | None:
        # The last function starting at or before the line, or the first of its enclosing
        # functions that reaches the line: functions nest, so no other can hold it.
        position = bisect.bisect_right(self._starts, line) - 1
        while position >= 0 and _end(self._functions[position]) < line:
            position = self._parents[position]
        return self._functions[position] if position >= 0 else None


def _end(function: _Function) -> int:
    return function.end_lineno or function.lineno


@final
@dataclasses.dataclass
class CodeIndex:
    """Imports, decorators and calls of one module."""

    #: Local name -> qualified name, from every import statement.
    imports: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Every call, in source order.
    calls: list[ast.Call] = dataclasses.field(default_factory=list)
    #: Every decorator expression, in source order.
    decorators: list[ast.expr] = dataclasses.field(default_factory=list)
    #: Every name or attribute read whose last part is one of the watched names.
    references: list[ast.Name | ast.Attribute] = dataclasses.field(default_factory=list)
    #: Every function definition, in walk order (to find the scope of a call).
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = dataclasses.field(
        default_factory=list,
    )
    #: The module's top-level statements.
    body: list[ast.stmt] = dataclasses.field(default_factory=list)
    _scopes: _Scopes | None = dataclasses.field(default=None, repr=False, compare=False)
    _shape: ModuleShape | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def shape(self) -> ModuleShape:
        """The module's shape, shared by every rule that analyses it (built when first asked)."""
        if self._shape is None:
            self._shape = ModuleShape(self.body)
        return self._shape

    def function_at(self, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """Return the innermost function whose lines hold ``line``, if any."""
        if self._scopes is None:
            self._scopes = _Scopes(self.functions)
        return self._scopes.innermost(line)

    def qualname(self, node: ast.expr) -> str | None:
        """Resolve a name or attribute chain through the imports, e.g. ``csrf.csrf_exempt``."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.imports.get(node.id, node.id))
        return '.'.join(reversed(parts))


def build_index(tree: ast.AST, watched: frozenset[str]) -> CodeIndex:
    """Walk the tree once; never mutate it."""
    index = CodeIndex(body=list(getattr(tree, 'body', [])))
    for node in walk(tree):
        kind = type(node)
        # Most nodes are of no kind the index keeps: one set look-up, no call, for them.
        if kind in _COLLECTED or kind.__module__ != 'ast':
            _collect(index, node, watched)
    return index


def _collect(index: CodeIndex, node: ast.AST, watched: frozenset[str]) -> None:
    if isinstance(node, ast.Call):
        index.calls.append(node)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        _add_definition(index, node)
    elif isinstance(node, (ast.Name, ast.Attribute)):
        _add_reference(index, node, watched)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        index.imports.update(_imported_names(node))


def _add_definition(
    index: CodeIndex,
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
) -> None:
    index.decorators.extend(node.decorator_list)
    if not isinstance(node, ast.ClassDef):
        index.functions.append(node)


def _add_reference(
    index: CodeIndex,
    node: ast.Name | ast.Attribute,
    watched: frozenset[str],
) -> None:
    name = node.id if isinstance(node, ast.Name) else node.attr
    if name in watched and isinstance(node.ctx, ast.Load):
        index.references.append(node)


def _imported_names(node: ast.Import | ast.ImportFrom) -> dict[str, str]:
    """Map the local names an import binds to qualified names."""
    if isinstance(node, ast.Import):
        return {alias.asname: alias.name for alias in node.names if alias.asname}
    if node.level or not node.module:
        return {}
    return {
        alias.asname or alias.name: '{0}.{1}'.format(node.module, alias.name)
        for alias in node.names
    }
