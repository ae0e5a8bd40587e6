"""
Function calls: a function body runs in a frame of the one statement interpreter.

A frame holds the function's local names (its parameters bound to the argument
values), reads module-level names through its caller when they share a module
(so it sees what the caller wrote) or from its module's namespace otherwise, and
records what it writes to module-level names (``global X``, ``X.append(...)``),
what it returns, and the containers it changed in place (an argument list the
caller also holds). A budget (call depth and steps, shared by nested calls) keeps
deep, recursive or looping helpers bounded: past it the call is unknown.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Final, final

from flake8_djsec.logic.evaluation.namespace import Binding, Function, Home
from flake8_djsec.logic.evaluation.values import (
    UNKNOWN,
    UNKNOWN_VALUE,
    Value,
    is_known,
    same_value,
)
from flake8_djsec.logic.nodes import walk

if TYPE_CHECKING:
    from flake8_djsec.logic.evaluation.statements import ModuleEvaluator

#: Calls nested deeper than this are unknown (recursion ends here).
MAX_CALL_DEPTH: Final = 8
#: Statements and expression nodes one call (with the calls it makes) may evaluate.
MAX_CALL_STEPS: Final = 20_000
#: Items a ``for`` loop runs over before it is not followed.
MAX_ITERATIONS: Final = 10_000

#: A way out of a call: the value returned and the module-level names written on the way.
Exit = tuple[Value, dict[str, Binding]]

_SCOPES: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@final
class Frame:
    """The state of one function call besides its local names (those are the namespace)."""

    def __init__(
        self,
        home: Home,
        local_names: frozenset[str],
        parent: ModuleEvaluator | None,
        depth: int,
    ) -> None:
        """Start a call of a function of ``home``; ``parent`` sees its module-level writes."""
        self.home = home
        self.locals = local_names
        self.parent = parent
        self.depth = depth
        #: Each ``return``: its value and the module-level names written on that path.
        self.returns: list[Exit] = []
        #: A ``return`` inside a statement that is not followed: the result is unknown.
        self.unknown_exit = False
        #: Containers changed in place: (before, after), for the names that hold them.
        self.mutations: list[tuple[object, object]] = []
        #: Other modules whose ``globals()`` the call wrote into, by id.
        self.homes: dict[int, Home] = {}
        #: Where the first decided condition came from (a plain ``return True`` says it).
        self.origin: str | None = None

    def module_binding(self, name: str) -> Binding | None:
        """A module-level name as the function sees it (before its own writes)."""
        if self.parent is not None:
            return self.parent.module_binding(name)
        evaluator = self.home.evaluator
        namespace = getattr(evaluator, 'namespace', None)
        return None if namespace is None else namespace.bindings.get(name)


@final
class FrameView(Mapping[str, Value]):
    """A frame's names for expressions: locals, then module-level names as the call sees them."""

    def __init__(self, evaluator: ModuleEvaluator, frame: Frame) -> None:
        """View the names of ``evaluator``'s frame."""
        self._evaluator = evaluator
        self._frame = frame

    def __getitem__(self, name: str) -> Value:
        """Return a name's value; a local not bound yet is unknown (UnboundLocalError)."""
        binding = self._evaluator.namespace.bindings.get(name)
        if binding is not None:
            return binding.value
        if name in self._frame.locals:
            return UNKNOWN_VALUE
        found = self._evaluator.module_binding(name)
        if found is None:
            raise KeyError(name)
        return found.value

    def __iter__(self) -> Iterator[str]:
        """Iterate over the local names bound so far."""
        return iter(self._evaluator.namespace.bindings)

    def __len__(self) -> int:
        """Count the local names bound so far."""
        return len(self._evaluator.namespace.bindings)


def function_locals(function: Function, home: Home) -> frozenset[str]:
    """The names a function binds locally, as Python's compiler decides (cached per module)."""
    key = id(function.node)
    cached = home.local_names.get(key)
    if cached is None:
        cached = _locals(function.node)
        home.local_names[key] = cached
    return cached


