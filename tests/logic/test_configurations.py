"""django-configurations: classes as settings modules, values.*Value in an empty environment."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_djsec.logic.evaluation.settings import MISSING, StaticSettings, evaluate_module
from flake8_djsec.logic.evaluation.values import UNKNOWN, is_known
from tests.logic._helpers import VERSION, same

HEADER = 'from configurations import Configuration, values\n\n'


def configuration(
    source: str,
    name: str = 'Production',
    variables: dict[str, str] | None = None,
) -> StaticSettings:
    """Evaluate a module and return the settings of one of its classes."""
    tree = ast.parse(HEADER + textwrap.dedent(source))
    return evaluate_module(tree, dict(variables or {}), VERSION, 'proj/settings.py', None, name)


def test_class_attributes_are_settings_with_their_lines() -> None:
    """An attribute is a setting; its line is the attribute's (the header is 2 lines)."""
    settings = configuration('class Production(Configuration):\n    DEBUG = True\n')
    assert settings['DEBUG'].value is True
    assert settings['DEBUG'].line == 4
    assert (settings.home_path, settings.home_line) == ('proj/settings.py', 3)


def test_subclass_overrides_its_base_and_inherits_the_rest() -> None:
    """Inheritance plays the part of star imports."""
    settings = configuration('''
        class Base(Configuration):
            DEBUG = True
            SECURE_SSL_REDIRECT = True

        class Production(Base):
            DEBUG = False
    ''')
    assert settings['DEBUG'].value is False
    assert settings['DEBUG'].line == 9
    assert settings['SECURE_SSL_REDIRECT'].value is True
    assert settings['SECURE_SSL_REDIRECT'].line == 6


def test_first_base_wins_as_the_metaclass_copies_them() -> None:
    """``class P(Mixin, Base)``: the mixin's attribute wins over the base's."""
    settings = configuration('''
        class Secure:
            SESSION_COOKIE_SECURE = True

        class Base(Configuration):
            SESSION_COOKIE_SECURE = False
            CSRF_COOKIE_SECURE = False

        class Production(Secure, Base):
            pass
    ''')
    assert settings['SESSION_COOKIE_SECURE'].value is True
    assert settings['CSRF_COOKIE_SECURE'].value is False


def test_diamond_follows_the_metaclass_copy_not_the_mro() -> None:
    """Each class holds copies of its bases' attributes: D(B, C) takes B's copy of A's X."""
    settings = configuration('''
        class A(Configuration):
            SECURE_HSTS_SECONDS = 1

        class B(A):
            pass

        class C(A):
            SECURE_HSTS_SECONDS = 2

        class Production(B, C):
            pass
    ''')
    assert settings['SECURE_HSTS_SECONDS'].value == 1


def test_module_level_setting_with_a_django_default_is_overridden_by_the_default() -> None:
    """The metaclass gives the class every Django default: module-level DEBUG does not count."""
    settings = configuration('''
        DEBUG = True
        PERMISSIONS_POLICY = {"camera": []}

        class Production(Configuration):
            pass
    ''')
    assert settings['DEBUG'].value is False
    assert not settings['DEBUG'].assigned
    assert settings['PERMISSIONS_POLICY'].value == {'camera': []}


def test_class_body_reads_module_names() -> None:
    """A class body sees the module's names (not its bases' attributes)."""
    settings = configuration('''
        import os

        HOSTS = ["a.example.com"]

        class Production(Configuration):
            ALLOWED_HOSTS = HOSTS + ["b.example.com"]
            DEBUG = os.environ.get("DEBUG", "0") == "1"
    ''')
    assert settings['ALLOWED_HOSTS'].value == ['a.example.com', 'b.example.com']
    assert settings['DEBUG'].value is False


