"""Bindings of a settings module: every module-level name with its value and line."""

from __future__ import annotations

import ast
import dataclasses
from typing import final

from flake8_djsec.logic.evaluation.values import (
    UNKNOWN,
    UNKNOWN_VALUE,
    Value,
    is_known,
    same_value,
)


@final
@dataclasses.dataclass(frozen=True)
class Binding:
    """A module-level name, its value, and the statement that last set it."""

    value: Value
    line: int
    col: int
    path: str | None = None


@final
@dataclasses.dataclass(frozen=True)
class Function:
    """A function defined in the settings module (helpers such as ``envbool``)."""

    node: ast.FunctionDef


@final
class Namespace:
    """
    The module-level names after some statements ran.

    ``opaque`` means some statement could have bound any name (an unfollowed
    star import, ``globals().update(...)``): names not bound here are unknown
    rather than Django's defaults.
    """

    def __init__(
        self,
        bindings: dict[str, Binding] | None = None,
        *,
        opaque: bool = False,
    ) -> None:
        """Start with the given bindings."""
        self.bindings: dict[str, Binding] = dict(bindings or {})
        self.opaque = opaque
        self.dead = False

    def copy(self) -> Namespace:
        """Return an independent copy, for evaluating one branch."""
        duplicate = Namespace(self.bindings, opaque=self.opaque)
        duplicate.dead = self.dead
        return duplicate

    def forget_all(self) -> None:
        """Make every name unknown: something may have rebound any of them."""
        self.opaque = True
        self.bindings = {
            name: dataclasses.replace(binding, value=UNKNOWN_VALUE)
            for name, binding in self.bindings.items()
        }

    def merge(self, other: Namespace) -> Namespace:
        """Join two branches: a name keeps its value only where both agree."""
        if self.dead:
            return other.copy()
        if other.dead:
            return self.copy()
        merged = Namespace(opaque=self.opaque or other.opaque)
        for name in self.bindings.keys() | other.bindings.keys():
            merged.bindings[name] = _join(self.bindings.get(name), other.bindings.get(name))
        return merged


def _join(left: Binding | None, right: Binding | None) -> Binding:
    if left is None or right is None:
        present = left or right
        assert present is not None  # a name comes from one side
        return dataclasses.replace(present, value=UNKNOWN_VALUE)
    if left is right:
        return left
    both_known = left.value.known and right.value.known
    if both_known and same_value(left.value.obj, right.value.obj):
        return left
    return dataclasses.replace(left, value=_common_items(left.value, right.value))


def _common_items(left: Value, right: Value) -> Value:
    """
    Join two lists that differ: the items both hold, then an unknown rest.

    ``MIDDLEWARE.append(...)`` under an unknown condition keeps what both
    branches contain decidable (``x in MIDDLEWARE`` for a common item), while
    an item only one branch has stays undecided.
    """
    first, second = left.obj, right.obj
    if not (isinstance(first, list) and isinstance(second, list) and first and second):
        return UNKNOWN_VALUE
    common = [
        item for item in first
        if is_known(item) and any(same_value(item, other) for other in second)
    ]
    if not common:
        return UNKNOWN_VALUE
    return Value([*common, UNKNOWN], left.origin)
