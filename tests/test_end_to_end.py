"""End to end: the real ``flake8`` executable on files, folders and stdin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_flake8

SETTINGS = '''\
import os
DEBUG = os.environ.get("DJANGO_DEBUG", "False")
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
]
PERMISSIONS_POLICY = {"camera": [], "geolocation": []}
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {"default-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"]},
}
'''

DEBUG_LINE = (
    'DJS100 DEBUG is \'False\' in deployment settings '
    '(default of environment variable DJANGO_DEBUG); set DEBUG = False'
)

EXAMPLE = Path(__file__).resolve().parent.parent / 'examples' / 'insecure_project'


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_version_lists_the_plugin(tmp_path: Path) -> None:
    """``flake8 --version`` names flake8-djsec."""
    result = run_flake8(['--version'], tmp_path)
    assert result.returncode == 0
    assert re.search(r'flake8-djsec: \d+\.\d+', result.stdout.replace('\n', ' '))


def test_file(project) -> None:  # type: ignore[no-untyped-def]
    """A settings file on disk: exact output line, only our code."""
    root = project({'proj/settings.py': SETTINGS})
    result = run_flake8(['--select=DJS', 'proj/settings.py'], root)
    assert _lines(result.stdout) == ['proj/settings.py:2:1: {0}'.format(DEBUG_LINE)]
    assert result.returncode == 1


def test_secure_file_is_clean(project) -> None:  # type: ignore[no-untyped-def]
    """The same settings with DEBUG fixed produce nothing, exit status 0."""
    root = project({'proj/settings.py': SETTINGS.replace('"False")', 'False)').replace(
        'os.environ.get("DJANGO_DEBUG", False)', 'False',
    )})
    result = run_flake8(['--select=DJS', 'proj/settings.py'], root)
    assert result.stdout == ''
    assert result.returncode == 0


def test_folder(project) -> None:  # type: ignore[no-untyped-def]
    """A folder: settings, urls and views are each judged; development settings are not."""
    root = project({
        'proj/settings.py': SETTINGS,
        'proj/local_settings.py': 'DEBUG = True\nINSTALLED_APPS = []\nMIDDLEWARE = []\n',
        'proj/urls.py': (
            'from django.contrib import admin\nfrom django.urls import path\n\n'
            'urlpatterns = [path("admin/", admin.site.urls)]\n'
        ),
        'shop/views.py': (
            'from django.views.decorators.csrf import csrf_exempt\n\n\n'
            '@csrf_exempt\ndef hook(request):\n    return None\n'
        ),
    })
    result = run_flake8(['--select=DJS', '.'], root)
    assert _lines(result.stdout) == [
        './proj/settings.py:2:1: {0}'.format(DEBUG_LINE),
        "./proj/urls.py:4:16: DJS150 admin site mounted at the default URL 'admin/'; "
        'mount it at a path of your own',
        './shop/views.py:4:2: DJS122 view exempted from CSRF protection by @csrf_exempt; '
        'send the CSRF token instead, or justify the exemption',
    ]


VIEWS = '''\
from django.db import connection
from django.utils import safestring
from django.utils.html import format_html


def search(request):
    term = request.GET["q"]
    sql = f"SELECT id FROM shop_order WHERE note LIKE '%{term}%'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.execute("SELECT id FROM shop_order WHERE note LIKE %s", [term])
    return safestring.mark_safe("<b>%s</b>" % term), format_html("<b>{}</b>", term)
'''


def test_code_rules_on_views(project) -> None:  # type: ignore[no-untyped-def]
    """DJS160 and DJS161 through the real executable; the fixed forms report nothing."""
    root = project({'shop/views.py': VIEWS})
    result = run_flake8(['--select=DJS', 'shop/views.py'], root)
    assert _lines(result.stdout) == [
        "shop/views.py:10:24: DJS161 SQL built by an f-string from request.GET['q'] passed to "
        '.execute(): SQL injection; keep the SQL a literal and pass the values as parameters',
        "shop/views.py:12:12: DJS160 mark_safe() on % formatting with request.GET['q']: its text is "
        'not escaped; '
        'build the HTML with format_html() instead',
    ]
    assert result.returncode == 1
    fixed = VIEWS.replace('cursor.execute(sql)', 'cursor.execute(sql.replace("x", "y"), [])').replace(
        'safestring.mark_safe("<b>%s</b>" % term)', 'safestring.mark_safe("<b>fixed</b>")',
    ).replace('f"SELECT id FROM shop_order WHERE note LIKE \'%{term}%\'"', '"SELECT 1"')
    clean = project({'shop/views.py': fixed})
    result = run_flake8(['--select=DJS', 'shop/views.py'], clean)
    assert result.stdout == ''
    assert result.returncode == 0


@pytest.mark.parametrize('display_name', ['proj/settings.py', './proj/settings.py'])
def test_stdin_with_display_name(tmp_path: Path, display_name: str) -> None:
    """An editor buffer on stdin is judged by its display name."""
    result = run_flake8(
        ['--select=DJS', '--stdin-display-name={0}'.format(display_name), '-'], tmp_path, stdin=SETTINGS,
    )
    assert _lines(result.stdout) == ['{0}:2:1: {1}'.format(display_name, DEBUG_LINE)]


def test_stdin_display_name_of_development_settings(tmp_path: Path) -> None:
    """A development settings buffer reports nothing."""
    result = run_flake8(
        ['--select=DJS', '--stdin-display-name=proj/settings/dev.py', '-'], tmp_path, stdin=SETTINGS,
    )
    assert result.stdout == ''


def test_plain_stdin_is_judged_by_content(tmp_path: Path) -> None:
    """Without a display name, a module assigning Django settings is still settings."""
    result = run_flake8(['--select=DJS', '-'], tmp_path, stdin=SETTINGS)
    assert _lines(result.stdout) == ['stdin:2:1: {0}'.format(DEBUG_LINE)]


def test_noqa(project) -> None:  # type: ignore[no-untyped-def]
    """``# noqa: DJS100`` on the assignment silences the finding where it is reported."""
    silenced = SETTINGS.replace('"False")\n', '"False")  # noqa: DJS100\n')
    root = project({'proj/settings.py': silenced})
    assert run_flake8(['--select=DJS', 'proj/settings.py'], root).stdout == ''


