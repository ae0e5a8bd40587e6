"""The flake8 entry point: ``DJS`` errors for Django settings and code."""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Sequence
from typing import ClassVar, Final, final

from flake8.options.manager import OptionManager

from flake8_djsec import __version__
from flake8_djsec.analysis import Report, analyse
from flake8_djsec.logic import provenance_silence
from flake8_djsec.options import declarations
from flake8_djsec.options.config import DjsecConfig, OptionError


@final
class DjsecChecker:
    """Reports Django security misconfigurations as ``DJS`` errors."""

    name: ClassVar[str] = 'flake8-djsec'
    version: ClassVar[str] = __version__
    config: ClassVar[DjsecConfig] = DjsecConfig()

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        """Receive what flake8 gives every AST plugin; do no work yet."""
        self._tree = tree
        self._filename = filename
        self._lines = lines

    @classmethod
    def add_options(cls, manager: OptionManager) -> None:
        """Declare the plugin's options (command line and ``[flake8]`` configuration)."""
        declarations.declare(manager)

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Validate the options into one frozen config; a bad value exits with one line."""
        try:
            cls.config = declarations.validated(options)
        except OptionError as error:
            sys.stderr.write('flake8: error: {0}\n'.format(error))
            sys.exit(2)

    def run(self) -> Iterator[_FlakeError]:
        """Yield ``(line, col, message, type)`` for every finding in the file."""
        for report in plugin_reports(self._tree, self._filename, self._lines, self.config):
            yield report.line, report.col, report.message, type(self)


def plugin_reports(
    tree: ast.Module,
    filename: str,
    lines: Sequence[str],
    config: DjsecConfig,
) -> list[Report]:
    """Return the findings for what flake8 hands a plugin; the standalone command calls it too."""
    source = ''.join(lines) if lines else None
    reports = analyse(tree, filename, source, config)
    return [report for report in reports if not _silenced(report, filename, lines, config)]


#: Code rules that test code and ``# nosec`` lines silence.
_SILENCEABLE: Final = frozenset(provenance_silence.NOSEC_TESTS)


def _silenced(report: Report, filename: str, lines: Sequence[str], config: DjsecConfig) -> bool:
    code = report.message.split(' ', 1)[0]
    if code not in _SILENCEABLE:
        return False
    if provenance_silence.is_test_path(filename, config.test_patterns):
        return True
    line = lines[report.line - 1] if 0 < report.line <= len(lines) else ''
    return provenance_silence.is_nosec(line, code)


#: What flake8 expects from ``run()``: line, column, message, and the checker class.
_FlakeError = tuple[int, int, str, type[DjsecChecker]]
