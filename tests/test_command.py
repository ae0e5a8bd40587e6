"""
The standalone command ``flake8-djsec check``, run as the real console script.

The equivalence tests run it and the real ``flake8`` executable over the same
projects (the bundled example, the layouts of test_layouts.py, every rule
fixture laid out as a project, noqa comments of every form, configuration
files) and require identical findings: path, line, column, code and message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pytest

from tests import test_layouts as layouts
from tests.conftest import FLAKE8
from tests.test_end_to_end import DEBUG_LINE, EXAMPLE, SETTINGS
from tests.test_rules import fixture_files, parse_fixture

_DJS_LINE: Final = re.compile(r'^.+:\d+:\d+: DJS\d{3} ')
#: The console script installed with the package.
COMMAND: Final = str(Path(sys.executable).with_name('flake8-djsec'))

CSRF_VIEW: Final = (
    'from django.views.decorators.csrf import csrf_exempt\n\n\n'
    '@csrf_exempt\ndef hook(request):\n    return None\n'
)
ADMIN_URLS: Final = (
    'from django.contrib import admin\nfrom django.urls import path\n\n'
    'urlpatterns = [path("admin/", admin.site.urls)]\n'
)


def run_command(
    args: Sequence[str], cwd: Path, *, isolated: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``flake8-djsec check`` (isolated from configuration files unless told)."""
    return subprocess.run(
        [COMMAND, 'check', *(['--isolated'] if isolated else []), *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )


def run_flake8_djs(
    args: Sequence[str], cwd: Path, *, isolated: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run the real flake8 with every plugin; the caller keeps the DJS lines."""
    return subprocess.run(
        [FLAKE8, *(['--isolated'] if isolated else []), *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )


def djs_lines(output: str) -> list[str]:
    """Return the DJS lines of an output, in order (flake8 sorts by path, line, column)."""
    return [line for line in output.splitlines() if _DJS_LINE.match(line)]


def assert_equivalent(
    root: Path, args: Sequence[str] = ('.',), *, isolated: bool = True,
) -> list[str]:
    """Require the command and flake8 to print the same DJS findings; return them."""
    ours = run_command(args, root, isolated=isolated)
    theirs = run_flake8_djs(args, root, isolated=isolated)
    assert all(line.startswith('flake8-djsec: skipped ') for line in ours.stderr.splitlines())
    assert djs_lines(ours.stdout) == ours.stdout.splitlines()
    assert ours.stdout.splitlines() == djs_lines(theirs.stdout)
    assert ours.returncode == (1 if ours.stdout else 0)
    return ours.stdout.splitlines()


def write(root: Path, files: dict[str, str]) -> Path:
    """Write files under ``root``; return it."""
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


# Equivalence -----------------------------------------------------------------------------


def test_example_project_is_equivalent(tmp_path: Path) -> None:
    """The bundled insecure project: every finding identical, from a copy outside the repo."""
    root = tmp_path / 'insecure_project'
    shutil.copytree(EXAMPLE, root)
    lines = assert_equivalent(root)
    assert len(lines) >= 20
    assert {'./mysite/settings.py', './mysite/urls.py', './shop/urls.py', './shop/views.py'} == {
        line.split(':')[0] for line in lines
    }


def test_example_project_by_file_names(tmp_path: Path) -> None:
    """Explicit file names print as given, as flake8 prints them."""
    root = tmp_path / 'insecure_project'
    shutil.copytree(EXAMPLE, root)
    lines = assert_equivalent(root, ['mysite/settings.py', 'shop/views.py', 'mysite/urls.py'])
    assert lines[-1].startswith('shop/views.py:10:2: DJS122 ')


LAYOUTS: Final = {
    'split': {
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': layouts.BASE,
        'proj/settings/production.py': layouts.PRODUCTION,
        'proj/settings/local.py': layouts.LOCAL,
    },
    'absolute-star-import': {
        'proj/__init__.py': '',
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': layouts.BASE,
        'proj/settings/production.py': layouts.PRODUCTION.replace(
            'from .base import *', 'from proj.settings.base import *',
        ),
    },
    'wsgi': {
        'config/__init__.py': '',
        'config/wsgi.py': (
            'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", '
            '"config.settings.production")\n'
        ),
        'config/settings/__init__.py': '',
        'config/settings/base.py': layouts.BASE,
        'config/settings/production.py': layouts.PRODUCTION,
        'config/settings/staging.py': 'from .base import *  # noqa: F403\n\nDEBUG = True\n',
    },
    'optional-local': {
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': layouts.BASE,
        'proj/settings/production.py': layouts.PRODUCTION + (
            '\ntry:\n    from .overrides import *  # noqa: F403\nexcept ImportError:\n    pass\n'
        ),
        'proj/settings/overrides.py': 'SESSION_COOKIE_SECURE = True\n',
    },
    'split-settings-include': {
        'proj/settings/__init__.py': (
            'from split_settings.tools import include, optional\n\n'
            'include(\n    "components/base.py",\n    "components/security.py",\n'
            '    optional("components/local.py"),\n)\n'
        ),
        'proj/settings/components/__init__.py': '',
        'proj/settings/components/base.py': layouts.BASE,
        'proj/settings/components/security.py': (
            'DEBUG = False\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\n'
            'SECURE_HSTS_PRELOAD = True\nCSRF_COOKIE_SECURE = True\n'
            'ALLOWED_HOSTS = ["shop.example.com"]\n'
        ),
    },
    'star-import-cycle': {
        'proj/settings/__init__.py': '',
        'proj/settings/one.py': 'from .two import *  # noqa: F403\nDEBUG = True\n',
        'proj/settings/two.py': 'from .one import *  # noqa: F403\nINSTALLED_APPS = []\n',
    },
    'unparsable-sibling': {
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': 'DEBUG = (\n',
        'proj/settings/production.py': layouts.PRODUCTION + 'SESSION_COOKIE_SAMESITE = None\n',
    },
    'built-on-dev': {
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': layouts.BASE,
        'proj/settings/dev.py': layouts.LOCAL,
        'proj/settings/docker.py': 'from .dev import *  # noqa: F403\n\nSECRET_KEY = None\n',
        'proj/settings/production.py': layouts.PRODUCTION + 'SESSION_COOKIE_SAMESITE = None\n',
    },
    'code-and-migrations': {
        'proj/settings.py': SETTINGS,
        'proj/urls.py': ADMIN_URLS,
        'shop/views.py': CSRF_VIEW,
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': 'from django.views.decorators.csrf import csrf_exempt\n'
        'hook = csrf_exempt(print)\n',
    },
}


def test_layouts_are_equivalent(tmp_path: Path) -> None:
    """The project layouts of test_layouts.py, each in a folder: the same findings from both."""
    for name, files in LAYOUTS.items():
        write(tmp_path / name, files)
    lines = assert_equivalent(tmp_path)
    assert {line.split('/')[1] for line in lines} == set(LAYOUTS) - {'star-import-cycle'}


def test_rule_fixtures_as_a_project_are_equivalent(tmp_path: Path) -> None:
    """Every rule fixture, at its lint-as path in a folder of its own: identical findings."""
    for fixture in fixture_files():
        source, lint_as, _ = parse_fixture(fixture)
        write(tmp_path, {'{0}/{1}'.format(fixture.stem, lint_as): source})
    lines = assert_equivalent(tmp_path)
    reported = {line.split()[1] for line in lines}
    assert len(reported) >= 30  # nearly every code fires somewhere


NOQA_FORMS: Final = (
    '  # noqa',
    '  # NOQA',
    '  # noqa: DJS100',
    '  # noqa:DJS100',
    '  # noqa:djs100',
    '  # noqa: DJS1',
    '  # noqa: E501,DJS100',
    '  # noqa: E501 DJS100',
    '  # noqa: DJS101',
    '  # noqa: E501',
    '  # noqa : DJS101',
    '  # noqa:',
    '  # noqa: DJS1000',
    '  #noqa',
    '  # type: ignore # noqa: DJS100',
)


def test_noqa_forms_are_equivalent(tmp_path: Path) -> None:
    """Every form of ``# noqa`` silences exactly what it silences in flake8."""
    files = {}
    for number, comment in enumerate(NOQA_FORMS):
        files['app{0:02d}/settings.py'.format(number)] = SETTINGS.replace(
            '"False")\n', '"False"){0}\n'.format(comment), 1,
        )
    files['filewide/settings.py'] = '# flake8: noqa\n' + SETTINGS
    files['filewide_codes/settings.py'] = '# flake8: noqa: DJS100\n' + SETTINGS
    files['multiline/settings.py'] = SETTINGS.replace(
        'DEBUG = os.environ.get("DJANGO_DEBUG", "False")',
        'DEBUG = os.environ.get(\n    "DJANGO_DEBUG",\n    """False""",\n)  # noqa: DJS100',
    )
    files['string/settings.py'] = SETTINGS.replace(
        'DEBUG = os.environ.get("DJANGO_DEBUG", "False")',
        'DEBUG = os.environ.get("DJANGO_DEBUG", """False\n# noqa""")',
    )
    lines = assert_equivalent(write(tmp_path, files))
    debug = {line.split('/')[1] for line in lines if ' DJS100 ' in line}
    assert 'app00' not in debug  # a bare noqa silences
    assert {'app08', 'app09', 'app12'} <= debug  # other codes, and a code that is no prefix
    without_noqa = run_command(['--disable-noqa', '.'], tmp_path)
    assert len(djs_lines(without_noqa.stdout)) > len(lines)


CONFIG: Final = '''\
[flake8]
extend-ignore = DJS113
per-file-ignores =
    proj/settings.py: DJS114
    shop/*.py: DJS122
djsec-env =
    DJANGO_DEBUG=
djsec-hsts-min-seconds = 63072000
extend-exclude = vendored
'''


@pytest.mark.parametrize('file_name', ['setup.cfg', 'tox.ini', '.flake8'])
def test_flake8_configuration_is_equivalent(tmp_path: Path, file_name: str) -> None:
    """The ``[flake8]`` section, found from the working directory as flake8 finds it."""
    root = write(tmp_path, {
        file_name: CONFIG,
        'proj/settings.py': SETTINGS.replace('31536000', '40000000'),
        'proj/urls.py': ADMIN_URLS,
        'shop/views.py': CSRF_VIEW,
        'vendored/views.py': CSRF_VIEW,
    })
    lines = assert_equivalent(root, isolated=False)
    assert [line.split()[1] for line in lines] == ['DJS112', 'DJS150']
    assert assert_equivalent(root / 'proj', ['settings.py', 'urls.py'], isolated=False)


def test_command_line_selection_is_equivalent(tmp_path: Path) -> None:
    """``--select``, ``--ignore``, ``--extend-select`` and ``--per-file-ignores`` as in flake8."""
    root = write(tmp_path, {
        'proj/settings.py': SETTINGS + 'SECRET_KEY_FALLBACKS = ["short"]\n',
        'proj/urls.py': ADMIN_URLS,
        'shop/views.py': CSRF_VIEW,
    })
    for args in (
        ['--select=E,DJS10', '--ignore=DJS103', '.'],
        ['--ignore=DJS1', '--extend-select=DJS150', '.'],
        ['--select=DJS10', '--ignore=DJS1', '--per-file-ignores=shop/*:DJS122', '.'],
        ['--per-file-ignores=shop/*:DJS122 proj/settings.py:DJS1', '--extend-ignore=DJS15', '.'],
    ):
        assert_equivalent(root, args)
    assert djs_lines(run_command(['--select=DJS150', '.'], root).stdout) == [
        "./proj/urls.py:4:16: DJS150 admin site mounted at the default URL 'admin/'; "
        'mount it at a path of your own',
    ]


# pyproject.toml ------------------------------------------------------------------------------

PYPROJECT: Final = '''\
[project]
name = "shop"

[tool.flake8-djsec]
extend-ignore = ["DJS113"]
djsec-env = ["DJANGO_DEBUG="]
djsec-hsts-min-seconds = 63072000
jobs = 2

[tool.flake8-djsec.per-file-ignores]
"proj/settings.py" = "DJS114"
"shop/*.py" = ["DJS122", "DJS150"]
'''


@pytest.mark.skipif(sys.version_info < (3, 11), reason='tomllib is Python 3.11+')
def test_pyproject_table_reads_as_a_flake8_section(tmp_path: Path) -> None:
    """``[tool.flake8-djsec]`` gives what the same options in ``[flake8]`` give flake8."""
    files = {
        'proj/settings.py': SETTINGS.replace('31536000', '40000000'),
        'proj/urls.py': ADMIN_URLS,
        'shop/views.py': CSRF_VIEW,
    }
    from_pyproject = write(tmp_path / 'a', {**files, 'pyproject.toml': PYPROJECT})
    from_setup_cfg = write(tmp_path / 'b', {**files, 'setup.cfg': CONFIG})
    ours = run_command(['.'], from_pyproject, isolated=False)
    theirs = run_flake8_djs(['.'], from_setup_cfg, isolated=False)
    assert ours.stdout.splitlines() == djs_lines(theirs.stdout)
    assert [line.split()[1] for line in ours.stdout.splitlines()] == ['DJS112', 'DJS150']
    from_subfolder = run_command(['settings.py'], from_pyproject / 'proj', isolated=False)
    assert [line.split()[1] for line in from_subfolder.stdout.splitlines()] == ['DJS112']


@pytest.mark.skipif(sys.version_info < (3, 11), reason='tomllib is Python 3.11+')
def test_pyproject_wins_over_flake8_section(tmp_path: Path) -> None:
    """Where both set an option, ``[tool.flake8-djsec]`` is the command's."""
    root = write(tmp_path, {
        'setup.cfg': '[flake8]\nselect = DJS150\n',
        'pyproject.toml': '[tool.flake8-djsec]\nselect = "DJS100"\n',
        'proj/settings.py': SETTINGS,
        'proj/urls.py': ADMIN_URLS,
    })
    assert run_command(['.'], root, isolated=False).stdout.splitlines() == [
        './proj/settings.py:2:1: {0}'.format(DEBUG_LINE),
    ]
    assert run_command(['--config=setup.cfg', '.'], root, isolated=False).stdout.startswith(
        './proj/urls.py:4:16: DJS150 ',
    )


@pytest.mark.skipif(sys.version_info >= (3, 11), reason='Python 3.10 only: 3.11+ reads the table (above)')
def test_pyproject_table_on_python_310_is_a_usage_error(tmp_path: Path) -> None:
    """Without tomllib the table is never silently ignored: one line on stderr, exit status 2."""
    root = write(tmp_path, {'pyproject.toml': PYPROJECT, 'proj/settings.py': SETTINGS})
    result = run_command(['.'], root, isolated=False)
    assert (result.returncode, result.stdout) == (2, '')
    assert result.stderr.splitlines() == [
        'flake8-djsec: error: {0}: [tool.flake8-djsec] needs Python 3.11 or newer (tomllib); '
        'on 3.10 put the options in the [flake8] section of setup.cfg, tox.ini or .flake8'.format(
            root / 'pyproject.toml',
        ),
    ]


# Exit statuses and errors ------------------------------------------------------------------


def test_clean_project_exits_zero(tmp_path: Path) -> None:
    """Nothing reported: no output, exit status 0."""
    root = write(tmp_path, {'app/models.py': 'X = 1\n', 'proj/settings/dev.py': 'DEBUG = True\n'})
    result = run_command(['.'], root)
    assert (result.returncode, result.stdout, result.stderr) == (0, '', '')


@pytest.mark.parametrize(('args', 'files', 'fragment'), [
    (['--bogus', '.'], {}, 'unrecognized arguments: --bogus'),
    (['missing.py'], {}, "no such file or folder: 'missing.py'"),
    (['--format=xml', '.'], {}, "invalid choice: 'xml'"),
    (['--djsec-env=NOEQUALS', '.'], {}, '--djsec-env expects NAME=VALUE'),
    (['--djsec-django-version=3.2', '.'], {}, 'older than the oldest supported series'),
    (['--jobs=many', '.'], {}, "'many' must be 'auto' or an integer"),
    (['--per-file-ignores=proj/settings.py', '.'], {}, 'Expected `per-file-ignores` to be a mapping'),
    (['--config=nowhere.cfg', '.'], {}, 'The specified config file does not exist'),
    (['.'], {'setup.cfg': '[flake8]\nignore = not-a-code\n'}, "Error code 'not-a-code'"),
    (['.'], {'setup.cfg': '[flake8]\ndjsec-hsts-min-seconds = soon\n'}, 'a whole number'),
    (['.'], {'pyproject.toml': '[tool.flake8-djsec]\nselect = ['}, 'pyproject.toml'),
    (['.'], {'pyproject.toml': '[tool.flake8-djsec]\nselect = 1.5\n'}, 'unsupported value'),
    (['.'], {'pyproject.toml': '[tool.flake8-djsec]\nslect = "DJS"\n'}, "unknown option 'slect'"),
])
def test_usage_and_configuration_errors_exit_two(
    tmp_path: Path, args: list[str], files: dict[str, str], fragment: str,
) -> None:
    """A bad argument or configuration: exit status 2 and one line on stderr."""
    root = write(tmp_path, {'proj/settings.py': SETTINGS, **files})
    result = run_command(args, root, isolated=False)
    assert result.returncode == 2
    assert result.stdout == ''
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith('flake8-djsec: error: ')
    if 'pyproject.toml' not in files or sys.version_info >= (3, 11):
        assert fragment in result.stderr


def test_syntax_error_is_skipped_with_a_note(tmp_path: Path) -> None:
    """A file that does not parse: flake8's E999 line on stderr; the exit status is the rest's."""
    root = write(tmp_path, {'proj/settings.py': 'DEBUG = (\n', 'shop/views.py': CSRF_VIEW})
    result = run_command(['.'], root)
    assert result.stderr.startswith('flake8-djsec: skipped ./proj/settings.py:')
    assert ' E999 SyntaxError: ' in result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()] == ['DJS122']
    assert result.returncode == 1
    alone = run_command(['proj/settings.py'], root)
    assert (alone.returncode, alone.stdout) == (0, '')
    flake8_line = run_flake8_djs(['--select=E999', 'proj/settings.py'], root).stdout.strip()
    assert alone.stderr.strip() == 'flake8-djsec: skipped {0}'.format(flake8_line)


# Files -------------------------------------------------------------------------------------


def test_walk_skips_virtualenvs_and_tool_folders(tmp_path: Path) -> None:
    """.git, virtualenvs (any folder with pyvenv.cfg), node_modules, build, dist are not walked."""
    skipped = ['.git', '.venv', 'venv', 'env', 'node_modules', 'build', 'dist', '.tox', '__pycache__']
    files = {'{0}/views.py'.format(folder): CSRF_VIEW for folder in skipped}
    files.update({
        'anything/pyvenv.cfg': 'home = /usr/bin\n',
        'anything/lib/views.py': CSRF_VIEW,
        'shop/views.py': CSRF_VIEW,
        'shop/migrations/0002_hook.py': CSRF_VIEW,
        'shop/template.py-tpl': CSRF_VIEW,
    })
    root = write(tmp_path, files)
    assert [line.split(':')[0] for line in run_command(['.'], root).stdout.splitlines()] == [
        './shop/migrations/0002_hook.py', './shop/views.py',
    ]
    explicit = run_command(['build/views.py', 'shop/template.py-tpl'], root)
    assert [line.split(':')[0] for line in explicit.stdout.splitlines()] == [
        'build/views.py', 'shop/template.py-tpl',
    ]
    replaced = run_command(['--exclude=shop', '.'], root)
    assert './build/views.py:4:2: DJS122' in replaced.stdout
    assert 'shop' not in replaced.stdout
    extended = run_command(['--extend-exclude=migrations', '.'], root)
    assert [line.split(':')[0] for line in extended.stdout.splitlines()] == ['./shop/views.py']


def test_parallel_run_prints_what_a_serial_run_prints(tmp_path: Path) -> None:
    """``--jobs=2`` over many files: byte-identical output to ``--jobs=1``."""
    files = {}
    for number in range(24):
        files['app{0:02d}/settings.py'.format(number)] = SETTINGS
        files['app{0:02d}/views.py'.format(number)] = CSRF_VIEW
        files['app{0:02d}/urls.py'.format(number)] = ADMIN_URLS
    for name, content in LAYOUTS['split'].items():
        files['split/{0}'.format(name)] = content
    root = write(tmp_path, files)
    single = run_command(['--jobs=1', '.'], root)
    double = run_command(['--jobs=2', '.'], root)
    assert len(single.stdout.splitlines()) == 74
    assert double.stdout == single.stdout
    assert double.stderr == single.stderr == ''
    assert double.stdout.splitlines() == djs_lines(run_flake8_djs(['-j2', '.'], root).stdout)


# Output formats and entry points -----------------------------------------------------------


def test_json_format_matches_the_text_lines(tmp_path: Path) -> None:
    """``--format=json``: one object per text line, same fields."""
    root = tmp_path / 'insecure_project'
    shutil.copytree(EXAMPLE, root)
    text = run_command(['.'], root).stdout.splitlines()
    result = run_command(['--format=json', '.'], root)
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    assert [
        '{path}:{line}:{column}: {code} {message}'.format(**row) for row in rows
    ] == text
    assert set(rows[0]) == {'path', 'line', 'column', 'code', 'message'}
    clean = run_command(['--format=json', 'manage.py'], root)
    assert (clean.returncode, json.loads(clean.stdout)) == (0, [])


def test_sarif_format_is_valid_and_complete(tmp_path: Path) -> None:
    """``--format=sarif``: a SARIF 2.1.0 log (vendored schema) with every finding."""
    jsonschema = pytest.importorskip('jsonschema')
    root = tmp_path / 'insecure_project'
    shutil.copytree(EXAMPLE, root)
    text = run_command(['.'], root).stdout.splitlines()
    result = run_command(['--format=sarif', '.'], root)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    schema = json.loads((Path(__file__).parent / 'data' / 'sarif-schema-2.1.0.json').read_text())
    jsonschema.validate(document, schema)
    results = document['runs'][0]['results']
    plugin = json.loads(run_flake8_djs(['--select=DJS', '--format=sarif', '.'], root).stdout)
    assert results == plugin['runs'][0]['results']  # the plugin's own SARIF report agrees
    located = sorted(
        '{0}:{1}:{2}: {3}'.format(
            'is/' + entry['locations'][0]['physicalLocation']['artifactLocation']['uri'],
            entry['locations'][0]['physicalLocation']['region']['startLine'],
            entry['locations'][0]['physicalLocation']['region']['startColumn'],
            entry['ruleId'],
        )
        for entry in results
    )
    assert located == sorted(
        '{0}: {1}'.format(line.split(': ')[0].replace('./', 'is/'), line.split()[1])
        for line in text
    )


def test_python_dash_m_and_usage(tmp_path: Path) -> None:
    """``python -m flake8_djsec check`` is the same command; no subcommand is a usage error."""
    root = write(tmp_path, {'proj/settings.py': SETTINGS})
    result = subprocess.run(
        [sys.executable, '-m', 'flake8_djsec', 'check', '--isolated', 'proj/settings.py'],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.stdout.splitlines() == ['proj/settings.py:2:1: {0}'.format(DEBUG_LINE)]
    assert result.returncode == 1
    bare = subprocess.run([COMMAND], cwd=root, capture_output=True, text=True, check=False)
    assert bare.returncode == 2
    listed = subprocess.run([COMMAND, '--help'], capture_output=True, text=True, check=False)
    assert 'check' in listed.stdout
    helped = subprocess.run([COMMAND, 'check', '--help'], capture_output=True, text=True, check=False)
    assert helped.returncode == 0
    assert '--djsec-env' in helped.stdout
    assert '--per-file-ignores' in helped.stdout


# README snippets ---------------------------------------------------------------------------

README: Final = Path(__file__).resolve().parent.parent / 'README.md'


def _section(title: str) -> str:
    text = README.read_text(encoding='utf-8')
    return text.split('### {0}\n'.format(title), 1)[1].split('\n#', 1)[0]


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r'^```yaml\n(.*?)^```$', text, re.MULTILINE | re.DOTALL)


def test_readme_pre_commit_snippet_names_the_hook() -> None:
    """The README's pre-commit block uses the hook that .pre-commit-hooks.yaml defines."""
    yaml = pytest.importorskip('yaml')
    (block,) = _yaml_blocks(_section('pre-commit, without flake8'))
    (repo,) = yaml.safe_load(block)['repos']
    (hook,) = repo['hooks']
    hooks = yaml.safe_load((README.parent / '.pre-commit-hooks.yaml').read_text(encoding='utf-8'))
    (defined,) = [entry for entry in hooks if entry['id'] == hook['id']]
    assert defined['entry'] == 'flake8-djsec check'
    assert (defined['language'], defined['types'], defined['require_serial']) == ('python', ['python'], True)


def test_readme_github_actions_steps_run(tmp_path: Path) -> None:
    """The README's workflow steps: the check fails on the example; the SARIF step writes a valid log."""
    yaml = pytest.importorskip('yaml')
    jsonschema = pytest.importorskip('jsonschema')
    plain, scanning = (yaml.safe_load(block) for block in _yaml_blocks(_section('GitHub Actions, without flake8')))
    assert [step.get('run') for step in plain][1:] == ['pip install flake8-djsec', 'flake8-djsec check .']
    root = tmp_path / 'insecure_project'
    shutil.copytree(EXAMPLE, root)
    environment = {**os.environ, 'PATH': '{0}{1}{2}'.format(
        Path(sys.executable).parent, os.pathsep, os.environ.get('PATH', ''),
    )}
    for step, status in ((plain[2], 1), (scanning[0], 0)):
        ran = subprocess.run(
            step['run'], shell=True, cwd=root, env=environment, capture_output=True, check=False,
        )
        assert ran.returncode == status, ran.stderr
    document = json.loads((root / scanning[1]['with']['sarif_file']).read_text(encoding='utf-8'))
    schema = json.loads((Path(__file__).parent / 'data' / 'sarif-schema-2.1.0.json').read_text())
    jsonschema.validate(document, schema)
    assert {result['ruleId'] for result in document['runs'][0]['results']} >= {'DJS100', 'DJS150'}
