"""Evaluate one expression of a settings module, statically."""

from __future__ import annotations

import ast
import collections
import operator
import re
import types
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, final

from flake8_djsec.logic.evaluation import calls
from flake8_djsec.logic.evaluation.configurations import ClassValue
from flake8_djsec.logic.evaluation.constants import resolve_symbol
from flake8_djsec.logic.evaluation.namespace import Function, ModuleRef, Namespace
from flake8_djsec.logic.evaluation.values import (
    UNKNOWN_VALUE,
    Symbol,
    Value,
    contains,
    is_data,
    is_known,
    same_value,
    truth,
)

if TYPE_CHECKING:
    from flake8_djsec.logic.evaluation.statements import ModuleEvaluator

#: Deeper expressions than this are unknown (and never reach RecursionError).
MAX_DEPTH: Final = 80
#: Strings, lists and numbers larger than this are not built.
MAX_SIZE: Final = 100_000
#: Expression nodes evaluated per module before everything is unknown.
MAX_STEPS: Final = 500_000
#: Larger exponents (``**``) and shifts (``<<``) are not computed.
_MAX_EXPONENT: Final = 4096

#: What evaluating a node may raise when the value is undecidable or too costly.
_UNDECIDABLE: Final = (
    ArithmeticError, TypeError, ValueError, KeyError, IndexError, AttributeError,
    RecursionError, MemoryError,
)

#: The class of an AST node, the key of the dispatch tables below.
_NodeType = type[ast.AST]
#: An operator module function of two operands, such as ``operator.add``.
_Operator = Callable[[Any, Any], object]
#: An operator module function of one operand, such as ``operator.neg``.
_UnaryOperator = Callable[[Any], object]

_BUILTINS: Final = frozenset((
    'bool', 'int', 'str', 'float', 'list', 'tuple', 'dict', 'set', 'frozenset',
    'len', 'sorted', 'min', 'max', 'abs', 'any', 'all', 'sum', 'repr',
))

_BINARY: Final[Mapping[_NodeType, _Operator]] = types.MappingProxyType({
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
})

_COMPARE: Final[Mapping[_NodeType, _Operator]] = types.MappingProxyType({
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
})

_UNARY: Final[Mapping[_NodeType, _UnaryOperator]] = types.MappingProxyType({
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
})

_WIDE_FORMAT: Final = re.compile(r'\d{4,}')
#: Integers larger than this many bits are not built.
_MAX_BITS: Final = 100_000


@final
class Budget:
    """Counts evaluation steps so one file's cost stays bounded."""

    def __init__(self, limit: int = MAX_STEPS) -> None:
        """Start a fresh budget."""
        self.remaining = limit

    def spend(self) -> bool:
        """Take one step; tell whether the budget still allows it."""
        self.remaining -= 1
        return self.remaining >= 0


