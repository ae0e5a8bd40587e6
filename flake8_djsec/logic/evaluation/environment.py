"""
Environment look-ups, each with its library's own casting rules.

Every function answers: what does this look-up return in an environment where
only ``variables`` are set?  A look-up that has no default and whose variable
is unset is *required*: its value is unknown, which is the secure pattern.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
import string
import types
from collections.abc import Callable, Mapping
from typing import Final, final

from flake8_djsec.logic.evaluation.values import (
    UNKNOWN,
    UNKNOWN_VALUE,
    Sourced,
    Symbol,
    Value,
)


@final
@dataclasses.dataclass(frozen=True)
class CsvCast:
    """python-decouple's ``Csv(cast=..., delimiter=..., strip=...)``."""

    item_cast: object = Symbol('builtins.str')
    delimiter: str = ','
    strip: str = string.whitespace


@final
@dataclasses.dataclass(frozen=True)
class EnvReader:
    """An environment reader object: django-environ's or environs' ``Env``."""

    library: str  # 'environ' (django-environ) or 'environs'
    scheme: Mapping[str, object] = dataclasses.field(default_factory=dict)
    #: django-environ's ``FileAwareEnv``: ``NAME_FILE`` set means NAME is read from that file.
    file_aware: bool = False


#: Marks a look-up written without a default.
NO_DEFAULT: Final = Value(Symbol('<no default>'))

_DECOUPLE_TRUE: Final = frozenset(('y', 'yes', 't', 'true', 'on', '1'))
_DECOUPLE_FALSE: Final = frozenset(('n', 'no', 'f', 'false', 'off', '0'))
_ENVIRON_TRUE: Final = frozenset(('true', 'on', 'ok', 'y', 'yes', '1'))
_ENVIRONS_TRUE: Final = frozenset(('t', 'true', 'on', 'y', 'yes', '1'))
_ENVIRONS_FALSE: Final = frozenset(('f', 'false', 'off', 'n', 'no', '0'))


#: How an origin starts for a variable given on the command line (``--djsec-env``).
_GIVEN: Final = 'environment variable '


#: How an origin starts for a look-up's default.
_DEFAULT: Final = 'default of environment variable '


def default_origin(name: str) -> str:
    """Describe a value taken from a look-up's default."""
    return '{0}{1}'.format(_DEFAULT, name)


def set_origin(name: str, variables: Mapping[str, str] | None = None) -> str:
    """Describe a value taken from a variable: its file when a deployment file set it."""
    origins = getattr(variables, 'origins', None)
    if isinstance(origins, dict) and name in origins:
        return str(origins[name])
    return '{0}{1}'.format(_GIVEN, name)


def looked_up(obj: object, origin: str) -> Value:
    """
    A look-up's result: a string a variable set keeps its origin (see ``Sourced``).

    A default is written where the look-up is; only what a variable set is marked.
    """
    if isinstance(obj, str) and not origin.startswith(_DEFAULT):
        return Value(Sourced(obj, origin), origin)
    return Value(obj, origin)


def given_outside_repository(origin: str | None) -> bool:
    """Tell whether a value came from a variable given with ``--djsec-env`` (not the source)."""
    return origin is not None and origin.startswith(_GIVEN)


def os_lookup(
    variables: Mapping[str, str],
    name: str,
    default: Value,
) -> Value:
    """``os.environ.get(name, default)`` and ``os.getenv(name, default)``."""
    given = _given(variables, name, default)
    return UNKNOWN_VALUE if given is None else looked_up(*given)


def decouple_lookup(
    variables: Mapping[str, str],
    name: str,
    default: Value,
    cast: object,
) -> Value:
    """python-decouple's ``config(name, default=..., cast=...)``: casts the default too."""
    given = _given(variables, name, default)
    if given is None:
        return UNKNOWN_VALUE
    raw, origin = given
    return looked_up(_decouple_cast(raw, cast), origin)


