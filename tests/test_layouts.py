"""Real project layouts: split settings, deployment modules, and where findings go."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_flake8

#: The layout fixtures (tests/layouts/, also loaded by Django: tests/test_layout_parity.py).
LAYOUTS = Path(__file__).resolve().parent / 'layouts'


def _tree(name: str) -> dict[str, str]:
    """The files of ``tests/layouts/<name>/tree/``, by path relative to it."""
    tree = LAYOUTS / name / 'tree'
    return {
        path.relative_to(tree).as_posix(): path.read_text(encoding='utf-8')
        for path in sorted(tree.rglob('*')) if path.is_file()
    }


BASE = _tree('split-settings')['proj/settings/base.py']
PRODUCTION = _tree('split-settings')['proj/settings/production.py']
LOCAL = _tree('split-settings')['proj/settings/local.py']


def _lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.strip())


def _codes(output: str) -> list[str]:
    return sorted(
        '{0}:{1} {2}'.format(line.split(':')[0], line.split(':')[1], line.split()[1])
        for line in output.splitlines() if line.strip()
    )


@pytest.fixture
def split(project):  # type: ignore[no-untyped-def]
    """A ``settings/`` package with base, production and local modules."""
    return project(_tree('split-settings'))


def test_split_settings_attribution(split: Path) -> None:
    """Base values effective in production are reported in base; missing ones in production."""
    result = run_flake8(['--select=DJS', 'proj'], split)
    assert _codes(result.stdout) == [
        'proj/settings/base.py:15 DJS112',
        'proj/settings/base.py:16 DJS115',
    ]


def test_production_missing_setting_on_line_one(split: Path) -> None:
    """A setting missing from the deployment module is reported on its line 1."""
    (split / 'proj/settings/production.py').write_text(PRODUCTION.replace('SECURE_SSL_REDIRECT = True\n', ''))
    result = run_flake8(['--select=DJS', 'proj/settings/production.py'], split)
    assert _codes(result.stdout) == ['proj/settings/production.py:1 DJS110']


def test_each_file_alone_gives_the_same_findings(split: Path) -> None:
    """Linting files one by one reports exactly what linting the folder reports."""
    together = _lines(run_flake8(['--select=DJS', 'proj'], split).stdout)
    alone: list[str] = []
    for name in ('base', 'production', 'local', '__init__'):
        output = run_flake8(['--select=DJS', 'proj/settings/{0}.py'.format(name)], split).stdout
        alone.extend(line.replace('./', '') for line in output.splitlines() if line.strip())
    assert sorted(alone) == sorted(line.replace('./', '') for line in together)


def test_jobs_agree_on_split_settings(split: Path) -> None:
    """``-j1`` and ``-j2`` print the same findings."""
    single = run_flake8(['--select=DJS', '-j1', 'proj'], split)
    double = run_flake8(['--select=DJS', '-j2', 'proj'], split)
    assert _lines(single.stdout) == _lines(double.stdout)
    assert _lines(single.stdout)


def test_absolute_star_import(project) -> None:  # type: ignore[no-untyped-def]
    """``from proj.settings.base import *`` is followed from the package root."""
    root = project(_tree('split-absolute-star-import'))
    result = run_flake8(['--select=DJS', 'proj'], root)
    assert _codes(result.stdout) == [
        'proj/settings/base.py:15 DJS112',
        'proj/settings/base.py:16 DJS115',
    ]


def test_wsgi_names_the_deployment_module(project) -> None:  # type: ignore[no-untyped-def]
    """``DJANGO_SETTINGS_MODULE`` in wsgi.py decides the deployment module; staging is not one."""
    root = project(_tree('wsgi-names-deployment'))
    result = run_flake8(['--select=DJS', 'config'], root)
    assert _codes(result.stdout) == [
        'config/settings/base.py:15 DJS112',
        'config/settings/base.py:16 DJS115',
    ]


def test_optional_local_import_absent_and_present(project) -> None:  # type: ignore[no-untyped-def]
    """``try: from .local_overrides import *`` is taken only when the file exists."""
    root = project(_tree('optional-import-absent'))
    assert _codes(run_flake8(['--select=DJS', 'proj'], root).stdout) == [
        'proj/settings/base.py:15 DJS112',
        'proj/settings/base.py:16 DJS115',
    ]
    (root / 'proj/settings/overrides.py').write_text('SESSION_COOKIE_SECURE = True\n')
    assert _codes(run_flake8(['--select=DJS', 'proj'], root).stdout) == [
        'proj/settings/base.py:15 DJS112',
    ]


def test_split_settings_include(project) -> None:  # type: ignore[no-untyped-def]
    """django-split-settings ``include()``: components report their lines, in order."""
    root = project(_tree('split-settings-include'))
    result = run_flake8(['--select=DJS', 'proj'], root)
    assert _codes(result.stdout) == [
        'proj/settings/components/common.py:16 DJS112',
        'proj/settings/components/common.py:17 DJS115',
    ]
    (root / 'proj/settings/components/local.py').write_text('SESSION_COOKIE_SECURE = True\n')
    assert _codes(run_flake8(['--select=DJS', 'proj'], root).stdout) == [
        'proj/settings/components/common.py:16 DJS112',
    ]


def test_stdin_buffer_is_judged_with_siblings(split: Path) -> None:
    """An unsaved base.py buffer on stdin is judged with production read from disk."""
    buffer = BASE.replace('SECURE_HSTS_SECONDS = 3600', 'SECURE_HSTS_SECONDS = 31536000')
    result = run_flake8(
        ['--select=DJS', '--stdin-display-name=proj/settings/base.py', '-'], split, stdin=buffer,
    )
    assert _codes(result.stdout) == ['proj/settings/base.py:16 DJS115']


def test_star_import_cycle_is_safe(project) -> None:  # type: ignore[no-untyped-def]
    """Modules that star-import each other neither hang nor crash."""
    root = project({
        'proj/settings/__init__.py': '',
        'proj/settings/one.py': 'from .two import *  # noqa: F403\nDEBUG = True\n',
        'proj/settings/two.py': 'from .one import *  # noqa: F403\nINSTALLED_APPS = []\n',
    })
    result = run_flake8(['--select=DJS', 'proj'], root)
    assert 'DJS000' not in result.stdout
    assert result.returncode in {0, 1}
    assert result.stderr == ''


def test_unparsable_sibling_is_unknown(project) -> None:  # type: ignore[no-untyped-def]
    """A broken base.py is E999 in base only; production reports only what it writes."""
    root = project({
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': 'DEBUG = (\n',
        'proj/settings/production.py': PRODUCTION + 'SESSION_COOKIE_SAMESITE = None\n',
    })
    result = run_flake8(['--select=E999,DJS', 'proj'], root)
    assert _codes(result.stdout) == [
        'proj/settings/base.py:1 E999',
        'proj/settings/production.py:9 DJS123',
    ]


def test_conditional_import_of_a_missing_module(project) -> None:  # type: ignore[no-untyped-def]
    """``if exists(...): from .local_settings import *`` with no such file: that branch raises."""
    root = project(_tree('conditional-import-missing'))
    result = run_flake8(['--select=DJS100', 'hc/settings.py'], root)
    assert _codes(result.stdout) == ['hc/settings.py:4 DJS100']


def test_undecidable_include_reports_nothing(project) -> None:  # type: ignore[no-untyped-def]
    """``include(*parts)`` computed at run time: no component is judged as a deployment module."""
    root = project({
        'server/settings/__init__.py': (
            'from os import environ\n\nfrom split_settings.tools import include, optional\n\n'
            '_ENV = environ["DJANGO_ENV"]\n'
            'parts = ("components/common.py", "environments/{0}.py".format(_ENV))\n'
            'include(*parts)\n'
        ),
        'server/settings/components/__init__.py': '',
        'server/settings/components/common.py': 'INSTALLED_APPS = []\nMIDDLEWARE = []\n',
        'server/settings/environments/__init__.py': '',
        'server/settings/environments/production.py': 'DEBUG = False\nALLOWED_HOSTS = []\n',
    })
    result = run_flake8(['--select=DJS', 'server'], root)
    assert result.stdout == ''
    assert result.returncode == 0


@pytest.mark.parametrize(('variables', 'expected'), [
    ([], ['server/settings/environments/staging.py:1 DJS100']),
    (['--djsec-env=DJANGO_ENV=production'], ['server/settings/environments/production.py:2 DJS104']),
    (['--djsec-env=DJANGO_ENV=nowhere'], []),  # optional: no file, common.py alone
])
def test_include_of_a_formatted_optional_name(project, variables, expected) -> None:  # type: ignore[no-untyped-def]
    """``include(optional("environments/{0}.py".format(ENV)))``: the name evaluated, the file followed."""
    root = project({
        'server/settings/__init__.py': (
            'import os\n\nfrom split_settings.tools import include, optional\n\n'
            'ENV = os.environ.get("DJANGO_ENV", "staging")\n'
            'include("components/common.py", optional("environments/{0}.py".format(ENV)))\n'
        ),
        'server/settings/components/__init__.py': '',
        'server/settings/components/common.py': 'DEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
        'server/settings/environments/__init__.py': '',
        'server/settings/environments/staging.py': 'DEBUG = True\nALLOWED_HOSTS = ["staging.example.com"]\n',
        'server/settings/environments/production.py': 'DEBUG = False\nALLOWED_HOSTS = []\n',
    })
    result = run_flake8(['--select=DJS100,DJS104', *variables, 'server'], root)
    assert _codes(result.stdout) == expected


def test_module_built_on_development_settings_is_judged(project) -> None:  # type: ignore[no-untyped-def]
    """``docker.py`` doing ``from .dev import *``: development by its own name only, so judged."""
    root = project(_tree('neutral-module-on-development'))
    result = run_flake8(['--select=DJS100', 'proj/settings/docker.py', 'proj/settings/dev.py'], root)
    # dev.py's DEBUG is the one docker.py runs with: reported on dev.py's line.
    assert _codes(result.stdout) == ['proj/settings/dev.py:3 DJS100']
    renamed = run_flake8(['--select=DJS100', '--djsec-dev-patterns=dev,docker', 'proj/settings'], root)
    assert _codes(renamed.stdout) == []


def test_production_built_on_development_settings_is_judged(project) -> None:  # type: ignore[no-untyped-def]
    """A module whose name says production never becomes development through its star import."""
    root = project(_tree('production-on-development'))
    result = run_flake8(['--select=DJS100,DJS102', 'proj'], root)
    # dev.py's DEBUG is the one production runs with: reported on dev.py's line.
    assert _codes(result.stdout) == [
        'proj/settings/dev.py:3 DJS100',
        'proj/settings/production.py:3 DJS102',
    ]
    alone = run_flake8(['--select=DJS100', 'proj/settings/dev.py'], root)
    assert _codes(alone.stdout) == ['proj/settings/dev.py:3 DJS100']


# --- --djsec-deploy-settings replaces discovery (issue 12, constructs 2 and 3) ------------

BASE_WSGI = (
    'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.base")\n'
)


def test_named_deployment_replaces_the_wsgi_default(split: Path) -> None:
    """wsgi.py names base; the user names production: base is not judged on its own."""
    (split / 'proj/wsgi.py').write_text(BASE_WSGI)
    by_wsgi = run_flake8(['--select=DJS100', 'proj'], split)
    assert _codes(by_wsgi.stdout) == ['proj/settings/base.py:4 DJS100']
    named = run_flake8(
        ['--select=DJS100', '--djsec-deploy-settings=proj.settings.production', 'proj'], split,
    )
    assert named.stdout == ''
    assert named.returncode == 0


def test_named_deployment_names_no_module_here(split: Path) -> None:
    """A group the option names nothing of has no deployment: its leaves are not judged."""
    (split / 'other/settings').mkdir(parents=True)
    (split / 'other/settings/production.py').write_text('DEBUG = True\nALLOWED_HOSTS = []\n')
    result = run_flake8(
        ['--select=DJS', '--djsec-deploy-settings=proj/settings/production.py', 'other'], split,
    )
    assert result.stdout == ''


def test_named_deployment_whatever_its_name(split: Path) -> None:
    """A development-named module, or one with no settings-like path, is judged when named."""
    local = run_flake8(
        ['--select=DJS100', '--djsec-deploy-settings=proj/settings/local.py', 'proj'], split,
    )
    assert _codes(local.stdout) == ['proj/settings/local.py:3 DJS100']
    (split / 'deploy').mkdir()
    (split / 'deploy/live.py').write_text(
        'from proj.settings.base import *  # noqa: F403\n\nSECURE_HSTS_SECONDS = 60\n',
    )
    live = run_flake8(
        ['--select=DJS100,DJS112', '--djsec-deploy-settings=deploy/live.py', 'deploy', 'proj'],
        split,
    )
    assert _codes(live.stdout) == [
        'deploy/live.py:3 DJS112',
        'proj/settings/base.py:4 DJS100',
    ]


def test_named_path_is_found_from_the_working_folder(project) -> None:  # type: ignore[no-untyped-def]
    """``--djsec-deploy-settings=settings.py`` is ``./settings.py``, not every ``settings.py`` below."""
    root = project({
        'settings.py': 'INSTALLED_APPS = []\nALLOWED_HOSTS = ["example.com"]\nSECRET_KEY = None\n',
        'smoke/settings.py': (
            'from settings import *  # noqa: F403\n\nDEBUG = True\n'
            'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n'
        ),
    })
    named = run_flake8(['--select=DJS100,DJS102,DJS153', '--djsec-deploy-settings=settings.py', '.'], root)
    assert _codes(named.stdout) == ['./settings.py:3 DJS102']
    nowhere = run_flake8(['--select=DJS100,DJS153', '--djsec-deploy-settings=smoke/settings.py', '.'], root)
    assert _codes(nowhere.stdout) == ['./smoke/settings.py:3 DJS100', './smoke/settings.py:4 DJS153']


def test_global_in_a_name_is_not_development(project) -> None:  # type: ignore[no-untyped-def]
    """``settings_global.py`` is production's shared module, and production is not development."""
    root = project({
        'proj/__init__.py': '',
        'proj/settings_global.py': BASE,
        'proj/settings_production.py': 'from .settings_global import *  # noqa: F403\n\nDEBUG = False\n',
    })
    result = run_flake8(['--select=DJS100,DJS112,DJS115', 'proj'], root)
    assert _codes(result.stdout) == [
        'proj/settings_global.py:15 DJS112',
        'proj/settings_global.py:16 DJS115',
    ]


