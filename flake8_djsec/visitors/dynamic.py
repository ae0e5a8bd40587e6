"""Strings built from parts we cannot vouch for: shared by the mark_safe and raw SQL rules."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from typing import Final, final

from flake8_djsec.visitors.index import CodeIndex

#: Calls whose result is a number: formatting one into a string cannot inject text.
NUMERIC_CALLS: Final = frozenset(('len', 'int', 'float', 'bool', 'abs', 'round', 'min', 'max'))
#: Translation functions: their text comes from the project's translators.
GETTEXT_CALLS: Final = frozenset((
    '_', 'gettext', 'gettext_lazy', 'ugettext', 'ugettext_lazy', 'pgettext', 'pgettext_lazy',
    'ngettext', 'ngettext_lazy', 'npgettext', 'npgettext_lazy', 'gettext_noop',
))
#: String methods whose result is fixed when their receiver and arguments are.
STRING_METHODS: Final = frozenset((
    'join', 'format', 'replace', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title',
    'capitalize', 'ljust', 'rjust', 'center', 'removeprefix', 'removesuffix',
))
#: How deep names are followed through their assignments.
_MAX_DEPTH: Final = 10
#: A ``%`` conversion: its type letter is the last group.
_CONVERSION: Final = re.compile(r'%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)')
_NUMERIC_TYPES: Final = frozenset('diouxXeEfFgG%')
_NUMERIC_SPEC: Final = re.compile(r'[bcdoxXneEfFgG%]$')
_DEFINITIONS: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@final
@dataclasses.dataclass(frozen=True)
class Strings:
    """Judges string expressions at one place of a module."""

    index: CodeIndex
    #: The line of the call being judged: only assignments above it count.
    line: int
    #: Last parts of call names whose result is safe in this context.
    safe_calls: frozenset[str]
    #: Last parts of attribute chains whose value is safe in this context.
    safe_attributes: frozenset[str] = frozenset()
    #: Names already followed at this line (each is looked up once).
    _followed: dict[str, list[ast.expr] | None] = dataclasses.field(
        default_factory=dict, compare=False, repr=False,
    )

    def is_safe(self, node: ast.expr, depth: int = 0) -> bool:
        """Tell whether an expression's text is fixed by the source (literals, safe calls)."""
        deeper = depth + 1
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(self._safe_placeholder(part, deeper) for part in node.values)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self._all_safe(node.elts, deeper)
        if isinstance(node, ast.IfExp):
            return self._all_safe([node.body, node.orelse], deeper)
        if isinstance(node, ast.BinOp):
            return self._safe_operation(node, deeper)
        if isinstance(node, ast.Call):
            return self._safe_call(node, deeper)
        if isinstance(node, ast.Name):
            parts = self.value_parts(node.id)
            return parts is not None and self._all_safe(parts, deeper)
        if isinstance(node, ast.Attribute):
            return node.attr in self.safe_attributes
        return False

    def built_how(self, node: ast.expr, *, follow: bool = True, depth: int = 0) -> str | None:
        """Say how a string is built by formatting a part that is not safe, else None."""
        if isinstance(node, ast.JoinedStr):
            return None if self.is_safe(node) else 'an f-string'
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self._built_by_percent(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._built_by_plus(node)
        if _is_format_call(node):
            return None if self.is_safe(node) else 'str.format()'
        if follow and isinstance(node, ast.Name):
            return self._built_name(node.id)
        return None

    def value_parts(self, name: str) -> list[ast.expr] | None:
        """
        Return what a name's value is made of at ``line``: its last assignment, then ``+=``.

        None when a binding is not a plain assignment (a parameter, a loop
        variable, unpacking) or the name is never assigned.
        """
        if name not in self._followed:
            self._followed[name] = None  # a name defined through itself stays unknown
            self._followed[name] = self._find_parts(name)
        return self._followed[name]

    def _find_parts(self, name: str) -> list[ast.expr] | None:
        function = self._scope()
        if function is not None:
            if name in _argument_names(function):
                return None
            bindings = _bindings(ast.walk(function), name, self.line)
            if bindings:
                return _parts(bindings)
        module = _bindings(_module_nodes(self.index.body), name, None)
        return _parts(module) if module else None

    def _built_by_percent(self, node: ast.BinOp, depth: int) -> str | None:
        template = self._literal(node.left)
        if template is None:
            if depth > _MAX_DEPTH:
                return None  # ``a % b % c ...`` thousands deep: not judged
            return self.built_how(node.left, follow=False, depth=depth + 1)
        conversions = _CONVERSION.findall(template)
        if all(conversion in _NUMERIC_TYPES for conversion in conversions):
            return None
        return None if self.is_safe(node.right) else '% formatting'

    def _built_by_plus(self, node: ast.BinOp) -> str | None:
        operands = list(_added(node))
        for operand in operands:
            how = self.built_how(operand, follow=False)
            if how:
                return how
        has_text = any(self._literal(part) is not None for part in operands)
        if has_text and not self._all_safe(operands, 0):
            return 'concatenation'
        return None

    def _all_safe(self, nodes: list[ast.expr], depth: int) -> bool:
        return all(self.is_safe(node, depth) for node in nodes)

    def _built_name(self, name: str) -> str | None:
        parts = self.value_parts(name)
        if not parts:
            return None
        for position, part in enumerate(parts):
            how = self.built_how(part, follow=False)
            if how:
                return '{0} assigned to {1}'.format(how, name)
            if position and not self.is_safe(part):
                return 'concatenation (+=) assigned to {0}'.format(name)
        return None

    def _literal(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            parts = self.value_parts(node.id)
            if parts and len(parts) == 1:
                return self._literal(parts[0]) if isinstance(parts[0], ast.Constant) else None
        return None

    def _safe_placeholder(self, part: ast.expr, depth: int) -> bool:
        if not isinstance(part, ast.FormattedValue):
            return True
        spec = part.format_spec
        if isinstance(spec, ast.JoinedStr) and spec.values:
            last = spec.values[-1]
            if isinstance(last, ast.Constant) and _NUMERIC_SPEC.search(str(last.value)):
                return True
        return self.is_safe(part.value, depth)

    def _safe_operation(self, node: ast.BinOp, depth: int) -> bool:
        if isinstance(node.op, ast.Mult):
            return self.is_safe(node.left, depth) and _is_numeric(node.right)
        if isinstance(node.op, ast.Mod):
            template = self._literal(node.left)
            if template is not None and all(
                conversion in _NUMERIC_TYPES for conversion in _CONVERSION.findall(template)
            ):
                return True
        return self._all_safe([node.left, node.right], depth)

    def _safe_call(self, node: ast.Call, depth: int) -> bool:
        name = _call_name(node)
        if name in self.safe_calls or name in NUMERIC_CALLS:
            return True
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if name in GETTEXT_CALLS or name == 'str':
            return self._all_safe(arguments, depth)
        if name in STRING_METHODS and isinstance(node.func, ast.Attribute):
            if not self.is_safe(node.func.value, depth):
                return False
            return all(self._safe_items(argument, depth + 1) for argument in arguments)
        return False

    def _safe_items(self, node: ast.expr, depth: int) -> bool:
        if isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            return self.is_safe(node.elt, depth + 1)
        return self.is_safe(node, depth)

    def _scope(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """Return the innermost function holding the line, if any."""
        return self.index.function_at(self.line)


_Binding = tuple[int, str, ast.expr | None]
_ASSIGN: Final = 'assign'
_AUGMENT: Final = 'augment'
#: A binding whose value is not followed (loops, unpacking, imports, ``with``).
_OPAQUE: Final = 'opaque'


def _bindings(nodes: Iterator[ast.AST], name: str, before: int | None) -> list[_Binding]:
    """Collect ``(line, kind, value)`` for each binding of a name, in line order."""
    found: list[_Binding] = []
    for node in nodes:
        binding = _binding(node, name)
        if binding is not None and (before is None or binding[0] < before):
            found.append(binding)
    return sorted(found, key=lambda binding: binding[0])


def _binding(node: ast.AST, name: str) -> _Binding | None:
    if isinstance(node, ast.Assign):
        return _assignment(node, name)
    if isinstance(node, ast.AnnAssign) and _is_name(node.target, name):
        return node.lineno, _ASSIGN if node.value else _OPAQUE, node.value
    if isinstance(node, ast.AugAssign) and _is_name(node.target, name):
        kind = _AUGMENT if isinstance(node.op, ast.Add) else _OPAQUE
        return node.lineno, kind, node.value
    if name in _other_bound_names(node):
        return getattr(node, 'lineno', 0), _OPAQUE, None
    return None


def _assignment(node: ast.Assign, name: str) -> _Binding | None:
    if any(_is_name(target, name) for target in node.targets):
        return node.lineno, _ASSIGN, node.value
    if any(name in _stored_names(target) for target in node.targets):
        return node.lineno, _OPAQUE, None
    return None


def _other_bound_names(node: ast.AST) -> set[str]:
    """Names bound by loops, ``with``, ``:=``, ``except ... as`` and imports: not followed."""
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension, ast.NamedExpr)):
        return _stored_names(node.target)
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return {
            bound for item in node.items if item.optional_vars
            for bound in _stored_names(item.optional_vars)
        }
    if isinstance(node, ast.ExceptHandler):
        return {node.name} if node.name else set()
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split('.')[0] for alias in node.names}
    return set()


