"""
Where a project's deployment files are: its root, a bounded walk, what each file is.

No reader is imported here: a project without deployment files costs a few folder
listings, and no parser is loaded.

The root is the nearest ancestor holding ``.git``, else the highest ancestor
(of a few) holding a deployment file, ``manage.py`` or a project configuration.
Below it, a bounded walk (depth, entries) skips virtual environments, caches,
documentation folders (examples for readers) and other hidden folders
(``.github``, ``.envs``, ``.circleci`` and ``.gitlab`` are read).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator, Sequence
from typing import Final

from flake8_djsec.logic.deployment.reading import Reading

#: Ancestors searched for the project root.
MAX_ROOT_ANCESTORS: Final = 6
#: How deep below the root deployment files are looked for.
MAX_WALK_DEPTH: Final = 4
#: Folder entries looked at below the root; past it the rest is unknown.
MAX_WALK_ENTRIES: Final = 20_000

_COMPOSE: Final = re.compile(r'^(docker-)?compose([._-].*)?\.ya?ml$')
_DOCKERFILE: Final = re.compile(r'^(Dockerfile([._-].+)?|.+\.[Dd]ockerfile)$')
_UWSGI: Final = re.compile(r'^.*uwsgi.*\.ini$')
_GUNICORN: Final = frozenset(
    (
        'gunicorn.conf.py',
        'gunicorn_conf.py',
        'gunicorn_config.py',
        'gunicorn.config.py',
    )
)
_TEST_CONFIGS: Final = frozenset(('pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml'))
_CI_FILES: Final = frozenset(
    (
        '.gitlab-ci.yml',
        'bitbucket-pipelines.yml',
        'azure-pipelines.yml',
        '.travis.yml',
        '.woodpecker.yml',
        'cloudbuild.yaml',
        'cloudbuild.yml',
    )
)
_CI_FOLDERS: Final = ('.github/workflows/', '.circleci/', '.gitlab/', '.woodpecker/')
_READ_HIDDEN: Final = frozenset((
    '.github', '.envs', '.circleci', '.gitlab', '.woodpecker', '.do',
))
_SKIPPED: Final = frozenset(
    (
        'node_modules',
        'venv',
        'env',
        'site-packages',
        '__pycache__',
        'htmlcov',
        'static',
        'staticfiles',
        'media',
        'dist',
        'vendor',
        'bower_components',
        # Documentation: its compose files and manifests are examples for readers.
        'docs',
        'doc',
        'documentation',
    )
)
_YAML: Final = ('.yml', '.yaml')
_MARKERS: Final = frozenset(('manage.py', 'pyproject.toml', 'setup.cfg', 'Procfile', 'fly.toml'))


def find_root(directory: str) -> str | None:
    """The project root above a directory (None when nothing marks one)."""
    ancestors = list(_ancestors(directory))
    for ancestor in ancestors:
        if os.path.exists(os.path.join(ancestor, '.git')):
            return ancestor
    marked = [ancestor for ancestor in ancestors if _is_marked(ancestor)]
    return marked[-1] if marked else None


def _ancestors(directory: str) -> Iterator[str]:
    current = os.path.abspath(directory)
    for _ in range(MAX_ROOT_ANCESTORS):
        yield current
        parent = os.path.dirname(current)
        if parent == current:
            return
        current = parent


def _is_marked(directory: str) -> bool:
    try:
        names = os.listdir(directory)
    except OSError:
        return False
    return any(
        name in _MARKERS or _COMPOSE.match(name) or _DOCKERFILE.match(name) for name in names
    )


def walk(root: str, reading: Reading) -> list[str]:
    """The files below the root that may describe a deployment, sorted (bounded walk)."""
    found: list[str] = []
    frontier = [(root, 0)]
    budget = MAX_WALK_ENTRIES
    while frontier:
        folder, depth = frontier.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            budget -= 1
            if budget < 0:
                reading.unknown(
                    root,
                    'more than {0} entries below the root: the rest not read'.format(
                        MAX_WALK_ENTRIES,
                    ),
                )
                return sorted(found)
            if _is_folder(entry):
                if depth < MAX_WALK_DEPTH and _walked(entry.name):
                    frontier.append((entry.path, depth + 1))
            elif _is_candidate(reading.relative(entry.path)):
                found.append(entry.path)
    return sorted(found)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _walked(name: str) -> bool:
    if name.startswith('.'):
        return name in _READ_HIDDEN
    return name not in _SKIPPED and not name.endswith('.egg-info')


def _is_candidate(relative: str) -> bool:
    name = relative.rsplit('/', 1)[-1]
    return bool(
        kind_of(relative) or name.startswith('.env') or '/.envs/' in '/{0}'.format(relative),
    )


def kind_of(relative: str) -> str | None:  # noqa: C901, WPS212, WPS231 - one test per file kind
    """What a root-relative path is to the readers (None: nothing)."""
    name = relative.rsplit('/', 1)[-1]
    if any(relative.startswith(folder) for folder in _CI_FOLDERS) or name in _CI_FILES:
        return 'ci' if name.endswith(_YAML) else None
    if _COMPOSE.match(name):
        return 'compose'
    if _DOCKERFILE.match(name):
        return 'dockerfile'
    if name == 'Procfile' or name.startswith('Procfile.'):
        return 'procfile'
    if relative.startswith('.do/') and name.endswith(_YAML) or name in {'app.yaml', 'app.yml'}:
        return 'app-spec'
    if name == 'app.json':
        return 'app.json'
    if name == 'fly.toml':
        return 'fly'
    if name in {'render.yaml', 'render.yml'}:
        return 'render'
    if _UWSGI.match(name):
        return 'uwsgi'
    if name in _GUNICORN:
        return 'gunicorn'
    if name.endswith('.service'):
        return 'systemd'
    if name in _TEST_CONFIGS and relative.count('/') <= 1:
        return 'tests'
    if name.endswith(_YAML):
        return 'kubernetes'
    return None


def resolve(root: str, module: str, roots: Sequence[str] = ()) -> str | None:
    """The file of a dotted module below the root (or a folder holding ``manage.py``)."""
    parts = [part for part in module.strip().split('.') if part]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    for base in (root, *roots, os.path.join(root, 'src'), os.path.join(root, 'app')):
        path = os.path.join(base, *parts)
        for candidate in ('{0}.py'.format(path), os.path.join(path, '__init__.py')):
            if os.path.isfile(candidate):
                return os.path.abspath(candidate)
    return None


def python_roots(root: str, files: Sequence[str]) -> list[str]:
    """Folders holding ``manage.py`` one or two levels below the root: import roots too."""
    found: list[str] = []
    for pattern in ('*/manage.py', '*/*/manage.py'):
        found.extend(os.path.dirname(match) for match in sorted(_glob(root, pattern)))
    return found


def _glob(root: str, pattern: str) -> list[str]:
    import glob  # noqa: WPS433 - only when a repository has deployment files

    return [
        match
        for match in glob.glob(os.path.join(root, pattern))
        if fnmatch.fnmatch(match, '*manage.py')
    ]
