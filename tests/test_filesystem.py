"""
The files around a settings module, as a file system really holds them.

The plugin reads sibling modules (``from .base import *``, split-settings
``include()``, django-configurations bases, ``wsgi.py``) from disk. Every test
here runs the real ``flake8`` (or ``flake8-djsec check``) with a timeout over a
project whose siblings are in odd encodings, undecodable, unparsable, symlinked,
looping, missing, folders, FIFOs, devices, sockets or unreadable, and asserts:
no hang, no DJS000, nothing on standard error, and findings exactly as Python
would see the project (a sibling Python could not read makes the values that
depend on it unknown: silence, never a wrong finding).

Paths are Python's: a module's siblings are the files next to the path it is
imported by, symlinks not resolved (``production.py`` linked from elsewhere
still star-imports the ``base.py`` next to the link), as ``importlib`` finds them.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import socket
import stat
import subprocess
import sys
import textwrap
import tokenize
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pytest
from flake8 import processor

from flake8_djsec.logic import project, sources
from tests.conftest import FLAKE8

COMMAND: Final = str(Path(sys.executable).with_name('flake8-djsec'))
#: Seconds before a run counts as hung (a FIFO read blocks forever).
TIMEOUT: Final = int(os.environ.get("DJSEC_TEST_TIMEOUT", "90"))
#: Runs flake8 in a process where the plugin's reads of some files fail (flake8 reads with
#: ``open``, the plugin with ``os.open``): ``python -c RUNNER mode suffix args``.
RUNNER: Final = textwrap.dedent('''\
    import errno, os, sys
    mode, suffix = sys.argv[1], sys.argv[2]
    real_open, real_read, failing = os.open, os.read, set()

    def open_failing(path, flags, *args, **kwargs):
        if os.fspath(path).endswith(suffix):
            if mode == "deleted":  # found, then gone before it is read
                os.remove(path)
            elif mode == "permission":
                raise PermissionError(errno.EACCES, "Permission denied", path)
            descriptor = real_open(path, flags, *args, **kwargs)
            failing.add(descriptor)
            return descriptor
        return real_open(path, flags, *args, **kwargs)

    def read_failing(descriptor, size):
        if mode == "io" and descriptor in failing:
            raise OSError(errno.EIO, "Input/output error")
        return real_read(descriptor, size)

    os.open, os.read = open_failing, read_failing
    sys.argv = ["flake8", *sys.argv[3:]]
    from flake8.main.cli import main
    sys.exit(main())
''')

PRODUCTION: Final = '''\
from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
CSRF_TRUSTED_ORIGINS = [ORIGIN]  # noqa: F405
'''
#: The finding production.py reports when base.py reads as intended (``ORIGIN`` known).
ORIGIN_FINDING: Final = (
    "proj/settings/production.py:5:1: DJS126 CSRF_TRUSTED_ORIGINS entry '{0}' has no scheme; "
    "write it as 'https://{0}'"
)
#: A base.py whose value reaches production's message; ``{coding}`` is its cookie line.
BASE_TEMPLATE: Final = '{coding}# {comment}\nORIGIN = "{host}"\n'


def _run(
    command: Sequence[str],
    cwd: Path,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command with a timeout; its output decoded as UTF-8, never the locale's."""
    environment = {**os.environ, 'PYTHONIOENCODING': 'utf-8'}
    try:
        completed = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT, check=False,
            env=environment,
        )
    except subprocess.TimeoutExpired:
        pytest.fail('hung for {0} s: {1}'.format(TIMEOUT, ' '.join(command)))
    return subprocess.CompletedProcess(
        completed.args, completed.returncode,
        completed.stdout.decode('utf-8'), completed.stderr.decode('utf-8'),
    )


