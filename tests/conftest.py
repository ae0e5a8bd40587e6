"""Shared helpers: lint a source string through the pipeline, or run the real flake8."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from flake8_djsec.analysis import analyse
from flake8_djsec.options.config import DjsecConfig

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
