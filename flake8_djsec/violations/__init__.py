"""The catalogue: one ``@final`` class per ``DJS`` code."""

from __future__ import annotations

import inspect
from typing import Final

from flake8_djsec.violations import admin, auth, code, csp, csrf, headers, https, internal, secrets
from flake8_djsec.violations.base import Violation

_MODULES: Final = (internal, secrets, https, csrf, headers, csp, admin, auth, code)


def _collect() -> tuple[type[Violation], ...]:
    found = [
        member
        for module in _MODULES
        for _, member in inspect.getmembers(module, inspect.isclass)
        if issubclass(member, Violation) and member is not Violation
        and member.__module__ == module.__name__
    ]
    return tuple(sorted(found, key=lambda violation: violation.code))


#: Every violation class, ordered by code.
CATALOGUE: Final = _collect()


def by_code(code: str) -> type[Violation] | None:
    """Return the violation class for a code such as ``DJS100``."""
    for violation in CATALOGUE:
        if violation.full_code() == code.upper():
            return violation
    return None