def test_noqa_other_code_keeps_finding(project) -> None:  # type: ignore[no-untyped-def]
    """A noqa for another code does not hide DJS100."""
    other = SETTINGS.replace('"False")\n', '"False")  # noqa: DJS101\n')
    root = project({'proj/settings.py': other})
    assert len(_lines(run_flake8(['--select=DJS', 'proj/settings.py'], root).stdout)) == 1


def test_select_keeps_other_plugins_out(project) -> None:  # type: ignore[no-untyped-def]
    """``--select=DJS`` shows only our codes; the default run shows them beside pycodestyle's."""
    root = project({'proj/settings.py': SETTINGS + 'X=1\n'})
    selected = _lines(run_flake8(['--select=DJS', 'proj/settings.py'], root).stdout)
    everything = _lines(run_flake8(['proj/settings.py'], root).stdout)
    assert all(' DJS' in line for line in selected)
    assert any(' E225 ' in line for line in everything)
    assert any(' DJS100 ' in line for line in everything)


def test_extend_ignore(project) -> None:  # type: ignore[no-untyped-def]
    """``--extend-ignore=DJS100`` drops that code only."""
    root = project({'proj/settings.py': SETTINGS + 'SECRET_KEY_FALLBACKS = ["short"]\n'})
    result = run_flake8(['--select=DJS', '--extend-ignore=DJS100', 'proj/settings.py'], root)
    assert [line.split()[1] for line in _lines(result.stdout)] == ['DJS103']


def test_per_file_ignores(project) -> None:  # type: ignore[no-untyped-def]
    """``per-file-ignores`` in setup.cfg silences a code for one module."""
    root = project({
        'proj/settings.py': SETTINGS,
        'setup.cfg': '[flake8]\nselect = DJS\nper-file-ignores =\n    proj/settings.py: DJS100\n',
    })
    result = run_flake8(['--config', 'setup.cfg', 'proj/settings.py'], root)
    assert result.stdout == ''


