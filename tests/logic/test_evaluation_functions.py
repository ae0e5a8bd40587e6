"""Project functions: their bodies run on the argument values, within a budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_djsec.logic.evaluation.values import UNKNOWN, is_known
from flake8_djsec.logic.project import parse_file
from tests.logic._helpers import evaluate

ENV_FLAG = '''
import os

def env_flag(name, default):
    raw = os.getenv(name, default).lower()
    if raw in ("1", "true", "yes"):
        return True
    return False
'''


def test_multi_statement_helper() -> None:
    """A local variable, an ``if`` with an early return, then a final return (issue 12, #4)."""
    settings = evaluate(ENV_FLAG + 'DEBUG = env_flag("DEBUG", "yes")\nX = env_flag("X", "no")\n')
    assert settings['DEBUG'].value is True
    assert settings['DEBUG'].origin == 'default of environment variable DEBUG'
    assert settings['X'].value is False


def test_multi_statement_helper_reads_the_environment() -> None:
    """A variable given with --djsec-env takes the helper's other path."""
    settings = evaluate(ENV_FLAG + 'DEBUG = env_flag("DEBUG", "yes")\n', {'DEBUG': 'off'})
    assert settings['DEBUG'].value is False


def test_elif_chain_and_falling_off_the_end() -> None:
    """``elif`` branches decide; a path without ``return`` returns None."""
    source = '''
        def pick(mode):
            if mode == "a":
                return 1
            elif mode == "b":
                value = 2
                return value
        A = pick("a")
        B = pick("b")
        C = pick("c")
    '''
    settings = evaluate(source)
    assert (settings['A'].value, settings['B'].value, settings['C'].value) == (1, 2, None)


def test_undecided_branches_join_their_returns() -> None:
    """An undecided condition: the result is known only when both paths agree."""
    source = '''
        import os
        def same(name):
            if os.environ[name]:
                return "x"
            return "x"
        def differs(name):
            if os.environ[name]:
                return True
            return False
        A = same("A")
        B = differs("B")
    '''
    settings = evaluate(source)
    assert settings['A'].value == 'x'
    assert settings['B'].value is UNKNOWN


def test_for_over_a_known_collection_in_a_body() -> None:
    """``for`` over a literal tuple, a ``return`` inside, ``break`` and ``continue``."""
    source = '''
        TRUE_WORDS = ("1", "true", "yes")
        def truthy(raw):
            for word in TRUE_WORDS:
                if raw.lower() == word:
                    return True
            return False
        def first_long(words):
            found = None
            for word in words:
                if len(word) < 3:
                    continue
                found = word
                break
            else:
                found = "none"
            return found
        A = truthy("YES")
        B = truthy("no")
        C = first_long(["ab", "abcd", "xyz"])
        D = first_long(["a"])
    '''
    settings = evaluate(source)
    assert [settings[name].value for name in 'ABCD'] == [True, False, 'abcd', 'none']


def test_unbound_local_is_unknown() -> None:
    """A local read before its assignment is UnboundLocalError, never the global's value."""
    source = 'X = 1\ndef f():\n    y = X\n    X = 2\n    return y\nY = f()\n'
    assert evaluate(source)['Y'].value is UNKNOWN


def test_global_writes_and_nested_calls() -> None:
    """``global`` names written by nested calls reach the module; the caller sees them."""
    source = '''
        DEBUG = True
        def off():
            global DEBUG
            DEBUG = False
        def configure():
            off()
            return DEBUG
        SEEN = configure()
    '''
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert settings['SEEN'].value is False
    assert settings['DEBUG'].line == 5  # the assignment in off()


def test_global_write_under_an_undecided_condition_is_unknown() -> None:
    """A write on one path only: the setting is unknown after the call."""
    source = '''
        import os
        DEBUG = False
        def configure():
            global DEBUG
            if os.environ["MODE"]:
                DEBUG = True
        configure()
    '''
    assert evaluate(source)['DEBUG'].value is UNKNOWN


def test_argument_list_changed_in_place() -> None:
    """A helper appending to a list argument changes the caller's list (same object)."""
    source = '''
        MIDDLEWARE = ["a"]
        ALIAS = MIDDLEWARE
        def add_security(middleware):
            middleware.insert(0, "django.middleware.security.SecurityMiddleware")
        add_security(MIDDLEWARE)
    '''
    settings = evaluate(source)
    expected = ['django.middleware.security.SecurityMiddleware', 'a']
    assert settings['MIDDLEWARE'].value == expected
    assert settings['ALIAS'].value == expected


def test_module_level_container_changed_by_a_function() -> None:
    """``MIDDLEWARE.append(...)`` in a body (no ``global`` needed) changes the setting."""
    source = 'MIDDLEWARE = []\ndef add():\n    MIDDLEWARE.append("m")\nadd()\n'
    assert evaluate(source)['MIDDLEWARE'].value == ['m']


@pytest.mark.parametrize('body', [
    '    while True:\n        MIDDLEWARE.append("m")\n',
    '    MIDDLEWARE.append("m")\n    return add()\n',  # unbounded recursion
    '    for item in range(10):\n        MIDDLEWARE.append(item)\n',
])
def test_calls_not_followed_forget_their_effects(body: str) -> None:
    """A loop that never ends, recursion past the depth, an unknown loop: effects unknown."""
    source = 'MIDDLEWARE = []\nDEBUG = True\ndef add():\n{0}add()\n'.format(body)
    settings = evaluate(source)
    assert settings['MIDDLEWARE'].value is UNKNOWN
    assert settings['DEBUG'].value is True


def test_return_inside_a_loop_not_followed_is_unknown() -> None:
    """A ``return`` inside a ``while``: we cannot tell which value comes back."""
    source = 'def f():\n    while True:\n        return 1\n    return 2\nX = f()\n'
    assert evaluate(source)['X'].value is UNKNOWN


def test_generator_is_unknown() -> None:
    """A function that yields returns a generator."""
    assert evaluate('def f():\n    yield 1\n    return 2\nX = f()\n')['X'].value is UNKNOWN


def test_budget_bounds_a_costly_helper() -> None:
    """A helper past the step budget is unknown; the module's other settings are kept."""
    source = '''
        def slow():
            total = 0
            for first in TABLE:
                for second in TABLE:
                    total += 1
            return total
        TABLE = list(range(5000))
        X = slow()
        DEBUG = True
    '''
    settings = evaluate(source.replace('list(range(5000))', repr(list(range(5000)))))
    assert settings['X'].value is UNKNOWN
    assert settings['DEBUG'].value is True


def test_deep_recursion_with_fan_out_is_bounded() -> None:
    """``f(n) = f(n - 1) + f(n - 1)``: the depth and the budget stop it, no RecursionError."""
    source = 'def f(n):\n    if n == 0:\n        return 1\n    return f(n - 1) + f(n - 1)\nX = f(30)\nY = f(3)\n'
    settings = evaluate(source)
    assert settings['X'].value is UNKNOWN
    assert settings['Y'].value == 8


def test_imported_helper_reads_its_own_module(tmp_path: Path) -> None:
    """A helper imported from a project module runs in that module's globals."""
    package = tmp_path / 'proj'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'env.py').write_text(ENV_FLAG)
    settings_path = package / 'settings.py'
    source = 'from proj.env import env_flag\nDEBUG = env_flag("DEBUG", "true")\n'
    settings = evaluate(source, path=str(settings_path), trees=parse_file)
    assert settings['DEBUG'].value is True
    assert settings['DEBUG'].origin == 'default of environment variable DEBUG'
    # The helper module's own names are not the settings module's.
    assert not settings['raw'].assigned


