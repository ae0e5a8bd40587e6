"""
Versions from the repository, end to end: the real ``flake8`` and ``flake8-djsec check``.

A project pins django-csp or Django in a requirements file, ``pyproject.toml``,
``uv.lock`` or ``poetry.lock``; the findings that depend on the version change
with the pin, name where it came from, and an option still wins.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Final

import pytest

from tests.test_command import COMMAND, djs_lines, run_command, run_flake8_djs

#: django-csp's middleware with settings written for django-csp < 4.0 only.
LEGACY_CSP: Final = '''\
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
]
CSP_DEFAULT_SRC = ("'self'",)
CSP_OBJECT_SRC = ("'none'",)
CSP_BASE_URI = ("'none'",)
'''
#: Django's CSP setting written as a string: security.E026 from Django 6.0 on.
STRING_POLICY: Final = '''\
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_CSP = "default-src 'self'"
'''
IGNORED: Final = 'which django-csp 4 ignores'
NOT_SENT: Final = 'no Content Security Policy is sent'


def lay_out(root: Path, settings: str, files: dict[str, str]) -> Path:
    """A repository (``.git``) with ``proj/settings.py`` and the pin files."""
    (root / '.git').mkdir()
    (root / 'proj').mkdir()
    (root / 'proj' / 'settings.py').write_text(settings, encoding='utf-8')
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


def both(root: Path, *options: str) -> list[str]:
    """The DJS14x lines of flake8 and of the command, which must agree; flake8's."""
    args = ['--select=DJS14', *options, 'proj/settings.py']
    flake8 = djs_lines(run_flake8_djs(args, root).stdout)
    command = djs_lines(run_command(args, root).stdout)
    assert flake8 == command
    return flake8


def codes_of(lines: list[str]) -> list[str]:
    return [line.split()[1] for line in lines]


def test_without_pins_django_csp_is_unknown(tmp_path: Path) -> None:
    """No pin and nothing installed: the CSP_* settings are only old (DJS145), no DJS140."""
    lines = both(lay_out(tmp_path, LEGACY_CSP, {'requirements.txt': 'Django==5.2\n'}))
    assert codes_of(lines) == ['DJS145'] * 3
    assert all(line.endswith('{0}; move it to CONTENT_SECURITY_POLICY'.format(IGNORED)) for line in lines)


@pytest.mark.parametrize(('files', 'origin'), [
    (
        {'requirements/base.txt': 'django-csp==4.0.1\n', 'requirements/production.txt': '-r base.txt\n'},
        'django-csp 4.0.1 pinned in requirements/base.txt',
    ),
    (
        {'pyproject.toml': '[project]\nname = "site"\ndependencies = ["django-csp>=4.0"]\n'},
        'django-csp >=4.0 pinned in pyproject.toml',
    ),
    (
        {
            'pyproject.toml': '[project]\nname = "site"\ndependencies = ["django-csp"]\n',
            'uv.lock': '[[package]]\nname = "django-csp"\nversion = "4.0"\n',
        },
        'django-csp 4.0 locked in uv.lock',
    ),
    (
        {'poetry.lock': '[[package]]\nname = "django-csp"\nversion = "4.0.2"\n'},
        'django-csp 4.0.2 locked in poetry.lock',
    ),
])
def test_django_csp_4_pinned_sends_no_policy(tmp_path: Path, files: dict[str, str], origin: str) -> None:
    """django-csp 4 pinned and only CSP_* settings: DJS140 with DJS145, both saying why."""
    lines = both(lay_out(tmp_path, LEGACY_CSP, files))
    assert codes_of(lines) == ['DJS140', 'DJS145', 'DJS145', 'DJS145']
    assert lines[0] == (
        'proj/settings.py:1:1: DJS140 no enforced Content Security Policy: '
        'CONTENT_SECURITY_POLICY is not set, so django-csp 4 sends no header ({0}); it ignores '
        'CSP_DEFAULT_SRC, CSP_OBJECT_SRC, CSP_BASE_URI, written for django-csp < 4.0'.format(origin)
    )
    assert lines[1] == (
        'proj/settings.py:5:1: DJS145 CSP_DEFAULT_SRC is a django-csp < 4.0 setting, {0} ({1}): '
        '{2}; move it to CONTENT_SECURITY_POLICY'.format(IGNORED, origin, NOT_SENT)
    )


