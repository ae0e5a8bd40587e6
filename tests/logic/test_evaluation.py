"""The static evaluator: statements, expressions, helpers, caps, and StaticSettings."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
import tracemalloc

import pytest

from flake8_djsec.logic.evaluation.expressions import MAX_SIZE
from flake8_djsec.logic.evaluation.namespace import Namespace
from flake8_djsec.logic.project import canonical, parse_file
from flake8_djsec.logic.evaluation.settings import MISSING, evaluate_module
from flake8_djsec.logic.evaluation.statements import ModuleEvaluator
from flake8_djsec.logic.evaluation.values import UNKNOWN, is_known
from tests.logic._helpers import evaluate, same


def value(source: str, name: str, variables: dict[str, str] | None = None) -> object:
    """Return one setting's value."""
    return evaluate(source, variables)[name].value


# --- StaticSettings basics --------------------------------------------------------------

def test_literal_and_line() -> None:
    """A literal is its value, with the line and column that assigned it."""
    setting = evaluate('X = 1\nDEBUG = True\n')['DEBUG']
    assert setting.value is True
    assert (setting.line, setting.col, setting.assigned) == (2, 0, True)


def test_last_assignment_wins() -> None:
    """The effective value and line are the last assignment's."""
    setting = evaluate('DEBUG = True\nDEBUG = False\n')['DEBUG']
    assert setting.value is False
    assert setting.line == 2


def test_django_default_when_not_assigned() -> None:
    """A setting never assigned has Django's default and is not assigned."""
    settings = evaluate('X = 1\n')
    assert settings['DEBUG'].value is False
    assert not settings['DEBUG'].assigned
    assert settings['SESSION_COOKIE_SECURE'].value is False
    assert settings['X_FRAME_OPTIONS'].value == 'DENY'
    assert settings['ALLOWED_HOSTS'].value == []


def test_default_is_a_copy() -> None:
    """Mutating a default returned to a rule never changes the next answer."""
    settings = evaluate('X = 1\n')
    settings['ALLOWED_HOSTS'].value.append('x')  # type: ignore[attr-defined]
    assert evaluate('X = 1\n')['ALLOWED_HOSTS'].value == []


def test_missing_setting_without_default() -> None:
    """A name neither assigned nor a Django setting is MISSING, and is_set says so."""
    settings = evaluate('X = 1\n')
    assert settings['NOT_A_SETTING'].value is MISSING
    assert not settings.is_set('NOT_A_SETTING')
    assert settings.is_set('DEBUG')


def test_versioned_default() -> None:
    """SECURE_CSP has a default from Django 6.0 on only."""
    assert evaluate('X = 1\n', version=(6, 0))['SECURE_CSP'].value == {}
    assert evaluate('X = 1\n', version=(5, 2))['SECURE_CSP'].value is MISSING


def test_assigned_names_are_uppercase_bindings() -> None:
    """Only upper-case names are settings."""
    names = evaluate('import os\nDEBUG = True\nhelper = 1\nSECRET_KEY = "x"\n').assigned_names()
    assert sorted(names) == ['DEBUG', 'SECRET_KEY']


def test_annotated_assignment() -> None:
    """``DEBUG: bool = True`` binds like a plain assignment."""
    assert value('DEBUG: bool = True\n', 'DEBUG') is True


def test_chained_assignment() -> None:
    """``A = B = value`` binds both names."""
    settings = evaluate('DEBUG = TEMPLATE_DEBUG = True\n')
    assert settings['DEBUG'].value is True
    assert settings['TEMPLATE_DEBUG'].value is True


def test_delete_restores_default() -> None:
    """``del DEBUG`` removes the binding: Django's default applies."""
    setting = evaluate('DEBUG = True\ndel DEBUG\n')['DEBUG']
    assert setting.value is False
    assert not setting.assigned


def test_path_recorded() -> None:
    """The file that assigned a setting is recorded."""
    assert evaluate('DEBUG = True\n', path='proj/settings.py')['DEBUG'].path == 'proj/settings.py'


# --- if/else and conditional expressions -------------------------------------------------

@pytest.mark.parametrize(('condition', 'expected'), [
    ('True', True), ('False', False), ('1', True), ('""', False), ('[]', False), ('"x"', True),
    ('ENV == "dev"', True), ('ENV != "dev"', False), ('ENV in ("dev", "local")', True),
    ('not ENV', False), ('ENV.startswith("d")', True),
])
def test_if_known_condition(condition: str, expected: bool) -> None:
    """A known condition runs one branch only."""
    source = 'ENV = "dev"\nif {0}:\n    DEBUG = True\nelse:\n    DEBUG = False\n'.format(condition)
    assert value(source, 'DEBUG') is expected


def test_elif_chain() -> None:
    """elif is an if in the else branch."""
    source = '''
        import os
        ENV = os.environ.get("DJANGO_ENV", "production")
        if ENV == "dev":
            DEBUG = True
        elif ENV == "production":
            DEBUG = False
        else:
            DEBUG = None
    '''
    assert value(source, 'DEBUG') is False
    assert value(source, 'DEBUG', {'DJANGO_ENV': 'dev'}) is True
    assert value(source, 'DEBUG', {'DJANGO_ENV': 'staging'}) is None


def test_if_unknown_condition_different_values() -> None:
    """Branches that disagree under an unknown condition make the name unknown."""
    source = 'import os\nif os.environ["X"]:\n    DEBUG = True\nelse:\n    DEBUG = False\n'
    assert value(source, 'DEBUG') is UNKNOWN


