"""
From declared processes to deployment modules and the variables each runs with.

- The modules deployment processes name (a compose service running gunicorn, a
  Dockerfile's ``ENV``, a Procfile's ``web:``...) are the deployments; a process
  that names none runs the default module (``wsgi.py``'s), with its variables.
- Modules only tests, CI or a build step name are not deployments; nor are
  those of processes declared in development files.
- Several processes may name one module: its variables are the first one's
  (servers before workers, files in path order).
- Variables: the deployment files' values, then ``--djsec-env-file`` files in
  order, then ``--djsec-env``: a later source wins.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final, final

from flake8_djsec.logic.deployment.model import Declared, Environment, Kind, Process, Variable


#: Words that mark a deployment file as production's, preferred when several name a module.
_PRODUCTION_WORDS: Final = frozenset(('prod', 'production', 'live', 'release', 'deploy'))
_WORDS: Final = re.compile('[^a-z0-9]+')


@final
@dataclasses.dataclass(frozen=True)
class Plan:
    """Deployment modules by file, modules ruled out, and the default module's processes."""

    named: Mapping[str, Process]
    excluded: Mapping[str, Process]
    defaults: tuple[Process, ...]
    #: Declared processes whose module names no file of the project.
    unresolved: tuple[Process, ...] = ()


def plan(declared: Declared, resolve: Callable[[str], str | None]) -> Plan:
    """Sort a project's declared processes into deployments, exclusions and defaults."""
    named: dict[str, Process] = {}
    excluded: dict[str, Process] = {}
    defaults: list[Process] = []
    unresolved: list[Process] = []
    ordered = sorted(declared.processes, key=_rank)
    for process in ordered:
        if process.kind is Kind.development:
            continue  # neither a deployment nor a reason to rule its module out
        if process.module is None:
            if process.kind is Kind.deployment:
                defaults.append(process)
            continue
        path = resolve(process.module)
        if path is None:
            unresolved.append(process)
        elif process.kind is Kind.deployment:
            named.setdefault(path, process)
        else:
            excluded.setdefault(path, process)
    return Plan(
        named,
        {path: process for path, process in excluded.items() if path not in named},
        tuple(defaults),
        tuple(unresolved),
    )


def _rank(process: Process) -> tuple[bool, bool]:
    """Servers and workers first, then files with a production word in their path."""
    words = set(_WORDS.split(process.where.path.lower()))
    return not process.reason.startswith('runs '), not words & _PRODUCTION_WORDS


def environment(
    process: Process | None,
    given_files: Sequence[Sequence[Variable]] = (),
    given: Mapping[str, str] | None = None,
) -> Environment:
    """The variables of a deployment: its files', then the given files', then the options'."""
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    committed: set[str] = set()
    layers: list[Sequence[Variable]] = [process.variables if process else ()]
    layers.extend(given_files)
    for layer in layers:
        for variable in layer:
            values[variable.name] = variable.value
            origins[variable.name] = variable.origin()
            if variable.committed:
                committed.add(variable.name)
            else:
                committed.discard(variable.name)
    for name, value in (given or {}).items():
        values[name] = value
        origins.pop(name, None)
        committed.discard(name)
    return Environment(values, origins, frozenset(committed))
