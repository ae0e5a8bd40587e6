"""
Deployment files end to end: the real ``flake8`` and ``flake8-djsec check`` on small layouts.

Each file kind names the deployment module of a project with two leaf settings
modules (``alpha`` with DEBUG on, ``beta`` with a short HSTS): without a
deployment file both are judged; with one, only the module it names.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pytest

from tests.conftest import run_flake8

COMMAND: Final = str(Path(sys.executable).with_name('flake8-djsec'))

BASE: Final = '''\
import os
INSTALLED_APPS = ["django.contrib.sessions"]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
'''
ALPHA_LINE: Final = (
    './proj/settings/alpha.py:2:1: DJS100 DEBUG is True in deployment settings; set DEBUG = False'
)
BETA_LINE: Final = (
    './proj/settings/beta.py:2:1: DJS112 SECURE_HSTS_SECONDS is 60 (0.0166667 hours); '
    'use at least 31536000'
)
TWO_LEAVES: Final = {
    'manage.py': '',
    'proj/__init__.py': '',
    'proj/settings/__init__.py': '',
    'proj/settings/base.py': BASE,
    'proj/settings/alpha.py': 'from .base import *  # noqa\nDEBUG = True\n',
    'proj/settings/beta.py': 'from .base import *  # noqa\nSECURE_HSTS_SECONDS = 60\n',
}
SELECT: Final = '--select=DJS100,DJS101,DJS106,DJS112'


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


def _djs(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert 'DJS000' not in result.stdout, result.stdout
    assert 'Traceback' not in result.stderr, result.stderr
    return sorted(line for line in result.stdout.splitlines() if ' DJS' in line)


def _check(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    isolated = [] if any(arg.startswith('--config') for arg in args) else ['--isolated']
    return subprocess.run(
        [COMMAND, 'check', *isolated, *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )


def both(args: Sequence[str], cwd: Path) -> list[str]:
    """The DJS lines of flake8 and of ``flake8-djsec check`` on the same run; they agree."""
    ours = _djs(run_flake8([*args, '.'], cwd))
    assert _djs(_check([*args, '.'], cwd)) == ours
    return ours


def test_without_deployment_files_both_leaves_are_judged(tmp_path: Path) -> None:
    """The baseline: no deployment file, every leaf is a deployment."""
    _write(tmp_path, TWO_LEAVES)
    assert both([SELECT], tmp_path) == [ALPHA_LINE, BETA_LINE]


NAMING_ALPHA: Final = {
    'compose': {'docker-compose.yml': '''\
        services:
          web:
            build: .
            command: gunicorn proj.wsgi --bind 0.0.0.0:8000
            environment:
              DJANGO_SETTINGS_MODULE: proj.settings.alpha
          db:
            image: postgres
        '''},
    'compose env_file': {
        'compose.yaml': 'services:\n  web:\n    env_file: [deploy/web.env]\n    command: /start\n',
        'deploy/web.env': 'DJANGO_SETTINGS_MODULE=proj.settings.alpha\n',
    },
    'Dockerfile only': {'Dockerfile': (
        'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings.alpha\n'
        'RUN DJANGO_SETTINGS_MODULE=proj.settings.beta python manage.py collectstatic --noinput\n'
        'CMD ["gunicorn", "proj.wsgi"]\n'
    )},
    'Procfile': {'Procfile': (
        'web: gunicorn proj.wsgi --env DJANGO_SETTINGS_MODULE=proj.settings.alpha\n'
        'release: python manage.py migrate --settings=proj.settings.beta\n'
    )},
    'app.json': {'app.json': '{"env": {"DJANGO_SETTINGS_MODULE": "proj.settings.alpha"}}\n'},
    'fly.toml': {'fly.toml': (
        '[env]\n  DJANGO_SETTINGS_MODULE = "proj.settings.alpha"\n'
        '[processes]\n  app = "gunicorn proj.wsgi"\n'
    )},
    'render.yaml': {'render.yaml': '''\
        services:
          - type: web
            name: site
            startCommand: gunicorn proj.wsgi
            envVars:
              - key: DJANGO_SETTINGS_MODULE
                value: proj.settings.alpha
        '''},
    'uwsgi.ini': {'uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\nenv = DJANGO_SETTINGS_MODULE=proj.settings.alpha\n'},
    'gunicorn.conf.py': {'gunicorn.conf.py': 'raw_env = ["DJANGO_SETTINGS_MODULE=proj.settings.alpha"]\n'},
    'kubernetes': {'k8s/deployment.yaml': '''\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
                - name: web
                  command: ["gunicorn", "proj.wsgi"]
                  env:
                    - {name: DJANGO_SETTINGS_MODULE, value: proj.settings.alpha}
        '''},
    'systemd': {'deploy/proj.service': (
        '[Service]\nEnvironment=DJANGO_SETTINGS_MODULE=proj.settings.alpha\n'
        'ExecStart=/srv/venv/bin/gunicorn proj.wsgi\n'
    )},
}


@pytest.mark.parametrize('kind', sorted(NAMING_ALPHA))
def test_each_file_kind_names_the_deployment(tmp_path: Path, kind: str) -> None:
    """The module a deployment file names is the deployment; the other leaf is not judged."""
    _write(tmp_path, {**TWO_LEAVES, **NAMING_ALPHA[kind]})
    assert both([SELECT], tmp_path) == [ALPHA_LINE]


RULING_OUT_BETA: Final = {
    'pytest.ini': {'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = proj.settings.beta\n'},
    'tox.ini': {'tox.ini': '[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE=proj.settings.beta\n'},
    'setup.cfg': {'setup.cfg': '[tool:pytest]\nDJANGO_SETTINGS_MODULE = proj.settings.beta\n'},
    'pyproject.toml': {'pyproject.toml': (
        '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "proj.settings.beta"\n'
    )},
    'GitHub workflow': {'.github/workflows/ci.yml': (
        'jobs:\n  test:\n    env:\n      DJANGO_SETTINGS_MODULE: proj.settings.beta\n'
        '    steps:\n      - run: pytest\n'
    )},
    'build step': {'Dockerfile': (
        'FROM python\nRUN DJANGO_SETTINGS_MODULE=proj.settings.beta python manage.py collectstatic\n'
    )},
}


@pytest.mark.parametrize('kind', sorted(RULING_OUT_BETA))
def test_tests_ci_and_build_modules_are_not_deployments(tmp_path: Path, kind: str) -> None:
    """A leaf that only tests, CI or a build step load is not judged."""
    _write(tmp_path, {**TWO_LEAVES, **RULING_OUT_BETA[kind]})
    assert both([SELECT], tmp_path) == [ALPHA_LINE]


def test_web_and_worker_with_different_modules_are_each_judged(tmp_path: Path) -> None:
    """Two services, two modules: both deployments, a wsgi.py default notwithstanding."""
    _write(tmp_path, {
        **TWO_LEAVES,
        'proj/settings/gamma.py': 'from .base import *  # noqa\n',
        'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.gamma")\n',
        'docker-compose.yml': '''\
            services:
              web:
                command: gunicorn proj.wsgi
                environment: [DJANGO_SETTINGS_MODULE=proj.settings.alpha]
              worker:
                command: celery -A proj worker
                environment: [DJANGO_SETTINGS_MODULE=proj.settings.beta]
            ''',
    })
    assert both([SELECT], tmp_path) == [ALPHA_LINE, BETA_LINE]


def test_option_wins_over_deployment_files(tmp_path: Path) -> None:
    """--djsec-deploy-settings first: the files' module is not judged then."""
    _write(tmp_path, {**TWO_LEAVES, **NAMING_ALPHA['Procfile']})
    assert both([SELECT, '--djsec-deploy-settings=proj.settings.beta'], tmp_path) == [BETA_LINE]