def _locals(node: ast.FunctionDef) -> frozenset[str]:
    signature = node.args
    names = {
        argument.arg for argument in (
            *signature.posonlyargs, *signature.args, *signature.kwonlyargs,
        )
    }
    names.update(extra.arg for extra in (signature.vararg, signature.kwarg) if extra is not None)
    declared: set[str] = set()
    for inner in _own_nodes(node):
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, (ast.Store, ast.Del)):
            names.add(inner.id)
        elif isinstance(inner, (ast.Global, ast.Nonlocal)):
            declared.update(inner.names)
        elif isinstance(inner, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split('.')[0] for alias in inner.names)
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(inner.name)
        elif isinstance(inner, ast.ExceptHandler) and inner.name:
            names.add(inner.name)
    return frozenset(names - declared)


def _own_nodes(node: ast.FunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function body, not those of the functions and classes nested in it."""
    pending: list[ast.AST] = list(node.body)
    while pending:
        current = pending.pop()
        yield current
        if isinstance(current, _SCOPES):
            continue
        pending.extend(ast.iter_child_nodes(current))


def is_generator(node: ast.FunctionDef) -> bool:
    """Tell whether calling the function returns a generator (its body yields)."""
    return any(isinstance(inner, (ast.Yield, ast.YieldFrom)) for inner in _own_nodes(node))


def returns_inside(statement: ast.stmt) -> bool:
    """Tell whether a statement holds a ``return`` (of the function running it)."""
    return any(isinstance(inner, (ast.Return, ast.Yield)) for inner in walk(statement))


def join_values(values: list[Value]) -> Value:
    """
    The result of a call whose paths return these values: what they share, else unknown.

    Equal values are that value; tuples of one length join item by item (``return A, B``
    on two paths); two lists keep the items they start with alike, then an unknown rest
    (``return MIDDLEWARE`` and ``return MIDDLEWARE + [extra]``).
    """
    joined = values[0]
    for other in values[1:]:
        if joined.known and other.known and same_value(joined.obj, other.obj):
            continue
        shared = _join_objects(joined.obj, other.obj, 0)
        if shared is UNKNOWN:
            return UNKNOWN_VALUE
        joined = Value(shared, joined.origin or other.origin)
    return joined


#: How deep tuples of returned values are joined item by item.
_MAX_JOIN_DEPTH: Final = 4


def _join_objects(left: object, right: object, depth: int) -> object:
    if is_known(left) and is_known(right) and same_value(left, right):
        return left
    if depth > _MAX_JOIN_DEPTH:
        return UNKNOWN
    if isinstance(left, tuple) and isinstance(right, tuple) and len(left) == len(right):
        pairs = zip(left, right)
        items = tuple(_join_objects(first, second, depth + 1) for first, second in pairs)
        # An item wholly unknown would sit in a tuple rules read by position: all unknown then.
        return UNKNOWN if any(item is UNKNOWN for item in items) else items
    if isinstance(left, list) and isinstance(right, list):
        prefix: list[object] = []
        for first, second in zip(left, right):
            if not (is_known(first) and is_known(second) and same_value(first, second)):
                break
            prefix.append(first)
        return [*prefix, UNKNOWN] if prefix else UNKNOWN
    return UNKNOWN


#: Marks a write into another module's names among a frame's module-level writes.
_FOREIGN: Final = '\x00'


def foreign_key(home: Home, name: str) -> str:
    """The key of a write into the names of module ``home`` (a ``globals()`` handed in)."""
    return '{0}{1}{0}{2}'.format(_FOREIGN, id(home), name)


def own_writes(written: Mapping[str, Binding]) -> dict[str, Binding]:
    """The writes into the function's own module."""
    return {name: binding for name, binding in written.items() if not name.startswith(_FOREIGN)}


def foreign_writes(paths: list[dict[str, Binding]]) -> dict[tuple[int, str], Binding]:
    """Writes into other modules, joined over a call's exits (unwritten on one: unknown)."""
    keys = sorted({key for written in paths for key in written if key.startswith(_FOREIGN)})
    joined: dict[tuple[int, str], Binding] = {}
    for key in keys:
        _, home_id, name = key.split(_FOREIGN)
        bindings = [written.get(key) for written in paths]
        present = [binding for binding in bindings if binding is not None]
        first = present[0]
        agree = len(present) == len(bindings) and all(
            same_value(first.value.obj, other.value.obj) and other.value.known
            for other in present
        )
        joined[int(home_id), name] = first if agree else unknown_binding(first)
    return joined


def unknown_binding(binding: Binding) -> Binding:
    """The same binding, its value unknown."""
    return dataclasses.replace(binding, value=UNKNOWN_VALUE)
