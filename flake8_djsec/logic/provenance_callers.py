"""
Who passes a function's arguments: the framework (an entry point), or the module's own calls.

A bare function argument is user input only where the framework hands it over:
a view (a function or method taking ``request``), a template tag or filter, a
method Django or DRF calls with submitted or stored data (``Widget.render``,
``validate_<field>``, ``to_internal_value``). Elsewhere its value is what the
callers pass: the module's call sites (``name(...)``, ``self.name(...)``) are
found here, and the engine judges what each one passes. Pure: AST in, AST out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final, final

from flake8_djsec.logic import provenance_tables as tables
from flake8_djsec.logic.shape import child_nodes

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: A call site: the call, and whether its receiver binds the first parameter (``self.m()``).
Site = tuple[ast.Call, bool]
_RECEIVERS: Final = frozenset(('self', 'cls'))
#: The nodes statements are found in.
_BLOCKS: Final = (ast.stmt, ast.excepthandler, ast.match_case)


@final
class CallSites:
    """The module's calls by callee name, and the names it reads as values; one walk, lazily."""

    def __init__(self, body: list[ast.stmt]) -> None:
        """Keep the statements; the walk happens on the first question."""
        self._body = body
        self._by_name: dict[str, list[ast.Call]] | None = None
        self._by_attribute: dict[str, list[ast.Call]] = {}
        self._values: set[str] = set()
        self._registered: set[str] = set()

    def of(self, function: _Function, klass: ast.ClassDef | None) -> list[Site]:
        """The calls of a function (``f(...)``) or of a method (``self.m(...)``, ``C.m(...)``)."""
        by_name = self._index()
        if klass is None:
            return [(call, False) for call in by_name.get(function.name, ())]
        sites: list[Site] = []
        if function.name == '__init__':
            sites.extend((call, True) for call in by_name.get(klass.name, ()))
        return [*sites, *self._method_sites(function, klass)]

    def is_value(self, function: _Function) -> bool:
        """Tell whether the module reads the function as a value (a callback: unseen callers)."""
        self._index()
        return function.name in self._values

    def is_registered(self, function: _Function) -> bool:
        """Tell whether the function is handed to a registrar (``register.filter("x", f)``)."""
        self._index()
        return function.name in self._registered

    def _method_sites(self, function: _Function, klass: ast.ClassDef) -> list[Site]:
        static = _decorated(function, 'staticmethod')
        sites: list[Site] = []
        for call in self._by_attribute.get(function.name, ()):
            receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
            if _is_receiver(receiver):
                sites.append((call, not static))
            elif isinstance(receiver, ast.Name) and receiver.id == klass.name:
                sites.append((call, _decorated(function, 'classmethod')))
        return sites

    def _index(self) -> dict[str, list[ast.Call]]:
        if self._by_name is None:
            by_name: dict[str, list[ast.Call]] = {}
            nodes = list(_walk(self._body))
            calls = [node for node in nodes if isinstance(node, ast.Call)]
            for call in calls:
                self._add_call(call, by_name)
            callees = {id(site.func) for site in calls}
            self._values = {
                _last_name(node) or '' for node in nodes
                if isinstance(node, (ast.Name, ast.Attribute))
                and isinstance(node.ctx, ast.Load) and id(node) not in callees
            }
            self._by_name = by_name
        return self._by_name

    def _add_call(self, call: ast.Call, by_name: dict[str, list[ast.Call]]) -> None:
        function = call.func
        if isinstance(function, ast.Name):
            by_name.setdefault(function.id, []).append(call)
        elif isinstance(function, ast.Attribute):
            self._by_attribute.setdefault(function.attr, []).append(call)
        if isinstance(function, ast.Attribute) and function.attr in tables.ENTRY_DECORATORS:
            self._registered.update(
                argument.id for argument in call.args if isinstance(argument, ast.Name)
            )


