"""
Star-import cycles through the flake8 executable: no hang, no DJS000, findings still placed.

Python itself raises nothing for most of these (a module partially initialised is
imported again as it stands); the plugin follows star imports MAX_IMPORT_DEPTH deep
and must neither loop nor crash, and keeps reporting what a member writes.
"""

from __future__ import annotations


import pytest

from tests.conftest import run_flake8

PRODUCTION = 'ALLOWED_HOSTS = ["shop.example.com"]\nDEBUG = True\n'
CYCLES = {
    'self': {
        'proj/settings/production.py': 'from .production import *  # noqa: F403\n' + PRODUCTION,
    },
    'absolute self': {
        'proj/__init__.py': '',
        'proj/settings/production.py': 'from proj.settings.production import *  # noqa: F403\n' + PRODUCTION,
    },
    'two': {
        'proj/settings/production.py': 'from .base import *  # noqa: F403\n' + PRODUCTION,
        'proj/settings/base.py': 'from .production import *  # noqa: F403\nINSTALLED_APPS = []\n',
    },
    'three': {
        'proj/settings/production.py': 'from .base import *  # noqa: F403\n' + PRODUCTION,
        'proj/settings/base.py': 'from .common import *  # noqa: F403\nINSTALLED_APPS = []\n',
        'proj/settings/common.py': 'from .production import *  # noqa: F403\nMIDDLEWARE = []\n',
    },
    'package init': {
        'proj/settings/__init__.py': 'from .production import *  # noqa: F403\n',
        'proj/settings/production.py': 'from . import *  # noqa: F403\n' + PRODUCTION,
    },
    'conditional': {
        'proj/settings/production.py': (
            'import os\nif os.environ.get("X"):\n    from .base import *  # noqa: F403\n' + PRODUCTION
        ),
        'proj/settings/base.py': 'try:\n    from .production import *  # noqa: F403\nexcept ImportError:\n    pass\n',
    },
}


@pytest.mark.parametrize('name', sorted(CYCLES))
def test_star_import_cycle(name: str, project) -> None:  # type: ignore[no-untyped-def]
    """Each cycle as a folder (-j2), file by file (-j1), and named as the deployment: no DJS000."""
    files = {'proj/settings/__init__.py': '', **CYCLES[name]}
    root = project(files)
    named = '--djsec-deploy-settings=proj.settings.production'
    for arguments in (['--jobs=2', 'proj'], ['--jobs=1', *sorted(files)], [named, 'proj']):
        result = run_flake8(['--select=DJS', *arguments], root)
        assert 'DJS000' not in result.stdout
        assert result.stderr == ''
        assert result.returncode in {0, 1}
    # Named as the deployment, production.py is judged: its DEBUG = True on its line.
    debug_line = CYCLES[name]['proj/settings/production.py'].splitlines().index('DEBUG = True') + 1
    assert 'proj/settings/production.py:{0}:1: DJS100 '.format(debug_line) in result.stdout
