"""
django-configurations: ``Configuration`` classes and ``values.*Value`` look-ups.

A configuration class is a settings module written as a class: its body runs
like a module body (it reads the module's names), its bases seed it the way
star imports seed a module, and ``DJANGO_CONFIGURATION`` picks the class a
deployment loads. Its ``values.BooleanValue(True)`` and friends read the
environment when the class is set up; in an empty environment each is its
default (``SecretValue`` is required: unknown).
"""

from __future__ import annotations

import ast
import dataclasses
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Final, final

from flake8_djsec.logic.evaluation import environment
from flake8_djsec.logic.evaluation.namespace import Binding, Namespace
from flake8_djsec.logic.evaluation.values import UNKNOWN, UNKNOWN_VALUE, Symbol, Value, truth

#: The base class every configuration derives from.
CONFIGURATION_BASES: Final = frozenset((
    'configurations.Configuration', 'configurations.base.Configuration',
))
#: The module of the value classes (``from configurations import values``).
VALUES_MODULE: Final = 'configurations.values.'
#: The class methods django-configurations runs after creating the class, and ``__init__``.
SETUP_METHODS: Final = frozenset(('pre_setup', 'setup', 'post_setup', '__init__'))

_PREFIX: Final = 'DJANGO'
_TRUTHY: Final = frozenset(('yes', 'y', 'true', '1'))
_FALSY: Final = frozenset(('no', 'n', 'false', '0', ''))
#: Value classes whose variable comes from the class, not the attribute, with no prefix.
_URL_NAMES: Final[Mapping[str, str]] = types.MappingProxyType({
    'DatabaseURLValue': 'DATABASE_URL',
    'CacheURLValue': 'CACHE_URL',
    'SearchURLValue': 'SEARCH_URL',
    'EmailURLValue': 'EMAIL_URL',
})
_SEQUENCES: Final[Mapping[str, type]] = types.MappingProxyType({
    'ListValue': list, 'TupleValue': tuple, 'SetValue': set, 'BackendsValue': list,
})
_Parser = Callable[[str], object]
_NUMBERS: Final[Mapping[str, _Parser]] = types.MappingProxyType({
    'IntegerValue': int, 'PositiveIntegerValue': int, 'FloatValue': float,
})
#: Value classes that return the environment string, or the default, unchanged.
_PLAIN: Final = frozenset(('Value', 'EmailValue', 'URLValue', 'IPValue', 'RegexValue'))
_OTHERS: Final = frozenset(('BooleanValue', 'SecretValue', 'DictValue'))
_KINDS: Final = frozenset((*_URL_NAMES, *_SEQUENCES, *_NUMBERS, *_PLAIN, *_OTHERS))
_POSITIONAL: Final = ('default', 'environ', 'environ_name', 'environ_prefix', 'environ_required')
_SECRET: Final = 'SecretValue'


@final
@dataclasses.dataclass(frozen=True)
class ConfigValue:
    """A ``values.<kind>(...)`` object, read from the environment when its class is set up."""

    kind: str
    default: Value
    environ: bool = True
    environ_name: str | None = None
    environ_prefix: str | None = _PREFIX
    required: bool = False
    options: Mapping[str, object] = dataclasses.field(default_factory=dict)
    late_binding: bool = False

    def env_name(self, attribute: str) -> str:
        """Return the environment variable the value reads for a class attribute."""
        name = self.environ_name or attribute.upper()
        return '{0}_{1}'.format(self.environ_prefix, name) if self.environ_prefix else name

    def resolve(self, attribute: str, variables: Mapping[str, str]) -> Value:
        """Return the setting's value in an environment holding only ``variables``."""
        if not self.environ:
            return _typed_default(self)
        env_name = self.env_name(attribute)
        given = variables.get(env_name)
        if given is not None:
            return environment.looked_up(
                _from_string(self, given), environment.set_origin(env_name, variables),
            )
        if self.required:
            return UNKNOWN_VALUE
        default = _typed_default(self)
        return Value(default.obj, environment.default_origin(env_name))


