"""
Environment look-ups, each library with its own casting rules, in an empty environment.

Every case evaluates ``VALUE = <expression>`` after a library's usual set-up. The expected
values were cross-checked against the real libraries (python-decouple 3.8, django-environ
0.14.0, environs 15.2.0 with marshmallow 4.4.0) by ``crosscheck_libraries.py`` in this
folder, which runs each case for real with ``os.environ`` holding exactly the case's
variables; an expected UNKNOWN there means the real look-up raises.  Cases marked
``check=False`` follow DESIGN.md instead of the library.
The test suite itself never imports those libraries.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from collections.abc import Mapping

import pytest

from flake8_djsec.logic.evaluation import environment
from flake8_djsec.logic.evaluation.environment import NO_DEFAULT, CsvCast, EnvReader
from flake8_djsec.logic.evaluation.values import UNKNOWN, Sourced, Symbol, Value, is_known, same_value
from tests.logic._helpers import evaluate, same

OS = 'import os\n'
DECOUPLE = 'from decouple import config, Csv\n'
ENVIRON = 'import environ\nenv = environ.Env()\n'
ENVIRONS = 'from environs import Env\nenv = Env()\n'


def _scheme(arguments: str) -> str:
    return 'import environ\nenv = environ.Env({0})\n'.format(arguments)


@dataclasses.dataclass(frozen=True)
class Case:
    """One look-up: set-up, expression, variables set, expected value."""

    id: str
    setup: str
    expression: str
    expected: object
    variables: Mapping[str, str] = dataclasses.field(default_factory=dict)
    check: bool = True  # cross-checked against the real library
    xfail: str | None = None  # the evaluator is known to differ from the library


_BUG_TUPLE_CAST = (
    'django-environ env.tuple(K, cast=int) passes the cast as a 1-tuple (int,), '
    'which environment._environ_cast does not handle: UNKNOWN instead of (1, 2)'
)
_BUG_MARSHMALLOW_CASE = (
    "environs' bool uses marshmallow's case-sensitive truthy/falsy sets ('yes', 'Yes', "
    "'YES' but not 'yEs'); environment._environs_cast lower()s first"
)
_BUG_SUBCAST = 'environs env.list(K, subcast=int) casts each item; the evaluator ignores subcast'
_BUG_DELIMITER = 'environs env.list(K, delimiter=";") splits on ";"; the evaluator always splits on ","'
_BUG_NAN = 'marshmallow Float rejects nan/inf unless allow_nan=True; the evaluator returns float("nan")'

CASES: tuple[Case, ...] = (
    # --- os.environ / os.getenv ---------------------------------------------------------
    Case('os-get-default', OS, 'os.environ.get("DEBUG", "False")', 'False'),
    Case('os-getenv-default', OS, 'os.getenv("DEBUG", "False")', 'False'),
    Case('os-get-default-bool', OS, 'os.environ.get("DEBUG", False)', False),
    Case('os-get-default-none', OS, 'os.environ.get("DEBUG", None)', None),
    Case('os-get-keywords', OS, 'os.environ.get(key="DEBUG", default="x")', 'x'),
    Case('os-getenv-keywords', OS, 'os.getenv(key="DEBUG", default="x")', 'x'),
    Case('os-get-no-default', OS, 'os.environ.get("DEBUG")', None),
    Case('os-getenv-no-default', OS, 'os.getenv("DEBUG")', None),
    Case('os-get-no-default-bool', OS, 'bool(os.environ.get("DEBUG"))', False),
    Case('os-subscript', OS, 'os.environ["DEBUG"]', UNKNOWN),
    Case('os-subscript-set', OS, 'os.environ["DEBUG"]', '1', {'DEBUG': '1'}),
    Case('os-get-set', OS, 'os.environ.get("DEBUG", "False")', 'yes', {'DEBUG': 'yes'}),
    Case('os-get-no-default-set', OS, 'os.environ.get("DEBUG")', '1', {'DEBUG': '1'}),
    Case('os-getenv-set-empty', OS, 'os.getenv("DEBUG", "True")', '', {'DEBUG': ''}),
    Case('os-setdefault', OS, 'os.environ.setdefault("DEBUG", "False")', 'False'),
    Case('os-setdefault-set', OS, 'os.environ.setdefault("DEBUG", "False")', '1', {'DEBUG': '1'}),
    # Traps: a non-empty string is truthy, whatever it says.
    Case('os-bool-false-string', OS, 'bool(os.environ.get("DEBUG", "False"))', True),
    Case('os-bool-zero-string', OS, 'bool(os.getenv("DEBUG", "0"))', True),
    Case('os-bool-empty-string', OS, 'bool(os.getenv("DEBUG", ""))', False),
    Case('os-int-zero', OS, 'int(os.environ.get("DEBUG", "0"))', 0),
    Case('os-bool-int-zero', OS, 'bool(int(os.getenv("DEBUG", "0")))', False),
    Case('os-int-invalid', OS, 'int(os.environ.get("HSTS", "abc"))', UNKNOWN),
    Case('os-compare', OS, 'os.environ.get("DEBUG", "False") == "True"', False),
    Case('os-compare-set', OS, 'os.environ.get("DEBUG", "False") == "True"', True, {'DEBUG': 'True'}),
    Case('os-lower-in', OS, 'os.environ.get("DEBUG", "False").lower() in ("true", "1", "yes")', False),
    Case('os-lower-in-set', OS, 'os.environ.get("DEBUG", "False").lower() in ("true", "1", "yes")', True,
         {'DEBUG': 'TRUE'}),
    Case('os-or-fallback', OS, 'os.environ.get("SECRET_KEY", "") or "insecure"', 'insecure'),
    Case('os-split', OS, 'os.environ.get("ALLOWED_HOSTS", "a.com,b.com").split(",")', ['a.com', 'b.com']),
    Case('os-split-set', OS, 'os.environ.get("ALLOWED_HOSTS", "").split(",")', ['x', 'y'],
         {'ALLOWED_HOSTS': 'x,y'}),
    Case('os-split-empty', OS, 'os.environ.get("ALLOWED_HOSTS", "").split(",")', ['']),
    Case('os-default-arithmetic', OS, 'os.environ.get("HSTS", 60 * 60)', 3600),
    Case('os-int-set', OS, 'int(os.getenv("HSTS", "0"))', 31536000, {'HSTS': '31536000'}),
    # --- python-decouple: the default is cast too ------------------------------------
    Case('decouple-bool-false', DECOUPLE, 'config("DEBUG", default=False, cast=bool)', False),
    Case('decouple-bool-false-string', DECOUPLE, 'config("DEBUG", default="False", cast=bool)', False),
    Case('decouple-bool-true-string', DECOUPLE, 'config("DEBUG", default="True", cast=bool)', True),
    Case('decouple-bool-true', DECOUPLE, 'config("DEBUG", default=True, cast=bool)', True),
    Case('decouple-bool-empty', DECOUPLE, 'config("DEBUG", default="", cast=bool)', False),
    Case('decouple-bool-zero-string', DECOUPLE, 'config("DEBUG", default="0", cast=bool)', False),
    Case('decouple-bool-zero', DECOUPLE, 'config("DEBUG", default=0, cast=bool)', False),
    Case('decouple-bool-one', DECOUPLE, 'config("DEBUG", default=1, cast=bool)', True),
    Case('decouple-bool-none', DECOUPLE, 'config("DEBUG", default=None, cast=bool)', UNKNOWN),
    Case('decouple-bool-invalid', DECOUPLE, 'config("DEBUG", default="maybe", cast=bool)', UNKNOWN),
    Case('decouple-positional', DECOUPLE, 'config("DEBUG", "False", bool)', False),
    Case('decouple-required', DECOUPLE, 'config("DEBUG")', UNKNOWN),
    Case('decouple-required-cast', DECOUPLE, 'config("DEBUG", cast=bool)', UNKNOWN),
    Case('decouple-no-cast', DECOUPLE, 'config("DEBUG", default="False")', 'False'),
    Case('decouple-no-cast-truthy', DECOUPLE, 'bool(config("DEBUG", default="False"))', True),
    Case('decouple-none', DECOUPLE, 'config("SECRET_KEY", default=None)', None),
    Case('decouple-int-string', DECOUPLE, 'config("HSTS", default="0", cast=int)', 0),
    Case('decouple-int', DECOUPLE, 'config("HSTS", default=3600, cast=int)', 3600),
    Case('decouple-int-invalid', DECOUPLE, 'config("HSTS", default="1.5", cast=int)', UNKNOWN),
    Case('decouple-float', DECOUPLE, 'config("RATIO", default="1.5", cast=float)', 1.5),
    Case('decouple-str-none', DECOUPLE, 'config("KEY", default=None, cast=str)', 'None'),
    Case('decouple-csv', DECOUPLE, 'config("ALLOWED_HOSTS", default="a.com, b.com", cast=Csv())',
         ['a.com', 'b.com']),
    Case('decouple-csv-empty', DECOUPLE, 'config("ALLOWED_HOSTS", default="", cast=Csv())', []),
    Case('decouple-csv-none', DECOUPLE, 'config("ALLOWED_HOSTS", default=None, cast=Csv())', []),
    Case('decouple-csv-int', DECOUPLE, 'config("PORTS", default="1, 2", cast=Csv(cast=int))', [1, 2]),
    Case('decouple-csv-int-invalid', DECOUPLE, 'config("PORTS", default="1,x", cast=Csv(cast=int))', UNKNOWN),
    Case('decouple-csv-bool-trap', DECOUPLE, 'config("FLAGS", default="True,False", cast=Csv(cast=bool))',
         [True, True]),
    Case('decouple-csv-delimiter', DECOUPLE, 'config("HOSTS", default="a;b", cast=Csv(delimiter=";"))',
         ['a', 'b']),
    Case('decouple-csv-quotes', DECOUPLE, 'config("HOSTS", default=\'"a,b",c\', cast=Csv())', ['a,b', 'c']),
    Case('decouple-csv-strip', DECOUPLE, 'config("HOSTS", default="[a],[b]", cast=Csv(strip="[]"))',
         ['a', 'b']),
    Case('decouple-csv-set', DECOUPLE, 'config("HOSTS", default="", cast=Csv())', ['x', 'y'], {'HOSTS': 'x, y'}),
    # With --djsec-env: decouple's strtobool (lowercased, not stripped, 'ok' is invalid).
    *(
        Case('decouple-env-{0!r}'.format(raw), DECOUPLE, 'config("DEBUG", default=False, cast=bool)',
             expected, {'DEBUG': raw})
        for raw, expected in (
            ('yes', True), ('YES', True), ('on', True), ('t', True), ('1', True), ('TRUE', True),
            ('no', False), ('off', False), ('f', False), ('0', False), ('', False),
            ('ok', UNKNOWN), ('2', UNKNOWN), (' true', UNKNOWN), ('enabled', UNKNOWN),
        )
    ),
    Case('decouple-env-overrides', DECOUPLE, 'config("DEBUG", default=True, cast=bool)', False,
         {'DEBUG': 'False'}),
    Case('decouple-env-int', DECOUPLE, 'config("HSTS", default=0, cast=int)', 8, {'HSTS': '08'}),
    Case('decouple-env-required', DECOUPLE, 'config("SECRET_KEY")', 's3cr3t', {'SECRET_KEY': 's3cr3t'}),
    # --- django-environ: a default is returned UNCAST --------------------------------
    Case('environ-required', ENVIRON, 'env("DEBUG")', UNKNOWN),
    Case('environ-required-bool', ENVIRON, 'env.bool("DEBUG")', UNKNOWN),
    Case('environ-default', ENVIRON, 'env("DEBUG", default=False)', False),
    Case('environ-bool', ENVIRON, 'env.bool("DEBUG", default=False)', False),
    Case('environ-bool-positional', ENVIRON, 'env.bool("DEBUG", False)', False),
    Case('environ-bool-string-default', ENVIRON, 'env.bool("DEBUG", default="False")', 'False'),
    Case('environ-bool-string-default-truthy', ENVIRON, 'bool(env.bool("DEBUG", default="False"))', True),
    Case('environ-bool-int-default', ENVIRON, 'env.bool("DEBUG", default=0)', 0),
    Case('environ-bool-value-equals-default', ENVIRON, 'env.bool("DEBUG", default="False")', 'False',
         {'DEBUG': 'False'}),
    Case('environ-cast-default-uncast', ENVIRON, 'env("DEBUG", cast=bool, default="False")', 'False'),
    Case('environ-parse-default', ENVIRON, 'env("DEBUG", cast=bool, default="False", parse_default=True)',
         False),
    Case('environ-parse-default-positional', ENVIRON, 'env("DEBUG", bool, "True", True)', True),
    Case('environ-int', ENVIRON, 'env.int("HSTS", default=0)', 0),
    Case('environ-int-string-default', ENVIRON, 'env.int("HSTS", default="0")', '0'),
    Case('environ-int-set', ENVIRON, 'env.int("HSTS", default=0)', 3600, {'HSTS': '3600'}),
    Case('environ-int-invalid', ENVIRON, 'env.int("HSTS", default=0)', UNKNOWN, {'HSTS': '1.5'}),
    Case('environ-str', ENVIRON, 'env.str("SECRET_KEY", default="dev")', 'dev'),
    Case('environ-str-none', ENVIRON, 'env.str("SECRET_KEY", default=None)', None),
    Case('environ-str-none-empty', ENVIRON, 'env.str("SECRET_KEY", default=None)', None, {'SECRET_KEY': ''}),
    Case('environ-float', ENVIRON, 'env.float("RATIO", default=1.5)', 1.5),
    Case('environ-float-comma', ENVIRON, 'env.float("RATIO", default=0.0)', 1.5, {'RATIO': '1,5'}),
    Case('environ-float-thousands', ENVIRON, 'env.float("RATIO", default=0.0)', 1000.5, {'RATIO': '1.000,5'}),
    Case('environ-list-empty', ENVIRON, 'env.list("ALLOWED_HOSTS", default=[])', []),
    Case('environ-list-star', ENVIRON, 'env.list("ALLOWED_HOSTS", default=["*"])', ['*']),
    Case('environ-list-string-default', ENVIRON, 'env.list("ALLOWED_HOSTS", default="a,b")', 'a,b'),
    Case('environ-list-set', ENVIRON, 'env.list("ALLOWED_HOSTS", default=[])', ['a', 'b'],
         {'ALLOWED_HOSTS': 'a,b,'}),
    Case('environ-list-cast', ENVIRON, 'env.list("PORTS", cast=int, default=[])', [1, 2], {'PORTS': '1,2'}),
    Case('environ-list-required', ENVIRON, 'env.list("ALLOWED_HOSTS")', UNKNOWN),
    Case('environ-tuple', ENVIRON, 'env.tuple("HOSTS", default=())', ()),
    Case('environ-tuple-set', ENVIRON, 'env.tuple("HOSTS", default=())', ('a', 'b'), {'HOSTS': '(a,b)'}),
    Case('environ-tuple-cast', ENVIRON, 'env.tuple("PORTS", cast=int)', (1, 2), {'PORTS': '1,2'},
         xfail=_BUG_TUPLE_CAST),
    Case('environ-smart-cast-bool', ENVIRON, 'env("DEBUG", default=False)', True, {'DEBUG': 'ok'}),
    Case('environ-smart-cast-int', ENVIRON, 'env("PORT", default=8000)', 80, {'PORT': '80'}),
    Case('environ-smart-cast-str', ENVIRON, 'env("NAME", default="x")', '1', {'NAME': '1'}),
    Case('environ-no-cast-set', ENVIRON, 'env("NAME")', 'value', {'NAME': 'value'}),
    Case('environ-proxy', ENVIRON, 'env.bool("A", default=False)', True, {'A': '$B', 'B': 'on'}),
    # A default proxying to an unset variable recurses forever: the module cannot load.
    Case('environ-proxy-default', ENVIRON, 'env.str("A", default="$B")', UNKNOWN),
    Case('environ-proxy-default-set', ENVIRON, 'env.str("A", default="$B")', 'b', {'B': 'b'}),
    Case('environ-proxy-default-only-dollar', ENVIRON, 'env("A", default="$")', UNKNOWN),
    Case('environ-proxy-chain', ENVIRON, 'env("A", default="x")', 'c', {'A': '$$B', 'B': '$C', 'C': 'c'}),
    Case('environ-proxy-cycle', ENVIRON, 'env("A", default="x")', UNKNOWN, {'A': '$B', 'B': '$A'}),
    Case('environ-proxy-unset-target', ENVIRON, 'env("A", default="x")', 'x', {'A': '$B'}),
    # Env(...) schemes.
    Case('environ-scheme', _scheme('DEBUG=(bool, False)'), 'env("DEBUG")', False),
    Case('environ-scheme-bool-method', _scheme('DEBUG=(bool, False)'), 'env.bool("DEBUG")', False),
    Case('environ-scheme-set', _scheme('DEBUG=(bool, False)'), 'env("DEBUG")', True, {'DEBUG': 'ok'}),
    Case('environ-scheme-string-default', _scheme('DEBUG=(bool, "False")'), 'env("DEBUG")', 'False'),
    Case('environ-scheme-explicit-default', _scheme('DEBUG=(bool, True)'), 'env("DEBUG", default=False)', False),
    Case('environ-scheme-cast-only', _scheme('DEBUG=bool'), 'env("DEBUG")', UNKNOWN),
    Case('environ-scheme-cast-only-set', _scheme('DEBUG=bool'), 'env("DEBUG")', False, {'DEBUG': '0'}),
    Case('environ-scheme-list', _scheme('ALLOWED_HOSTS=(list, [])'), 'env("ALLOWED_HOSTS")', []),
    Case('environ-scheme-list-set', _scheme('ALLOWED_HOSTS=(list, [])'), 'env("ALLOWED_HOSTS")', ['a', 'b'],
         {'ALLOWED_HOSTS': 'a,b'}),
    Case('environ-from-import', 'from environ import Env\nenv = Env(DEBUG=(bool, True))\n', 'env("DEBUG")', True),
    # With --djsec-env: int() first, then ('true', 'on', 'ok', 'y', 'yes', '1') after strip().
    *(
        Case('environ-env-{0!r}'.format(raw), ENVIRON, 'env.bool("DEBUG", default=False)',
             expected, {'DEBUG': raw})
        for raw, expected in (
            ('yes', True), ('ok', True), ('on', True), ('y', True), (' TRUE ', True), ('1', True),
            ('2', True), ('-1', True), ('0', False), ('00', False), ('t', False), ('no', False),
            ('nonsense', False), ('', False),
        )
    ),
    # --- environs: the default is returned as written ----------------------------------
    Case('environs-bool', ENVIRONS, 'env.bool("DEBUG", False)', False),
    Case('environs-bool-string-default', ENVIRONS, 'env.bool("DEBUG", default="False")', 'False'),
    Case('environs-bool-required', ENVIRONS, 'env.bool("DEBUG")', UNKNOWN),
    Case('environs-call', ENVIRONS, 'env("NAME", "x")', 'x'),
    Case('environs-call-required', ENVIRONS, 'env("NAME")', UNKNOWN),
    Case('environs-call-set', ENVIRONS, 'env("NAME")', 'v', {'NAME': 'v'}),
    Case('environs-int', ENVIRONS, 'env.int("HSTS", 0)', 0),
    Case('environs-int-string-default', ENVIRONS, 'env.int("HSTS", "0")', '0'),
    Case('environs-int-set', ENVIRONS, 'env.int("HSTS", 0)', 3600, {'HSTS': '3600'}),
    Case('environs-int-invalid', ENVIRONS, 'env.int("HSTS", 0)', UNKNOWN, {'HSTS': 'x'}),
    Case('environs-str', ENVIRONS, 'env.str("SECRET_KEY", "dev")', 'dev'),
    Case('environs-str-set', ENVIRONS, 'env.str("SECRET_KEY")', 'v', {'SECRET_KEY': 'v'}),
    Case('environs-float', ENVIRONS, 'env.float("RATIO", 1.5)', 1.5),
    Case('environs-float-set', ENVIRONS, 'env.float("RATIO", 0.0)', 2.5, {'RATIO': '2.5'}),
    Case('environs-float-nan', ENVIRONS, 'env.float("RATIO", 0.0)', UNKNOWN, {'RATIO': 'nan'}, xfail=_BUG_NAN),
    Case('environs-list', ENVIRONS, 'env.list("HOSTS", [])', []),
    Case('environs-list-set', ENVIRONS, 'env.list("HOSTS", [])', ['a', 'b'], {'HOSTS': 'a,b'}),
    Case('environs-list-set-spaces', ENVIRONS, 'env.list("HOSTS")', ['a', ' b'], {'HOSTS': 'a, b'}),
    Case('environs-list-set-empty', ENVIRONS, 'env.list("HOSTS")', [], {'HOSTS': ''}),
    Case('environs-list-subcast', ENVIRONS, 'env.list("PORTS", subcast=int)', [1, 2], {'PORTS': '1,2'},
         xfail=_BUG_SUBCAST),
    Case('environs-list-delimiter', ENVIRONS, 'env.list("HOSTS", delimiter=";")', ['a', 'b'], {'HOSTS': 'a;b'},
         xfail=_BUG_DELIMITER),
    Case('environs-json', ENVIRONS, 'env.json("OPTIONS", {})', {}),
    Case('environs-json-set', ENVIRONS, 'env.json("OPTIONS", {})', {'a': 1}, {'OPTIONS': '{"a": 1}'}),
    Case('environs-json-invalid', ENVIRONS, 'env.json("OPTIONS", {})', UNKNOWN, {'OPTIONS': '{'}),
    Case('environs-import-module', 'import environs\nenv = environs.Env()\n', 'env.bool("DEBUG", True)', True),
    # With --djsec-env: marshmallow's case-sensitive truthy/falsy sets.
    *(
        Case('environs-env-{0!r}'.format(raw), ENVIRONS, 'env.bool("DEBUG", False)', expected, {'DEBUG': raw})
        for raw, expected in (
            ('yes', True), ('Yes', True), ('YES', True), ('t', True), ('T', True), ('on', True),
            ('1', True), ('TRUE', True), ('no', False), ('F', False), ('Off', False), ('0', False),
            ('ok', UNKNOWN), ('2', UNKNOWN), (' true', UNKNOWN), ('', UNKNOWN),
        )
    ),
    Case('environs-env-mixed-case', ENVIRONS, 'env.bool("DEBUG", False)', UNKNOWN, {'DEBUG': 'yEs'},
         xfail=_BUG_MARSHMALLOW_CASE),
    Case('environs-env-mixed-case-false', ENVIRONS, 'env.bool("DEBUG", True)', UNKNOWN, {'DEBUG': 'fAlSe'},
         xfail=_BUG_MARSHMALLOW_CASE),
)


def _params() -> list[object]:
    params: list[object] = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


@pytest.mark.parametrize('case', _params())
def test_lookup(case: Case) -> None:
    """A look-up evaluates as the library computes it (unknown where it raises)."""
    setting = evaluate(case.setup + 'VALUE = ' + case.expression + '\n', case.variables)['VALUE']
    if case.expected is UNKNOWN:
        assert not is_known(setting.value), setting.value
    else:
        assert same(setting.value, case.expected), setting.value


def test_case_ids_are_unique() -> None:
    """The cross-check script reports by id."""
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# --- origins ---------------------------------------------------------------------------

@pytest.mark.parametrize(('setup', 'expression'), [
    (OS, 'os.environ.get("DEBUG", True)'),
    (OS, 'os.getenv("DEBUG", True)'),
    (OS, 'os.environ.get("DEBUG", "False") == "False"'),
    (OS, 'os.environ.get("DEBUG", "true").lower() == "true"'),
    (OS, 'bool(int(os.environ.get("DEBUG", "1")))'),
    (OS, 'not os.environ.get("DEBUG", "")'),
    (DECOUPLE, 'config("DEBUG", default=True, cast=bool)'),
    (ENVIRON, 'env.bool("DEBUG", default=True)'),
    (_scheme('DEBUG=(bool, True)'), 'env("DEBUG")'),
    (ENVIRONS, 'env.bool("DEBUG", True)'),
])
def test_origin_of_default(setup: str, expression: str) -> None:
    """A value computed from a look-up's default says so, whatever the library."""
    setting = evaluate(setup + 'DEBUG = ' + expression + '\n')['DEBUG']
    assert setting.value is True
    assert setting.origin == 'default of environment variable DEBUG'