def test_development_compose_file_names_no_deployment(tmp_path: Path) -> None:
    """docker-compose.local.yml's services are development: the leaves are judged."""
    _write(tmp_path, {
        **TWO_LEAVES,
        'docker-compose.local.yml': (
            'services:\n  web:\n    command: gunicorn proj.wsgi\n'
            '    environment: {DJANGO_SETTINGS_MODULE: proj.settings.alpha}\n'
        ),
    })
    assert both([SELECT], tmp_path) == [ALPHA_LINE, BETA_LINE]


COOKIECUTTER: Final = {
    '.gitignore': '.env\n.envs/*\n!.envs/.production/\n',
    'manage.py': '',
    'config/__init__.py': '',
    'config/wsgi.py': (
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")\n'
    ),
    'config/settings/__init__.py': '',
    'config/settings/base.py': '''\
        import environ
        env = environ.Env()
        SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
        DEBUG = env.bool("DJANGO_DEBUG", False)
        INSTALLED_APPS = ["django.contrib.sessions"]
        ''',
    'config/settings/production.py': '''\
        from .base import *  # noqa
        from .base import env
        SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60)
        ''',
    '.envs/.production/.django': (
        'DJANGO_SETTINGS_MODULE=config.settings.production\n'
        'DJANGO_SECURE_HSTS_SECONDS=518400\n'
        'DJANGO_SECRET_KEY=k8Jz3mQw9vT2xR7pL4nB6cY1hF5dS0aG8eU3iO7uK2jH9gM4wQ6rZ1tX5vC7bN3m\n'
    ),
    'docker-compose.production.yml': '''\
        services:
          django: &django
            build: .
            env_file:
              - ./.envs/.production/.django
            command: /start
          celeryworker:
            <<: *django
            command: /start-celeryworker
        ''',
}
HSTS_FROM_ENV_FILE: Final = (
    './config/settings/production.py:3:1: DJS112 SECURE_HSTS_SECONDS is 518400 (6 days) '
    '(from DJANGO_SECURE_HSTS_SECONDS in .envs/.production/.django, loaded by '
    'docker-compose.production.yml service django); use at least 31536000'
)
KEY_IN_ENV_FILE: Final = (
    './config/settings/base.py:3:1: DJS101 SECRET_KEY is written in the source '
    '(from DJANGO_SECRET_KEY in .envs/.production/.django, loaded by '
    'docker-compose.production.yml service django); read it from the environment with no default'
)


