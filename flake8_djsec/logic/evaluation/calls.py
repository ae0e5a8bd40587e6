"""Calls a settings module makes: builtins, string methods, environment look-ups."""

from __future__ import annotations

import ast
import re
import sys
import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from flake8_djsec.logic.evaluation import configurations, environment
from flake8_djsec.logic.evaluation.namespace import Function, ModuleRef
from flake8_djsec.logic.evaluation.values import (
    UNKNOWN_VALUE,
    KeyedUnknown,
    OptionalPattern,
    Sourced,
    Symbol,
    Value,
    is_data,
    truth,
)

if TYPE_CHECKING:
    from flake8_djsec.logic.evaluation.expressions import ExpressionEvaluator

_MAX_RESULT: Final = 100_000
_WIDE_FORMAT: Final = re.compile(r'\d{4,}')
#: A replacement field nested in another (``{:>{}}``): its width comes from the arguments.
_NESTED_FIELD: Final = re.compile(r'\{[^{}]*\{')

#: Pure methods of str, list, tuple and dict that we run on known values.
_MethodNames = frozenset[str]
_Factory = Callable[[], object]
_Converter = Callable[[Any], object]

_PURE_METHODS: Final[Mapping[type, _MethodNames]] = types.MappingProxyType({
    str: frozenset((
        'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit', 'startswith',
        'endswith', 'replace', 'casefold', 'title', 'capitalize', 'join', 'format',
        'splitlines', 'removeprefix', 'removesuffix', 'isdigit', 'isnumeric', 'count',
        'find', 'partition', 'rpartition', 'encode',
    )),
    bytes: frozenset(('decode', 'lower', 'upper', 'strip')),
    list: frozenset(('copy', 'index', 'count')),
    tuple: frozenset(('index', 'count')),
    dict: frozenset(('get', 'copy', 'keys', 'values', 'items')),
})

#: Builtins called with no argument: each returns its empty (or zero) value.
_EMPTY_CALLS: Final[Mapping[str, _Factory]] = types.MappingProxyType({
    'bool': bool, 'int': int, 'str': str, 'float': float, 'list': list,
    'tuple': tuple, 'dict': dict, 'set': set, 'frozenset': frozenset,
})

#: Builtins run on one known argument.
_CONVERTERS: Final[Mapping[str, _Converter]] = types.MappingProxyType({
    'int': int, 'str': str, 'float': float, 'list': list, 'tuple': tuple,
    'set': set, 'frozenset': frozenset, 'len': len, 'sorted': sorted,
    'min': min, 'max': max, 'abs': abs, 'any': any, 'all': all, 'sum': sum,
    'dict': dict, 'repr': repr,
})

_OS_LOOKUPS: Final = frozenset(('os.environ.get', 'os.getenv'))
#: The keys django-environ's ``email_url()`` may return (``Env.email_url_config``).
_EMAIL_URL_KEYS: Final = frozenset((
    'EMAIL_FILE_PATH', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_HOST', 'EMAIL_PORT',
    'EMAIL_BACKEND', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'OPTIONS',
))


_Argument = ast.expr | Value