# --- django-configurations ------------------------------------------------------------------

#: django-configurations layouts (tests/layouts/configurations-*), also loaded by Django.
CONFIGURATIONS = _tree('configurations-classes')['proj/settings.py']
CONFIGURATIONS_WSGI = _tree('configurations-classes')['proj/wsgi.py']
MIXIN_CONFIGURATIONS = _tree('configurations-mixins')['app/settings.py']


@pytest.fixture
def configurations(project):  # type: ignore[no-untyped-def]
    """One settings.py with django-configurations classes; wsgi.py names Production."""
    return project(_tree('configurations-classes'))


def test_configurations_attribution(configurations: Path) -> None:
    """Base-class values effective in Production are reported at their class attribute."""
    result = run_flake8(['--select=DJS', 'proj'], configurations)
    assert _codes(result.stdout) == [
        'proj/settings.py:17 DJS112',
        'proj/settings.py:18 DJS115',
    ]
    assert result.stderr == ''


def test_configurations_missing_setting_on_the_class_line(configurations: Path) -> None:
    """A setting the deployment class lacks is reported on its ``class`` line."""
    settings = configurations / 'proj/settings.py'
    settings.write_text(CONFIGURATIONS.replace('    SECURE_SSL_REDIRECT = True\n', ''))
    result = run_flake8(['--select=DJS110', 'proj/settings.py'], configurations)
    assert _codes(result.stdout) == ['proj/settings.py:30 DJS110']


