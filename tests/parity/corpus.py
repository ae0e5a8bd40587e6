"""
Generated settings modules for the differential test against Django's own checks.

A module is a list of settings, each written in one of the forms real projects use: a
literal, a name bound earlier, an environment look-up with a default (``os.environ``,
``os.getenv``, django-environ, python-decouple), arithmetic, a value chosen on ``DEBUG``
or on ``'K' in os.environ``, a list comprehension over a look-up, a list built with ``+``/``append``/``insert``/``+=``, ``django.utils.csp.CSP`` constants
(Django 6.0+). Values include the traps Django's checks are strict about (``"False"``,
``1`` for ``True``, ``"deny"``, ``None``, empty strings, tuples, comma-separated policies)
and any setting may be missing.

``SPECS`` lists what is generated, one entry per setting a mirrored rule reads. A new
mirrored check slots in by adding a ``Spec`` (and, for a Django-version-specific setting,
``since``); the mapping to our codes comes from the violation classes, not from here.

Every environment variable a form reads is unset when the module runs (Django's side runs in
an empty environment; ours evaluates look-ups to their defaults), so the value a form
computes is the value drawn.
"""

from __future__ import annotations

import collections
import dataclasses
import random
from collections.abc import Callable, Sequence
from typing import Final

from hypothesis import strategies as st

Series = tuple[int, int]

SECURITY: Final = 'django.middleware.security.SecurityMiddleware'
SESSIONS: Final = 'django.contrib.sessions.middleware.SessionMiddleware'
CSRF: Final = 'django.middleware.csrf.CsrfViewMiddleware'
XFRAME: Final = 'django.middleware.clickjacking.XFrameOptionsMiddleware'
CSP_MIDDLEWARE: Final = 'django.middleware.csp.ContentSecurityPolicyMiddleware'
CSP_PROCESSOR: Final = 'django.template.context_processors.csp'
MIDDLEWARE_CHOICES: Final = (
    SECURITY,
    SESSIONS,
    'django.middleware.common.CommonMiddleware',
    CSRF,
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    XFRAME,
    CSP_MIDDLEWARE,
    'whitenoise.middleware.WhiteNoiseMiddleware',
)
APP_CHOICES: Final = (
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
    'shop',
)
REFERRER_POLICIES: Final = (
    'no-referrer',
    'no-referrer-when-downgrade',
    'origin',
    'origin-when-cross-origin',
    'same-origin',
    'strict-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
)
KEY_ALPHABET: Final = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'


@dataclasses.dataclass(frozen=True)
class Code:
    """Source text standing for a value (a constant the module imports), and that value."""

    text: str
    value: object

    def __repr__(self) -> str:
        """Render as the source text."""
        return self.text


CSP_SELF: Final = Code('CSP.SELF', "'self'")
CSP_NONCE: Final = Code('CSP.NONCE', '<CSP_NONCE_SENTINEL>')
CSP_NONE: Final = Code('CSP.NONE', "'none'")
CSP_UNSAFE_INLINE: Final = Code('CSP.UNSAFE_INLINE', "'unsafe-inline'")


def has_code(obj: object) -> bool:
    """Tell whether a value holds a ``Code`` (then only the literal form can write it)."""
    if isinstance(obj, Code):
        return True
    if isinstance(obj, dict):
        return any(has_code(key) or has_code(item) for key, item in obj.items())
    if isinstance(obj, (list, tuple)):
        return any(has_code(item) for item in obj)
    return False


# --- values ------------------------------------------------------------------------------
# A value chooser takes the generator (``random.Random``, seeded by hypothesis) and the series.

Chooser = Callable[[random.Random, Series], object]

FLAG_VALUES: Final = (True, False, True, False, 1, 0, 'True', 'False', '', None)


def flag(rng: random.Random, series: Series) -> object:
    """A boolean setting: Django compares most with ``is True`` and tests some for truth."""
    return rng.choice(FLAG_VALUES)


def _maybe_tuple(rng: random.Random, items: list[object]) -> object:
    return tuple(items) if rng.random() < 0.3 else items


def _text(rng: random.Random, alphabet: str, low: int, high: int) -> str:
    return ''.join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def key(rng: random.Random, series: Series = (4, 2)) -> str:
    """A secret key around Django's floors: 50 characters, 5 distinct, no insecure prefix."""
    kind = rng.randrange(5)
    if kind == 0:
        return _text(rng, KEY_ALPHABET, 0, 12)
    if kind == 1:
        return _text(rng, 'ab', 50, 60)  # long, too few distinct characters
    if kind == 2:
        return 'django-insecure-{0}'.format(_text(rng, KEY_ALPHABET, 50, 54))
    return _text(rng, KEY_ALPHABET, 46, 56)