@pytest.mark.parametrize(('setup', 'expression'), [
    (OS, 'os.environ.get("DEBUG", "False")'),
    (OS, 'os.environ["DEBUG"]'),
    (DECOUPLE, 'config("DEBUG", default=False, cast=bool)'),
    (ENVIRON, 'env.bool("DEBUG", default=False)'),
    (ENVIRONS, 'env.bool("DEBUG", False)'),
])
def test_origin_of_set_variable(setup: str, expression: str) -> None:
    """A value read from a variable given with --djsec-env names the variable."""
    setting = evaluate(setup + 'DEBUG = ' + expression + '\n', {'DEBUG': '1'})['DEBUG']
    assert setting.value in {True, '1'}
    assert setting.origin == 'environment variable DEBUG'


def test_literal_has_no_origin() -> None:
    """A plain literal needs no explanation in the message."""
    assert evaluate('DEBUG = True\n')['DEBUG'].origin is None


def test_origin_follows_a_name() -> None:
    """Binding a look-up to a helper name and then a setting keeps the origin."""
    source = OS + '_debug = os.environ.get("DJANGO_DEBUG", "1") == "1"\nDEBUG = _debug\n'
    setting = evaluate(source)['DEBUG']
    assert setting.value is True
    assert setting.origin == 'default of environment variable DJANGO_DEBUG'


