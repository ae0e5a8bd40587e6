"""
Platform manifests: Procfile, ``app.json`` (Heroku), ``fly.toml``, ``render.yaml``.

A process line (Procfile ``web:``, fly ``[processes]``, render ``startCommand``)
is a deployment when it runs a server or worker; ``release:``/``buildCommand``
lines that name a module are build-only. The platform's variables (``app.json``
``env``, fly ``[env]``, render ``envVars``) belong to every process it declares.
JSON and TOML are read by the standard library (``tomli`` on Python 3.10).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from typing import Any, Final, cast

from flake8_djsec.logic.deployment import commands, yamldocs
from flake8_djsec.logic.deployment.interpolation import interpolate
from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE, Kind, Process, Variable, Where
from flake8_djsec.logic.deployment.reading import Reading

_PROCFILE_LINE: Final = re.compile(r'^(?P<name>[A-Za-z0-9_-]+):\s*(?P<command>.+)$')
_BUILD_NAMES: Final = frozenset(('release', 'build', 'predeploy', 'preDeployCommand'))


def process(  # noqa: WPS211 - the parts of one declared process
    label: str,
    where: Where,
    command: str | list[str],
    variables: tuple[Variable, ...],
    build: bool = False,
) -> Process | None:
    """A declared process from its command line and variables; None when it is no Django one."""
    step = commands.read(command).main
    module_variable = next(
        (variable for variable in variables if variable.name == SETTINGS_VARIABLE),
        None,
    )
    named = step.module if step is not None else None
    runs = step.runs if step is not None else commands.Runs.other
    module = named or (module_variable.value if module_variable else None)
    module_where = where if named else (module_variable.where if module_variable else None)
    if build or runs in {commands.Runs.build, commands.Runs.tests}:
        if named is None:
            return None
        kind = Kind.tests if runs is commands.Runs.tests else Kind.build
        return Process(label, where, kind, named, where, (), 'a {0} step'.format(kind.value))
    if runs in {commands.Runs.server, commands.Runs.worker}:
        program = step.program if step is not None else ''
        return Process(
            label,
            where,
            Kind.deployment,
            module,
            module_where,
            variables,
            'runs {0}'.format(program),
        )
    return None


def read_procfile(
    reading: Reading, path: str, variables: tuple[Variable, ...] = ()
) -> list[Process]:
    """Procfile: ``NAME: command`` lines."""
    text = reading.text(path)
    if text is None:
        return []
    found: list[Process] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _PROCFILE_LINE.match(line.strip())
        if match is None or line.lstrip().startswith('#'):
            continue
        name = match.group('name')
        declared = process(
            '{0} {1}'.format(reading.relative(path), name),
            reading.where(path, number),
            match.group('command'),
            variables,
            build=name in _BUILD_NAMES,
        )
        found.extend([] if declared is None else [declared])
    return found


def _line_of(text: str, key: str) -> int:
    """The first line naming a key (JSON and TOML loaders keep no lines)."""
    pattern = re.compile(r'(^|["\s]){0}(["\s=:]|$)'.format(re.escape(key)))
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 0


def app_json_variables(reading: Reading, path: str) -> tuple[Variable, ...] | None:
    """``app.json``'s ``env``: ``{"NAME": "value"}`` or ``{"NAME": {"value": ...}}``."""
    text = reading.text(path)
    if text is None:
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        reading.unknown(path, 'malformed JSON')
        return None
    env = document.get('env') if isinstance(document, dict) else None
    if not isinstance(env, dict):
        return ()
    committed = reading.committed(path)
    found: list[Variable] = []
    for name, entry in env.items():
        value = entry.get('value') if isinstance(entry, dict) else entry
        if isinstance(value, str) and not (isinstance(entry, dict) and entry.get('generator')):
            found.append(
                Variable(
                    name, value, reading.where(path, _line_of(text, name)), committed=committed
                )
            )
    return tuple(found)