class _Arguments:
    """A call's arguments, evaluated lazily by position or keyword."""

    def __init__(self, evaluator: ExpressionEvaluator, node: ast.Call, depth: int) -> None:
        self._evaluator = evaluator
        self._node = node
        self._depth = depth
        self._args: list[_Argument] = list(node.args)
        self._keywords: list[tuple[str, _Argument]] = [
            (keyword.arg, keyword.value) for keyword in node.keywords if keyword.arg is not None
        ]
        starred = any(isinstance(arg, ast.Starred) for arg in node.args)
        self.valid = not starred and all(keyword.arg is not None for keyword in node.keywords)

    def spread(self) -> bool:
        """
        Expand ``*items`` and ``**mapping`` whose values are known, in order; False if one is not.

        ``environ.Env(A=(bool, False), **SCHEMA)`` with ``SCHEMA`` a known dict.
        """
        args = _spread_args(self._evaluator, self._node, self._depth)
        keywords = _spread_keywords(self._evaluator, self._node, self._depth)
        if args is None or keywords is None:
            return False
        self._args = args
        self._keywords = keywords
        self.valid = True
        return True

    def get(self, position: int, keyword: str) -> Value:
        """Return the argument at ``position`` or named ``keyword``, else environment.NO_DEFAULT."""
        for name, candidate in self._keywords:
            if name == keyword:
                return self._value(candidate)
        if 0 <= position < len(self._args):
            return self._value(self._args[position])
        return environment.NO_DEFAULT

    def positional(self) -> list[Value]:
        """Evaluate every positional argument."""
        return [self._value(arg) for arg in self._args]

    def evaluated(self) -> list[Value]:
        """Every argument (a ``*spread`` or ``**spread`` one included), evaluated."""
        nodes = [
            arg.value if isinstance(arg, ast.Starred) else arg for arg in self._node.args
        ]
        nodes.extend(keyword.value for keyword in self._node.keywords)
        return [self._evaluator.evaluate(node, self._depth) for node in nodes]

    def keywords(self) -> dict[str, Value]:
        """Evaluate every keyword argument (a later one of the same name wins, as Python raises)."""
        return {name: self._value(argument) for name, argument in self._keywords}

    def _value(self, argument: _Argument) -> Value:
        if isinstance(argument, Value):
            return argument
        return self._evaluator.evaluate(argument, self._depth)


def _spread_args(
    evaluator: ExpressionEvaluator, node: ast.Call, depth: int,
) -> list[_Argument] | None:
    args: list[_Argument] = []
    for arg in node.args:
        if not isinstance(arg, ast.Starred):
            args.append(arg)
            continue
        items = evaluator.evaluate(arg.value, depth)
        if not isinstance(items.obj, (list, tuple)):
            return None
        args.extend(Value(item, items.origin) for item in items.obj)
    return args


def _spread_keywords(
    evaluator: ExpressionEvaluator, node: ast.Call, depth: int,
) -> list[tuple[str, _Argument]] | None:
    keywords: list[tuple[str, _Argument]] = []
    for keyword in node.keywords:
        if keyword.arg is not None:
            keywords.append((keyword.arg, keyword.value))
            continue
        mapping = evaluator.evaluate(keyword.value, depth).obj
        if not isinstance(mapping, dict) or not all(isinstance(key, str) for key in mapping):
            return None
        keywords.extend((str(key), Value(item)) for key, item in mapping.items())
    return keywords


def required_lookup(variables: Mapping[str, str], name: str) -> Value:
    """``os.environ[name]``: the variable's value, or unknown when unset."""
    return environment.os_lookup(variables, name, environment.NO_DEFAULT)


def evaluate_call(evaluator: ExpressionEvaluator, node: ast.Call, depth: int) -> Value:
    """Return the value of a call, or UNKNOWN for anything not modelled."""
    arguments = _Arguments(evaluator, node, depth)
    if not arguments.valid:
        return _spread_call(evaluator, node, arguments)
    reference = _module_reference(evaluator, node)
    if reference is not None:
        return reference
    if isinstance(node.func, ast.Attribute):
        called_on = _attribute_call(evaluator, node, node.func, arguments, depth)
        if called_on is not None:
            return called_on
    function = evaluator.evaluate(node.func, depth)
    if isinstance(function.obj, Function):
        return evaluator.call_function(function.obj, node, depth)
    called = _callable_call(evaluator, function, arguments)
    if called is UNKNOWN_VALUE and not _harmless(function.obj):
        _hand_over(evaluator, arguments)  # ``Exporter.load(__name__)``, ``load(globals())``
    return called


