"""
Run Django's own security checks on layout fixtures: JSON in on stdin, JSON out on stdout.

The layout counterpart of ``django_checks.py`` (``tests/test_layout_parity.py`` drives it).
It runs in a parity environment (one Django series, with django-split-settings and
django-configurations installed), started with an empty environment, and imports nothing from
flake8_djsec. Each layout is loaded the way ``manage.py check --deploy`` loads
``DJANGO_SETTINGS_MODULE``: the environment is emptied and given the layout's ``env`` (and
``DJANGO_SETTINGS_MODULE``, unless the env sets it), the layout's folder goes first on
``sys.path`` and its ``site`` folders (packages installed in the environment) last, the
third-party modules it lists get permissive stubs, and ``django.conf.Settings(settings)``
imports the module (with Django's load-time validation) before
``run_checks(include_deployment_checks=True, tags=["security", "compatibility"])`` judges it.
A layout whose env sets ``DJANGO_CONFIGURATION`` is loaded through django-configurations'
importer, as its ``manage.py``/``wsgi.py`` (``configurations.setup()``) would: the class's
``values.*`` read the environment, ``setup()``/``post_setup()`` run. Modules a layout imported
are forgotten before the next one.

Input: ``{"layouts": [{"root": "/tmp/.../tree", "settings": "proj.settings.production",
"env": {...}, "stubs": ["somepackage"], "site": ["/tmp/.../tree/site"]}, ...]}``. Output:
``{"django": "5.2.8", "results": [{"ids": [...], "error": null}, ...]}``, one result per
layout, in order; ``error`` holds Django's traceback when the module does not load or a check
raises.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import sys
import traceback
import types
import warnings

TAGS = ('security', 'compatibility')


class Permissive:
    """Whatever a stubbed module hands out: callable, subscriptable, empty, falsy."""

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]  # used as a decorator: leave the function alone
        return Permissive()

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return Permissive()

    def __getitem__(self, key):
        return Permissive()

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False

    def __len__(self):
        return 0

    def __str__(self):
        return ''

    def __add__(self, other):
        return other

    __radd__ = __add__
    __or__ = __add__
    __ror__ = __add__

    def __mro_entries__(self, bases):
        return (object,)  # ``class Settings(stub.Base):`` defines an ordinary class


class StubModule(types.ModuleType):
    """A stub module: any attribute is a Permissive, any submodule a stub too."""

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return Permissive()


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serve the listed packages, and everything under them, as stub modules."""

    def __init__(self, names):
        self.names = tuple(names)

    def find_spec(self, fullname, path=None, target=None):
        if any(fullname == name or fullname.startswith(name + '.') for name in self.names):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        """A stub runs nothing."""


def _layouts_own(module, folders):
    """Whether a module came from the layout's folders (or is one of its stubs)."""
    if isinstance(module, StubModule):
        return True
    places = [getattr(module, '__file__', None) or '', *(getattr(module, '__path__', None) or ())]
    return any(str(place).startswith(folder) for place in places for folder in folders)


def _configuration_importer():
    """
    django-configurations' importer for the environment's module and class.

    ``configurations.importer.install()`` (what ``configurations.setup()`` and its
    ``manage.py``/``wsgi.py`` run) marks the library installed, which its ``Configuration``
    classes require, and puts an importer first on ``sys.meta_path`` for good; the layouts
    that follow have modules of their own, so that importer is taken out and a new one is
    handed to this layout only.
    """
    from configurations import importer

    importer.install()
    for finder in [finder for finder in sys.meta_path if isinstance(finder, importer.ConfigurationImporter)]:
        sys.meta_path.remove(finder)
    return importer.ConfigurationImporter()


def judge(layout):
    """Load one layout's settings module as Django would; return the ids of the checks it fails."""
    from django.conf import Settings, settings
    from django.core.checks import run_checks

    before = set(sys.modules)
    site = list(layout.get('site', ()))
    finders = [StubFinder(layout.get('stubs', ()))]
    sys.path.insert(0, layout['root'])
    sys.path.extend(site)
    os.environ.clear()
    os.environ.update(layout.get('env', {}))
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', layout['settings'])
    try:
        if 'DJANGO_CONFIGURATION' in os.environ:
            finders.insert(0, _configuration_importer())
        sys.meta_path[:0] = finders
        settings._wrapped = Settings(layout['settings'])
        messages = run_checks(include_deployment_checks=True, tags=list(TAGS))
    except BaseException:  # the module does not load (even SystemExit), or a check raises
        return {'ids': [], 'error': traceback.format_exc()}
    finally:
        sys.path.remove(layout['root'])
        for folder in site:
            sys.path.remove(folder)
        for finder in finders:
            if finder in sys.meta_path:
                sys.meta_path.remove(finder)
        os.environ.clear()
        for name in set(sys.modules) - before:
            if _layouts_own(sys.modules[name], [layout['root'], *site]):
                del sys.modules[name]
    # As `manage.py check --deploy` shows them: SILENCED_SYSTEM_CHECKS drops an id.
    return {'ids': sorted(message.id for message in messages if not message.is_silenced()), 'error': None}


def main():
    """Judge every layout of the request."""
    request = json.load(sys.stdin)
    warnings.simplefilter('ignore')
    sys.dont_write_bytecode = True  # the layouts' folders stay as the tests copied them
    import django
    from django.conf import settings  # noqa: F401 - loaded once, kept across layouts
    from django.core import checks  # noqa: F401

    results = [judge(layout) for layout in request['layouts']]
    json.dump({'django': django.get_version(), 'results': results}, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