def test_django_csp_4_pinned_with_a_policy_sent(tmp_path: Path) -> None:
    """Leftover CSP_* next to CONTENT_SECURITY_POLICY: ignored, but a policy is sent."""
    settings = LEGACY_CSP + (
        'CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["\'self\'"], '
        '"object-src": ["\'none\'"], "base-uri": ["\'none\'"]}}\n'
    )
    lines = both(lay_out(tmp_path, settings, {'requirements.txt': 'django-csp==4.0.1\n'}))
    assert codes_of(lines) == ['DJS145'] * 3
    assert NOT_SENT not in lines[0]
    assert '(django-csp 4.0.1 pinned in requirements.txt); move it' in lines[0]


def test_django_csp_3_pinned_judges_the_legacy_policy(tmp_path: Path) -> None:
    """Before 4.0 the CSP_* settings are the policy: a weak one is judged, and DJS145 is silent."""
    settings = LEGACY_CSP + 'CSP_SCRIPT_SRC = ("\'self\'", "https:")\n'
    lines = both(lay_out(tmp_path, settings, {'requirements.txt': 'django-csp<4\n'}))
    assert codes_of(lines) == ['DJS142']
    assert 'CSP_SCRIPT_SRC allows https: in script-src' in lines[0]
    (tmp_path / 'newer').mkdir()
    newer = both(lay_out(tmp_path / 'newer', settings, {'requirements.txt': 'django-csp>=4\n'}))
    assert 'DJS145' in codes_of(newer)


def test_without_the_pin_the_legacy_policy_is_not_judged(tmp_path: Path) -> None:
    settings = LEGACY_CSP + 'CSP_SCRIPT_SRC = ("\'self\'", "https:")\n'
    assert codes_of(both(lay_out(tmp_path, settings, {}))) == ['DJS145'] * 4


def test_option_wins_over_the_pin(tmp_path: Path) -> None:
    root = lay_out(tmp_path, LEGACY_CSP, {'requirements.txt': 'django-csp==3.8\n'})
    lines = both(root, '--djsec-django-csp-version=4.1')
    assert codes_of(lines) == ['DJS140'] + ['DJS145'] * 3
    assert '(django-csp 4.1 from --djsec-django-csp-version' in lines[1]
    assert not both(root, '--djsec-django-csp-version=3.9')


def test_option_in_configuration_wins_over_the_pin(tmp_path: Path) -> None:
    root = lay_out(tmp_path, LEGACY_CSP, {
        'requirements.txt': 'django-csp==3.8\n',
        'setup.cfg': '[flake8]\ndjsec-django-csp-version = 4.1\n',
    })
    args = ['--select=DJS14', 'proj/settings.py']
    flake8 = djs_lines(run_flake8_djs(args, root, isolated=False).stdout)
    assert flake8 == djs_lines(run_command(args, root, isolated=False).stdout)
    assert codes_of(flake8) == ['DJS140'] + ['DJS145'] * 3


