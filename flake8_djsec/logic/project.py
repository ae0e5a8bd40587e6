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
import functools
import glob
import os
import stat
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Final, TypeVar, cast, final

from flake8_djsec.logic import roles, sources
from flake8_djsec.logic.deployment import files as deployment_files
from flake8_djsec.logic.deployment import plan
from flake8_djsec.logic.deployment import reading as deployment_reading
from flake8_djsec.logic.deployment.model import Declared, Process, Variable
from flake8_djsec.logic.nodes import walk
from flake8_djsec.logic.runs import RUN

#: How deep star imports and includes are followed.
MAX_IMPORT_DEPTH: Final = 12
#: Ancestor folders searched for ``wsgi.py``/``asgi.py`` and package roots.
MAX_ANCESTORS: Final = 4
#: Files larger than this are not read as siblings.
MAX_SIBLING_BYTES: Final = sources.MAX_SOURCE_BYTES

_ENTRY_POINTS: Final = ('wsgi.py', 'asgi.py')
#: Read only for ``DJANGO_CONFIGURATION`` (its ``DJANGO_SETTINGS_MODULE`` is usually development).
_MANAGE: Final = 'manage.py'
_ENTRY_FILES: Final = (*_ENTRY_POINTS, _MANAGE)
_CONFIGURATION_BASES: Final = frozenset((
    'configurations.Configuration', 'configurations.base.Configuration',
))
_SPLIT_SETTINGS: Final = frozenset(('split_settings.tools.include',))
_SPLIT_OPTIONAL: Final = frozenset(('split_settings.tools.optional',))
_SOURCE_SUFFIX: Final = '.py'
_INIT: Final = '__init__.py'

#: A star import's name, and a glob's wildcard.
_STAR: Final = '*'
_Value = TypeVar('_Value')
_PARSED: dict[str, tuple[sources.SourceKey, ast.Module | None]] = {}  # noqa: WPS407 - parse cache


def canonical(path: str) -> str:
    """
    Return the path every cache and comparison uses: absolute, symbolic links kept.

    Python finds a module's siblings next to the path it imports the module by,
    never next to a link's target: ``settings/production.py`` linked to a file
    elsewhere still star-imports the ``base.py`` beside the link, and a linked
    ``settings/`` folder is the ``proj.settings`` package where the link is.
    """
    return RUN.remember(('canonical', path), functools.partial(_absolute, path))


def _absolute(path: str) -> str:
    return os.path.abspath(path)


def parse_file(path: str) -> ast.Module | None:
    """Parse a file from disk (cached); None when it is missing, no regular file or unparsable."""
    key_path = canonical(path)
    try:
        status = os.stat(key_path)
    except (OSError, ValueError):
        return None
    key = (status.st_mtime_ns, status.st_size)
    cached = _PARSED.get(key_path)
    if cached is None or cached[0] != key:
        cached = _read_tree(key_path, key) if stat.S_ISREG(status.st_mode) else (key, None)
        _PARSED[key_path] = cached
    return cached[1]


def _read_tree(
    path: str, key: sources.SourceKey,
) -> tuple[sources.SourceKey, ast.Module | None]:
    """Read and parse a regular file; one that cannot be read is unknown until it changes."""
    source = sources.read_source(path)
    if source is None:
        return key, None
    return source.key, sources.parse_source(source.raw, path)


def adopt(path: str, source: str, tree: ast.Module) -> bool:
    """
    Take a linted file's tree as its parse when the file on disk holds that source.

    flake8 reads a file as ``tokenize.open`` does (PEP 263 cookie or BOM,
    universal newlines); so is it read here to compare. False for a buffer that
    differs from the file (an editor's unsaved text), or a file that is missing
    or too large to be read as a sibling. A file Python cannot decode, which
    flake8 read as latin-1 instead, is taken as what Python sees: unparsable,
    its values unknown, as they are when another file reads it.
    """
    key_path = canonical(path)
    read = sources.read_source(key_path)
    if read is None:
        return False
    text = sources.decode_source(read.raw)
    if text is None:
        if sources.latin1_fallback(read.raw) != source:
            return False
        _PARSED[key_path] = (read.key, None)
        return True
    if text != source:
        return False
    _PARSED[key_path] = (read.key, tree)
    return True


def source_text(path: str) -> str | None:
    """A module's text as flake8 reads it (cached by path, time and size); None if unreadable."""
    read = sources.read_source(canonical(path))
    if read is None:
        return None
    key = ('source text', canonical(path), read.key)
    return RUN.remember(key, functools.partial(sources.decode_source, read.raw))


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
        '{0}{1}'.format(base, _SOURCE_SUFFIX), os.path.join(base, _INIT),
    ] if parts else [
        os.path.join(directory, _INIT),
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
    for node in walk(tree):
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


@final
@dataclasses.dataclass(frozen=True)
class Pattern:
    """One ``include()`` argument: a glob relative to the including file, maybe ``optional()``."""

    glob: str
    optional: bool = False


def include_targets(path: str, call: ast.Call) -> list[str] | None:
    """
    Files a django-split-settings ``include(...)`` call runs, in order, read from its syntax.

    None when that cannot be decided from the syntax alone (a pattern computed at
    run time, ``include(*base_settings)``: the evaluator computes those), or when a
    required pattern matches no file (split-settings raises then).
    """
    patterns: list[Pattern] = []
    for argument in call.args:
        pattern = _written_pattern(argument)
        if pattern is None:
            return None
        patterns.append(pattern)
    return pattern_targets(path, patterns)


def _written_pattern(argument: ast.expr) -> Pattern | None:
    """``"a/*.py"`` or ``optional("b.py")`` as written."""
    is_optional = isinstance(argument, ast.Call) and _call_name(argument) == 'optional'
    pattern = argument
    if is_optional and isinstance(argument, ast.Call) and argument.args:
        pattern = argument.args[0]
    if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str):
        return Pattern(pattern.value, optional=is_optional)
    return None


