"""
Layout parity: every layout fixture of ``tests/layouts/`` against Django's own ``check --deploy``.

The runner of ``LAYOUTS.md`` (format in docs/parity.md, "Layout parity"). Each
``tests/layouts/<name>/layout.toml`` describes a project tree (``tree/``) and the deployment
module Django loads from it. For every supported Django series with a parity environment
(``scripts/parity.sh``), one subprocess of that environment loads every layout's settings
module (``tests/parity/layout_checks.py``: empty environment plus the layout's ``env``,
permissive stubs for its ``stubs``, its ``site`` folders on ``sys.path`` as installed packages,
django-configurations' importer when the env sets ``DJANGO_CONFIGURATION``) and runs Django's
checks; the real ``flake8`` executable, with ``--djsec-django-version`` of the series, judges a
copy of the same tree (the ``site`` folders on its ``PYTHONPATH``, not linted). A layout whose
tree has deployment files (compose, Dockerfile, env files, Procfile, ...: any file that is not
Python, or ``gunicorn.conf.py``) gives Django exactly the variables we derive from them
(``flake8-djsec deployments --format=json``, values unmasked; its ``env`` adds only what the
repository does not hold), and the deployment module we choose must be its ``settings``. Per
layout and
series: the codes of Django's ids (through the catalogue's ``django_ids``) equal our mirrored
codes, and our other findings equal the layout's ``beyond_django`` list exactly.
``flake8-djsec check`` must print what ``flake8`` prints. A layout Django cannot load fails
with Django's traceback; ``known_divergence = "why"`` makes a layout a strict xfail.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

from flake8_djsec.violations.base import SUPPORTED_DJANGO
from tests.conftest import FLAKE8
from tests.parity.test_parity import CODE_OF, MIRRORED, OUT_OF_SCOPE, venv_python

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip('tomli', reason='layout.toml is read with tomllib (3.11+) or tomli')

ROOT: Final = Path(__file__).resolve().parents[1]
LAYOUTS: Final = ROOT / 'tests' / 'layouts'
RUNNER: Final = ROOT / 'tests' / 'parity' / 'layout_checks.py'
COMMAND: Final = str(Path(sys.executable).with_name('flake8-djsec'))
KEYS: Final = frozenset((
    'description', 'settings', 'sys_path', 'env', 'options', 'stubs', 'beyond_django',
    'env_for_us', 'known_divergence', 'site', 'tree',
))
#: Python files that are deployment files (``raw_env``), not project modules.
DEPLOYMENT_PY: Final = re.compile(r'gunicorn[\w.-]*\.conf\.py|gunicorn\.py')
#: ``flake8-djsec deployments`` with its values unmasked: what Django is given is what we derived.
DERIVE: Final = (
    'import re, sys\n'
    'from flake8_djsec.command import deployments\n'
    "assert isinstance(deployments._SECRET, re.Pattern), 'the masking moved: unmask it here'\n"
    "deployments._SECRET = re.compile('(?!)')\n"
    'sys.exit(deployments.deployments(sys.argv[1:]))\n'
)
#: ``./proj/settings/base.py:15:1: DJS112 message`` -> path, line, code.
_FINDING: Final = re.compile(r'^(?:\./)?(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>DJS\d{3}) ')


@dataclasses.dataclass(frozen=True)
class Layout:
    """One ``tests/layouts/<name>/`` directory, as its ``layout.toml`` describes it."""

    name: str
    folder: Path
    tree: Path
    description: str
    settings: str
    sys_path: str = '.'
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    options: tuple[str, ...] = ()
    stubs: tuple[str, ...] = ()
    beyond_django: tuple[str, ...] = ()
    env_for_us: bool = True
    known_divergence: str | None = None
    site: tuple[str, ...] = ()

    @classmethod
    def read(cls, folder: Path) -> Layout:
        """Read and validate ``folder/layout.toml`` (an unknown key is a typo, not ignored)."""
        table: dict[str, Any] = tomllib.loads((folder / 'layout.toml').read_text(encoding='utf-8'))
        unknown = set(table) - KEYS
        assert not unknown, '{0}/layout.toml: unknown keys {1}'.format(folder.name, sorted(unknown))
        tree = ROOT / table['tree'] if 'tree' in table else folder / 'tree'
        assert tree.is_dir(), '{0} has no tree {1}'.format(folder.name, tree)
        return cls(
            name=folder.name,
            folder=folder,
            tree=tree,
            description=table['description'],
            settings=table['settings'],
            sys_path=table.get('sys_path', '.'),
            env={str(key): str(value) for key, value in table.get('env', {}).items()},
            options=tuple(table.get('options', ())),
            stubs=tuple(table.get('stubs', ())),
            beyond_django=tuple(table.get('beyond_django', ())),
            env_for_us=table.get('env_for_us', True),
            known_divergence=table.get('known_divergence'),
            site=tuple(table.get('site', ())),
        )

    def our_arguments(self, series: str) -> list[str]:
        """The options of our run for a series: the layout's, its env, the Django version."""
        env = ['--djsec-env={0}={1}'.format(*item) for item in sorted(self.env.items())]
        site = ['--extend-exclude={0}'.format(','.join(self.site))] if self.site else []
        return [
            '--select=DJS', '-j1', '--djsec-django-version={0}'.format(series),
            *(env if self.env_for_us else []), *site, *self.options, '.',
        ]

    @property
    def env_from_deployments(self) -> bool:
        """Whether the tree has deployment files: then Django is given what we derive from them."""
        tree = self.tree
        return any(
            path.is_file() and path.name != '.gitignore'
            and (path.suffix != '.py' or DEPLOYMENT_PY.fullmatch(path.name) is not None)
            and not any(path.relative_to(tree).as_posix().startswith(folder + '/') for folder in self.site)
            for path in tree.rglob('*')
        )

    def process_env(self, tree: Path) -> dict[str, str]:
        """Our processes' environment: the ``site`` folders stand for installed packages."""
        env = dict(os.environ)
        env.pop('PYTHONPATH', None)
        if self.site:
            env['PYTHONPATH'] = os.pathsep.join(str(tree / folder) for folder in self.site)
        return env