def is_entry_point(
    function: _Function, klass: ast.ClassDef | None, name: str, *, registered: bool,
) -> bool:
    """
    Tell whether the framework calls the function with what users send or store.

    Decorated or registered template tags, filters and views always; public
    functions and methods taking ``request``; methods Django calls with data,
    for the parameters that carry it (``Widget.render``'s ``value``, not ``name``).
    """
    decorators = {
        _last_name(_decorator_target(decorator)) for decorator in function.decorator_list
    }
    if decorators & tables.FILTER_DECORATORS and name != _first_parameter(function):
        return False  # a filter's argument: written in the template ({{ x|f:"arg" }})
    if registered or decorators & tables.ENTRY_DECORATORS:
        return True
    if function.name.startswith('_'):
        return False
    arguments = function.args
    names = {argument.arg for argument in (*arguments.posonlyargs, *arguments.args)}
    if names & tables.REQUEST_NAMES:
        return True
    return klass is not None and name in tables.DATA_PARAMETERS and (
        function.name in tables.ENTRY_METHODS
        or function.name.startswith(tables.ENTRY_METHOD_PREFIXES)
    )


def is_command(function: _Function, klass: ast.ClassDef | None) -> bool:
    """Tell whether a method is a management command's ``handle()`` (the operator's options)."""
    return klass is not None and function.name in tables.COMMAND_METHODS and any(
        'Command' in (_last_name(base) or '') for base in klass.bases
    )


def _first_parameter(function: _Function) -> str | None:
    positional = [*function.args.posonlyargs, *function.args.args]
    return positional[0].arg if positional else None


def passed_value(
    function: _Function, call: ast.Call, name: str, *, bound: bool,
) -> tuple[ast.expr, bool] | None:
    """
    What a call passes for a parameter, and whether it is the parameter's default.

    ``*args`` and ``**kwargs`` at the call give their whole value; None when the
    call passes nothing we can place (the parameter's own ``*args``/``**kwargs``).
    """
    named = next((keyword.value for keyword in call.keywords if keyword.arg == name), None)
    if named is not None:
        return named, False
    signature = function.args
    positional = [argument.arg for argument in (*signature.posonlyargs, *signature.args)]
    if bound:
        positional = positional[1:]
    if name in positional:
        placed = _positional_value(call, positional.index(name))
        if placed is not None:
            return placed, False
    spread = next((keyword.value for keyword in call.keywords if keyword.arg is None), None)
    if spread is not None:
        return spread, False  # **options may hold it
    return _default(function, name)


def _positional_value(call: ast.Call, position: int) -> ast.expr | None:
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred):
            return argument.value  # *values: the parameter takes one of them
        if index == position:
            return argument
    return None


def _default(function: _Function, name: str) -> tuple[ast.expr, bool] | None:
    signature = function.args
    positional = [*signature.posonlyargs, *signature.args]
    pairs = [
        *zip(positional[len(positional) - len(signature.defaults):], signature.defaults),
        *zip(signature.kwonlyargs, signature.kw_defaults),
    ]
    return next(
        ((default, True) for argument, default in pairs if argument.arg == name and default),
        None,
    )


def _is_receiver(receiver: ast.expr | None) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in _RECEIVERS
    # super().method(...): the class's own chain
    return isinstance(receiver, ast.Call) and _last_name(receiver.func) == 'super'


def _decorated(function: _Function, name: str) -> bool:
    return any(
        _last_name(_decorator_target(decorator)) == name for decorator in function.decorator_list
    )


def _decorator_target(decorator: ast.expr) -> ast.expr:
    return decorator.func if isinstance(decorator, ast.Call) else decorator


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _walk(body: list[ast.stmt]) -> Iterator[ast.AST]:
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        yield node
        pending.extend(child_nodes(node))  # ast.iter_child_nodes' order, less the contexts


def _statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """``_walk``'s nodes in its order, less expressions (no class is defined in one)."""
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        yield node
        pending.extend(child for child in child_nodes(node) if isinstance(child, _BLOCKS))


#: A value set on an attribute: the value, the method that sets it, the statement.
Setting = tuple[ast.expr, _Function, ast.AST]
#: A method, and one of its nodes that may set an attribute.
_Setter = tuple[_Function, ast.AST]
#: Attribute name -> the nodes that may set it.
_Setters = dict[str, list[_Setter]]


