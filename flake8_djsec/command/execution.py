"""
Check files as flake8 would run the plugin on them, in one process or several.

Each file is read and parsed by flake8's own ``FileProcessor`` (encoding,
byte-order mark, ``# flake8: noqa``, the lines ``# noqa`` is looked for on),
judged by the same ``plugin_reports`` the plugin's ``run()`` returns, and its
findings filtered by flake8's ``# noqa`` test. Results are sorted as flake8
sorts them, so a parallel run prints exactly what a serial run prints.
"""

from __future__ import annotations

import ast
import multiprocessing
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Final, final

from flake8 import defaults, processor
from flake8.checker import FileChecker
from flake8.violation import Violation

from flake8_djsec.checker import plugin_reports
from flake8_djsec.command.records import Finding, Job, Outcome

#: Files below which a pool costs more than it saves.
_MIN_FILES_PER_JOB: Final = 8
#: Files handed to a worker at a time.
_CHUNK: Final = 16


def run(filenames: Sequence[str], job: Job, jobs: int) -> list[Outcome]:
    """Check every file; with ``jobs`` > 1 and enough files, in a process pool."""
    workers = min(jobs, len(filenames) // _MIN_FILES_PER_JOB)
    if workers < 2:
        checker = _FileCheck(job)
        outcomes = [checker(filename) for filename in filenames]
    else:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context(),
            initializer=_start_worker,
            initargs=(job,),
        ) as pool:
            outcomes = list(pool.map(_check_in_worker, filenames, chunksize=_CHUNK))
    return sorted(outcomes, key=lambda outcome: outcome.path)


@final
class _FileCheck:
    """Check one file at a time with one job's settings."""

    def __init__(self, job: Job) -> None:
        self._config = job.config()
        self._disable_noqa = job.disable_noqa
        # The attributes flake8's FileProcessor reads; only disable_noqa matters to an AST plugin.
        self._processor_options = types.SimpleNamespace(
            hang_closing=False,
            indent_size=defaults.INDENT_SIZE,
            max_line_length=defaults.MAX_LINE_LENGTH,
            max_doc_length=None,
            verbose=0,
            disable_noqa=job.disable_noqa,
            stdin_display_name='stdin',
        )

    def __call__(self, filename: str) -> Outcome:
        """Return the file's findings that flake8 would show, sorted as flake8 sorts them."""
        try:
            source = processor.FileProcessor(filename, self._processor_options)
        except (OSError, LookupError) as error:  # LookupError: a cookie naming a bytes codec
            return Outcome(filename, skipped='{0}:0:1: E902 {1}: {2}'.format(
                filename, type(error).__name__, error,
            ))
        if source.should_ignore_file():
            return Outcome(filename)
        try:
            tree = source.build_ast()
        except (SyntaxError, ValueError) as error:
            return Outcome(filename, skipped=_syntax_error(filename, error))
        return Outcome(filename, tuple(self._findings(filename, source, tree)))

    def _findings(
        self, filename: str, source: processor.FileProcessor, tree: ast.Module,
    ) -> Iterator[Finding]:
        for report in plugin_reports(tree, filename, source.lines, self._config):
            code, text = report.message.split(' ', 1)
            column = report.col + 1  # flake8 shows an AST plugin's column plus one
            violation = Violation(
                code, filename, report.line, column, text, source.noqa_line_for(report.line),
            )
            if not violation.is_inline_ignored(self._disable_noqa):
                yield Finding(filename, report.line, column, code, text)


def _syntax_error(filename: str, error: Exception) -> str:
    """Write flake8's E999 line for a file that does not parse."""
    row, column = FileChecker._extract_syntax_information(error)  # noqa: WPS437 - flake8's rule
    return '{0}:{1}:{2}: E999 {3}: {4}'.format(
        filename, row, column + 1, type(error).__name__, error.args[0] if error.args else '',
    )


_worker: list[_FileCheck] = []


def _start_worker(job: Job) -> None:
    _worker.append(_FileCheck(job))


def _check_in_worker(filename: str) -> Outcome:
    return _worker[0](filename)