def secret_key(rng: random.Random, series: Series) -> object:
    """A key, or a falsy value (Django's settings raise on any falsy key: W009)."""
    return rng.choice(('', None, 0, False, b'', [])) if rng.random() < 0.15 else key(rng)


def fallbacks(rng: random.Random, series: Series) -> object:
    return _maybe_tuple(rng, [key(rng) for _ in range(rng.randint(0, 3))])


def hosts(rng: random.Random, series: Series) -> object:
    choices = ('www.example.com', '.example.com', '*', '', 'localhost')
    return _maybe_tuple(rng, rng.sample(choices, rng.randint(0, 3)))


def middleware(rng: random.Random, series: Series) -> object:
    choices = [item for item in MIDDLEWARE_CHOICES if item != CSP_MIDDLEWARE or series >= (6, 0)]
    if rng.random() < 0.6:  # most of a real stack, one or two entries missing
        chosen = [item for item in choices if rng.random() > 0.12]
    else:
        chosen = rng.sample(choices, rng.randint(0, 4))
    return _maybe_tuple(rng, chosen)


def apps(rng: random.Random, series: Series) -> object:
    return _maybe_tuple(rng, rng.sample(APP_CHOICES, rng.randint(0, 5)))


def hsts_seconds(rng: random.Random, series: Series) -> object:
    return rng.choice((0, 31_536_000, 63_072_000, 3600, 1, None, '0', '31536000', ''))


def x_frame(rng: random.Random, series: Series) -> object:
    return rng.choice(('DENY', 'deny', 'SAMEORIGIN', '', None))


def referrer_policy(rng: random.Random, series: Series) -> object:
    invalid = ('same_origin', 'Same-Origin', 'none', '', 'same-origin ', 'unsafe')
    one = lambda: rng.choice(REFERRER_POLICIES) if rng.random() < 0.7 else rng.choice(invalid)  # noqa: E731
    kind = rng.randrange(7)
    if kind == 6:  # Django takes set() of anything but a string: bytes, dict keys, numbers
        return rng.choice((b'same-origin', {'same-origin': True}, {'bogus': 1}, [1], ('origin', 0)))
    if kind == 0:
        return rng.choice(REFERRER_POLICIES)
    if kind == 1:
        return rng.choice((*invalid, None))
    if kind == 2:
        return rng.choice((', ', ',', ' ,')).join(one() for _ in range(rng.randint(1, 3)))
    return _maybe_tuple(rng, [one() for _ in range(rng.randint(0, 3))])


def opener_policy(rng: random.Random, series: Series) -> object:
    return rng.choice((
        'same-origin', 'same-origin-allow-popups', 'unsafe-none', 'SAME-ORIGIN', '', None,
        'same-site', 'noopener-allow-popups',
    ))


def trusted_origins(rng: random.Random, series: Series) -> object:
    if rng.random() < 0.08:
        return 'https://www.example.com'  # a string: Django checks each character
    choices = (
        'https://www.example.com', 'https://*.example.com', 'http://localhost:8000',
        'www.example.com', '*.example.com', 'example.com:443',
    )
    return _maybe_tuple(rng, rng.sample(choices, rng.randint(0, 3)))


def csp_policy(rng: random.Random, series: Series) -> object:
    kind = rng.randrange(8)
    if kind == 0:
        return None
    if kind == 1:
        return "default-src 'self'"
    if kind == 2:
        return ['default-src', "'self'"]
    sources: list[object] = ["'self'", "'none'", 'https://cdn.example.com', "'unsafe-inline'"]
    if series >= (6, 0):
        sources.extend((CSP_SELF, CSP_NONCE, CSP_NONE, CSP_UNSAFE_INLINE))
    directives = rng.sample(('default-src', 'script-src', 'style-src', 'object-src'), rng.randint(0, 3))
    return {
        directive: rng.sample(sources, rng.randint(0, 3)) if rng.random() < 0.85 else rng.choice(sources)
        for directive in directives
    }


