"""Follow a settings module's imports on disk: star imports, names, split-settings includes."""

from __future__ import annotations

import ast
import functools
import os
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Final, final

from flake8_djsec.logic import project
from flake8_djsec.logic.evaluation.namespace import Namespace

#: How deep imports are followed before a module is unknown.
MAX_DEPTH: Final = project.MAX_IMPORT_DEPTH

#: Installed (third-party) modules read per evaluated module, star imports inside them included.
MAX_INSTALLED: Final = 32
_STDLIB: Final = frozenset(getattr(sys, 'stdlib_module_names', ())) | {'__future__', 'builtins'}

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
        installed: _Installed | None = None,
    ) -> None:
        """Use ``runner`` to evaluate modules and ``trees`` to read them."""
        self._runner = runner
        self._trees = trees
        self._stack = stack
        self._cache: dict[str, Namespace | None] = {}
        self._installed = _Installed() if installed is None else installed

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
                child = ProjectLoader(
                    self._runner, self._trees, (*self._stack, target), self._installed,
                )
                self._cache[target] = self._runner(tree, target, Namespace(), child)
        return self._cache[target]

    def installed(self, module: str) -> Namespace | None:
        """
        The namespace of a module installed where flake8 runs (``from pkg.defaults import *``).

        Its file is searched on ``sys.path`` (``pkg/defaults.py``, ``pkg/defaults/__init__.py``),
        never imported; the standard library is not read (its names are symbols). Bounded:
        the import depth, the files read per evaluation, the reader's size cap.
        """
        target = find_installed(module)
        shared = self._installed
        if target is None or target in self._stack or len(self._stack) >= MAX_DEPTH:
            return None
        if target not in shared.cache:
            if shared.read >= MAX_INSTALLED:
                return None
            shared.read += 1
            tree = self._trees(target)
            child = ProjectLoader(self._runner, self._trees, (*self._stack, target), shared)
            shared.cache[target] = None if tree is None else self._runner(
                tree, target, Namespace(), child,
            )
        return shared.cache[target]

    def exists(self, from_path: str | None, module: str, level: int) -> bool | None:
        """Tell whether a relative import finds a file (None: cannot tell)."""
        if from_path is None or level == 0:
            return None
        return project.resolve_module(from_path, module, level) is not None

    def includes(
        self,
        from_path: str | None,
        patterns: Sequence[project.Pattern],
    ) -> list[tuple[str, ast.Module]] | None:
        """Return the files a split-settings ``include()`` runs, or None if one is unreadable."""
        if from_path is None:
            return None
        included: list[tuple[str, ast.Module]] = []
        targets = project.pattern_targets(from_path, patterns)
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
        return ProjectLoader(self._runner, self._trees, (*self._stack, path), self._installed)


@final
class _Installed:
    """Installed modules evaluated for one settings module: shared by its loaders, counted."""

    def __init__(self) -> None:
        self.cache: dict[str, Namespace | None] = {}
        self.read = 0


def find_installed(module: str) -> str | None:
    """The source file of an installed module on this interpreter's ``sys.path``, or None."""
    parts = [part for part in module.split('.') if part]
    if not parts or parts[0] in _STDLIB or not all(part.isidentifier() for part in parts):
        return None
    return _search(tuple(parts), tuple(sys.path))


@functools.lru_cache(maxsize=1024)
def _search(parts: tuple[str, ...], entries: tuple[str, ...]) -> str | None:
    """The first ``sys.path`` entry holding the module as source (cached per process)."""
    for entry in entries:
        root = os.path.abspath(entry or os.curdir)
        if os.path.isdir(root):  # not a zip file or a missing folder
            found = _source_in(root, parts)
            if found is not None or os.path.isdir(os.path.join(root, parts[0])):
                return found  # the package is here: that module, or not as source
    return None


def _source_in(root: str, parts: tuple[str, ...]) -> str | None:
    base = os.path.join(root, *parts)
    for candidate in ('{0}.py'.format(base), os.path.join(base, '__init__.py')):
        if os.path.isfile(candidate):
            return candidate
    return None


def no_files(path: str) -> ast.Module | None:
    """A tree source for a buffer with no path: nothing on disk is read."""
    return EMPTY.get(path)


EMPTY: Final[Mapping[str, ast.Module]] = types.MappingProxyType({})
