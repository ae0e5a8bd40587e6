#!/usr/bin/env python3
"""
The real-project oracle: Django's checks and ours on the deployment modules of public projects.

For every row of ``tests/realworld/projects*.tsv`` (format: ``tests/realworld/README``-less, see
``docs/realworld.md``): extract the row's commit from the snapshot the search tool's ``fetch``
brought (``<mirror>/<owner>+<name>/repo``, a git directory) into a temporary directory, load the
row's settings module into Django's check framework in a subprocess of the Django 6.1 parity
environment (an empty environment plus the row's placeholders, permissive stub modules for the
third-party imports of the project that are not installed), run
``flake8 --isolated --select=DJS`` on the same tree twice (with ``--djsec-deploy-settings`` naming
the module, and without it: the modules discovery judges by itself), map our mirrored codes to
Django's ids and write ``docs/realworld.md`` and a JSON record of everything measured.

    python scripts/realworld.py --flake8 .venv/bin/flake8 --json /tmp/after.json
    python scripts/realworld.py --flake8 ../wt-baseline/.venv/bin/flake8 --json /tmp/before.json
    python scripts/realworld.py --report --before /tmp/before.json --after /tmp/after.json

Nothing of the projects is committed; the page holds ids, codes, paths and line numbers only.
The Django side runs this same file as ``realworld.py --django-child`` in the parity interpreter:
that mode imports nothing but the standard library, Django and the project itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / 'tests' / 'realworld'
PAGE = ROOT / 'docs' / 'realworld.md'
DJANGO_CHECKS = ROOT / 'tests' / 'parity' / 'django_checks.py'
#: The columns of a manifest, in order (``/work/REALWORLD.md``, repeated in docs/realworld.md).
FIELDS = ('name', 'repo', 'commit', 'style', 'settings', 'sys_path', 'env', 'documented', 'notes')
STYLES = frozenset((
    'single', 'split', 'environ', 'decouple', 'split-settings', 'configurations', 'class-based',
    'cookiecutter',
))
REVIEW_FIELDS = ('project', 'location', 'code', 'verdict', 'reason')
VERDICTS = frozenset(('right', 'wrong'))
_COMMIT = re.compile('^[0-9a-f]{40}$')
_NAME = re.compile('^[A-Za-z_][A-Za-z0-9_]*$')
_DOTTED = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$')
_FINDING = re.compile(r'^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>DJS\d{3}) (?P<text>.*)$')
#: Settings whose values the Django side records (repr, cut), to explain a divergence.
RECORDED = (
    'DEBUG', 'ALLOWED_HOSTS', 'MIDDLEWARE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',
    'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE',
    'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY',
    'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'CSRF_TRUSTED_ORIGINS',
    'INSTALLED_APPS', 'AUTH_PASSWORD_VALIDATORS', 'CORS_ALLOW_ALL_ORIGINS', 'SECURE_BROWSER_XSS_FILTER',
)


class ManifestError(ValueError):
    """A manifest or review file that does not follow the format."""


@dataclasses.dataclass(frozen=True)
class Project:
    """One manifest row."""

    name: str
    repo: str
    commit: str
    styles: tuple[str, ...]
    settings: str
    sys_path: str
    env: tuple[tuple[str, str], ...]
    documented: str
    notes: str
    manifest: str = ''

    @property
    def mirror_name(self) -> str:
        """The snapshot's folder name under the mirror root (``owner+name``)."""
        return self.repo.replace('/', '+')

    def settings_candidates(self) -> tuple[str, str]:
        """The two files the dotted module can be, relative to the repository root."""
        base = self.settings.replace('.', '/')
        prefix = '' if self.sys_path in {'', '.'} else self.sys_path.rstrip('/') + '/'
        return prefix + base + '.py', prefix + base + '/__init__.py'


def parse_env(raw: str, where: str) -> tuple[tuple[str, str], ...]:
    """Parse the ``env`` column: ``-`` or space-separated ``NAME=VALUE``."""
    if raw == '-':
        return ()
    pairs = []
    for entry in raw.split():
        name, sep, value = entry.partition('=')
        if not sep or not _NAME.match(name):
            raise ManifestError('{0}: env entry {1!r} is not NAME=VALUE'.format(where, entry))
        pairs.append((name, value))
    return tuple(pairs)


