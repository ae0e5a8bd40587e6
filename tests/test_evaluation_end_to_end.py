"""The evaluator through the real flake8: an installed package's settings module star-imported."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import FLAKE8

PRODUCTION = '''\
from companysettings.defaults import *  # noqa: F403

ALLOWED_HOSTS = ["shop.example.com"]
'''

DEFAULTS = '''\
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
'''


def _run(tmp_path: Path, site: Path | None) -> list[str]:
    environment = dict(os.environ)
    environment.pop('PYTHONPATH', None)
    if site is not None:
        environment['PYTHONPATH'] = str(site)  # installed where flake8 runs
    result = subprocess.run(
        [
            FLAKE8, '--isolated', '--select=DJS', '--djsec-deploy-settings=proj/production.py',
            'proj',
        ],
        cwd=tmp_path / 'work', env=environment, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode in {0, 1}, result.stderr
    return sorted(line.split(': ')[0] + ' ' + line.split()[1] for line in result.stdout.splitlines())


def test_installed_defaults_are_read(tmp_path: Path) -> None:
    """Found on flake8's sys.path: DEBUG from the package is reported at the import (#8)."""
    site = tmp_path / 'site' / 'companysettings'
    site.mkdir(parents=True)
    (site / '__init__.py').write_text('')
    (site / 'defaults.py').write_text(DEFAULTS)
    project = tmp_path / 'work' / 'proj'
    project.mkdir(parents=True)
    (project / '__init__.py').write_text('')
    (project / 'production.py').write_text(PRODUCTION)
    found = _run(tmp_path, tmp_path / 'site')
    # DEBUG from the package; the middleware it lacks (CSRF, clickjacking, permissions policy,
    # CSP) is missing, not unknown: the module is closed.
    assert found == ['proj/production.py:1:1 DJS{0}'.format(code) for code in (
        100, 121, 131, 137, 140,
    )]
    # Not installed: opaque, as before: nothing can be reported.
    assert _run(tmp_path, None) == []


def test_layout_package_not_installed_is_opaque(tmp_path: Path) -> None:
    """The installed-package layout without its site folder on sys.path: nothing is reported."""
    import shutil  # noqa: WPS433 - this test only

    layout = Path(__file__).resolve().parent / 'layouts' / 'installed-package-star-import' / 'tree'
    shutil.copytree(layout, tmp_path / 'work')
    environment = dict(os.environ)
    environment.pop('PYTHONPATH', None)
    arguments = [FLAKE8, '--isolated', '--select=DJS', '--extend-exclude=site', '.']
    opaque = subprocess.run(
        arguments, cwd=tmp_path / 'work', env=environment, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert (opaque.returncode, opaque.stdout, opaque.stderr) == (0, '', '')
    environment['PYTHONPATH'] = str(tmp_path / 'work' / 'site')  # installed: read (layout parity)
    read = subprocess.run(
        arguments, cwd=tmp_path / 'work', env=environment, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert [line.split(': ')[0] for line in read.stdout.splitlines()] == [
        './web/settings/production.py:1:1', './web/settings/production.py:1:1',
    ]