@final
class ExpressionEvaluator:
    """Computes an expression's value in a namespace, or UNKNOWN."""

    def __init__(
        self,
        namespace: Namespace,
        variables: dict[str, str],
        budget: Budget,
        local_names: Mapping[str, Value] | None = None,
        owner: ModuleEvaluator | None = None,
    ) -> None:
        """
        Evaluate in ``namespace`` with the given environment variables.

        ``local_names`` come first (a function's locals); ``owner`` is the statement
        interpreter that runs the bodies of the project functions called.
        """
        self.namespace = namespace
        self.variables = variables
        self.budget = budget
        self.local_names: Mapping[str, Value] = {} if local_names is None else local_names
        self.owner = owner

    def evaluate(self, node: ast.expr | None, depth: int = 0) -> Value:
        """Return the value of ``node``; never raises."""
        if node is None or depth > MAX_DEPTH or not self.budget.spend():
            return UNKNOWN_VALUE
        node_evaluator = _HANDLERS.get(type(node))
        if node_evaluator is None:
            return UNKNOWN_VALUE
        try:
            return node_evaluator(self, node, depth + 1)
        except _UNDECIDABLE:
            return UNKNOWN_VALUE

    def lookup(self, name: str) -> Value:
        """Return the value bound to a name, a builtin, or UNKNOWN."""
        local = self.local_names.get(name)
        if local is not None:
            return local
        binding = self.namespace.bindings.get(name)
        if binding is not None:
            return binding.value
        if name in _BUILTINS and not self.namespace.opaque:
            return Value(Symbol('builtins.{0}'.format(name)))
        if name == '__name__' and self.owner is not None:
            return Value(ModuleRef(self.owner.home, 'name'))
        return UNKNOWN_VALUE

    def module_ref(self, kind: str) -> Value:
        """``globals()`` (or ``vars()``/``locals()`` in a module body): the module's names."""
        if self.owner is None:
            return UNKNOWN_VALUE
        if kind != 'globals' and (self.owner.frame is not None or self.owner.class_body):
            return UNKNOWN_VALUE  # the locals of a call or of a class body
        return Value(ModuleRef(self.owner.home, 'globals'))

    def expose(self, handed: object) -> None:
        """The module was handed to code we cannot follow: it may hold any setting."""
        if self.owner is not None and isinstance(handed, ModuleRef):
            self.owner.expose(handed.home)

    def call_function(self, function: Function, node: ast.Call, depth: int) -> Value:
        """Evaluate a call of a project function: its body runs on the arguments."""
        arguments = _bind_arguments(self, function.node.args, node, depth)
        if self.owner is None:
            return UNKNOWN_VALUE
        if arguments is None:
            # A call that raises TypeError, or a signature not modelled: unknown effects.
            self.owner.forget_call(function, {})
            return UNKNOWN_VALUE
        return self.owner.call(function, arguments)

    def read_global(self, module: ModuleRef, name: str) -> Value:
        """``globals()[name]``, ``sys.modules[__name__].name``: the module's binding."""
        found = None if self.owner is None else self.owner.global_of(module.home, name)
        return UNKNOWN_VALUE if found is None else found.value

    def raises(self, kind: str) -> None:
        """The expression being evaluated raises ``kind`` (a required variable that is unset)."""
        if self.owner is not None:
            self.owner.note_raise(kind)

    def scoped(self, extra: Mapping[str, Value]) -> ExpressionEvaluator:
        """An evaluator that sees ``extra`` names first (a comprehension's variable)."""
        names: Mapping[str, Value] = collections.ChainMap(
            dict(extra), self.local_names,  # type: ignore[arg-type]
        )
        return ExpressionEvaluator(self.namespace, self.variables, self.budget, names, self.owner)


def _constant(evaluator: ExpressionEvaluator, node: ast.Constant, depth: int) -> Value:
    return Value(node.value)


def _name(evaluator: ExpressionEvaluator, node: ast.Name, depth: int) -> Value:
    return evaluator.lookup(node.id)


def _attribute(evaluator: ExpressionEvaluator, node: ast.Attribute, depth: int) -> Value:
    receiver = evaluator.evaluate(node.value, depth)
    if isinstance(receiver.obj, ModuleRef) and receiver.obj.kind == 'module':
        if node.attr == '__dict__':
            return Value(ModuleRef(receiver.obj.home, 'globals'))
        return evaluator.read_global(receiver.obj, node.attr)
    if isinstance(receiver.obj, Symbol):
        return resolve_symbol(receiver.obj.attribute(node.attr))
    if isinstance(receiver.obj, ClassValue) and node.attr not in receiver.obj.late:
        attribute = receiver.obj.attributes.get(node.attr)
        return UNKNOWN_VALUE if attribute is None else attribute.value
    return UNKNOWN_VALUE


def _sequence(
    evaluator: ExpressionEvaluator,
    node: ast.List | ast.Tuple | ast.Set,
    depth: int,
) -> Value:
    elements = _elements(evaluator, node.elts, depth)
    if elements is None:
        return UNKNOWN_VALUE
    items, origin = elements
    if isinstance(node, ast.Tuple):
        return Value(tuple(items), origin)
    if isinstance(node, ast.Set):
        return Value(set(items), origin) if is_known(items) else UNKNOWN_VALUE
    return Value(items, origin)


