"""
The settings modules of a project on disk: imports followed, deployments found.

Everything here reads files, never imports or executes them. Parsed modules are
cached per process, keyed by path, modification time and size, so an editor that
keeps flake8 loaded for hours sees edits, and a run over many files reads each
sibling once.
"""

from __future__ import annotations

import ast
import dataclasses
import glob
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, final

from flake8_djsec.logic import roles

#: How deep star imports and includes are followed.
MAX_IMPORT_DEPTH: Final = 12
#: Ancestor folders searched for ``wsgi.py``/``asgi.py`` and package roots.
MAX_ANCESTORS: Final = 4
#: Files larger than this are not read as siblings.
MAX_SIBLING_BYTES: Final = 2_000_000

_ENTRY_POINTS: Final = ('wsgi.py', 'asgi.py')
_SPLIT_SETTINGS: Final = frozenset(('split_settings.tools.include',))
_SPLIT_OPTIONAL: Final = frozenset(('split_settings.tools.optional',))
_SOURCE_SUFFIX: Final = '.py'
#: What reading and parsing a sibling may raise: the sibling is then unknown.
_UNREADABLE: Final = (OSError, SyntaxError, ValueError, RecursionError, MemoryError)

#: A star import's name, and a glob's wildcard.
_STAR: Final = '*'
_ParseKey = tuple[int, int]
_PARSED: dict[str, tuple[_ParseKey, ast.Module | None]] = {}  # noqa: WPS407 - the parse cache


def canonical(path: str) -> str:
    """Return the path every cache and comparison uses."""
    return os.path.realpath(os.path.abspath(path))


def parse_file(path: str) -> ast.Module | None:
    """Parse a file from disk (cached); None when it is missing or unparsable."""
    key_path = canonical(path)
    try:
        status = os.stat(key_path)
    except OSError:
        return None
    key = (status.st_mtime_ns, status.st_size)
    cached = _PARSED.get(key_path)
    if cached is not None and cached[0] == key:
        return cached[1]
    tree = _read_and_parse(key_path, status.st_size)
    _PARSED[key_path] = (key, tree)
    return tree


def _read_and_parse(path: str, size: int) -> ast.Module | None:
    if size > MAX_SIBLING_BYTES:
        return None
    try:
        return _parse(path)
    except _UNREADABLE:  # UnicodeError is a ValueError
        return None


def _parse(path: str) -> ast.Module:
    with open(path, 'rb') as source_file:
        source = source_file.read()
    return ast.parse(source, filename=path)


def resolve_module(from_path: str | None, module: str, level: int) -> str | None:
    """Find the file of ``from <level dots><module> import ...`` written in ``from_path``."""
    if from_path is None:
        return None
    directory = os.path.dirname(canonical(from_path))
    parts = [part for part in module.split('.') if part]
    if level > 0:
        for _ in range(level - 1):
            directory = os.path.dirname(directory)
        return _module_file(directory, parts)
    for root in _import_roots(directory):
        found = _module_file(root, parts)
        if found is not None:
            return found
    return None


def _module_file(directory: str, parts: Sequence[str]) -> str | None:
    base = os.path.join(directory, *parts)
    candidates = [
        '{0}{1}'.format(base, _SOURCE_SUFFIX), os.path.join(base, '__init__.py'),
    ] if parts else [
        os.path.join(directory, '__init__.py'),
    ]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return canonical(candidate)
    return None


def _import_roots(directory: str) -> Iterable[str]:
    """Folders an absolute import may start from: the file's ancestors, nearest first."""
    current = directory
    for _ in range(MAX_ANCESTORS + 2):
        yield current
        parent = os.path.dirname(current)
        if parent == current:
            return
        current = parent


@final
@dataclasses.dataclass(frozen=True)
class Include:
    """A module a settings module pulls in: ``from x import *`` or a split-settings include."""

    path: str
    line: int


def star_imports(path: str, tree: ast.Module) -> list[Include]:
    """Return the project files a module star-imports or includes, in order."""
    found: list[Include] = []
    for node in ast.walk(tree):
        found.extend(_node_includes(path, node))
    return found


