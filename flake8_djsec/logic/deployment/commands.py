"""
What a command line runs: a server, a worker, a build step, tests; and the module it names.

Commands come from compose ``command:``, Dockerfile ``CMD``/``RUN``, Procfile
lines, platform manifests and systemd ``ExecStart=``. They are split as a POSIX
shell splits them (``shlex``), at ``&&``, ``||``, ``;`` and ``|``; ``sh -c "..."``
is read inside. The module is ``--settings`` (``manage.py``, ``django-admin``),
gunicorn/uwsgi ``--env``/``-e DJANGO_SETTINGS_MODULE=...``, or an assignment
before the program (``DJANGO_SETTINGS_MODULE=x gunicorn ...``, ``export``).
"""

from __future__ import annotations

import dataclasses
import enum
import posixpath
import re
import shlex
from collections.abc import Sequence
from typing import Final, final

from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE

#: WSGI/ASGI servers (program names, also run as ``python -m NAME``).
SERVERS: Final = frozenset((
    'gunicorn', 'uvicorn', 'daphne', 'uwsgi', 'hypercorn', 'waitress-serve', 'waitress', 'granian',
))
#: Long-running Django processes that are not web servers.
WORKERS: Final = frozenset(('celery', 'dramatiq', 'rq', 'huey', 'arq'))
#: ``manage.py`` commands, by what they are.
_MANAGE_SERVERS: Final = frozenset(('runserver', 'runserver_plus', 'runmodwsgi', 'uvicorn'))
_MANAGE_WORKERS: Final = frozenset(('rqworker', 'qcluster', 'run_huey', 'celery', 'process_tasks'))
_MANAGE_BUILD: Final = frozenset((
    'collectstatic', 'compilemessages', 'compress', 'migrate', 'check', 'makemigrations',
    'createcachetable', 'tailwind', 'spectacular', 'generateschema',
))
_MANAGE_TESTS: Final = frozenset(('test',))
_TESTS: Final = frozenset(('pytest', 'py.test', 'tox', 'nox'))
_PYTHONS: Final = re.compile(r'^python(\d+(\.\d+)?)?$')
_SHELLS: Final = frozenset(('sh', 'bash', 'dash', 'ash', 'zsh'))
_PREFIXES: Final = frozenset(('exec', 'env', 'export', 'nice', 'time', 'tini', 'dumb-init', '--'))
#: Programs that name a server without running it.
_NOT_WRAPPERS: Final = frozenset((
    'pip', 'pip3', 'echo', 'printf', 'apt-get', 'apt', 'apk', 'yum', 'dnf', 'which', 'command',
    'test', '[', 'cat', 'grep', 'pkill', 'kill', 'killall', 'chown', 'chmod', 'ls', 'rm',
))
_MANAGE: Final = frozenset(('manage.py', 'django-admin', 'django-admin.py'))
_INSTALLS: Final = frozenset(('install', 'add', 'remove', 'uninstall'))
_SEPARATORS: Final = frozenset(('&&', '||', ';', '|', '&', ';;', '(', ')'))
_ASSIGNMENT: Final = re.compile('^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$', re.DOTALL)
_SETTINGS_FLAG: Final = '--settings'
_ENV_FLAGS: Final = frozenset(('--env', '-e'))
#: ``sh -c`` nesting followed at most this deep.
_MAX_NESTING: Final = 3


@enum.unique
class Runs(enum.Enum):
    """What a command runs, most significant first."""

    server = 'server'
    worker = 'worker'
    tests = 'tests'
    build = 'build'
    other = 'other'


_RANK: Final = (Runs.server, Runs.worker, Runs.tests, Runs.build, Runs.other)


@final
@dataclasses.dataclass(frozen=True)
class Step:
    """One program of a command line: what it is, its name, the module it sets."""

    runs: Runs
    program: str
    module: str | None = None


@final
@dataclasses.dataclass(frozen=True)
class Command:
    """A command line read: its steps, and whether it could be split at all."""

    steps: tuple[Step, ...] = ()
    readable: bool = True

    @property
    def main(self) -> Step | None:
        """The most significant step (a server over a worker over tests over a build step)."""
        ranked = sorted(self.steps, key=lambda step: _RANK.index(step.runs))
        return ranked[0] if ranked else None


def read(command: str | Sequence[str]) -> Command:
    """Read a command given as a shell string or an exec-form list."""
    words = _split(command)
    if words is None:
        return Command(readable=False)
    return Command(tuple(_steps(words, 0)))


def _split(command: str | Sequence[str]) -> list[str] | None:
    if not isinstance(command, str):
        return [str(word) for word in command]
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote
        return None