def _elements(
    evaluator: ExpressionEvaluator,
    nodes: Sequence[ast.expr],
    depth: int,
) -> tuple[list[object], str | None] | None:
    """Evaluate a display's elements, spreading ``*starred`` ones; None when unknown."""
    items: list[object] = []
    origin = None
    for element in nodes:
        if isinstance(element, ast.Starred):
            spread = evaluator.evaluate(element.value, depth)
            if not isinstance(spread.obj, (list, tuple, set, frozenset, str, dict)):
                return None
            items.extend(spread.obj)
        else:
            element_value = evaluator.evaluate(element, depth)
            items.append(element_value.obj)
            origin = origin or element_value.origin
        if len(items) > MAX_SIZE:
            return None
    return items, origin


def _dict(evaluator: ExpressionEvaluator, node: ast.Dict, depth: int) -> Value:
    built: dict[object, object] = {}
    for key_node, value_node in zip(node.keys, node.values):
        if key_node is None:
            spread = evaluator.evaluate(value_node, depth)
            if not isinstance(spread.obj, dict):
                return UNKNOWN_VALUE
            built.update(spread.obj)
            continue
        key = evaluator.evaluate(key_node, depth).obj
        if not is_known(key):
            return UNKNOWN_VALUE
        built[key] = evaluator.evaluate(value_node, depth).obj
    return Value(built)


def _joined_str(evaluator: ExpressionEvaluator, node: ast.JoinedStr, depth: int) -> Value:
    parts: list[str] = []
    origin = None
    for part in node.values:
        part_value = evaluator.evaluate(part, depth)
        if not isinstance(part_value.obj, str):
            return UNKNOWN_VALUE
        parts.append(part_value.obj)
        origin = origin or part_value.origin
    return Value(''.join(parts), origin)


def _formatted(evaluator: ExpressionEvaluator, node: ast.FormattedValue, depth: int) -> Value:
    inner = evaluator.evaluate(node.value, depth)
    if not is_known(inner.obj):
        return UNKNOWN_VALUE
    spec = ''
    if node.format_spec is not None:
        spec_value = evaluator.evaluate(node.format_spec, depth).obj
        if not isinstance(spec_value, str) or _WIDE_FORMAT.search(spec_value):
            return UNKNOWN_VALUE
        spec = spec_value
    return Value(format(_convert(inner.obj, node.conversion), spec), inner.origin)


def _convert(obj: object, conversion: int) -> object:
    """Apply an f-string's ``!r``, ``!s`` or ``!a``."""
    if conversion == ord('r'):
        return repr(obj)
    if conversion == ord('s'):
        return str(obj)
    if conversion == ord('a'):
        return ascii(obj)
    return obj


def _binary(evaluator: ExpressionEvaluator, node: ast.BinOp, depth: int) -> Value:
    left = evaluator.evaluate(node.left, depth)
    right = evaluator.evaluate(node.right, depth)
    function = _BINARY.get(type(node.op))
    if function is None or not (left.known and right.known):
        return UNKNOWN_VALUE
    if not size_ok(node.op, left.obj, right.obj):
        return UNKNOWN_VALUE
    return Value(function(left.obj, right.obj), left.origin or right.origin)


def size_ok(op: ast.operator, left: object, right: object) -> bool:
    """Tell whether ``left <op> right`` stays small enough to build."""
    check = _SIZE_CHECKS.get(type(op))
    return check is None or check(left, right)


def _sum_ok(left: object, right: object) -> bool:
    if _is_sequence(left) and _is_sequence(right):
        return len(left) + len(right) <= MAX_SIZE  # type: ignore[arg-type]
    return True


def _shift_ok(left: object, right: object) -> bool:
    return isinstance(right, int) and right < _MAX_EXPONENT and _bits(left) + right < _MAX_BITS


def _format_ok(left: object, right: object) -> bool:
    if not isinstance(left, str):
        return True
    return '*' not in left and not _WIDE_FORMAT.search(left)