def test_if_unknown_condition_equal_values() -> None:
    """Branches that agree keep the value."""
    source = '''
        import os
        if os.environ["X"]:
            DEBUG = True
            A = 1
        else:
            DEBUG = True
            A = 2
    '''
    settings = evaluate(source)
    assert settings['DEBUG'].value is True
    assert settings['A'].value is UNKNOWN


def test_if_unknown_condition_equal_but_different_types() -> None:
    """``1 == True`` but they are different settings values."""
    source = 'import os\nif os.environ["X"]:\n    DEBUG = 1\nelse:\n    DEBUG = True\n'
    assert value(source, 'DEBUG') is UNKNOWN


def test_if_unknown_condition_one_branch_binds() -> None:
    """A name bound in one branch only may keep its previous value or not."""
    source = 'import os\nDEBUG = False\nif os.environ["X"]:\n    DEBUG = True\n'
    assert value(source, 'DEBUG') is UNKNOWN
    fresh = 'import os\nif os.environ["X"]:\n    SESSION_COOKIE_SECURE = True\n'
    assert value(fresh, 'SESSION_COOKIE_SECURE') is UNKNOWN  # not Django's default


def test_if_unknown_condition_same_rebinding() -> None:
    """Rebinding to the value it already had keeps it."""
    source = 'import os\nDEBUG = False\nif os.environ["X"]:\n    DEBUG = False\n'
    assert value(source, 'DEBUG') is False


def test_if_unknown_condition_untouched_names_stay() -> None:
    """Names neither branch touches keep their values."""
    source = 'import os\nDEBUG = True\nif os.environ["X"]:\n    A = 1\n'
    assert value(source, 'DEBUG') is True


@pytest.mark.parametrize(('expression', 'expected'), [
    ('True if ENV == "dev" else False', True),
    ('"a" if ENV == "prod" else "b"', 'b'),
    ('1 if os.environ["X"] else 1', 1),
    ('1 if os.environ["X"] else 2', UNKNOWN),
    ('1 if os.environ["X"] else True', UNKNOWN),
    ('[1] if os.environ["X"] else [1]', [1]),
])
def test_conditional_expression(expression: str, expected: object) -> None:
    """A conditional expression follows its test, or agrees across branches."""
    result = value('import os\nENV = "dev"\nX = {0}\n'.format(expression), 'X')
    assert result is UNKNOWN if expected is UNKNOWN else same(result, expected)


# --- raise ---------------------------------------------------------------------------------

def test_raise_at_module_level_makes_everything_unknown() -> None:
    """A module that raises in an empty environment tells nothing."""
    source = '''
        DEBUG = True
        raise RuntimeError("configure me")
    '''
    settings = evaluate(source)
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['SESSION_COOKIE_SECURE'].value is UNKNOWN


def test_raise_on_missing_secret() -> None:
    """The classic guard raises when the default is empty: nothing is reportable."""
    source = '''
        import os
        from django.core.exceptions import ImproperlyConfigured
        DEBUG = True
        SECRET_KEY = os.environ.get("SECRET_KEY", "")
        if not SECRET_KEY:
            raise ImproperlyConfigured("SECRET_KEY")
    '''
    settings = evaluate(source)
    assert settings['DEBUG'].value is UNKNOWN
    assert not is_known(settings['SECRET_KEY'].value)
    # With the variable given, the guard passes.
    settings = evaluate(source, {'SECRET_KEY': 'k'})
    assert settings['DEBUG'].value is True
    assert settings['SECRET_KEY'].value == 'k'


def test_raising_branch_under_unknown_condition_is_discarded() -> None:
    """Only the branch that does not raise can be the running one."""
    source = '''
        import os
        if os.environ["X"]:
            DEBUG = False
        else:
            raise RuntimeError
        A = 1
    '''
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert settings['A'].value == 1


def test_raise_in_if_without_else_under_unknown_condition() -> None:
    """``if not os.environ["X"]: raise`` under an unknown condition: the raising branch is dropped."""
    source = 'import os\nif not os.environ["X"]:\n    raise RuntimeError\nDEBUG = True\n'
    assert value(source, 'DEBUG') is True


def test_guard_that_raises_in_an_empty_environment() -> None:
    """``if not os.environ.get("X"): raise``: the module refuses to load, so nothing is known."""
    source = 'import os\nif not os.environ.get("X"):\n    raise RuntimeError\nDEBUG = True\n'
    assert value(source, 'DEBUG') is UNKNOWN


def test_both_branches_raise() -> None:
    """When every branch raises, the module raises."""
    source = 'import os\nDEBUG = True\nif os.environ["X"]:\n    raise A\nelse:\n    raise B\n'
    assert value(source, 'DEBUG') is UNKNOWN


def test_raise_in_untaken_branch() -> None:
    """A raise in a branch a known condition skips changes nothing."""
    source = 'DEBUG = True\nif False:\n    raise RuntimeError\n'
    assert value(source, 'DEBUG') is True


# --- try/except -----------------------------------------------------------------------------

def test_try_body_and_handler_agree() -> None:
    """Values that the body and the handler agree on are kept."""
    source = 'try:\n    DEBUG = False\nexcept ImportError:\n    DEBUG = False\n'
    assert value(source, 'DEBUG') is False


def test_try_body_and_handler_differ() -> None:
    """A body we cannot decide may raise anywhere: values that differ are unknown."""
    source = 'try:\n    DEBUG = False\n    X = load()\nexcept ImportError:\n    DEBUG = True\n'
    assert value(source, 'DEBUG') is UNKNOWN


def test_try_body_fully_decided_does_not_raise() -> None:
    """A body whose every value is decided does not raise: its handler never runs."""
    source = 'try:\n    DEBUG = False\nexcept ImportError:\n    DEBUG = True\n'
    assert value(source, 'DEBUG') is False


