"""Print each Django series' parity figures at the end of the run."""

from __future__ import annotations

import json

import pytest

from tests.parity import test_parity


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per series that ran: modules, agreement, time, forms and ids exercised."""
    outcomes = test_parity._OUTCOMES  # noqa: SLF001 - the figures of this run
    if not outcomes:
        return
    terminalreporter.section('parity with Django check --deploy')
    for series, outcome in sorted(outcomes.items()):
        summary = outcome.summary()
        terminalreporter.write_line(
            'Django {django}: {agree}/{modules} modules agree ({loaded} loaded), seconds {seconds}'.format(
                **summary,
            ),
        )
        terminalreporter.write_line('  forms: {0}'.format(json.dumps(summary['forms'])))
        terminalreporter.write_line('  modules per Django id: {0}'.format(
            json.dumps(summary['modules_per_django_id']),
        ))