# --- import styles ----------------------------------------------------------------------

@pytest.mark.parametrize('source', [
    'import os\nDEBUG = os.environ.get("DEBUG", "yes")\n',
    'import os as o\nDEBUG = o.environ.get("DEBUG", "yes")\n',
    'from os import environ\nDEBUG = environ.get("DEBUG", "yes")\n',
    'from os import getenv\nDEBUG = getenv("DEBUG", "yes")\n',
    'from os import environ as e\nDEBUG = e.get("DEBUG", "yes")\n',
    'import decouple\nDEBUG = decouple.config("DEBUG", default="yes")\n',
    'from decouple import config as c\nDEBUG = c("DEBUG", default="yes")\n',
    'from decouple import AutoConfig\nconfig = AutoConfig(search_path="/srv")\nDEBUG = config("DEBUG", default="yes")\n',
    'import environ\nenv = environ.Env()\nenviron.Env.read_env(".env")\nDEBUG = env.str("DEBUG", default="yes")\n',
])
def test_import_styles(source: str) -> None:
    """Every spelling of the look-up functions is recognised."""
    assert evaluate(source)['DEBUG'].value == 'yes'


def test_autoconfig_casts_like_config() -> None:
    """An AutoConfig instance is python-decouple's config."""
    source = (
        'from decouple import AutoConfig, Csv\nconfig = AutoConfig()\n'
        'DEBUG = config("DEBUG", default="False", cast=bool)\n'
        'ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="a,b", cast=Csv())\n'
    )
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert settings['ALLOWED_HOSTS'].value == ['a', 'b']