def _clean(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The output lines of a run that met no internal error; asserts there was none."""
    assert 'DJS000' not in result.stdout, result.stdout
    assert 'Traceback' not in result.stderr, result.stderr
    assert result.returncode in {0, 1}, (result.returncode, result.stdout, result.stderr)
    return sorted(line for line in result.stdout.splitlines() if line.strip())


def flake8(
    args: Sequence[str], cwd: Path, stdin: bytes | None = None, select: str = 'DJS',
) -> list[str]:
    """Run the real flake8 (isolated from user configuration); its clean output lines."""
    result = _run([FLAKE8, '--isolated', '--select={0}'.format(select), *args], cwd, stdin)
    lines = _clean(result)
    assert result.stderr == '', result.stderr
    return lines


def flake8_failing_reads(mode: str, suffix: str, args: Sequence[str], cwd: Path) -> list[str]:
    """Run flake8 in a process where reading files ending with ``suffix`` fails as ``mode`` says."""
    result = _run([sys.executable, '-c', RUNNER, mode, suffix, '--isolated', '--select=DJS', '-j1', *args], cwd)
    lines = _clean(result)
    assert result.stderr == '', result.stderr
    return lines


def check(args: Sequence[str], cwd: Path) -> list[str]:
    """Run ``flake8-djsec check``; its clean output lines (stderr may name skipped files)."""
    return _clean(_run([COMMAND, 'check', *args], cwd))


def flake8_reads(path: Path) -> str:
    """The text flake8 hands a plugin for a file (its own reader: encoding, fallback, BOM)."""
    options = argparse.Namespace(
        hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None,
        verbose=0, disable_noqa=False, stdin_display_name='stdin',
    )
    return ''.join(processor.FileProcessor(str(path), options).lines)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a project: text as UTF-8, bytes as they are."""
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


def split(root: Path, base: str | bytes | None = None, folder: str = 'proj/settings') -> Path:
    """``proj/settings/`` with production.py star-importing base.py (written unless None)."""
    files: dict[str, str | bytes] = {
        'proj/__init__.py': '',
        '{0}/__init__.py'.format(folder): '',
        '{0}/production.py'.format(folder): PRODUCTION,
    }
    if base is not None:
        files['{0}/base.py'.format(folder)] = base
    return write(root, files)


# --- 1. Encodings (PEP 263) --------------------------------------------------------------

#: base.py bytes Python decodes, and the host it reads: the message must show that text.
DECODABLE: Final = {
    'latin-1 cookie': (BASE_TEMPLATE.format(
        coding='# -*- coding: latin-1 -*-\n', comment='naïve café', host='café.example.com',
    ).encode('latin-1'), 'café.example.com'),
    'cp1252 cookie': (BASE_TEMPLATE.format(
        coding='# -*- coding: cp1252 -*-\n', comment='costs 5 € a month', host='café-€.example.com',
    ).encode('cp1252'), 'café-€.example.com'),
    'cookie on line 2 after a shebang': (BASE_TEMPLATE.format(
        coding='#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n', comment='é',
        host='é.example.com',
    ).encode('latin-1'), 'é.example.com'),
    'cp1252 cookie, CRLF line ends': (BASE_TEMPLATE.format(
        coding='# coding=cp1252\n', comment='€', host='€.example.com',
    ).replace('\n', '\r\n').encode('cp1252'), '€.example.com'),
    'utf-8 BOM': (b'\xef\xbb\xbf' + BASE_TEMPLATE.format(
        coding='', comment='naïve €', host='café.example.com',
    ).encode('utf-8'), 'café.example.com'),
    'utf-8 BOM and utf-8 cookie': (b'\xef\xbb\xbf' + BASE_TEMPLATE.format(
        coding='# -*- coding: utf-8 -*-\n', comment='€', host='café.example.com',
    ).encode('utf-8'), 'café.example.com'),
    'utf-8, no cookie': (BASE_TEMPLATE.format(
        coding='', comment='日本', host='例え.example.com',
    ).encode('utf-8'), '例え.example.com'),
}

#: base.py bytes Python refuses to import: everything that depends on them is unknown.
UNDECODABLE: Final = {
    'utf-8 BOM and latin-1 cookie': b'\xef\xbb\xbf# coding: latin-1\nORIGIN = "caf\xe9.example.com"\n',
    'unknown cookie': b'# -*- coding: nonsense -*-\nORIGIN = "cafe.example.com"\n',
    'cookie naming a bytes codec': b'# coding: hex\nORIGIN = "cafe.example.com"\n',
    'cookie naming a str codec': b'# coding: rot13\nORIGIN = "cafe.example.com"\n',
    'latin-1, no cookie': b'# na\xefve\nORIGIN = "caf\xe9.example.com"\n',
    'cookie on line 3 is no cookie': (
        b'# one\n# two\n# -*- coding: latin-1 -*-\nORIGIN = "caf\xe9.example.com"\n'
    ),
    'a NUL byte': b'ORIGIN = "cafe.example.com"\n\x00\n',
    'a syntax error': b'ORIGIN = "cafe.example.com"\nDEBUG = (\n',
    'utf-16 with its BOM': '\ufeffORIGIN = "cafe.example.com"\n'.encode('utf-16-le'),
}


@pytest.mark.parametrize('case', sorted(DECODABLE))
def test_sibling_in_a_declared_encoding_is_read_as_python_reads_it(tmp_path: Path, case: str) -> None:
    """production.py's message shows base.py's value exactly as Python decodes it."""
    content, host = DECODABLE[case]
    root = split(tmp_path, content)
    expected = [ORIGIN_FINDING.format(host)]
    assert flake8(['--select=DJS126', 'proj/settings/production.py'], root) == expected
    # The whole folder: base.py is linted too (flake8 decodes it), production still reports.
    assert flake8(['--select=DJS126', 'proj'], root) == expected
    assert check(['--select=DJS126', 'proj'], root) == expected


@pytest.mark.parametrize('case', sorted(UNDECODABLE))
def test_sibling_python_cannot_import_is_unknown(tmp_path: Path, case: str) -> None:
    """A base.py Python would refuse (decoding, NUL, syntax): its values unknown, no finding."""
    root = split(tmp_path, UNDECODABLE[case])
    assert flake8(['proj/settings/production.py'], root) == []
    if not flake8_dies_on(UNDECODABLE[case]):
        assert flake8(['--select=DJS126', 'proj'], root) == []
    assert check(['--select=DJS126', 'proj'], root) == []


def flake8_dies_on(content: bytes) -> bool:
    """
    flake8 itself crashes on some files it lints, before any plugin runs: a cookie naming a
    bytes codec (LookupError from tokenize.open), a NUL byte on Python 3.10 (ValueError from
    ast.parse). Such a file can only be a sibling, never linted by flake8.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(content).readline)
        content.decode(encoding)
    except LookupError:
        return True
    except (SyntaxError, UnicodeError):
        pass
    try:
        ast.parse(content.decode('latin-1'))
    except ValueError:
        return True
    except SyntaxError:
        return False
    return False


#: A base.py that assigns the value itself, so that base.py (the linted file) reports it.
OWN_VALUE: Final = 'CSRF_TRUSTED_ORIGINS = ["{host}"]\n'
OWN_PRODUCTION: Final = 'from .base import *  # noqa: F403\n\nDEBUG = False\nALLOWED_HOSTS = ["a.example.com"]\n'
OWN_FINDING: Final = (
    "proj/settings/base.py:{line}:1: DJS126 CSRF_TRUSTED_ORIGINS entry '{host}' has no scheme; "
    "write it as 'https://{host}'"
)


def _own(root: Path, content: bytes) -> Path:
    return write(root, {
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/production.py': OWN_PRODUCTION,
        'proj/settings/base.py': content,
    })


@pytest.mark.parametrize(('coding', 'line'), [
    ('# -*- coding: latin-1 -*-\n', 2), ('# -*- coding: cp1252 -*-\n', 2), ('', 1),
])
def test_linted_file_in_a_declared_encoding(tmp_path: Path, coding: str, line: int) -> None:
    """The linted base.py in its own encoding, on disk and piped on stdin under its name."""
    encoding = coding.split(':')[1].split()[0] if coding else 'utf-8'
    content = (coding + OWN_VALUE.format(host='café.example.com')).encode(encoding)
    root = _own(tmp_path, content)
    expected = [OWN_FINDING.format(line=line, host='café.example.com')]
    assert flake8(['--select=DJS126', 'proj/settings/base.py'], root) == expected
    piped = flake8(
        ['--select=DJS126', '--stdin-display-name=proj/settings/base.py', '-'], root, stdin=content,
    )
    assert piped == expected


@pytest.mark.parametrize('content', [
    pytest.param(b'# na\xefve\n' + OWN_VALUE.format(host='caf\xe9.example.com').encode('latin-1'), id='latin-1, no cookie'),
    pytest.param(b'# -*- coding: nonsense -*-\n' + OWN_VALUE.format(host='x.example.com').encode(), id='unknown cookie'),
    pytest.param(b'\xef\xbb\xbf# coding: latin-1\n' + OWN_VALUE.format(host='x.example.com').encode(), id='BOM and latin-1 cookie'),
])
def test_linted_file_python_cannot_decode_is_silent(tmp_path: Path, content: bytes) -> None:
    """
    flake8 falls back to latin-1 for a file Python cannot decode; the plugin judges the file
    as Python sees it, unimportable, so none of its values is reported (nor as a sibling).
    """
    root = _own(tmp_path, content)
    assert flake8(['--select=DJS126', 'proj/settings/base.py'], root) == []
    assert flake8(['--select=DJS126', 'proj'], root) == []
    assert check(['--select=DJS126', 'proj'], root) == []


def test_stdin_buffer_of_a_file_with_a_bytes_codec_cookie(tmp_path: Path) -> None:
    """An editor buffer for a file whose cookie names a bytes codec: judged alone, no DJS000."""
    root = _own(tmp_path, b'# coding: hex\n' + OWN_VALUE.format(host='x.example.com').encode())
    buffer = OWN_VALUE.format(host='y.example.com').encode()
    piped = flake8(
        ['--select=DJS126', '--stdin-display-name=proj/settings/base.py', '-'], root, stdin=buffer,
    )
    assert piped == [OWN_FINDING.format(line=1, host='y.example.com')]


def test_entry_point_in_a_declared_encoding_names_the_deployment(tmp_path: Path) -> None:
    """A latin-1 wsgi.py with a cookie still names production: staging is no deployment."""
    root = split(tmp_path, 'ORIGIN = "wsgi.example.com"\n')
    staging = PRODUCTION.replace('DEBUG = False', 'DEBUG = True')
    (root / 'proj' / 'settings' / 'staging.py').write_text(staging, encoding='utf-8')
    (root / 'proj' / 'wsgi.py').write_bytes(
        b'# -*- coding: latin-1 -*-\n# d\xe9ploiement\nimport os\n'
        b'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
    )
    assert flake8(['--select=DJS100,DJS126', 'proj'], root) == [ORIGIN_FINDING.format('wsgi.example.com')]


# --- 2. Symlinks and special files ---------------------------------------------------------

def test_symlinked_settings_folder_is_a_package_where_it_is_linked(tmp_path: Path) -> None:
    """
    ``proj/settings`` links to a shared folder: Python imports it as ``proj.settings``, so the
    deployment is the one ``proj/wsgi.py`` names, found next to the link, not next to its target.
    """
    shared = split(tmp_path / 'shared', 'ORIGIN = "shared.example.com"\n', folder='conf')
    staging = PRODUCTION.replace('DEBUG = False', 'DEBUG = True')
    (shared / 'conf' / 'staging.py').write_text(staging, encoding='utf-8')
    root = write(tmp_path / 'site', {
        'proj/__init__.py': '',
        'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
    })
    (root / 'proj' / 'settings').symlink_to(shared / 'conf', target_is_directory=True)
    expected = [ORIGIN_FINDING.format('shared.example.com')]
    assert flake8(['--select=DJS100,DJS126', 'proj/settings/production.py'], root) == expected
    # staging.py is no deployment of this site: wsgi.py names production.
    assert flake8(['--select=DJS100,DJS126', 'proj/settings/staging.py'], root) == []
    assert flake8(['--select=DJS100,DJS126', 'proj/settings/'], root) == expected
    assert check(['--select=DJS100,DJS126', 'proj/settings/'], root) == expected


def test_symlinked_deployment_module_reads_the_siblings_of_the_link(tmp_path: Path) -> None:
    """production.py links to a file elsewhere, next to another base.py: Python reads ours."""
    root = split(tmp_path / 'site', 'ORIGIN = "ours.example.com"\n')
    elsewhere = split(tmp_path / 'elsewhere', 'ORIGIN = "theirs.example.com"\n')
    linked = root / 'proj' / 'settings' / 'production.py'
    linked.unlink()
    linked.symlink_to(elsewhere / 'proj' / 'settings' / 'production.py')
    expected = [ORIGIN_FINDING.format('ours.example.com')]
    assert flake8(['--select=DJS126', 'proj/settings/production.py'], root) == expected
    assert check(['--select=DJS126', 'proj'], root) == expected


def test_symlinked_base_module_is_read_through_the_link(tmp_path: Path) -> None:
    """base.py links to a shared file: its values are read, and reported by the link's name."""
    root = write(tmp_path, {
        'shared/common.py': '# -*- coding: latin-1 -*-\nCSRF_TRUSTED_ORIGINS = ["x.example.com"]\n',
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/production.py': OWN_PRODUCTION,
    })
    (root / 'proj' / 'settings' / 'base.py').symlink_to(root / 'shared' / 'common.py')
    expected = [OWN_FINDING.format(line=2, host='x.example.com')]
    assert flake8(['--select=DJS126', 'proj/settings/base.py'], root) == expected
    assert flake8(['--select=DJS126', 'proj'], root) == expected
    assert check(['--select=DJS126', 'proj'], root) == expected


def _link(path: Path, target: str | Path, *, folder: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target, target_is_directory=folder)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / '__init__.py').write_text('ORIGIN = "folder.example.com"\n', encoding='utf-8')