def parse_manifest(text: str, source: str = '<manifest>') -> list[Project]:
    """Parse one manifest's text; raise ``ManifestError`` naming the line on any defect."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or tuple(lines[0].split('\t')) != FIELDS:
        raise ManifestError('{0}: the first line must be the header {1}'.format(source, '\\t'.join(FIELDS)))
    projects = []
    for number, line in enumerate(lines[1:], start=2):
        where = '{0}:{1}'.format(source, number)
        cells = line.split('\t')
        if len(cells) != len(FIELDS):
            raise ManifestError('{0}: {1} fields, expected {2}'.format(where, len(cells), len(FIELDS)))
        row = dict(zip(FIELDS, (cell.strip() for cell in cells)))
        if not _COMMIT.match(row['commit']):
            raise ManifestError('{0}: commit {1!r} is not 40 lowercase hex digits'.format(where, row['commit']))
        if row['repo'].count('/') != 1:
            raise ManifestError('{0}: repo {1!r} is not owner/name'.format(where, row['repo']))
        styles = tuple(style for style in row['style'].split(',') if style)
        unknown = sorted(set(styles) - STYLES)
        if not styles or unknown:
            raise ManifestError('{0}: unknown style {1}'.format(where, unknown or row['style']))
        if not _DOTTED.match(row['settings']):
            raise ManifestError('{0}: settings {1!r} is not a dotted module'.format(where, row['settings']))
        if row['sys_path'].startswith('/') or '..' in row['sys_path'].split('/'):
            raise ManifestError('{0}: sys_path must stay inside the repository'.format(where))
        projects.append(Project(
            name=row['name'], repo=row['repo'], commit=row['commit'], styles=styles,
            settings=row['settings'], sys_path=row['sys_path'] or '.',
            env=parse_env(row['env'], where), documented=row['documented'], notes=row['notes'],
            manifest=Path(source).name,
        ))
    return projects


def read_manifests(folder: Path = MANIFESTS) -> list[Project]:
    """Every row of every ``projects*.tsv`` in the folder; names must be unique across them."""
    projects: list[Project] = []
    for path in sorted(folder.glob('projects*.tsv')):
        projects.extend(parse_manifest(path.read_text(encoding='utf-8'), str(path)))
    seen: set[str] = set()
    for project in projects:
        if project.name in seen:
            raise ManifestError('project name {0!r} appears twice'.format(project.name))
        seen.add(project.name)
    return projects


@dataclasses.dataclass(frozen=True)
class Verdict:
    """One reviewed finding beyond Django's checks."""

    verdict: str
    reason: str


def parse_review(text: str, source: str = '<review>') -> dict[tuple[str, str, str], Verdict]:
    """Parse a review file: (project, path:line, code) -> verdict."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or tuple(lines[0].split('\t')) != REVIEW_FIELDS:
        raise ManifestError('{0}: the first line must be the header {1}'.format(source, '\\t'.join(REVIEW_FIELDS)))
    reviews = {}
    for number, line in enumerate(lines[1:], start=2):
        cells = [cell.strip() for cell in line.split('\t')]
        if len(cells) != len(REVIEW_FIELDS) or cells[3] not in VERDICTS:
            raise ManifestError('{0}:{1}: expected 5 fields and a verdict right|wrong'.format(source, number))
        reviews[cells[0], cells[1], cells[2]] = Verdict(cells[3], cells[4])
    return reviews


def read_reviews(folder: Path = MANIFESTS) -> dict[tuple[str, str, str], Verdict]:
    """Every ``review*.tsv`` of the folder, merged."""
    reviews: dict[tuple[str, str, str], Verdict] = {}
    for path in sorted(folder.glob('review*.tsv')):
        reviews.update(parse_review(path.read_text(encoding='utf-8'), str(path)))
    return reviews


# ---------------------------------------------------------------------------------------------
# Codes and ids


@dataclasses.dataclass(frozen=True)
class Finding:
    """One line of flake8's output."""

    path: str
    line: int
    code: str
    text: str

    @property
    def location(self) -> str:
        return '{0}:{1}'.format(self.path, self.line)


def parse_flake8(output: str) -> list[Finding]:
    """Our findings from flake8's default format (paths made relative, ``./`` dropped)."""
    findings = []
    for line in output.splitlines():
        match = _FINDING.match(line.strip())
        if match:
            path = match['path'][2:] if match['path'].startswith('./') else match['path']
            findings.append(Finding(path, int(match['line']), match['code'], match['text']))
    return findings


def load_mapping() -> dict[str, str]:
    """Django id -> our code, from the violations' metadata of the tree this script is in."""
    sys.path.insert(0, str(ROOT))
    try:
        from flake8_djsec.violations import CATALOGUE
    finally:
        sys.path.remove(str(ROOT))
    return mapping_of((violation.full_code(), violation.django_ids) for violation in CATALOGUE)


