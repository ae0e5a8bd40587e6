"""
The plugin's options, declared once for both front ends.

The flake8 plugin (``checker.py``) and the standalone command (``command/``)
register these on a flake8 ``OptionManager``, so names, defaults, help, the
``[flake8]`` configuration keys and validation are one source of truth.
"""

from __future__ import annotations

import argparse
import types
from typing import Final

from flake8.options.manager import OptionManager

from flake8_djsec.options import config as option_values
from flake8_djsec.options import versions
from flake8_djsec.options.config import DjsecConfig

ENV: Final = '--djsec-env'
ENV_FILE: Final = '--djsec-env-file'
SETTINGS_PATTERNS: Final = '--djsec-settings-patterns'
DEV_PATTERNS: Final = '--djsec-dev-patterns'
HSTS_MIN_SECONDS: Final = '--djsec-hsts-min-seconds'
DJANGO_VERSION: Final = '--djsec-django-version'
DEPLOY_SETTINGS: Final = '--djsec-deploy-settings'
DJANGO_CSP_VERSION: Final = '--djsec-django-csp-version'
TEST_PATTERNS: Final = '--djsec-test-patterns'

_HELP: Final = types.MappingProxyType({
    ENV: (
        'evaluate settings as if this environment variable were set: NAME=VALUE '
        '(repeatable; in setup.cfg one per line). Default: an empty environment.'
    ),
    ENV_FILE: (
        'evaluate settings with the variables of this env file (NAME=VALUE lines, as '
        'python-dotenv reads them; repeatable, in setup.cfg one per line; a path with a "/" is '
        'relative to the configuration file, as flake8 reads paths). Later files win '
        'over earlier ones and over the deployment files; --djsec-env wins over them all'
    ),
    SETTINGS_PATTERNS: (
        'comma-separated globs of settings module paths (a glob without "/" matches the '
        'file name). Default: %(default)s'
    ),
    DEV_PATTERNS: (
        'comma-separated words that mark a settings module (or its folder) as development '
        'settings, which report nothing. Default: %(default)s'
    ),
    TEST_PATTERNS: (
        'comma-separated patterns of test code, where DJS160 and DJS161 report nothing: a '
        'folder anywhere on the path (ending in "/"), a file name glob (no "/"), or a path glob. '
        'Default: %(default)s'
    ),
    HSTS_MIN_SECONDS: 'minimum SECURE_HSTS_SECONDS for DJS112. Default: %(default)s',
    DJANGO_VERSION: (
        'Django series to check against, X.Y. Default: the version the repository pins '
        '(lock files, pyproject.toml, requirements files), else the installed Django, else '
        'the newest'
    ),
    DJANGO_CSP_VERSION: (
        'django-csp series the project runs, X.Y (before 4.0 its CSP_* settings are the '
        'policy). Default: the version the repository pins, else the installed django-csp, '
        'else unknown'
    ),
    DEPLOY_SETTINGS: (
        'comma-separated deployment settings modules: dotted names (config.settings.production) '
        'or path globs. Default: the modules the repository\'s deployment files name (compose, '
        'Dockerfile, Procfile, ...), else the DJANGO_SETTINGS_MODULE default in wsgi.py/asgi.py, '
        'else every settings module no other one imports, development ones excepted'
    ),
})


def declare(manager: OptionManager) -> None:
    """Declare the options on a flake8 ``OptionManager`` (command line and configuration)."""
    manager.add_option(
        ENV, action='append', default=[], parse_from_config=True,
        metavar='NAME=VALUE', help=_HELP[ENV],
    )
    manager.add_option(
        ENV_FILE, action='append', default=[], parse_from_config=True,
        comma_separated_list=True, normalize_paths=True, metavar='PATH', help=_HELP[ENV_FILE],
    )
    manager.add_option(
        SETTINGS_PATTERNS, default=','.join(option_values.DEFAULT_SETTINGS_PATTERNS),
        parse_from_config=True, comma_separated_list=True, help=_HELP[SETTINGS_PATTERNS],
    )
    manager.add_option(
        DEV_PATTERNS, default=','.join(option_values.DEFAULT_DEV_PATTERNS),
        parse_from_config=True, comma_separated_list=True, help=_HELP[DEV_PATTERNS],
    )
    manager.add_option(
        TEST_PATTERNS, default=','.join(option_values.DEFAULT_TEST_PATTERNS),
        parse_from_config=True, comma_separated_list=True, help=_HELP[TEST_PATTERNS],
    )
    manager.add_option(
        HSTS_MIN_SECONDS, default=str(option_values.DEFAULT_HSTS_MIN_SECONDS),
        parse_from_config=True, help=_HELP[HSTS_MIN_SECONDS],
    )
    manager.add_option(
        DJANGO_VERSION, default=None, parse_from_config=True,
        metavar='X.Y', help=_HELP[DJANGO_VERSION],
    )
    manager.add_option(
        DJANGO_CSP_VERSION, default=None, parse_from_config=True,
        metavar='X.Y', help=_HELP[DJANGO_CSP_VERSION],
    )
    manager.add_option(
        DEPLOY_SETTINGS, default='', parse_from_config=True, comma_separated_list=True,
        help=_HELP[DEPLOY_SETTINGS],
    )


def validated(options: argparse.Namespace) -> DjsecConfig:
    """Validate parsed options into one frozen config; raise ``OptionError`` with one line."""
    return DjsecConfig(
        env=option_values.parse_env(option_values.flatten(options.djsec_env)),
        env_files=option_values.parse_env_files(
            option_values.flatten(getattr(options, 'djsec_env_file', None)),
        ),
        settings_patterns=option_values.parse_patterns(
            SETTINGS_PATTERNS, _entries(options.djsec_settings_patterns),
        ),
        dev_patterns=option_values.parse_patterns(
            DEV_PATTERNS, _entries(options.djsec_dev_patterns),
        ),
        hsts_min_seconds=option_values.parse_hsts_min_seconds(options.djsec_hsts_min_seconds),
        django_version=option_values.parse_django_version(options.djsec_django_version),
        django_csp_version=option_values.parse_django_csp_version(
            options.djsec_django_csp_version,
        ),
        django_version_origin=versions.version_origin(
            'Django', 'django', DJANGO_VERSION, options.djsec_django_version,
        ),
        django_csp_version_origin=versions.version_origin(
            'django-csp', 'django-csp', DJANGO_CSP_VERSION, options.djsec_django_csp_version,
        ),
        version_defaults=versions.version_defaults(
            options.djsec_django_version, options.djsec_django_csp_version,
        ),
        test_patterns=tuple(
            entry.strip()
            for entry in _entries(getattr(options, 'djsec_test_patterns', None))
            if entry.strip()
        ) or option_values.DEFAULT_TEST_PATTERNS,
        deploy_settings=tuple(
            entry.strip()
            for entry in _entries(options.djsec_deploy_settings)
            if entry.strip()
        ),
    )


def _entries(raw: object) -> list[str]:
    if isinstance(raw, str):
        return raw.split(',')
    if isinstance(raw, (list, tuple)):
        return [str(entry) for entry in raw]
    return []