def read_app_json(reading: Reading, path: str, has_procfile: bool) -> list[Process]:
    """``app.json`` alone declares a process only through its ``scripts`` (build steps)."""
    variables = app_json_variables(reading, path)
    if variables is None or has_procfile:
        return []
    module = next((variable for variable in variables if variable.name == SETTINGS_VARIABLE), None)
    if module is None:
        return []
    label = reading.relative(path)
    return [
        Process(
            label,
            module.where,
            Kind.deployment,
            module.value,
            module.where,
            variables,
            'sets {0}'.format(SETTINGS_VARIABLE),
        )
    ]


def _toml(text: str) -> dict[str, Any] | None:
    """``tomllib`` (3.11+) or ``tomli`` (3.10); None when malformed or no parser is there."""
    name = 'tomllib' if sys.version_info >= (3, 11) else 'tomli'
    try:
        loads = importlib.import_module(name).loads
    except ImportError:
        return None
    try:  # TOMLDecodeError is a ValueError in both
        return cast(dict[str, Any], loads(text))
    except (RecursionError, ValueError):
        return None


def read_fly(reading: Reading, path: str) -> list[Process]:
    """``fly.toml``: ``[env]``, ``[processes]``, ``[deploy] release_command``."""
    text = reading.text(path)
    if text is None:
        return []
    document = _toml(text)
    if document is None:
        reading.unknown(path, 'malformed TOML')
        return []
    label = reading.relative(path)
    committed = reading.committed(path)
    env = document.get('env')
    variables = tuple(
        Variable(name, str(value), reading.where(path, _line_of(text, name)), committed=committed)
        for name, value in (env.items() if isinstance(env, dict) else ())
        if isinstance(value, (str, int, float, bool))
    )
    found: list[Process] = []
    processes = document.get('processes')
    if isinstance(processes, dict):
        for name, command in processes.items():
            if isinstance(command, str):
                declared = process(
                    '{0} process {1}'.format(label, name),
                    reading.where(path, _line_of(text, name)),
                    command,
                    variables,
                )
                found.extend([] if declared is None else [declared])
    release = (
        document.get('deploy', {}).get('release_command')
        if isinstance(document.get('deploy'), dict)
        else None
    )
    if isinstance(release, str):
        declared = process(
            '{0} release_command'.format(label),
            reading.where(path, _line_of(text, 'release_command')),
            release,
            (),
            build=True,
        )
        found.extend([] if declared is None else [declared])
    if not any(item.kind is Kind.deployment for item in found):
        module = next(
            (variable for variable in variables if variable.name == SETTINGS_VARIABLE), None
        )
        if module is not None:
            found.append(
                Process(
                    label,
                    module.where,
                    Kind.deployment,
                    module.value,
                    module.where,
                    variables,
                    'sets {0}'.format(SETTINGS_VARIABLE),
                )
            )
    return found


def read_render(reading: Reading, path: str) -> list[Process]:
    """``render.yaml``: each service's ``startCommand``, ``buildCommand`` and ``envVars``."""
    text = reading.text(path)
    if text is None:
        return []
    documents = yamldocs.load(text)
    if isinstance(documents, str):
        reading.unknown(path, documents)
        return []
    services = yamldocs.child(documents[0] if documents else None, 'services')
    if not isinstance(services, list):
        return []
    committed = reading.committed(path)
    found: list[Process] = []
    for service in services:
        if not isinstance(service, yamldocs.Map):
            continue
        name = str(service.get('name') or service.get('type') or 'service')
        label = '{0} service {1}'.format(reading.relative(path), name)
        variables = _render_variables(reading, path, service.get('envVars'), committed)
        start = service.get('startCommand')
        if isinstance(start, str):
            declared = process(
                label, reading.where(path, service.line_of('startCommand')), start, variables
            )
            found.extend([] if declared is None else [declared])
        build = service.get('buildCommand')
        if isinstance(build, str):
            declared = process(
                '{0} buildCommand'.format(label),
                reading.where(path, service.line_of('buildCommand')),
                build,
                (),
                build=True,
            )
            found.extend([] if declared is None else [declared])
    return found