def _socket(path: Path) -> None:
    if len(str(path)) > 100:
        pytest.skip('socket path too long for AF_UNIX')
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


#: What base.py is, when Python finds no module there (ImportError): production is never loaded.
NOT_A_MODULE: Final = {
    'broken symlink': lambda path: _link(path, path.parent / 'missing.py'),
    'symlink to itself': lambda path: _link(path, path.name),
    'symlink loop of two': lambda path: (
        _link(path.with_name('{0}.other'.format(path.name)), path.name),
        _link(path, '{0}.other'.format(path.name)),
    ),
    'folder named base.py': _folder,
    'FIFO': _fifo,
    'symlink to /dev/null': lambda path: _link(path, os.devnull),
    'symlink to /dev/zero': lambda path: _link(path, '/dev/zero'),
    'socket': _socket,
}


@pytest.mark.parametrize('case', sorted(NOT_A_MODULE))
def test_sibling_that_is_no_regular_file(tmp_path: Path, case: str) -> None:
    """
    A base.py that is no regular file (Python finds no module ``base``): no hang, no error,
    nothing from it; the whole folder through flake8 (named files) and ``check`` (its walk).
    """
    root = split(tmp_path)
    NOT_A_MODULE[case](root / 'proj' / 'settings' / 'base.py')
    assert flake8(['proj/settings/production.py'], root) == []
    named = [str(path.relative_to(root)) for path in sorted((root / 'proj').rglob('*.py')) if path.is_file()]
    assert flake8(['--select=DJS126', *named], root) == []
    assert check(['--select=DJS126', 'proj'], root) == []