def discover(root: Path = LAYOUTS) -> list[Layout]:
    """Every layout under ``root``, by name."""
    return [Layout.read(toml.parent) for toml in sorted(root.glob('*/layout.toml'))]


ALL: Final = discover()


def findings(output: str) -> list[str]:
    """``path:line CODE`` of every DJS line flake8 (or ``flake8-djsec check``) printed."""
    found: list[str] = []
    for line in output.splitlines():
        match = _FINDING.match(line)
        assert match or not line.strip(), 'not a finding: {0!r}'.format(line)
        if match:
            found.append('{path}:{line} {code}'.format(**match.groupdict()))
    return sorted(found)


@dataclasses.dataclass(frozen=True)
class Django:
    """One series' answer for a list of layouts, in order."""

    version: str
    results: list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Derived:
    """What we derive from a layout's deployment files: the modules, and the one's variables."""

    modules: list[str]
    env: dict[str, str]


def derive(layout: Layout, tree: Path, masked: bool = True) -> Derived:
    """``flake8-djsec deployments --format=json`` on the tree, unmasked; masked, it agrees."""
    arguments = ['deployments', '--isolated', '--format=json', *layout.options, '.']
    unmasked = subprocess.run(
        [sys.executable, '-I', '-c', DERIVE, *arguments[1:]],
        cwd=tree, capture_output=True, text=True, timeout=120, check=True,
    )
    assert '********' not in unmasked.stdout, 'values still masked'
    report = json.loads(unmasked.stdout)
    deployments = report['deployments']
    modules = [
        '{0}{1}'.format(entry['module'], '' if entry['configuration'] is None else '.' + entry['configuration'])
        for entry in deployments
    ]
    env = {variable['name']: variable['value'] for variable in deployments[0]['variables']} if deployments else {}
    if not masked:
        return Derived(modules=modules, env=env)
    shown = json.loads(subprocess.run(
        [COMMAND, *arguments], cwd=tree, capture_output=True, text=True, timeout=120, check=True,
    ).stdout)
    listed = {variable['name']: variable['value'] for variable in (shown['deployments'] or [{'variables': []}])[0]['variables']}
    assert set(listed) == set(env), (listed, env)
    assert all(value in {'********', env[name]} for name, value in listed.items()), (listed, env)
    return Derived(modules=modules, env=env)


