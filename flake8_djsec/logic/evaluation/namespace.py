"""Bindings of a settings module: every module-level name with its value and line."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Sequence
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
class Home:
    """
    The globals of one module run: where the functions it defines read and write names.

    ``evaluator`` is the statement evaluator driving the module (it holds the current
    namespace); ``live`` is True while the module runs, so a call of one of its functions
    writes its ``global`` names into it; once the module has run (a project module
    imported by another), its namespace is only read.
    """

    def __init__(self, path: str | None) -> None:
        """Start the globals of the module at ``path``."""
        self.path = path
        self.evaluator: object = None
        self.live = True
        #: Per function node (by id): the names it binds locally, computed once.
        self.local_names: dict[int, frozenset[str]] = {}


@final
@dataclasses.dataclass(frozen=True)
class Function:
    """A function defined in a module we evaluate (helpers such as ``envbool``)."""

    node: ast.FunctionDef
    home: Home | None = dataclasses.field(default=None, compare=False)


@final
@dataclasses.dataclass(frozen=True, eq=False)
class ModuleRef:
    """
    The module itself, as code holds it: ``globals()`` (``kind='globals'``), ``__name__``
    (``'name'``) or ``sys.modules[__name__]`` (``'module'``).

    Writes through ``globals()`` with known names are followed; handed to code we cannot
    follow, any of them means the module may hold any setting.
    """

    home: Home
    kind: str


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
        #: A dead path that surely raised: the exception's class name (for ``except``).
        self.raised: str | None = None
        #: In a function body: the module-level names it wrote (``global X``), per path.
        self.outer: dict[str, Binding] = {}

    def copy(self) -> Namespace:
        """Return an independent copy, for evaluating one branch."""
        duplicate = Namespace(self.bindings, opaque=self.opaque)
        duplicate.dead = self.dead
        duplicate.raised = self.raised
        duplicate.outer = dict(self.outer)
        return duplicate

    def forget_all(self) -> None:
        """Make every name unknown: something may have rebound any of them."""
        self.opaque = True
        self.bindings = {
            name: dataclasses.replace(binding, value=UNKNOWN_VALUE)
            for name, binding in self.bindings.items()
        }
        self.outer = {
            name: dataclasses.replace(binding, value=UNKNOWN_VALUE)
            for name, binding in self.outer.items()
        }

    def merge(self, other: Namespace) -> Namespace:
        """Join two branches: a name keeps its value only where both agree."""
        if self.dead and other.dead:
            both = other.copy()
            both.raised = self.raised if self.raised == other.raised else None
            return both
        if self.dead:
            return other.copy()
        if other.dead:
            return self.copy()
        merged = Namespace(opaque=self.opaque or other.opaque)
        for name in self.bindings.keys() | other.bindings.keys():
            merged.bindings[name] = _join(self.bindings.get(name), other.bindings.get(name))
        for written in self.outer.keys() | other.outer.keys():
            merged.outer[written] = _join(self.outer.get(written), other.outer.get(written))
        return merged


def join_bindings(left: Binding | None, right: Binding | None) -> Binding:
    """Join one name's bindings from two paths (a name one path lacks is unknown)."""
    return _join(left, right)


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
    Join two lists (or two tuples) that differ: the items both hold, then an unknown rest.

    ``MIDDLEWARE.append(...)`` under an unknown condition keeps what both
    branches contain decidable (``x in MIDDLEWARE`` for a common item), while
    an item only one branch has stays undecided.
    """
    first, second = left.obj, right.obj
    if isinstance(first, list) and isinstance(second, list):
        common = _shared_items(first, second)
        return UNKNOWN_VALUE if common is None else Value([*common, UNKNOWN], left.origin)
    if isinstance(first, tuple) and isinstance(second, tuple):
        common = _shared_items(first, second)
        return UNKNOWN_VALUE if common is None else Value((*common, UNKNOWN), left.origin)
    return UNKNOWN_VALUE


def _shared_items(first: Sequence[object], second: Sequence[object]) -> list[object] | None:
    """The known items of ``first`` that ``second`` holds too; None when there is none."""
    if not (first and second):
        return None
    common = [
        item for item in first
        if is_known(item) and any(same_value(item, other) for other in second)
    ]
    return common or None
