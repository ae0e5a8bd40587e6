"""StaticSettings: a settings module's values, as Django's checks would read them."""

from __future__ import annotations

import ast
import copy
import functools
import dataclasses
from collections.abc import Callable, Mapping
from typing import final

from flake8_djsec.logic.deployment.model import copy_variables
from flake8_djsec.logic.evaluation.configurations import deployment_class
from flake8_djsec.logic.evaluation.defaults import django_default
from flake8_djsec.logic.evaluation.namespace import Namespace
from flake8_djsec.logic.evaluation.loader import ProjectLoader
from flake8_djsec.logic.evaluation.statements import ModuleEvaluator
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

    def __init__(
        self,
        namespace: Namespace,
        django_version: tuple[int, int],
        home: tuple[str | None, int] = (None, 1),
    ) -> None:
        """
        Wrap an evaluated namespace.

        ``home`` is where a missing setting is reported: line 1 of the module,
        or the ``class`` line of a django-configurations class.
        """
        self._namespace = namespace
        self._version = django_version
        self.home_path = home[0]
        self.home_line = home[1]

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

    @property
    def open(self) -> bool:
        """
        Tell whether the module may hold settings it does not bind itself.

        An unfollowed star import, or the module handed to code we cannot follow
        (``Exporter.load(__name__)``, ``globals()`` to an unknown callable): a setting
        it does not bind is unknown, never missing and never Django's default.
        """
        return self._namespace.opaque

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


def evaluate_module(  # noqa: WPS211 - the module, its environment, and where it lives
    tree: ast.Module,
    variables: Mapping[str, str],
    django_version: tuple[int, int],
    path: str | None = None,
    trees: Callable[[str], ast.Module | None] | None = None,
    configuration: str | None = None,
) -> StaticSettings:
    """
    Evaluate a parsed settings module into StaticSettings.

    With ``trees`` (a path to its parsed module), the project modules it imports
    are followed on disk; without it, an import from the project is unknown.
    With ``configuration``, the settings are those of that django-configurations
    class of the module (``DJANGO_CONFIGURATION``).
    """
    loader = None
    if trees is not None and path is not None:
        runner = functools.partial(_run_module, copy_variables(variables))
        loader = ProjectLoader(runner, trees, (path,))
    namespace = ModuleEvaluator(variables, path, loader).run(tree.body)
    if configuration is None:
        return StaticSettings(namespace, django_version, (path, 1))
    chosen = deployment_class(
        namespace, configuration, functools.partial(_has_default, django_version),
    )
    if chosen is None:
        # Not a configuration class of the module: nothing is known of it.
        return StaticSettings(Namespace(opaque=True), django_version, (path, 1))
    return StaticSettings(chosen[0], django_version, chosen[1])


def _has_default(django_version: tuple[int, int], name: str) -> bool:
    return django_default(name, django_version)[0]


def _run_module(
    variables: Mapping[str, str],
    tree: ast.Module,
    path: str,
    namespace: Namespace,
    loader: ProjectLoader,
) -> Namespace:
    return ModuleEvaluator(variables, path, loader, namespace).run(tree.body)