def _attribute_call(
    evaluator: ExpressionEvaluator,
    node: ast.Call,
    function: ast.Attribute,
    arguments: _Arguments,
    depth: int,
) -> Value | None:
    """``receiver.method(...)`` of a reader, a module, a class or a value; None for a symbol."""
    receiver = evaluator.evaluate(function.value, depth)
    if isinstance(receiver.obj, environment.EnvReader):
        return _reader_call(evaluator, receiver.obj, function.attr, arguments)
    if isinstance(receiver.obj, ModuleRef):
        return _module_method(evaluator, receiver.obj, function.attr, arguments)
    if isinstance(receiver.obj, configurations.ClassValue):
        method = evaluator.evaluate(function, depth).obj
        if isinstance(method, Function):  # ``Setup.settings(A, B)``: a ``@staticmethod``
            return evaluator.call_function(method, node, depth)
    if isinstance(receiver.obj, Symbol):
        return None
    if not is_data(receiver.obj):
        _hand_over(evaluator, arguments)  # a method of an object we cannot follow
    return _method_call(receiver, function.attr, arguments)


def _spread_call(evaluator: ExpressionEvaluator, node: ast.Call, arguments: _Arguments) -> Value:
    """A library call with ``*``/``**`` arguments: modelled when the spreads are known."""
    function = evaluator.evaluate(node.func)
    known = isinstance(function.obj, Symbol) and function.obj.qualname in _SYMBOL_CALLS
    if not known or not arguments.spread():
        _hand_over(evaluator, arguments)
        return UNKNOWN_VALUE
    return _callable_call(evaluator, function, arguments)


#: Calls that give the module's own names: ``globals()``, and in a module body ``vars()``.
_REFERENCES: Final = frozenset(('globals', 'vars', 'locals'))


def _module_reference(evaluator: ExpressionEvaluator, node: ast.Call) -> Value | None:
    func = node.func
    if not (isinstance(func, ast.Name) and func.id in _REFERENCES) or node.args or node.keywords:
        return None
    if func.id in evaluator.local_names or func.id in evaluator.namespace.bindings:
        return None  # a name of the module's own, not the builtin
    return evaluator.module_ref(func.id)


def _harmless(function: object) -> bool:
    """A standard-library callable: it never writes settings into a module it is given."""
    if not isinstance(function, Symbol):
        return False
    top = function.qualname.split('.', 1)[0]
    return top in _STDLIB and function.qualname not in _WRITERS


#: Standard-library callables that can write names into a module they are given.
_WRITERS: Final = frozenset(('builtins.setattr', 'builtins.exec', 'builtins.eval'))
_STDLIB: Final = frozenset(getattr(sys, 'stdlib_module_names', ())) | {'builtins'}


def _hand_over(evaluator: ExpressionEvaluator, arguments: _Arguments) -> None:
    """Arguments given to code we cannot follow: a module reference among them exposes it."""
    for argument in arguments.evaluated():
        handed = argument.obj
        nested = handed if isinstance(handed, (list, tuple)) else [handed]
        for item in nested:
            evaluator.expose(item)


#: Methods of a module's ``globals()`` dict that write names.
_WRITES: Final = frozenset(('update', 'setdefault', '__setitem__'))


def _module_method(
    evaluator: ExpressionEvaluator,
    module: ModuleRef,
    method: str,
    arguments: _Arguments,
) -> Value:
    """``globals().update({...})``, ``.get(name)``, ``.setdefault(name, value)``."""
    if module.kind != 'globals':
        _hand_over(evaluator, arguments)
        evaluator.expose(module)
        return UNKNOWN_VALUE
    if method == 'get':
        name = arguments.get(0, 'key').obj
        found = evaluator.read_global(module, name) if isinstance(name, str) else UNKNOWN_VALUE
        default = arguments.get(1, 'default')
        if found is UNKNOWN_VALUE and default is not environment.NO_DEFAULT:
            return UNKNOWN_VALUE
        return found
    if method in _WRITES and evaluator.owner is not None:
        writes = _dict_writes(method, arguments)
        if method == 'setdefault' and writes is not None:
            writes = {
                name: given for name, given in writes.items()
                if evaluator.owner.global_of(module.home, name) is None
            }
        if writes is None:
            evaluator.expose(module)
        else:
            evaluator.owner.write_globals(module.home, writes)
        return UNKNOWN_VALUE
    if method in {'keys', 'values', 'items', 'copy'}:
        return UNKNOWN_VALUE
    evaluator.expose(module)  # pop, clear, anything else: the module may hold anything
    return UNKNOWN_VALUE


