"""DJS000: the plugin itself."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class InternalErrorViolation(Violation):
    """
    A rule of flake8-djsec failed on this file; the other rules still ran.

    Reasoning:
        A linter must never take the user's whole flake8 run down. When one of
        our rules meets something it does not understand and raises, we
        report that here, on line 1, print the traceback to standard error,
        and go on with the other rules.

    Solution:
        Report the traceback (standard error) and a minimal file to the
        flake8-djsec issue tracker. Meanwhile ``# noqa: DJS000`` on line 1 or
        ``per-file-ignores = path:DJS000`` silences it.

    Known problems:
        None: this code exists so that our problems never become yours.

    Example::

        # flake8 output
        ./proj/settings.py:1:1: DJS000 internal error in check_debug: KeyError('x'); please report it (traceback on stderr)

    .. versionadded:: 0.1.0
    """

    code = 0
    error_template = 'internal error in {rule}: {error}; please report it (traceback on stderr)'
    scope = Scope.internal
    severity = Severity.none