def _parts(bindings: list[_Binding]) -> list[ast.expr] | None:
    """The last assignment's value and the ``+=`` values after it; None if any is opaque."""
    parts: list[ast.expr] = []
    for _, kind, value in bindings:
        if kind == _OPAQUE or value is None:
            return None
        if kind == _ASSIGN:
            parts = [value]
        else:
            parts.append(value)
    return parts or None


def _module_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    for statement in body:
        if not isinstance(statement, _DEFINITIONS):
            yield from ast.walk(statement)


def _argument_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    arguments = function.args
    names = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    names.extend(argument for argument in (arguments.vararg, arguments.kwarg) if argument)
    return {argument.arg for argument in names}


def _stored_names(target: ast.expr) -> set[str]:
    return {
        node.id for node in ast.walk(target)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _added(node: ast.expr) -> list[ast.expr]:
    """The operands of a chain of ``+``, left to right (iterative: chains can be thousands long)."""
    operands: list[ast.expr] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            pending.extend((current.right, current.left))
        else:
            operands.append(current)
    return operands


def _is_format_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    receiver = node.func.value
    return node.func.attr == 'format' and isinstance(receiver, ast.Constant) and isinstance(
        receiver.value, str,
    )


def _is_numeric(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int)
    return isinstance(node, ast.Call) and _call_name(node) in NUMERIC_CALLS


def _call_name(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None
