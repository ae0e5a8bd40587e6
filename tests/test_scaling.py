"""
Settings analysis scales linearly with the settings modules of a project.

A folder of N settings modules is judged through the same deployments whichever
member is linted; a run shares that work (flake8_djsec.logic.runs). Counted, not
timed: every sibling read once per run, every deployment evaluated once per run.
"""

from __future__ import annotations

import ast
import collections
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from flake8_djsec.analysis import analyse
from flake8_djsec.logic import sources
from flake8_djsec.logic.evaluation import statements
from flake8_djsec.options.config import DjsecConfig
from tests.conftest import run_flake8

SCRIPTS = Path(__file__).resolve().parent.parent / 'scripts'
LEAVES = 6


def _script(name: str) -> ModuleType:
    """Import a module of scripts/ (not a package) by its path."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / '{0}.py'.format(name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


split_project = _script('split_project')


class _Counts:
    """How often modules are evaluated and files are read from disk."""

    def __init__(self) -> None:
        self.evaluations = 0
        self.reads: collections.Counter[str] = collections.Counter()


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counts]:
    """Count ModuleEvaluator runs and file parses while a test lints."""
    counted = _Counts()
    run = statements.ModuleEvaluator.run
    parse = sources.parse_source

    def counting_run(self: statements.ModuleEvaluator, body: list[ast.stmt]) -> object:
        counted.evaluations += 1
        return run(self, body)

    def counting_parse(raw: bytes, path: str) -> ast.Module | None:
        counted.reads[path] += 1
        return parse(raw, path)

    monkeypatch.setattr(statements.ModuleEvaluator, 'run', counting_run)
    monkeypatch.setattr(sources, 'parse_source', counting_parse)
    yield counted


def _lint_all(files: list[Path], config: DjsecConfig) -> list[str]:
    """Lint every file in one run, as flake8 does: one configuration object for all."""
    found = []
    for path in files:
        source = path.read_text(encoding='utf-8')
        for report in analyse(ast.parse(source), str(path), source, config):
            found.append('{0}:{1}: {2}'.format(path.name, report.line, report.message.split()[0]))
    return sorted(found)


@pytest.mark.parametrize('components', [10, 40])
def test_each_deployment_is_evaluated_once_per_run(
    tmp_path: Path, counts: _Counts, components: int,
) -> None:
    """N components, 6 leaves: 6 x (N + 2) module evaluations, each sibling parsed once."""
    files = split_project.write_split_project(tmp_path, components, leaves=LEAVES)
    found = _lint_all(files, DjsecConfig())
    assert found  # the generated project has findings (leaves without HSTS preload, ...)
    # Each leaf evaluates itself, base and every component once; nothing more.
    assert counts.evaluations == LEAVES * (components + 2)
    assert max(counts.reads.values()) == 1


def test_work_grows_linearly(tmp_path: Path, counts: _Counts) -> None:
    """Four times the components: four times the evaluations (quadratic would be sixteen)."""
    measured = []
    for components in (15, 60):
        files = split_project.write_split_project(tmp_path / str(components), components)
        counts.evaluations = 0
        _lint_all(files, DjsecConfig())
        measured.append(counts.evaluations)
    assert measured[1] / measured[0] < 4.2


def test_findings_do_not_depend_on_sharing(tmp_path: Path) -> None:
    """One run over every file reports what one run per file reports."""
    files = split_project.write_split_project(tmp_path, 12, leaves=3)
    shared = _lint_all(files, DjsecConfig())
    alone = sorted(line for path in files for line in _lint_all([path], DjsecConfig()))
    assert shared == alone
    assert any('DJS' in line for line in shared)


def test_a_new_run_sees_edits(tmp_path: Path) -> None:
    """An editor keeps flake8 loaded: each lint is a new run, and sees the files as edited."""
    files = split_project.write_split_project(tmp_path, 3, leaves=1)
    base = tmp_path / 'proj' / 'settings' / 'base.py'
    production = tmp_path / 'proj' / 'settings' / 'production.py'
    before = _lint_all([base], DjsecConfig())
    assert 'base.py:4: DJS100' not in before
    base.write_text(base.read_text().replace(
        'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"', 'DEBUG = True\nDEBUG_TOOLBAR = 1',
    ))
    production.write_text(production.read_text().replace('DEBUG = False\n', ''))
    assert 'base.py:4: DJS100' in _lint_all([base], DjsecConfig())
    assert files


def test_a_buffer_is_judged_as_written_within_a_run(tmp_path: Path) -> None:
    """A buffer that differs from its file is judged as written, even after the file was."""
    split_project.write_split_project(tmp_path, 3, leaves=1)
    base = tmp_path / 'proj' / 'settings' / 'base.py'
    production = tmp_path / 'proj' / 'settings' / 'production.py'
    production.write_text(production.read_text().replace('DEBUG = False\n', ''))
    config = DjsecConfig()
    on_disk = base.read_text()
    buffer = on_disk.replace('DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"', 'DEBUG = True')
    assert not [r for r in analyse(ast.parse(on_disk), str(base), on_disk, config) if 'DJS100' in r.message]
    edited = analyse(ast.parse(buffer), str(base), buffer, config)
    assert [(r.line, r.message.split()[0]) for r in edited if 'DJS100' in r.message] == [(4, 'DJS100')]


def test_flake8_on_a_generated_project(tmp_path: Path) -> None:
    """The real flake8 on a generated project: -j1 and -j2 agree; no internal error."""
    split_project.write_split_project(tmp_path, 20)
    single = run_flake8(['--select=DJS', '-j1', '.'], tmp_path)
    double = run_flake8(['--select=DJS', '-j2', '.'], tmp_path)
    assert single.stdout == double.stdout
    assert single.stderr == double.stderr == ''
    assert 'DJS000' not in single.stdout
    assert 'settings/production.py:1:1: DJS' in single.stdout
