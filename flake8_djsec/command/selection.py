"""Which findings a run reports: flake8's select/ignore decision and per-file-ignores."""

from __future__ import annotations

import argparse
from typing import final

from flake8 import exceptions
from flake8.style_guide import Decision, StyleGuideManager

from flake8_djsec.command.errors import UsageError
from flake8_djsec.command.records import Finding


@final
class Selection:
    """flake8's own style guides, asked only whether a code is selected for a file."""

    def __init__(self, options: argparse.Namespace) -> None:
        """Build flake8's style guides (one per ``per-file-ignores`` entry)."""
        try:
            self._guides = StyleGuideManager(options, formatter=None)
        except (exceptions.ExecutionError, ValueError) as error:
            raise UsageError(str(error).splitlines()[0]) from error

    def reports(self, finding: Finding) -> bool:
        """Tell whether flake8 would show this finding (``# noqa`` is judged per file)."""
        guide = self._guides.style_guide_for(finding.path)
        return bool(guide.should_report_error(finding.code) is Decision.Selected)