def test_env_option_from_command_line_and_config(project) -> None:  # type: ignore[no-untyped-def]
    """``--djsec-env`` evaluates under given variables, repeatable and from setup.cfg."""
    root = project({
        'proj/settings.py': SETTINGS,
        'setup.cfg': '[flake8]\nselect = DJS\ndjsec-env =\n    DJANGO_DEBUG=\n    OTHER=1\n',
    })
    assert run_flake8(['--config', 'setup.cfg', 'proj/settings.py'], root).stdout == ''
    flagged = run_flake8(
        ['--select=DJS', '--djsec-env', 'DJANGO_DEBUG=yes', '--djsec-env', 'X=1', 'proj/settings.py'], root,
    )
    assert _lines(flagged.stdout) == [
        "proj/settings.py:2:1: DJS100 DEBUG is 'yes' in deployment settings "
        '(environment variable DJANGO_DEBUG); set DEBUG = False',
    ]


@pytest.mark.parametrize(('option', 'fragment'), [
    ('--djsec-env=NOEQUALS', '--djsec-env expects NAME=VALUE'),
    ('--djsec-hsts-min-seconds=a year', '--djsec-hsts-min-seconds expects a whole number'),
    ('--djsec-django-version=latest', '--djsec-django-version expects X.Y'),
    ('--djsec-django-version=3.2', 'older than the oldest supported series'),
])
def test_bad_option_is_one_line(project, option: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    """A bad option value gives one line on stderr, exit status 2, no traceback."""
    root = project({'proj/settings.py': SETTINGS})
    result = run_flake8(['--select=DJS', option, 'proj/settings.py'], root)
    assert result.returncode == 2
    assert _lines(result.stderr) == ['flake8: error: {0}'.format(_lines(result.stderr)[0].split(': ', 2)[2])]
    assert fragment in result.stderr
    assert 'Traceback' not in result.stderr


def test_jobs_give_identical_output(project) -> None:  # type: ignore[no-untyped-def]
    """``-j2`` over several files prints exactly what ``-j1`` prints."""
    files = {'app{0}/settings.py'.format(number): SETTINGS for number in range(6)}
    files.update({'app{0}/views.py'.format(number): (
        'from django.views.decorators.csrf import csrf_exempt\n\nhook = csrf_exempt(print)\n'
    ) for number in range(6)})
    root = project(files)
    single = run_flake8(['--select=DJS', '-j1', '.'], root)
    double = run_flake8(['--select=DJS', '-j2', '.'], root)
    assert len(_lines(single.stdout)) == 12
    assert sorted(_lines(single.stdout)) == sorted(_lines(double.stdout))


def test_syntax_error_is_flake8s_alone(project) -> None:  # type: ignore[no-untyped-def]
    """A file that does not parse gets flake8's E999 and nothing from us."""
    root = project({'proj/settings.py': 'DEBUG = (\n'})
    result = run_flake8(['proj/settings.py'], root)
    assert [line.split()[1] for line in _lines(result.stdout)] == ['E999']


def test_linting_never_executes_the_settings(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A settings module that would write a file when executed writes nothing when linted."""
    marker = tmp_path / 'executed.txt'
    root = project({'proj/settings.py': SETTINGS + 'open({0!r}, "w").write("ran")\n'.format(str(marker))})
    run_flake8(['--select=DJS', 'proj/settings.py'], root)
    run_flake8(['--select=DJS', '--stdin-display-name=proj/settings.py', '-'], root, stdin=(root / 'proj/settings.py').read_text())
    assert not marker.exists()


def test_example_project_shows_findings() -> None:
    """The README's first command: the bundled example reports DJS findings in each file kind."""
    result = run_flake8(['--select=DJS', '.'], EXAMPLE)
    lines = _lines(result.stdout)
    reported = {line.split()[1] for line in lines}
    assert {'DJS100', 'DJS101', 'DJS102', 'DJS105', 'DJS106', 'DJS121', 'DJS122', 'DJS150'} <= reported
    assert {line.split(':')[0] for line in lines} == {
        './mysite/settings.py', './mysite/urls.py', './shop/urls.py', './shop/views.py',
    }