def test_setdefault_is_seen_by_later_lookups() -> None:
    """os.environ.setdefault sets the variable for the rest of the module."""
    source = OS + 'os.environ.setdefault("DJANGO_ENV", "prod")\nENV = os.environ["DJANGO_ENV"]\n'
    assert evaluate(source)['ENV'].value == 'prod'


def test_setdefault_does_not_leak_into_caller_variables() -> None:
    """The variables mapping given by the option is never mutated."""
    variables: dict[str, str] = {}
    evaluate(OS + 'os.environ.setdefault("DJANGO_ENV", "prod")\n', variables)
    assert variables == {}


@pytest.mark.parametrize('setup', [
    'from environs import Env\nenv = Env()\nenv.read_env()\n',
    'import environ\nenv = environ.Env()\nenv.read_env(".env")\n',
])
def test_read_env_keeps_the_reader(setup: str) -> None:
    """Reading a .env file is the usual second line; look-ups after it still evaluate."""
    assert evaluate(setup + 'DEBUG = env.bool("DEBUG", True)\n')['DEBUG'].value is True


# --- the functions of environment.py directly -----------------------------------------

def test_os_lookup_direct() -> None:
    """Required, default and set."""
    assert environment.os_lookup({}, 'X', NO_DEFAULT).obj is UNKNOWN
    assert environment.os_lookup({}, 'X', Value('d')) == Value('d', 'default of environment variable X')
    assert environment.os_lookup({'X': 'v'}, 'X', Value('d')) == Value('v', 'environment variable X')