@pytest.mark.parametrize(('files', 'fires'), [
    ({}, True),  # nothing pinned or installed: the newest Django, 6.1
    ({'requirements.txt': 'Django==5.2.1\n'}, False),
    ({'requirements.txt': 'Django~=6.0.0\n'}, True),
    ({'pyproject.toml': '[project]\nname = "s"\ndependencies = ["Django>=5.2,<5.3"]\n'}, False),
    ({'pyproject.toml': '[tool.poetry.dependencies]\nDjango = "^4.2"\n'}, False),
    ({'uv.lock': '[[package]]\nname = "django"\nversion = "5.1.3"\n'}, False),
    ({'poetry.lock': '[[package]]\nname = "Django"\nversion = "6.0.1"\n'}, True),
    ({'requirements.txt': 'Django>=4.2\n'}, True),  # undecidable: the newest
])
def test_django_version_from_pins_decides_e026(
    tmp_path: Path, files: dict[str, str], fires: bool,
) -> None:
    """DJS143 (security.E026) exists from Django 6.0: the pinned series decides."""
    lines = both(lay_out(tmp_path, STRING_POLICY, files))
    assert ('DJS143' in codes_of(lines)) is fires


def test_django_pin_is_named_in_the_message(tmp_path: Path) -> None:
    settings = 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
    lines = both(lay_out(tmp_path, settings, {'requirements.txt': 'Django==4.2.11\n'}))
    assert lines == [
        "proj/settings.py:1:1: DJS140 no enforced Content Security Policy: MIDDLEWARE has no CSP "
        "middleware; add django-csp's 'csp.middleware.CSPMiddleware' and set "
        'CONTENT_SECURITY_POLICY (Django 4.2.11 pinned in requirements.txt)',
    ]


def test_django_option_wins_over_the_pin(tmp_path: Path) -> None:
    root = lay_out(tmp_path, STRING_POLICY, {'requirements.txt': 'Django==5.2.1\n'})
    assert 'DJS143' in codes_of(both(root, '--djsec-django-version=6.0'))


def test_malformed_pins_are_unknown_never_a_crash(tmp_path: Path) -> None:
    root = lay_out(tmp_path, LEGACY_CSP, {
        'pyproject.toml': '[project\ndependencies = ["django-csp==4.0"]\n',
        'uv.lock': '\x00\x01\x02',
        'Pipfile.lock': '{"default": ',
        'requirements.txt': '-r requirements.txt\ndjango-csp===\n',
    })
    result = run_flake8_djs(['--select=DJS', 'proj/settings.py'], root)
    assert result.stderr == ''
    assert 'DJS000' not in result.stdout
    assert codes_of(djs_lines(result.stdout)).count('DJS140') == 0


def _deployments(root: Path, *args: str) -> str:
    result = subprocess.run(
        [COMMAND, 'deployments', '--isolated', *args],
        cwd=root, capture_output=True, text=True, timeout=300, check=False,
    )
    assert (result.returncode, result.stderr) == (0, '')
    return result.stdout


def test_deployments_lists_the_versions_and_their_origins(tmp_path: Path) -> None:
    root = lay_out(tmp_path, LEGACY_CSP, {
        'requirements.txt': 'Django==4.2.11\n',
        'uv.lock': '[[package]]\nname = "django-csp"\nversion = "4.0.1"\n',
    })
    assert _deployments(root) == (
        'deployment modules:\n'
        '  proj/settings.py: a leaf settings module (no other settings module imports it)\n'
        '    versions: Django 4.2 (Django 4.2.11 pinned in requirements.txt), '
        'django-csp 4.0 (django-csp 4.0.1 locked in uv.lock)\n'
        'not deployments:\n'
    )
    report = json.loads(_deployments(root, '--format=json', '--djsec-django-version=5.2'))
    assert report['deployments'][0]['versions'] == {
        'django': '5.2',
        'django_origin': 'Django 5.2 from --djsec-django-version',
        'django_csp': '4.0',
        'django_csp_origin': 'django-csp 4.0.1 locked in uv.lock',
    }


def test_deployments_without_pins_shows_no_versions_line(tmp_path: Path) -> None:
    output = _deployments(lay_out(tmp_path, LEGACY_CSP, {}))
    assert 'versions:' not in output
    assert 'proj/settings.py: a leaf settings module' in output