def _steps(words: list[str], depth: int) -> list[Step]:
    steps: list[Step] = []
    exported: str | None = None
    for segment in _segments(words):
        step, exports = _step(segment, depth)
        exported = exports or exported
        steps.extend(
            dataclasses.replace(found, module=found.module or exported) for found in step
        )
    return steps


def _segments(words: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for word in words:
        if word in _SEPARATORS:
            segments.append([])
        else:
            segments[-1].append(word)
    return [segment for segment in segments if segment]


def _step(segment: list[str], depth: int) -> tuple[list[Step], str | None]:
    """The steps of one simple command, and a module it exports to the following ones."""
    module: str | None = None
    index = 0
    is_export = False
    while index < len(segment):
        word = segment[index]
        assignment = _ASSIGNMENT.match(word)
        if assignment is not None:
            if assignment.group('name') == SETTINGS_VARIABLE:
                module = assignment.group('value')
        elif word in _PREFIXES or word.startswith('-') and index and segment[0] in _PREFIXES:
            is_export = is_export or word == 'export'
        else:
            break
        index += 1
    rest = segment[index:]
    if not rest:
        return [], module if is_export or module else None
    nested = _nested_shell(rest, depth)
    if nested is not None:
        return [dataclasses.replace(step, module=step.module or module) for step in nested], None
    step = _program(rest)
    return [dataclasses.replace(step, module=step.module or module)], None


def _nested_shell(words: list[str], depth: int) -> list[Step] | None:
    if posixpath.basename(words[0]) not in _SHELLS or depth >= _MAX_NESTING:
        return None
    if '-c' not in words[1:]:
        return None
    position = words.index('-c', 1)
    if position + 1 >= len(words):
        return []
    inner = _split(words[position + 1])
    return None if inner is None else _steps(inner, depth + 1)


def _program(words: list[str]) -> Step:
    name = posixpath.basename(words[0])
    arguments = words[1:]
    if _PYTHONS.match(name):
        name, arguments = _python_program(arguments)
    module = _flag_module(arguments)
    if name in _MANAGE:
        return Step(_manage_runs(arguments), name, module)
    if name in SERVERS:
        return Step(Runs.server, name, module)
    if name in WORKERS:
        return Step(Runs.worker, name, module)
    if name in _TESTS or (name == 'coverage' and 'run' in arguments):
        return Step(Runs.tests, name, module)
    return _wrapped(name, arguments, module)


def _wrapped(name: str, arguments: list[str], module: str | None) -> Step:
    """A wrapper running a server: ``newrelic-admin run-program gunicorn``, ``uv run gunicorn``."""
    if name in _NOT_WRAPPERS:
        return Step(Runs.other, name, module)
    for index, word in enumerate(arguments):
        wrapped = posixpath.basename(word)
        installs = index and arguments[index - 1] in _INSTALLS
        runs_python = _PYTHONS.match(wrapped) or wrapped in _MANAGE
        if (wrapped in SERVERS or wrapped in WORKERS or runs_python) and not installs:
            inner = _program(arguments[index:])
            return dataclasses.replace(inner, module=inner.module or module)
    return Step(Runs.other, name, module)


def _python_program(arguments: list[str]) -> tuple[str, list[str]]:
    """``python manage.py x`` and ``python -m gunicorn ...``: the program and its arguments."""
    index = 0
    while index < len(arguments) and arguments[index].startswith('-'):
        if arguments[index] == '-m' and index + 1 < len(arguments):
            return arguments[index + 1], arguments[index + 2:]
        index += 1
    if index < len(arguments):
        return posixpath.basename(arguments[index]), arguments[index + 1:]
    return 'python', []


def _manage_runs(arguments: list[str]) -> Runs:
    command = next((word for word in arguments if not word.startswith('-')), '')
    if command in _MANAGE_SERVERS:
        return Runs.server
    if command in _MANAGE_WORKERS:
        return Runs.worker
    if command in _MANAGE_TESTS:
        return Runs.tests
    if command in _MANAGE_BUILD:
        return Runs.build
    return Runs.other


def _flag_module(arguments: list[str]) -> str | None:
    """``--settings=x``/``--settings x``, ``--env DJANGO_SETTINGS_MODULE=x``/``-e ...``."""
    module: str | None = None
    for index, word in enumerate(arguments):
        following = arguments[index + 1] if index + 1 < len(arguments) else ''
        flag, equals, attached = word.partition('=')
        if flag == _SETTINGS_FLAG:
            module = attached if equals else following or None
        elif word in _ENV_FLAGS or flag in _ENV_FLAGS:
            value = attached if equals else following
            name, separator, named = value.partition('=')
            if name == SETTINGS_VARIABLE and separator:
                module = named
    return module