def test_try_body_raises_handler_runs() -> None:
    """A body that certainly raises leaves the handler's values."""
    source = 'try:\n    raise ValueError\nexcept ValueError:\n    DEBUG = False\nA = 1\n'
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert settings['A'].value == 1


def test_try_finally_wins() -> None:
    """finally runs last."""
    source = 'try:\n    DEBUG = True\nexcept Exception:\n    pass\nfinally:\n    DEBUG = False\n'
    assert value(source, 'DEBUG') is False


def test_try_else() -> None:
    """else runs after a body that did not raise."""
    source = 'try:\n    A = load()\nexcept Exception:\n    A = 1\nelse:\n    DEBUG = True\n'
    settings = evaluate(source)
    assert settings['A'].value is UNKNOWN
    assert settings['DEBUG'].value is UNKNOWN  # the handler path does not bind it
    decided = evaluate(source.replace('load()', '1'))
    assert (decided['A'].value, decided['DEBUG'].value) == (1, True)


def test_try_local_settings_star_import() -> None:
    """``try: from .local import * except ImportError: pass`` may set anything."""
    source = 'DEBUG = False\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n'
    settings = evaluate(source)
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['SESSION_COOKIE_SECURE'].value is UNKNOWN


def test_try_without_handlers() -> None:
    """try/finally runs the body then the final block."""
    source = 'try:\n    DEBUG = True\nfinally:\n    A = 2\n'
    settings = evaluate(source)
    assert settings['DEBUG'].value is True
    assert settings['A'].value == 2


# --- mutation ------------------------------------------------------------------------------

def test_list_mutations() -> None:
    """+=, append, insert, extend and remove on a list."""
    source = '''
        INSTALLED_APPS = ["a"]
        INSTALLED_APPS += ["b"]
        INSTALLED_APPS.append("c")
        INSTALLED_APPS.insert(0, "z")
        INSTALLED_APPS.extend(["d", "e"])
        INSTALLED_APPS.remove("a")
        INSTALLED_APPS = INSTALLED_APPS + ["f"]
    '''
    setting = evaluate(source)['INSTALLED_APPS']
    assert setting.value == ['z', 'b', 'c', 'd', 'e', 'f']
    assert setting.line == 8


def test_tuple_concatenation() -> None:
    """Tuples grow with += too."""
    assert value('MIDDLEWARE = ("a",)\nMIDDLEWARE += ("b",)\n', 'MIDDLEWARE') == ('a', 'b')


def test_mutation_with_unknown_argument() -> None:
    """Appending an unknown item leaves a list that is not fully known."""
    source = 'import os\nALLOWED_HOSTS = ["a"]\nALLOWED_HOSTS.append(os.environ["HOST"])\n'
    assert not is_known(value(source, 'ALLOWED_HOSTS'))


def test_remove_missing_item_is_unknown() -> None:
    """list.remove of an absent item raises: the value is not trusted."""
    assert not is_known(value('A = ["x"]\nA.remove("y")\n', 'A'))


def test_unmodelled_method_makes_unknown() -> None:
    """A method call we do not model on a setting makes it unknown."""
    assert value('A = ["x"]\nA.frobnicate()\n', 'A') is UNKNOWN


def test_dict_item_assignment() -> None:
    """Nested item assignment, e.g. a database password."""
    source = '''
        import os
        DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": ""}}
        DATABASES["default"]["PASSWORD"] = os.environ.get("DB_PASSWORD", "secret")
        DATABASES["default"]["HOST"] = "db"
    '''
    setting = evaluate(source)['DATABASES']
    assert setting.value == {'default': {
        'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': 'secret', 'HOST': 'db',
    }}
    assert setting.line == 5


def test_templates_option_assignment() -> None:
    """TEMPLATES[0]["OPTIONS"]["debug"] = DEBUG."""
    source = '''
        DEBUG = True
        TEMPLATES = [{"BACKEND": "x", "OPTIONS": {}}]
        TEMPLATES[0]["OPTIONS"]["debug"] = DEBUG
        TEMPLATES[0]["OPTIONS"]["context_processors"] = []
        TEMPLATES[0]["OPTIONS"]["context_processors"].append("p")
    '''
    assert value(source, 'TEMPLATES') == [{
        'BACKEND': 'x', 'OPTIONS': {'debug': True, 'context_processors': ['p']},
    }]


def test_item_assignment_copies_the_value() -> None:
    """Assigning a list into a dict, then mutating the dict, leaves the list alone."""
    source = 'L = [1]\nD = {}\nD["k"] = L\nD["k"].append(2)\n'
    settings = evaluate(source)
    assert settings['D'].value == {'k': [1, 2]}


def test_dict_update_and_augmented_item() -> None:
    """dict.update and ``D[k] += n``."""
    source = '''
        CACHES = {"default": {"TIMEOUT": 10}}
        CACHES["default"]["TIMEOUT"] += 5
        CACHES["default"].update({"KEY_PREFIX": "p"})
    '''
    assert value(source, 'CACHES') == {'default': {'TIMEOUT': 15, 'KEY_PREFIX': 'p'}}


def test_item_assignment_unknown_key() -> None:
    """An unknown key makes the whole container unknown."""
    source = 'import os\nD = {"a": 1}\nD[os.environ["K"]] = 2\n'
    assert value(source, 'D') is UNKNOWN


def test_del_item() -> None:
    """``del D[k]``."""
    assert value('D = {"a": 1, "b": 2}\ndel D["a"]\n', 'D') == {'b': 2}


