"""StaticSettings: a settings module's values, as Django's checks would read them."""

from __future__ import annotations

import ast
import copy
import dataclasses
from collections.abc import Mapping
from typing import final

from flake8_djsec.logic.evaluation.defaults import django_default
from flake8_djsec.logic.evaluation.namespace import Namespace
from flake8_djsec.logic.evaluation.statements import ModuleEvaluator, StarResolver
from flake8_djsec.logic.evaluation.values import UNKNOWN


@final
@dataclasses.dataclass(frozen=True)
class Setting:
    """One setting's effective value and the place that set it."""

    name: str
    value: object
    origin: str | None = None
    line: int = 0
    col: int = 0
    path: str | None = None

    @property
    def assigned(self) -> bool:
        """Tell whether the source assigns the setting (else it is a default)."""
        return self.line > 0


@final
class StaticSettings:
    """The settings of one module, evaluated from source."""

    def __init__(self, namespace: Namespace, django_version: tuple[int, int]) -> None:
        """Wrap an evaluated namespace."""
        self._namespace = namespace
        self._version = django_version

    def __getitem__(self, name: str) -> Setting:
        """Return a setting: assigned, Django's default, or unknown."""
        binding = self._namespace.bindings.get(name)
        if binding is not None:
            return Setting(
                name, binding.value.obj, binding.value.origin,
                binding.line, binding.col, binding.path,
            )
        has_default, default = django_default(name, self._version)
        if self._namespace.opaque:
            return Setting(name, UNKNOWN)
        if has_default:
            return Setting(name, copy.deepcopy(default))
        return Setting(name, _MISSING)

    def is_set(self, name: str) -> bool:
        """Tell whether a setting exists: assigned, defaulted, or possibly set."""
        return self[name].value is not _MISSING

    def assigned_names(self) -> list[str]:
        """Return the uppercase names the module binds (Django reads only these)."""
        return [name for name in self._namespace.bindings if name.isupper()]


@final
class _Missing:
    """A setting neither assigned nor defaulted by Django."""

    def __repr__(self) -> str:
        """Render the marker in test failures."""
        return 'MISSING'


_MISSING = _Missing()
MISSING = _MISSING


def evaluate_module(
    tree: ast.Module,
    variables: Mapping[str, str],
    django_version: tuple[int, int],
    path: str | None = None,
    star_resolver: StarResolver | None = None,
) -> StaticSettings:
    """Evaluate a parsed settings module into StaticSettings."""
    namespace = ModuleEvaluator(variables, path, star_resolver).run(tree.body)
    return StaticSettings(namespace, django_version)
