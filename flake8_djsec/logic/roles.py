"""What a file is: deployment settings, development settings, or other code."""

from __future__ import annotations

import ast
import enum
import fnmatch
import functools
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Final

#: Names that only a Django settings module assigns at module level.
DJANGO_SETTING_NAMES: Final = frozenset((
    'INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'ROOT_URLCONF', 'WSGI_APPLICATION',
    'ASGI_APPLICATION', 'AUTH_PASSWORD_VALIDATORS', 'DATABASES', 'TEMPLATES', 'STATIC_URL',
    'STATIC_ROOT', 'DEFAULT_AUTO_FIELD', 'AUTH_USER_MODEL', 'ALLOWED_HOSTS',
    'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',
    'CSRF_TRUSTED_ORIGINS', 'X_FRAME_OPTIONS', 'SECURE_PROXY_SSL_HEADER', 'LANGUAGE_CODE',
    'USE_TZ', 'USE_I18N', 'MEDIA_URL', 'MEDIA_ROOT', 'LOGIN_URL', 'LOGIN_REDIRECT_URL',
    'AUTHENTICATION_BACKENDS', 'PASSWORD_HASHERS', 'SECRET_KEY_FALLBACKS', 'STORAGES',
    'SECURE_REFERRER_POLICY', 'SECURE_CSP', 'EMAIL_BACKEND', 'CACHES', 'SESSION_ENGINE',
))
#: Names a settings module assigns that other configuration files also use.
COMMON_SETTING_NAMES: Final = frozenset(('DEBUG', 'SECRET_KEY', 'TIME_ZONE', 'LOGGING'))
#: A module assigning this many settings names is a settings module whatever its path.
CONTENT_THRESHOLD: Final = 3

_WORDS: Final = re.compile('[^a-z0-9]+')
#: A lower-to-upper boundary inside a CamelCase name.
_CAMEL: Final = re.compile('(?<=[a-z0-9])(?=[A-Z])')


@enum.unique
class Role(enum.Enum):
    """The role of a file, which decides the rules that run on it."""

    deploy_settings = 'deployment settings'
    dev_settings = 'development settings'
    other = 'other'


def classify(
    path: str | None,
    tree: ast.Module,
    settings_patterns: Sequence[str],
    dev_patterns: Sequence[str],
) -> Role:
    """Return a file's role from its path (if any) and its top-level statements."""
    by_path = path is not None and matches_settings_path(path, settings_patterns)
    django_names, common_names, star_import = _top_level_settings(tree, classes=by_path)
    if by_path and (django_names or star_import):
        is_settings = True
    elif any(_imports_configurations(statement) for statement in tree.body):
        # django-configurations: a class body with one setting (``class Local(Common): DEBUG``)
        is_settings = django_names + common_names > 0
    else:
        is_settings = bool(django_names) and django_names + common_names >= CONTENT_THRESHOLD
    if not is_settings:
        return Role.other
    if path is not None and is_development(path, dev_patterns):
        return Role.dev_settings
    return Role.deploy_settings


def matches_settings_path(path: str, patterns: Sequence[str]) -> bool:
    """Tell whether a path looks like a settings module."""
    posix = '/{0}'.format(PurePath(path).as_posix().lstrip('/'))
    name = posix.rsplit('/', 1)[-1]
    for pattern in patterns:
        subject = posix if '/' in pattern else name
        if fnmatch.fnmatchcase(subject, pattern):
            return True
    return False


#: How many paths' development answers are kept (a run asks each many times).
_CACHED_PATHS: Final = 4096


def is_development(path: str, patterns: Sequence[str]) -> bool:
    """
    Tell whether a settings module's name, or its folder's, marks it as development.

    A pattern matches a whole part of the name (``settings/local.py``,
    ``dev_settings.py``, ``settings_dev.py``), or the whole name
    (``global_settings``), never a substring: ``settings_global.py`` and
    ``devices.py`` are not development.
    """
    return _is_development(path, tuple(patterns))


@functools.lru_cache(maxsize=_CACHED_PATHS)
def _is_development(path: str, patterns: tuple[str, ...]) -> bool:
    """The answer for one path (a run asks it of every settings module many times)."""
    pure = PurePath(path)
    stem = pure.stem.lower()
    names = [stem, pure.parent.name.lower()]
    if pure.stem == '__init__' or stem in {'settings', 'base', 'common'}:
        names = names[1:]
    words = [word for name in names for word in (name, *_WORDS.split(name))]
    return any(
        fnmatch.fnmatchcase(word, pattern.lower())
        for word in words if word
        for pattern in patterns
    )


def is_development_name(name: str, patterns: Sequence[str]) -> bool:
    """Tell whether a class name marks it as development (``Dev``, ``LocalSettings``)."""
    words = _WORDS.split(_CAMEL.sub(' ', name).lower())
    return any(
        fnmatch.fnmatchcase(word, pattern.lower())
        for word in words if word
        for pattern in patterns
    )


#: Class names that say production (``Production``, ``ProdSettings``, ``Live``).
PRODUCTION_CLASS_WORDS: Final = frozenset(('prod', 'production', 'live'))


def is_production_name(name: str) -> bool:
    """Tell whether a class name says production, word by word (``Production``, ``ProdConfig``)."""
    words = _WORDS.split(_CAMEL.sub(' ', name).lower())
    return any(word in PRODUCTION_CLASS_WORDS for word in words)


def _top_level_settings(tree: ast.Module, *, classes: bool) -> tuple[int, int, bool]:
    """
    Count Django and common setting names assigned; tell if a star import or include is seen.

    Class bodies count too (django-configurations, and the plain mixin classes its
    classes derive from) in a module that imports ``configurations``, or with
    ``classes`` (a settings path).
    """
    names = {
        name
        for statement in _settings_statements(tree, classes=classes)
        for name in _assigned_names(statement)
    }
    django_names = names & DJANGO_SETTING_NAMES
    common_names = (names - DJANGO_SETTING_NAMES) & COMMON_SETTING_NAMES
    star_import = any(
        alias.name == '*'
        for statement in tree.body if isinstance(statement, ast.ImportFrom)
        for alias in statement.names
    ) or any(_is_include(statement) for statement in tree.body)
    return len(django_names), len(common_names), star_import


def _settings_statements(tree: ast.Module, *, classes: bool) -> list[ast.stmt]:
    """Module-level statements, and class bodies when the module may use django-configurations."""
    statements = list(tree.body)
    if classes or any(_imports_configurations(statement) for statement in tree.body):
        for statement in tree.body:
            if isinstance(statement, ast.ClassDef):
                statements.extend(statement.body)  # a plain mixin class too (``class Base:``)
    return statements


def _imports_configurations(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.ImportFrom):
        return (statement.module or '').split('.')[0] == 'configurations'
    if isinstance(statement, ast.Import):
        return any(alias.name.split('.')[0] == 'configurations' for alias in statement.names)
    return False


def _is_include(statement: ast.stmt) -> bool:
    """Tell whether a statement is a django-split-settings ``include(...)`` call."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    function = statement.value.func
    return isinstance(function, ast.Name) and function.id == 'include'


def _assigned_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [target.id for target in statement.targets if isinstance(target, ast.Name)]
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        target = statement.target
        return [target.id] if isinstance(target, ast.Name) else []
    return []
