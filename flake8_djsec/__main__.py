"""
``python -m flake8_djsec`` (also the ``flake8-djsec`` command): the rule catalogue in a terminal.

- ``rules``: every code, its severity, its summary and the Django check ids
  it mirrors, one line each.
- ``rule CODE`` (alias ``explain``): the code's documentation, the same
  Markdown page as ``docs/rules/CODE.md`` (``flake8_djsec.documentation``).
- ``check [options] [path ...]``: the plugin's findings without flake8 in the
  loop (``flake8_djsec.command``); it parses its own options the way flake8
  does, so ``main`` hands it everything after ``check`` untouched.
- ``deployments [options] [path ...]``: the deployment modules and why, their
  variables and origins, the modules that are not deployments and why
  (``flake8_djsec.command.deployments``); options as ``check`` has them.

Each subcommand is a ``_Command``: a name, its help, a function that adds its
arguments and a function that runs it and returns the exit status; add one
to ``COMMANDS``. An unknown code is one line on standard error, exit status 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple, final

from flake8_djsec import __version__, documentation
from flake8_djsec.command import deployments as command_deployments
from flake8_djsec.command import main as command_main
from flake8_djsec.violations import CATALOGUE, by_code

#: The program name in messages.
PROG: Final = 'flake8-djsec'
#: Exit status of a usage error (as argparse's).
USAGE_ERROR: Final = 2

_LITERAL: Final = re.compile('``(?P<text>.+?)``')


@final
class _Command(NamedTuple):
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    aliases: tuple[str, ...] = ()


def _plain(text: str) -> str:
    return _LITERAL.sub(r'\g<text>', text)


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """Add nothing: the command takes no argument."""


def _list_rules(options: argparse.Namespace) -> int:
    for violation in CATALOGUE:
        summary = _plain(documentation.Docstring.parse(violation.__doc__).summary)
        django = ' [{0}]'.format(', '.join(violation.django_ids)) if violation.django_ids else ''
        sys.stdout.write('{0}  {1:<8}  {2}{3}\n'.format(
            violation.full_code(), violation.severity.name, summary, django,
        ))
    return 0


def _code_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('code', help='a code such as DJS100 (case does not matter)')


def _explain_rule(options: argparse.Namespace) -> int:
    violation = by_code(options.code)
    if violation is None:
        sys.stderr.write('{0}: error: unknown code {1!r}; list them with: {0} rules\n'.format(
            PROG, options.code,
        ))
        return USAGE_ERROR
    page = documentation.render_page(violation)
    sys.stdout.write(page.split('\n\n', 1)[1])  # without the "generated" comment
    return 0


_CHECK: Final = 'check'
_DEPLOYMENTS: Final = 'deployments'


def _run_deployments(options: argparse.Namespace) -> int:
    return command_deployments.deployments(options.arguments)


#: The subcommands, in the order ``--help`` lists them.
COMMANDS: Final = (
    _Command('rules', 'list every code with its severity and summary', _no_arguments, _list_rules),
    _Command(
        'rule', "print a code's documentation", _code_argument, _explain_rule, ('explain',),
    ),
    _Command(
        _CHECK, 'report the DJS findings of files and folders as the flake8 plugin does',
        command_main.listed_arguments, command_main.run_listed,
    ),
    _Command(
        _DEPLOYMENTS,
        'list the deployment settings modules and why, their variables and where each came from',
        command_main.listed_arguments, _run_deployments,
    ),
)


def parser() -> argparse.ArgumentParser:
    """Return the command-line parser, one subparser per entry of ``COMMANDS``."""
    root = argparse.ArgumentParser(
        prog=PROG, description='flake8-djsec: Django security misconfigurations, statically.',
    )
    root.add_argument('--version', action='version', version='{0} {1}'.format(PROG, __version__))
    commands = root.add_subparsers(dest='command', metavar='COMMAND', required=True)
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name, help=command.help, description=command.help, aliases=command.aliases,
        )
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return root


def _run(arguments: list[str]) -> int:
    if arguments[:1] == [_CHECK]:
        return command_main.check(arguments[1:])
    if arguments[:1] == [_DEPLOYMENTS]:
        return command_deployments.deployments(arguments[1:])
    options = parser().parse_args(arguments)
    return int(options.run(options))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:  # ``| head`` closed standard output: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == '__main__':
    sys.exit(main())