def templates(rng: random.Random, series: Series) -> object:
    processors = (
        'django.template.context_processors.request',
        'django.contrib.auth.context_processors.auth',
        CSP_PROCESSOR,
    )
    return [
        {
            'BACKEND': 'django.template.backends.django.DjangoTemplates',
            'DIRS': [],
            'APP_DIRS': True,
            'OPTIONS': {'context_processors': rng.sample(processors, rng.randint(0, 3))},
        }
        for _ in range(rng.randint(0, 2))
    ]


@dataclasses.dataclass(frozen=True)
class Spec:
    """A setting a mirrored rule reads, the values to try, the first series that knows it."""

    name: str
    values: Chooser
    since: Series = (4, 2)


#: Every setting that a rule mirroring a Django check reads (RULES.md, Django column).
SPECS: Final[tuple[Spec, ...]] = (
    Spec('DEBUG', flag),  # W018; written first, so that other settings may depend on it
    Spec('SECRET_KEY', secret_key),  # W009
    Spec('SECRET_KEY_FALLBACKS', fallbacks),  # W025
    Spec('ALLOWED_HOSTS', hosts),  # W020
    Spec('MIDDLEWARE', middleware),  # W001, W002, W003 and every middleware condition
    Spec('INSTALLED_APPS', apps),  # the session app condition of W010-W015
    Spec('SECURE_SSL_REDIRECT', flag),  # W008
    Spec('SECURE_HSTS_SECONDS', hsts_seconds),  # W004
    Spec('SECURE_HSTS_INCLUDE_SUBDOMAINS', flag),  # W005
    Spec('SECURE_HSTS_PRELOAD', flag),  # W021
    Spec('SESSION_COOKIE_SECURE', flag),  # W010-W012
    Spec('SESSION_COOKIE_HTTPONLY', flag),  # W013-W015
    Spec('CSRF_COOKIE_SECURE', flag),  # W016
    Spec('CSRF_USE_SESSIONS', flag),  # W016's condition
    Spec('X_FRAME_OPTIONS', x_frame),  # W019
    Spec('SECURE_CONTENT_TYPE_NOSNIFF', flag),  # W006
    Spec('SECURE_REFERRER_POLICY', referrer_policy),  # W022, E023
    Spec('SECURE_CROSS_ORIGIN_OPENER_POLICY', opener_policy),  # E024
    Spec('CSRF_TRUSTED_ORIGINS', trusted_origins),  # 4_0.E001
    Spec('SECURE_CSP', csp_policy),  # E026, W027 (6.0+; earlier series ignore the name)
    Spec('SECURE_CSP_REPORT_ONLY', csp_policy),  # E026, W027
    Spec('TEMPLATES', templates),  # W027's context processor (6.1+)
    Spec('SECURE_BROWSER_XSS_FILTER', flag),  # W007, gone: Django says nothing
)


# --- forms -------------------------------------------------------------------------------

#: Always written: a settings module assigns Django-only names (roles.py); this one is inert.
HEADER: Final = 'ROOT_URLCONF = "proj.urls"'
OS: Final = 'import os'
ENVIRON: Final = 'import environ\nenv = environ.Env()'
DECOUPLE: Final = 'from decouple import Csv, config'
CSP_IMPORT: Final = 'from django.utils.csp import CSP'


@dataclasses.dataclass
class Module:
    """A module being written: its imports, statements, and the DEBUG its branches see."""

    rng: random.Random
    imports: set[str] = dataclasses.field(default_factory=lambda: {OS})
    lines: list[str] = dataclasses.field(default_factory=lambda: [HEADER])
    debug: object = None
    has_debug: bool = False
    forms: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)

    def source(self) -> str:
        """Return the module's text."""
        return '\n'.join([*sorted(self.imports), '', *self.lines, ''])


#: A form writes the statements before the assignment and returns its right-hand side
#: ('' when it wrote the assignment itself), or None when it cannot give the value.
Form = Callable[[Module, str, object], 'str | None']


def _env_name(name: str) -> str:
    return 'DJANGO_{0}'.format(name)


def literal(module: Module, name: str, value: object) -> str:
    """The value as a literal (``CSP.NONCE`` and friends as the names they are)."""
    if has_code(value):
        module.imports.add(CSP_IMPORT)
    return repr(value)


def helper(module: Module, name: str, value: object) -> str:
    """A name bound earlier: ``_secure_hsts_seconds = ...``, then ``NAME = _secure_...``."""
    local = '_{0}'.format(name.lower())
    module.lines.append('{0} = {1}'.format(local, literal(module, name, value)))
    return local