@pytest.mark.parametrize(('expression', 'expected'), [
    ('values.BooleanValue(True)', True),
    ('values.BooleanValue(False)', False),
    ('values.Value("x")', 'x'),
    ('values.Value()', None),
    ('values.IntegerValue(0)', 0),
    ('values.PositiveIntegerValue(3600)', 3600),
    ('values.ListValue(["a", "b"])', ['a', 'b']),
    ('values.ListValue()', []),
    ('values.TupleValue(["a"])', ('a',)),
    ('values.SetValue(["a"])', {'a'}),
    ('values.DictValue()', {}),
    ('values.DictValue({"a": 1})', {'a': 1}),
    ('values.Value("x", environ=False)', 'x'),
    ('values.DatabaseURLValue()', {}),
])
def test_value_defaults(expression: str, expected: object) -> None:
    """In an empty environment a value is its default, normalised as its class does."""
    settings = configuration('class Production(Configuration):\n    X = {0}\n'.format(expression))
    assert same(settings['X'].value, expected)


@pytest.mark.parametrize('expression', [
    'values.SecretValue()',
    'values.BooleanValue("yes")',
    'values.PathValue("/tmp")',
    'values.ListValue(["a"], converter=int)',
    'values.DecimalValue(1)',
    'values.EmailURLValue("smtp://x")',
    'values.Value(unknown_name)',
    'values.FancyValue(1)',
])
def test_undecidable_values_are_unknown(expression: str) -> None:
    """Required, run-time and unmodelled values are unknown."""
    settings = configuration('class Production(Configuration):\n    X = {0}\n'.format(expression))
    assert settings['X'].value is UNKNOWN


def test_database_url_default_is_one_unknown_alias() -> None:
    """``DatabaseURLValue(url)`` holds the alias; its parsed dict is not modelled."""
    settings = configuration(
        'class Production(Configuration):\n    DATABASES = values.DatabaseURLValue("sqlite://")\n',
    )
    assert list(settings['DATABASES'].value) == ['default']


@pytest.mark.parametrize(('expression', 'variables', 'expected'), [
    ('values.BooleanValue(True)', {'DJANGO_DEBUG': 'no'}, False),
    ('values.BooleanValue(True)', {'DEBUG': 'no'}, True),
    ('values.BooleanValue(True, environ_prefix="MY")', {'MY_DEBUG': 'false'}, False),
    ('values.BooleanValue(True, environ_prefix="MY_")', {'MY_DEBUG': 'false'}, False),
    ('values.BooleanValue(True, environ_prefix=None)', {'DEBUG': 'false'}, False),
    ('values.BooleanValue(True, environ_name="DBG")', {'DJANGO_DBG': '0'}, False),
    ('values.BooleanValue(True, environ=False)', {'DJANGO_DEBUG': 'no'}, True),
    ('values.BooleanValue(True)', {'DJANGO_DEBUG': 'maybe'}, UNKNOWN),
    ('values.SecretValue()', {'DJANGO_DEBUG': 's3cret'}, 's3cret'),
    ('values.ListValue()', {'DJANGO_DEBUG': ' a, b ,,'}, ['a', 'b']),
    ('values.IntegerValue(0)', {'DJANGO_DEBUG': '12'}, 12),
])
def test_values_read_the_prefixed_variable(
    expression: str, variables: dict[str, str], expected: object,
) -> None:
    """``--djsec-env DJANGO_DEBUG=no`` is what the value reads (prefix DJANGO_ by default)."""
    settings = configuration(
        'class Production(Configuration):\n    DEBUG = {0}\n'.format(expression), variables=variables,
    )
    assert same(settings['DEBUG'].value, expected)


def test_origin_names_the_prefixed_variable() -> None:
    """The message can say where the value came from."""
    settings = configuration('class Production(Configuration):\n    DEBUG = values.BooleanValue(True)\n')
    assert settings['DEBUG'].origin == 'default of environment variable DJANGO_DEBUG'


def test_property_and_method_settings_are_unknown() -> None:
    """``@property def DATABASES`` and methods are computed when the class is set up."""
    settings = configuration('''
        class Production(Configuration):
            @property
            def SECRET_KEY(self):
                return "x"

            def ALLOWED_HOSTS(self):
                return []
    ''')
    assert settings['SECRET_KEY'].value is UNKNOWN
    assert settings['ALLOWED_HOSTS'].value is UNKNOWN