def test_decouple_lookup_direct() -> None:
    """decouple casts defaults, and Csv splits with shlex."""
    bool_cast = Symbol('builtins.bool')
    assert environment.decouple_lookup({}, 'X', Value('off'), bool_cast).obj is False
    assert environment.decouple_lookup({}, 'X', NO_DEFAULT, bool_cast).obj is UNKNOWN
    assert environment.decouple_lookup({}, 'X', Value('a, b'), CsvCast()).obj == ['a', 'b']
    assert environment.decouple_lookup({}, 'X', Value('5'), None).obj == '5'


def test_environ_lookup_direct() -> None:
    """django-environ returns a default uncast unless parse_default."""
    reader = EnvReader('environ')
    bool_cast = Symbol('builtins.bool')
    assert environment.environ_lookup(reader, {}, 'X', Value('False'), bool_cast).obj == 'False'
    assert environment.environ_lookup(reader, {}, 'X', Value('False'), bool_cast, parse_default=True).obj is False
    schemed = EnvReader('environ', {'X': (bool_cast, False)})
    assert environment.environ_lookup(schemed, {'X': 'ok'}, 'X', NO_DEFAULT, None).obj is True


def test_environs_lookup_direct() -> None:
    """environs returns a default as written and casts a set variable."""
    assert environment.environs_lookup({}, 'X', Value('False'), 'bool').obj == 'False'
    assert environment.environs_lookup({'X': 'on'}, 'X', NO_DEFAULT, 'bool').obj is True
    assert environment.environs_lookup({}, 'X', NO_DEFAULT, 'bool').obj is UNKNOWN