def judge_in_django(
    series: str, layouts: list[Layout], copies: Path, envs: dict[str, dict[str, str]] | None = None,
) -> Django:
    """Load every layout in one subprocess of the series' environment (empty environment)."""
    envs = envs or {}
    request = {'layouts': [
        {
            'root': str(copies / layout.name / layout.sys_path),
            'settings': layout.settings,
            'env': envs.get(layout.name, layout.env),
            'stubs': list(layout.stubs),
            'site': [str(copies / layout.name / folder) for folder in layout.site],
        }
        for layout in layouts
    ]}
    completed = subprocess.run(
        [str(venv_python(series)), str(RUNNER)],
        input=json.dumps(request), capture_output=True, text=True, env={}, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    answer = json.loads(completed.stdout)
    return Django(version=answer['django'], results=answer['results'])


def compare(layout: Layout, django: Django, index: int, ours: list[str]) -> None:
    """Fail, saying why, unless our findings are Django's ids plus ``beyond_django`` exactly."""
    result = django.results[index]
    if result['error'] is not None:
        pytest.fail('Django {0} could not load {1} of layout {2}:\n{3}'.format(
            django.version, layout.settings, layout.name, result['error'],
        ), pytrace=False)
    ids = set(result['ids']) - OUT_OF_SCOPE
    unmapped = sorted(ids - set(CODE_OF))
    expected = sorted({CODE_OF[django_id] for django_id in ids if django_id in CODE_OF})
    mirrored = sorted({finding.split()[1] for finding in ours if finding.split()[1] in MIRRORED})
    beyond = sorted(finding for finding in ours if finding.split()[1] not in MIRRORED)
    problems: list[str] = []
    if unmapped:
        problems.append('Django ids no code mirrors: {0}'.format(unmapped))
    if mirrored != expected:
        problems.append('Django {0} ids {1} are our {2}; we report {3}'.format(
            django.version, sorted(ids), expected, mirrored,
        ))
    if beyond != sorted(layout.beyond_django):
        problems.append('beyond Django we report {0}; layout.toml lists {1}'.format(
            beyond, sorted(layout.beyond_django),
        ))
    if problems:
        pytest.fail('layout {0} ({1}):\n  {2}\nall our findings: {3}'.format(
            layout.name, layout.description, '\n  '.join(problems), ours,
        ), pytrace=False)


def run_ours(layout: Layout, series: str, tree: Path, check: bool = True) -> list[str]:
    """Our findings on the tree for a series: ``flake8`` (and, on the newest series, ``flake8-djsec check``)."""
    completed = subprocess.run(
        [FLAKE8, '--isolated', *layout.our_arguments(series)], cwd=tree, env=layout.process_env(tree),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert completed.returncode in {0, 1}, completed.stderr
    assert completed.stderr == '', completed.stderr
    ours = findings(completed.stdout)
    if check and series == SUPPORTED_DJANGO[-1]:  # flake8-djsec check agrees (once per layout)
        command = subprocess.run(
            [COMMAND, 'check', '--isolated', *layout.our_arguments(series)],
            cwd=tree, env=layout.process_env(tree), capture_output=True, text=True, timeout=120,
            check=False,
        )
        assert findings(command.stdout) == ours, command.stderr
    return ours


class Session:
    """
    The temp copies of every layout, each series' Django answer and our findings, made once.

    On first use every run starts at once (Django's subprocess per series, ours per layout
    and series) on a pool as wide as the machine: the tests then only compare.
    """

    def __init__(self, folder: Path, wanted: set[tuple[str, str]]) -> None:
        self.folder = folder
        for layout in ALL:
            shutil.copytree(layout.tree, folder / layout.name)
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        present = [series for series in SUPPORTED_DJANGO if venv_python(series).exists()]
        names = {case[0] for case in wanted}
        # Submitted first, so no Django run waits on a derivation that is not running yet.
        self.derived = {
            layout.name: self.pool.submit(derive, layout, folder / layout.name)
            for layout in ALL
            if layout.env_from_deployments and layout.name in names
        }
        self.django = {
            series: self.pool.submit(self._judge, series)
            for series in present
            if any(case[1] == series for case in wanted)
        }
        self.ours = {
            (layout.name, series): self.pool.submit(run_ours, layout, series, folder / layout.name)
            for series in present
            for layout in ALL
            if (layout.name, series) in wanted
        }

    def _judge(self, series: str) -> Django:
        """Django's run: what we derive wins, the layout's env adds what no repository file holds."""
        envs = {
            layout.name: {**layout.env, **self.derived[layout.name].result().env}
            for layout in ALL
            if layout.name in self.derived
        }
        return judge_in_django(series, ALL, self.folder, envs)


@pytest.fixture(scope='module')
def session(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Session]:
    """Start the runs of the selected cases (``-k`` selects fewer)."""
    wanted: set[tuple[str, str]] = {
        (item.callspec.params['layout'].name, str(item.callspec.params['series']))  # type: ignore[attr-defined]
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == 'test_layout_agrees_with_django'
    }
    started = Session(tmp_path_factory.mktemp('layouts'), wanted)
    yield started
    started.pool.shutdown(cancel_futures=True)


def _cases(layouts: list[Layout] = ALL) -> list[Any]:
    cases: list[Any] = []
    for layout in layouts:
        marks: list[pytest.MarkDecorator] = []
        if layout.known_divergence:
            marks.append(pytest.mark.xfail(strict=True, reason=layout.known_divergence))
        cases.extend(
            pytest.param(layout, series, marks=marks, id='{0}-{1}'.format(layout.name, series))
            for series in SUPPORTED_DJANGO
        )
    return cases


@pytest.mark.parametrize(('layout', 'series'), _cases())
def test_layout_agrees_with_django(session: Session, layout: Layout, series: str) -> None:
    """Per series: Django's ids are our mirrored codes; the rest is ``beyond_django``."""
    if not venv_python(series).exists():
        pytest.skip('Django {0}: no {1} (scripts/parity.sh builds it when a suitable Python exists)'.format(
            series, venv_python(series).parent.parent,
        ))
    if layout.env_from_deployments:
        derived = session.derived[layout.name].result()
        chosen, configuration = derived.modules, derived.env.get('DJANGO_CONFIGURATION')
        module = layout.settings.replace('.', '/') + '.py'
        assert chosen == [module if configuration is None else '{0}.{1}'.format(module, configuration)], (
            'from its deployment files we choose {0}; Django is told {1}'.format(chosen, layout.settings)
        )
    ours = session.ours[layout.name, series].result()
    compare(layout, session.django[series].result(), ALL.index(layout), ours)


def test_layouts_are_well_formed() -> None:
    """Each layout names a settings file of its tree, and ``beyond_django`` is ``path:line CODE``."""
    assert ALL, 'no layout under {0}'.format(LAYOUTS)
    for layout in ALL:
        module = layout.tree / layout.sys_path / '{0}.py'.format(layout.settings.replace('.', '/'))
        package = module.with_suffix('') / '__init__.py'
        assert module.is_file() or package.is_file(), '{0}: no {1}'.format(layout.name, module)
        for entry in layout.beyond_django:
            assert re.fullmatch(r'[^:\s]+\.py:\d+ DJS\d{3}', entry), '{0}: {1!r}'.format(layout.name, entry)
        for folder in layout.site:
            assert (layout.tree / folder).is_dir(), '{0}: no site folder {1}'.format(layout.name, folder)


def test_deployment_file_kinds_agree_with_django(tmp_path: Path) -> None:
    """
    Each deployment-file kind of tests/test_deployment_end_to_end.py, as Django sees it.

    Its tree (two leaf modules, the file naming ``alpha``) is loaded by the newest series with
    the variables we derive from the file, and our mirrored codes must be Django's ids (our
    other findings are that test's business). One Django run for all kinds.
    """
    from tests.test_deployment_end_to_end import NAMING_ALPHA, TWO_LEAVES, _write  # noqa: WPS433

    series = next((series for series in reversed(SUPPORTED_DJANGO) if venv_python(series).exists()), None)
    if series is None:
        pytest.skip('no parity environment (scripts/parity.sh)')
    for kind, files in NAMING_ALPHA.items():
        folder = tmp_path / 'kinds' / 'kind-{0}'.format(re.sub(r'\W+', '-', kind).lower())  # no marker name
        _write(folder / 'tree', {**TWO_LEAVES, **files})
        (folder / 'layout.toml').write_text(
            'description = "{0}"\nsettings = "proj.settings.alpha"\n'.format(kind),
        )
    layouts = discover(tmp_path / 'kinds')
    copies = tmp_path / 'copies'
    for layout in layouts:
        shutil.copytree(layout.tree, copies / layout.name)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        derived = dict(zip(
            [layout.name for layout in layouts],
            pool.map(lambda layout: derive(layout, copies / layout.name, masked=False), layouts),
        ))
        ours = dict(zip(
            [layout.name for layout in layouts],
            pool.map(lambda layout: run_ours(layout, series, copies / layout.name, check=False), layouts),
        ))
    django = judge_in_django(series, layouts, copies, {name: found.env for name, found in derived.items()})
    problems = []
    for index, layout in enumerate(layouts):
        result = django.results[index]
        ids = set(result['ids']) - OUT_OF_SCOPE
        expected = sorted({CODE_OF[django_id] for django_id in ids if django_id in CODE_OF})
        mirrored = sorted({finding.split()[1] for finding in ours[layout.name] if finding.split()[1] in MIRRORED})
        if derived[layout.name].modules != ['proj/settings/alpha.py'] or result['error'] or mirrored != expected:
            problems.append('{0}: we choose {1} with {2}; Django {3} ids {4} (error {5}) are {6}, we report {7}'.format(
                layout.description, derived[layout.name].modules, derived[layout.name].env,
                django.version, sorted(ids), result['error'], expected, mirrored,
            ))
    assert not problems, '\n'.join(problems)
    assert 'DJS100' in expected  # alpha's DEBUG, which every kind names


def test_no_layout_file_is_ignored_by_git() -> None:
    """A tree's ``.gitignore`` applies to this repository too: an ignored file is in no clone."""
    listed = subprocess.run(
        ['git', 'ls-files', '--others', '--ignored', '--exclude-standard', '--', str(LAYOUTS)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    if listed.returncode != 0:
        pytest.skip('not a git checkout: {0}'.format(listed.stderr.strip()))
    ignored = [line for line in listed.stdout.splitlines() if '__pycache__' not in line]
    assert ignored == [], 'git ignores these layout files (git add -f them): {0}'.format(ignored)


def test_django_load_error_fails_loudly(tmp_path: Path) -> None:
    """A layout whose module Django cannot import fails the comparison with Django's error."""
    series = next((series for series in SUPPORTED_DJANGO if venv_python(series).exists()), None)
    if series is None:
        pytest.skip('no parity environment (scripts/parity.sh)')
    tree = tmp_path / 'broken' / 'tree'
    (tree / 'proj').mkdir(parents=True)
    (tree / 'proj' / 'settings.py').write_text('from proj.nowhere import *  # noqa: F403\nDEBUG = False\n')
    (tmp_path / 'broken' / 'layout.toml').write_text(
        'description = "imports a module that does not exist"\nsettings = "proj.settings"\n',
    )
    stubbed = tmp_path / 'stubbed' / 'tree'
    (stubbed / 'proj').mkdir(parents=True)
    (stubbed / 'proj' / 'settings.py').write_text(
        'from company.defaults import *  # noqa: F403\nfrom company import conf\n\nDEBUG = conf.flag("DEBUG")\n',
    )
    (tmp_path / 'stubbed' / 'layout.toml').write_text(
        'description = "a stubbed package"\nsettings = "proj.settings"\nstubs = ["company"]\n',
    )
    layouts = discover(tmp_path)
    copies = tmp_path / 'copies'
    for layout in layouts:
        shutil.copytree(layout.tree, copies / layout.name)
    django = judge_in_django(series, layouts, copies)
    with pytest.raises(pytest.fail.Exception, match="(?s)could not load proj.settings.*ModuleNotFoundError: No module named 'proj.nowhere'"):
        compare(layouts[0], django, 0, [])
    assert django.results[1]['error'] is None, django.results[1]['error']
    assert 'security.W018' not in django.results[1]['ids']  # the stub's flag is falsy


def test_known_divergence_is_a_strict_xfail(tmp_path: Path) -> None:
    """``known_divergence`` marks every series' case strict xfail (it fails once fixed)."""
    (tmp_path / 'diverges' / 'tree').mkdir(parents=True)
    (tmp_path / 'diverges' / 'layout.toml').write_text(
        'description = "d"\nsettings = "settings"\nknown_divergence = "issue 12: why"\n',
    )
    cases = _cases(discover(tmp_path))
    assert len(cases) == len(SUPPORTED_DJANGO)
    for case in cases:
        (mark,) = case.marks
        assert mark.name == 'xfail'
        assert mark.kwargs == {'strict': True, 'reason': 'issue 12: why'}


def test_ci_runs_layouts_on_at_least_one_series() -> None:
    """Under CI the layouts meet Django: scripts/parity.sh must have built a series."""
    if os.environ.get('CI') != 'true':
        pytest.skip('not CI')
    assert any(venv_python(series).exists() for series in SUPPORTED_DJANGO)