def test_imported_helper_writes_stay_in_its_module(tmp_path: Path) -> None:
    """A ``global`` write of an imported helper changes its own module, not the settings."""
    package = tmp_path / 'proj'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'tools.py').write_text('def on():\n    global DEBUG\n    DEBUG = True\n')
    source = 'from proj.tools import on\nDEBUG = False\non()\n'
    settings = evaluate(source, path=str(package / 'settings.py'), trees=parse_file)
    assert settings['DEBUG'].value is False


def test_locals_do_not_leak() -> None:
    """Names bound in a body are the call's own."""
    settings = evaluate(ENV_FLAG + 'DEBUG = env_flag("DEBUG", "0")\n')
    assert not settings['raw'].assigned
    assert not is_known(settings['env_flag'].value)


def test_try_takes_the_path_of_an_empty_environment() -> None:
    """A required variable that is unset raises: the matching handler is the path taken."""
    source = '''
        import os
        def env_int(name, default):
            try:
                return int(os.environ[name])
            except (KeyError, ValueError):
                return default
        try:
            SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
        except KeyError:
            SECRET_KEY = "fallback"
        try:
            TOKEN = os.environ["TOKEN"]
        except ValueError:
            TOKEN = "never"
        PORT = env_int("PORT", 8000)
    '''
    settings = evaluate(source)
    assert settings['SECRET_KEY'].value == 'fallback'
    assert settings['SECRET_KEY'].line == 11
    assert settings['PORT'].value == 8000
    assert settings['TOKEN'].value is UNKNOWN  # not caught: the module fails, nothing known
    given = evaluate(source, {'DJANGO_SECRET_KEY': 'k' * 60, 'PORT': '9'})
    assert given['SECRET_KEY'].value == 'k' * 60
    assert given['PORT'].value == 9