def _dict_writes(method: str, arguments: _Arguments) -> dict[str, Value] | None:
    """The names and values a dict write sets, or None when a name is unknown."""
    if method in {'setdefault', '__setitem__'}:
        name = arguments.get(0, 'key').obj
        given = arguments.get(1, 'default')
        if not isinstance(name, str) or given is environment.NO_DEFAULT:
            return None
        return {name: given}
    positional = arguments.positional()
    writes: dict[str, Value] = {}
    if len(positional) > 1:
        return None
    if positional and isinstance(positional[0].obj, KeyedUnknown):
        writes.update({key: UNKNOWN_VALUE for key in sorted(positional[0].obj.keys)})
    elif positional:
        table = positional[0]
        if not isinstance(table.obj, dict) or not all(isinstance(key, str) for key in table.obj):
            return None
        writes.update({
            str(key): Value(entry, table.origin) for key, entry in table.obj.items()
        })
    writes.update(arguments.keywords())
    return writes


def _callable_call(evaluator: ExpressionEvaluator, function: Value, arguments: _Arguments) -> Value:
    if isinstance(function.obj, environment.EnvReader):
        return _reader_call(evaluator, function.obj, '__call__', arguments)
    if isinstance(function.obj, Symbol):
        return _symbol_call(evaluator, function.obj.qualname, arguments)
    return UNKNOWN_VALUE


def _method_call(receiver: Value, method: str, arguments: _Arguments) -> Value:
    receiver_type = str if isinstance(receiver.obj, Sourced) else type(receiver.obj)
    allowed = _PURE_METHODS.get(receiver_type, frozenset())
    if method not in allowed or not receiver.known:
        return UNKNOWN_VALUE
    positional = arguments.positional()
    keywords = arguments.keywords()
    if not all(argument.known for argument in (*positional, *keywords.values())):
        return UNKNOWN_VALUE
    template = str(receiver.obj)
    if method == 'format' and (_WIDE_FORMAT.search(template) or _NESTED_FIELD.search(template)):
        return UNKNOWN_VALUE
    return _run_method(receiver, method, positional, keywords)


def _run_method(
    receiver: Value,
    method: str,
    positional: list[Value],
    keywords: dict[str, Value],
) -> Value:
    returned = getattr(receiver.obj, method)(
        *(argument.obj for argument in positional),
        **{name: argument.obj for name, argument in keywords.items()},
    )
    if isinstance(returned, (str, list, tuple)) and len(returned) > _MAX_RESULT:
        return UNKNOWN_VALUE
    if type(returned).__name__ in {'dict_keys', 'dict_values', 'dict_items'}:
        returned = list(returned)
    if isinstance(receiver.obj, Sourced) and isinstance(returned, str):
        returned = Sourced(returned, receiver.obj.origin)  # ``.strip()`` of a variable's value
    return Value(returned, receiver.origin)


def _symbol_call(evaluator: ExpressionEvaluator, qualname: str, arguments: _Arguments) -> Value:
    special = _SYMBOL_CALLS.get(qualname)
    if special is not None:
        return special(evaluator, arguments)
    if qualname.startswith('builtins.'):
        return _builtin_call(qualname.split('.', 1)[1], arguments)
    if qualname.startswith(configurations.VALUES_MODULE):
        return configurations.value_call(
            qualname[len(configurations.VALUES_MODULE):],
            arguments.positional(),
            arguments.keywords(),
            evaluator.variables,
        )
    return UNKNOWN_VALUE


