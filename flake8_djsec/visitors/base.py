"""What code visitors return."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, final

from flake8_djsec.violations.base import Violation
from flake8_djsec.visitors.index import CodeIndex


@final
@dataclasses.dataclass(frozen=True)
class CodeFinding:
    """A code rule's finding at a place in the file."""

    violation: type[Violation]
    line: int
    col: int
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


#: A code rule: reads the module's index, yields findings.
CodeRule = Callable[[CodeIndex], Iterator[CodeFinding]]

#: Expressions deeper than this are not printed in a message (``ast.unparse`` recurses).
MAX_SHOWN_DEPTH: Final = 50


def shown_source(node: ast.expr, limit: int) -> str:
    """At most ``limit`` characters of an expression's source; ``...`` for one too deep to print."""
    level: list[ast.AST] = [node]
    for _ in range(MAX_SHOWN_DEPTH):
        level = [child for parent in level for child in ast.iter_child_nodes(parent)]
        if not level:
            return ast.unparse(node)[:limit]
    return '...'
