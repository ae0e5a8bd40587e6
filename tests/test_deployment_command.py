"""``flake8-djsec deployments``: the real console script on small layouts, text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Final

COMMAND: Final = str(Path(sys.executable).with_name('flake8-djsec'))

LAYOUT: Final = {
    'manage.py': '',
    '.gitignore': '.envs/.production/.postgres\n',
    'config/__init__.py': '',
    'config/wsgi.py': (
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")\n'
    ),
    'config/settings/__init__.py': '',
    'config/settings/base.py': 'import os\nINSTALLED_APPS = []\nSECRET_KEY = os.environ["K"]\n',
    'config/settings/production.py': 'from .base import *  # noqa\n',
    'config/settings/worker.py': 'from .base import *  # noqa\n',
    'config/settings/local.py': 'from .base import *  # noqa\nDEBUG = True\n',
    'config/settings/pytest.py': 'from .base import *  # noqa\n',
    'config/settings/static.py': 'from .base import *  # noqa\n',
    'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = config.settings.pytest\n',
    'Dockerfile': (
        'FROM python:3.12\n'
        'RUN DJANGO_SETTINGS_MODULE=config.settings.static python manage.py collectstatic\n'
    ),
    '.envs/.production/.django': (
        'DJANGO_SETTINGS_MODULE=config.settings.production\nDJANGO_SECRET_KEY=abc\n'
    ),
    '.envs/.production/.postgres': 'POSTGRES_PASSWORD=hunter2\nPOSTGRES_DB=app\n',
    'docker-compose.production.yml': '''\
        services:
          web:
            build: .
            env_file:
              - .envs/.production/.django
              - .envs/.production/.postgres
            command: gunicorn config.wsgi
          worker:
            command: celery -A config worker
            environment:
              DJANGO_SETTINGS_MODULE: config.settings.worker
        ''',
    'k8s/broken.yaml': 'spec:\n  containers: [\n',
}

TEXT: Final = '''\
deployment modules:
  config/settings/production.py: named by docker-compose.production.yml service web (runs gunicorn) at .envs/.production/.django:1
    DJANGO_SECRET_KEY=******** (from DJANGO_SECRET_KEY in .envs/.production/.django, loaded by docker-compose.production.yml service web)
    DJANGO_SETTINGS_MODULE=config.settings.production (from DJANGO_SETTINGS_MODULE in .envs/.production/.django, loaded by docker-compose.production.yml service web)
    EXTRA=1 (given with --djsec-env)
    POSTGRES_DB=app (from POSTGRES_DB in .envs/.production/.postgres (not committed), loaded by docker-compose.production.yml service web)
    POSTGRES_PASSWORD=******** (from POSTGRES_PASSWORD in .envs/.production/.postgres (not committed), loaded by docker-compose.production.yml service web)
  config/settings/worker.py: named by docker-compose.production.yml service worker (runs celery) at docker-compose.production.yml:11
    DJANGO_SETTINGS_MODULE=config.settings.worker (from DJANGO_SETTINGS_MODULE in docker-compose.production.yml)
    EXTRA=1 (given with --djsec-env)
not deployments:
  config/settings/base.py: imported by config/settings/local.py, config/settings/production.py, config/settings/pytest.py, config/settings/static.py, config/settings/worker.py
  config/settings/local.py: development name
  config/settings/pytest.py: tests-only (pytest.ini [pytest]) at pytest.ini:2
  config/settings/static.py: build-only (Dockerfile RUN manage.py) at Dockerfile:2
unknown (read as naming and setting nothing):
  k8s/broken.yaml: malformed YAML (ParserError)
'''


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


def _run(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, 'deployments', '--isolated', *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )


def test_text(tmp_path: Path) -> None:
    """Each deployment and why, its variables (secrets masked), the others and why, unknowns."""
    _write(tmp_path, LAYOUT)
    result = _run(['--djsec-env=EXTRA=1'], tmp_path)
    assert (result.returncode, result.stderr) == (0, '')
    assert result.stdout == TEXT


def test_json(tmp_path: Path) -> None:
    """--format=json: the same facts as one object."""
    _write(tmp_path, LAYOUT)
    result = _run(['--format=json', '.'], tmp_path)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert [entry['module'] for entry in report['deployments']] == [
        'config/settings/production.py', 'config/settings/worker.py',
    ]
    assert report['deployments'][0]['named_at'] == '.envs/.production/.django:1'
    assert {
        variable['name']: variable['value'] for variable in report['deployments'][0]['variables']
    }['POSTGRES_PASSWORD'] == '********'
    assert {entry['module']: entry['where'] for entry in report['not_deployments']} == {
        'config/settings/base.py': '',
        'config/settings/local.py': '',
        'config/settings/pytest.py': 'pytest.ini:2',
        'config/settings/static.py': 'Dockerfile:2',
    }
    assert report['unknown'] == [
        {'reason': 'malformed YAML (ParserError)', 'where': 'k8s/broken.yaml'},
    ]


def test_wsgi_default_and_leaves(tmp_path: Path) -> None:
    """Without deployment files: the wsgi.py default says why; with an option, the option."""
    layout = {
        name: content for name, content in LAYOUT.items()
        if name.startswith('config/') and 'worker' not in name
    }
    _write(tmp_path, layout)
    first = _run([], tmp_path).stdout.splitlines()
    assert first[:2] == [
        'deployment modules:',
        '  config/settings/base.py: the DJANGO_SETTINGS_MODULE default of wsgi.py at config/wsgi.py',
    ]
    option = _run(['--djsec-deploy-settings=config.settings.static'], tmp_path).stdout
    assert '  config/settings/static.py: named by --djsec-deploy-settings\n' in option


def test_sarif_is_a_usage_error(tmp_path: Path) -> None:
    """SARIF is for findings: a usage error here."""
    result = _run(['--format=sarif'], tmp_path)
    assert result.returncode == 2
    assert 'deployments has --format=text or --format=json' in result.stderr