@final
@dataclasses.dataclass(frozen=True, eq=False)
class ClassValue:
    """
    A class defined in a settings module, with its attributes as they end up.

    ``attributes`` holds the inherited and own attributes (a base's are copied
    into the class, as django-configurations' metaclass does); ``late`` the
    names a setup method may rebind after the class is created (unknown);
    ``opaque`` means a base we cannot read may define any name.
    """

    name: str
    attributes: Mapping[str, Binding]
    late: Mapping[str, Binding]
    configuration: bool
    opaque: bool
    line: int
    path: str | None


def value_call(
    kind: str,
    positional: list[Value],
    keywords: Mapping[str, Value],
    variables: Mapping[str, str],
) -> Value:
    """
    Return ``values.<kind>(...)``: a ConfigValue, or unknown when it cannot be modelled.

    As ``Value.__new__`` does, a value with an ``environ_name`` (or with
    ``environ=False`` and a true default) is read at once: it is its result, not a
    value object, so one nested in a dict (``{"BACKEND": values.Value(...)}``) is
    known too. URL values bind late.
    """
    if len(positional) > len(_POSITIONAL) or kind not in _KINDS:
        return UNKNOWN_VALUE
    arguments = dict(zip(_POSITIONAL, positional))
    arguments.update(keywords)
    default = arguments.pop('default', Value(None))
    if not all(argument.known for argument in arguments.values()):
        return UNKNOWN_VALUE
    built = _config_value(kind, default, {
        name: argument.obj for name, argument in arguments.items()
    })
    if built is None:
        return UNKNOWN_VALUE
    if _is_eager(built):
        return built.resolve(built.environ_name or '', variables)
    return Value(built)


def _is_eager(config: ConfigValue) -> bool:
    """``Value.__new__`` reads at once: an ``environ_name``, or no environ and a default."""
    if config.late_binding:
        return False
    if config.environ:
        return bool(config.environ_name)
    return truth(config.default.obj) is True


def _config_value(kind: str, default: Value, options: dict[str, object]) -> ConfigValue | None:
    """Build the value object from its keyword arguments, as ``Value.__init__`` reads them."""
    prefix = _prefix(options.pop('environ_prefix', None if kind in _URL_NAMES else _PREFIX))
    environ_name = options.pop('environ_name', _URL_NAMES.get(kind))
    required, environ = _switches(kind, options)
    late_binding = bool(options.pop('late_binding', kind in _URL_NAMES))
    if not (_is_optional_str(prefix) and _is_optional_str(environ_name)):
        return None
    return ConfigValue(
        kind, default, environ, environ_name, prefix, required, options,  # type: ignore[arg-type]
        late_binding,
    )


def _switches(kind: str, options: dict[str, object]) -> tuple[bool, bool]:
    """``environ_required`` and ``environ``; a SecretValue forces both."""
    secret = kind == _SECRET
    required = bool(options.pop('environ_required', False))
    environ = bool(options.pop('environ', True))
    return required or secret, environ or secret


def _is_optional_str(candidate: object) -> bool:
    return candidate is None or isinstance(candidate, str)


def _prefix(prefix: object) -> object:
    """``environ_prefix``: a trailing underscore is dropped; empty means none."""
    if prefix is None or prefix == '':
        return None
    if not isinstance(prefix, str):
        return UNKNOWN
    return prefix.removesuffix('_') or None


def _typed_default(config: ConfigValue) -> Value:
    """The default as the value class normalises it (``ListValue(None)`` is ``[]``)."""
    kind = config.kind
    family = _DEFAULTS.get(_family(kind))
    if family is not None:
        return family(config)
    if kind == _SECRET or config.options:
        return UNKNOWN_VALUE  # converters, validators and casters we do not run
    return config.default


def _family(kind: str) -> str:
    """Group value classes that share their conversions."""
    if kind in _URL_NAMES:
        return 'url'
    if kind in _SEQUENCES:
        return 'sequence'
    return kind


def _boolean_default(config: ConfigValue) -> Value:
    return config.default if isinstance(config.default.obj, bool) else UNKNOWN_VALUE


def _dict_default(config: ConfigValue) -> Value:
    return _converted(config.default, dict, {})


def _url_default(config: ConfigValue) -> Value:
    """``DatabaseURLValue(url)``: ``{alias: parsed url}``; the parsed dict is not modelled."""
    if config.default.obj is None:
        return Value({})
    alias = config.options.get('alias', 'default')
    if config.kind == 'EmailURLValue' or not isinstance(alias, str):
        return UNKNOWN_VALUE
    return Value({alias: UNKNOWN}, config.default.origin)