def _power_ok(base: object, exponent: object) -> bool:
    if isinstance(base, str) or not isinstance(exponent, (int, float)):
        return False
    if abs(exponent) >= _MAX_EXPONENT:
        return False
    return _bits(base) * abs(exponent) < _MAX_BITS


def _product_ok(left: object, right: object) -> bool:
    sizes = [len(side) for side in (left, right) if _is_sequence(side)]  # type: ignore[arg-type]
    counts = [side for side in (left, right) if isinstance(side, int)]
    if sizes and counts:
        return sizes[0] * counts[0] <= MAX_SIZE
    return _bits(left) + _bits(right) < _MAX_BITS


def _is_sequence(obj: object) -> bool:
    return isinstance(obj, (str, bytes, list, tuple))


#: Checks that an operation's result stays small, by operator.
_SizeCheck = Callable[[object, object], bool]
_SizedOperator = type[ast.operator]
_SIZE_CHECKS: Final[Mapping[_SizedOperator, _SizeCheck]] = types.MappingProxyType({
    ast.Pow: _power_ok,
    ast.Mult: _product_ok,
    ast.Add: _sum_ok,
    ast.LShift: _shift_ok,
    ast.Mod: _format_ok,
})


def _bits(number: object) -> int:
    """Return an int's size in bits (0 for anything else, whose size does not grow)."""
    return number.bit_length() if isinstance(number, int) else 0


def _unary(evaluator: ExpressionEvaluator, node: ast.UnaryOp, depth: int) -> Value:
    operand = evaluator.evaluate(node.operand, depth)
    if isinstance(node.op, ast.Not):
        truthiness = truth(operand.obj)
        return UNKNOWN_VALUE if truthiness is None else Value(not truthiness, operand.origin)
    if not operand.known:
        return UNKNOWN_VALUE
    function = _UNARY.get(type(node.op), operator.invert)
    return Value(function(operand.obj), operand.origin)


def _boolean(evaluator: ExpressionEvaluator, node: ast.BoolOp, depth: int) -> Value:
    is_or = isinstance(node.op, ast.Or)
    last = UNKNOWN_VALUE
    for operand in node.values:
        last = evaluator.evaluate(operand, depth)
        truthiness = truth(last.obj)
        if truthiness is None:
            return UNKNOWN_VALUE
        if truthiness is is_or:
            return last
    return last


def _compare(evaluator: ExpressionEvaluator, node: ast.Compare, depth: int) -> Value:
    left = evaluator.evaluate(node.left, depth)
    for op, comparator in zip(node.ops, node.comparators):
        right = evaluator.evaluate(comparator, depth)
        if _is_environ(right.obj) and isinstance(left.obj, str):
            right = Value(list(evaluator.variables), right.origin)  # ``'K' in os.environ``
        outcome = _compare_one(op, left.obj, right.obj)
        if outcome is None:
            return UNKNOWN_VALUE
        # The next comparison's left side, keeping the first origin seen so far.
        left = Value(right.obj, left.origin or right.origin)
        if not outcome:
            return Value(False, left.origin)
    return Value(True, left.origin)


def _compare_one(op: ast.cmpop, left: object, right: object) -> bool | None:
    if isinstance(op, (ast.In, ast.NotIn)):
        return _membership(op, left, right)
    if isinstance(op, (ast.Is, ast.IsNot)):
        return _identity(op, left, right)
    function = _COMPARE.get(type(op))
    if function is None or not (is_known(left) and is_known(right)):
        return None
    return bool(function(left, right))


def _membership(op: ast.cmpop, left: object, right: object) -> bool | None:
    found = contains(right, left) if is_known(left) else None
    if found is None:
        return None
    return found if isinstance(op, ast.In) else not found


def _identity(op: ast.cmpop, left: object, right: object) -> bool | None:
    if not (is_data(left) and is_data(right)):
        return None
    if _is_singleton(left) or _is_singleton(right):
        same = left is right
        return same if isinstance(op, ast.Is) else not same
    return None


def _named_expression(evaluator: ExpressionEvaluator, node: ast.NamedExpr, depth: int) -> Value:
    """``(name := value)`` is its value; the statement binds the name."""
    return evaluator.evaluate(node.value, depth)


