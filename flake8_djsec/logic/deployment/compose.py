"""
Compose files (``docker-compose*.yml``, ``compose*.yaml``): the services that run Django.

A service is a Django process when its command (or its image's, from the
Dockerfile its ``build:`` names) runs a WSGI/ASGI server, ``manage.py runserver``
or a worker, or when its environment names ``DJANGO_SETTINGS_MODULE``. Its
variables are, lowest first: its Dockerfile's ``ENV``, its ``env_file:`` files in
order, its ``environment:``; values are interpolated from the project's ``.env``
as compose does. ``extends:`` and ``include:`` are followed, cycle-safe and
depth-capped. A compose file whose name is a development word
(``docker-compose.local.yml``) declares development processes, and so does a
service whose name is one (``app-dev``), that loads an env file from a folder named
by one (``env.d/development/common``) or whose ``DJANGO_CONFIGURATION`` is one.
"""

from __future__ import annotations

import dataclasses
import os
import types
from collections.abc import Callable, Sequence
from typing import Final

from flake8_djsec.logic.deployment import commands, docker, envfiles, yamldocs
from flake8_djsec.logic.deployment.interpolation import interpolate
from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE, Kind, Process, Variable
from flake8_djsec.logic.deployment.reading import Reading

#: How deep ``extends:`` and ``include:`` are followed.
MAX_DEPTH: Final = 8
_DJANGO_RUNS: Final = frozenset((commands.Runs.server, commands.Runs.worker))
_KINDS: Final = types.MappingProxyType({
    commands.Runs.tests: Kind.tests, commands.Runs.build: Kind.build,
})


def read(
    reading: Reading,
    path: str,
    is_development: Callable[[str], bool],
    seen: frozenset[str] = frozenset(),  # noqa: WPS404 - immutable
) -> list[Process]:
    """The Django processes of a compose file (and of the files it includes)."""
    if path in seen or len(seen) > MAX_DEPTH:
        reading.unknown(path, 'an include: cycle or chain deeper than {0}'.format(MAX_DEPTH))
        return []
    document = _document(reading, path)
    if document is None:
        return []
    processes: list[Process] = []
    for included in _includes(reading, path, document):
        processes.extend(read(reading, included, is_development, seen | {path}))
    services = yamldocs.child(document, 'services')
    if isinstance(services, yamldocs.Map):
        known = _project_env(reading, path)
        development = is_development(os.path.basename(path))
        for name in services:
            service = _resolved(reading, path, services, name, frozenset())
            if isinstance(service, yamldocs.Map):
                found = _process(reading, path, name, service, known, development)
                if found is not None:
                    processes.append(_developing(found, name, is_development))
    return processes


def _developing(process: Process, name: str, is_development: Callable[[str], bool]) -> Process:
    """A service a development name, env file folder or configuration marks is development."""
    if process.kind is not Kind.deployment:
        return process
    reason = ''
    if is_development(name):
        reason = 'a service with a development name'
    for variable in process.variables:
        if variable.where.path != process.where.path and is_development(variable.where.path):
            reason = reason or 'loads {0}, a development env file'.format(variable.where.path)
        if variable.name == 'DJANGO_CONFIGURATION' and is_development(variable.value):
            reason = reason or 'runs the configuration {0}'.format(variable.value)
    if not reason:
        return process
    return dataclasses.replace(process, kind=Kind.development, reason=reason)


def _document(reading: Reading, path: str) -> yamldocs.Map | None:
    text = reading.text(path)
    if text is None:
        return None
    documents = yamldocs.load(text)
    if isinstance(documents, str):
        reading.unknown(path, documents)
        return None
    if not documents or not isinstance(documents[0], yamldocs.Map):
        reading.unknown(path, 'not a compose file (no mapping)')
        return None
    return documents[0]


def _includes(reading: Reading, path: str, document: yamldocs.Map) -> list[str]:
    entries = yamldocs.child(document, 'include')
    if not isinstance(entries, list):
        return []
    found: list[str] = []
    for entry in entries:
        named = yamldocs.child(entry, 'path') if isinstance(entry, yamldocs.Map) else entry
        for item in named if isinstance(named, list) else [named]:
            if isinstance(item, str):
                found.append(os.path.normpath(os.path.join(os.path.dirname(path), item)))
    return found


def _project_env(reading: Reading, path: str) -> dict[str, str]:
    """The project ``.env`` beside the compose file: compose interpolates from it."""
    dotenv = os.path.join(os.path.dirname(path), '.env')
    if not os.path.isfile(dotenv):
        return {}
    variables = envfiles.read(reading, dotenv) or []
    return {variable.name: variable.value for variable in variables}


