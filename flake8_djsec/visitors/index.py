"""One walk of a module's AST, collecting what the code rules look at."""

from __future__ import annotations

import ast
import dataclasses
from typing import final


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
    index = CodeIndex()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            index.calls.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            index.decorators.extend(node.decorator_list)
        elif isinstance(node, ast.Name):
            if node.id in watched and isinstance(node.ctx, ast.Load):
                index.references.append(node)
        elif isinstance(node, ast.Attribute):
            if node.attr in watched and isinstance(node.ctx, ast.Load):
                index.references.append(node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    index.imports[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                index.imports[alias.asname or alias.name] = '{0}.{1}'.format(node.module, alias.name)
    return index