def _is_singleton(obj: object) -> bool:
    return any(obj is single for single in (None, True, False))


def _is_environ(obj: object) -> bool:
    return isinstance(obj, Symbol) and obj.qualname == 'os.environ'


def _list_comprehension(evaluator: ExpressionEvaluator, node: ast.ListComp, depth: int) -> Value:
    """``[element for name in known_sequence if condition]``: one loop over a known sequence."""
    iterable = _comprehension_iterable(evaluator, node, depth)
    if iterable is None or not isinstance(iterable.obj, (str, list, tuple, dict)):
        return UNKNOWN_VALUE
    elements = []
    for item in list(iterable.obj):
        kept, element = _comprehension_step(evaluator, node, Value(item, iterable.origin), depth)
        if kept is None:
            return UNKNOWN_VALUE
        if kept:
            elements.append(element)
    return Value(elements, iterable.origin)


def _comprehension_iterable(
    evaluator: ExpressionEvaluator,
    node: ast.ListComp,
    depth: int,
) -> Value | None:
    """The known sequence of a single plain loop (``for name in ...``), else None."""
    loop = node.generators[0]
    if len(node.generators) != 1 or loop.is_async or not isinstance(loop.target, ast.Name):
        return None
    iterable = evaluator.evaluate(loop.iter, depth)
    if not isinstance(iterable.obj, (str, list, tuple, dict)) or len(iterable.obj) > MAX_SIZE:
        return None
    return iterable


def _comprehension_step(
    evaluator: ExpressionEvaluator,
    node: ast.ListComp,
    item: Value,
    depth: int,
) -> tuple[bool | None, object]:
    """Whether one item passes the conditions (None: undecidable), and its element."""
    loop = node.generators[0]
    target = loop.target.id if isinstance(loop.target, ast.Name) else ''
    inner = evaluator.scoped({target: item})
    kept = {truth(inner.evaluate(condition, depth).obj) for condition in loop.ifs}
    if None in kept:
        return None, None
    if False in kept:
        return False, None
    return True, inner.evaluate(node.elt, depth).obj


def _if_expression(evaluator: ExpressionEvaluator, node: ast.IfExp, depth: int) -> Value:
    truthiness = truth(evaluator.evaluate(node.test, depth).obj)
    if truthiness is True:
        return evaluator.evaluate(node.body, depth)
    if truthiness is False:
        return evaluator.evaluate(node.orelse, depth)
    body = evaluator.evaluate(node.body, depth)
    orelse = evaluator.evaluate(node.orelse, depth)
    if body.known and orelse.known and same_value(body.obj, orelse.obj):
        return body
    return UNKNOWN_VALUE


def _subscript(evaluator: ExpressionEvaluator, node: ast.Subscript, depth: int) -> Value:
    container = evaluator.evaluate(node.value, depth)
    if isinstance(container.obj, Symbol) and container.obj.qualname == 'os.environ':
        return _environ_item(evaluator, node.slice, depth)
    if isinstance(container.obj, Symbol) and container.obj.qualname == 'sys.modules':
        key = evaluator.evaluate(node.slice, depth).obj
        if isinstance(key, ModuleRef) and key.kind == 'name':
            return Value(ModuleRef(key.home, 'module'))
        return UNKNOWN_VALUE
    if isinstance(container.obj, ModuleRef) and container.obj.kind == 'globals':
        name = evaluator.evaluate(node.slice, depth).obj
        if not isinstance(name, str):
            return UNKNOWN_VALUE
        return evaluator.read_global(container.obj, name)
    if not isinstance(container.obj, (str, bytes, list, tuple, dict)):
        return UNKNOWN_VALUE
    key = _subscript_key(evaluator, node.slice, depth)
    if key is None:
        return UNKNOWN_VALUE
    return Value(container.obj[key.obj], container.origin)  # type: ignore[call-overload,index]