@final
class Classes:
    """The module's classes, their relatives and what their methods set: each found once."""

    def __init__(self, body: list[ast.stmt]) -> None:
        """Keep the statements; the walks happen on the first questions."""
        self._body = body
        self._classes: list[ast.ClassDef] | None = None
        self._families: dict[int, list[ast.ClassDef]] = {}
        self._setters: dict[int, _Setters] = {}

    def family(self, klass: ast.ClassDef) -> list[ast.ClassDef]:
        """The class, and the module's classes it derives from or that derive from it (by name)."""
        key = id(klass)
        found = self._families.get(key)
        if found is None:
            if self._classes is None:
                self._classes = [
                    node for node in _statements(self._body) if isinstance(node, ast.ClassDef)
                ]
            found = _family(self._classes, klass)
            self._families[key] = found
        return list(found)

    def attribute_settings(self, classes: list[ast.ClassDef], attribute: str) -> list[Setting]:
        """
        What the classes' methods set ``self.<attribute>`` to, or put in it.

        Assignments (``self.x = v``, ``self.x += v``), items (``self.x[k] = v``) and
        the usual mutators (``self.x.append(v)``, ``.update(v)``): what another name
        for the same object receives is not seen.
        """
        found: list[Setting] = []
        for klass in classes:
            for method, node in self._setting_nodes(klass).get(attribute, ()):
                found.extend((value, method, node) for value in _set_values(node, attribute))
        return found

    def _setting_nodes(self, klass: ast.ClassDef) -> _Setters:
        """The nodes of the class's methods that may set each ``self.<attribute>``, in order."""
        key = id(klass)
        found = self._setters.get(key)
        if found is None:
            found = {}
            for method, node in _method_nodes(klass):
                for attribute in _may_set(node):
                    found.setdefault(attribute, []).append((method, node))
            self._setters[key] = found
        return found


def _method_nodes(klass: ast.ClassDef) -> Iterator[_Setter]:
    for method in klass.body:
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from ((method, node) for node in _walk(method.body))


def _may_set(node: ast.AST) -> list[str]:
    """The attributes of ``self`` a node may set (``_set_values`` tells which it does)."""
    if isinstance(node, ast.Assign):
        targets: list[ast.expr] = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        targets = [node.func.value]
    else:
        return []
    return sorted({
        part.attr for target in targets for part in ast.walk(target)
        if isinstance(part, ast.Attribute) and _is_name(part.value, 'self')
    })


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _family(classes: list[ast.ClassDef], klass: ast.ClassDef) -> list[ast.ClassDef]:
    found = [klass]
    pending = [klass]
    while pending:
        current = pending.pop()
        for other in classes:
            if _related(current, other) and all(other is not seen for seen in found):
                found.append(other)
                pending.append(other)
    return found


def _related(one: ast.ClassDef, other: ast.ClassDef) -> bool:
    """Tell whether one class names the other as a base, or the other way round."""
    return other.name in {_last_name(base) for base in one.bases} or one.name in {
        _last_name(base) for base in other.bases
    }


def _set_values(node: ast.AST, attribute: str) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return [
            _part(target, attribute, node.value) for target in node.targets
            if _sets(target, attribute)
        ]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
        return [node.value] if _sets(node.target, attribute) else []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in tables.MUTATORS and _is_self_attribute(node.func.value, attribute):
            return [*node.args, *(keyword.value for keyword in node.keywords)]
    return []


def _sets(target: ast.expr, attribute: str) -> bool:
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_sets(element, attribute) for element in target.elts)
    if isinstance(target, ast.Subscript):
        return _is_self_attribute(target.value, attribute)
    return _is_self_attribute(target, attribute)


def _part(target: ast.expr, attribute: str, value: ast.expr) -> ast.expr:
    """``self.a, self.b = x, y`` gives ``self.b`` the ``y``."""
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
        for element, part in zip(target.elts, value.elts):
            if _sets(element, attribute):
                return _part(element, attribute, part)
    return value


def _is_self_attribute(node: ast.expr, attribute: str) -> bool:
    return (
        isinstance(node, ast.Attribute) and node.attr == attribute
        and isinstance(node.value, ast.Name) and node.value.id == 'self'
    )
