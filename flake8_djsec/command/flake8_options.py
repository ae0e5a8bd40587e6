"""
flake8's own options that the command honours, declared as flake8 declares them.

Registered on a flake8 ``OptionManager``, they are read from the command line
and from the ``[flake8]`` section with flake8's normalisation (comma-separated
lists, paths relative to the configuration file), so a value means what it
means to flake8.
"""

from __future__ import annotations

from typing import Final

from flake8 import defaults
from flake8.main.options import JobsArgument
from flake8.options.manager import OptionManager

#: What the command never walks into, beyond flake8's own default ``exclude``.
EXTRA_EXCLUDE: Final = ('.venv', 'venv', 'env', 'node_modules', 'build', 'dist')


def declare(manager: OptionManager) -> None:
    """Declare flake8's options that decide what is checked and what is reported."""
    _declare_selection(manager)
    _declare_files(manager)


def _declare_selection(manager: OptionManager) -> None:
    for name, meaning in (
        ('--select', 'report only codes prefix-matched by this list'),
        ('--extend-select', 'add codes to the selected ones'),
        ('--ignore', 'skip codes prefix-matched by this list'),
        ('--extend-ignore', 'add codes to the ignored ones'),
    ):
        manager.add_option(
            name, metavar='codes', parse_from_config=True, comma_separated_list=True,
            help='comma-separated codes: {0}, as flake8 does'.format(meaning),
        )
    manager.add_option(
        '--per-file-ignores', default='', parse_from_config=True,
        help='"path-glob: codes" pairs that ignore codes in some files, as flake8 does',
    )
    manager.add_option(
        '--disable-noqa', default=False, parse_from_config=True, action='store_true',
        help='report findings on lines with "# noqa" too',
    )


def _declare_files(manager: OptionManager) -> None:
    manager.add_option(
        '--exclude', metavar='patterns', default=','.join((*defaults.EXCLUDE, *EXTRA_EXCLUDE)),
        parse_from_config=True, comma_separated_list=True, normalize_paths=True,
        help=(
            'comma-separated files or folders not to walk into (folders holding pyvenv.cfg '
            'are never walked into). Default: %(default)s'
        ),
    )
    manager.add_option(
        '--extend-exclude', metavar='patterns', default='', parse_from_config=True,
        comma_separated_list=True, normalize_paths=True,
        help='comma-separated patterns added to --exclude',
    )
    manager.add_option(
        '--filename', metavar='patterns', default='*.py', parse_from_config=True,
        comma_separated_list=True,
        help='file name patterns checked inside folders. Default: %(default)s',
    )
    manager.add_option(
        '-j', '--jobs', default='auto', parse_from_config=True, type=JobsArgument,
        help='processes checking files in parallel: a number, or "auto" (one per CPU). '
        'Default: %(default)s',
    )