def test_configurations_value_default_is_judged(configurations: Path) -> None:
    """``values.BooleanValue(True)`` is True in an empty environment; the message says so."""
    settings = configurations / 'proj/settings.py'
    settings.write_text(CONFIGURATIONS.replace('values.BooleanValue(False)', 'values.BooleanValue(True)'))
    result = run_flake8(['--select=DJS100', 'proj'], configurations)
    assert _lines(result.stdout) == [
        'proj/settings.py:6:5: DJS100 DEBUG is True in deployment settings'
        ' (default of environment variable DJANGO_DEBUG); set DEBUG = False',
    ]
    given = run_flake8(
        ['--select=DJS100', '--djsec-env=DJANGO_DEBUG=no', 'proj'], configurations,
    )
    assert given.stdout == ''


def test_configurations_leaves_without_an_entry_point(project) -> None:  # type: ignore[no-untyped-def]
    """No wsgi.py: the leaf classes not named like development; Dev and Staging(Dev) are not."""
    root = project({'proj/__init__.py': '', 'proj/settings.py': CONFIGURATIONS})
    assert _codes(run_flake8(['--select=DJS', 'proj'], root).stdout) == [
        'proj/settings.py:17 DJS112',
        'proj/settings.py:18 DJS115',
    ]
    development_only = CONFIGURATIONS.split('class Production')[0]
    (root / 'proj/settings.py').write_text(development_only)
    result = run_flake8(['--select=DJS', 'proj'], root)
    assert result.stdout == ''
    assert result.returncode == 0


