"""
Generate a split-settings Django project of any size, for the benchmark and the linearity test.

``write_split_project(root, components=N, leaves=L)`` writes::

    root/proj/__init__.py
    root/proj/settings/__init__.py
    root/proj/settings/base.py            from .components.cNNN import *  (one line per component)
    root/proj/settings/components/cNNN.py N modules, each assigning a few settings
    root/proj/settings/<leaf>.py          L deployment modules: from .base import *, overrides
    root/proj/settings/local.py           development settings (judged by nobody)
    root/proj/urls.py, root/shop/views.py ordinary code

The content is deterministic (no randomness), so two runs lint the same bytes.
"""

from __future__ import annotations

from pathlib import Path

LEAF_NAMES = ('production', 'staging', 'qa', 'demo', 'eu', 'us', 'asia', 'canary')

_BASE_HEAD = '''\
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
'''

_COMPONENT = '''\
"""Component {index} of the generated settings."""
import os

FEATURE_{index}_ENABLED = os.environ.get("FEATURE_{index}", "yes") == "yes"
FEATURE_{index}_TIMEOUT = int(os.environ.get("FEATURE_{index}_TIMEOUT", "{timeout}"))
FEATURE_{index}_HOSTS = ["host{index}.example.com", "backup{index}.example.com"]
FEATURE_{index}_OPTIONS = {{
    "retries": {retries},
    "names": [name.upper() for name in ("a", "b")],
    "label": "component-{index}",
}}
{django_line}
'''

#: Django settings the components assign in turn (the last component's value is effective).
_DJANGO_LINES = (
    'SESSION_COOKIE_AGE = {value}',
    'CSRF_COOKIE_SECURE = {flag}',
    'SESSION_COOKIE_SECURE = {flag}',
    'SECURE_HSTS_SECONDS = {value}',
    'X_FRAME_OPTIONS = "DENY"',
    'DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "db{index}"}}}}',
)

_LEAF = '''\
from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["{name}.example.com"]
SECURE_SSL_REDIRECT = {redirect}
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
'''

_LOCAL = '''\
from .base import *  # noqa: F403

DEBUG = True
'''


def write_split_project(root: Path, components: int, leaves: int = 6) -> list[Path]:
    """Write the project under ``root``; return every Python file written, sorted."""
    settings = root / 'proj' / 'settings'
    folder = settings / 'components'
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        root / 'proj' / '__init__.py': '',
        settings / '__init__.py': '',
        folder / '__init__.py': '',
        settings / 'local.py': _LOCAL,
        root / 'proj' / 'urls.py': (
            'from django.contrib import admin\nfrom django.urls import path\n\n'
            'urlpatterns = [path("admin/", admin.site.urls)]\n'
        ),
        root / 'shop' / '__init__.py': '',
        root / 'shop' / 'views.py': 'def index(request):\n    return None\n',
    }
    imports = []
    for index in range(components):
        name = 'c{0:04d}'.format(index)
        django_line = _DJANGO_LINES[index % len(_DJANGO_LINES)].format(
            value=3600 + index, flag=index % 2 == 0, index=index,
        )
        files[folder / '{0}.py'.format(name)] = _COMPONENT.format(
            index=index, timeout=10 + index, retries=index % 5, django_line=django_line,
        )
        imports.append('from .components.{0} import *  # noqa: F403\n'.format(name))
    files[settings / 'base.py'] = _BASE_HEAD + ''.join(imports)
    for position in range(leaves):
        name = LEAF_NAMES[position % len(LEAF_NAMES)]
        if position >= len(LEAF_NAMES):
            name = '{0}{1}'.format(name, position)
        files[settings / '{0}.py'.format(name)] = _LEAF.format(
            name=name, redirect=position % 2 == 0,
        )
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding='utf-8')
    return sorted(files)
