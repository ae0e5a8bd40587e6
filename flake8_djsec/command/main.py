"""``flake8-djsec check``: the plugin's findings for teams that do not run flake8."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import types
from collections.abc import Sequence
from typing import Final

from flake8_djsec.command import arguments, execution, files, output
from flake8_djsec.command.errors import UsageError
from flake8_djsec.command.records import Finding, Job, Outcome
from flake8_djsec.command.selection import Selection

#: Exit statuses: nothing reported, something reported, a usage or configuration error.
CLEAN: Final = 0
FOUND: Final = 1
USAGE: Final = 2

_RENDERERS: Final = types.MappingProxyType({
    'text': output.text,
    'json': output.as_json,
    'sarif': output.as_sarif,
})


def check(argv: Sequence[str], prog: str = 'flake8-djsec check') -> int:
    """Run the command; return its exit status."""
    try:
        parsed, selection, filenames = _plan(argv, prog)
    except UsageError as error:
        sys.stderr.write('flake8-djsec: error: {0}\n'.format(error))
        return USAGE
    findings = _reported(execution.run(
        filenames,
        Job.of(parsed.config, disable_noqa=parsed.options.disable_noqa),
        _jobs(parsed.options.jobs),
    ), selection)
    sys.stdout.write(_RENDERERS[parsed.options.output_format](findings))
    return FOUND if findings else CLEAN


def listed_arguments(parser: argparse.ArgumentParser) -> None:
    """What ``flake8-djsec --help`` shows of ``check`` (``main`` hands ``check`` its own words)."""
    parser.add_argument(
        'arguments', nargs=argparse.REMAINDER,
        help='options and paths (see: flake8-djsec check --help)',
    )


def run_listed(options: argparse.Namespace) -> int:
    """Run ``check`` on the words the top-level parser gathered."""
    return check(options.arguments)


def _reported(outcomes: Sequence[Outcome], selection: Selection) -> list[Finding]:
    """Tell the skipped files on stderr; return the selected findings, sorted as flake8 sorts."""
    for outcome in outcomes:
        if outcome.skipped is not None:
            sys.stderr.write('flake8-djsec: skipped {0}\n'.format(outcome.skipped))
    return sorted(
        finding
        for checked in outcomes
        for finding in checked.findings
        if selection.reports(finding)
    )


def _plan(argv: Sequence[str], prog: str) -> tuple[arguments.Arguments, Selection, list[str]]:
    """Everything that can fail as a usage or configuration error, before any file is read."""
    parsed = arguments.parse(argv, prog)
    options = parsed.options
    filenames = files.expand(
        options.filenames, [*options.exclude, *options.extend_exclude], options.filename,
    )
    return parsed, Selection(options), filenames


def _jobs(jobs: object) -> int:
    if getattr(jobs, 'is_auto', False):
        return multiprocessing.cpu_count()
    return int(getattr(jobs, 'n_jobs', 1))
