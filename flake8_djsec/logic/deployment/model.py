"""What the readers report: processes, their variables, and what could not be read."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import final

#: The variable naming the settings module.
SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE'
#: What an origin says of a file that is not in the repository.
NOT_COMMITTED = ' (not committed)'


def written_in_repository(origin: str | None) -> bool:
    """Tell whether a value's origin is the source or a committed file, not a given variable."""
    return origin is None or NOT_COMMITTED not in origin


@enum.unique
class Kind(enum.Enum):
    """What a declared process is: a deployment, or a reason its module is not one."""

    deployment = 'deployment'
    development = 'development name'
    build = 'build-only'
    ci = 'CI-only'
    tests = 'tests-only'


@final
@dataclasses.dataclass(frozen=True, order=True)
class Where:
    """A place in a file: its path relative to the project root (POSIX) and a 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        """Render as ``path:line`` (the path alone when the line is unknown)."""
        return '{0}:{1}'.format(self.path, self.line) if self.line else self.path


@final
@dataclasses.dataclass(frozen=True)
class Variable:
    """An environment variable a file sets: its value, where, and what loads it."""

    name: str
    value: str
    where: Where
    #: The process that loads the file, when the file is not the process's own
    #: (an env file loaded by a compose service): ``docker-compose.yml service web``.
    loaded_by: str = ''
    #: The file holding the value is in the repository (present, not ignored by git).
    committed: bool = False

    def origin(self) -> str:
        """
        Describe the variable for a message: ``from NAME in FILE, loaded by PROCESS``.

        A file that is not in the repository (missing, or ignored by ``.gitignore``)
        says so: its values are given, not written in the repository.
        """
        text = 'from {0} in {1}'.format(self.name, self.where.path)
        if not self.committed:
            text = '{0}{1}'.format(text, NOT_COMMITTED)
        if self.loaded_by:
            return '{0}, loaded by {1}'.format(text, self.loaded_by)
        return text


@final
@dataclasses.dataclass(frozen=True)
class Process:
    """A process a file declares: what it runs, the module it names, its variables."""

    label: str
    where: Where
    kind: Kind
    #: The settings module it names (dotted), None when it names none (the default one).
    module: str | None = None
    module_where: Where | None = None
    variables: tuple[Variable, ...] = ()
    #: Why it is of its kind, for ``flake8-djsec deployments``: ``runs gunicorn``.
    reason: str = ''
    #: The Dockerfile a compose service builds its image from (relative path, '' for none).
    image: str = ''


@final
@dataclasses.dataclass(frozen=True)
class Unknown:
    """A file, or a part of it, that could not be read: said once, never a finding."""

    where: Where
    reason: str


@final
@dataclasses.dataclass(frozen=True)
class Declared:
    """Everything the deployment files of one project root say."""

    root: str
    processes: tuple[Process, ...] = ()
    unknowns: tuple[Unknown, ...] = ()
    #: Env files found in the repository that no declared process loads.
    unused_env_files: tuple[str, ...] = ()


@final
class Environment(dict[str, str]):  # noqa: WPS600 - the evaluator's variables, with origins
    """
    The variables a deployment runs with, and where each came from.

    The evaluator takes it as its ``variables``; ``origins`` names the file of
    each value (``from DJANGO_DEBUG in .envs/.production/.django, loaded by
    docker-compose.production.yml service web``), ``committed`` the names whose
    value is written in a file of the repository. A variable the analysed code
    sets forgets its origin.
    """

    def __init__(
        self,
        values: dict[str, str] | None = None,
        origins: dict[str, str] | None = None,
        committed: frozenset[str] = frozenset(),  # noqa: WPS404 - immutable
    ) -> None:
        """Hold ``values``, their ``origins``, and the ``committed`` names."""
        super().__init__(values or {})
        self.origins = dict(origins or {})
        self.committed = committed

    def __setitem__(self, key: str, value: str) -> None:
        """Set a variable: its value no longer comes from a file."""
        self.origins.pop(key, None)
        super().__setitem__(key, value)

    def copy(self) -> Environment:
        """A copy that keeps the origins."""
        return Environment(dict(self), self.origins, self.committed)


def copy_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """Copy an evaluator's variables, keeping an ``Environment``'s origins."""
    if isinstance(variables, Environment):
        return variables.copy()
    return dict(variables)