def test_cookiecutter_style_project(tmp_path: Path) -> None:
    """The compose file's env file names production and its values; the key there is committed."""
    _write(tmp_path, COOKIECUTTER)
    assert both([SELECT], tmp_path) == [KEY_IN_ENV_FILE, HSTS_FROM_ENV_FILE]


def test_ignored_env_file_is_not_written_in_the_repository(tmp_path: Path) -> None:
    """The same env file, ignored by .gitignore: its values count, its key is not DJS101."""
    _write(tmp_path, {**COOKIECUTTER, '.gitignore': '.env\n.envs/*\n'})
    assert both([SELECT], tmp_path) == [HSTS_FROM_ENV_FILE.replace(
        '.envs/.production/.django,', '.envs/.production/.django (not committed),',
    )]


def test_env_file_option_and_env_option_win(tmp_path: Path) -> None:
    """--djsec-env-file over the deployment files, --djsec-env over both."""
    _write(tmp_path, {**COOKIECUTTER, 'ops/hsts.env': 'DJANGO_SECURE_HSTS_SECONDS=600\n'})
    lines = both([SELECT, '--djsec-env-file=ops/hsts.env'], tmp_path)
    assert lines[1] == (
        './config/settings/production.py:3:1: DJS112 SECURE_HSTS_SECONDS is 600 (0.166667 hours) '
        '(from DJANGO_SECURE_HSTS_SECONDS in ops/hsts.env, loaded by --djsec-env-file); '
        'use at least 31536000'
    )
    lines = both(
        [SELECT, '--djsec-env-file=ops/hsts.env', '--djsec-env=DJANGO_SECURE_HSTS_SECONDS=60'],
        tmp_path,
    )
    assert lines[1] == (
        './config/settings/production.py:3:1: DJS112 SECURE_HSTS_SECONDS is 60 (0.0166667 hours) '
        '(environment variable DJANGO_SECURE_HSTS_SECONDS); use at least 31536000'
    )


def test_missing_env_file_option_is_an_error(tmp_path: Path) -> None:
    """--djsec-env-file naming no file stops flake8 with one line."""
    _write(tmp_path, TWO_LEAVES)
    result = run_flake8([SELECT, '--djsec-env-file=nope.env', '.'], tmp_path)
    assert result.returncode != 0
    assert "--djsec-env-file 'nope.env' is not a file" in result.stderr


HOSTILE: Final = {
    'alias bomb': {'docker-compose.yml': ''.join(
        '{0}: &{0} [{1}]\n'.format(name, ', '.join(['*{0}'.format(previous)] * 9) if previous else 'x')
        for previous, name in zip(['', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], 'abcdefgh')
    )},
    'malformed YAML': {'docker-compose.yml': 'services:\n  web: [\n'},
    'binary compose file': {'docker-compose.yml': 'services:\x00\n'},
    'extends cycle': {'docker-compose.yml': (
        'services:\n  a:\n    extends: b\n    command: gunicorn x\n  b:\n    extends: a\n'
    )},
    'include cycle': {
        'compose.yaml': 'include: [other.yaml]\n',
        'other.yaml': 'include: [compose.yaml]\n',
    },
    'self-referring interpolation': {
        'docker-compose.yml': (
            'services:\n  web:\n    command: gunicorn x\n    env_file: .env.prod\n'
        ),
        '.env.prod': 'DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-proj.settings.alpha}\n',
    },
    'continuation-only Dockerfile': {'Dockerfile': '\\\n\\\n\\\n'},
    'malformed TOML': {'fly.toml': '[env\n'},
    'malformed INI': {'uwsgi.ini': '[uwsgi\nenv = DJANGO_SETTINGS_MODULE=proj.settings.alpha\n'},
    'large env file': {
        'docker-compose.yml': 'services:\n  web:\n    command: gunicorn x\n    env_file: big.env\n',
        'big.env': 'DJANGO_SETTINGS_MODULE=proj.settings.alpha\n' + 'X=1\n' * 300_000,
    },
}