def _builtin_call(name: str, arguments: _Arguments) -> Value:  # noqa: WPS212 - one guard per case
    positional = arguments.positional()
    if arguments.keywords() or len(positional) > 1:
        return _builtin_many(name, positional)
    if not positional:
        empty = _EMPTY_CALLS.get(name)
        return UNKNOWN_VALUE if empty is None else Value(empty())
    argument = positional[0]
    if name == 'bool':
        truthiness = truth(argument.obj)
        return UNKNOWN_VALUE if truthiness is None else Value(truthiness, argument.origin)
    if not argument.known:
        return UNKNOWN_VALUE
    converter = _CONVERTERS.get(name)
    if converter is None:
        return UNKNOWN_VALUE
    if name in {'int', 'float'} and not isinstance(argument.obj, (str, bytes, int, float, bool)):
        return UNKNOWN_VALUE
    return Value(converter(argument.obj), argument.origin)


def _builtin_many(name: str, positional: list[Value]) -> Value:
    if name in {'min', 'max'} and positional and all(argument.known for argument in positional):
        chooser = min if name == 'min' else max
        return Value(chooser(argument.obj for argument in positional))  # type: ignore[type-var]
    return UNKNOWN_VALUE


def _name_argument(arguments: _Arguments, keyword: str) -> str | None:
    name = arguments.get(0, keyword).obj
    return name if isinstance(name, str) else None


