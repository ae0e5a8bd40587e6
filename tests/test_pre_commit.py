"""pre-commit runs flake8 with flake8-djsec as an ``additional_dependencies`` entry, for real.

The documented hook takes flake8 from its GitHub repository, which CI cannot reach; this test
uses the same mechanism with a ``repo: local`` hook (``language: python``): pre-commit builds a
fresh virtualenv, pip-installs flake8 and this checkout from the package index and the path, and
runs flake8 on the staged files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = str(Path(sys.executable).with_name('pre-commit'))

CONFIG = '''\
repos:
  - repo: local
    hooks:
      - id: flake8
        name: flake8
        entry: flake8
        language: python
        types: [python]
        args: [--select=DJS]
        additional_dependencies: ["{package}"]
'''


def _copy_package(target: Path) -> Path:
    """Copy what building the distribution needs, so the checkout gets no build/ folder."""
    for name in ('pyproject.toml', 'README.md', 'LICENSE'):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / 'flake8_djsec', target / 'flake8_djsec', ignore=shutil.ignore_patterns('__pycache__'))
    return target


def _run(command: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, 'PRE_COMMIT_HOME': str(home), 'PRE_COMMIT_COLOR': 'never'}
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600, check=False,
    )


def test_pre_commit_hook_with_additional_dependency(tmp_path: Path) -> None:
    """The hook fails on insecure settings with our message, and passes once they are gone."""
    package = tmp_path / 'package'
    package.mkdir()
    _copy_package(package)
    repository = tmp_path / 'repository'
    (repository / 'proj').mkdir(parents=True)
    (repository / '.pre-commit-config.yaml').write_text(CONFIG.format(package=package), encoding='utf-8')
    settings = repository / 'proj' / 'settings.py'
    settings.write_text(textwrap.dedent('''\
        DEBUG = True
        INSTALLED_APPS = ["django.contrib.sessions"]
    '''), encoding='utf-8')
    home = tmp_path / 'pre-commit-home'
    assert _run(['git', 'init', '-q', '.'], repository, home).returncode == 0
    assert _run(['git', 'add', '-A'], repository, home).returncode == 0

    failing = _run([PRE_COMMIT, 'run', '--all-files'], repository, home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert 'flake8...' in failing.stdout
    assert 'proj/settings.py:1:1: DJS100 DEBUG is True in deployment settings; set DEBUG = False' in failing.stdout

    settings.write_text('DEBUG = False\n', encoding='utf-8')  # nothing left to report
    assert _run(['git', 'add', '-A'], repository, home).returncode == 0
    passing = _run([PRE_COMMIT, 'run', '--all-files'], repository, home)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert 'DJS' not in passing.stdout
