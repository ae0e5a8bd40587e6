"""
Dockerfiles: the final stage's ``ENV`` (``ARG`` defaults interpolated), its
``CMD``/``ENTRYPOINT``, and ``RUN`` lines that set the module only for a build step.

Instructions are split by dockerfile-parse (continuations, comments, line
numbers; imported only when a Dockerfile exists). A file with no instruction
(only continuation lines, say) is unknown.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shlex
from typing import Final, final

from flake8_djsec.logic.deployment import commands
from flake8_djsec.logic.deployment.interpolation import interpolate
from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE, Kind, Process, Variable, Where
from flake8_djsec.logic.deployment.reading import Reading

_PROCESS_INSTRUCTIONS: Final = ('CMD', 'ENTRYPOINT')


@final
@dataclasses.dataclass(frozen=True)
class Image:
    """What a Dockerfile's final stage gives a container: variables and a command."""

    variables: tuple[Variable, ...] = ()
    command: commands.Step | None = None
    command_where: Where | None = None
    build_steps: tuple[Process, ...] = ()


def image(reading: Reading, path: str) -> Image | None:
    """Read a Dockerfile's final stage; None when it cannot be read."""
    text = reading.text(path)
    if text is None:
        return None
    from dockerfile_parse import DockerfileParser  # noqa: WPS433 - lazily: only for Dockerfiles

    try:
        structure = DockerfileParser(fileobj=io.BytesIO(text.encode('utf-8'))).structure
    except Exception:  # noqa: B902 - a third-party parser on hostile input: unknown, never a crash
        structure = []
    instructions = [entry for entry in structure if entry['instruction'] != 'COMMENT']
    if not instructions:
        reading.unknown(path, 'no Dockerfile instruction')
        return None
    return _final_stage(reading, path, instructions)


def _final_stage(reading: Reading, path: str, instructions: list[dict[str, object]]) -> Image:
    starts = [index for index, entry in enumerate(instructions) if entry['instruction'] == 'FROM']
    stage = instructions[starts[-1] + 1:] if starts else instructions
    committed = reading.committed(path)
    known: dict[str, str] = {}
    variables: dict[str, Variable] = {}
    main: tuple[commands.Step, Where] | None = None
    builds: list[Process] = []
    for entry in stage:
        instruction = str(entry['instruction'])
        value = str(entry['value'])
        where = reading.where(path, int(str(entry['startline'])) + 1)
        if instruction in {'ARG', 'ENV'}:
            for name, named in _pairs(reading, path, where, instruction, value):
                resolved = interpolate(named, known, name) if named is not None else None
                if resolved is None:
                    known.pop(name, None)
                    variables.pop(name, None)
                    continue
                known[name] = resolved
                if instruction == 'ENV':
                    variables[name] = Variable(name, resolved, where, committed=committed)
        elif instruction in _PROCESS_INSTRUCTIONS:
            step = _command(value, known).main
            if step is not None and (main is None or _better(step, main[0])):
                main = (step, where)
        elif instruction == 'RUN':
            builds.extend(_build_steps(value, known, where))
    return Image(
        tuple(variables.values()),
        main[0] if main else None,
        main[1] if main else None,
        tuple(builds),
    )


def _better(step: commands.Step, than: commands.Step) -> bool:
    ranked = (commands.Runs.server, commands.Runs.worker)
    return step.runs in ranked and than.runs not in ranked


def _pairs(
    reading: Reading, path: str, where: Where, instruction: str, value: str,
) -> list[tuple[str, str | None]]:
    """``ENV A=1 B="2 3"``, ``ENV A 1 2``, ``ARG A=1``, ``ARG A``: names and raw values."""
    try:
        words = shlex.split(value, posix=True)
    except ValueError:
        reading.unknown(path, 'an {0} line that cannot be split'.format(instruction), where.line)
        return []
    if not words:
        return []
    if '=' not in words[0]:
        if instruction == 'ARG':
            return [(words[0], None)]
        return [(words[0], ' '.join(words[1:]))]
    pairs: list[tuple[str, str | None]] = []
    for word in words:
        name, separator, named = word.partition('=')
        pairs.append((name, named if separator else None))
    return pairs


def _command(value: str, known: dict[str, str]) -> commands.Command:
    """A ``CMD``/``ENTRYPOINT``/``RUN`` value: exec form (JSON list) or shell form."""
    if value.startswith('['):
        try:
            words = json.loads(value)
        except ValueError:
            words = None
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            return commands.read(words)
    expanded = interpolate(value, known)
    return commands.read(value if expanded is None else expanded)


def _build_steps(value: str, known: dict[str, str], where: Where) -> list[Process]:
    """``RUN DJANGO_SETTINGS_MODULE=x python manage.py collectstatic``: a build-only module."""
    return [
        Process(
            '{0} RUN {1}'.format(where.path, step.program), where, Kind.build,
            step.module, where, reason='a build step ({0})'.format(step.program),
        )
        for step in _command(value, known).steps
        if step.module is not None
    ]


def read(reading: Reading, path: str) -> list[Process]:
    """The processes a Dockerfile declares: its container, and its build steps."""
    found = image(reading, path)
    if found is None:
        return []
    label = reading.relative(path)
    processes = list(found.build_steps)
    module = next(
        (variable for variable in found.variables if variable.name == SETTINGS_VARIABLE), None,
    )
    step = found.command
    named = step.module if step is not None and step.module else None
    runs_django = step is not None and step.runs in {commands.Runs.server, commands.Runs.worker}
    if not (runs_django or module or named):
        return processes
    where = found.command_where or reading.where(path, 1)
    processes.append(Process(
        label, where, Kind.deployment,
        named or (module.value if module else None),
        found.command_where if named else (module.where if module else None),
        found.variables,
        'runs {0}'.format(step.program) if runs_django and step else 'sets {0}'.format(
            SETTINGS_VARIABLE,
        ),
    ))
    return processes