def _split_settings_project(root: Path) -> Path:
    """django-split-settings components, a django-configurations class, and entry points."""
    return write(root, {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        'proj/__init__.py': '',
        'proj/settings/__init__.py': (
            'from split_settings.tools import include, optional\n\n'
            'include("components/base.py", optional("components/local.py"))\n'
        ),
        'proj/settings/components/__init__.py': '',
        'proj/settings/components/base.py': (
            'DEBUG = True\nALLOWED_HOSTS = ["a.example.com"]\nCSRF_TRUSTED_ORIGINS = ["x.example.com"]\n'
        ),
        'conf/__init__.py': '',
        'conf/settings.py': (
            'from configurations import Configuration\nfrom .mixins import Mixin\n\n\n'
            'class Production(Mixin, Configuration):\n    DEBUG = True\n    ALLOWED_HOSTS = ["b.example.com"]\n'
        ),
    })


@pytest.mark.parametrize('case', sorted(NOT_A_MODULE))
def test_entry_points_components_and_bases_that_are_no_files(tmp_path: Path, case: str) -> None:
    """
    wsgi.py, asgi.py, an optional split-settings component and a django-configurations
    mixin module that are no regular files: the same findings as when they are absent.
    """
    absent_root = _split_settings_project(tmp_path / 'absent')
    named = [str(path.relative_to(absent_root)) for path in sorted(absent_root.rglob('*.py'))]
    absent = flake8(named, absent_root)
    assert any('DJS100' in line for line in absent)
    root = _split_settings_project(tmp_path / 'odd')
    for odd in ('proj/wsgi.py', 'proj/asgi.py', 'proj/settings/components/local.py', 'conf/mixins.py'):
        NOT_A_MODULE[case](root / odd)
    assert flake8(named, root) == absent
    assert check(['.'], root) == flake8(['.'], absent_root)