@pytest.fixture
def configurations_package(project):  # type: ignore[no-untyped-def]
    """Configuration classes split over modules, joined by imported base classes and a mixin."""
    return project(_tree('configurations-across-modules'))


def test_configurations_across_modules(configurations_package: Path) -> None:
    """A mixin's attribute wins over the base's; findings land in the file holding the line."""
    result = run_flake8(['--select=DJS', 'proj'], configurations_package)
    assert _codes(result.stdout) == [
        'proj/settings/common.py:17 DJS112',
        'proj/settings/production.py:5 DJS110',
    ]


def test_configurations_each_file_alone_and_jobs_agree(configurations_package: Path) -> None:
    """Each finding once whatever files flake8 is given; -j1 and -j2 agree."""
    root = configurations_package
    together = _lines(run_flake8(['--select=DJS', '-j1', 'proj'], root).stdout)
    assert together
    assert _lines(run_flake8(['--select=DJS', '-j2', 'proj'], root).stdout) == together
    alone: list[str] = []
    for name in ('__init__', 'common', 'mixins', 'dev', 'production'):
        output = run_flake8(['--select=DJS', 'proj/settings/{0}.py'.format(name)], root).stdout
        alone.extend(line for line in output.splitlines() if line.strip())
    assert sorted(alone) == together
    pair = run_flake8(['--select=DJS', 'proj/settings/common.py', 'proj/settings/production.py'], root)
    assert _lines(pair.stdout) == together