_OTHERS: Final = (True, False, None, '', 'SAMEORIGIN', 0, 1, 3600, [], ['*'])


def on_debug(module: Module, name: str, value: object) -> str | None:
    """``a if DEBUG else b`` (or ``if not DEBUG``); the module's DEBUG picks the value."""
    if not module.has_debug or name == 'DEBUG':
        return None
    taken = literal(module, name, value)
    spare = literal(module, name, module.rng.choice(_OTHERS))
    debug = bool(module.debug)
    if module.rng.random() < 0.5:
        return '{0} if DEBUG else {1}'.format(*((taken, spare) if debug else (spare, taken)))
    return '{0} if not DEBUG else {1}'.format(*((spare, taken) if debug else (taken, spare)))


def on_debug_statement(module: Module, name: str, value: object) -> str | None:
    """An ``if DEBUG:`` / ``else:`` statement; the module's DEBUG takes one branch."""
    if not module.has_debug or name == 'DEBUG':
        return None
    other = module.rng.choice(_OTHERS)
    first, second = (value, other) if module.debug else (other, value)
    module.lines.extend((
        'if DEBUG:',
        '    {0} = {1}'.format(name, literal(module, name, first)),
        'else:',
        '    {0} = {1}'.format(name, literal(module, name, second)),
    ))
    return ''


