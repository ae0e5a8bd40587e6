"""Helpers shared by the logic tests: evaluate a source string into StaticSettings."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping

from flake8_djsec.logic.evaluation.settings import StaticSettings, evaluate_module
from flake8_djsec.logic.evaluation.values import Sourced
from collections.abc import Callable

#: The Django series the tests evaluate against unless they say otherwise.
VERSION = (5, 2)


def evaluate(
    source: str,
    variables: Mapping[str, str] | None = None,
    *,
    version: tuple[int, int] = VERSION,
    path: str | None = None,
    trees: Callable[[str], ast.Module | None] | None = None,
) -> StaticSettings:
    """Evaluate a (dedented) source string as a settings module."""
    tree = ast.parse(textwrap.dedent(source))
    return evaluate_module(tree, dict(variables or {}), version, path, trees)


def same(left: object, right: object) -> bool:
    """
    Compare values the way a rule must: ``True`` is not ``1``, ``"1"`` is not ``1``.

    A string a variable set (``Sourced``) is a string.
    """
    return _kind(left) is _kind(right) and repr(left) == repr(right)


def _kind(obj: object) -> type:
    return str if isinstance(obj, Sourced) else type(obj)