def test_configurations_option_names_the_class(configurations: Path) -> None:
    """``--djsec-deploy-settings`` takes ``module.Class`` or a module (its leaf classes)."""
    (configurations / 'proj/wsgi.py').unlink()
    (configurations / 'proj/settings.py').write_text(
        CONFIGURATIONS + '\n\nclass Other(Common):\n    SESSION_COOKIE_SECURE = True\n',
    )
    by_class = run_flake8(
        ['--select=DJS115', '--djsec-deploy-settings=proj.settings.Production', 'proj'], configurations,
    )
    assert _codes(by_class.stdout) == ['proj/settings.py:18 DJS115']
    by_other = run_flake8(
        ['--select=DJS115', '--djsec-deploy-settings=proj.settings.Other', 'proj'], configurations,
    )
    assert by_other.stdout == ''
    by_module = run_flake8(
        ['--select=DJS110', '--djsec-deploy-settings=proj.settings', 'proj'], configurations,
    )
    assert _codes(by_module.stdout) == ['proj/settings.py:39 DJS110']


def test_name_imported_by_production_is_reported_in_base(project) -> None:  # type: ignore[no-untyped-def]
    """``from .base import SESSION_COOKIE_SECURE``: base's line reports it, once."""
    root = project(_tree('import-names-from-base'))
    result = run_flake8([
        '--select=DJS115', '--djsec-deploy-settings=proj.settings.production',
        'proj/settings/base.py', 'proj/settings/production.py',
    ], root)
    assert _codes(result.stdout) == ['proj/settings/base.py:16 DJS115']


#: How editors name a buffer: workspace-relative (pylsp), ``./``-prefixed, absolute (VS Code).
DISPLAY_STYLES = ('relative', 'dotted', 'absolute')
SSL_REDIRECT_MISSING = (
    "DJS110 SECURE_SSL_REDIRECT is False (Django's default); "
    'set it to True (or redirect to HTTPS at the proxy)'
)


def _display_name(root: Path, relative: str, style: str) -> str:
    return {
        'relative': relative,
        'dotted': './{0}'.format(relative),
        'absolute': str(root / relative),
    }[style]


@pytest.mark.parametrize('style', DISPLAY_STYLES)
def test_buffer_display_names_read_siblings_on_disk(split: Path, style: str) -> None:
    """A production buffer's star import of base is read from disk, whatever the name's form."""
    name = _display_name(split, 'proj/settings/production.py', style)
    buffer = PRODUCTION.replace('SECURE_SSL_REDIRECT = True\n', '')
    result = run_flake8(['--select=DJS', '--stdin-display-name={0}'.format(name), '-'], split, stdin=buffer)
    assert _lines(result.stdout) == ['{0}:1:1: {1}'.format(name, SSL_REDIRECT_MISSING)]


@pytest.mark.parametrize('style', DISPLAY_STYLES)
def test_buffer_is_judged_by_its_content_not_the_file(split: Path, style: str) -> None:
    """An edited base.py buffer: its own lines count (DJS112 fixed), production from disk."""
    name = _display_name(split, 'proj/settings/base.py', style)
    buffer = BASE.replace('SECURE_HSTS_SECONDS = 3600', 'SECURE_HSTS_SECONDS = 31536000')
    result = run_flake8(['--select=DJS', '--stdin-display-name={0}'.format(name), '-'], split, stdin=buffer)
    assert _codes(result.stdout) == ['{0}:16 DJS115'.format(name)]


def test_absolute_names_work_from_another_working_directory(split: Path) -> None:
    """VS Code may run flake8 from the file's folder: absolute names still find the project."""
    production = split / 'proj/settings/production.py'
    buffer = PRODUCTION.replace('SECURE_SSL_REDIRECT = True\n', '')
    from_folder = run_flake8(
        ['--select=DJS', '--stdin-display-name={0}'.format(production), '-'], production.parent, stdin=buffer,
    )
    assert _lines(from_folder.stdout) == ['{0}:1:1: {1}'.format(production, SSL_REDIRECT_MISSING)]
    on_disk = run_flake8(['--select=DJS', str(split / 'proj/settings/base.py')], production.parent)
    assert _codes(on_disk.stdout) == [
        '{0}:15 DJS112'.format(split / 'proj/settings/base.py'),
        '{0}:16 DJS115'.format(split / 'proj/settings/base.py'),
    ]


def test_plain_stdin_does_no_cross_file_work(split: Path) -> None:
    """Without a name a buffer is judged alone: an unresolvable star import hides nothing wrongly."""
    buffer = PRODUCTION.replace('SECURE_SSL_REDIRECT = True\n', '')
    assert run_flake8(['--select=DJS', '-'], split, stdin=buffer).stdout == ''
    alone = run_flake8(['--select=DJS', '-'], split, stdin=BASE)
    assert 'stdin:4 DJS100' in _codes(alone.stdout)  # base judged as a deployment module by itself
    assert all(line.startswith('stdin:') for line in _lines(alone.stdout))