def environ_lookup(  # noqa: WPS211 - mirrors django-environ's signature
    reader: EnvReader,
    variables: Mapping[str, str],
    name: str,
    default: Value,
    cast: object,
    parse_default: bool = False,
) -> Value:
    """django-environ's ``env(...)``: a default is returned uncast."""
    default, cast = _apply_scheme(reader.scheme.get(name), default, cast)
    given = _proxied(variables, _given(variables, name, default), default)
    if given is None:
        return UNKNOWN_VALUE
    raw, origin = given
    if default is NO_DEFAULT:
        return looked_up(_environ_cast(raw, cast), origin)
    if cast is None:
        cast = _smart_cast(default.obj)
    if default.obj is None and raw == '':
        raw = None
    if _equal(raw, default.obj) and not (parse_default and raw is not None):
        return looked_up(raw, origin)
    return looked_up(_environ_cast(raw, cast), origin)


def environs_lookup(
    variables: Mapping[str, str],
    name: str,
    default: Value,
    method: str,
) -> Value:
    """environs' ``env.<method>(name, default)``: a default is returned as written."""
    given = variables.get(name)
    if given is not None:
        return looked_up(_environs_cast(given, method), set_origin(name, variables))
    if default is NO_DEFAULT:
        return UNKNOWN_VALUE
    return Value(default.obj, default_origin(name))


def _given(
    variables: Mapping[str, str],
    name: str,
    default: Value,
) -> tuple[object, str] | None:
    """Return a variable's value and origin, else its default's; None when it is required."""
    given = variables.get(name)
    if given is not None:
        return given, set_origin(name, variables)
    if default is NO_DEFAULT:
        return None
    return default.obj, default_origin(name)


def _proxied(
    variables: Mapping[str, str],
    given: tuple[object, str] | None,
    default: Value,
) -> tuple[object, str] | None:
    """
    Follow django-environ's proxies: a value (or default) ``'$NAME'`` reads ``NAME``.

    ``NAME`` unset falls back to the same default, so a default that proxies to an unset
    variable recurses until Python gives up: the module does not load (None, like a
    required variable that is unset).
    """
    seen: set[str] = set()
    while given is not None and isinstance(given[0], str) and given[0].startswith('$'):
        target = given[0].lstrip('$')
        if target in seen:
            return None
        seen.add(target)
        given = _given(variables, target, default)
    return given


def _apply_scheme(scheme: object, default: Value, cast: object) -> tuple[Value, object]:
    """Apply an ``environ.Env(NAME=(cast, default))`` or ``NAME=cast`` scheme entry."""
    if isinstance(scheme, tuple) and len(scheme) == 2:
        scheme_default = Value(scheme[1]) if default is NO_DEFAULT else default
        return scheme_default, scheme[0] if cast is None else cast
    if scheme is not None and cast is None:
        return default, scheme
    return default, cast


def _equal(left: object, right: object) -> bool:
    try:
        return bool(left == right)
    except Exception:  # exotic objects
        return False


def _smart_cast(default: object) -> object:
    if default is None or not isinstance(default, (bool, int, float, str, list, tuple, dict)):
        return None
    return Symbol('builtins.{0}'.format(type(default).__name__))


def _builtin(cast: object) -> str | None:
    if isinstance(cast, Symbol) and cast.qualname.startswith('builtins.'):
        return cast.qualname.split('.', 1)[1]
    return None


def _plain_cast(raw: object, cast: object) -> object:
    """Apply ``bool``, ``int``, ``str``, ``float`` exactly as Python would."""
    name = _builtin(cast)
    converters: dict[str, Callable[[object], object]] = {
        'bool': bool,
        'str': str,
        'int': _to_int,
        'float': _to_float,
    }
    converter = converters.get(name or '')
    if converter is None:
        return UNKNOWN
    try:
        return converter(raw)
    except (TypeError, ValueError, OverflowError):
        return UNKNOWN


def _to_int(raw: object) -> object:
    if isinstance(raw, (str, bytes, bytearray, int, float)):
        return int(raw)
    return UNKNOWN


