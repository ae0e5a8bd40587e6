"""
Version specifiers as ranges of releases: PEP 440 (pip, ``pyproject.toml``) and Poetry's.

A range is what a specifier allows, widened where that is simpler and still safe for
the one question asked of it, "which X.Y series can this be?": ``!=`` is ignored and
``>V`` is read as ``>=V`` (both only ever allow more). Pre-, post- and dev-release
and local parts are dropped (``4.0rc1`` is in the 4.0 series). What cannot be read
(an epoch, ``||`` alternatives, text that is no version) is None, never a guess.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Final, final

#: A release as a fixed-length tuple of integers (``4.2`` is ``(4, 2, 0, 0, 0, 0)``).
Release = tuple[int, ...]
#: An X.Y series.
Series = tuple[int, int]

_WIDTH: Final = 6
#: A specifier longer than this is not read (no real one comes near).
MAX_SPECIFIER: Final = 200
_CLAUSE: Final = re.compile(r'^(===|==|~=|!=|<=|>=|<|>)\s*(\S+)$')
_POETRY_CLAUSE: Final = re.compile(r'^(\^|~(?!=))\s*(\S+)$')
_VERSION: Final = re.compile(
    r'^v?(\d+(?:\.\d+)*)(\.\*)?(?:[-_.]?[a-z][a-z0-9.]*)?(?:\+[a-z0-9.]+)?$', re.IGNORECASE,
)


@final
@dataclasses.dataclass(frozen=True)
class Range:
    """The releases a specifier allows: ``low`` inclusive, ``high`` exclusive, None unbounded."""

    low: Release | None = None
    high: Release | None = None
    #: The one version allowed, as written (``==4.0.1``, a lock file's entry).
    exact: str | None = None

    def series(self, last_minor: int | None) -> Series | None:
        """
        Return the one X.Y series the range allows, or None when it allows several (or any).

        ``last_minor`` is the package's release pattern when it has one: Django ends
        every major series at X.2 (so ``~=4.2``, below 5.0, is 4.2 alone).
        """
        if self.low is None or self.high is None:
            return None
        found: list[Series] = []
        major, minor = self.low[0], self.low[1]
        while _pad((major, minor)) < self.high and len(found) < 2:
            found.append((major, minor))
            if last_minor is not None and minor >= last_minor:
                major, minor = major + 1, 0
            else:
                minor += 1
        return found[0] if len(found) == 1 else None

    def at_least(self, series: Series) -> bool | None:
        """Tell whether every release allowed is at least ``series`` (False: every one below)."""
        bound = _pad(series)
        if self.low is not None and self.low >= bound:
            return True
        if self.high is not None and self.high <= bound:
            return False
        return None


def exact(version: str) -> Range | None:
    """The range of one version (a lock file's entry)."""
    release = _release(version)
    if release is None or release[1]:
        return None
    return Range(release[0], _successor(release[0]), version.strip())


def pep440(text: str) -> Range | None:
    """Read a PEP 440 specifier set (``>=4.2,<5.0``, ``==5.2.*``, ``~=4.2``); empty is any."""
    if len(text) > MAX_SPECIFIER:
        return None
    return _combine(_clauses(text), _pep440_clause)


def poetry(text: str) -> Range | None:
    """Read a Poetry constraint: ``^4.2``, ``~4.2``, ``4.2.1``, ``>=4.2,<5``, ``*``."""
    if '|' in text or len(text) > MAX_SPECIFIER:
        return None
    return _combine([clause for clause in _clauses(text) if clause != '*'], _poetry_clause)


def _clauses(text: str) -> list[str]:
    return [part.strip() for part in text.split(',') if part.strip()]


def _combine(clauses: list[str], read: Callable[[str], Range | None]) -> Range | None:
    """The intersection of what each clause allows; None when one cannot be read."""
    found = Range()
    for clause in clauses:
        narrowed = read(clause)
        if narrowed is None:
            return None
        found = _intersect(found, narrowed)
    return _satisfiable(found)


def _pep440_clause(clause: str) -> Range | None:
    matched = _CLAUSE.match(clause)
    return None if matched is None else _clause(matched.group(1), matched.group(2))


def _poetry_clause(clause: str) -> Range | None:
    matched = _POETRY_CLAUSE.match(clause)
    if matched is None:
        return _pep440_clause(clause) if _CLAUSE.match(clause) else _clause('==', clause)
    return _poetry_operator(matched.group(1), matched.group(2))


def _poetry_operator(operator: str, version: str) -> Range | None:
    """``^4.2`` is ``>=4.2,<5``, ``^0.2.3`` is ``>=0.2.3,<0.3``; ``~4.2`` is ``>=4.2,<4.3``."""
    release = _release(version)
    if release is None or release[1]:
        return None
    parts = _parts(version)
    prefix = _caret_prefix(parts) if operator == '^' else parts[:2]
    return Range(release[0], _pad(_bump(prefix)))


def _caret_prefix(parts: tuple[int, ...]) -> tuple[int, ...]:
    """``^`` allows changes that keep the first non-zero part (the last part if all are 0)."""
    for index, part in enumerate(parts):
        if part:
            return parts[:index + 1]
    return parts


def _clause(operator: str, version: str) -> Range | None:
    release = _release(version)
    if release is None:
        return None
    low, wildcard = release
    if operator in {'==', '==='}:
        if wildcard:
            return Range(low, _pad(_bump(_parts(version))))
        return Range(low, _successor(low), version)
    if wildcard or operator == '!=':
        return Range() if operator == '!=' else None
    return _ordered(operator, low, _parts(version))


def _ordered(operator: str, low: Release, parts: tuple[int, ...]) -> Range | None:
    if operator == '~=':
        if len(parts) < 2:
            return None  # ~=4 is invalid
        return Range(low, _pad(_bump(parts[:-1])))
    if operator in {'>=', '>'}:
        return Range(low=low)
    if operator == '<':
        return Range(high=low)
    return Range(high=_successor(low))  # <=


def _intersect(first: Range, second: Range) -> Range:
    lows = [bound for bound in (first.low, second.low) if bound is not None]
    highs = [bound for bound in (first.high, second.high) if bound is not None]
    return Range(
        max(lows) if lows else None,
        min(highs) if highs else None,
        first.exact or second.exact,
    )


def _satisfiable(found: Range) -> Range | None:
    if found.low is not None and found.high is not None and found.low >= found.high:
        return None
    return found


def _release(version: str) -> tuple[Release, bool] | None:
    """A version's release and whether it ends in ``.*``; None for what is no version."""
    matched = _VERSION.match(version.strip())
    if matched is None:
        return None
    return _pad(_parts(version)), matched.group(2) is not None


def _parts(version: str) -> tuple[int, ...]:
    matched = _VERSION.match(version.strip())
    if matched is None:
        return ()
    return tuple(int(part) for part in matched.group(1).split('.'))[:_WIDTH]


def _bump(parts: tuple[int, ...]) -> tuple[int, ...]:
    return (*parts[:-1], parts[-1] + 1)


def _successor(release: Release) -> Release:
    """The smallest release above ``release``: one more in the last place we keep."""
    return _bump(release)


def _pad(parts: tuple[int, ...]) -> Release:
    return tuple(parts[index] if index < len(parts) else 0 for index in range(_WIDTH))