def mapping_of(codes: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Django id -> code, from (code, ids) pairs; an id mirrored by two codes is an error."""
    mapping: dict[str, str] = {}
    for code, ids in codes:
        for django_id in ids:
            if mapping.setdefault(django_id, code) != code:
                raise ValueError('{0} is mirrored by {1} and {2}'.format(django_id, mapping[django_id], code))
    return mapping


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Django's ids and our findings on one deployment module."""

    expected: frozenset[str]  # our codes Django's ids call for
    mirrored: frozenset[str]  # our mirrored codes we reported
    beyond: tuple[Finding, ...]  # our findings with no Django id

    @property
    def agreed(self) -> frozenset[str]:
        return self.expected & self.mirrored

    @property
    def missing(self) -> frozenset[str]:
        return self.expected - self.mirrored

    @property
    def contradicted(self) -> frozenset[str]:
        return self.mirrored - self.expected


def compare(django_ids: Iterable[str], findings: Iterable[Finding], mapping: Mapping[str, str]) -> Comparison:
    """Compare at the level of our codes (three Django ids can map to one code)."""
    mirrored_codes = frozenset(mapping.values())
    found = list(findings)
    return Comparison(
        expected=frozenset(mapping[django_id] for django_id in django_ids if django_id in mapping),
        mirrored=frozenset(finding.code for finding in found if finding.code in mirrored_codes),
        beyond=tuple(finding for finding in found if finding.code not in mirrored_codes),
    )


def ids_of(code: str, mapping: Mapping[str, str]) -> list[str]:
    """The Django ids a code mirrors."""
    return sorted(django_id for django_id, mirrored in mapping.items() if mirrored == code)


# ---------------------------------------------------------------------------------------------
# Snapshots


def extract(git_dir: Path, commit: str, into: Path) -> list[str]:
    """Write every blob of the commit that the snapshot holds; return the paths it lacks."""
    listing = subprocess.run(
        ['git', '--git-dir', str(git_dir), 'ls-tree', '-r', '-z', commit],
        capture_output=True, check=True,
    ).stdout.decode('utf-8', 'surrogateescape')
    entries = []
    for record in filter(None, listing.split('\0')):
        meta, _, path = record.partition('\t')
        mode, kind, sha = meta.split()
        if kind == 'blob':
            entries.append((mode, sha, path))
    check = subprocess.run(
        ['git', '--git-dir', str(git_dir), 'cat-file', '--batch-check'],
        input=''.join(sha + '\n' for _, sha, _ in entries).encode(), capture_output=True, check=True,
    ).stdout.decode().splitlines()
    present = [entry for entry, line in zip(entries, check) if not line.endswith(' missing')]
    lacking = [path for (_, _, path), line in zip(entries, check) if line.endswith(' missing')]
    batch = subprocess.Popen(
        ['git', '--git-dir', str(git_dir), 'cat-file', '--batch'],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    assert batch.stdin is not None and batch.stdout is not None
    for mode, sha, path in present:
        batch.stdin.write(sha.encode() + b'\n')
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == '120000':
            if not target.exists():
                os.symlink(data.decode('utf-8', 'surrogateescape'), target)
            continue
        target.write_bytes(data)
    batch.stdin.close()
    batch.wait()
    return lacking


def settings_file(project: Project, tree: Path) -> str | None:
    """The deployment module's file, relative to the tree, or None."""
    for candidate in project.settings_candidates():
        if (tree / candidate).is_file():
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# Django's side (runs in the parity interpreter; imports nothing of ours)


def _child() -> int:  # noqa: C901 - one linear procedure, documented step by step
    import importlib.abc
    import importlib.machinery
    import importlib.util
    import traceback
    import types
    import warnings

    request = json.load(sys.stdin)
    root = os.path.realpath(request['root'])
    first = os.path.realpath(os.path.join(root, request['sys_path']))
    stubbed: list[str] = []

    class Stub:
        """Any value of a module that is not installed: callable, subscriptable, empty, falsy."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __getattr__(self, name: str) -> Any:
            if name.startswith('__') and name.endswith('__'):
                raise AttributeError(name)
            return Stub()

        def __call__(self, *args: object, **kwargs: object) -> Any:
            return Stub()

        def __getitem__(self, key: object) -> Any:
            return Stub()

        def __iter__(self) -> Iterator[object]:
            return iter(())

        def __bool__(self) -> bool:
            return False

        def __str__(self) -> str:
            return ''

        def __mro_entries__(self, bases: tuple[object, ...]) -> tuple[type, ...]:
            return (Stub,)

        def __or__(self, other: object) -> Any:
            return self

        __add__ = __radd__ = __truediv__ = __ror__ = __or__

    class StubModule(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            if name.startswith('__') and name.endswith('__'):
                raise AttributeError(name)
            return Stub()

        def __call__(self, *args: object, **kwargs: object) -> Any:
            return Stub()

    class StubLoader(importlib.abc.Loader):
        def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
            return StubModule(spec.name)

        def exec_module(self, module: types.ModuleType) -> None:
            module.__path__ = []

    def from_project() -> bool:
        """Is the import statement being run in a file of the project (not Django's)?"""
        frame = sys._getframe(1)  # noqa: SLF001 - the importing frame
        here = os.path.realpath(__file__)
        while frame is not None and (
            frame.f_code.co_filename.startswith('<frozen') or os.path.realpath(frame.f_code.co_filename) == here
        ):
            frame = frame.f_back
        if frame is None:
            return False
        filename = os.path.realpath(frame.f_code.co_filename)
        return filename.startswith(root + os.sep) and 'site-packages' not in filename

    class StubFinder(importlib.abc.MetaPathFinder):
        """Last on sys.meta_path: what nothing else finds, imported by the project, is a stub."""

        def stubbable(self, top: str) -> bool:
            """Not installed, not the project's, not a local override, imported by the project."""
            if any(word in top.lower() for word in ('local', 'secret', 'settings')):
                return False  # local overrides are meant to be missing
            if top in sys.modules or top in sys.stdlib_module_names:
                return False  # installed: the missing part is a genuine error (an old Django API)
            for folder in {first, root}:
                if os.path.exists(os.path.join(folder, top)) or os.path.exists(os.path.join(folder, top + '.py')):
                    return False
            return from_project()

        def find_spec(self, fullname: str, path: object, target: object = None) -> Any:
            top = fullname.partition('.')[0]
            if top not in stubbed and not self.stubbable(top):
                return None  # a genuine ImportError
            if top not in stubbed:
                stubbed.append(top)
            return importlib.util.spec_from_loader(fullname, StubLoader(), is_package=True)

    spec = importlib.util.spec_from_file_location('djsec_django_checks', request['django_checks'])
    assert spec is not None and spec.loader is not None
    django_checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(django_checks)
    warnings.simplefilter('ignore')
    os.environ.clear()
    os.environ.update(request['env'])
    os.environ['DJANGO_SETTINGS_MODULE'] = request['settings']
    os.chdir(first)
    sys.path[:0] = [first]
    sys.path.extend(request['site'])
    sys.meta_path.append(StubFinder())
    import django
    answer: dict[str, Any] = {'django': django.get_version(), 'ids': [], 'error': None, 'values': {}}
    try:
        if 'DJANGO_CONFIGURATION' in os.environ:
            import configurations.importer
            configurations.importer.install()
        from django.conf import settings
        from django.core.checks import run_checks

        settings._setup()  # noqa: SLF001 - what the first settings access does
        messages = run_checks(include_deployment_checks=True, tags=list(django_checks.TAGS))
        # As `manage.py check --deploy` shows them: SILENCED_SYSTEM_CHECKS drops an id.
        answer['ids'] = sorted({message.id for message in messages if not message.is_silenced()})
        answer['silenced'] = sorted({message.id for message in messages if message.is_silenced()})
    except BaseException as error:  # noqa: B036 - the module does not load (SystemExit too)
        answer['error'] = ''.join(traceback.format_exception_only(type(error), error)).strip()[-600:]
        answer['trace'] = ''.join(traceback.format_tb(error.__traceback__)[-4:])[-1500:]
    else:
        for name in RECORDED + ('SECRET_KEY',):
            try:
                value = getattr(settings, name, None)
            except Exception as error:  # noqa: B902 - SECRET_KEY raises when empty
                value = error
            answer['values'][name] = repr(value)[:300] if name != 'SECRET_KEY' else 'length {0}'.format(len(str(value)))
    answer['stubbed'] = sorted(stubbed)
    sys.stdout.flush()
    os.write(1, json.dumps(answer).encode())
    return 0


def run_django(
    python: Path, project: Project, tree: Path, site: Sequence[str], env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Django's verdict on the row's settings module, with the variables ours was evaluated with."""
    request = {
        'root': str(tree), 'sys_path': project.sys_path, 'settings': project.settings,
        'env': dict(project.env) if env is None else dict(env), 'site': list(site),
        'django_checks': str(DJANGO_CHECKS),
    }
    process = subprocess.run(
        [str(python), str(Path(__file__).resolve()), '--django-child'],
        input=json.dumps(request), capture_output=True, text=True, env={}, timeout=300, check=False,
    )
    try:
        return dict(json.loads(process.stdout.strip().splitlines()[-1] if process.stdout.strip() else ''))
    except ValueError:
        return {'django': None, 'ids': [], 'error': 'no answer: {0}'.format(process.stderr[-600:]), 'values': {}}


# ---------------------------------------------------------------------------------------------
# Our side

#: Variables of the deployment files that describe the machine, not the settings: never handed to Django.
_MACHINE = frozenset(('DJANGO_SETTINGS_MODULE', 'PYTHONPATH', 'PATH', 'HOME', 'PYTHONHOME'))


def _ours_child() -> int:
    """
    In the measured venv's interpreter: the deployment modules flake8-djsec chooses, as JSON.

    Arguments after ``--ours-child``: ``flake8-djsec deployments`` options and paths. A tree with
    that command (issue 14) answers with it, secrets unmasked (Django is given the same values);
    an older tree answers with what its discovery judges (``SettingsGroup.deployments``), no
    variables (it read none from deployment files).
    """
    argv = sys.argv[sys.argv.index('--ours-child') + 1:]
    try:
        from flake8_djsec.command import deployments as command
    except ImportError:
        return _older_deployments(argv)
    command._SECRET = re.compile('(?!)')  # noqa: SLF001 - Django needs the real values
    return command.deployments(['--format=json', *argv])


def _older_deployments(argv: Sequence[str]) -> int:
    """Before ``flake8-djsec deployments`` existed: discovery's answer, module by module."""
    import ast

    from flake8_djsec.logic import project, roles
    from flake8_djsec.logic.runs import RUN
    from flake8_djsec.options.config import DEFAULT_DEV_PATTERNS, DEFAULT_SETTINGS_PATTERNS, DjsecConfig

    deploy = tuple(arg.partition('=')[2] for arg in argv if arg.startswith('--djsec-deploy-settings='))
    chosen: dict[str, dict[str, Any]] = {}
    with RUN.active(DjsecConfig()):
        for folder, dirs, names in os.walk('.'):
            dirs[:] = sorted(d for d in dirs if not d.startswith('.') and d != 'node_modules'
                             and not os.path.exists(os.path.join(folder, d, 'pyvenv.cfg')))
            for name in sorted(names):
                path = os.path.join(folder, name)
                if not name.endswith('.py'):
                    continue
                try:
                    tree = ast.parse(Path(path).read_bytes())
                except (SyntaxError, ValueError):
                    continue
                if roles.classify(path, tree, DEFAULT_SETTINGS_PATTERNS, DEFAULT_DEV_PATTERNS) is roles.Role.other:
                    continue
                group = project.SettingsGroup(path, DEFAULT_SETTINGS_PATTERNS, DEFAULT_DEV_PATTERNS, deploy)
                for deployment in group.deployments():
                    module = os.path.relpath(deployment.path).replace(os.sep, '/')
                    chosen.setdefault('{0}:{1}'.format(module, deployment.configuration), {
                        'module': module, 'configuration': deployment.configuration,
                        'why': 'discovery (no deployment files read)', 'named_at': '', 'variables': [],
                    })
    sys.stdout.write(json.dumps({'deployments': [chosen[key] for key in sorted(chosen)]}))
    return 0


def run_deployments(flake8: str, project: Project, tree: Path, deploy: str | None) -> dict[str, Any]:
    """What the measured tree chooses as deployment modules, and their variables (unmasked)."""
    python = Path(os.path.abspath(flake8)).parent / 'python'
    command = [str(python), str(Path(__file__).resolve()), '--ours-child', '--isolated']
    command += ['--djsec-env={0}={1}'.format(name, value) for name, value in project.env]
    if deploy is not None:
        command.append('--djsec-deploy-settings={0}'.format(deploy))
    command.append('.')
    environment = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': os.environ.get('HOME', '/')}
    process = subprocess.run(
        command, cwd=tree, capture_output=True, text=True, env=environment, timeout=900, check=False,
    )
    try:
        return dict(json.loads(process.stdout))
    except ValueError:
        return {'deployments': [], 'error': process.stderr[-1500:]}


def deployment_variables(answer: Mapping[str, Any], module: str, given: Mapping[str, str]) -> dict[str, str]:
    """The variables the named module was evaluated with (deployment files, then ``--djsec-env``)."""
    variables: dict[str, str] = {}
    for deployment in answer.get('deployments', []):
        if deployment.get('module') == module:
            for variable in deployment.get('variables', []):
                variables.setdefault(variable['name'], variable['value'])
    variables.update(given)
    return {name: value for name, value in variables.items() if name not in _MACHINE}


def run_ours(
    flake8: str, project: Project, tree: Path, deploy: str | None, via: str = 'check',
) -> tuple[list[Finding], str]:
    """
    Our findings on the whole tree (with the module named, or discovery alone).

    ``via='check'`` runs ``flake8-djsec check`` of the same venv: the plugin's findings, placed
    and silenced by ``# noqa`` as flake8 does (the test suite holds them equal), without
    pycodestyle and pyflakes reading every file of the tree (ten times faster on these trees);
    ``via='flake8'`` runs flake8 itself.
    """
    executable = os.path.abspath(flake8)
    if via == 'check':
        command = [str(Path(executable).parent / 'flake8-djsec'), 'check', '--isolated']
    else:
        command = [executable, '--isolated', '--select=DJS']
    command += ['--djsec-env={0}={1}'.format(name, value) for name, value in project.env]
    if deploy is not None:
        command.append('--djsec-deploy-settings={0}'.format(deploy))
    command.append('.')
    environment = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': os.environ.get('HOME', '/')}
    process = subprocess.run(
        command, cwd=tree, capture_output=True, text=True, env=environment, timeout=900, check=False,
    )
    return parse_flake8(process.stdout), process.stderr[-2000:]


def measure(project: Project, arguments: argparse.Namespace) -> dict[str, Any]:
    """Everything measured on one row."""
    git_dir = Path(arguments.mirror) / project.mirror_name / 'repo'
    record: dict[str, Any] = {
        'name': project.name, 'repo': project.repo, 'commit': project.commit, 'documented': project.documented,
    }
    if not git_dir.is_dir():
        record['error'] = 'no snapshot at {0}'.format(git_dir)
        return record
    with tempfile.TemporaryDirectory(prefix='djsec-realworld-') as temporary:
        tree = Path(temporary) / project.mirror_name
        tree.mkdir()
        record['lacking'] = len(extract(git_dir, project.commit, tree))
        deploy = settings_file(project, tree)
        record['settings_file'] = deploy
        if deploy is None:
            record['error'] = 'no file for {0}'.format(project.settings)
            return record
        named = run_deployments(arguments.flake8, project, tree, deploy)
        record['variables'] = deployment_variables(named, deploy, dict(project.env))
        record['django_result'] = run_django(Path(arguments.python), project, tree, arguments.site, record['variables'])
        deployed, record['stderr'] = run_ours(arguments.flake8, project, tree, deploy, arguments.via)
        record['chosen'] = run_deployments(arguments.flake8, project, tree, None)
        discovered, record['discovery_stderr'] = run_ours(arguments.flake8, project, tree, None, arguments.via)
    record['ours'] = [dataclasses.asdict(finding) for finding in deployed]
    record['discovery'] = [dataclasses.asdict(finding) for finding in discovered]
    return record


def flake8_commit(flake8: str) -> str:
    """The last commit changing ``flake8_djsec/`` in the tree the venv runs (stable across rebases)."""
    venv = Path(os.path.abspath(flake8)).parent.parent
    process = subprocess.run(
        ['git', '-C', str(venv.parent), 'log', '-1', '--format=%h', '--abbrev=7', 'HEAD', '--', 'flake8_djsec'],
        capture_output=True, text=True, check=False,
    )
    return process.stdout.strip() or 'unknown'


# ---------------------------------------------------------------------------------------------
# The page


@dataclasses.dataclass
class Totals:
    """Figures over the projects Django loads, and the deployment choice over every project."""

    loaded: int = 0
    expected: int = 0
    agreed: int = 0
    contradicted: int = 0
    beyond: int = 0
    right: int = 0
    wrong: int = 0
    unreviewed: int = 0
    documented: int = 0
    chose_exactly: int = 0
    chose_among: int = 0

    def recall(self) -> str:
        return _ratio(self.agreed, self.expected)

    def precision(self) -> str:
        return _ratio(self.right, self.right + self.wrong)


def _ratio(part: int, whole: int) -> str:
    if not whole:
        return 'n/a'
    return '{0}/{1} ({2:.0%})'.format(part, whole, part / whole)


def findings_of(record: Mapping[str, Any], key: str = 'ours') -> list[Finding]:
    return [Finding(**finding) for finding in record.get(key, [])]


def loaded(record: Mapping[str, Any]) -> bool:
    """Did Django load the row's module (so that its ids are an answer)?"""
    result = record.get('django_result') or {}
    return bool(result) and not record.get('error') and not result.get('error')


def chosen_modules(record: Mapping[str, Any]) -> list[str]:
    """The deployment modules the measured tree chose from the repository alone (no option)."""
    chosen = record.get('chosen') or {}
    return sorted({str(entry['module']) for entry in chosen.get('deployments', [])})


def _is_documented(entry: Mapping[str, Any], documented: str, configuration: str | None) -> bool:
    """
    Is a chosen deployment the documented one?

    The module itself; or, for django-configurations (``DJANGO_CONFIGURATION`` among the row's
    variables), the class of that name in the documented module or, when the documented module is a
    package (``config`` re-exporting ``Production`` from ``config/production.py``), in the package.
    """
    module = str(entry['module'])
    if module == documented:
        return configuration is None or entry.get('configuration') in {None, configuration}
    if configuration is None or entry.get('configuration') != configuration:
        return False
    return documented.endswith('/__init__.py') and module.startswith(documented[:-len('__init__.py')])


def choice(record: Mapping[str, Any]) -> str:
    """``exact`` (only the documented module), ``among`` (it and others), ``other`` or ``-``."""
    documented = record.get('settings_file')
    if not documented or record.get('documented', '-') == '-':
        return '-'
    configuration = (record.get('variables') or {}).get('DJANGO_CONFIGURATION')
    entries = (record.get('chosen') or {}).get('deployments', [])
    matched = [entry for entry in entries if _is_documented(entry, documented, configuration)]
    if not matched:
        return 'other'
    return 'exact' if len(matched) == len(entries) else 'among'


def totals(
    records: Sequence[Mapping[str, Any]], mapping: Mapping[str, str],
    reviews: Mapping[tuple[str, str, str], Verdict],
) -> Totals:
    """Recall, contradictions and review verdicts over the loaded projects; choices over all."""
    total = Totals()
    for record in records:
        agreement = choice(record)
        if agreement != '-':
            total.documented += 1
            total.chose_exactly += agreement == 'exact'
            total.chose_among += agreement in {'exact', 'among'}
        if not loaded(record):
            continue
        total.loaded += 1
        comparison = compare(record['django_result']['ids'], findings_of(record), mapping)
        total.expected += len(comparison.expected)
        total.agreed += len(comparison.agreed)
        total.contradicted += len(comparison.contradicted)
        for finding in comparison.beyond:
            total.beyond += 1
            verdict = reviews.get((record['name'], finding.location, finding.code))
            if verdict is None:
                total.unreviewed += 1
            elif verdict.verdict == 'right':
                total.right += 1
            else:
                total.wrong += 1
    return total


def _codes(codes: Iterable[str]) -> str:
    return ', '.join(sorted(codes)) or '-'


def _short(text: str) -> str:
    """The last line of an error, without table-breaking characters."""
    last = (text or '').strip().splitlines()[-1:] or ['']
    return last[0].replace('|', '/').replace('`', "'")[:160]


def _divergences(
    record: Mapping[str, Any], mapping: Mapping[str, str], constructs: Mapping[str, str],
    unexplained: str = 'not bisected',
) -> list[str]:
    """One line per missing or contradicted code, with the construct behind it."""
    comparison = compare(record['django_result']['ids'], findings_of(record), mapping)
    lines = []
    for code in sorted(comparison.missing):
        note = constructs.get('{0} {1} missing'.format(record['name'], code), unexplained)
        lines.append('| {0} | missing {1} ({2}) | {3} |'.format(
            record['name'], code, ', '.join(ids_of(code, mapping)), note,
        ))
    for code in sorted(comparison.contradicted):
        where = ', '.join(sorted({'`{0}`'.format(f.location) for f in findings_of(record) if f.code == code}))
        note = constructs.get('{0} {1} contradicted'.format(record['name'], code), unexplained)
        lines.append('| {0} | contradicted {1} at {2} | {3} |'.format(record['name'], code, where, note))
    return lines


def _overview_row(
    project: Project, runs: Mapping[str, Mapping[str, Any]], mapping: Mapping[str, str],
) -> str:
    cells = [project.name, '`{0}`'.format(project.settings)]
    by_run = {label: {r['name']: r for r in run['records']} for label, run in runs.items()}
    last = list(runs)[-1]
    record = by_run[last].get(project.name, {})
    if loaded(record):
        comparison = compare(record['django_result']['ids'], findings_of(record), mapping)
        cells += [_codes(i for i in record['django_result']['ids'] if i in mapping), _codes(comparison.expected),
                  _codes(comparison.mirrored)]
    else:
        reason = record.get('error') or (record.get('django_result') or {}).get('error') or 'not run'
        cells += ['not loaded: {0}'.format(_short(reason)), '-', '-']
    for label in runs:
        other = by_run[label].get(project.name, {})
        if loaded(other):
            comparison = compare(other['django_result']['ids'], findings_of(other), mapping)
            cells.append('{0}/{1}, {2} contradicted'.format(
                len(comparison.agreed), len(comparison.expected), len(comparison.contradicted),
            ))
        else:
            cells.append('-')
    return '| {0} |'.format(' | '.join(cells))


def _choice_row(project: Project, runs: Mapping[str, Mapping[str, Any]]) -> str:
    cells = [project.name, project.documented, '`{0}`'.format(project.settings)]
    for run in runs.values():
        record = next((r for r in run['records'] if r['name'] == project.name), {})
        shown = sorted({
            str(entry['module']) + (':{0}'.format(entry['configuration']) if entry.get('configuration') else '')
            for entry in (record.get('chosen') or {}).get('deployments', [])
        })
        cells.append('{0}: {1}'.format(
            choice(record), ', '.join('`{0}`'.format(module) for module in shown) or 'none',
        ))
    return '| {0} |'.format(' | '.join(cells))


def read_constructs(path: Path) -> dict[str, str]:
    """``project CODE missing|contradicted<TAB>construct`` lines (the bisection notes)."""
    notes: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding='utf-8').splitlines():
            key, sep, note = line.partition('\t')
            if sep and not line.startswith('#'):
                notes[key.strip()] = note.strip()
    return notes


_INTRO = (
    'Generated settings modules agree with Django id by id (`docs/parity.md`). This page measures '
    'the promise on real projects. For each row of `tests/realworld/projects*.tsv` (public '
    'projects; their code is never committed: snapshots are fetched outside the repository and '
    'extracted to a temporary directory at the row\'s commit), the deployment module is loaded '
    'into Django\'s check framework in a subprocess of the parity environment '
    '(`run_checks(include_deployment_checks=True, tags=["security", "compatibility"])`; stub '
    'modules for the project\'s third-party imports that are not installed; ids that the '
    'module\'s `SILENCED_SYSTEM_CHECKS` silences are dropped, as `manage.py check --deploy` '
    'does), and flake8-djsec runs on the same tree (`flake8-djsec check --isolated '
    '--djsec-deploy-settings=<module> --djsec-env ...`, the plugin\'s findings placed and '
    'silenced as flake8 does). "before" is main at 9c6ae06, before issues 12 and 14; the commit '
    'shown is the last one changing `flake8_djsec/`. Both get the same variables: the manifest\'s placeholders (only the '
    'variables whose absence raises) over what the deployment files set for that module as '
    'flake8-djsec reads them (none before issue 14: then the manifest\'s placeholders alone).'
)
_DEFINITIONS = (
    '- **recall**: Django\'s mirrored ids, as our codes (three ids can be one code), that we '
    'report, over all of them (target: at least 95%).',
    '- **contradicted**: a mirrored code we report that Django does not report for the same '
    'module and variables (target: none).',
    '- **beyond Django**: our findings with no Django id (code rules, values Django does not '
    'check); each is reviewed by reading the project\'s code and marked right or wrong in '
    '`tests/realworld/review.tsv` (target: at least 95% right).',
    '- **chosen from the repository alone**: the deployment modules `flake8-djsec deployments` '
    'chooses without `--djsec-deploy-settings` (before issue 14: discovery\'s deployments), '
    'against the module the project documents (manifest column `documented`: where it is '
    'said; for django-configurations, the class the row\'s `DJANGO_CONFIGURATION` names, in that '
    'module or, for a package, in one of its modules). The run is given the manifest\'s '
    'placeholders with `--djsec-env`, nothing else. `exact`: that module only; `among`: it and '
    'others (a worker, other environments); `other`: not it; `-`: the project documents none.',
)


def render(runs: Mapping[str, Mapping[str, Any]], projects: Sequence[Project]) -> str:
    """docs/realworld.md from one or more runs (``before``, ``after``)."""
    mapping = load_mapping()
    reviews = read_reviews()
    constructs = read_constructs(MANIFESTS / 'constructs.tsv')
    documented = {project.name: project.documented for project in projects}
    for run in runs.values():
        for record in run['records']:
            record.setdefault('documented', documented.get(record['name'], '-'))
    lines = [
        '# Real projects: Django\'s checks and ours', '',
        '<!-- Written by `python scripts/realworld.py --report`: do not edit by hand. -->', '',
        _INTRO, '', *_DEFINITIONS, '',
        '    python scripts/realworld.py --flake8 ../wt-baseline/.venv/bin/flake8 --site SITE --json before.json',
        '    python scripts/realworld.py --flake8 .venv/bin/flake8 --site SITE --json after.json',
        '    python scripts/realworld.py --report --before before.json --after after.json', '',
        '`SITE` holds the libraries the manifest\'s notes name that the parity environment lacks '
        '(in the parity interpreter: `pip install --target SITE --no-deps environs marshmallow '
        'python-dotenv django-configurations dj-database-url django-heroku whitenoise '
        'concurrent-log-handler portalocker django-lasuite`); whatever else a project imports '
        'and is not installed is a stub (a value Django would compute from a stub is no answer: '
        'the divergences below were checked for that).',
        '', '## Totals', '',
        '| run | flake8-djsec commit | Django | projects loaded | recall | contradicted '
        '| beyond Django | reviewed right | unreviewed | chosen from the repository: exact | exact or among |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
    ]
    for label, run in runs.items():
        total = totals(run['records'], mapping, reviews)
        django = next((r['django_result'].get('django') for r in run['records'] if loaded(r)), '?')
        lines.append('| {0} | {1} | {2} | {3}/{4} | {5} | {6} | {7} | {8} | {9} | {10} | {11} |'.format(
            label, run['commit'], django, total.loaded, len(run['records']), total.recall(),
            total.contradicted, total.beyond, total.precision(), total.unreviewed,
            _ratio(total.chose_exactly, total.documented), _ratio(total.chose_among, total.documented),
        ))
    labels = list(runs)
    lines += [
        '', '## Per project', '',
        'Ids and codes of the last run ({0}); agreement is codes agreed over Django\'s mirrored codes.'.format(labels[-1] if labels else '-'),
        '',
        '| project | module | Django, mirrored ids | as our codes | ours, mirrored | {0} |'.format(
            ' | '.join('agreement {0}'.format(label) for label in labels)),
        '|---|---|---|---|---|{0}'.format('---|' * len(labels)),
    ]
    lines += [_overview_row(project, runs, mapping) for project in projects]
    lines += [
        '', '## Divergences and the construct behind each', '',
        'Bisected with `../shared/tools/first-silencing-statement` where a finding disappears '
        '(notes in `tests/realworld/constructs.tsv`).', '',
    ]
    for label, run in runs.items():
        unexplained = 'not bisected' if label == labels[-1] else (
            'not bisected one by one: the constructs issue 12 lists (fixed since, or still in the last run)'
        )
        rows = [
            row for record in run['records'] if loaded(record)
            for row in _divergences(record, mapping, constructs if label == labels[-1] else {}, unexplained)
        ]
        lines += ['### {0} ({1})'.format(label, run['commit']), '']
        lines += ['| project | divergence | construct |', '|---|---|---|', *rows] if rows else ['None.']
        lines.append('')
    lines += ['## Deployment modules chosen from the repository alone', '',
              '| project | documented at | documented module | {0} |'.format(' | '.join(labels)),
              '|---|---|---|{0}'.format('---|' * len(labels))]
    lines += [_choice_row(project, runs) for project in projects]
    if runs:
        lines += ['', '## Review of our findings with no Django id ({0})'.format(labels[-1]), '',
                  '| project | location | code | verdict | reason |', '|---|---|---|---|---|']
        for record in runs[labels[-1]]['records']:
            if not loaded(record):
                continue
            for finding in compare(record['django_result']['ids'], findings_of(record), mapping).beyond:
                verdict = reviews.get((record['name'], finding.location, finding.code))
                lines.append('| {0} | `{1}` | {2} | {3} | {4} |'.format(
                    record['name'], finding.location, finding.code,
                    verdict.verdict if verdict else 'not reviewed', verdict.reason if verdict else '',
                ))
    lines += ['', '## Not loaded', '']
    for label, run in runs.items():
        for record in run['records']:
            if not loaded(record):
                reason = record.get('error') or (record.get('django_result') or {}).get('error') or ''
                lines.append('- {0} ({1}): `{2}`'.format(record['name'], label, _short(reason)))
    return '\n'.join(lines).rstrip() + '\n'


# ---------------------------------------------------------------------------------------------


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    cache = os.environ.get('XDG_CACHE_HOME') or str(Path.home() / '.cache')
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('--django-child', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--ours-child', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--python', default=str(Path(cache) / 'flake8-djsec-parity' / 'django61' / 'bin' / 'python'),
                        help='the interpreter of the Django environment (default: the 6.1 parity venv)')
    parser.add_argument('--flake8', default=str(ROOT / '.venv' / 'bin' / 'flake8'),
                        help='the flake8 executable whose flake8-djsec is measured (a venv of any commit)')
    parser.add_argument('--via', choices=('check', 'flake8'), default='check',
                        help='run the plugin through flake8-djsec check (default: same findings, faster) or flake8')
    parser.add_argument('--mirror', default='/work/.mirror', help='where fetch put the snapshots')
    parser.add_argument('--site', action='append', default=[],
                        help='extra directories appended to sys.path of the Django process (repeatable)')
    parser.add_argument('--only', action='append', default=[], help='measure only this project (repeatable)')
    parser.add_argument('--json', help='write the measured records here')
    parser.add_argument('--report', action='store_true', help='write docs/realworld.md from --before/--after')
    parser.add_argument('--before', help='records of the baseline run (JSON)')
    parser.add_argument('--after', help='records of the current run (JSON)')
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    if '--ours-child' in sys.argv:
        return _ours_child()
    arguments = _arguments(sys.argv[1:] if argv is None else argv)
    if arguments.django_child:
        return _child()
    if arguments.ours_child:
        return _ours_child()
    projects = read_manifests()
    if arguments.report:
        runs = {}
        for label in ('before', 'after'):
            path = getattr(arguments, label)
            if path:
                runs[label] = json.loads(Path(path).read_text(encoding='utf-8'))
        PAGE.write_text(render(runs, projects), encoding='utf-8')
        return 0
    chosen = [project for project in projects if not arguments.only or project.name in arguments.only]
    records = []
    for project in chosen:
        record = measure(project, arguments)
        records.append(record)
        result = record.get('django_result') or {}
        print('{0}: django {1} {2}; ours {3}'.format(
            project.name, result.get('ids'), (result.get('error') or record.get('error') or '')[-200:],
            sorted({f['code'] for f in record.get('ours', [])}),
        ), flush=True)
        if arguments.json:
            Path(arguments.json).write_text(json.dumps(
                {'commit': flake8_commit(arguments.flake8), 'records': records}, indent=1,
            ), encoding='utf-8')
    return 0


if __name__ == '__main__':
    sys.exit(main())
