"""What code visitors return."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any, final

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