def test_configurations_mixins_and_entry_point(project) -> None:  # type: ignore[no-untyped-def]
    """wsgi.py names Production: the mixin's CORS default and the nested password are reported once."""
    root = project(_tree('configurations-mixins'))
    result = run_flake8(['--select=DJS', 'app', 'manage.py'], root)
    assert _codes(result.stdout) == [
        'app/settings.py:20 DJS125',
        'app/settings.py:36 DJS106',  # the PASSWORD key's line
    ]
    assert _lines(run_flake8(['--select=DJS', '-j2', 'app', 'manage.py'], root).stdout) == _lines(result.stdout)


def test_configurations_entry_point_naming_development_falls_back_to_leaves(project) -> None:  # type: ignore[no-untyped-def]
    """wsgi.py names Development: the leaves judged are ProductionInsecure and Staging, not Build."""
    root = project({
        'app/__init__.py': '',
        'app/wsgi.py': CONFIGURATIONS_WSGI.replace('"Production"', '"Development"').replace('proj.settings', 'app.settings'),
        'app/settings.py': MIXIN_CONFIGURATIONS,
    })
    result = run_flake8(['--select=DJS', 'app'], root)
    assert _codes(result.stdout) == [
        'app/settings.py:20 DJS125',
        'app/settings.py:36 DJS106',  # the PASSWORD key's line
        'app/settings.py:63 DJS101',
        'app/settings.py:63 DJS102',
        'app/settings.py:64 DJS105',
        'app/settings.py:68 DJS115',
    ]


# --- a bare noqa for another tool never hides a missing setting (issue 12, construct 1) --------

NOQA_HEAD = 'from .base import *  # noqa\nfrom .base import INSTALLED_APPS  # noqa\n'
CHECK = str(Path(sys.executable).with_name('flake8-djsec'))


def _check(args: list[str], root: Path) -> str:
    return subprocess.run(
        [CHECK, 'check', '--isolated', *args], cwd=root, capture_output=True, text=True,
        timeout=120, check=False,
    ).stdout


def test_bare_noqa_head_does_not_hide_missing_settings() -> None:
    """The layout's bare ``# noqa`` lines (F403, F401): HSTS missing lands on line 3."""
    layout = LAYOUTS / 'noqa-bare-star-import' / 'tree'
    result = run_flake8(['--select=DJS', '.'], layout)
    assert _codes(result.stdout) == ['./proj/settings/production.py:3 DJS111']
    assert _check(['--select=DJS', '.'], layout) == result.stdout


@pytest.mark.parametrize(('head', 'expected'), [
    # A bare noqa on line 1: the next line reports.
    ('from .base import *  # noqa\n', ['proj/settings/production.py:2 DJS110']),
    # Codes for another tool only: line 1 still reports.
    ('from .base import *  # noqa: F403\n', ['proj/settings/production.py:1 DJS110']),
    # Our code named on purpose: silenced; another of ours on the same line is not.
    ('from .base import *  # noqa: F403, DJS110\n', []),
    ('from .base import *  # noqa: F403, DJS111\n', ['proj/settings/production.py:1 DJS110']),
    # After a bare noqa line, a head comment naming our code is the home, and silences it.
    ('from .base import *  # noqa\n# noqa: DJS110 - the proxy redirects to HTTPS\n', []),
])
def test_noqa_on_the_head(split: Path, head: str, expected: list[str]) -> None:
    """Missing settings avoid a bare ``# noqa``; ``# noqa: DJS1xx`` still silences its code."""
    body = PRODUCTION.replace('from .base import *  # noqa: F403\n', head)
    (split / 'proj/settings/production.py').write_text(body.replace('SECURE_SSL_REDIRECT = True\n', ''))
    result = run_flake8(['--select=DJS', 'proj'], split)
    assert [line for line in _codes(result.stdout) if 'production' in line] == expected
    assert _check(['--select=DJS', 'proj'], split) == result.stdout
    disabled = run_flake8(['--select=DJS110', '--disable-noqa', 'proj/settings/production.py'], split)
    assert len(disabled.stdout.splitlines()) == 1


def test_bare_noqa_on_a_configuration_class(configurations: Path) -> None:
    """A ``class Production(Common):  # noqa`` line: the class's next line reports."""
    source = CONFIGURATIONS.replace('    SECURE_SSL_REDIRECT = True\n', '')
    (configurations / 'proj/settings.py').write_text(
        source.replace('class Production(Common):\n', 'class Production(Common):  # noqa\n'),
    )
    result = run_flake8(['--select=DJS110', 'proj'], configurations)
    assert _codes(result.stdout) == ['proj/settings.py:31 DJS110']