def test_mutating_an_unbound_name() -> None:
    """Mutating a name never bound (NameError in Python) binds nothing."""
    assert evaluate('X.append(1)\n')['X'].value is MISSING


def test_mutation_through_an_alias() -> None:
    """Two names bound to one list see the same mutation."""
    source = 'ALLOWED_HOSTS = ["a"]\nCSRF_HOSTS = ALLOWED_HOSTS\nCSRF_HOSTS.append("b")\n'
    assert value(source, 'ALLOWED_HOSTS') == ['a', 'b']


# --- unpacking -----------------------------------------------------------------------------

def test_tuple_unpacking() -> None:
    """Tuple and list targets, nested."""
    settings = evaluate('A, B = "x", "y"\n[C, (D, E)] = [1, (2, 3)]\n')
    assert [settings[name].value for name in 'ABCDE'] == ['x', 'y', 1, 2, 3]


def test_unpacking_unknown_or_mismatched() -> None:
    """Unknown values, wrong lengths and starred targets make every target unknown."""
    settings = evaluate('import os\nA, B = os.environ["X"]\nC, D = (1, 2, 3)\nE, *F = (1, 2)\n')
    assert [settings[name].value for name in 'ABCDEF'] == [UNKNOWN] * 6


def test_unpacking_keeps_origin() -> None:
    """Items unpacked from a look-up keep its origin."""
    setting = evaluate('import os\nA, B = os.environ.get("PAIR", "a,b").split(",")\n')['B']
    assert (setting.value, setting.origin) == ('b', 'default of environment variable PAIR')


# --- loops and dynamic statements -----------------------------------------------------------

def test_for_loop_over_a_known_collection_runs() -> None:
    """A loop over a known collection runs its body per item; other names are kept."""
    source = '''
        DEBUG = True
        INSTALLED_APPS = ["a"]
        EXTRA = ["b", "c"]
        for app in EXTRA:
            INSTALLED_APPS.append(app)
            LAST = app
    '''
    settings = evaluate(source)
    assert settings['INSTALLED_APPS'].value == ['a', 'b', 'c']
    assert settings['LAST'].value == 'c'
    assert settings['app'].value == 'c'
    assert settings['DEBUG'].value is True
    assert settings['EXTRA'].value == ['b', 'c']


def test_for_loop_over_an_unknown_collection_makes_touched_names_unknown() -> None:
    """A loop over what we cannot list: its targets, assignments and mutations are unknown."""
    source = '''
        import os
        DEBUG = True
        INSTALLED_APPS = ["a"]
        for app in os.environ["EXTRA_APPS"].split(","):
            INSTALLED_APPS.append(app)
            LAST = app
    '''
    settings = evaluate(source)
    assert settings['INSTALLED_APPS'].value is UNKNOWN
    assert settings['LAST'].value is UNKNOWN
    assert settings['app'].value is UNKNOWN
    assert settings['DEBUG'].value is True


def test_while_loop_makes_touched_names_unknown() -> None:
    """while loops too, even when they would not run."""
    settings = evaluate('DEBUG = False\nwhile False:\n    DEBUG = True\nA = 1\n')
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['A'].value == 1


def test_item_assignment_in_loop() -> None:
    """``for ...: D[k] = v`` over a known collection fills D."""
    source = 'D = {}\nfor k in ["a"]:\n    D[k] = 1\n'
    assert value(source, 'D') == {'a': 1}


@pytest.mark.parametrize('statement', [
    'globals().update(load())',
    'globals()[name] = False',
    'setattr(sys.modules[__name__], "DEBUG", False)',
    'exec(open("extra.py").read())',
    'vars().update(extra)',
    'locals()[key] = 1',
    'Exporter.load(__name__)',
    'load(globals())',
    'sys.modules[__name__] = Settings()',
    'install(vars())',
    'register(sys.modules[__name__])',
    'sys.modules[__name__].__dict__.update(extra)',
])
def test_dynamic_statements_make_everything_unknown(statement: str) -> None:
    """Statements that may write any module-level name."""
    source = 'import sys\nDEBUG = True\n{0}\n'.format(statement)
    settings = evaluate(source)
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['SESSION_COOKIE_SECURE'].value is UNKNOWN  # no Django default either


@pytest.mark.parametrize('statement', [
    'globals().update({"DEBUG": False})',
    'globals().update(DEBUG=False)',
    'globals()["DEBUG"] = False',
    'vars()["DEBUG"] = False',
    'for name, flag in {"DEBUG": False}.items():\n    globals()[name] = flag',
    'logger = logging.getLogger(__name__)\nDEBUG = False',
    'globals().setdefault("OTHER", 1)\nglobals()["DEBUG"] = globals().get("OTHER") == 2',
])
def test_known_writes_through_globals(statement: str) -> None:
    """Writes through ``globals()`` with known names are followed; the module stays closed."""
    source = 'import logging\nDEBUG = True\n{0}\n'.format(statement)
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert not settings.open
    assert settings['SESSION_COOKIE_SECURE'].value is False  # Django's default


def test_dynamic_statement_under_unknown_condition() -> None:
    """globals().update under an if still makes everything unknown."""
    source = 'import os\nDEBUG = True\nif os.environ["X"]:\n    globals().update(extra)\n'
    assert value(source, 'DEBUG') is UNKNOWN


def test_assignments_after_dynamic_statement() -> None:
    """A later plain assignment is known again."""
    assert value('globals().update(x)\nDEBUG = False\n', 'DEBUG') is False