@pytest.mark.parametrize(('setup', 'expression'), [
    (OS, 'os.environ.get("DB_PASSWORD", "")'),
    (OS, 'os.environ["DB_PASSWORD"]'),
    (DECOUPLE, 'config("DB_PASSWORD", default="")'),
    (ENVIRON, 'env.str("DB_PASSWORD", default="")'),
    (ENVIRON, 'env("DB_PASSWORD")'),
    (ENVIRONS, 'env.str("DB_PASSWORD", "")'),
])
def test_string_in_a_container_keeps_its_variable(setup: str, expression: str) -> None:
    """A string a variable set keeps the variable's origin inside a dict (issue 14: DJS106)."""
    source = setup + 'DATABASES = {"default": {"PASSWORD": ' + expression + '}}\n'
    databases = evaluate(source, {'DB_PASSWORD': 'hunter2'})['DATABASES']
    password = databases.value['default']['PASSWORD']
    assert isinstance(password, Sourced)
    assert password == 'hunter2'
    assert password.origin == 'environment variable DB_PASSWORD'


def test_a_default_in_a_container_is_no_variable() -> None:
    """A look-up's default is written where the look-up is: a plain string."""
    source = OS + 'DATABASES = {"default": {"PASSWORD": os.environ.get("DB_PASSWORD", "pw")}}\n'
    password = evaluate(source)['DATABASES'].value['default']['PASSWORD']
    assert password == 'pw'
    assert not isinstance(password, Sourced)