def test_editor_buffer_home_follows_the_buffer(split: Path) -> None:
    """An unsaved buffer with a bare noqa on line 1 is placed by the buffer's own lines."""
    buffer = PRODUCTION.replace('# noqa: F403', '# noqa').replace('SECURE_SSL_REDIRECT = True\n', '')
    result = run_flake8(
        ['--select=DJS110', '--stdin-display-name=proj/settings/production.py', '-'], split,
        stdin=buffer,
    )
    assert _codes(result.stdout) == ['proj/settings/production.py:2 DJS110']


# --- modules no deployment loads (issue 12, construct 10, discovery side) ---------------------

def _deployments(args: list[str], root: Path) -> str:
    return subprocess.run(
        [CHECK, 'deployments', *args], cwd=root, capture_output=True, text=True, timeout=120,
        check=False,
    ).stdout


def _layout_project(project, name: str):  # type: ignore[no-untyped-def]
    return project(_tree(name))


def test_library_defaults_module_is_no_deployment(project) -> None:  # type: ignore[no-untyped-def]
    """A defaults module others star-import and that binds no MIDDLEWARE/ROOT_URLCONF/SECRET_KEY."""
    root = _layout_project(project, 'library-defaults-module')
    alone = run_flake8(['--select=DJS', 'mylib/conf/app_settings.py'], root)
    assert alone.stdout == ''
    result = run_flake8(['--select=DJS100,DJS110,DJS111,DJS116', '.'], root)
    assert _codes(result.stdout) == [
        './proj/settings.py:1 DJS110', './proj/settings.py:1 DJS111', './proj/settings.py:1 DJS116',
    ]


def test_defaults_module_nobody_star_imports_is_still_judged(project) -> None:  # type: ignore[no-untyped-def]
    """Without a star importer, the same module stays a leaf: only others' imports make it defaults."""
    files = _tree('library-defaults-module')
    files['proj/settings.py'] = files['proj/settings.py'].replace(
        'from mylib.conf.app_settings import *  # noqa: F403\n', 'LIB_MIDDLEWARE = []\n',
    )
    root = project(files)
    alone = run_flake8(['--select=DJS100', 'mylib/conf/app_settings.py'], root)
    assert _codes(alone.stdout) == ['mylib/conf/app_settings.py:1 DJS100']


def test_star_imported_module_that_may_serve_is_still_judged(project) -> None:  # type: ignore[no-untyped-def]
    """A star-imported module binding SECRET_KEY (or handing globals() away) may be a deployment."""
    files = _tree('library-defaults-module')
    for extra in ('SECRET_KEY = "x" * 60\n', 'globals().update(load())\n'):
        files['mylib/conf/app_settings.py'] = _tree('library-defaults-module')[
            'mylib/conf/app_settings.py'
        ] + extra
        root = project(files)
        shown = _deployments(['mylib/conf/app_settings.py'], root)
        assert 'mylib/conf/app_settings.py: a leaf settings module' in shown, extra


@pytest.mark.parametrize('reading', [
    'from proj import app_config\n',
    'from . import app_config\n',
    'import proj.app_config as app_config\n',
])
def test_application_configuration_file_is_no_deployment(project, reading: str) -> None:  # type: ignore[no-untyped-def]
    """A configuration file settings.py imports (whole or by name) is read, not deployed."""
    files = _tree('app-configuration-file')
    files['proj/settings.py'] = files['proj/settings.py'].replace(
        'from proj import app_config\n', reading,
    )
    root = project(files)
    result = run_flake8(['--select=DJS100,DJS101,DJS116', '.'], root)
    assert _codes(result.stdout) == ['./proj/settings.py:1 DJS116']
    by_name = dict(files)
    by_name['proj/settings.py'] = files['proj/settings.py'].replace(
        reading, 'from .app_config import DATABASES, FEATURES\n',
    ).replace('app_config.DATABASES', 'DATABASES').replace('app_config.FEATURES', 'FEATURES')
    root = project(by_name)
    assert _codes(run_flake8(['--select=DJS100,DJS101,DJS116', '.'], root).stdout) == [
        './proj/settings.py:1 DJS116',
    ]


def test_configuration_file_a_test_module_reads_is_still_judged(project) -> None:  # type: ignore[no-untyped-def]
    """Only production settings make a module a configuration file: test_settings.py does not."""
    root = project({
        'proj/__init__.py': '',
        'proj/settings.py': 'DEBUG = True\nSECRET_KEY = "k"\nINSTALLED_APPS = []\n',
        'proj/test_settings.py': 'from proj.settings import INSTALLED_APPS\nDATABASES = {}\n',
    })
    result = run_flake8(['--select=DJS100', 'proj/settings.py'], root)
    assert _codes(result.stdout) == ['proj/settings.py:1 DJS100']