def test_globals_written_in_a_loop() -> None:
    """``for k, v in TABLE.items(): globals()[k] = v`` over a literal table binds its names."""
    source = 'DEBUG = True\nfor key, item in {"DEBUG": False}.items():\n    globals()[key] = item\n'
    assert value(source, 'DEBUG') is False
    unknown_table = source.replace('{"DEBUG": False}', 'load()')
    assert not is_known(value(unknown_table, 'DEBUG'))


def test_global_assignment_in_a_called_function() -> None:
    """A helper called at module level rebinds settings through ``global``."""
    source = 'DEBUG = True\ndef configure():\n    global DEBUG\n    DEBUG = False\nconfigure()\n'
    assert value(source, 'DEBUG') is False


def test_walrus_binds_at_module_level() -> None:
    """``(DEBUG := ...)`` rebinds DEBUG."""
    assert value('DEBUG = True\nX = (DEBUG := False)\n', 'DEBUG') is not True


def test_with_block_runs() -> None:
    """A with block's body is evaluated."""
    assert value('with open("x") as handle:\n    DEBUG = True\n', 'DEBUG') is True


def test_class_definition_is_not_a_known_value() -> None:
    """A class bound at module level is a class, not a setting value a rule can judge."""
    found = value('class DEBUG:\n    pass\n', 'DEBUG')
    assert found is not UNKNOWN
    assert not is_known(found)
    assert value('@decorated\nclass DEBUG:\n    pass\n', 'DEBUG') is UNKNOWN


# --- star imports --------------------------------------------------------------------------

def test_unfollowed_star_import_makes_missing_settings_unknown() -> None:
    """Without a resolver, a star import may bind anything."""
    settings = evaluate('from .base import *\nSECURE_SSL_REDIRECT = True\n')
    assert settings['DEBUG'].value is UNKNOWN  # not Django's default False
    assert settings['SECURE_SSL_REDIRECT'].value is True
    assert settings.is_set('ANYTHING')


def test_star_import_forgets_earlier_bindings() -> None:
    """Names bound before the star import may be rebound by it."""
    assert value('DEBUG = True\nfrom proj.settings.base import *\n', 'DEBUG') is UNKNOWN


def test_followed_star_import(tmp_path: Path) -> None:
    """A project module's namespace is merged: public names only, with their file and line."""
    settings_dir = tmp_path / 'proj' / 'settings'
    settings_dir.mkdir(parents=True)
    base = settings_dir / 'base.py'
    base.write_text('\nDEBUG = True\n_private = 1\nSECRET_KEY = "base"\n')
    prod = str(settings_dir / 'prod.py')
    settings = evaluate('from .base import *\nDEBUG = False\n', path=prod, trees=parse_file)
    assert settings['DEBUG'].value is False
    assert settings['DEBUG'].path == prod
    assert settings['SECRET_KEY'].value == 'base'
    assert (settings['SECRET_KEY'].path, settings['SECRET_KEY'].line) == (canonical(str(base)), 4)
    assert settings['_private'].value is MISSING
    assert settings['SESSION_COOKIE_SECURE'].value is False  # a followed import is not opaque


def test_missing_module_is_unfollowed(tmp_path: Path) -> None:
    """A star import of a module not found on disk makes the namespace opaque."""
    path = str(tmp_path / 'settings.py')
    settings = evaluate('from .base import *\n', path=path, trees=parse_file)
    assert settings['DEBUG'].value is UNKNOWN


# --- helper functions ----------------------------------------------------------------------

ENVBOOL = '''
import os

def envbool(name, default):
    """Read a boolean."""
    return os.environ.get(name, default).lower() == "true"
'''


def test_helper_function_is_followed() -> None:
    """A one-return helper defined in the module is evaluated with its arguments."""
    setting = evaluate(ENVBOOL + 'DEBUG = envbool("DEBUG", "True")\n')['DEBUG']
    assert setting.value is True
    assert setting.origin == 'default of environment variable DEBUG'


def test_helper_function_with_variable_set() -> None:
    """The helper sees --djsec-env variables."""
    assert value(ENVBOOL + 'DEBUG = envbool("DEBUG", "True")\n', 'DEBUG', {'DEBUG': 'no'}) is False


def test_helper_function_keywords_and_defaults() -> None:
    """Keyword arguments and parameter defaults bind."""
    source = '''
        import os
        def env(name, default="", *, cast=str):
            return cast(os.environ.get(name, default))
        A = env("A", "1", cast=int)
        B = env(name="B")
        C = env("C", default="x")
    '''
    settings = evaluate(source)
    assert (settings['A'].value, settings['B'].value, settings['C'].value) == (1, '', 'x')


def test_helper_function_reads_module_names() -> None:
    """The body may read module-level names."""
    source = 'PREFIX = "DJANGO_"\nimport os\ndef e(n, d):\n    return os.environ.get(PREFIX + n, d)\nX = e("X", 5)\n'
    setting = evaluate(source)['X']
    assert (setting.value, setting.origin) == (5, 'default of environment variable DJANGO_X')


@pytest.mark.parametrize('definition', [
    'def f(*args):\n    return args[0]\n',
    'def f(**kw):\n    return 1\n',
    'def f(x, /):\n    return x\n',
    'async def f(x):\n    return x\n',
    'f = lambda x: x\n',
])
def test_helper_functions_not_followed(definition: str) -> None:
    """Variadic or positional-only signatures, coroutines and lambdas are unknown."""
    assert value(definition + 'X = f(1)\n', 'X') is UNKNOWN


def test_helper_called_with_wrong_arguments() -> None:
    """A call that would raise TypeError is unknown."""
    source = 'def f(a):\n    return a\nX = f()\nY = f(1, 2)\nZ = f(b=1)\n'
    settings = evaluate(source)
    assert [settings[name].value for name in 'XYZ'] == [UNKNOWN] * 3