def _environ_item(evaluator: ExpressionEvaluator, node: ast.expr, depth: int) -> Value:
    """``os.environ[name]``: required, so unknown unless the variable is given."""
    name = evaluator.evaluate(node, depth).obj
    if isinstance(name, str):
        if name not in evaluator.variables:
            evaluator.raises('KeyError')
        return calls.required_lookup(evaluator.variables, name)
    return UNKNOWN_VALUE


def _subscript_key(evaluator: ExpressionEvaluator, node: ast.expr, depth: int) -> Value | None:
    """Return the key or ``slice`` a subscript uses, or None when it is unknown."""
    if isinstance(node, ast.Slice):
        bounds = [evaluator.evaluate(bound, depth).obj if bound else None for bound in (
            node.lower, node.upper, node.step,
        )]
        indices = [bound for bound in bounds if bound is None or isinstance(bound, int)]
        return Value(slice(*indices)) if len(indices) == len(bounds) else None
    key = evaluator.evaluate(node, depth)
    return key if is_known(key.obj) else None


def _call(evaluator: ExpressionEvaluator, node: ast.Call, depth: int) -> Value:
    return calls.evaluate_call(evaluator, node, depth)


def _bind_arguments(
    evaluator: ExpressionEvaluator,
    signature: ast.arguments,
    node: ast.Call,
    depth: int,
) -> dict[str, Value] | None:
    if signature.posonlyargs:
        return None
    if any(isinstance(argument, ast.Starred) for argument in node.args):
        return None
    if len(node.args) > len(signature.args):
        return None  # extra positional arguments go to ``*args``: not modelled
    bound = {
        positional.arg: evaluator.evaluate(argument, depth)
        for positional, argument in zip(signature.args, node.args)
    }
    names = [argument.arg for argument in (*signature.args, *signature.kwonlyargs)]
    for keyword in node.keywords:
        if keyword.arg is None or keyword.arg not in names:
            return None
        bound[keyword.arg] = evaluator.evaluate(keyword.value, depth)
    # ``def f(*args, **kwargs)`` called with only the named parameters: both are empty.
    if signature.vararg is not None:
        bound[signature.vararg.arg] = Value(())
    if signature.kwarg is not None:
        bound[signature.kwarg.arg] = Value({})
    return _bind_defaults(evaluator, _defaults(signature), names, bound, depth)


def _bind_defaults(
    evaluator: ExpressionEvaluator,
    defaults: Mapping[str, ast.expr],
    names: Sequence[str],
    bound: dict[str, Value],
    depth: int,
) -> dict[str, Value] | None:
    """Give each parameter not passed its default; None when one has none."""
    for name in names:
        if name in bound:
            continue
        if name not in defaults:
            return None
        bound[name] = evaluator.evaluate(defaults[name], depth)
    return bound


def _defaults(signature: ast.arguments) -> dict[str, ast.expr]:
    """Map each parameter with a default value to the default's expression."""
    defaults = {
        positional.arg: default
        for positional, default in zip(reversed(signature.args), reversed(signature.defaults))
    }
    for keyword_only, keyword_default in zip(signature.kwonlyargs, signature.kw_defaults):
        if keyword_default is not None:
            defaults[keyword_only.arg] = keyword_default
    return defaults


#: Evaluates one kind of node; each takes its own node class, hence ``Any``.
_NodeEvaluator = Callable[[ExpressionEvaluator, Any, int], Value]

_HANDLERS: Final[Mapping[_NodeType, _NodeEvaluator]] = types.MappingProxyType({
    ast.Constant: _constant,
    ast.Name: _name,
    ast.Attribute: _attribute,
    ast.List: _sequence,
    ast.Tuple: _sequence,
    ast.Set: _sequence,
    ast.Dict: _dict,
    ast.JoinedStr: _joined_str,
    ast.FormattedValue: _formatted,
    ast.BinOp: _binary,
    ast.UnaryOp: _unary,
    ast.BoolOp: _boolean,
    ast.Compare: _compare,
    ast.IfExp: _if_expression,
    ast.NamedExpr: _named_expression,
    ast.ListComp: _list_comprehension,
    ast.Subscript: _subscript,
    ast.Call: _call,
})
