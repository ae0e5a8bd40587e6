"""Star imports of installed packages: read from their source on ``sys.path``, never imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_djsec.logic.evaluation.loader import MAX_INSTALLED, find_installed
from flake8_djsec.logic.evaluation.values import UNKNOWN
from flake8_djsec.logic.project import parse_file
from tests.logic._helpers import evaluate


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on ``sys.path`` holding ``companysettings`` (defaults, base with a relative star)."""
    root = tmp_path / 'site'
    package = root / 'companysettings'
    package.mkdir(parents=True)
    (package / '__init__.py').write_text('raise RuntimeError("never imported")\n')
    (package / 'common.py').write_text('SECURE_HSTS_SECONDS = 31536000\n')
    (package / 'defaults.py').write_text(
        'from .common import *\nDEBUG = True\nSESSION_COOKIE_SECURE = True\n_private = 1\n',
    )
    monkeypatch.syspath_prepend(str(root))
    return root


def _settings_path(tmp_path: Path) -> str:
    project = tmp_path / 'proj'
    project.mkdir(exist_ok=True)
    return str(project / 'settings.py')


def test_installed_star_import_is_read(site: Path, tmp_path: Path) -> None:
    """Its values are known, reported at the import line; later settings stay known (#8)."""
    source = 'from companysettings.defaults import *\nALLOWED_HOSTS = ["example.com"]\n'
    settings = evaluate(source, path=_settings_path(tmp_path), trees=parse_file)
    assert settings['DEBUG'].value is True
    assert settings['SECURE_HSTS_SECONDS'].value == 31536000  # its own relative star import
    assert (settings['DEBUG'].line, settings['DEBUG'].path) == (1, _settings_path(tmp_path))
    assert settings['ALLOWED_HOSTS'].value == ['example.com']
    assert not settings.open
    assert settings['_private'].assigned is False


def test_installed_module_not_found_is_opaque(site: Path, tmp_path: Path) -> None:
    """Not on sys.path: the star import may bind anything, as before."""
    source = 'from othercompany.defaults import *\n'
    settings = evaluate(source, path=_settings_path(tmp_path), trees=parse_file)
    assert settings.open
    assert settings['DEBUG'].value is UNKNOWN


def test_standard_library_is_never_read(site: Path) -> None:
    """``from os.path import *`` stays a symbol import; files are found, never executed."""
    assert find_installed('os.path') is None
    assert find_installed('companysettings.missing') is None
    assert find_installed('companysettings.defaults') == str(site / 'companysettings' / 'defaults.py')


def test_installed_tree_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package whose modules star-import each other without end: capped, then unknown."""
    root = tmp_path / 'site'
    package = root / 'bigpkg'
    package.mkdir(parents=True)
    (package / '__init__.py').write_text('')
    count = MAX_INSTALLED * 3
    for index in range(count):
        imports = ''.join(
            'from bigpkg.m{0} import *\n'.format(other) for other in range(index + 1, count)
        )[:2000]
        (package / 'm{0}.py'.format(index)).write_text('{0}X{1} = {1}\n'.format(imports, index))
    (package / 'cycle.py').write_text('from bigpkg.cycle import *\nDEBUG = True\n')
    monkeypatch.syspath_prepend(str(root))
    settings = evaluate(
        'from bigpkg.m0 import *\nfrom bigpkg.cycle import *\nSECRET_KEY = "k"\n',
        path=_settings_path(tmp_path), trees=parse_file,
    )
    assert settings['SECRET_KEY'].value == 'k'
    assert settings.open  # past the cap (and at the cycle) nothing is known