def _sequence_default(config: ConfigValue) -> Value:
    sequence_type = _SEQUENCES.get(config.kind, list)
    if set(config.options) - {'separator'}:
        return UNKNOWN_VALUE  # a converter runs on every item
    return _converted(config.default, sequence_type, sequence_type())


def _converted(default: Value, factory: type, empty: object) -> Value:
    if default.obj is None:
        return Value(empty, default.origin)
    if not default.known or not isinstance(default.obj, (list, tuple, set, frozenset, dict)):
        return UNKNOWN_VALUE
    try:
        return Value(factory(default.obj), default.origin)
    except (TypeError, ValueError):
        return UNKNOWN_VALUE


def _from_string(config: ConfigValue, raw: str) -> object:
    """Convert an environment string as the value class's ``to_python`` does."""
    kind = config.kind
    if kind == 'BooleanValue':
        return _boolean(raw)
    if kind in _SEQUENCES:
        return _sequence(config, raw)
    if config.options:
        return UNKNOWN
    parser = _NUMBERS.get(kind)
    if parser is not None:
        return _number(parser, raw)
    return _plain(kind, raw)


def _plain(kind: str, raw: str) -> object:
    if kind == _SECRET:
        return raw or UNKNOWN  # an empty secret raises
    return raw if kind in _PLAIN else UNKNOWN


def _boolean(raw: str) -> object:
    normalized = raw.strip().lower()
    if normalized in _TRUTHY:
        return True
    return False if normalized in _FALSY else UNKNOWN


def _number(parser: _Parser, raw: str) -> object:
    try:
        return parser(raw)
    except ValueError:
        return UNKNOWN


def _sequence(config: ConfigValue, raw: str) -> object:
    separator = config.options.get('separator', ',')
    if set(config.options) - {'separator'} or not isinstance(separator, str) or not separator:
        return UNKNOWN
    parts = [part.strip() for part in raw.strip().split(separator)]
    return _SEQUENCES.get(config.kind, list)(part for part in parts if part)


_DefaultOf = Callable[[ConfigValue], Value]
_DEFAULTS: Final[Mapping[str, _DefaultOf]] = types.MappingProxyType({
    'url': _url_default,
    'sequence': _sequence_default,
    'DictValue': _dict_default,
    'BooleanValue': _boolean_default,
})


def build_class(
    statement: ast.ClassDef,
    bases: Iterable[object],
    own: Mapping[str, Binding],
    variables: Mapping[str, str],
    path: str | None,
) -> ClassValue:
    """Build a class from its bases and the names its body bound (``own``)."""
    seed = inherit(bases)
    seed[0].update(resolve_attributes(own, variables))
    rebound, anything = setup_names(statement.body)
    unknown = Binding(UNKNOWN_VALUE, statement.lineno, statement.col_offset, path)
    return ClassValue(
        statement.name,
        forget(seed[0]) if anything else seed[0],
        {**seed[1], **dict.fromkeys(rebound, unknown)},
        seed[2],
        seed[3] or anything,
        statement.lineno,
        path,
    )


def resolve_attributes(
    attributes: Mapping[str, Binding],
    variables: Mapping[str, str],
) -> dict[str, Binding]:
    """Replace each ConfigValue attribute by what it reads, as the class's ``setup()`` does."""
    resolved: dict[str, Binding] = {}
    for name, binding in attributes.items():
        config = binding.value.obj
        if isinstance(config, ConfigValue):
            binding = dataclasses.replace(binding, value=config.resolve(name, variables))
        resolved[name] = binding
    return resolved


def setup_names(body: Iterable[ast.stmt]) -> tuple[set[str], bool]:
    """
    Names the setup methods of a class body may rebind, and whether they may rebind any.

    ``cls.X = ...``, ``cls.X += ...``, ``cls.X[...] = ...`` and ``cls.X.append(...)``
    in ``setup``/``pre_setup``/``post_setup``/``__init__`` rebind X; ``setattr``
    or ``cls.__dict__`` could rebind anything.
    """
    names: set[str] = set()
    anything = False
    for method in body:
        if isinstance(method, ast.FunctionDef) and method.name in SETUP_METHODS:
            written, dynamic = _method_writes(method)
            names.update(written)
            anything = anything or dynamic
    return names, anything