def test_sourced_string_copies_and_compares_as_a_string() -> None:
    """Deep copies and pickles keep the origin; it equals the same text as a plain string does."""
    sourced = Sourced('hunter2', 'from DB_PASSWORD in .env')
    for copied in (copy.deepcopy(sourced), pickle.loads(pickle.dumps(sourced))):  # noqa: S301
        assert isinstance(copied, Sourced)
        assert copied == 'hunter2'
        assert copied.origin == 'from DB_PASSWORD in .env'
    assert same_value(sourced, 'hunter2')
    assert not same_value(Sourced('1', 'x'), 1)


@pytest.mark.parametrize(('variables', 'hosts', 'key'), [
    ({}, [], None),
    ({'ALLOWED_HOSTS': 'a.example.com,b.example.com', 'SECRET_KEY': 'k'}, ['a.example.com', 'b.example.com'], 'k'),
])
def test_copy_of_the_environment_is_the_environment(variables: dict[str, str], hosts: object, key: object) -> None:
    """``env = os.environ.copy()``: ``env.get``, ``env[...]`` and ``in env`` read the variables."""
    source = (
        OS + 'env = os.environ.copy()\nSECRET_KEY = env.get("SECRET_KEY")\n'
        'ALLOWED_HOSTS = []\nif "ALLOWED_HOSTS" in env:\n'
        '    ALLOWED_HOSTS = env["ALLOWED_HOSTS"].split(",")\n'
    )
    settings = evaluate(source, variables)
    assert same(settings['SECRET_KEY'].value, key)
    assert settings['ALLOWED_HOSTS'].value == hosts