def _resolved(
    reading: Reading,
    path: str,
    services: yamldocs.Map,
    name: str,
    seen: frozenset[tuple[str, str]],
) -> yamldocs.Map | None:
    """A service with what it ``extends:`` merged under it (cycle-safe)."""
    service = services.get(name)
    if not isinstance(service, yamldocs.Map):
        return None
    extends = service.get('extends')
    if extends is None:
        return service
    base_name = extends if isinstance(extends, str) else yamldocs.child(extends, 'service')
    base_file = yamldocs.child(extends, 'file') if isinstance(extends, yamldocs.Map) else None
    base_path = (
        path
        if not isinstance(base_file, str)
        else os.path.normpath(
            os.path.join(os.path.dirname(path), base_file),
        )
    )
    key = (base_path, str(base_name))
    if key in seen or len(seen) > MAX_DEPTH or not isinstance(base_name, str):
        reading.unknown(path, 'an extends: cycle or chain', service.line_of('extends'))
        return None
    base_services = (
        services
        if base_path == path
        else yamldocs.child(
            _document(reading, base_path),
            'services',
        )
    )
    if not isinstance(base_services, yamldocs.Map):
        return None
    base = _resolved(reading, base_path, base_services, base_name, seen | {(path, name)} | {key})
    if base is None:
        return None
    merged = yamldocs.Map(service.line)
    for source in (base, service):
        for key_name, item in source.items():
            merged[key_name] = item
            merged.lines[key_name] = source.line_of(key_name)
    return merged


def _process(  # noqa: WPS210, WPS211 - one service's parts are read in one place
    reading: Reading,
    path: str,
    name: str,
    service: yamldocs.Map,
    known: dict[str, str],
    development: bool,
) -> Process | None:
    label = '{0} service {1}'.format(reading.relative(path), name)
    dockerfile = _dockerfile(path, service)
    image = docker.image(reading, dockerfile) if dockerfile is not None else None
    variables: dict[str, Variable] = (
        {} if image is None else {variable.name: variable for variable in image.variables}
    )
    for env_file in _env_files(reading, path, service, known):
        loaded = envfiles.read(reading, env_file, label) if os.path.isfile(env_file) else None
        if loaded is None and not os.path.isfile(env_file):
            reading.unknown(
                path,
                'env_file {0} is not in the repository'.format(
                    reading.relative(env_file),
                ),
                service.line_of('env_file'),
            )
        variables.update({variable.name: variable for variable in loaded or []})
    committed = reading.committed(path)
    for env_name, raw, line in yamldocs.environment(service.get('environment')):
        value = None if raw is None else interpolate(raw, known)
        if value is None:
            variables.pop(env_name, None)
            continue
        variables[env_name] = Variable(
            env_name,
            value,
            reading.where(path, line),
            committed=committed,
        )
    step = _step(service, image)
    module = variables.get(SETTINGS_VARIABLE)
    named = step.module if step is not None else None
    runs = step.runs if step is not None else commands.Runs.other
    if runs not in _DJANGO_RUNS and runs not in _KINDS and module is None and named is None:
        return None
    kind = Kind.development if development else _KINDS.get(runs, Kind.deployment)
    where = reading.where(
        path, service.line_of('command') if 'command' in service else service.line
    )
    return Process(
        label,
        where,
        kind,
        named or (module.value if module else None),
        where if named else (module.where if module else None),
        tuple(variables.values()),
        _reason(step, development),
        '' if dockerfile is None else reading.relative(dockerfile),
    )


def _reason(step: commands.Step | None, development: bool) -> str:
    if development:
        return 'a compose file with a development name'
    if step is not None and step.runs is not commands.Runs.other:
        return 'runs {0}'.format(step.program)
    return 'sets {0}'.format(SETTINGS_VARIABLE)


def _step(service: yamldocs.Map, image: docker.Image | None) -> commands.Step | None:
    steps: list[commands.Step] = []
    for key in ('entrypoint', 'command'):
        written = service.get(key)
        if isinstance(written, (str, list)):
            read = commands.read(
                written if isinstance(written, str) else [str(word) for word in written]
            )
            steps.extend([] if read.main is None else [read.main])
    if not steps and image is not None and image.command is not None:
        steps.append(image.command)
    return commands.Command(tuple(steps)).main


def _dockerfile(path: str, service: yamldocs.Map) -> str | None:
    """The Dockerfile a service's ``build:`` names (``Dockerfile`` in its context by default)."""
    build = service.get('build')
    if isinstance(build, str):
        context, dockerfile = build, 'Dockerfile'
    elif isinstance(build, yamldocs.Map):
        context = str(build.get('context') or '.')
        dockerfile = str(build.get('dockerfile') or 'Dockerfile')
    else:
        return None
    target = os.path.normpath(os.path.join(os.path.dirname(path), context, dockerfile))
    return target if os.path.isfile(target) else None


def _env_files(
    reading: Reading,
    path: str,
    service: yamldocs.Map,
    known: dict[str, str],
) -> Sequence[str]:
    written = service.get('env_file')
    entries = written if isinstance(written, list) else [written]
    found: list[str] = []
    for entry in entries:
        named = yamldocs.child(entry, 'path') if isinstance(entry, yamldocs.Map) else entry
        if not isinstance(named, str):
            continue
        expanded = interpolate(named, known)
        if expanded is None:
            reading.unknown(path, 'an env_file path that cannot be decided', service.line)
            continue
        found.append(os.path.normpath(os.path.join(os.path.dirname(path), expanded)))
    return found
