"""Follow a settings module's imports on disk: star imports, names, split-settings includes."""

from __future__ import annotations

import ast
import types
from collections.abc import Callable, Mapping
from typing import Final, final

from flake8_djsec.logic import project
from flake8_djsec.logic.evaluation.namespace import Namespace

#: How deep imports are followed before a module is unknown.
MAX_DEPTH: Final = project.MAX_IMPORT_DEPTH

#: Runs statements of a file into a namespace: (tree, path, namespace, loader) -> namespace.
Runner = Callable[[ast.Module, str, Namespace, 'ProjectLoader'], Namespace]


@final
class ProjectLoader:
    """
    Resolves what a settings module imports from its project.

    ``stack`` holds the files being evaluated: an import that closes a cycle,
    or goes deeper than ``MAX_DEPTH``, is unknown.
    """

    def __init__(
        self,
        runner: Runner,
        trees: Callable[[str], ast.Module | None],
        stack: tuple[str, ...] = (),
    ) -> None:
        """Use ``runner`` to evaluate modules and ``trees`` to read them."""
        self._runner = runner
        self._trees = trees
        self._stack = stack
        self._cache: dict[str, Namespace | None] = {}

    def module(self, from_path: str | None, module: str, level: int) -> Namespace | None:
        """Return the evaluated namespace of an imported project module, or None."""
        target = project.resolve_module(from_path, module, level)
        if target is None or target in self._stack or len(self._stack) >= MAX_DEPTH:
            return None
        if target not in self._cache:
            tree = self._trees(target)
            if tree is None:
                self._cache[target] = None
            else:
                child = ProjectLoader(self._runner, self._trees, (*self._stack, target))
                self._cache[target] = self._runner(tree, target, Namespace(), child)
        return self._cache[target]

    def exists(self, from_path: str | None, module: str, level: int) -> bool | None:
        """Tell whether a relative import finds a file (None: cannot tell)."""
        if from_path is None or level == 0:
            return None
        return project.resolve_module(from_path, module, level) is not None

    def includes(
        self,
        from_path: str | None,
        call: ast.Call,
    ) -> list[tuple[str, ast.Module]] | None:
        """Return the files a split-settings ``include()`` runs, or None if one is unreadable."""
        if from_path is None:
            return None
        included: list[tuple[str, ast.Module]] = []
        targets = project.include_targets(from_path, call)
        if targets is None:
            return None
        for target in targets:
            if target in self._stack or len(self._stack) >= MAX_DEPTH:
                return None
            tree = self._trees(target)
            if tree is None:
                return None
            included.append((target, tree))
        return included

    def child(self, path: str) -> ProjectLoader:
        """Return the loader for a file run inside this one (split-settings)."""
        return ProjectLoader(self._runner, self._trees, (*self._stack, path))


def no_files(path: str) -> ast.Module | None:
    """A tree source for a buffer with no path: nothing on disk is read."""
    return EMPTY.get(path)


EMPTY: Final[Mapping[str, ast.Module]] = types.MappingProxyType({})