def test_recursive_helper_is_bounded() -> None:
    """A self-recursive helper ends as unknown, never RecursionError."""
    source = 'def f(n):\n    return f(n + 1)\nX = f(0)\nDEBUG = True\n'
    settings = evaluate(source)
    assert settings['X'].value is UNKNOWN
    assert settings['DEBUG'].value is True


def test_helper_arguments_do_not_leak() -> None:
    """Parameters are local to the call."""
    source = 'def f(DEBUG):\n    return DEBUG\nX = f(True)\n'
    settings = evaluate(source)
    assert settings['X'].value is True
    assert not settings['DEBUG'].assigned


# --- expressions -------------------------------------------------------------------------

@pytest.mark.parametrize(('expression', 'expected'), [
    ('f"{SCHEME}://{HOST}/"', 'https://example.com/'),
    ('f"{PORT:05d}"', '00080'),
    ('f"{HOST!r}"', "'example.com'"),
    ('f"{PORT!s}"', '80'),
    ('"{0}://{1}".format(SCHEME, HOST)', 'https://example.com'),
    ('"%s:%d" % (HOST, PORT)', 'example.com:80'),
    ('HOST.upper()', 'EXAMPLE.COM'),
    ('" x ".strip()', 'x'),
    ('"a,b".split(",")', ['a', 'b']),
    ('",".join(["a", "b"])', 'a,b'),
    ('HOST.replace("example", "test")', 'test.com'),
    ('HOST.startswith("ex")', True),
    ('HOST.endswith(".org")', False),
    ('"AbC".lower()', 'abc'),
    ('"x=y".partition("=")', ('x', '=', 'y')),
    ('"abc".removeprefix("a")', 'bc'),
    ('b"x".decode()', 'x'),
    ('60 * 60 * 24 * 365', 31536000),
    ('2 ** 10', 1024),
    ('7 // 2', 3),
    ('7 / 2', 3.5),
    ('7 % 4', 3),
    ('-PORT', -80),
    ('1 << 4', 16),
    ('6 & 3 | 8 ^ 1', 11),
    ('~0', -1),
    ('not ""', True),
    ('1 < 2 < 3', True),
    ('1 < 3 < 2', False),
    ('"a" in ["a", "b"]', True),
    ('"c" not in ["a", "b"]', True),
    ('"k" in {"k": 1}', True),
    ('"ex" in HOST', True),
    ('None is None', True),
    ('PORT is not None', True),
    ('"" or "fallback"', 'fallback'),
    ('"x" and "y"', 'y'),
    ('0 and os.environ["X"]', 0),
    ('1 or os.environ["X"]', 1),
    ('["a", "b"][0]', 'a'),
    ('["a", "b"][-1]', 'b'),
    ('"abcdef"[1:3]', 'bc'),
    ('"abcdef"[::2]', 'ace'),
    ('{"a": 1}["a"]', 1),
    ('{"a": 1}.get("b", 2)', 2),
    ('{**{"a": 1}, "b": 2}', {'a': 1, 'b': 2}),
    ('[*["a"], "b"]', ['a', 'b']),
    ('(1, *(2, 3))', (1, 2, 3)),
    ('{"a", "a"}', {'a'}),
    ('len([1, 2])', 2),
    ('sorted(["b", "a"])', ['a', 'b']),
    ('str(5)', '5'),
    ('int("5")', 5),
    ('float("1.5")', 1.5),
    ('bool([])', False),
    ('bool("False")', True),
    ('list((1, 2))', [1, 2]),
    ('tuple([1])', (1,)),
    ('min(3, 1, 2)', 1),
    ('max([3, 4])', 4),
    ('abs(-3)', 3),
    ('any([0, 1])', True),
    ('repr("x")', "'x'"),
    ('bool()', False),
    ('str()', ''),
    ('list()', []),
])
def test_expression(expression: str, expected: object) -> None:
    """Literals, operators, f-strings, string methods and builtins."""
    source = 'import os\nSCHEME = "https"\nHOST = "example.com"\nPORT = 80\nX = {0}\n'.format(expression)
    result = value(source, 'X')
    assert same(result, expected), result


@pytest.mark.parametrize('expression', [
    'os.environ["X"] + "a"',
    'f"{os.environ[\'X\']}"',
    'os.environ["X"].lower()',
    '"x".unknown_method()',
    'HOST.center(10)',
    'unknown_name',
    'unknown_call()',
    'os.path.join("a", "b")',
    'os.environ["X"] or "a"',
    'os.environ["X"] == "a"',
    '"a" in os.environ["X"]',
    '{a for a in "xy"}',
    'lambda: 1',
    '1 / 0',
    'int("x")',
    '{}["missing"]',
    '[][0]',
    '{os.environ["X"]: 1}',
    '{os.environ["X"]}',
    'dict(a=1)',
    'print("x")',
])
def test_unknown_expression(expression: str) -> None:
    """Anything not modelled, or that would raise, is not known."""
    source = 'import os\nHOST = "example.com"\nX = {0}\n'.format(expression)
    assert not is_known(value(source, 'X'))


def test_shadowed_builtin_is_not_trusted_after_opaque_import() -> None:
    """After an unfollowed star import, ``bool`` may be anything."""
    assert value('from x import *\nX = bool(1)\n', 'X') is UNKNOWN


def test_partially_known_list_contains() -> None:
    """A list with unknown parts contains its known items but never provably lacks one."""
    source = 'import os\nL = ["a", os.environ["X"]]\nA = "a" in L\nB = "b" in L\n'
    settings = evaluate(source)
    assert settings['A'].value is True
    assert settings['B'].value is UNKNOWN


