"""
Output is deterministic: byte-identical under -j1 and -jN, any file order, any hash seed.

One tree holds the bundled example project, every layout of test_layouts.py (as
test_command.py lays them out), a generated split-settings project
(scripts/split_project.py) and every rule fixture at its lint-as path. flake8 (plain:
its default plugins and ours, see tests/conftest.py), flake8 with ``--format=sarif``
and the standalone ``check`` command (text, JSON and SARIF) each run over it several
ways: ``-j1`` and ``-j2``, the folder or its files in reverse order, under
``PYTHONHASHSEED`` 0, 1 and 2 (set iteration order differs between them). Every way
must print exactly the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import FIGURES
from tests.test_command import LAYOUTS, write
from tests.test_end_to_end import EXAMPLE
from tests.test_rules import fixture_files, parse_fixture
from tests.test_scaling import split_project


@pytest.fixture(scope='module')
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, the layouts, a split-settings project and the rule fixtures, in one tree."""
    root = tmp_path_factory.mktemp('determinism')
    shutil.copytree(EXAMPLE, root / 'example')
    for name, files in LAYOUTS.items():
        write(root / 'layouts' / name, files)
    split_project.write_split_project(root / 'split', 12, leaves=3)
    for fixture in fixture_files():
        source, lint_as, _ = parse_fixture(fixture)
        write(root / 'fixtures' / fixture.stem, {lint_as: source})
    return root


def _files(root: Path) -> list[str]:
    """Every Python file of the tree, as flake8 names them when given the folder ``.``."""
    return ['./{0}'.format(path.relative_to(root).as_posix()) for path in sorted(root.rglob('*.py'))]


def _run(command: Sequence[str], root: Path, seed: int) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        list(command), cwd=root, capture_output=True, timeout=600, check=False,
        env={**os.environ, 'PYTHONHASHSEED': str(seed), 'PYTHONWARNINGS': 'ignore'},
    )


def _ways(root: Path) -> list[tuple[str, list[str], int]]:
    """Jobs, arguments and hash seed of every way the tree is linted."""
    files = _files(root)
    return [
        ('-j1 folder seed 0', ['--jobs=1', '.'], 0),
        ('-j2 folder seed 1', ['--jobs=2', '.'], 1),
        ('-j2 files reversed seed 2', ['--jobs=2', *reversed(files)], 2),
        ('-j1 files reversed seed 1', ['--jobs=1', *reversed(files)], 1),
    ]


def _assert_identical(command: Sequence[str], root: Path, name: str) -> bytes:
    """Every way prints the same bytes, exits alike; stderr only notes unparsable files."""
    outputs = {}
    notes = set()
    for way, arguments, seed in _ways(root):
        result = _run([*command, *arguments], root, seed)
        # The command notes the files it skips (flake8 reports them as E999); nothing else.
        assert all(line.startswith(b'flake8-djsec: skipped ') for line in result.stderr.splitlines()), way
        assert result.returncode == 1, (way, result.returncode)
        outputs[way] = result.stdout
        notes.add(b'\n'.join(sorted(result.stderr.splitlines())))
    assert len(notes) == 1
    first = next(iter(outputs.values()))
    assert b'DJS1' in first
    # A text line, a JSON entry or a SARIF result of DJS000 (the SARIF catalogue lists the rule).
    assert not re.search(rb': DJS000 |"code": "DJS000"|"ruleId": "DJS000"', first)
    for way, output in outputs.items():
        assert output == first, way
    FIGURES.append('determinism, {0}: {1} ways, {2} bytes each, identical'.format(name, len(outputs), len(first)))
    return first


def test_flake8_text(tree: Path, plain_flake8: list[str]) -> None:
    """flake8's default output (every default plugin's codes and ours), byte for byte."""
    output = _assert_identical([*plain_flake8, '--isolated'], tree, 'flake8 text')
    assert b': E' in output or b': W' in output or b': F' in output  # not only ours


def test_flake8_sarif(tree: Path, plain_flake8: list[str]) -> None:
    """The SARIF formatter, byte for byte."""
    _assert_identical([*plain_flake8, '--isolated', '--select=DJS', '--format=sarif'], tree, 'flake8 SARIF')


@pytest.mark.parametrize('output_format', ['text', 'json', 'sarif'])
def test_check_command(tree: Path, output_format: str) -> None:
    """The standalone command in each output format, byte for byte."""
    command = [sys.executable, '-m', 'flake8_djsec', 'check', '--isolated', '--format={0}'.format(output_format)]
    _assert_identical(command, tree, 'check --format={0}'.format(output_format))


def test_check_matches_flake8(tree: Path, plain_flake8: list[str]) -> None:
    """The command and flake8 print the same DJS lines over the whole tree."""
    ours = _run([sys.executable, '-m', 'flake8_djsec', 'check', '--isolated', '--jobs=2', '.'], tree, 0)
    theirs = _run([*plain_flake8, '--isolated', '--select=DJS', '--jobs=2', '.'], tree, 1)
    assert ours.stdout == theirs.stdout
