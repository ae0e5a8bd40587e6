"""Shared helpers: lint a source string through the pipeline, or run the real flake8."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import venv
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path, PurePath

import pytest

from flake8_djsec.analysis import analyse
from flake8_djsec.options.config import DjsecConfig

#: Robustness figures the tests record (programs generated, files linted), printed at the end.
FIGURES: list[str] = []  # noqa: WPS407 - filled while the session runs

#: The flake8 executable of the interpreter running the tests.
FLAKE8 = str(Path(sys.executable).with_name('flake8'))


def lint(source: str, filename: str = 'proj/settings.py', config: DjsecConfig | None = None) -> list[str]:
    """Return ``"line:col: message"`` for every finding in a source string (1-based col)."""
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    reports = analyse(tree, filename, source, config or DjsecConfig())
    return ['{0}:{1}: {2}'.format(report.line, report.col + 1, report.message) for report in reports]


def codes(source: str, filename: str = 'proj/settings.py', config: DjsecConfig | None = None) -> list[tuple[int, str]]:
    """Return ``(line, code)`` for every finding in a source string."""
    source = textwrap.dedent(source)
    reports = analyse(ast.parse(source), filename, source, config or DjsecConfig())
    return [(report.line, report.message.split()[0]) for report in reports]


def run_flake8(
    args: Sequence[str],
    cwd: Path,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real ``flake8`` executable, isolated from any user configuration."""
    return subprocess.run(
        [FLAKE8, '--isolated', *args] if '--config' not in ' '.join(args) else [FLAKE8, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a function that writes files under a temporary project folder."""

    def write(files: dict[str, str]) -> Path:
        for relative, content in files.items():
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(content), encoding='utf-8')
        return tmp_path

    return write


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the robustness figures of this session, one line each."""
    if FIGURES:
        terminalreporter.section('robustness figures')
        for line in FIGURES:
            terminalreporter.write_line(line)


#: The distributions the plain flake8 sees: flake8, its default plugins, flake8-djsec.
PLAIN_DISTRIBUTIONS = (
    'flake8', 'pycodestyle', 'pyflakes', 'mccabe', 'flake8-djsec',
    # flake8-djsec's runtime dependencies for deployment files (imported only when such files exist).
    'PyYAML', 'python-dotenv', 'dockerfile-parse', 'pathspec',
)


@pytest.fixture(scope='session')
def plain_flake8(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """
    The command of a flake8 that runs only its default plugins and flake8-djsec.

    flake8 runs every installed plugin whatever ``--select`` says, and the test
    environment holds wemake-python-styleguide, about ten times slower than
    pycodestyle and pyflakes together: on large inputs flake8 runs from a virtual
    environment whose site-packages links only PLAIN_DISTRIBUTIONS' installed files.
    """
    root = tmp_path_factory.mktemp('plain-flake8')
    venv.create(root, with_pip=False, symlinks=os.name != 'nt')
    python = root / ('Scripts/python.exe' if os.name == 'nt' else 'bin/python')
    site = Path(subprocess.run(
        [str(python), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
        capture_output=True, text=True, check=True,
    ).stdout.strip())
    for name in PLAIN_DISTRIBUTIONS:
        distribution = metadata.distribution(name)
        tops = {PurePath(entry).parts[0] for entry in distribution.files or ()}
        for top in sorted(tops - {'..'}):
            source = Path(str(distribution.locate_file(top)))
            if source.exists() and not (site / top).exists():
                (site / top).symlink_to(source)
    return [str(python), '-m', 'flake8']


def run_plain_flake8(
    command: Sequence[str], args: Sequence[str], cwd: Path, timeout: int = 600,
) -> subprocess.CompletedProcess[str]:
    """Run the plain flake8 (``plain_flake8``), isolated from any user configuration."""
    return subprocess.run(
        [*command, '--isolated', *args], cwd=cwd, capture_output=True, text=True,
        timeout=timeout, check=False, env={**os.environ, 'PYTHONWARNINGS': 'ignore'},
    )