def test_symlinked_folder_loops(tmp_path: Path) -> None:
    """Folder links back to an ancestor, to each other and to themselves: runs terminate."""
    root = split(tmp_path, 'ORIGIN = "loops.example.com"\n')
    settings = root / 'proj' / 'settings'
    _link(settings / 'loop', '..', folder=True)
    _link(settings / 'a', 'b', folder=True)
    _link(settings / 'b', 'a', folder=True)
    _link(settings / 'self', 'self', folder=True)
    _link(settings / 'up', root, folder=True)
    expected = [ORIGIN_FINDING.format('loops.example.com')]
    assert flake8(['--select=DJS126', 'proj'], root) == expected
    assert flake8(['--select=DJS126', 'proj/settings/loop/settings/production.py'], root) == [
        expected[0].replace('proj/settings/', 'proj/settings/loop/settings/'),
    ]
    assert check(['--select=DJS126', 'proj'], root) == expected
    # Named explicitly, a linked folder is walked once, its own links not followed, as flake8 does.
    assert check(['--select=DJS126', 'proj/settings/loop'], root) == flake8(
        ['--select=DJS126', 'proj/settings/loop'], root,
    )
    # An include() that cannot be decided may run any module one folder down, through the
    # links too: production may be a component then, so nothing is reported, and nothing hangs.
    (settings / 'components.py').write_text(
        'from split_settings.tools import include\nparts = ["x.py"]\ninclude(*parts)\n',
        encoding='utf-8',
    )
    assert flake8(['proj'], root) == check(['proj'], root) == []


