"""File roles: deployment settings, development settings, or other code."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_djsec.logic.roles import Role, classify, is_development, matches_settings_path
from flake8_djsec.options.config import DEFAULT_DEV_PATTERNS, DEFAULT_SETTINGS_PATTERNS

DJANGO = 'INSTALLED_APPS = []\nMIDDLEWARE = []\nDEBUG = False\n'
ONE_DJANGO_NAME = 'ROOT_URLCONF = "proj.urls"\n'
FLASK = 'DEBUG = False\nSECRET_KEY = "x"\n'
STAR = 'from .base import *\n'


def role(path: str | None, source: str) -> Role:
    """Classify a source with the default patterns."""
    tree = ast.parse(textwrap.dedent(source))
    return classify(path, tree, DEFAULT_SETTINGS_PATTERNS, DEFAULT_DEV_PATTERNS)


# --- by path -----------------------------------------------------------------------------

@pytest.mark.parametrize('path', [
    'proj/settings.py',
    'settings.py',
    '/srv/app/proj/settings.py',
    'proj/settings/base.py',
    'settings/base.py',
    'proj/settings/production.py',
    'proj/settings/prod.py',
    'proj/settings/staging.py',
    'proj/settings/__init__.py',
    'proj/foo_settings.py',
    'proj/settings_prod.py',
    'proj/settings_production.py',
    '/home/dev/proj/settings.py',
    '/home/test/proj/settings/base.py',
    'proj/settings/latest.py',
    'proj/settings/contest.py',
    'proj/settings/devices.py',
    'proj/prod_settings.py',
    'proj/settings_global.py',
    'proj/global_config/settings.py',
    'proj/settings/globals.py',
    'proj/settings/devops.py',
    'proj/settings/localized.py',
])
def test_deployment_settings_by_path(path: str) -> None:
    """A settings path with one Django setting is deployment settings, unless named development."""
    assert role(path, ONE_DJANGO_NAME) is Role.deploy_settings


@pytest.mark.parametrize('path', [
    'proj/settings/dev.py',
    'proj/settings/devel.py',
    'proj/settings/development.py',
    'proj/settings/local.py',
    'proj/settings/test.py',
    'proj/settings/tests.py',
    'proj/settings/testing.py',
    'proj/settings/ci.py',
    'proj/settings/Dev.py',
    'proj/local_settings.py',
    'proj/test_settings.py',
    'proj/settings_test.py',
    'proj/settings_dev.py',
    'proj/settings_ci.py',
    'proj/settings/prod_local.py',
    'tests/settings.py',
    'proj/tests/settings.py',
    'proj/dev/settings.py',
    'proj/settings/dev/base.py',
    'proj/dev_settings.py',
    'proj/global_settings.py',
    'proj/settings/local.py',
])
def test_development_settings_by_path(path: str) -> None:
    """dev, local, test, ci, ... as a word of the stem or of the parent folder."""
    assert role(path, ONE_DJANGO_NAME) is Role.dev_settings


def test_star_import_alone_is_settings_on_a_settings_path() -> None:
    """``settings/__init__.py`` that only star-imports is settings."""
    assert role('proj/settings/__init__.py', STAR) is Role.deploy_settings
    assert role('proj/settings/dev.py', STAR) is Role.dev_settings


@pytest.mark.parametrize(('path', 'source'), [
    ('proj/settings/__init__.py', ''),
    ('proj/settings/__init__.py', '"""Settings package."""\n'),
    ('proj/settings.py', FLASK),
    ('app/settings.py', 'DEBUG = True\nSECRET_KEY = "x"\nTIME_ZONE = "UTC"\nLOGGING = {}\n'),
    ('proj/settings.py', 'import os\nX = 1\n'),
    ('proj/settings.py', 'if True:\n    INSTALLED_APPS = []\n'),
    ('proj/settings.py', 'from .base import BASE_DIR\n'),
])
def test_settings_path_without_django_settings_is_other(path: str, source: str) -> None:
    """A settings-looking path with no Django setting and no star import is other code."""
    assert role(path, source) is Role.other


# --- by content -----------------------------------------------------------------------------

@pytest.mark.parametrize('source', [
    DJANGO,
    'INSTALLED_APPS = []\nMIDDLEWARE = []\nROOT_URLCONF = "x"\n',
    'INSTALLED_APPS = []\nDEBUG = True\nSECRET_KEY = "x"\n',
    'INSTALLED_APPS: list = []\nDEBUG: bool = True\nSECRET_KEY = "x"\n',
    'DATABASES = {}\nDEBUG = TEMPLATE_DEBUG = True\nTIME_ZONE = "UTC"\n',
    'ALLOWED_HOSTS = []\nALLOWED_HOSTS += ["x"]\nLOGGING = {}\nDEBUG = False\n',
])
def test_settings_by_content(source: str) -> None:
    """Three well-known names, one of them Django-specific, make a settings module anywhere."""
    assert role('proj/config.py', source) is Role.deploy_settings
    assert role(None, source) is Role.deploy_settings


@pytest.mark.parametrize('source', [
    'DEBUG = True\nSECRET_KEY = "x"\nTIME_ZONE = "UTC"\nLOGGING = {}\n',
    'INSTALLED_APPS = []\nDEBUG = True\n',
    'INSTALLED_APPS = []\nINSTALLED_APPS = []\nINSTALLED_APPS += []\n',
    'installed_apps = []\nmiddleware = []\ndebug = True\n',
    'def f():\n    INSTALLED_APPS = []\n    MIDDLEWARE = []\n    DEBUG = True\n',
    'class Settings:\n    INSTALLED_APPS = []\n    MIDDLEWARE = []\n    DEBUG = True\n',
    STAR,
    '',
])
def test_not_settings_by_content(source: str) -> None:
    """Fewer than three names, no Django-specific one, or names not at module level."""
    assert role('proj/config.py', source) is Role.other
    assert role(None, source) is Role.other


def test_content_match_in_development_folder() -> None:
    """A content-detected module in a development folder is development settings."""
    assert role('proj/local/config.py', DJANGO) is Role.dev_settings
    assert role('proj/development.py', DJANGO) is Role.dev_settings


def test_no_path_is_never_development() -> None:
    """Without a path (stdin), only content decides, and it is deployment settings."""
    assert role(None, DJANGO) is Role.deploy_settings


# --- the helpers directly -----------------------------------------------------------------

@pytest.mark.parametrize(('path', 'expected'), [
    ('settings.py', True),
    ('a/b/settings.py', True),
    ('a/my_settings.py', True),
    ('a/settings_x.py', True),
    ('a/settings/x.py', True),
    ('settings/x.py', True),
    ('/abs/settings/x.py', True),
    ('a/mysettings.py', False),
    ('a/settings.pyi', False),
    ('a/settings.txt', False),
    ('a/config.py', False),
    ('a/settingsx/x.py', False),
])
def test_matches_settings_path(path: str, expected: bool) -> None:
    """Default patterns: file-name globs, and a folder glob on the whole path."""
    assert matches_settings_path(path, DEFAULT_SETTINGS_PATTERNS) is expected


def test_custom_settings_patterns() -> None:
    """A pattern with a slash matches the whole path; without, the file name."""
    assert matches_settings_path('proj/conf/prod.py', ('*/conf/*.py',))
    assert matches_settings_path('proj/config.py', ('config.py',))
    assert not matches_settings_path('proj/config.py', ('conf/*.py',))
    tree = ast.parse(ONE_DJANGO_NAME)
    assert classify('proj/conf/prod.py', tree, ('*/conf/*.py',), DEFAULT_DEV_PATTERNS) is Role.deploy_settings
    assert classify('proj/settings.py', tree, ('*/conf/*.py',), DEFAULT_DEV_PATTERNS) is Role.other


def test_custom_dev_patterns() -> None:
    """Dev patterns are globs on words, case-insensitive."""
    assert is_development('proj/settings/staging.py', ('stag*',))
    assert is_development('proj/settings/Staging.py', ('STAGING',))
    assert not is_development('proj/settings/dev.py', ('stag*',))
    tree = ast.parse(ONE_DJANGO_NAME)
    assert classify('proj/settings/qa.py', tree, DEFAULT_SETTINGS_PATTERNS, ('qa',)) is Role.dev_settings
    assert classify('proj/settings/dev.py', tree, DEFAULT_SETTINGS_PATTERNS, ()) is Role.deploy_settings


@pytest.mark.parametrize(('path', 'expected'), [
    ('/home/dev/proj/settings.py', False),
    ('/home/dev/proj/settings/prod.py', False),
    ('/ci/workspace/proj/settings.py', False),
    ('/tmp/test/proj/settings/base.py', False),
    ('/home/dev/settings.py', True),
    ('proj/settings/base.py', False),
    ('proj/settings/common.py', False),
    ('proj/settings/__init__.py', False),
    ('proj/local/__init__.py', True),
    ('proj/settings-dev.py', True),
    ('proj/settings.dev.py', True),
    ('proj/settings/local_prod.py', True),
    ('proj/settings/developer.py', False),
])
def test_is_development(path: str, expected: bool) -> None:
    """Only the stem and the immediate parent folder count, word by word."""
    assert is_development(path, DEFAULT_DEV_PATTERNS) is expected


@pytest.mark.parametrize(('path', 'expected'), [
    ('proj/settings_global.py', False),
    ('proj/settings/contest.py', False),
    ('proj/settings/testimonials.py', False),
    ('proj/settings_dev.py', True),
    ('proj/dev_settings.py', True),
    ('proj/settings/local.py', True),
    ('django/conf/global_settings.py', True),
])
def test_development_words_match_whole_parts(path: str, expected: bool) -> None:
    """A development word is a whole part of the name (or the whole name), never a substring."""
    assert is_development(path, DEFAULT_DEV_PATTERNS) is expected
