"""
``flake8 --format=sarif``: the whole run as one SARIF 2.1.0 log (``flake8_djsec.sarif``).

Every reported error is collected, whatever plugin reported it; the log is
written when flake8 stops reporting, to ``--output-file`` (replaced, not
appended to: two logs in one file would not be JSON) or to standard output
(both with ``--tee``). ``--show-source`` adds each source line as the
region's snippet. ``--statistics`` and ``--benchmark`` go to standard error,
so that the log stays valid JSON.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Final, final

from flake8.formatting.base import BaseFormatter
from flake8.statistics import Statistics
from flake8.violation import Violation

from flake8_djsec import sarif

_ENCODING: Final = 'utf-8'


@final
class SarifFormatter(BaseFormatter):  # type: ignore[misc]  # flake8 ships no types
    """Collects flake8's errors and writes them as a SARIF log at the end of the run."""

    def after_init(self) -> None:
        """Start with no findings, rooted at the working directory."""
        self._findings: list[sarif.Finding] = []
        self._root = Path.cwd()

    def start(self) -> None:
        """Open ``--output-file`` for writing, replacing an older log."""
        if self.filename:
            folder = os.path.dirname(os.path.abspath(self.filename))
            os.makedirs(folder, exist_ok=True)
            self.output_fd = open(  # noqa: WPS515  # closed by BaseFormatter.stop
                self.filename, 'w', encoding=_ENCODING,
            )

    def handle(self, error: Violation) -> None:
        """Keep one error (flake8 gives it with a 1-based column)."""
        snippet = error.physical_line if self.options.show_source else None
        self._findings.append(sarif.Finding(
            _under(error.filename, self._root), error.line_number, error.column_number,
            error.code, error.text, snippet,
        ))

    def format(self, error: Violation) -> str | None:
        """Return nothing: the log is written whole by ``stop``."""

    def show_statistics(self, statistics: Statistics) -> None:
        """Print ``--statistics`` to standard error, outside the log."""
        for code in statistics.error_codes():
            found = list(statistics.statistics_for(code))
            sys.stderr.write('{0:<5} {1} {2}\n'.format(
                sum(statistic.count for statistic in found), code, found[0].message,
            ))

    def show_benchmarks(self, benchmarks: list[tuple[str, float]]) -> None:
        """Print ``--benchmark`` to standard error, outside the log."""
        for statistic, figure in benchmarks:
            sys.stderr.write('{0:<10} {1}\n'.format(figure, statistic))

    def stop(self) -> None:
        """Write the log, then close ``--output-file``."""
        document = sarif.build(self._findings, root=self._root)
        self._write(sarif.dumps(document))
        super().stop()


def _under(filename: str, root: Path) -> str:
    """Return an absolute name that reaches ``root`` through a symbolic link by its real path."""
    if not os.path.isabs(filename) or Path(filename).is_relative_to(root):
        return filename
    real = os.path.realpath(filename)
    return real if Path(real).is_relative_to(root) else filename