@pytest.mark.parametrize('reader', ['Env', 'FileAwareEnv'])
def test_schema_spread_from_a_known_mapping(reader: str) -> None:
    """``environ.Env(A=..., **{...}, **SCHEMA)``: every entry of a known mapping is a scheme entry."""
    source = (
        'import environ\nSCHEMA = {"B": (bool, True)}\n'
        'env = environ.' + reader + '(A=(bool, False), **{"C": (int, 5)}, **SCHEMA)\n'
        'A = env("A")\nB = env("B")\nC = env("C")\n'
    )
    settings = evaluate(source)
    assert (settings['A'].value, settings['B'].value, settings['C'].value) == (False, True, 5)
    assert same(evaluate(source, {'C': '7'})['C'].value, 7)


def test_schema_spread_of_an_unknown_mapping_is_unknown() -> None:
    """A ``**mapping`` we cannot read may hold any entry: every look-up is unknown."""
    source = 'import environ\nenv = environ.Env(A=(bool, False), **load())\nA = env("A")\n'
    assert not is_known(evaluate(source)['A'].value)


def test_file_aware_reader_reads_the_file_a_variable_names() -> None:
    """``FileAwareEnv``: ``NAME_FILE`` set means NAME comes from that file (unknown)."""
    source = 'import environ\nenv = environ.FileAwareEnv()\nSECRET_KEY = env("SECRET_KEY", default="x")\n'
    assert evaluate(source)['SECRET_KEY'].value == 'x'
    assert not is_known(evaluate(source, {'SECRET_KEY_FILE': '/run/secrets/key'})['SECRET_KEY'].value)


@pytest.mark.parametrize('method', ['email_url', 'email'])
def test_email_url_into_the_module_writes_only_email_settings(method: str) -> None:
    """``vars().update(env.email_url(...))``: the EMAIL_* names are unknown, the rest is kept."""
    source = (
        ENVIRON + 'DEBUG = False\nEMAIL_HOST = "before"\n'
        'EMAIL_CONFIG = env.' + method + '("EMAIL_URL", default="smtp://user:pw@localhost:25")\n'
        'vars().update(EMAIL_CONFIG)\n'
    )
    settings = evaluate(source)
    assert settings['DEBUG'].value is False
    assert not is_known(settings['EMAIL_HOST'].value)
    assert not is_known(settings['EMAIL_HOST_PASSWORD'].value)
