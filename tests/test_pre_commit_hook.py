"""The pre-commit hook of ``.pre-commit-hooks.yaml``, run by the real pre-commit (``try-repo``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from tests.test_end_to_end import SETTINGS

ROOT: Final = Path(__file__).resolve().parent.parent
PRE_COMMIT: Final = Path(sys.executable).with_name('pre-commit')


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(['git', *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, 'PRE_COMMIT_HOME': str(home), 'PRE_COMMIT_COLOR': 'never'}
    return subprocess.run(
        [str(PRE_COMMIT), 'try-repo', str(ROOT), 'flake8-djsec', '--all-files'],
        cwd=project, env=environment, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.mark.skipif(not (ROOT / '.git').exists(), reason='try-repo needs a git checkout')
@pytest.mark.skipif(shutil.which('git') is None, reason='pre-commit needs git')
def test_hook_reports_and_passes(tmp_path: Path) -> None:
    """The hook installs this checkout in its own environment, fails on findings, passes when fixed."""
    project = tmp_path / 'project'
    (project / 'proj').mkdir(parents=True)
    settings = project / 'proj' / 'settings.py'
    settings.write_text(SETTINGS, encoding='utf-8')
    (project / 'proj' / 'local_settings.py').write_text('DEBUG = True\nINSTALLED_APPS = []\n')
    (project / 'README.txt').write_text('not python\n')
    _git('init', '-q', '.', cwd=project)
    _git('add', '.', cwd=project)
    home = tmp_path / 'pre-commit-home'

    failing = _try_repo(project, home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert 'flake8-djsec (Django security settings)' in failing.stdout
    assert "proj/settings.py:2:1: DJS100 DEBUG is 'False' in deployment settings" in failing.stdout
    assert 'local_settings' not in failing.stdout

    settings.write_text(SETTINGS.replace('"False")\n', '"False")  # noqa: DJS100\n'), encoding='utf-8')
    _git('add', '.', cwd=project)
    passing = _try_repo(project, home)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert 'Passed' in passing.stdout
