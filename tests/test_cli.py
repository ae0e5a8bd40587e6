"""``python -m flake8_djsec`` and the ``flake8-djsec`` console script, run for real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake8_djsec import __version__
from flake8_djsec.violations import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = str(Path(sys.executable).with_name('flake8-djsec'))
MODULE = [sys.executable, '-m', 'flake8_djsec']


def run(*args: str, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a subprocess, from a folder without the package in it."""
    return subprocess.run(
        [*(command or MODULE), *args],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT / "docs",
    )


def test_rules_lists_every_code() -> None:
    """One line per code, in code order: code, severity, summary, Django ids."""
    result = run('rules')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [violation.full_code() for violation in CATALOGUE]
    assert 'DJS100  high      DEBUG is truthy in deployment settings. [security.W018]' in lines
    assert 'DJS101  critical  SECRET_KEY is written in the source.' in lines
    assert lines[0].startswith('DJS000  none      A rule of flake8-djsec failed')


@pytest.mark.parametrize('arguments', [('rule', 'DJS115'), ('explain', 'djs115')])
def test_rule_prints_the_rule_page(arguments: tuple[str, str]) -> None:
    """The same page as docs/rules/DJS115.md, without its "generated" comment."""
    result = run(*arguments)
    assert result.returncode == 0, result.stderr
    page = (ROOT / 'docs' / 'rules' / 'DJS115.md').read_text(encoding='utf-8')
    assert page.startswith('<!-- Generated')
    assert result.stdout == page.split('\n\n', 1)[1]
    assert result.stdout.startswith('# DJS115: `SESSION_COOKIE_SECURE` is not `True`')
    assert '## Why is this bad?' in result.stdout


@pytest.mark.parametrize('code', ['DJS999', 'E501', 'debug'])
def test_unknown_code_is_one_line_and_exit_two(code: str) -> None:
    """An unknown code: nothing on stdout, one line on stderr, status 2."""
    result = run('rule', code)
    assert result.returncode == 2
    assert result.stdout == ''
    assert result.stderr.splitlines() == [
        "flake8-djsec: error: unknown code '{0}'; list them with: flake8-djsec rules".format(code),
    ]


def test_usage_errors_and_version() -> None:
    """No command is a usage error (2); --version names the release."""
    assert run().returncode == 2
    assert run('nonsense').returncode == 2
    version = run('--version')
    assert version.stdout.strip() == 'flake8-djsec {0}'.format(__version__)


def test_console_script_is_the_same_program() -> None:
    """The installed ``flake8-djsec`` script prints what ``python -m flake8_djsec`` prints."""
    assert run('rules', command=[SCRIPT]).stdout == run('rules').stdout
    assert run('rule', 'DJS150', command=[SCRIPT]).stdout == run('rule', 'DJS150').stdout