@pytest.mark.parametrize('kind', sorted(HOSTILE))
def test_hostile_deployment_files_name_nothing(tmp_path: Path, kind: str) -> None:
    """Bad input is unknown: no crash, no hang, the leaves judged as without the file."""
    _write(tmp_path, {**TWO_LEAVES, **HOSTILE[kind]})
    assert both([SELECT], tmp_path) == [ALPHA_LINE, BETA_LINE]


# The deployment-file layouts (tests/layouts/deployfiles-*) are judged against Django by
# tests/test_layout_parity.py, with exactly the variables `flake8-djsec deployments` derives.


def test_env_files_from_configuration_relative_to_it(tmp_path: Path) -> None:
    """djsec-env-file in setup.cfg: one per line, relative to the file; the last one wins."""
    _write(tmp_path, {
        **COOKIECUTTER,
        'ops/a.env': 'DJANGO_SECURE_HSTS_SECONDS=600\n',
        'ops/b.env': 'DJANGO_SECURE_HSTS_SECONDS=700\n',
        'ops/setup.cfg': '[flake8]\ndjsec-env-file =\n    ./a.env\n    ./b.env\n',
    })
    lines = both([SELECT, '--config=ops/setup.cfg'], tmp_path)
    assert lines[1].startswith(
        './config/settings/production.py:3:1: DJS112 SECURE_HSTS_SECONDS is 700 ',
    )
    assert '(from DJANGO_SECURE_HSTS_SECONDS in ops/b.env, loaded by --djsec-env-file)' in lines[1]


def test_wsgi_default_named_by_pytest_stays_the_deployment(tmp_path: Path) -> None:
    """wsgi.py's default is loaded by a deployment, whatever pytest.ini also says."""
    _write(tmp_path, {
        **TWO_LEAVES,
        'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.alpha")\n',
        'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = proj.settings.alpha\n',
    })
    assert both([SELECT], tmp_path) == [ALPHA_LINE]


def test_the_last_candidate_is_not_ruled_out(tmp_path: Path) -> None:
    """A single settings module that tests also load is still the deployment."""
    _write(tmp_path, {
        'manage.py': '',
        'proj/__init__.py': '',
        'proj/settings.py': 'INSTALLED_APPS = []\nDEBUG = True\n',
        'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = proj.settings\n',
    })
    assert both([SELECT], tmp_path) == [
        './proj/settings.py:2:1: DJS100 DEBUG is True in deployment settings; set DEBUG = False',
    ]


def test_named_module_built_on_development_settings(tmp_path: Path) -> None:
    """A compose file naming a module built on dev settings (``docker.py``): that module is judged."""
    _write(tmp_path, {
        **TWO_LEAVES,
        'proj/settings/dev.py': 'from .base import *  # noqa\nDEBUG = True\n',
        'proj/settings/docker.py': 'from .dev import *  # noqa\n',
        'docker-compose.yml': (
            'services:\n  web:\n    command: python manage.py runserver\n'
            '    environment: [DJANGO_SETTINGS_MODULE=proj.settings.docker]\n'
        ),
    })
    # development by its own name only: dev.py's DEBUG, which docker.py runs with, on dev.py's line
    assert both([SELECT], tmp_path) == [
        './proj/settings/dev.py:2:1: DJS100 DEBUG is True in deployment settings; set DEBUG = False',
    ]


def test_documentation_examples_are_not_the_deployment(tmp_path: Path) -> None:
    """A manifest under docs/ is an install example: neither its module nor its variables count."""
    _write(tmp_path, {**TWO_LEAVES, 'docs/install/k8s/50-deployment.yaml': (
        'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n'
        '        - name: web\n          command: ["gunicorn", "proj.wsgi"]\n          env:\n'
        '            - name: DJANGO_SETTINGS_MODULE\n              value: proj.settings.alpha\n'
        '            - name: DJANGO_SECURE_HSTS_SECONDS\n              value: "60"\n'
    )})
    assert both([SELECT], tmp_path) == [ALPHA_LINE, BETA_LINE]


def test_deploy_template_is_not_development(tmp_path: Path) -> None:
    """A platform's deploy template (.do/deploy.template.yaml) names the deployment."""
    _write(tmp_path, {**TWO_LEAVES, '.do/deploy.template.yaml': (
        'spec:\n  services:\n    - name: app\n      envs:\n'
        '        - key: DJANGO_SETTINGS_MODULE\n          value: proj.settings.alpha\n'
    )})
    assert both([SELECT], tmp_path) == [ALPHA_LINE]