@pytest.mark.parametrize('override', [
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
    'with open("/run/secrets/django") as handle:\n    SECRET_KEY = handle.read().strip()\n',
    'SECRET_KEY = Path("/run/secrets/django").read_text()\n',
    'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")\nif not SECRET_KEY:\n    raise ImproperlyConfigured("set it")\n',
])
def test_base_value_overridden_by_unknown_is_not_reported(project, override: str) -> None:  # type: ignore[no-untyped-def]
    """Production requires SECRET_KEY or reads it from a file: base's literal is not effective."""
    files = _tree('base-overridden-by-unknown')
    files['proj/settings/production.py'] = (
        'import os\nfrom pathlib import Path\n\n'
        'from django.core.exceptions import ImproperlyConfigured\n\n'
        'from .base import *  # noqa: F403\n\n' + override
    )
    root = project(files)
    result = run_flake8(['--select=DJS101,DJS102', '.'], root)
    assert result.stdout == ''


def test_deployments_command_says_why_a_module_is_no_deployment(project) -> None:  # type: ignore[no-untyped-def]
    """``flake8-djsec deployments`` names the configuration file and the reader."""
    root = _layout_project(project, 'app-configuration-file')
    shown = _deployments(['.'], root)
    assert 'proj/settings.py: a leaf settings module' in shown
    assert 'proj/app_config.py: read by settings.py (a configuration file it imports)' in shown


# --- two rule details (issue 12, construct 11) -------------------------------------------------

def test_nonce_neutralises_unsafe_inline_never_unsafe_eval(project) -> None:  # type: ignore[no-untyped-def]
    """script-src with a nonce: 'unsafe-inline' is ignored by browsers, 'unsafe-eval' is not."""
    root = _layout_project(project, 'csp-nonce-with-unsafe-eval')
    result = run_flake8(['--select=DJS141', '.'], root)
    assert result.stdout.splitlines() == [
        "./proj/settings.py:22:1: DJS141 CONTENT_SECURITY_POLICY allows 'unsafe-eval' for scripts "
        'in script-src: eval() and new Function() run strings as code',
    ]
    files = _tree('csp-nonce-with-unsafe-eval')
    files['proj/settings.py'] = files['proj/settings.py'].replace(' "\'unsafe-eval\'"', '').replace(
        '"\'unsafe-inline\'",', '"\'unsafe-inline\'"',
    )
    assert run_flake8(['--select=DJS141', '.'], project(files)).stdout == ''


def test_credential_in_a_dict_literal_is_reported_on_its_key(project) -> None:  # type: ignore[no-untyped-def]
    """DJS106 for a PASSWORD inside DATABASES = {...}: the key's line, where # noqa: DJS106 goes."""
    root = _layout_project(project, 'credential-in-dict-literal')
    result = run_flake8(['--select=DJS106', '.'], root)
    assert _codes(result.stdout) == ['./proj/settings/base.py:11 DJS106']
    assert _check(['--select=DJS106', '.'], root) == result.stdout
    base = root / 'proj/settings/base.py'
    base.write_text(base.read_text().replace(
        '"PASSWORD": "written-in-the-repository",', '"PASSWORD": "written-in-the-repository",  # noqa: DJS106',
    ))
    assert run_flake8(['--select=DJS106', '.'], root).stdout == ''


def test_credential_set_by_subscript_stays_on_its_statement(project) -> None:  # type: ignore[no-untyped-def]
    """A password written by ``DATABASES["default"]["PASSWORD"] = ...``: that statement's line."""
    root = project({
        'proj/__init__.py': '',
        'proj/settings.py': (
            'INSTALLED_APPS = []\nDATABASES = {"default": {"NAME": "x"}}\n'
            'DATABASES["default"]["PASSWORD"] = "hunter2"\n'
        ),
    })
    result = run_flake8(['--select=DJS106', '.'], root)
    assert _codes(result.stdout) == ['./proj/settings.py:3 DJS106']


def test_production_class_with_variants_is_a_deployment(project) -> None:  # type: ignore[no-untyped-def]
    """``Staging(Production)`` and ``Demo(Production)``: Production is judged too, not only the leaves."""
    root = project({
        'proj/__init__.py': '',
        'proj/settings.py': (
            'from configurations import Configuration\n\n\n'
            'class Production(Configuration):\n'
            '    INSTALLED_APPS = []\n    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
            '    ALLOWED_HOSTS = ["example.com"]\n\n\n'
            'class Staging(Production):\n    SECURE_SSL_REDIRECT = True\n\n\n'
            'class Demo(Production):\n    SECURE_SSL_REDIRECT = True\n'
        ),
    })
    result = run_flake8(['--select=DJS110', 'proj'], root)
    assert _codes(result.stdout) == ['proj/settings.py:4 DJS110']