def test_a_helper_that_raises_reaches_the_callers_handler() -> None:
    """``raise`` in a helper, caught where it is called."""
    source = '''
        import os
        class Missing(Exception):
            pass
        def required(name):
            raw = os.getenv(name)
            if raw is None:
                raise Missing(name)
            return raw
        try:
            SECRET_KEY = required("SECRET_KEY")
        except Missing:
            SECRET_KEY = ""
        HOST = required("HOST")
    '''
    settings = evaluate(source)
    assert settings['SECRET_KEY'].value == ''
    assert settings['HOST'].value is UNKNOWN


ENV_SECRET = '''
import os
from typing import overload


@overload
def envsecret(s: str, default: str) -> str: ...
@overload
def envsecret(s: str, default: None) -> str | None: ...
def envsecret(s, default):
    if secret_path := os.getenv(s + "_FILE"):
        with open(secret_path) as f:
            return f.read()
    return os.getenv(s, default)


SECRET_KEY = envsecret("SECRET_KEY", "---")
'''


def test_walrus_in_an_if_test_is_bound() -> None:
    """``if secret_path := os.getenv(...)``: unset, the body is skipped; set, the file is unknown."""
    assert evaluate(ENV_SECRET)['SECRET_KEY'].value == '---'
    assert not is_known(evaluate(ENV_SECRET, {'SECRET_KEY_FILE': '/run/secret'})['SECRET_KEY'].value)


@pytest.mark.parametrize(('test', 'expected'), [
    ('(found := os.getenv("A")) is None', 'unset'),
    ('not (found := os.getenv("A", "x"))', 'x'),
    ('(found := os.getenv("A", "x")) and found == "y"', 'x'),
])
def test_walrus_along_the_first_operands(test: str, expected: str) -> None:
    """The ``:=`` Python surely runs binds its value; the branch reads it."""
    source = 'import os\nif {0}:\n    FOUND = "unset"\nelse:\n    FOUND = found\n'.format(test)
    assert evaluate(source)['FOUND'].value == expected


def test_walrus_python_may_skip_is_unknown() -> None:
    """A ``:=`` after a short-circuit may not run: its name is unknown, never a guess."""
    source = 'import os\nfound = "before"\nif os.getenv("A") and (found := "x"):\n    pass\nVALUE = found\n'
    assert not is_known(evaluate(source)['VALUE'].value)