def _render_variables(
    reading: Reading, path: str, entries: object, committed: bool
) -> tuple[Variable, ...]:
    found: list[Variable] = []
    if not isinstance(entries, yamldocs.Seq):
        return ()
    for entry, line in zip(entries, entries.lines):
        key = yamldocs.child(entry, 'key')
        value = yamldocs.child(entry, 'value')
        if isinstance(key, str) and isinstance(value, str):
            found.append(Variable(key, value, reading.where(path, line), committed=committed))
    return tuple(found)


def read_app_spec(reading: Reading, path: str) -> list[Process]:
    """
    DigitalOcean App Platform specs (``.do/app.yaml``) and Google App Engine ``app.yaml``.

    DigitalOcean: ``services``/``workers``/``jobs`` (under ``spec:`` in a deploy
    template), each with ``run_command`` and ``envs`` (``key``/``value``; build-time
    only ones are not the process's). App Engine: ``entrypoint`` and ``env_variables``.
    """
    text = reading.text(path)
    if text is None:
        return []
    documents = yamldocs.load(text)
    if isinstance(documents, str):
        reading.unknown(path, documents)
        return []
    document = documents[0] if documents else None
    spec = yamldocs.child(document, 'spec') or document
    committed = reading.committed(path)
    label = reading.relative(path)
    found: list[Process] = []
    for section in ('services', 'workers', 'jobs'):
        entries = yamldocs.child(spec, section)
        for entry in entries if isinstance(entries, list) else []:
            found.extend(_do_component(reading, path, label, entry, committed))
    if isinstance(spec, yamldocs.Map) and 'entrypoint' in spec:
        found.extend(_app_engine(reading, path, label, spec, committed))
    return found


def _do_component(
    reading: Reading, path: str, label: str, entry: object, committed: bool,
) -> list[Process]:
    if not isinstance(entry, yamldocs.Map):
        return []
    name = '{0} component {1}'.format(label, entry.get('name'))
    variables: list[Variable] = []
    envs = entry.get('envs')
    for env, line in zip(envs, envs.lines) if isinstance(envs, yamldocs.Seq) else ():
        key = yamldocs.child(env, 'key')
        value = yamldocs.child(env, 'value')
        scope = yamldocs.child(env, 'scope')
        if isinstance(value, str):
            value = interpolate(value, {})  # ``${db.DATABASE_URL}``: a platform binding
        if isinstance(key, str) and isinstance(value, str) and scope != 'BUILD_TIME':
            variables.append(Variable(key, value, reading.where(path, line), committed=committed))
    run = entry.get('run_command')
    where = reading.where(path, entry.line_of('run_command'))
    declared = process(name, where, run, tuple(variables)) if isinstance(run, str) else None
    if declared is None:
        declared = _module_process(name, tuple(variables))
    return [] if declared is None else [declared]


def _module_process(label: str, variables: tuple[Variable, ...]) -> Process | None:
    """A platform component with no command we know, whose variables name the module."""
    module = next((variable for variable in variables if variable.name == SETTINGS_VARIABLE), None)
    if module is None:
        return None
    return Process(
        label, module.where, Kind.deployment, module.value, module.where, variables,
        'sets {0}'.format(SETTINGS_VARIABLE),
    )


def _app_engine(
    reading: Reading, path: str, label: str, spec: yamldocs.Map, committed: bool,
) -> list[Process]:
    env = spec.get('env_variables')
    if not isinstance(env, yamldocs.Map):
        env = yamldocs.Map(spec.line)
    variables = tuple(
        Variable(name, value, reading.where(path, env.line_of(name)), committed=committed)
        for name, value in env.items()
        if isinstance(value, str)
    )
    entrypoint = spec.get('entrypoint')
    where = reading.where(path, spec.line_of('entrypoint'))
    declared = process(label, where, entrypoint, variables) if isinstance(
        entrypoint, str,
    ) else None
    declared = declared or _module_process(label, variables)
    return [] if declared is None else [declared]