def _node_includes(path: str, node: ast.AST) -> list[Include]:
    if isinstance(node, ast.ImportFrom) and any(alias.name == _STAR for alias in node.names):
        target = resolve_module(path, node.module or '', node.level)
        return [] if target is None else [Include(target, node.lineno)]
    if isinstance(node, ast.Call) and _call_name(node) == 'include':
        targets = include_targets(path, node)
        if targets is None:
            targets = _possible_includes(path)
        return [Include(target, node.lineno) for target in targets]
    return []


def include_targets(path: str, call: ast.Call) -> list[str] | None:
    """
    Files a django-split-settings ``include(...)`` call runs, in order.

    None when that cannot be decided: a pattern computed at run time
    (``include(*base_settings)``), or a required pattern that matches no file
    (split-settings raises then).
    """
    directory = os.path.dirname(canonical(path))
    targets: list[str] = []
    for argument in call.args:
        found = _pattern_files(directory, argument)
        if found is None:
            return None
        targets.extend(found)
    return targets


def _pattern_files(directory: str, argument: ast.expr) -> list[str] | None:
    """The files one ``include()`` argument names: ``"a/*.py"`` or ``optional("b.py")``."""
    is_optional = isinstance(argument, ast.Call) and _call_name(argument) == 'optional'
    pattern = argument
    if is_optional and isinstance(argument, ast.Call) and argument.args:
        pattern = argument.args[0]
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)):
        return None
    matches = sorted(glob.glob(os.path.join(directory, pattern.value)))
    found = [canonical(match) for match in matches if os.path.isfile(match)]
    if not found and not is_optional:
        return None
    return found


def _possible_includes(path: str) -> list[str]:
    """Every module an undecidable ``include()`` might run: the files below its folder."""
    linted = canonical(path)
    directory = os.path.dirname(linted)
    found = [
        canonical(match)
        for pattern in ('*.py', os.path.join(_STAR, '*.py'))
        for match in glob.glob(os.path.join(directory, pattern))
    ]
    return sorted(match for match in found if match != linted)


def _call_name(node: ast.Call) -> str:
    function = node.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return ''


def settings_module_name(tree: ast.Module) -> str | None:
    """Return the ``DJANGO_SETTINGS_MODULE`` default a ``wsgi.py``/``asgi.py`` sets."""
    for node in ast.walk(tree):
        assignment = _environ_assignment(node)
        if assignment is None:
            continue
        key, module = assignment
        if _is_constant(key, 'DJANGO_SETTINGS_MODULE') and isinstance(module, ast.Constant):
            return module.value if isinstance(module.value, str) else None
    return None


def _environ_assignment(node: ast.AST) -> tuple[ast.expr, ast.expr] | None:
    """Return the key and value of ``x.setdefault(key, value)`` or ``x[key] = value``."""
    if isinstance(node, ast.Call) and _call_name(node) == 'setdefault' and len(node.args) == 2:
        return node.args[0], node.args[1]
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Subscript):
            return target.slice, node.value
    return None


