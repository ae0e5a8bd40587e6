"""
A project's deployment files, read by the readers (imported only when such files exist).

``files`` finds them; each reader reads its kind; processes declared in files
with a development name are development ones.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import Final

from flake8_djsec.logic.deployment import (
    compose,
    docker,
    exclusions,
    kubernetes,
    platforms,
    servers,
)
from flake8_djsec.logic.deployment.files import kind_of, walk
from flake8_djsec.logic.deployment.model import Declared, Kind, Process, Variable
from flake8_djsec.logic.deployment.reading import Reading


def read(
    root: str,
    is_development: Callable[[str], bool],
    found: tuple[Sequence[str], Reading] | None = None,
) -> Declared:
    """Read every deployment file below a root (``found``: the walk already made)."""
    reading = Reading(root) if found is None else found[1]
    files = walk(root, reading) if found is None else list(found[0])
    by_kind: dict[str, list[str]] = {}
    for path in files:
        kind = kind_of(reading.relative(path))
        if kind is not None:
            by_kind.setdefault(kind, []).append(path)
    processes: list[Process] = []
    for path in by_kind.get('compose', []):
        processes.extend(compose.read(reading, path, is_development))
    built = _built_images(processes, is_development)
    for kind, reader in _READERS:
        for path in by_kind.get(kind, []):
            processes.extend(
                process for process in reader(reading, path) if not _is_built(process, built)
            )
    procfiles = by_kind.get('procfile', [])
    app_json = by_kind.get('app.json', [])
    for path in app_json:
        processes.extend(platforms.read_app_json(reading, path, bool(procfiles)))
    for path in procfiles:
        variables = _app_json_variables(reading, path, app_json)
        processes.extend(platforms.read_procfile(reading, path, variables))
    marked = [_marked(process, is_development) for process in processes]
    loaded = {variable.where.path for process in marked for variable in process.variables}
    env_files = [
        reading.relative(path)
        for path in files
        if kind_of(reading.relative(path)) is None and reading.relative(path) not in loaded
    ]
    return Declared(root, tuple(marked), reading.unknowns, tuple(env_files))


def _built_images(processes: Sequence[Process], is_development: Callable[[str], bool]) -> set[str]:
    """The Dockerfiles a deployment compose service builds: the service runs their image."""
    return {
        process.image for process in processes
        if process.image and _marked(process, is_development).kind is Kind.deployment
    }


def _is_built(process: Process, built: set[str]) -> bool:
    """
    A Dockerfile's container that a compose service runs is that service, listed once.

    The service has the image's ``ENV`` under its own variables and the image's
    ``CMD`` unless it overrides ``command:``; the Dockerfile's build steps stay.
    """
    return process.label in built and process.kind is Kind.deployment


def _app_json_variables(
    reading: Reading, procfile: str, app_json: Sequence[str],
) -> tuple[Variable, ...]:
    beside = os.path.join(os.path.dirname(procfile), 'app.json')
    if beside not in app_json:
        return ()
    return platforms.app_json_variables(reading, beside) or ()


def _marked(process: Process, is_development: Callable[[str], bool]) -> Process:
    """A process declared in a file with a development name is a development one."""
    if process.kind is Kind.deployment and is_development(process.where.path.rsplit('/', 1)[-1]):
        return dataclasses.replace(
            process,
            kind=Kind.development,
            reason='{0} (development file name)'.format(process.reason),
        )
    return process


_Reader = Callable[[Reading, str], list[Process]]
_READERS: Final[tuple[tuple[str, _Reader], ...]] = (  # noqa: WPS234 - pairs of kind and reader
    ('dockerfile', docker.read),
    ('fly', platforms.read_fly),
    ('render', platforms.read_render),
    ('app-spec', platforms.read_app_spec),
    ('uwsgi', servers.read_uwsgi),
    ('gunicorn', servers.read_gunicorn),
    ('systemd', servers.read_systemd),
    ('kubernetes', kubernetes.read),
    ('tests', exclusions.read_test_config),
    ('ci', exclusions.read_workflow),
)