def test_file_reached_through_two_paths(tmp_path: Path) -> None:
    """
    A settings folder and a link to it, both named: each path is its own module, as Python
    would import it, and reports the same findings under its own name, in flake8 and check.
    """
    root = split(tmp_path, 'ORIGIN = "twice.example.com"\n')
    _link(root / 'proj' / 'alias', root / 'proj' / 'settings', folder=True)
    expected = [
        ORIGIN_FINDING.format('twice.example.com'),
        ORIGIN_FINDING.format('twice.example.com').replace('proj/settings/', 'proj/alias/'),
    ]
    both = ['--select=DJS126', 'proj/settings', 'proj/alias']
    assert sorted(flake8(both, root)) == sorted(expected)
    assert sorted(check(both, root)) == sorted(expected)
    # Walking proj/ does not enter the link (flake8 and check alike).
    assert flake8(['--select=DJS126', 'proj'], root) == expected[:1]
    assert check(['--select=DJS126', 'proj'], root) == expected[:1]


@pytest.mark.parametrize('mode', ['permission', 'io', 'deleted'])
def test_sibling_whose_read_fails(tmp_path: Path, mode: str) -> None:
    """
    base.py exists but reading it fails (permission, I/O error, deleted after it was found):
    its values are unknown; production reports nothing that depends on them.
    """
    root = split(tmp_path, 'ORIGIN = "read.example.com"\n')
    assert flake8_failing_reads(mode, 'base.py', ['proj/settings/production.py'], root) == []


def test_unreadable_sibling_by_permissions(tmp_path: Path) -> None:
    """chmod 000 base.py, where permissions are enforced (not for root)."""
    root = split(tmp_path, 'ORIGIN = "read.example.com"\n')
    base = root / 'proj' / 'settings' / 'base.py'
    base.chmod(0)
    try:
        if os.access(base, os.R_OK):
            pytest.skip('permissions are not enforced for this user (root)')
        assert flake8(['proj/settings/production.py'], root) == []
    finally:
        base.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_deterministic_over_odd_files(tmp_path: Path) -> None:
    """A folder of every odd sibling at once: -j1, -j2 and check agree, twice over."""
    root = split(tmp_path, DECODABLE['cp1252 cookie'][0])
    settings = root / 'proj' / 'settings'
    (settings / 'bad.py').write_bytes(UNDECODABLE['latin-1, no cookie'])
    (settings / 'broken_syntax.py').write_bytes(UNDECODABLE['a syntax error'])
    _fifo(settings / 'fifo.py')
    _link(settings / 'broken.py', 'missing.py')
    _link(settings / 'loop', '..', folder=True)
    (settings / 'staging.py').write_text(PRODUCTION.replace('DEBUG = False', 'DEBUG = True'), encoding='utf-8')
    named = [str(path.relative_to(root)) for path in sorted((root / 'proj').rglob('*.py')) if path.is_file()]
    serial = flake8(['-j1', *named], root)
    assert serial == flake8(['-j2', *named], root)
    assert serial == flake8(['-j1', *named], root)
    assert check(['proj'], root) == check(['-j2', 'proj'], root) == [
        line for line in serial if 'fifo' not in line
    ]
    assert ORIGIN_FINDING.format('café-€.example.com') in serial


# --- 3. Imports that find no file, cycles through links, namespace packages ---------------

def test_star_import_of_a_missing_module(tmp_path: Path) -> None:
    """``from .missing import *`` raises ImportError: the module never loads, nothing reported."""
    root = split(tmp_path)
    assert flake8(['proj/settings/production.py'], root) == []


def test_optional_import_of_a_missing_module(tmp_path: Path) -> None:
    """``try: from .local import * except ImportError``: no such file, the rest is judged."""
    root = split(tmp_path, 'ORIGIN = "try.example.com"\n')
    production = root / 'proj' / 'settings' / 'production.py'
    production.write_text(
        PRODUCTION + 'try:\n    from .local import *  # noqa: F403\nexcept ImportError:\n    pass\n',
        encoding='utf-8',
    )
    _link(root / 'proj' / 'settings' / 'local.py', 'gone.py')  # a broken link is no module
    assert flake8(['--select=DJS126', 'proj/settings/production.py'], root) == [
        ORIGIN_FINDING.format('try.example.com'),
    ]


def test_star_import_of_the_package_itself(tmp_path: Path) -> None:
    """``from . import *`` reads ``__init__.py``; one that imports production back is a cycle."""
    root = split(tmp_path, 'ORIGIN = "init.example.com"\n')
    settings = root / 'proj' / 'settings'
    (settings / '__init__.py').write_text('from .base import *  # noqa: F403\n', encoding='utf-8')
    (settings / 'production.py').write_text(PRODUCTION.replace('from .base', 'from .'), encoding='utf-8')
    assert flake8(['--select=DJS126', 'proj/settings/production.py'], root) == [
        ORIGIN_FINDING.format('init.example.com'),
    ]
    (settings / '__init__.py').write_text('from .production import *  # noqa: F403\n', encoding='utf-8')
    assert flake8(['proj/settings/production.py'], root) == []


