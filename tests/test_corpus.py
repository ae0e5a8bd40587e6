"""
Whole real code bases, linted: the running interpreter's standard library and Django's source.

Every ``*.py`` file of the standard library of the Python running the tests (each
interpreter of the test matrix lints its own) and of every Django series that
scripts/parity.sh built (``django*/`` under ``$DJSEC_PARITY_VENVS``, default
``~/.cache/flake8-djsec-parity``) goes through the flake8 program and through the
standalone ``python -m flake8_djsec check``. Zero DJS000, zero tracebacks, and flake8
exits 0 or 1 (findings), never with a crash. The standard library holds files with
deliberate syntax errors and bad encodings: flake8 reports them as E902/E999, which is
fine; the plugin simply never sees them.

flake8 runs here without wemake-python-styleguide (the ``plain_flake8`` fixture of
tests/conftest.py: flake8 runs every installed plugin whatever ``--select`` says).

The standalone runner lints every file of every tree. flake8 (pycodestyle and pyflakes
included) costs about fifteen times as much per line, so by default it lints every
FLAKE8_STRIDE-th file of each tree (sorted by path, so the same files every run, and a
different quarter per interpreter's own standard library); ``DJSEC_CORPUS=full`` hands
flake8 the whole trees, as folders. The figures (files, lines, findings, seconds) are
printed at the end of the session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIGURES

#: Folders of the interpreter's library that are not the standard library.
NOT_STDLIB = 'site-packages,dist-packages'
#: A corpus of this size takes minutes; no single invocation may hang for longer.
TIMEOUT = 1800
#: By default flake8 lints every FLAKE8_STRIDE-th file (DJSEC_CORPUS=full: every file).
FLAKE8_STRIDE = 1 if os.environ.get('DJSEC_CORPUS') == 'full' else 4


def _parity_root() -> Path:
    cache = os.environ.get('XDG_CACHE_HOME') or str(Path.home() / '.cache')
    return Path(os.environ.get('DJSEC_PARITY_VENVS') or Path(cache) / 'flake8-djsec-parity')


def _django_trees() -> list[Path]:
    """The ``django`` package of every parity environment that exists."""
    return sorted(_parity_root().glob('django*/lib/python3*/site-packages/django'))


def _stdlib() -> Path:
    return Path(sysconfig.get_paths()['stdlib'])


def _files(trees: list[Path], stride: int = 1) -> list[Path]:
    """Every ``stride``-th Python file under the trees (sorted), site-packages excepted."""
    found = []
    for tree in trees:
        paths = sorted(tree.rglob('*.py'))
        found.extend(
            path for path in paths[::stride]
            if not {'site-packages', 'dist-packages', '__pycache__'} & set(path.relative_to(tree).parts)
        )
    return found


def _lines(files: list[Path]) -> int:
    return sum(path.read_bytes().count(b'\n') for path in files)


def _run(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        env={**os.environ, 'PYTHONWARNINGS': 'ignore'},
    )
    return result, time.perf_counter() - started


def _assert_clean(result: subprocess.CompletedProcess[str], allowed: set[str]) -> None:
    """No internal error, no traceback, exit 0 or 1; besides DJS codes only ``allowed`` ones."""
    assert 'DJS000' not in result.stdout
    assert 'Traceback' not in result.stderr, result.stderr[-3000:]
    assert 'internal error' not in result.stderr, result.stderr[-3000:]
    assert result.returncode in {0, 1}, (result.returncode, result.stderr[-3000:])
    codes = {line.split(': ', 1)[1].split()[0] for line in result.stdout.splitlines() if ': ' in line}
    others = {code for code in codes if not code.startswith('DJS')}
    assert others <= allowed, others - allowed


def _report(name: str, files: list[Path], result: subprocess.CompletedProcess[str], seconds: float) -> None:
    findings = [line for line in result.stdout.splitlines() if ': DJS' in line]
    FIGURES.append('{0}: {1} files, {2} lines, {3} DJS findings, 0 DJS000, 0 tracebacks, {4:.0f} s'.format(
        name, len(files), _lines(files), len(findings), seconds,
    ))


def _flake8(plain_flake8: list[str], trees: list[Path], cwd: Path) -> tuple[list[Path], subprocess.CompletedProcess[str], float]:
    """flake8 over the trees (as folders), or over every FLAKE8_STRIDE-th file of them."""
    files = _files(trees, FLAKE8_STRIDE)
    arguments = trees if FLAKE8_STRIDE == 1 else files
    # E902 (unreadable) and E999 (unparsable) are flake8's own, reported whatever --select says.
    result, seconds = _run([
        *plain_flake8, '--isolated', '--select=DJS,E902,E999',
        '--extend-exclude={0}'.format(NOT_STDLIB), '--jobs=2', *map(str, arguments),
    ], cwd)
    return files, result, seconds


def _check(trees: list[Path], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    return _run([
        sys.executable, '-m', 'flake8_djsec', 'check', '--isolated',
        '--extend-exclude={0}'.format(NOT_STDLIB), '--jobs=2', *map(str, trees),
    ], cwd)


@pytest.fixture(scope='module')
def django_trees() -> Iterator[list[Path]]:
    """Every Django series built by scripts/parity.sh; under CI at least one is required."""
    trees = _django_trees()
    if not trees:
        if os.environ.get('CI') == 'true':
            pytest.fail('no Django source under {0}: scripts/parity.sh builds it'.format(_parity_root()))
        pytest.skip('no Django source under {0} (scripts/parity.sh builds it)'.format(_parity_root()))
    yield trees


def test_stdlib_through_flake8(plain_flake8: list[str], tmp_path: Path) -> None:
    """The standard library through flake8: only DJS, E902 and E999, no crash."""
    files, result, seconds = _flake8(plain_flake8, [_stdlib()], tmp_path)
    _assert_clean(result, {'E902', 'E999'})
    assert len(files) * FLAKE8_STRIDE > 500  # the standard library really was there
    _report('stdlib {0}, flake8 {1}'.format(_python(), _share()), files, result, seconds)


def test_stdlib_through_check(tmp_path: Path) -> None:
    """The whole standard library through the standalone runner: no DJS000, no crash."""
    result, seconds = _check([_stdlib()], tmp_path)
    _assert_clean(result, set())
    _report('stdlib {0}, check, every file'.format(_python()), _files([_stdlib()]), result, seconds)


def test_django_through_flake8(plain_flake8: list[str], django_trees: list[Path], tmp_path: Path) -> None:
    """Every Django series' source through flake8: no DJS000, no crash."""
    files, result, seconds = _flake8(plain_flake8, django_trees, tmp_path)
    _assert_clean(result, {'E902', 'E999'})
    _report('{0}, flake8 {1}'.format(_series(django_trees), _share()), files, result, seconds)