def pattern_targets(path: str, patterns: Sequence[Pattern]) -> list[str] | None:
    """The files ``include()`` patterns run, in order; None when a required one matches none."""
    directory = os.path.dirname(canonical(path))
    targets: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(os.path.join(directory, pattern.glob)))
        found = [canonical(match) for match in matches if os.path.isfile(match)]
        if not found and not pattern.optional:
            return None
        targets.extend(found)
    return targets


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


def settings_module_name(tree: ast.Module, env_key: str = 'DJANGO_SETTINGS_MODULE') -> str | None:
    """Return the ``DJANGO_SETTINGS_MODULE`` (or other variable's) default an entry point sets."""
    for node in walk(tree):
        assignment = _environ_assignment(node)
        if assignment is None:
            continue
        key, module = assignment
        if _is_constant(key, env_key) and isinstance(module, ast.Constant):
            return module.value if isinstance(module.value, str) else None
    return None


@final
@dataclasses.dataclass(frozen=True, order=True)
class Deployment:
    """What a deployment loads: a settings module, or a django-configurations class in it."""

    path: str
    configuration: str | None = None


@final
@dataclasses.dataclass(frozen=True, order=True)
class Chosen:
    """A deployment, the rule that chose it, and the place that named it ('' for none)."""

    deployment: Deployment
    reason: str
    named_at: str = ''


def _declared_configuration(process: Process) -> str | None:
    """The ``DJANGO_CONFIGURATION`` a declared process sets, if any."""
    values = {declared.name: declared.value for declared in process.variables}
    return values.get('DJANGO_CONFIGURATION')


def _chosen(deployments: Iterable[Deployment], reason: str, named_at: str = '') -> list[Chosen]:
    return [Chosen(deployment, reason, named_at) for deployment in sorted(set(deployments))]


@final
@dataclasses.dataclass(frozen=True)
class ConfigurationClass:
    """A ``Configuration`` subclass found on disk, and its configuration bases."""

    path: str
    name: str
    line: int
    bases: tuple[tuple[str, str], ...]


_Visible = dict[str, tuple[str, str] | str]


def configuration_classes(
    path: str,
    trees: Callable[[str], ast.Module | None],
    depth: int = 0,
) -> dict[str, ConfigurationClass]:
    """
    Return the django-configurations classes a module defines, by name.

    A class is one when a base is ``configurations.Configuration`` or a
    configuration class defined earlier, star-imported, or imported by name from
    a project module (followed on disk, depth-capped). Read from the syntax
    alone, nothing is evaluated.
    """
    tree = trees(path)
    if tree is None or depth > MAX_IMPORT_DEPTH:
        return {}
    visible: _Visible = {}
    found: dict[str, ConfigurationClass] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            visible.update(_visible_classes(path, statement, trees, depth))
        elif isinstance(statement, ast.ClassDef):
            defined = _configuration_class(path, statement, visible)
            if defined is not None:
                found[statement.name] = defined
                visible[statement.name] = (path, statement.name)
    return found


def configuration_exports(
    path: str,
    trees: Callable[[str], ast.Module | None],
) -> dict[str, ConfigurationClass]:
    """
    The configuration classes a module imports by name from the project, by local name.

    ``config/__init__.py`` doing ``from .production import Production``: the module
    ``DJANGO_SETTINGS_MODULE=config`` loads, whose ``Production`` is the class
    ``DJANGO_CONFIGURATION`` picks.
    """
    tree = trees(path)
    if tree is None:
        return {}
    exports: dict[str, ConfigurationClass] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            exports.update(_imported_configurations(path, statement, trees))
    return exports


def _imported_configurations(
    path: str,
    statement: ast.ImportFrom,
    trees: Callable[[str], ast.Module | None],
) -> dict[str, ConfigurationClass]:
    found: dict[str, ConfigurationClass] = {}
    for local, reference in _visible_classes(path, statement, trees, 0).items():
        if isinstance(reference, tuple):
            imported = configuration_classes(reference[0], trees, 1).get(reference[1])
            if imported is not None:
                found[local] = imported
    return found


def _configuration_class(
    path: str,
    statement: ast.ClassDef,
    visible: Mapping[str, tuple[str, str] | str],
) -> ConfigurationClass | None:
    """A class statement, if one of its bases is a configuration class or the base class."""
    bases = [_base_reference(base, visible) for base in statement.bases]
    if all(base is None for base in bases):
        return None
    return ConfigurationClass(
        path, statement.name, statement.lineno,
        tuple(base for base in bases if isinstance(base, tuple)),
    )


def _visible_classes(
    path: str,
    statement: ast.Import | ast.ImportFrom,
    trees: Callable[[str], ast.Module | None],
    depth: int,
) -> _Visible:
    """Names an import makes visible: the base class, its module, or project classes."""
    if isinstance(statement, ast.Import):
        return {
            alias.asname or alias.name: alias.name
            for alias in statement.names if alias.name.split('.')[0] == 'configurations'
        }
    visible = _library_names(statement)
    if visible or not any(_class_like(alias.name) for alias in statement.names):
        return visible
    target = resolve_module(path, statement.module or '', statement.level)
    if target is None:
        return visible
    return _imported_classes(statement, configuration_classes(target, trees, depth + 1))