SETUP = '''
class LoggersSetup:
    """Namespacing only."""

    @staticmethod
    def setup_settings(INSTALLED_APPS, MIDDLEWARE, middleware_position=None):
        INSTALLED_APPS = INSTALLED_APPS + ["django_structlog"]
        extra = "django_structlog.middlewares.RequestMiddleware"
        if middleware_position is None:
            MIDDLEWARE = MIDDLEWARE + [extra]
        else:
            MIDDLEWARE = MIDDLEWARE[:middleware_position] + [extra]
        return INSTALLED_APPS, MIDDLEWARE

    def method(self):
        return ["x"]


INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
INSTALLED_APPS, MIDDLEWARE = LoggersSetup.setup_settings(INSTALLED_APPS, MIDDLEWARE)
'''


def test_static_method_of_a_class_runs_on_its_arguments() -> None:
    """``Setup.setup_settings(A, B)`` (a ``@staticmethod``) runs; a tuple it returns unpacks."""
    settings = evaluate(SETUP)
    assert settings['INSTALLED_APPS'].value == ['django.contrib.sessions', 'django_structlog']
    assert settings['MIDDLEWARE'].value == [
        'django.middleware.security.SecurityMiddleware', 'django_structlog.middlewares.RequestMiddleware',
    ]


def test_plain_method_read_through_the_class_stays_unknown() -> None:
    """A method without ``@staticmethod`` takes ``self``: not run."""
    assert not is_known(evaluate(SETUP + 'X = LoggersSetup.method()\n')['X'].value)


TOOLBAR = '''
import os


def show_toolbar(*args, **kwargs):
    return os.environ.get("TOOLBAR") == "1" and not args and not kwargs


def do_settings(INSTALLED_APPS, MIDDLEWARE):
    if not show_toolbar():
        return INSTALLED_APPS, MIDDLEWARE
    return INSTALLED_APPS + ["debug_toolbar"], MIDDLEWARE + ["debug_toolbar.middleware.X"]


def first_or_insert(MIDDLEWARE):
    if os.environ.get("FIRST"):
        return ["debug_toolbar.middleware.X", *MIDDLEWARE]
    return MIDDLEWARE


INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
'''


def test_star_parameters_called_without_extras_are_empty() -> None:
    """``def f(*args, **kwargs)`` called with none: ``args`` is ``()``, ``kwargs`` is ``{}``."""
    assert evaluate(TOOLBAR + 'X = show_toolbar()\n')['X'].value is False
    assert evaluate(TOOLBAR + 'X = show_toolbar()\n', {'TOOLBAR': '1'})['X'].value is True
    assert not is_known(evaluate(TOOLBAR + 'X = show_toolbar(1)\n')['X'].value)


def test_returns_of_undecided_paths_join_item_by_item() -> None:
    """``return A, B`` on two paths: each list keeps the items both paths start with."""
    from flake8_djsec.logic.evaluation.values import contains

    source = TOOLBAR + 'INSTALLED_APPS, MIDDLEWARE = do_settings(INSTALLED_APPS, MIDDLEWARE)\n'
    settings = evaluate(source.replace('os.environ.get("TOOLBAR") == "1"', 'load()'))
    middleware = settings['MIDDLEWARE'].value
    assert contains(middleware, 'django.middleware.security.SecurityMiddleware') is True
    assert contains(middleware, 'debug_toolbar.middleware.X') is None
    assert middleware[0] == 'django.middleware.security.SecurityMiddleware'


def test_returned_lists_that_start_differently_are_unknown() -> None:
    """An item put first on one path: no position is shared, the list is unknown."""
    source = TOOLBAR.replace('os.environ.get("FIRST")', 'load()') + 'MIDDLEWARE = first_or_insert(MIDDLEWARE)\n'
    assert not is_known(evaluate(source)['MIDDLEWARE'].value)
    from flake8_djsec.logic.evaluation.values import UNKNOWN as unknown
    assert evaluate(source)['MIDDLEWARE'].value is unknown