def test_django_through_check(django_trees: list[Path], tmp_path: Path) -> None:
    """Every Django series' source through the standalone runner: no DJS000, no crash."""
    result, seconds = _check(django_trees, tmp_path)
    _assert_clean(result, set())
    _report('{0}, check, every file'.format(_series(django_trees)), _files(django_trees), result, seconds)


def test_plain_environment_sees_only_its_plugins(plain_flake8: list[str], tmp_path: Path) -> None:
    """The flake8 these tests run has flake8-djsec and the default plugins, nothing else."""
    result = subprocess.run(
        [*plain_flake8, '--version'], cwd=tmp_path,
        capture_output=True, text=True, check=True,
    )
    assert 'flake8-djsec' in result.stdout
    assert 'wemake' not in result.stdout


def _series(trees: list[Path]) -> str:
    """The Django versions of the trees, from their dist-info folders."""
    versions = [
        info.name[:-len('.dist-info')].split('-')[1] for tree in trees for info in sorted(tree.parent.glob('[Dd]jango-*.dist-info'))
    ]
    return 'Django {0}'.format(', '.join(versions))


def _python() -> str:
    return sys.version.split()[0]


def _share() -> str:
    return 'every file' if FLAKE8_STRIDE == 1 else 'every {0}th file'.format(FLAKE8_STRIDE)