def _to_float(raw: object) -> object:
    if isinstance(raw, (str, bytes, bytearray, int, float)):
        return float(raw)
    return UNKNOWN


def _decouple_cast(raw: object, cast: object) -> object:
    if cast is None:
        return raw
    if isinstance(cast, CsvCast):
        return _decouple_csv(raw, cast)
    if _builtin(cast) == 'bool':
        return _decouple_bool(str(raw))
    return _plain_cast(raw, cast)


def _decouple_bool(text: str) -> object:
    if text == '':
        return False
    return _boolean_word(text, _DECOUPLE_TRUE, _DECOUPLE_FALSE)


def _boolean_word(text: str, truthy: frozenset[str], falsy: frozenset[str]) -> object:
    """Read a boolean word case-insensitively; UNKNOWN for any other word."""
    lowered = text.lower()
    if lowered in truthy:
        return True
    if lowered in falsy:
        return False
    return UNKNOWN  # the library raises ValueError: the project would not start


def _decouple_csv(raw: object, cast: CsvCast) -> object:
    if raw is None:
        return []
    if not isinstance(raw, str):
        return UNKNOWN
    splitter = shlex.shlex(raw, posix=True)
    splitter.whitespace = cast.delimiter
    splitter.whitespace_split = True
    try:
        items = [item.strip(cast.strip) for item in splitter]
    except ValueError:
        return UNKNOWN
    if _builtin(cast.item_cast) == 'str':
        return items
    return [_plain_cast(item, cast.item_cast) for item in items]


def _environ_cast(raw: object, cast: object) -> object:  # noqa: C901, WPS212, WPS231
    if cast is None:
        return raw
    if not isinstance(raw, str):
        # django-environ only parses strings; anything else is an odd default.
        return raw if _builtin(cast) is None else _plain_cast(raw, cast)
    name = _builtin(cast)
    if isinstance(cast, list) and cast:
        return [_plain_cast(item, cast[0]) for item in raw.split(',') if item]
    if name == 'bool':
        try:
            return int(raw) != 0
        except ValueError:
            return raw.lower().strip() in _ENVIRON_TRUE
    if name == 'list':
        return [item for item in raw.split(',') if item]
    if name == 'tuple':
        return tuple(item for item in raw.strip('(').strip(')').split(',') if item)
    if name == 'float':
        return _environ_float(raw)
    if name in {'int', 'str'}:
        return _plain_cast(raw, cast)
    return UNKNOWN


def _environ_float(raw: str) -> object:
    cleaned = re.sub(r'[^\d,.-]', '', raw)
    parts = re.split('[,.]', cleaned)
    if len(parts) > 1:
        cleaned = '{0}.{1}'.format(''.join(parts[:-1]), parts[-1])
    try:
        return float(cleaned)
    except ValueError:
        return UNKNOWN


def _environs_cast(raw: str, method: str) -> object:  # noqa: WPS212
    if method in {'str', '__call__'}:
        return raw
    if method == 'bool':
        return _boolean_word(raw, _ENVIRONS_TRUE, _ENVIRONS_FALSE)
    if method == 'list':
        return raw.split(',') if raw else []
    if method in {'int', 'float'}:
        return _plain_cast(raw, Symbol('builtins.{0}'.format(method)))
    if method == 'json':
        try:
            return json.loads(raw)
        except ValueError:
            return UNKNOWN
    return UNKNOWN


#: django-environ reader methods and the cast each applies.
ENVIRON_METHOD_CASTS: Final[Mapping[str, object]] = types.MappingProxyType({
    'str': Symbol('builtins.str'),
    'bool': Symbol('builtins.bool'),
    'int': Symbol('builtins.int'),
    'float': Symbol('builtins.float'),
    'list': Symbol('builtins.list'),
    'tuple': Symbol('builtins.tuple'),
})

#: environs reader methods whose results we model.
ENVIRONS_METHODS: Final = frozenset(('str', 'bool', 'int', 'float', 'list', 'json'))