def _is_constant(node: ast.expr, expected: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == expected


@final
class SettingsGroup:  # noqa: WPS214 - one public query per question the pipeline asks
    """The settings modules around one file, and which of them a deployment loads."""

    def __init__(
        self,
        path: str,
        settings_patterns: Sequence[str],
        dev_patterns: Sequence[str],
        deploy_settings: Sequence[str] = (),
        overrides: Mapping[str, ast.Module] | None = None,
    ) -> None:
        """Gather the settings modules in the file's folder and its parent folder."""
        self.path = canonical(path)
        self._settings_patterns = settings_patterns
        self._dev_patterns = dev_patterns
        self._deploy_settings = deploy_settings
        self._overrides = dict(overrides or {})
        self.members = self._gather()

    def tree(self, path: str) -> ast.Module | None:
        """Return a module's tree: the linted buffer for the linted file, else from disk."""
        return self._overrides.get(path) or parse_file(path)

    def deployments(self) -> list[str]:
        """Return the deployment settings modules of the group, sorted."""
        named = self._named_deployments()
        if named:
            return named
        included = {
            include.path
            for member in self.members
            for include in self._includes(member)
        }
        return sorted(
            member for member in self.members
            if member not in included and self._is_settings(member) and not self._is_dev(member)
        )

    def closure(self, path: str) -> set[str]:
        """Return every file a module pulls in, transitively (cycle-safe, depth-capped)."""
        seen = {path}
        frontier = [path]
        for _ in range(MAX_IMPORT_DEPTH):
            frontier = [
                include.path
                for member in frontier
                for include in self._includes(member)
                if include.path not in seen
            ]
            seen.update(frontier)
            if not frontier:
                break
        return seen

    def is_development(self, path: str) -> bool:
        """Tell whether a module is development settings by its name."""
        return self._is_dev(path)

    def _gather(self) -> list[str]:
        directory = os.path.dirname(self.path)
        found = {self.path}
        for folder in (directory, os.path.dirname(directory)):
            found.update(_settings_files(folder, self._settings_patterns))
        return sorted(found)

    def _includes(self, path: str) -> list[Include]:
        tree = self.tree(path)
        return [] if tree is None else star_imports(path, tree)

    def _is_settings(self, path: str) -> bool:
        tree = self.tree(path)
        if tree is None:
            return False
        role = roles.classify(path, tree, self._settings_patterns, ())
        return role is not roles.Role.other

    def _is_dev(self, path: str) -> bool:
        """Development by name, or built on development settings (``from .dev import *``)."""
        if roles.is_development(path, self._dev_patterns):
            return True
        tree = self.tree(path)
        if tree is None:
            return False
        return any(
            roles.is_development(target, self._dev_patterns)
            for target in _top_level_star_imports(path, tree)
        )

    def _named_deployments(self) -> list[str]:
        named = [
            canonical(path) for path in self.members
            if _matches_any(path, self._deploy_settings)
        ] if self._deploy_settings else []
        if not named:
            named = self._entry_point_deployments()
        return sorted(path for path in named if not self._is_dev(path))

    def _entry_point_deployments(self) -> list[str]:
        found: list[str] = []
        directory = os.path.dirname(self.path)
        for _ in range(3):
            for entry in _ENTRY_POINTS:
                target = _entry_point_target(os.path.join(directory, entry))
                if target is not None:
                    found.append(target)
            directory = os.path.dirname(directory)
        return found


def _settings_files(folder: str, patterns: Sequence[str]) -> list[str]:
    """Return the settings modules directly in a folder."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    candidates = [os.path.join(folder, name) for name in names if name.endswith(_SOURCE_SUFFIX)]
    return [
        canonical(candidate) for candidate in candidates
        if roles.matches_settings_path(candidate, patterns)
    ]


def _entry_point_target(entry_path: str) -> str | None:
    """Return the project settings module a ``wsgi.py``/``asgi.py`` names, if any."""
    tree = parse_file(entry_path) if os.path.isfile(entry_path) else None
    module = None if tree is None else settings_module_name(tree)
    return resolve_module(entry_path, module, 0) if module else None


def _top_level_star_imports(path: str, tree: ast.Module) -> list[str]:
    """The modules a file star-imports unconditionally (not under ``try``/``if``)."""
    statements = [statement for statement in tree.body if isinstance(statement, ast.ImportFrom)]
    targets = [
        resolve_module(path, statement.module or '', statement.level)
        for statement in statements
        if any(alias.name == _STAR for alias in statement.names)
    ]
    return [target for target in targets if target is not None]


def _matches_any(path: str, names: Sequence[str]) -> bool:
    """Match a path against dotted module names (``config.settings.production``) or globs."""
    posix = path.replace(os.sep, '/')
    return any(_matches_name(posix, name) for name in names)


def _matches_name(posix: str, name: str) -> bool:
    if '/' in name or name.endswith(_SOURCE_SUFFIX) or _STAR in name:
        pattern = name if name.startswith(_STAR) else '*/{0}'.format(name.lstrip('/'))
        return roles.matches_settings_path(posix, [pattern])
    dotted = '/{0}'.format(name.replace('.', '/'))
    return posix.endswith(('{0}.py'.format(dotted), '{0}/__init__.py'.format(dotted)))
