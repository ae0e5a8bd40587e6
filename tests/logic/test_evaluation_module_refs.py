"""The module as code holds it: ``globals()``, ``__name__``, ``sys.modules[__name__]``."""

from __future__ import annotations

from pathlib import Path

from flake8_djsec.logic.evaluation.values import UNKNOWN
from flake8_djsec.logic.project import parse_file
from tests.logic._helpers import evaluate

DEFAULTS = '''
HARMLESS = {
    "SESSION_COOKIE_NAME": "shop_session",
    "LANGUAGE_CODE": "en-gb",
}

def apply_defaults(namespace):
    for name, setting in HARMLESS.items():
        namespace[name] = setting
    namespace.update({"TIME_ZONE": "UTC"})
    namespace.setdefault("DEBUG", True)
'''


def _package(tmp_path: Path, helpers: str) -> str:
    package = tmp_path / 'proj'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'defaults.py').write_text(helpers)
    return str(package / 'settings.py')


def test_globals_handed_to_a_project_function(tmp_path: Path) -> None:
    """Its writes into the dict parameter are applied; the module stays closed (issue 12, #6)."""
    path = _package(tmp_path, DEFAULTS)
    source = 'from proj.defaults import apply_defaults\nDEBUG = False\napply_defaults(globals())\n'
    settings = evaluate(source, path=path, trees=parse_file)
    assert settings['SESSION_COOKIE_NAME'].value == 'shop_session'
    assert settings['TIME_ZONE'].value == 'UTC'
    assert settings['DEBUG'].value is False  # setdefault keeps what the module set
    written = settings['SESSION_COOKIE_NAME']
    assert (Path(str(written.path)).name, written.line) == ('defaults.py', 9)  # the write
    assert not settings.open
    assert settings['SECURE_SSL_REDIRECT'].value is False


def test_globals_write_on_an_undecided_path_is_unknown(tmp_path: Path) -> None:
    """A write into the dict on one path only: that name is unknown, the others stay."""
    helpers = 'import os\ndef apply(g):\n    g["A"] = 1\n    if os.environ["X"]:\n        g["B"] = 2\n'
    path = _package(tmp_path, helpers)
    source = 'from proj.defaults import apply\napply(globals())\n'
    settings = evaluate(source, path=path, trees=parse_file)
    assert settings['A'].value == 1
    assert settings['B'].value is UNKNOWN


def test_globals_passed_on_to_unknown_code(tmp_path: Path) -> None:
    """The project function hands the dict to code we cannot follow: the module is open."""
    helpers = 'import thirdparty\ndef apply(g):\n    thirdparty.fill(g)\n'
    path = _package(tmp_path, helpers)
    source = 'from proj.defaults import apply\nDEBUG = True\napply(globals())\n'
    settings = evaluate(source, path=path, trees=parse_file)
    assert settings.open
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['SECRET_KEY'].value is UNKNOWN  # never "missing"


def test_module_handed_to_an_exporter() -> None:
    """``Exporter.load(__name__)``: what the module does not bind itself is unknown (#7)."""
    source = '''
        from configs import Exporter
        class Production:
            DEBUG = False
        Exporter.load(__name__)
        ALLOWED_HOSTS = ["example.com"]
    '''
    settings = evaluate(source)
    assert settings.open
    assert settings['ALLOWED_HOSTS'].value == ['example.com']
    assert settings['SECRET_KEY'].value is UNKNOWN
    assert settings['MIDDLEWARE'].value is UNKNOWN


def test_module_replaced_in_sys_modules() -> None:
    """``sys.modules[__name__] = Settings()``: the module may hold anything."""
    source = 'import sys\nclass Settings:\n    DEBUG = False\nsys.modules[__name__] = Settings()\n'
    settings = evaluate(source)
    assert settings.open
    assert settings['SECRET_KEY'].value is UNKNOWN


def test_standard_library_calls_do_not_open_the_module() -> None:
    """``logging.getLogger(__name__)``, ``importlib.import_module(name)``: nothing rebound."""
    source = '''
        import importlib
        import logging
        logger = logging.getLogger(__name__)
        DEBUG = False
        PLUGINS = ["shop.plugins.a", "shop.plugins.b"]
        for plugin in PLUGINS:
            importlib.import_module(plugin)
            __import__(plugin)
    '''
    settings = evaluate(source)
    assert not settings.open
    assert settings['DEBUG'].value is False
    assert settings['SECRET_KEY'].value == ''  # Django's default: the module is closed


def test_plugin_loop_over_an_unknown_list_keeps_the_settings() -> None:
    """Importing by name in a loop we cannot run rebinds only the loop's names (#5)."""
    source = '''
        import importlib, os
        DEBUG = False
        for plugin in os.environ["PLUGINS"].split(","):
            module = importlib.import_module(plugin)
    '''
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert settings['module'].value is UNKNOWN
    assert not settings.open
