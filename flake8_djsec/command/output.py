"""The command's output formats: flake8's default lines, JSON, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from flake8_djsec import sarif
from flake8_djsec.command.records import Finding


def text(findings: Sequence[Finding]) -> str:
    """Return flake8's default format: ``path:line:col: CODE message``, a line each."""
    return ''.join(
        '{0}:{1}:{2}: {3} {4}\n'.format(
            finding.path, finding.line, finding.column, finding.code, finding.text,
        )
        for finding in findings
    )


def as_json(findings: Sequence[Finding]) -> str:
    """Return a JSON array of ``{path, line, column, code, message}`` objects."""
    return '{0}\n'.format(json.dumps(
        [
            {
                'path': finding.path,
                'line': finding.line,
                'column': finding.column,
                'code': finding.code,
                'message': finding.text,
            }
            for finding in findings
        ],
        indent=2,
    ))


def as_sarif(findings: Sequence[Finding]) -> str:
    """Return a SARIF 2.1.0 log; relative paths are relative to the working directory."""
    rows = [
        (finding.path, finding.line, finding.column, finding.code, finding.text)
        for finding in findings
    ]
    return '{0}\n'.format(sarif.dumps(sarif.build(rows, root=Path.cwd().resolve())))
