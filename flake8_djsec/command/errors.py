"""The command's one error: a usage or configuration mistake, told in one line."""

from __future__ import annotations

from typing import final


@final
class UsageError(Exception):
    """A bad argument, option value or configuration file; exit status 2."""