def test_star_import_cycle_through_a_symlink(tmp_path: Path) -> None:
    """two.py links to one.py, which star-imports .two: a cycle by content, finite by path."""
    root = write(tmp_path, {
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/one.py': (
            'from .two import *  # noqa: F403\n\nORIGIN = "cycle.example.com"\n'
            'DEBUG = False\nCSRF_TRUSTED_ORIGINS = [ORIGIN]\n'
        ),
    })
    _link(root / 'proj' / 'settings' / 'two.py', 'one.py')
    lines = flake8(['--select=DJS126', 'proj'], root)
    assert lines == check(['--select=DJS126', 'proj'], root)
    assert lines == flake8(['--select=DJS126', 'proj'], root)


def test_parent_relative_import(tmp_path: Path) -> None:
    """``from ..base import *`` reads proj/base.py, the parent package's module."""
    root = write(tmp_path, {
        'proj/__init__.py': '',
        'proj/base.py': 'ORIGIN = "parent.example.com"\n',
        'proj/settings/__init__.py': '',
        'proj/settings/production.py': PRODUCTION.replace('from .base', 'from ..base'),
    })
    assert flake8(['--select=DJS126', 'proj/settings/production.py'], root) == [
        ORIGIN_FINDING.format('parent.example.com'),
    ]


def test_relative_import_beyond_the_file_system_root(tmp_path: Path) -> None:
    """More dots than folders up to ``/``: no module found, nothing reported, no error."""
    depth = len(tmp_path.parts) + 5
    root = split(tmp_path)
    (root / 'proj' / 'settings' / 'production.py').write_text(
        PRODUCTION.replace('from .base', 'from {0}nowhere'.format('.' * depth)), encoding='utf-8',
    )
    assert flake8(['proj/settings/production.py'], root) == []


def test_namespace_package_without_init(tmp_path: Path) -> None:
    """A settings folder without ``__init__.py`` is a namespace package: imports still work."""
    root = write(tmp_path, {
        'proj/settings/base.py': 'ORIGIN = "namespace.example.com"\n',
        'proj/settings/production.py': PRODUCTION,
    })
    assert flake8(['--select=DJS126', 'proj'], root) == [ORIGIN_FINDING.format('namespace.example.com')]



# --- The one reading helper ---------------------------------------------------------------

def test_read_source_reads_regular_files_only(tmp_path: Path) -> None:
    """Regular files (through links) are read; everything else is None, at once."""
    regular = tmp_path / 'regular.py'
    regular.write_bytes(b'X = 1\n')
    _link(tmp_path / 'link.py', regular)
    os.mkfifo(tmp_path / 'fifo.py')
    (tmp_path / 'folder.py').mkdir()
    _link(tmp_path / 'broken.py', tmp_path / 'missing.py')
    _link(tmp_path / 'self.py', 'self.py')
    read = sources.read_source(str(regular))
    assert read is not None
    assert read.raw == b'X = 1\n'
    status = regular.stat()
    assert read.key == (status.st_mtime_ns, status.st_size)
    linked = sources.read_source(str(tmp_path / 'link.py'))
    assert linked is not None
    assert linked.raw == read.raw
    for name in ('fifo.py', 'folder.py', 'broken.py', 'self.py', 'missing.py'):
        assert sources.read_source(str(tmp_path / name)) is None, name
        assert not sources.is_regular(str(tmp_path / name)), name
    assert sources.is_regular(str(regular))
    assert sources.read_source('/dev/zero') is None
    assert sources.read_source(os.devnull) is None
    assert sources.read_source('nul\x00in-path.py') is None
    assert not sources.is_regular('nul\x00in-path.py')


def test_read_source_size_cap(tmp_path: Path) -> None:
    """A file of exactly the cap is read; one byte more is not."""
    at_cap = tmp_path / 'at_cap.py'
    at_cap.write_bytes(b'#' * sources.MAX_SOURCE_BYTES)
    over = tmp_path / 'over.py'
    over.write_bytes(b'#' * (sources.MAX_SOURCE_BYTES + 1))
    read = sources.read_source(str(at_cap))
    assert read is not None
    assert len(read.raw) == sources.MAX_SOURCE_BYTES
    assert sources.read_source(str(over)) is None