def test_comparison_origin() -> None:
    """A comparison's value takes the look-up's origin from either side."""
    setting = evaluate('import os\nDEBUG = "1" == os.environ.get("DEBUG", "1")\n')['DEBUG']
    assert (setting.value, setting.origin) == (True, 'default of environment variable DEBUG')


# --- CSP constants -----------------------------------------------------------------------

def test_django_csp_constants() -> None:
    """django.utils.csp.CSP members are their source strings."""
    source = '''
        from django.utils.csp import CSP
        SECURE_CSP = {
            "default-src": [CSP.SELF],
            "script-src": [CSP.SELF, CSP.NONCE, CSP.STRICT_DYNAMIC],
            "object-src": [CSP.NONE],
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        }
    '''
    assert value(source, 'SECURE_CSP') == {
        'default-src': ["'self'"],
        'script-src': ["'self'", '<CSP_NONCE_SENTINEL>', "'strict-dynamic'"],
        'object-src': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
    }


@pytest.mark.parametrize('source', [
    'import django.utils.csp\nX = django.utils.csp.CSP.SELF\n',
    'from django.utils import csp\nX = csp.CSP.SELF\n',
    'from django.utils.csp import CSP as C\nX = C.SELF\n',
    'from csp import constants\nX = constants.SELF\n',
    'import csp.constants\nX = csp.constants.SELF\n',
])
def test_csp_constant_spellings(source: str) -> None:
    """Every import spelling resolves the constant."""
    assert value(source, 'X') == "'self'"


def test_csp_constant_imported_by_name() -> None:
    """``from csp.constants import SELF`` (django-csp's documented style)."""
    assert value('from csp.constants import NONE, SELF\nX = [SELF, NONE]\n', 'X') == ["'self'", "'none'"]


def test_unknown_csp_member_is_not_known() -> None:
    """A member we do not know is opaque."""
    assert not is_known(value('from django.utils.csp import CSP\nX = CSP.SOMETHING\n', 'X'))


# --- caps ----------------------------------------------------------------------------------

def _module(*statements: ast.stmt) -> ast.Module:
    return ast.Module(body=list(statements), type_ignores=[])


def _assign(name: str, node: ast.expr, line: int) -> ast.Assign:
    return ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=node, lineno=line, col_offset=0)


def test_deeply_nested_expression_built_programmatically() -> None:
    """``"1" + "+1" + ... `` 5000 deep (too deep for ast.parse) is unknown, never RecursionError."""
    node: ast.expr = ast.Constant('1')
    for _ in range(5000):
        node = ast.BinOp(left=node, op=ast.Add(), right=ast.Constant('+1'))
    tree = _module(_assign('X', node, 1), _assign('DEBUG', ast.Constant(True), 2))
    settings = evaluate_module(tree, {}, (5, 2))
    assert settings['X'].value is UNKNOWN
    assert settings['DEBUG'].value is True


def test_deeply_nested_list_built_programmatically() -> None:
    """[[[...]]] 5000 deep."""
    node: ast.expr = ast.Constant(1)
    for _ in range(5000):
        node = ast.List(elts=[node], ctx=ast.Load())
    tree = _module(_assign('X', node, 1), _assign('DEBUG', ast.Constant(True), 2))
    settings = evaluate_module(tree, {}, (5, 2))
    assert not is_known(settings['X'].value)
    assert settings['DEBUG'].value is True


def test_deeply_nested_statements_built_programmatically() -> None:
    """3000 nested ``if True:`` blocks: the innermost is past the cap, nothing raises."""
    body: list[ast.stmt] = [_assign('DEBUG', ast.Constant(True), 1)]
    for _ in range(3000):
        body = [ast.If(test=ast.Constant(True), body=body, orelse=[], lineno=1, col_offset=0)]
    settings = evaluate_module(_module(*body, _assign('Y', ast.Constant(1), 2)), {}, (5, 2))
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['Y'].value == 1


def test_moderately_nested_source_is_evaluated() -> None:
    """Nesting a parser accepts, within the caps, is still evaluated exactly."""
    assert value('X = ' + '(' * 50 + '1 + 1' + ')' * 50 + '\n', 'X') == 2
    assert value('X = ' + '[' * 15 + ']' * 15 + '\n', 'X') is not UNKNOWN


@pytest.mark.parametrize('expression', [
    '"x" * 10 ** 9',
    '10 ** 9 * "x"',
    '[0] * 10 ** 9',
    '("ab",) * 10 ** 9',
    '10 ** 10 ** 9',
    '2 ** 10 ** 9',
    '1 << 10 ** 9',
    '"{:>1000000000}".format("x")',
    'f"{\'x\':>1000000000}"',
    '"%1000000000s" % "x"',
    '("x" * 100000) * 100000',
])
def test_huge_values_are_unknown(expression: str) -> None:
    """Values past the size cap are never built."""
    assert value('X = {0}\nDEBUG = True\n'.format(expression), 'X') is UNKNOWN


def test_values_at_the_cap_are_built() -> None:
    """The cap is not too eager."""
    assert value('X = "x" * 100000\n', 'X') == 'x' * 100_000
    assert value('X = 2 ** 100\n', 'X') == 2 ** 100


def test_concatenation_past_the_cap_is_unknown() -> None:
    """Doubling a string of MAX_SIZE characters is past the cap."""
    source = 'A = "x" * 100000\nA = A + A\nA = A + A\n'
    result = value(source, 'A')
    assert result is UNKNOWN or (isinstance(result, str) and len(result) <= MAX_SIZE)


