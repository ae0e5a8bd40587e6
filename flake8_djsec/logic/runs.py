"""
What one run of the plugin computes once and shares between the files it lints.

A folder of N settings modules is judged through the same few deployment modules
whichever member is linted: without sharing, each member would re-scan the
folders and re-evaluate every deployment, N times the work of one file.

A run is one configuration object: flake8 builds the plugin's configuration once
per invocation (``parse_options``) and hands it to every file. Within a run the
files on disk are taken as they were when first read; a call with another
configuration object starts a new run and forgets everything, so an editor that
keeps flake8 loaded (one invocation per lint) sees every edit. Outside a run
(a helper called on its own) nothing is remembered.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from typing import Final, TypeVar, cast, final

_Value = TypeVar('_Value')


@final
class RunMemory:
    """Values computed once per run, forgotten when the next run starts."""

    def __init__(self) -> None:
        """Start outside any run."""
        self._token: object = None
        self._active = False
        self._values: dict[Hashable, object] = {}

    @contextlib.contextmanager
    def active(self, token: object) -> Iterator[None]:
        """Work inside the run ``token`` names; a new token forgets the previous run."""
        if token is not self._token:
            self._token = token
            self._values = {}
        was_active = self._active
        self._active = True
        try:
            yield
        finally:
            self._active = was_active

    def remember(self, key: Hashable, compute: Callable[[], _Value]) -> _Value:
        """Return the value remembered under ``key`` in this run, computing it the first time."""
        if not self._active:
            return compute()
        if key not in self._values:
            self._values[key] = compute()
        return cast(_Value, self._values[key])


#: The memory of the current run, one per process (each ``--jobs`` worker has its own).
RUN: Final = RunMemory()