def _imported_classes(
    statement: ast.ImportFrom,
    imported: Mapping[str, ConfigurationClass],
) -> _Visible:
    """The configuration classes an import of a project module binds, by local name."""
    visible: _Visible = {}
    for alias in statement.names:
        if alias.name == _STAR:
            visible.update({name: (found.path, found.name) for name, found in imported.items()})
            continue
        named = imported.get(alias.name)
        if named is not None:
            visible[alias.asname or alias.name] = (named.path, named.name)
    return visible


def _library_names(statement: ast.ImportFrom) -> _Visible:
    """``from configurations import Configuration`` (or ``base``): the library's names."""
    if statement.level:
        return {}
    qualnames = {
        alias.asname or alias.name: '{0}.{1}'.format(statement.module, alias.name)
        for alias in statement.names
    }
    return {
        name: qualname for name, qualname in qualnames.items()
        if qualname in _CONFIGURATION_BASES | {'configurations.base'}
    }


def _class_like(name: str) -> bool:
    """A star, or a CamelCase name: what may import a configuration class."""
    return name == _STAR or (name[:1].isupper() and not name.isupper())


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` of a name or attribute chain, walked without recursion ('' for anything else)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ''
    parts.append(node.id)
    return '.'.join(reversed(parts))


def _base_reference(
    base: ast.expr,
    visible: Mapping[str, tuple[str, str] | str],
) -> tuple[str, str] | str | None:
    """Return what a base expression names, if it is a configuration class or the base class."""
    if isinstance(base, ast.Name):
        return visible.get(base.id)
    if isinstance(base, ast.Attribute) and isinstance(base.value, (ast.Name, ast.Attribute)):
        root = visible.get(_dotted(base.value))
        if isinstance(root, str) and '{0}.{1}'.format(root, base.attr) in _CONFIGURATION_BASES:
            return '{0}.{1}'.format(root, base.attr)
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

    def __init__(  # noqa: WPS211 - the file, and the options that shape its group
        self,
        path: str,
        settings_patterns: Sequence[str],
        dev_patterns: Sequence[str],
        deploy_settings: Sequence[str] = (),
        overrides: Mapping[str, ast.Module] | None = None,
        configuration: str | None = None,
    ) -> None:
        """
        Gather the settings modules in the file's folder and its parent folder.

        ``configuration`` is the ``DJANGO_CONFIGURATION`` the given variables set: it
        picks the class of a module named without one.
        """
        self.path = canonical(path)
        self._configuration = configuration
        self._settings_patterns = settings_patterns
        self._dev_patterns = dev_patterns
        self._deploy_settings = deploy_settings
        self._overrides = dict(overrides or {})
        #: Answers already given: each file of the group is read and judged once.
        self._memo: dict[Hashable, object] = {}
        self.members = self._gather()

    def tree(self, path: str) -> ast.Module | None:
        """Return a module's tree: the linted buffer for the linted file, else from disk."""
        return self._overrides.get(path) or parse_file(path)

    def deployments(self) -> list[Deployment]:
        """
        Return what the deployments of the group load, sorted.

        Named ones (option, entry points), else the leaves: settings modules no
        other one star-imports, and django-configurations classes no other one
        derives from; development ones excluded. A module defining
        configuration classes is loaded through one of them, never alone.
        """
        return self._remember(('deployments',), self._find_deployments)

    def configurations(self, path: str) -> dict[str, ConfigurationClass]:
        """Return the django-configurations classes a module defines."""
        return self._remember(
            ('configurations', path), functools.partial(configuration_classes, path, self.tree),
        )

    def closure(self, deployment: Deployment | str) -> set[str]:
        """
        Return every file a deployment reads, transitively (cycle-safe, depth-capped).

        Star imports, includes and names imported from project modules
        (``from .base import DATABASES``, a configuration base class).
        """
        start = deployment.path if isinstance(deployment, Deployment) else deployment
        return self._remember(('closure', start), functools.partial(self._find_closure, start))

    def is_development(self, path: str) -> bool:
        """Tell whether a module is development settings by its name."""
        return self._remember(('development', path), functools.partial(self._is_dev, path))

    def _remember(self, key: Hashable, compute: Callable[[], _Value]) -> _Value:
        """Answer each question once: a group lives for one run, when files are taken as read."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(_Value, self._memo[key])

    def chosen(self) -> list[Chosen]:
        """Each deployment of the group, and why it is one (``flake8-djsec deployments``)."""
        return self._remember(('chosen',), self._choose)

    def _find_deployments(self) -> list[Deployment]:
        return sorted({chosen.deployment for chosen in self.chosen()})

    def _choose(self) -> list[Chosen]:
        """
        DESIGN.md's precedence: the first layer that answers wins, the others are not asked.

        1. ``--djsec-deploy-settings``: those modules and no others, whatever their
           names, paths or imports say (an answer even when it names none of this group);
        2. the modules the repository's deployment files name;
        3. the ``DJANGO_SETTINGS_MODULE`` default of ``wsgi.py``/``asgi.py``;
        4. the leaf settings modules.
        """
        if self._deploy_settings:
            return self._named_by_option()
        layers = (self._named_by_deployment_files, self._named_by_entry_points, self._leaves)
        for layer in layers:
            chosen = layer()
            if chosen:
                return chosen
        return []

    def _named_by_option(self) -> list[Chosen]:
        """Layer 1: ``--djsec-deploy-settings``; no heuristic overrules the user."""
        named = self._option_deployments()
        return _chosen(
            (expansion for deployment in named for expansion in self._expand_named(deployment)),
            'named by --djsec-deploy-settings',
        )

    def _named_by_deployment_files(self) -> list[Chosen]:
        """Layer 2: the modules the repository's deployment files run (``deployfiles``)."""
        found = self._declared()
        if found is None:
            return []
        chosen: list[Chosen] = []
        for path, process in sorted(found.named.items()):
            chosen.extend(_chosen(
                (
                    expansion for expansion in self._expand(
                        Deployment(path), _declared_configuration(process),
                    )
                    if not self._is_dev_deployment(expansion)
                ),
                'named by {0} ({1})'.format(process.label, process.reason),
                str(process.module_where or process.where),
            ))
        return chosen

    def _named_by_entry_points(self) -> list[Chosen]:
        """
        Layer 3: the ``DJANGO_SETTINGS_MODULE`` default of the entry points.

        Never ruled out by tests or CI naming it too: a ``wsgi.py`` default pytest
        also loads is still what the server runs.
        """
        chosen: list[Chosen] = []
        for entry, target in entry_point_targets(self.path):
            reason = 'the DJANGO_SETTINGS_MODULE default of {0}'.format(os.path.basename(entry))
            chosen.extend(_chosen(
                (found for found in self._expand(target) if not self._is_dev_deployment(found)),
                reason, entry,
            ))
        return chosen

    def _leaves(self) -> list[Chosen]:
        """
        Layer 4: the leaves, settings modules and configuration classes nothing builds on.

        A leaf is a settings module no other one star-imports, or a configuration
        class no other one derives from; development ones excluded, and those only
        tests, CI or a build step load.
        A module defining configuration classes is loaded through one of them, never alone.
        """
        included = {
            include.path
            for member in self.members
            for include in self._includes(member)
        }
        modules = [
            Deployment(member) for member in self.members
            if member not in included and self._is_settings(member)
            and not self.configurations(member) and not self._is_component(member)
        ]
        modules.extend(self._leaf_classes())
        leaves = [deployment for deployment in modules if not self._is_dev_deployment(deployment)]
        # Modules only tests, CI or a build step name are no deployments, unless one is the
        # last candidate (a single settings module serves tests and production alike).
        kept = [deployment for deployment in leaves if not self._ruled_out(deployment.path)]
        return _chosen(
            kept or leaves, 'a leaf settings module (no other settings module imports it)',
        )

    def _is_component(self, path: str) -> bool:
        """
        A module others build on, so no deployment of its own (issue 12, construct 10).

        A module a production settings module of the repository imports names or
        its module from (``from .app_config import FEATURES``, ``from . import
        app_config``): an application configuration file ``settings.py`` reads.
        Or a module that others star-import and that, with all it loads, binds
        none of ``MIDDLEWARE``, ``ROOT_URLCONF``, ``SECRET_KEY`` (a library's
        defaults, ``MIDDLEWARE = [...] + LIB_MIDDLEWARE`` in the project):
        without them nothing can serve a request.
        """
        return self.component(path) is not None

    def component(self, path: str) -> str | None:
        """Why a module is one others build on (``flake8-djsec deployments``), or None."""
        return self._remember(('component', path), functools.partial(self._find_component, path))

    def _find_component(self, path: str) -> str | None:
        readers = [
            member for member in self.members
            if member != path and path in self._read_by(member)
        ]
        if not readers and not roles.matches_settings_path(path, self._settings_patterns):
            readers = self._readers_in_repository(path)
        if readers:
            return 'read by {0} (a configuration file it imports)'.format(
                ', '.join(os.path.basename(reader) for reader in readers),
            )
        if not self._may_serve(path) and self._star_imported_in_repository(path):
            return (
                'star-imported by other modules and binds no MIDDLEWARE, ROOT_URLCONF or '
                'SECRET_KEY (defaults others extend)'
            )
        return None

    def _readers_in_repository(self, path: str) -> list[str]:
        """
        The production settings modules of the repository that import a module by name or whole.

        Asked only of a module that is settings by its content, not its name
        (``docker/config.py``): its readers may be anywhere, so the files of the
        repository whose text names it are read (a bounded walk, once a run).
        """
        directory = os.path.dirname(self.path)
        root = repository_root(directory) or _package_root(directory)
        return [
            reader for reader in importers(root, path)
            if reader != path and path in self._read_by(reader)
        ]

    def _read_by(self, member: str) -> list[str]:
        """The modules a production settings module of the group imports by name or whole."""
        return self._remember(('read by', member), functools.partial(self._find_read_by, member))

    def _find_read_by(self, member: str) -> list[str]:
        tree = self.tree(member)
        if tree is None or self.is_development(member):
            return []
        if roles.classify(member, tree, self._settings_patterns, ()) is roles.Role.other:
            return []
        return _modules_read(member, tree)

    def _may_serve(self, path: str) -> bool:
        """Tell whether a module, with what it loads, may bind the settings a server needs."""
        # The module and what it reads itself first (a set has no order): the same answer, sooner.
        near = [path, *self._reads(path)]
        if any(self._binds_serving(member) for member in near):
            return True
        return any(self._binds_serving(member) for member in self.closure(path))

    def _binds_serving(self, member: str) -> bool:
        return self._remember(('binds serving', member), functools.partial(
            _may_bind_serving, member, self.tree(member),
        ))

    def _star_imported_in_repository(self, path: str) -> bool:
        """Tell whether a file of the repository (or below the group's folders) star-imports it."""
        directory = os.path.dirname(self.path)
        root = repository_root(directory) or _package_root(directory)
        return path in star_imported(root, path)

    def _find_closure(self, start: str) -> set[str]:
        seen = {start}
        frontier = [start]
        for _ in range(MAX_IMPORT_DEPTH):
            frontier = [
                target
                for member in frontier
                for target in self._reads(member)
                if target not in seen
            ]
            seen.update(frontier)
            if not frontier:
                break
        return seen

    def _gather(self) -> list[str]:
        directory = os.path.dirname(self.path)
        found = {self.path}
        patterns = tuple(self._settings_patterns)
        for folder in (directory, os.path.dirname(directory)):
            found.update(RUN.remember(
                ('settings files', folder, patterns),
                functools.partial(_settings_files, folder, patterns),
            ))
        if self._deploy_settings:
            found.update(RUN.remember(
                ('option files', directory, tuple(self._deploy_settings)),
                functools.partial(option_files, self.path, self._deploy_settings),
            ))
        return sorted(found)

    def _includes(self, path: str) -> list[Include]:
        return self._remember(('includes', path), functools.partial(self._find_includes, path))

    def _find_includes(self, path: str) -> list[Include]:
        tree = self.tree(path)
        return [] if tree is None else star_imports(path, tree)

    def _reads(self, path: str) -> list[str]:
        tree = self.tree(path)
        if tree is None:
            return []
        includes = [include.path for include in self._includes(path)]
        return includes + self._remember(
            ('named imports', path), functools.partial(named_imports, path, tree),
        )

    def _leaf_classes(self) -> list[Deployment]:
        """
        Configuration classes that no other configuration class derives from, and those
        named production (``Production``) that variants (``Staging(Production)``) derive from.

        Those of the members, and of the modules beside a member that defines some:
        ``class Production(Common)`` in ``production.py`` makes ``Common`` of
        ``common.py`` no leaf, whatever the two files are called.
        """
        return self._remember(('leaf classes',), self._find_leaf_classes)

    def _find_leaf_classes(self) -> list[Deployment]:
        defining = [member for member in self.members if self.configurations(member)]
        if not defining:
            return []
        folders = sorted({os.path.dirname(member) for member in defining})
        paths = sorted({
            *defining,
            *(canonical(path) for folder in folders for path in _python_files(folder)),
        })
        classes = [found for path in paths for found in self.configurations(path).values()]
        # A class named production is deployed even when variants (Staging, Demo) derive from it.
        bases = {
            base for found in classes for base in found.bases
            if not roles.is_production_name(base[1])
        }
        return [
            Deployment(found.path, found.name) for found in classes
            if (found.path, found.name) not in bases
        ]

    def _is_dev_deployment(self, deployment: Deployment) -> bool:
        """Development by its module, or by the name of its class or of a class it derives from."""
        if self.is_development(deployment.path):
            return True
        if deployment.configuration is None:
            return False
        return self._is_dev_class(deployment.path, deployment.configuration, 0)

    def _is_dev_class(self, path: str, name: str, depth: int) -> bool:
        if roles.is_development_name(name, self._dev_patterns):
            return True
        found = self.configurations(path).get(name)
        if found is None or depth > MAX_IMPORT_DEPTH:
            return False
        return any(
            self._is_dev_class(base_path, base_name, depth + 1)
            for base_path, base_name in found.bases
        )

    def _is_settings(self, path: str) -> bool:
        tree = self.tree(path)
        if tree is None:
            return False
        role = roles.classify(path, tree, self._settings_patterns, ())
        return role is not roles.Role.other

    def _is_dev(self, path: str) -> bool:
        """
        Development by its own name or folder's, word by word (``settings/local.py``).

        Never by what it imports (DESIGN.md): ``docker.py`` doing ``from .dev import *``
        and overriding a few settings is what its name says, a deployment candidate.
        """
        return roles.is_development(path, self._dev_patterns)

    def environment(
        self,
        deployment: Deployment,
        given: Mapping[str, str],
        given_files: Sequence[str] = (),
    ) -> Mapping[str, str]:
        """
        The variables a deployment runs with, later winning: what the repository's
        deployment files set for it, the ``--djsec-env-file`` files, ``--djsec-env``.
        """
        found = self._declared()
        if found is None and not given_files:
            return given
        process = None
        if found is not None:
            process = found.named.get(deployment.path)
            if process is None and deployment.path not in found.named and found.defaults:
                process = found.defaults[0]
        files = [read_env_file(path) for path in given_files]
        return plan.environment(process, files, given)

    def declared(self) -> tuple[str, Declared, plan.Plan] | None:
        """What the repository's deployment files say (root, processes, plan), if any."""
        root = repository_root(os.path.dirname(self.path))
        found = self._declared()
        if root is None or found is None:
            return None
        return root, declared_files(root, self._dev_patterns), found

    def _declared(self) -> plan.Plan | None:
        return self._remember(('declared',), self._read_declared)

    def _read_declared(self) -> plan.Plan | None:
        root = repository_root(os.path.dirname(self.path))
        if root is None:
            return None
        return RUN.remember(
            ('deployment plan', root, self._dev_patterns),
            functools.partial(_plan, root, self._dev_patterns),
        )

    def _ruled_out(self, path: str) -> bool:
        """A module only tests, CI or a build step load (and no deployment names)."""
        found = self._declared()
        return found is not None and path in found.excluded

    def _option_deployments(self) -> list[Deployment]:
        """``--djsec-deploy-settings``: modules, globs, or ``module.Class`` names."""
        named = [
            Deployment(canonical(path)) for path in self.members
            if _matches_any(path, self._deploy_settings)
        ]
        for name in self._deploy_settings:
            module, _, configuration = name.rpartition('.')
            if not module or '/' in name:
                continue
            named.extend(
                Deployment(canonical(path), configuration) for path in self.members
                if _matches_any(path, [module]) and configuration in self._classes_of(path)
            )
        return named

    def _expand_named(self, deployment: Deployment) -> list[Deployment]:
        """
        A named module or class: a module defining classes is each leaf class.

        The expansion is ours, so a development class (``Dev``, one derived from it) is
        left out of it; a class the user names (or the ``DJANGO_CONFIGURATION`` given) is never.
        """
        expanded = self._expand(deployment)
        given = Deployment(deployment.path, self._configuration)
        if deployment.configuration is not None or expanded in ([deployment], [given]):
            return expanded  # named by the user: the option, or DJANGO_CONFIGURATION given
        return [
            found for found in expanded
            if found.configuration is None
            or not self._is_dev_class(found.path, found.configuration, 0)
        ]

    def _expand(self, deployment: Deployment, configuration: str | None = None) -> list[Deployment]:
        """
        A module named without its class: the class ``DJANGO_CONFIGURATION`` names, else each leaf.

        The class is the one the deployment's variables (``configuration``) or the given
        ones name, when the module defines or imports it; a module that only imports
        classes (a package's ``__init__``) is each class it imports that no other derives from.
        """
        if deployment.configuration is not None:
            return [deployment]
        named = configuration or self._configuration
        if named is not None and named in self._classes_of(deployment.path):
            return [Deployment(deployment.path, named)]
        if not self.configurations(deployment.path):
            return self._exported_leaves(deployment)
        return [leaf for leaf in self._leaf_classes() if leaf.path == deployment.path]

    def _classes_of(self, path: str) -> set[str]:
        """The configuration classes a module defines or imports by name."""
        return {*self.configurations(path), *self._exports(path)}

    def _exports(self, path: str) -> dict[str, ConfigurationClass]:
        return self._remember(
            ('exports', path), functools.partial(configuration_exports, path, self.tree),
        )

    def _exported_leaves(self, deployment: Deployment) -> list[Deployment]:
        exports = self._exports(deployment.path)
        if not exports:
            return [deployment]
        bases = {
            base for found in exports.values() for base in found.bases
            if not roles.is_production_name(base[1])
        }
        return [
            Deployment(deployment.path, local) for local, found in sorted(exports.items())
            if (found.path, found.name) not in bases
        ]

    def explain(self, deployment: Deployment) -> tuple[str, str]:
        """Why a deployment is one: the rule that chose it, and the place that named it."""
        for chosen in self.chosen():
            if chosen.deployment == deployment:
                return chosen.reason, chosen.named_at
        return 'not a deployment of this group', ''

    def ruled_out(self, path: str) -> Process | None:
        """The process that makes a module tests-, CI- or build-only, if any."""
        found = self._declared()
        return None if found is None else found.excluded.get(path)

    def includes(self, path: str) -> list[Include]:
        """The modules a member star-imports or includes."""
        return self._includes(path)


#: The settings a server needs: a module binding none of them, with all it loads, serves nothing.
SERVING_NAMES: Final = frozenset(('MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'ROOT_URLCONF', 'SECRET_KEY'))
#: Names that hand a module's namespace to code we cannot read: it may bind anything.
_DYNAMIC_NAMES: Final = frozenset(('globals', 'vars', 'exec', 'setattr', 'modules', '__dict__'))
#: Python files read when looking for the modules a repository imports (a bounded walk).
MAX_IMPORT_SCAN_FILES: Final = 5000
#: Folders never walked for imports: virtual environments and caches.
_SCAN_SKIPPED: Final = frozenset(('node_modules', '__pycache__', 'site-packages'))


def star_imported(root: str, path: str) -> frozenset[str]:
    """
    The modules the files below a root star-import that may be ``path``: read, never imported.

    A bounded walk (hidden folders, virtual environments and caches skipped), its
    files' texts read once a run; a file is parsed only when its text says
    ``import *`` and names the module.
    """
    named = _module_word(path).encode('utf-8', 'replace')
    importers = RUN.remember(('star importers', root), functools.partial(_star_importers, root))
    return frozenset(
        target for importer, raw in importers if named in raw for target in _star_targets(importer)
    )


def importers(root: str, path: str) -> list[str]:
    """The Python files below a root whose text imports something and names ``path``'s module."""
    named = _module_word(path).encode('utf-8', 'replace')
    return RUN.remember(
        ('importers', root, named), functools.partial(_texts_naming, root, named),
    )


def _texts_naming(root: str, named: bytes) -> list[str]:
    found: list[str] = []
    for candidate in _repository_sources(root):
        source = sources.read_source(candidate)
        if source is not None and named in source.raw and b'import' in source.raw:
            found.append(candidate)
    return found


def _star_targets(importer: str) -> list[str]:
    tree = parse_file(importer)
    return [] if tree is None else [include.path for include in star_imports(importer, tree)]


def _package_root(directory: str) -> str:
    """The folder absolute imports start from: the first ancestor that is no package."""
    current = directory
    for _ in range(MAX_ANCESTORS + 2):
        if not os.path.isfile(os.path.join(current, _INIT)):
            return current
        current = os.path.dirname(current)
    return current


def _module_word(path: str) -> str:
    """The last part of a module's dotted name: its file's stem, or its package's folder."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.basename(os.path.dirname(path)) if stem == '__init__' else stem


def _star_importers(root: str) -> list[tuple[str, bytes]]:
    """The Python files below a root whose text holds a star import, and their texts."""
    found: list[tuple[str, bytes]] = []
    for path in _repository_sources(root):
        source = sources.read_source(path)
        if source is not None and b'import *' in source.raw:
            found.append((path, source.raw))
    return found


def _repository_sources(root: str) -> list[str]:
    """The Python files below a root (a bounded walk, once a run)."""
    return RUN.remember(('python sources', root), functools.partial(_python_sources, root))


def _python_sources(root: str) -> list[str]:
    found: list[str] = []
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(  # noqa: WPS362, WPS478 - os.walk is pruned in place
            name for name in folders
            if not name.startswith('.') and name not in _SCAN_SKIPPED
            and not os.path.exists(os.path.join(folder, name, 'pyvenv.cfg'))
        )
        found.extend(
            canonical(os.path.join(folder, name))
            for name in sorted(names) if name.endswith(_SOURCE_SUFFIX)
        )
        if len(found) >= MAX_IMPORT_SCAN_FILES:
            return found[:MAX_IMPORT_SCAN_FILES]
    return found


def _modules_read(path: str, tree: ast.Module) -> list[str]:
    """The project modules a settings module imports by name (not ``*``), or imports whole."""
    imports = _import_nodes(tree)  # one walk for both questions
    found = _names_imported(path, imports)
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            found.extend(_submodules(path, node))
        elif isinstance(node, ast.Import):
            located = (resolve_module(path, alias.name, 0) for alias in node.names)
            found.extend(place for place in located if place is not None)
    return [place for place in found if not place.endswith(_INIT)]


def _submodules(path: str, node: ast.ImportFrom) -> list[str]:
    """``from . import app_config``: the modules an import of names from a package binds."""
    prefix = '{0}.'.format(node.module) if node.module else ''
    located = (
        resolve_module(path, '{0}{1}'.format(prefix, alias.name), node.level)
        for alias in node.names if alias.name != _STAR
    )
    return [place for place in located if place is not None]


def _may_bind_serving(path: str, tree: ast.Module | None) -> bool:
    """
    Tell whether a module may bind a serving setting: it assigns one, or does what we cannot read.

    Unknown (unreadable), a star import outside the project, and a namespace handed to
    code (``globals()``, ``vars()``, ``exec``, ``sys.modules``) all may.
    """
    if tree is None:
        return True
    return any(_binds_or_hides(path, node) for node in walk(tree))


def _binds_or_hides(path: str, node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in SERVING_NAMES or node.id in _DYNAMIC_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in _DYNAMIC_NAMES
    if isinstance(node, ast.ImportFrom) and any(alias.name == _STAR for alias in node.names):
        return resolve_module(path, node.module or '', node.level) is None
    return False


def repository_root(directory: str) -> str | None:
    """The project root holding a folder (cached for the run)."""
    return RUN.remember(
        ('repository root', directory), functools.partial(deployment_files.find_root, directory),
    )


def declared_files(root: str, dev_patterns: Sequence[str]) -> Declared:
    """What a root's deployment files declare, read once a run."""
    return RUN.remember(
        ('deployment files', root, tuple(dev_patterns)),
        functools.partial(_read_declared_files, root, tuple(dev_patterns)),
    )


def _read_declared_files(root: str, dev_patterns: tuple[str, ...]) -> Declared:
    """Walk the root; the readers (and their parsers) are imported only when files are found."""
    reading = deployment_reading.Reading(root)
    found = deployment_files.walk(root, reading)
    if not found:
        return Declared(root, unknowns=reading.unknowns)
    from flake8_djsec.logic.deployment import repository  # noqa: WPS433 - only with such files

    return repository.read(
        root, functools.partial(_development_file, dev_patterns), (found, reading),
    )


#: Development words that do not make a deployment file development: a platform's deploy
#: template (``.do/deploy.template.yaml``) is what the platform runs.
_DEPLOYMENT_FILE_WORDS: Final = frozenset(('template', 'global'))


def _development_file(dev_patterns: Sequence[str], name: str) -> bool:
    stem = name.split('.')
    words = [word for word in stem if word.lower() not in {'yml', 'yaml', 'toml', 'json', 'ini'}]
    patterns = [pattern for pattern in dev_patterns if pattern not in _DEPLOYMENT_FILE_WORDS]
    return roles.is_development_name(' '.join(words), patterns)


def _plan(root: str, dev_patterns: Sequence[str]) -> plan.Plan | None:
    found = declared_files(root, dev_patterns)
    if not found.processes:
        return None
    roots = deployment_files.python_roots(root, ())
    return plan.plan(found, functools.partial(_resolve_declared, root, tuple(roots)))


def _resolve_declared(root: str, roots: tuple[str, ...], module: str) -> str | None:
    found = deployment_files.resolve(root, module, roots)
    return None if found is None else canonical(found)


def read_env_file(path: str) -> list[Variable]:
    """A ``--djsec-env-file``'s variables (read once a run; unreadable: none)."""
    return RUN.remember(('env file', path), functools.partial(_read_env_file, path))


def _read_env_file(path: str) -> list[Variable]:
    from flake8_djsec.logic.deployment import envfiles  # noqa: WPS433 - with the option

    absolute = canonical(path)
    root = repository_root(os.path.dirname(absolute)) or os.path.dirname(absolute)
    return envfiles.read(deployment_reading.Reading(root), absolute, '--djsec-env-file') or []


def _settings_files(folder: str, patterns: Sequence[str]) -> list[str]:
    """Return the settings modules directly in a folder."""
    return [
        canonical(candidate) for candidate in _python_files(folder)
        if roles.matches_settings_path(candidate, patterns)
    ]


def option_files(path: str, names: Sequence[str]) -> list[str]:
    """
    The files ``--djsec-deploy-settings`` names, whatever they are called.

    A path or glob (relative to the working folder, as flake8's own arguments), or a
    dotted module (``module.Class`` too) resolved from the linted file's folders
    and from the working folder; and, next to the linted file, any module the
    names match.
    """
    found: set[str] = set()
    for name in names:
        found.update(_named_files(path, name))
    directory = os.path.dirname(canonical(path))
    for folder in (directory, os.path.dirname(directory)):
        found.update(
            canonical(candidate) for candidate in _python_files(folder)
            if _matches_any(candidate, names)
        )
    return sorted(found)


def named_by_option(path: str, names: Sequence[str]) -> bool:
    """Tell whether ``--djsec-deploy-settings`` names a file (by path, glob or module)."""
    if _matches_any(path, names):
        return True
    located = RUN.remember(
        ('option names', os.path.dirname(canonical(path)), tuple(names)),
        lambda: {found for name in names for found in _named_files(path, name)},
    )
    return canonical(path) in located


def _named_files(path: str, name: str) -> list[str]:
    if '/' in name or name.endswith(_SOURCE_SUFFIX) or _STAR in name:
        return [canonical(match) for match in glob.glob(name) if os.path.isfile(match)]
    # ``module`` or ``module.Class``: both readings are tried.
    readings = filter(None, (name, name.rpartition('.')[0]))
    located = (
        place
        for dotted in readings
        for place in (resolve_module(path, dotted, 0), _module_file(os.getcwd(), dotted.split('.')))
    )
    return [place for place in located if place is not None]


def _python_files(folder: str) -> list[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [os.path.join(folder, name) for name in names if name.endswith(_SOURCE_SUFFIX)]


def entry_point_targets(path: str) -> list[tuple[str, Deployment]]:
    """The entry points above a file (3 folders) and the deployment each names."""
    found: list[tuple[str, Deployment]] = []
    directory = os.path.dirname(path)
    for _ in range(3):
        for entry in _ENTRY_FILES:
            entry_path = os.path.join(directory, entry)
            target = _entry_point_target(entry_path)
            if target is not None:
                found.append((entry_path, target))
        directory = os.path.dirname(directory)
    return found


def _entry_point_target(entry_path: str) -> Deployment | None:
    """
    Return what a ``wsgi.py``/``asgi.py`` names: its settings module and configuration class.

    ``manage.py`` counts only when it names a ``DJANGO_CONFIGURATION`` too.
    """
    tree = parse_file(entry_path) if os.path.isfile(entry_path) else None
    if tree is None:
        return None
    module = settings_module_name(tree)
    configuration = settings_module_name(tree, 'DJANGO_CONFIGURATION')
    if module is None or (configuration is None and entry_path.endswith(_MANAGE)):
        return None
    target = resolve_module(entry_path, module, 0)
    return None if target is None else Deployment(target, configuration)


def named_imports(path: str, tree: ast.Module) -> list[str]:
    """Return the project files a module imports names from (``from .base import X``)."""
    return _names_imported(path, _import_nodes(tree))


def _import_nodes(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The module's import statements, in ``walk`` order."""
    return [node for node in walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def _names_imported(path: str, imports: list[ast.Import | ast.ImportFrom]) -> list[str]:
    found: list[str] = []
    for node in imports:
        if isinstance(node, ast.ImportFrom) and not any(
            alias.name == _STAR for alias in node.names
        ):
            target = resolve_module(path, node.module or '', node.level)
            if target is not None:
                found.append(target)
    return found


def _working_folder_files(name: str) -> frozenset[str]:
    """The files a path or glob finds from the working folder (once a run)."""
    return RUN.remember(
        ('working folder files', os.getcwd(), name),
        lambda: frozenset(canonical(match) for match in glob.glob(name) if os.path.isfile(match)),
    )


def _matches_any(path: str, names: Sequence[str]) -> bool:
    """Match a path against dotted module names (``config.settings.production``) or globs."""
    posix = path.replace(os.sep, '/')
    return any(_matches_name(posix, name) for name in names)


def _matches_name(posix: str, name: str) -> bool:
    """
    A path or glob names the files it finds from the working folder, as flake8's arguments do.

    ``settings.py`` is ``./settings.py``, not ``tests/settings.py``. Only a path that
    finds nothing there matches by its end (``config/settings/production.py`` run from
    elsewhere).
    """
    if '/' in name or name.endswith(_SOURCE_SUFFIX) or _STAR in name:
        anchored = _working_folder_files(name)
        if anchored:
            return canonical(posix) in anchored
        pattern = name if name.startswith(_STAR) else '*/{0}'.format(name.lstrip('/'))
        return roles.matches_settings_path(posix, [pattern])
    dotted = '/{0}'.format(name.replace('.', '/'))
    return posix.endswith(('{0}.py'.format(dotted), '{0}/__init__.py'.format(dotted)))