def environment(module: Module, name: str, value: object) -> str | None:
    """An environment look-up whose default (or absence: ``None``) is the value."""
    key_name = _env_name(name)
    if value is None:
        choices = ['os.environ.get({0!r})'.format(key_name), 'os.getenv({0!r})'.format(key_name)]
    elif isinstance(value, bool):
        choices = _bool_lookups(module.rng, key_name, value)
    elif isinstance(value, int):
        choices = _int_lookups(key_name, value)
    elif isinstance(value, str):
        choices = _str_lookups(key_name, value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        choices = _list_lookups(key_name, value)
    else:
        return None
    chosen = module.rng.choice(choices)
    if 'env.' in chosen or 'env(' in chosen:
        module.imports.add(ENVIRON)
    if 'config(' in chosen:
        module.imports.add(DECOUPLE)
    return chosen


def _bool_lookups(rng: random.Random, key_name: str, value: bool) -> list[str]:
    text = 'True' if value else rng.choice(('False', 'false', '0', 'no', ''))
    return [
        'os.environ.get({0!r}, {1!r}) == "True"'.format(key_name, text),
        'os.getenv({0!r}, {1!r}).lower() in ("true", "1", "yes")'.format(key_name, text.lower()),
        'env.bool({0!r}, default={1!r})'.format(key_name, value),
        'config({0!r}, default={1!r}, cast=bool)'.format(key_name, value),
        'config({0!r}, default={1!r}, cast=bool)'.format(key_name, str(value)),
    ]


def _int_lookups(key_name: str, value: int) -> list[str]:
    return [
        'int(os.environ.get({0!r}, {1!r}))'.format(key_name, str(value)),
        'int(os.getenv({0!r}, {1}))'.format(key_name, value),
        'env.int({0!r}, default={1!r})'.format(key_name, value),
        'config({0!r}, default={1!r}, cast=int)'.format(key_name, value),
        _arithmetic(value),
    ]


def _str_lookups(key_name: str, value: str) -> list[str]:
    lookups = [
        'os.environ.get({0!r}, {1!r})'.format(key_name, value),
        'os.getenv({0!r}, {1!r})'.format(key_name, value),
        'config({0!r}, default={1!r})'.format(key_name, value),
    ]
    if not value.startswith('$'):  # django-environ proxies '$NAME': unset, the module cannot load
        lookups.extend((
            'env({0!r}, default={1!r})'.format(key_name, value),
            'env.str({0!r}, default={1!r})'.format(key_name, value),
        ))
    return lookups


def _list_lookups(key_name: str, value: list[str]) -> list[str]:
    lookups = ['env.list({0!r}, default={1!r})'.format(key_name, value)]
    if value and all(item and ',' not in item for item in value):
        lookups.append('os.environ.get({0!r}, {1!r}).split(",")'.format(key_name, ','.join(value)))
    if all(item and not set(item) & set(',\'" ') for item in value):
        lookups.append('config({0!r}, default={1!r}, cast=Csv())'.format(key_name, ', '.join(value)))
    return lookups


def _arithmetic(value: int) -> str:
    if value == 31_536_000:
        return '60 * 60 * 24 * 365'
    for factor in (3600, 60, 2):
        if value and value % factor == 0:
            return '{0} * {1}'.format(value // factor, factor)
    return '{0} + 1 - 1'.format(value)


def comprehension(module: Module, name: str, value: object) -> str | None:
    """``[item.strip() for item in os.environ.get(K, "a, b").split(",") if item.strip()]``."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    if not all(item and item == item.strip() and ',' not in item for item in value):
        return None
    return '[item.strip() for item in os.environ.get({0!r}, {1!r}).split(",") if item.strip()]'.format(
        _env_name(name), ', '.join(value),
    )


def in_environ(module: Module, name: str, value: object) -> str:
    """``os.environ[K] if K in os.environ else value``: the variable is unset."""
    key_name = _env_name(name)
    if module.rng.random() < 0.5:
        return 'os.environ[{0!r}] if {0!r} in os.environ else {1}'.format(key_name, literal(module, name, value))
    return '{1} if {0!r} not in os.environ else os.environ[{0!r}]'.format(key_name, literal(module, name, value))


def building(module: Module, name: str, value: object) -> str | None:
    """A list or tuple built in steps: ``+``, ``+=``, ``append``, ``insert``."""
    if not isinstance(value, (list, tuple)) or not value or has_code(value):
        return None
    items = list(value)
    cut = module.rng.randint(0, len(items))
    head, tail = items[:cut], items[cut:]
    if isinstance(value, tuple):
        return '{0!r} + {1!r}'.format(tuple(head), tuple(tail))
    style = module.rng.choice(('plus', 'iadd', 'append', 'insert'))
    if style == 'plus':
        return '{0!r} + {1!r}'.format(head, tail)
    if style == 'insert':
        module.lines.append('{0} = {1!r}'.format(name, tail))
        module.lines.extend(
            '{0}.insert({1}, {2!r})'.format(name, index, item) for index, item in enumerate(head)
        )
    else:
        module.lines.append('{0} = {1!r}'.format(name, head))
        if style == 'iadd':
            module.lines.append('{0} += {1!r}'.format(name, tail))
        else:
            module.lines.extend('{0}.append({1!r})'.format(name, item) for item in tail)
    return ''


#: Every form, with its weight.
FORMS: Final[dict[str, tuple[Form, int]]] = {
    'literal': (literal, 3),
    'helper': (helper, 1),
    'environment': (environment, 3),
    'building': (building, 2),
    'comprehension': (comprehension, 1),
    'in_environ': (in_environ, 1),
    'on_debug': (on_debug, 1),
    'on_debug_statement': (on_debug_statement, 1),
}


def write_setting(module: Module, name: str, value: object) -> None:
    """Append statements that give ``name`` the value, in a form drawn among those that fit."""
    names = list(FORMS)
    weights = [FORMS[form][1] for form in names]
    while names:
        form = module.rng.choices(names, weights)[0]
        expression = FORMS[form][0](module, name, value)
        if expression is not None:
            if expression:
                module.lines.append('{0} = {1}'.format(name, expression))
            module.forms[form] += 1
            return
        index = names.index(form)
        del names[index], weights[index]
    raise AssertionError('the literal form always fits')


def settings_module(rng: random.Random, series: Series, specs: Sequence[Spec] = SPECS) -> Module:
    """Write one settings module for a Django series; each setting is missing one time in four."""
    module = Module(rng)
    chosen = [spec for spec in specs if series >= spec.since and rng.random() < 0.75]
    rest = [spec for spec in chosen if spec.name != 'DEBUG']
    rng.shuffle(rest)
    for spec in [*(spec for spec in chosen if spec.name == 'DEBUG'), *rest]:
        value = spec.values(rng, series)
        write_setting(module, spec.name, value)
        if spec.name == 'DEBUG':
            module.debug, module.has_debug = value, True
    return module


def modules(series: Series) -> st.SearchStrategy[Module]:
    """
    The hypothesis strategy of settings modules for a series.

    Hypothesis draws one seeded generator per module and the module is written from it:
    drawing each choice through hypothesis costs about 1 ms a draw (some 100 draws a
    module), too slow for thousands of modules per series. The seed is salted with the
    series, so that each series judges a corpus of its own.
    """
    return st.randoms(use_true_random=True).map(
        lambda rng: settings_module(random.Random('{0}/{1}'.format(series, rng.random())), series),
    )