def _method_writes(method: ast.FunctionDef) -> tuple[set[str], bool]:
    """The attributes of its first argument a method writes; whether it may write any."""
    if not method.args.args:
        return set(), False
    receiver = method.args.args[0].arg
    nodes = list(ast.walk(method))
    written = {_receiver_attribute(_written(node), receiver) for node in nodes}
    return {name for name in written if name is not None}, any(_is_dynamic(node) for node in nodes)


def _is_dynamic(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {'setattr', 'vars', 'globals', 'exec'}
    return isinstance(node, ast.Attribute) and node.attr == '__dict__'


def _written(node: ast.AST) -> ast.AST | None:
    """The expression a node writes to: ``x.a = ``, ``x.a[k] = ``, ``x.a.append(...)``."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return node
    written: ast.AST | None = None
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
        written = node.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        written = node.func.value
    while isinstance(written, ast.Subscript):
        written = written.value
    return written


def _receiver_attribute(node: ast.AST | None, receiver: str) -> str | None:
    """``cls.X`` for the method's first argument ``cls``: X."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if node.value.id == receiver else None
    return None


def deployment_class(
    module: Namespace,
    name: str,
    has_default: Callable[[str], bool],
) -> tuple[Namespace, tuple[str | None, int]] | None:
    """The settings of the configuration class ``name`` and its ``class`` line; None if not one."""
    binding = module.bindings.get(name)
    chosen = None if binding is None else binding.value.obj
    if not (isinstance(chosen, ClassValue) and chosen.configuration):
        return None
    return class_namespace(module, chosen, has_default), (chosen.path, chosen.line)


def class_namespace(
    module: Namespace,
    configuration: ClassValue,
    has_default: Callable[[str], bool],
) -> Namespace:
    """
    The settings a deployment loading ``configuration`` sees.

    django-configurations copies the class's uppercase attributes onto the
    module: a class attribute wins, and the metaclass gave the class every
    Django default, so a module-level name Django has a default for is
    overridden by that default unless the class sets it.
    """
    bindings = {
        name: binding for name, binding in module.bindings.items()
        if not has_default(name)
    }
    bindings.update(configuration.attributes)
    bindings.update(configuration.late)
    return Namespace(bindings, opaque=configuration.opaque or module.opaque)


_Bindings = dict[str, Binding]
_Seed = tuple[_Bindings, _Bindings, bool, bool]


def inherit(bases: Iterable[object]) -> _Seed:
    """
    Seed a class from its bases: attributes, late names, configuration, opaque.

    The last base is copied first and the first base last, so the first base
    wins, as django-configurations' metaclass copies them. A base we cannot
    read may define any name: what later bases gave is unknown, and so is
    every name not set afterwards.
    """
    attributes: dict[str, Binding] = {}
    late: dict[str, Binding] = {}
    configuration = False
    opaque = False
    for base in reversed(list(bases)):
        if isinstance(base, ClassValue):
            attributes.update(base.attributes)
            late.update(base.late)
        elif not _is_symbol(base, CONFIGURATION_BASES | _OBJECT):
            attributes = forget(attributes)
        configuration = configuration or _derives(base)
        opaque = opaque or _hides(base)
    return attributes, late, configuration, opaque


def _derives(base: object) -> bool:
    """Tell whether a base makes its class a configuration class."""
    if isinstance(base, ClassValue):
        return base.configuration
    return _is_symbol(base, CONFIGURATION_BASES)


def _hides(base: object) -> bool:
    """Tell whether a base may define names we cannot see."""
    if isinstance(base, ClassValue):
        return base.opaque
    return not _is_symbol(base, CONFIGURATION_BASES | _OBJECT)


def forget(attributes: Mapping[str, Binding]) -> dict[str, Binding]:
    """The same names, each with an unknown value."""
    return {
        name: dataclasses.replace(binding, value=UNKNOWN_VALUE)
        for name, binding in attributes.items()
    }


_OBJECT: Final = frozenset(('builtins.object',))


def _is_symbol(base: object, qualnames: frozenset[str]) -> bool:
    return isinstance(base, Symbol) and base.qualname in qualnames