def test_setup_methods_make_what_they_write_unknown() -> None:
    """``cls.X = ...`` in ``setup``/``post_setup`` wins over the class body, even a subclass's."""
    settings = configuration('''
        class Base(Configuration):
            DEBUG = True
            SESSION_COOKIE_SECURE = True

            @classmethod
            def setup(cls):
                super().setup()
                cls.DEBUG = compute()
                cls.INSTALLED_APPS.append("x")

        class Production(Base):
            DEBUG = False
    ''')
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['INSTALLED_APPS'].value is UNKNOWN
    assert settings['SESSION_COOKIE_SECURE'].value is True


def test_setattr_in_setup_makes_the_class_opaque() -> None:
    """``setattr(cls, name, ...)`` may write any setting."""
    settings = configuration('''
        class Production(Configuration):
            DEBUG = True

            @classmethod
            def post_setup(cls):
                setattr(cls, "X", 1)
    ''')
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['SECURE_SSL_REDIRECT'].value is UNKNOWN


def test_unknown_base_makes_later_bases_and_missing_names_unknown() -> None:
    """A base we cannot read may override what follows it and define anything."""
    settings = configuration('''
        from somewhere import Mixin

        class Base(Configuration):
            DEBUG = True

        class Production(Mixin, Base):
            SESSION_COOKIE_SECURE = True
    ''')
    assert settings['DEBUG'].value is UNKNOWN
    assert settings['SESSION_COOKIE_SECURE'].value is True
    assert settings['SECURE_SSL_REDIRECT'].value is UNKNOWN


def test_a_class_not_derived_from_configuration_is_not_a_deployment() -> None:
    """A plain class named by DJANGO_CONFIGURATION tells nothing: every setting is unknown."""
    settings = configuration('class Production:\n    DEBUG = True\n')
    assert settings['DEBUG'].value is UNKNOWN
    assert configuration('X = 1\n', name='Missing')['DEBUG'].value is UNKNOWN


def test_configuration_by_module_attribute() -> None:
    """``import configurations`` and ``configurations.Configuration`` work alike."""
    tree = ast.parse('import configurations\n\nclass Production(configurations.Configuration):\n    DEBUG = True\n')
    settings = evaluate_module(tree, {}, VERSION, 'proj/settings.py', None, 'Production')
    assert settings['DEBUG'].value is True
    assert settings['NOT_A_SETTING'].value is MISSING


def test_class_attribute_reference() -> None:
    """``Base.ALLOWED_HOSTS + [...]`` reads the base's attribute."""
    settings = configuration('''
        class Base(Configuration):
            ALLOWED_HOSTS = ["a"]

        class Production(Base):
            ALLOWED_HOSTS = Base.ALLOWED_HOSTS + ["b"]
    ''')
    assert settings['ALLOWED_HOSTS'].value == ['a', 'b']


def test_raising_class_body_is_unknown() -> None:
    """A class body that raises in an empty environment tells nothing."""
    settings = configuration('class Production(Configuration):\n    DEBUG = True\n    raise ValueError\n')
    assert settings['DEBUG'].value is UNKNOWN


def test_value_with_an_environ_name_is_read_at_once() -> None:
    """``values.Value(d, environ_name=...)`` nested in a dict is its default (``Value.__new__``)."""
    settings = configuration('''
        class Production(Configuration):
            CACHES = {"default": {"BACKEND": values.Value("redis", environ_name="CACHE_BACKEND")}}
            NESTED_UNNAMED = {"a": values.Value("x")}
    ''', variables={'DJANGO_CACHE_BACKEND': 'locmem'})
    assert settings['CACHES'].value == {'default': {'BACKEND': 'locmem'}}
    assert not is_known(settings['NESTED_UNNAMED'].value)
    eager = configuration('''
        class Production(Configuration):
            SECURE_SSL_REDIRECT = values.BooleanValue(False, environ_name="REDIRECT")
            DEBUG = values.BooleanValue(True, environ=False)
    ''')
    assert eager['SECURE_SSL_REDIRECT'].value is False
    assert eager['SECURE_SSL_REDIRECT'].origin == 'default of environment variable DJANGO_REDIRECT'
    assert eager['DEBUG'].value is True