def _os_get(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    name = _name_argument(arguments, 'key')
    if name is None:
        return UNKNOWN_VALUE
    default = arguments.get(1, 'default')
    if default is environment.NO_DEFAULT:
        # ``os.environ.get(K)`` returns None when K is unset: a value, unlike ``os.environ[K]``.
        default = Value(None)
    return environment.os_lookup(evaluator.variables, name, default)


def _environ_copy(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    """``os.environ.copy()``: the same variables, read as the environment (``env.get(K, d)``)."""
    if arguments.positional() or arguments.keywords():
        return UNKNOWN_VALUE
    return Value(Symbol('os.environ'))


def _split_optional(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    """django-split-settings' ``optional(pattern)``, for ``include()`` to read."""
    pattern = arguments.get(0, 'filename')
    if isinstance(pattern.obj, str):
        return Value(OptionalPattern(str(pattern.obj)))
    return UNKNOWN_VALUE


def _os_setdefault(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    name = _name_argument(arguments, 'key')
    default = arguments.get(1, 'value')
    if name is None:
        return UNKNOWN_VALUE
    if name not in evaluator.variables and isinstance(default.obj, str):
        evaluator.variables[name] = default.obj
    return required_lookup(evaluator.variables, name)


def _decouple_config(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    name = _name_argument(arguments, 'option')
    if name is None:
        return UNKNOWN_VALUE
    cast = arguments.get(2, 'cast')
    if arguments.get(1, 'default') is environment.NO_DEFAULT and name not in evaluator.variables:
        evaluator.raises('UndefinedValueError')
    return environment.decouple_lookup(
        evaluator.variables,
        name,
        arguments.get(1, 'default'),
        None if cast is environment.NO_DEFAULT else cast.obj,
    )


def _decouple_csv(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    cast = arguments.get(0, 'cast')
    delimiter = arguments.get(1, 'delimiter')
    strip = arguments.get(2, 'strip')
    if arguments.get(3, 'post_process') is not environment.NO_DEFAULT:
        return UNKNOWN_VALUE
    defaults = environment.CsvCast()
    return Value(environment.CsvCast(
        item_cast=defaults.item_cast if cast is environment.NO_DEFAULT else cast.obj,
        delimiter=_given_str(delimiter, defaults.delimiter),
        strip=_given_str(strip, defaults.strip),
    ))


def _given_str(argument: Value, default: str) -> str:
    return default if argument is environment.NO_DEFAULT else str(argument.obj)


def _decouple_autoconfig(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    return Value(Symbol('decouple.config'))


def _environ_env(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    scheme = {name: argument.obj for name, argument in arguments.keywords().items()}
    return Value(environment.EnvReader('environ', scheme))


def _environ_file_aware_env(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    scheme = {name: argument.obj for name, argument in arguments.keywords().items()}
    return Value(environment.EnvReader('environ', scheme, file_aware=True))


def _environs_env(evaluator: ExpressionEvaluator, arguments: _Arguments) -> Value:
    return Value(environment.EnvReader('environs'))


def _reader_call(
    evaluator: ExpressionEvaluator,
    reader: environment.EnvReader,
    method: str,
    arguments: _Arguments,
) -> Value:
    if reader.library == 'environs':
        return _environs_call(evaluator, method, arguments)
    if method in {'email_url', 'email'}:
        return Value(KeyedUnknown(_EMAIL_URL_KEYS))  # ``vars().update(env.email_url())``
    name = _name_argument(arguments, 'var')
    if name is None or (reader.file_aware and '{0}_FILE'.format(name) in evaluator.variables):
        return UNKNOWN_VALUE  # unnamed, or read from the file ``NAME_FILE`` names
    if method == '__call__':
        cast = arguments.get(1, 'cast')
        default = arguments.get(2, 'default')
        if default is environment.NO_DEFAULT and name not in evaluator.variables:
            if reader.scheme.get(name) is None:
                evaluator.raises('ImproperlyConfigured')
        parse_default = truth(arguments.get(3, 'parse_default').obj) is True
        return environment.environ_lookup(
            reader, evaluator.variables, name, default,
            None if cast is environment.NO_DEFAULT else cast.obj, parse_default,
        )
    return _environ_method(evaluator, reader, name, method, arguments)


def _environ_method(
    evaluator: ExpressionEvaluator,
    reader: environment.EnvReader,
    name: str,
    method: str,
    arguments: _Arguments,
) -> Value:
    """``env.bool(name, default)`` and the other typed reader methods."""
    if method in {'list', 'tuple'}:
        return _environ_sequence(evaluator, reader, name, method, arguments)
    method_cast = environment.ENVIRON_METHOD_CASTS.get(method)
    if method_cast is None:
        return UNKNOWN_VALUE
    return environment.environ_lookup(
        reader, evaluator.variables, name, arguments.get(1, 'default'), method_cast,
    )


def _environ_sequence(
    evaluator: ExpressionEvaluator,
    reader: environment.EnvReader,
    name: str,
    method: str,
    arguments: _Arguments,
) -> Value:
    """``env.list(name, cast, default)`` and ``env.tuple(...)``."""
    item_cast = arguments.get(1, 'cast')
    cast: object = environment.ENVIRON_METHOD_CASTS[method]
    if item_cast is not environment.NO_DEFAULT and item_cast.obj is not None:
        cast = [item_cast.obj] if method == 'list' else (item_cast.obj,)
    return environment.environ_lookup(
        reader, evaluator.variables, name, arguments.get(2, 'default'), cast,
    )


def _environs_call(evaluator: ExpressionEvaluator, method: str, arguments: _Arguments) -> Value:
    if method not in environment.ENVIRONS_METHODS and method != '__call__':
        return UNKNOWN_VALUE
    name = _name_argument(arguments, 'name')
    if name is None:
        return UNKNOWN_VALUE
    return environment.environs_lookup(
        evaluator.variables, name, arguments.get(1, 'default'), method,
    )


_SymbolCall = Callable[['ExpressionEvaluator', _Arguments], Value]

_SYMBOL_CALLS: Final[Mapping[str, _SymbolCall]] = types.MappingProxyType({
    'os.environ.get': _os_get,
    'os.getenv': _os_get,
    'os.environ.setdefault': _os_setdefault,
    'os.environ.copy': _environ_copy,
    'decouple.config': _decouple_config,
    'decouple.Csv': _decouple_csv,
    'decouple.AutoConfig': _decouple_autoconfig,
    'environ.Env': _environ_env,
    'environ.FileAwareEnv': _environ_file_aware_env,
    'environs.Env': _environs_env,
    'split_settings.tools.optional': _split_optional,
})