def test_read_source_failures_are_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing open, fstat or read (permission, I/O error) reads as None, the descriptor closed."""
    target = tmp_path / 'base.py'
    target.write_bytes(b'X = 1\n')
    closed: list[int] = []
    real_close = os.close

    def close(descriptor: int) -> None:
        closed.append(descriptor)
        real_close(descriptor)

    def failing(*args: object) -> None:
        raise PermissionError(13, 'Permission denied')

    monkeypatch.setattr(os, 'close', close)
    for function in ('open', 'fstat', 'read'):
        with monkeypatch.context() as patched:
            patched.setattr(os, function, failing)
            assert sources.read_source(str(target)) is None, function
    assert len(closed) == 2  # fstat and read failed on an open descriptor: both closed


@pytest.mark.parametrize('case', sorted(DECODABLE))
def test_decode_and_parse_agree_with_python(case: str) -> None:
    """What Python imports, the helpers decode (as tokenize.open) and parse (as compile)."""
    content, host = DECODABLE[case]
    text = sources.decode_source(content)
    assert text is not None
    assert host in text
    tree = sources.parse_source(content, 'base.py')
    assert tree is not None
    assert ast.literal_eval(tree.body[-1].value) == host  # type: ignore[attr-defined]


@pytest.mark.parametrize('case', sorted(UNDECODABLE))
def test_python_refuses_what_the_helpers_refuse(tmp_path: Path, case: str) -> None:
    """Every undecodable case: compile() refuses it, and so does parse_source."""
    content = UNDECODABLE[case]
    with pytest.raises((SyntaxError, ValueError)):
        compile(content, 'base.py', 'exec')
    assert sources.parse_source(content, 'base.py') is None


@pytest.mark.parametrize('case', [
    case for case in sorted(UNDECODABLE) if sources.decode_source(UNDECODABLE[case]) is None
    and 'codec' not in case
])
def test_latin1_fallback_is_what_flake8_reads(tmp_path: Path, case: str) -> None:
    """For a file Python cannot decode, the fallback text is flake8's own reading of it."""
    target = tmp_path / 'base.py'
    target.write_bytes(UNDECODABLE[case].replace(b'\n', b'\r\n'))
    flake8_text = flake8_reads(target)
    assert sources.latin1_fallback(target.read_bytes()) == flake8_text


#: Modules that open files for another purpose than reading analysed code.
OTHER_FILES: Final = {
    'documentation.py': 'reads and writes the generated rule pages',
    'formatter.py': 'writes the SARIF report',
    '__main__.py': 'points standard output at os.devnull after a broken pipe',
    'pyproject.py': "reads the standalone command's configuration",
    'sources.py': 'the helper itself',
}


def test_package_reads_files_only_through_the_helper() -> None:
    """No other module opens a file: every read of analysed code goes through sources.py."""
    package = Path(sources.__file__).parent.parent
    modules = [path for path in sorted(package.rglob('*.py')) if path.name not in OTHER_FILES]
    assert len(modules) > 30
    readers = {'open', 'read_text', 'read_bytes', 'fdopen', 'detect_encoding', 'decode_source'}
    found = [
        '{0}:{1}'.format(path.name, node.lineno)
        for path in modules
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8')))
        if isinstance(node, ast.Call) and _called_name(node.func) in readers
    ]
    assert found == []


def _called_name(function: ast.expr) -> str:
    """The name a call reads by, except the helper's own (``sources.decode_source``)."""
    if isinstance(function, ast.Attribute):
        is_helper = isinstance(function.value, ast.Name) and function.value.id == 'sources'
        return '' if is_helper else function.attr
    return function.id if isinstance(function, ast.Name) else ''


#: Bytes of a linted file, and whether Python decodes them (else flake8 falls back to latin-1).
LINTED: Final = {
    'CRLF': b'X = 1\r\nY = 2\r\n',
    'lone CR line ends, no final newline': b'X = 1\rY = 2\r',
    'BOM': b'\xef\xbb\xbfX = "\xc3\xa9"\n',
    'latin-1 cookie': b'# coding: latin-1\nX = "\xe9"\r\n',
    'latin-1, no cookie (fallback)': b'X = "\xe9"\r',
    'BOM and latin-1 cookie (fallback)': b'\xef\xbb\xbf# coding: latin-1\nX = "\xe9"\n',
}


@pytest.mark.parametrize('case', sorted(LINTED))
def test_linted_file_is_recognised_as_flake8_read_it(tmp_path: Path, case: str) -> None:
    """adopt() sees that flake8's text is the file on disk, whatever its encoding or line ends."""
    target = tmp_path / 'settings.py'
    target.write_bytes(LINTED[case])
    text = flake8_reads(target)
    tree = ast.parse(text)
    assert project.adopt(str(target), text, tree)
    expected = None if 'fallback' in case else tree
    assert project.parse_file(str(target)) is expected
    assert not project.adopt(str(target), text + '# edited\n', tree)