def test_percent_star_width_is_capped() -> None:
    """A width given as an argument is as dangerous as a literal one."""
    result = value('X = "%*s" % (200000, "x")\n', 'X')
    assert result is UNKNOWN or (isinstance(result, str) and len(result) <= MAX_SIZE)


def test_power_of_a_big_base_is_capped() -> None:
    """A big base raised to an allowed exponent is still huge."""
    result = value('A = 2 ** 4000\nB = A ** 4000\n', 'B')
    assert result is UNKNOWN or (isinstance(result, int) and result.bit_length() <= 100_000)


def test_format_with_nested_width_is_not_built() -> None:
    """The width of a nested format field comes from an argument: nothing that big is allocated."""
    tracemalloc.start()
    try:
        result = value('X = "{:>{}}".format("x", 5000000)\n', 'X')
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result is UNKNOWN
    assert peak < 4_000_000


@pytest.mark.parametrize('mutation', ['A2999.append(1)', 'B = [0]\nB[0] = A2999'])
def test_deep_value_built_through_names_never_raises(mutation: str) -> None:
    """Nesting grown one name at a time is capped like nesting in one expression."""
    lines = ['A0 = []', *('A{0} = [A{1}]'.format(index, index - 1) for index in range(1, 3000))]
    settings = evaluate('\n'.join([*lines, mutation, 'DEBUG = True', '']))
    assert settings['DEBUG'].value is True


def test_hundred_thousand_line_module() -> None:
    """A very long module evaluates correctly (no time assertion)."""
    source = ''.join('X{0} = {0}\n'.format(index) for index in range(100_000)) + 'DEBUG = True\n'
    settings = evaluate(source)
    assert settings['DEBUG'].value is True
    assert settings['DEBUG'].line == 100_001
    assert settings['X99999'].value == 99_999


def test_over_budget_module_tells_nothing() -> None:
    """A module that needs more steps than the budget is entirely unknown."""
    source = ''.join('X{0} = [1, 2, 3, 4, 5, 6, 7, 8]\n'.format(index) for index in range(60_000))
    settings = evaluate(source + 'DEBUG = True\n')
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['X0'].value is UNKNOWN


# --- forms the parity test found unsupported ------------------------------------------

COMPREHENSIONS = (
    ('[h.strip() for h in os.environ.get("H", "").split(",") if h.strip()]', {}, []),
    ('[h.strip() for h in os.environ.get("H", "a, b").split(",") if h.strip()]', {}, ['a', 'b']),
    ('[h for h in os.environ.get("H", "").split(",")]', {'H': 'x,y'}, ['x', 'y']),
    ('["https://" + h for h in ("a.com", "b.com")]', {}, ['https://a.com', 'https://b.com']),
    ('[k for k in {"a": 1, "b": 2}]', {}, ['a', 'b']),
    ('[c for c in "ab" if c != "a"]', {}, ['b']),
    ('[h for h in ["a", "b"] if h == unknown]', {}, UNKNOWN),
    ('[h for h in unknown]', {}, UNKNOWN),
    ('[h for h in ["a"] for k in "xy"]', {}, UNKNOWN),
    ('[a for a, b in [("x", 1)]]', {}, UNKNOWN),
)


@pytest.mark.parametrize(('expression', 'variables', 'expected'), COMPREHENSIONS)
def test_list_comprehension(expression: str, variables: dict[str, str], expected: object) -> None:
    """One loop over a known sequence is evaluated; anything else stays unknown."""
    value = evaluate('import os\nX = {0}\n'.format(expression), variables)['X'].value
    assert value == expected if expected is not UNKNOWN else value is UNKNOWN


def test_comprehension_variable_does_not_leak() -> None:
    """The loop name lives in the comprehension only, as in Python 3."""
    settings = evaluate('h = "kept"\nX = [h for h in ["a"]]\nY = h\n')
    assert (settings['X'].value, settings['Y'].value) == (['a'], 'kept')


@pytest.mark.parametrize(('expression', 'variables', 'expected'), (
    ('"K" in os.environ', {}, False),
    ('"K" not in os.environ', {}, True),
    ('"K" in os.environ', {'K': ''}, True),
    ('os.environ["K"] if "K" in os.environ else "dflt"', {}, 'dflt'),
    ('os.environ["K"] if "K" in os.environ else "dflt"', {'K': 'set'}, 'set'),
))
def test_membership_in_environ(expression: str, variables: dict[str, str], expected: object) -> None:
    """``'K' in os.environ`` is decided by the variables given (none: the empty environment)."""
    assert evaluate('import os\nX = {0}\n'.format(expression), variables)['X'].value == expected


@pytest.mark.parametrize(('first', 'extra'), [
    ('["django.middleware.security.SecurityMiddleware"]', '["x.Y"]'),
    ('("django.middleware.security.SecurityMiddleware",)', '("x.Y",)'),
])
def test_sequence_extended_under_an_unknown_condition_keeps_shared_items(first: str, extra: str) -> None:
    """``if unknown: MIDDLEWARE += (...)``: what both branches hold stays decidable, the rest not."""
    from flake8_djsec.logic.evaluation.values import contains

    source = 'MIDDLEWARE = {0}\nif load():\n    MIDDLEWARE += {1}\n'.format(first, extra)
    middleware = evaluate(source)['MIDDLEWARE'].value
    assert type(middleware) is type(ast.literal_eval(first))
    assert contains(middleware, 'django.middleware.security.SecurityMiddleware') is True
    assert contains(middleware, 'x.Y') is None
    assert contains(middleware, 'django.middleware.csrf.CsrfViewMiddleware') is None
