"""Run a settings module's statements, statically, into a Namespace."""

from __future__ import annotations

import ast
import copy
import dataclasses
import functools
import operator
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, final

from flake8_djsec.logic import project
from flake8_djsec.logic.deployment.model import copy_variables
from flake8_djsec.logic.evaluation import configurations, frames
from flake8_djsec.logic.evaluation.constants import resolve_symbol
from flake8_djsec.logic.evaluation.expressions import Budget, ExpressionEvaluator, size_ok
from flake8_djsec.logic.evaluation.namespace import (
    Binding,
    Function,
    Home,
    ModuleRef,
    Namespace,
    join_bindings,
)
from flake8_djsec.logic.evaluation.values import (
    UNKNOWN,
    UNKNOWN_VALUE,
    OptionalPattern,
    Symbol,
    Value,
    is_data,
    is_known,
    truth,
)
from flake8_djsec.logic.nodes import walk

if TYPE_CHECKING:
    from flake8_djsec.logic.evaluation.loader import ProjectLoader

#: Exceptions that a missing module raises, caught by ``contextlib.suppress(...)``.
_IMPORT_ERRORS: Final = frozenset((
    'ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException',
))
#: Statements nested deeper than this make what they touch unknown.
MAX_NESTING: Final = 30

_MUTATORS: Final = frozenset((
    'append', 'insert', 'extend', 'remove', 'pop', 'clear', 'update', 'setdefault',
    'add', 'discard', 'sort', 'reverse',
))
#: Builtins that may write any module-level name. ``__import__`` is not one: importing a
#: module by name binds nothing here.
_DYNAMIC: Final = frozenset(('exec', 'eval', 'setattr'))
#: In a statement we do not run (a ``while`` loop), these may write any module-level name too.
_UNFOLLOWED: Final = frozenset((*_DYNAMIC, 'globals', 'locals', 'vars'))
#: Objects a mutation changes in place, seen by every name bound to them.
_ALIASABLE: Final = (list, dict, set)
#: An in-place operator function, such as ``operator.iadd``, and its AST operator class.
_InplaceOperator = Callable[[Any, Any], object]
_OperatorType = type[ast.operator]
#: What a mutation of a copied value may raise when it cannot be decided.
_MUTATION_ERRORS: Final = (
    TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError,
    RecursionError, MemoryError,
)

_INPLACE: Final[Mapping[_OperatorType, _InplaceOperator]] = types.MappingProxyType({
    ast.Add: operator.iadd,
    ast.Sub: operator.isub,
    ast.Mult: operator.imul,
    ast.BitOr: operator.ior,
    ast.BitAnd: operator.iand,
    ast.Mod: operator.imod,
    ast.FloorDiv: operator.ifloordiv,
    ast.Div: operator.itruediv,
})


@final
class ModuleEvaluator:
    """Runs module-level statements and records every binding."""

    def __init__(
        self,
        variables: Mapping[str, str],
        path: str | None = None,
        loader: ProjectLoader | None = None,
        namespace: Namespace | None = None,
        home: Home | None = None,
    ) -> None:
        """
        Prepare to evaluate a module found at ``path``; ``loader`` follows its imports.

        ``home`` is the module whose globals the statements run in (a class body or a
        split-settings file runs in its module's); without it this is a module of its own.
        """
        self.variables = copy_variables(variables)
        self.path = path
        self.loader = loader
        self.namespace = namespace or Namespace()
        self.budget = Budget()
        if home is None:
            home = Home(path)
            home.evaluator = self
        self.home = home
        #: In a function body: the call's frame (None for module and class bodies).
        self.frame: frames.Frame | None = None
        #: A class body: its names are attributes, not the module's globals.
        self.class_body = False
        self._loops: list[_Loop] = []
        #: Inside a ``try`` body or a function: statements that surely raise end their path.
        self._catching = 0
        self._raised: str | None = None
        self._uncertain = False
        self._current: ast.stmt | None = None
        # Which names hold each list, dict or set (by identity), for ``_update_aliases``;
        # valid for the bindings dict ``_holders_of`` only (rebuilt when the dict is replaced).
        self._holders: dict[int, set[str]] = {}
        self._holders_of: dict[str, Binding] | None = None

    def run(self, statements: Sequence[ast.stmt]) -> Namespace:
        """Evaluate the statements and return the resulting namespace."""
        self._block(statements, 0)
        if self.namespace.dead or self.budget.remaining < 0:
            # The module raises in an empty environment, or it is too costly:
            # either way, it tells us nothing we can report.
            self.namespace.forget_all()
        if self.home.evaluator is self:
            self.home.live = False  # its functions, called later, only read it
        return self.namespace

    def evaluate(self, node: ast.expr | None) -> Value:
        """Evaluate one expression in the current namespace."""
        evaluated = self._expressions().evaluate(node)
        if self._catching and not evaluated.known:
            self._uncertain = True  # inside ``try``: what we cannot decide may raise
        return evaluated

    def _expressions(self) -> ExpressionEvaluator:
        if self.frame is None:
            return ExpressionEvaluator(self.namespace, self.variables, self.budget, owner=self)
        home_namespace = getattr(self.frame.home.evaluator, 'namespace', None) or Namespace()
        return ExpressionEvaluator(
            home_namespace, self.variables, self.budget,
            frames.FrameView(self, self.frame), owner=self,
        )

    def module_binding(self, name: str) -> Binding | None:
        """A module-level name as these statements see it (a function sees its own writes)."""
        if self.frame is None:
            return self.namespace.bindings.get(name)
        written = self.namespace.outer.get(name)
        return self.frame.module_binding(name) if written is None else written

    def set_module_name(self, name: str, binding: Binding) -> None:
        """Bind a module-level name: in the module, or among the writes of the running call."""
        if self.frame is None:
            self._set(name, binding)
        else:
            self.namespace.outer[name] = binding

    def _has(self, name: str) -> bool:
        if name in self.namespace.bindings:
            return True
        if self.frame is None or name in self.frame.locals:
            return False
        return self.module_binding(name) is not None

    def _lookup(self, name: str) -> Value:
        return self._expressions().lookup(name)

    def call(self, function: Function, arguments: dict[str, Value]) -> Value:
        """
        Run a function's body on its arguments; return its result, applying its effects.

        Its writes to module-level names reach the module when the module is the one
        running (or the calling function's writes, when the caller shares the module);
        containers it changed in place are changed for every name of the caller that
        holds them. Past the budget, or at a ``return`` we cannot follow, the result is
        unknown and what it may write is unknown.
        """
        home = function.home
        depth = 0 if self.frame is None else self.frame.depth
        if home is None or depth >= frames.MAX_CALL_DEPTH or frames.is_generator(function.node):
            self.forget_call(function, arguments)
            return UNKNOWN_VALUE
        if self.home is home and not self.class_body:
            parent: ModuleEvaluator | None = self
        else:
            parent = home.evaluator if home.live else None  # type: ignore[assignment]
        callee = self._frame_evaluator(function, home, arguments, parent, depth)
        budget_before = callee.budget.remaining
        callee._block(function.node.body, 0)  # noqa: SLF001 - the same interpreter
        if self.frame is None:
            self.budget.remaining -= budget_before - callee.budget.remaining
        return self._returned(function, arguments, callee, parent)

    def _frame_evaluator(
        self,
        function: Function,
        home: Home,
        arguments: dict[str, Value],
        parent: ModuleEvaluator | None,
        depth: int,
    ) -> ModuleEvaluator:
        loader = getattr(home.evaluator, 'loader', None)
        local = Namespace({
            name: Binding(value, function.node.lineno, function.node.col_offset, home.path)
            for name, value in arguments.items()
        })
        callee = ModuleEvaluator(self.variables, home.path, loader, local, home)
        callee.variables = self.variables  # os.environ.setdefault in the body is seen after
        callee._catching = 1  # noqa: SLF001 - a statement that raises ends the call's path
        callee.frame = frames.Frame(
            home, frames.function_locals(function, home), parent, depth + 1,
        )
        # Nested calls share the outermost call's budget.
        callee.budget = Budget(frames.MAX_CALL_STEPS) if self.frame is None else self.budget
        return callee

    def _returned(
        self,
        function: Function,
        arguments: dict[str, Value],
        callee: ModuleEvaluator,
        parent: ModuleEvaluator | None,
    ) -> Value:
        frame = callee.frame
        assert frame is not None  # noqa: S101 - built by _frame_evaluator
        exits = list(frame.returns)
        if not callee.namespace.dead:
            exits.append((Value(None), callee.namespace.outer))  # falls off the end
        if frame.unknown_exit or callee.budget.remaining < 0 or callee.namespace.opaque:
            self.forget_call(function, arguments)
            if callee.namespace.opaque and parent is not None:
                parent.namespace.forget_all()
            return UNKNOWN_VALUE
        if not exits:
            if callee.namespace.raised is not None:
                self.note_raise(callee.namespace.raised)  # the call raises in this environment
            return UNKNOWN_VALUE  # every path raises: like a required variable, unknown
        own = [frames.own_writes(written) for _, written in exits]
        if parent is not None:
            for name, binding in _joined_writes(parent, own).items():
                parent.set_module_name(name, binding)
        foreign = frames.foreign_writes([written for _, written in exits])
        for (home_id, name), binding in foreign.items():
            self._write_into(frame.homes[home_id], name, binding)
        for previous, updated in frame.mutations:
            self._update_aliases(None, previous, updated)
        joined = frames.join_values([returned for returned, _ in exits])
        if joined.origin is None and frame.origin is not None and joined.known:
            return Value(joined.obj, frame.origin, decided=joined.decided)
        return joined

    def forget_call(self, function: Function, arguments: Mapping[str, Value]) -> None:
        """A call not followed: what it may write, and the containers it may change, are unknown."""
        home = function.home
        touched: set[str] = set()
        for statement in function.node.body:
            touched.update(_touched_names(statement))
        local_names = frames.function_locals(function, home) if home else frozenset()
        writer: ModuleEvaluator | None = None
        if home is not None and self.home is home and not self.class_body:
            writer = self
        elif home is not None and home.live:
            writer = home.evaluator  # type: ignore[assignment]
        if writer is not None:
            for name in sorted(touched - local_names):
                found = writer.module_binding(name)
                if found is not None:
                    writer.set_module_name(name, frames.unknown_binding(found))
        for name in sorted(touched & arguments.keys()):
            self._forget_holders(arguments[name].obj)

    def _forget_holders(self, obj: object) -> None:
        if not isinstance(obj, _ALIASABLE):
            return
        for name in sorted(self._holders_of_object(obj)):
            self._set(name, frames.unknown_binding(self.namespace.bindings[name]))

    def _block(self, statements: Iterable[ast.stmt], outer: int) -> None:
        """Run a block whose enclosing statement is nested ``outer`` deep."""
        nesting = outer + 1
        for statement in statements:
            if self.namespace.dead:
                return
            if nesting > MAX_NESTING or not self.budget.spend():
                self._forget_touched([statement])
                continue
            if self._catching and isinstance(statement, _SIMPLE):
                self._caught_statement(statement, nesting)
            else:
                self._statement(statement, nesting)

    def note_raise(self, kind: str) -> None:
        """An expression of the running statement raises ``kind`` in this environment."""
        if self._raised is None:
            self._raised = kind

    def _caught_statement(self, statement: ast.stmt, nesting: int) -> None:
        """A statement inside ``try`` (or a function body): one that surely raises ends the path."""
        before = self.namespace.copy()
        self._raised = None
        self._statement(statement, nesting)
        if self._raised is not None:
            before.dead = True
            before.raised = self._raised
            self.namespace = before
        self._raised = None

    def _statement(self, statement: ast.stmt, nesting: int) -> None:
        self._current = statement
        if _is_dynamic(statement):
            self.namespace.forget_all()
            return
        self._dispatch(statement, nesting)
        for name in _walrus_targets(statement):
            self._bind(name, UNKNOWN_VALUE, statement)  # ``(NAME := ...)`` rebinds NAME

    def _dispatch(self, statement: ast.stmt, nesting: int) -> None:
        if isinstance(statement, ast.Assign):
            value = self.evaluate(statement.value)
            for target in statement.targets:
                self._assign(target, value, statement)
        elif isinstance(statement, ast.AnnAssign):
            if statement.value is not None:
                self._assign(statement.target, self.evaluate(statement.value), statement)
        elif isinstance(statement, ast.AugAssign):
            self._augmented(statement)
        elif isinstance(statement, ast.Expr):
            self._expression_statement(statement)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            self._import(statement)
        elif isinstance(statement, ast.If):
            self._if(statement, nesting)
        elif isinstance(statement, (ast.Try, getattr(ast, 'TryStar', ast.Try))):
            self._try(statement, nesting)  # type: ignore[arg-type]
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            self._with(statement, nesting)
        elif isinstance(statement, ast.FunctionDef):
            # A decorator (``@property``, ``@classmethod``) may make it anything; a function
            # nested in a function reads its enclosing call's names (not modelled).
            plain = not statement.decorator_list and self.frame is None
            plain = plain or (self.class_body and _is_static(statement))
            helper = Value(Function(statement, self.home)) if plain else UNKNOWN_VALUE
            self._bind(statement.name, helper, statement)
        elif isinstance(statement, ast.ClassDef):
            if self.frame is None:
                self._class(statement)
            else:
                self._bind(statement.name, UNKNOWN_VALUE, statement)
        elif isinstance(statement, ast.Return):
            self._return(statement)
        elif isinstance(statement, ast.For):
            self._for(statement, nesting)
        elif isinstance(statement, (ast.Break, ast.Continue)):
            self._loop_exit(statement)
        elif isinstance(statement, ast.AsyncFunctionDef):
            self._bind(statement.name, UNKNOWN_VALUE, statement)
        elif isinstance(statement, ast.Delete):
            self._delete(statement)
        elif isinstance(statement, ast.Raise):
            self.namespace.dead = True
            self.namespace.raised = _raised_name(statement)
        elif isinstance(statement, (ast.Pass, ast.Global, ast.Nonlocal, ast.Assert)):
            return
        else:
            # ``while``, ``async for``, match, and anything newer: what they touch is unknown.
            self._forget_touched([statement])

    def _return(self, statement: ast.Return) -> None:
        if self.frame is None:
            self.namespace.dead = True  # ``return`` outside a function does not compile
            return
        returned = Value(None) if statement.value is None else self.evaluate(statement.value)
        if self._raised is None:
            self.frame.returns.append((returned, dict(self.namespace.outer)))
        self.namespace.dead = True

    def _for(self, statement: ast.For, nesting: int) -> None:
        """``for`` over a known collection: the body runs once per item, ``break`` included."""
        items = _iteration_items(self.evaluate(statement.iter))
        if items is None:
            self._forget_touched([statement])
            return
        loop = _Loop()
        self._loops.append(loop)
        for item in items:
            if self.namespace.dead:
                break
            self._assign(statement.target, item, statement)
            self._block(statement.body, nesting)
            self.namespace = _merged(self.namespace, loop.continues)
            loop.continues = []
        if not self.namespace.dead:
            self._block(statement.orelse, nesting)
        self.namespace = _merged(self.namespace, loop.breaks)
        self._loops.pop()

    def _loop_exit(self, statement: ast.stmt) -> None:
        if not self._loops:
            self._forget_touched([statement])
            return
        loop = self._loops[-1]
        exits = loop.breaks if isinstance(statement, ast.Break) else loop.continues
        exits.append(self.namespace.copy())
        self.namespace.dead = True

    def _class(self, statement: ast.ClassDef) -> None:
        """
        A class: its body runs like a module body, seeded by its bases' attributes.

        The body reads the module's names; what it binds are the class's own
        attributes. django-configurations reads ``Configuration`` subclasses
        this way (``logic/evaluation/configurations.py``).
        """
        built = None if statement.keywords or statement.decorator_list else self._class_value(
            statement,
        )
        self._bind(statement.name, UNKNOWN_VALUE if built is None else Value(built), statement)

    def _class_value(self, statement: ast.ClassDef) -> configurations.ClassValue | None:
        own = self._class_body(statement)
        if own is None:
            return None  # the class body raises in an empty environment
        bases = [self.evaluate(base).obj for base in statement.bases]
        return configurations.build_class(
            statement, bases, _methods_unknown(own), self.variables, self.path,
        )

    def _class_body(self, statement: ast.ClassDef) -> dict[str, Binding] | None:
        """Run a class body on a copy of the module's names; return what it binds."""
        body = ModuleEvaluator(
            self.variables, self.path, self.loader, self.namespace.copy(), self.home,
        )
        body.class_body = True
        body.budget = self.budget
        start = dict(body.namespace.bindings)
        namespace = body.run(statement.body)
        if namespace.dead:
            return None
        own = _rebound(start, namespace.bindings)
        if namespace.opaque and not self.namespace.opaque:
            return configurations.forget(own)  # ``globals().update(...)`` in the body
        return own

    def _bind(self, name: str, value: Value, statement: ast.stmt) -> None:
        self._set(name, Binding(value, statement.lineno, statement.col_offset, self.path))

    def _set(self, name: str, binding: Binding) -> None:
        """Bind a name, keeping the index of container holders up to date."""
        if self.frame is not None and name not in self.frame.locals:
            self.namespace.outer[name] = binding  # ``global NAME`` or a module-level container
            return
        bindings = self.namespace.bindings
        if self._holders_of is bindings:
            previous = bindings.get(name)
            if previous is not None:
                self._unindex(name, previous.value.obj)
            self._index(name, binding.value.obj)
        bindings[name] = binding

    def _index(self, name: str, obj: object) -> None:
        if isinstance(obj, _ALIASABLE):
            self._holders.setdefault(id(obj), set()).add(name)

    def _unindex(self, name: str, obj: object) -> None:
        holders = self._holders.get(id(obj)) if isinstance(obj, _ALIASABLE) else None
        if holders is not None:
            holders.discard(name)
            if not holders:
                self._holders.pop(id(obj))

    def _holders_of_object(self, obj: object) -> set[str]:
        """The names bound to this very object (the index is rebuilt if the dict changed)."""
        bindings = self.namespace.bindings
        if self._holders_of is not bindings:
            self._holders = {}
            for name, binding in bindings.items():
                self._index(name, binding.value.obj)
            self._holders_of = bindings
        return set(self._holders.get(id(obj), ()))

    def _assign(self, target: ast.expr, value: Value, statement: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, value, statement)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target, value, statement)
        elif isinstance(target, ast.Subscript) and self._module_item(target, value):
            return
        elif isinstance(target, ast.Subscript):
            self._mutate(target.value, statement, lambda container, key: _set_item(
                container, key, copy.deepcopy(value.obj),
            ), target.slice)
        elif isinstance(target, ast.Starred):
            self._assign(target.value, UNKNOWN_VALUE, statement)

    def _module_item(self, target: ast.Subscript, value: Value) -> bool:
        """``globals()[name] = value`` (or through a parameter), ``sys.modules[__name__] = ...``."""
        container = self.evaluate(target.value).obj
        if isinstance(container, Symbol) and container.qualname == 'sys.modules':
            key = self.evaluate(target.slice).obj
            if not isinstance(key, str):
                self.expose(key.home if isinstance(key, ModuleRef) else self.home)
            return True
        if not (isinstance(container, ModuleRef) and container.kind == 'globals'):
            return False
        name = self.evaluate(target.slice).obj
        if isinstance(name, str):
            self.write_globals(container.home, {name: value})
        else:
            self.expose(container.home)
        return True

    def expose(self, home: Home) -> None:
        """The module was handed to code we cannot follow: any name may now be bound."""
        if home.live:
            home.evaluator.namespace.forget_all()  # type: ignore[attr-defined]
        if self.frame is not None or home is self.home:
            self.namespace.forget_all()

    def global_of(self, home: Home, name: str) -> Binding | None:
        """A module-level name of ``home`` as these statements see it."""
        if home is self.home and not self.class_body:
            return self.module_binding(name)
        namespace = getattr(home.evaluator, 'namespace', None)
        return None if namespace is None else namespace.bindings.get(name)

    def write_globals(self, home: Home, writes: Mapping[str, Value]) -> None:
        """Bind names in the module ``home`` (``globals().update(...)``), at this statement."""
        line, col = (0, 0) if self._current is None else (
            self._current.lineno, self._current.col_offset,
        )
        for name, written in writes.items():
            self._write_into(home, name, Binding(written, line, col, self.path))

    def _write_into(self, home: Home, name: str, binding: Binding) -> None:
        if home is self.home and not self.class_body:
            self.set_module_name(name, binding)
        elif self.frame is not None:
            self.frame.homes[id(home)] = home  # applied by the caller when the call returns
            self.namespace.outer[frames.foreign_key(home, name)] = binding
        elif home.live:
            home.evaluator.set_module_name(name, binding)  # type: ignore[attr-defined]

    def _unpack(self, target: ast.Tuple | ast.List, value: Value, statement: ast.stmt) -> None:
        items = value.obj
        starred = any(isinstance(element, ast.Starred) for element in target.elts)
        if starred or not isinstance(items, (list, tuple)) or len(items) != len(target.elts):
            for element in target.elts:
                self._assign(element, UNKNOWN_VALUE, statement)
            return
        for element, item in zip(target.elts, items):
            self._assign(element, Value(item, value.origin), statement)

    def _augmented(self, statement: ast.AugAssign) -> None:
        function = _INPLACE.get(type(statement.op))
        increment = self.evaluate(statement.value)
        if isinstance(statement.target, ast.Name):
            name = statement.target.id
            current = self._lookup(name)
            if not (function and current.known and increment.known) or not size_ok(
                statement.op, current.obj, increment.obj,
            ):
                self._bind(name, UNKNOWN_VALUE, statement)
                return
            try:
                updated = function(copy.copy(current.obj), increment.obj)
            except _MUTATION_ERRORS:
                updated = UNKNOWN
            # An operator on two decided operands builds its result from their parts.
            self._bind(name, Value(
                updated, current.origin or increment.origin, decided=updated is not UNKNOWN,
            ), statement)
            self._update_aliases(name, current.obj, updated)  # ``+=`` on a list is in place
        elif isinstance(statement.target, ast.Subscript):
            self._mutate(
                statement.target.value,
                statement,
                functools.partial(_augment_item, function, increment),
                statement.target.slice,
            )
        else:
            self._forget_touched([statement])

    def _expression_statement(self, statement: ast.Expr) -> None:
        call = statement.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            self._evaluate_call_statement(call)  # e.g. include(...), os.environ.setdefault(...)
            return
        method = call.func.attr
        root = _root_name(call.func.value)
        if root is None or not self._has(root):
            self._evaluate_call_statement(call)
            return
        receiver = self._lookup(root)
        if not is_data(receiver.obj):
            # A method of a symbol, helper or reader (``env.read_env()``): no setting changes.
            self._evaluate_call_statement(call)
            return
        if method not in _MUTATORS or call.keywords:
            self._bind(root, UNKNOWN_VALUE, statement)
            return
        arguments = [self.evaluate(argument) for argument in call.args]
        if not all(argument.known for argument in arguments):
            self._bind(root, UNKNOWN_VALUE, statement)
            return
        self._mutate(
            call.func.value, statement, functools.partial(_call_mutator, method, arguments), None,
        )

    def _update_aliases(self, root: str | None, previous: object, updated: object) -> None:
        """
        Other names bound to the same list or dict see its mutation, as in Python.

        The holders come from an index by identity: scanning every binding at each
        mutation made a module of N ``MIDDLEWARE += [...]`` quadratic.
        """
        if not isinstance(previous, _ALIASABLE):
            return
        if self.frame is not None:
            self.frame.mutations.append((previous, updated))  # the caller may hold it too
        for name in sorted(self._holders_of_object(previous) - {root}):
            binding = self.namespace.bindings[name]
            if binding.value.obj is previous:
                self._set(name, Binding(
                    Value(updated, binding.value.origin), binding.line, binding.col, binding.path,
                ))

    def _evaluate_call_statement(self, node: ast.expr) -> None:
        """Evaluate a call for its effects: environment defaults, split-settings includes."""
        if isinstance(node, ast.Call):
            function = self.evaluate(node.func).obj
            if isinstance(function, Symbol) and function.qualname == 'split_settings.tools.include':
                self._include(node)
                return
        self.evaluate(node)

    def _include(self, call: ast.Call) -> None:
        """Run the files of a django-split-settings ``include()`` in this namespace, in order."""
        patterns = self._include_patterns(call)
        included = None
        if self.loader is not None and patterns is not None:
            included = self.loader.includes(self.path, patterns)
        if included is None:
            self.namespace.forget_all()
            return
        for included_path, tree in included:
            assert self.loader is not None  # noqa: S101 - included is None without a loader
            inner = ModuleEvaluator(
                self.variables, included_path, self.loader.child(included_path), self.namespace,
                self.home,
            )
            inner.budget = self.budget
            self.home.evaluator = inner  # the included file runs in this module's globals
            inner.run(tree.body)
            self.home.evaluator = self
            self.namespace = inner.namespace
            self._holders_of = None  # the included file bound names in this very dict

    def _include_patterns(self, call: ast.Call) -> list[project.Pattern] | None:
        """
        The patterns an ``include()`` names, evaluated: ``"environments/{0}.py".format(ENV)``.

        ``optional(...)`` ones may match nothing; ``include(*parts)`` spreads a known
        sequence. None when one cannot be decided.
        """
        patterns: list[project.Pattern] = []
        for argument in call.args:
            if isinstance(argument, ast.Starred):
                spread = self.evaluate(argument.value).obj
                items = list(spread) if isinstance(spread, (list, tuple)) else [UNKNOWN]
            else:
                items = [self.evaluate(argument).obj]
            for item in items:
                pattern = _include_pattern(item)
                if pattern is None:
                    return None
                patterns.append(pattern)
        return patterns

    def _mutate(
        self,
        container_node: ast.expr,
        statement: ast.stmt,
        apply: Callable[[object, object], bool],
        key_node: ast.expr | None,
    ) -> None:
        """Apply ``apply(container, key)`` to a copy of the root setting's value."""
        root, path = _subscript_path(container_node)
        if root is None:
            return
        current = self._lookup(root)
        # The keys down to the container, then the key of the item mutated (or the whole).
        keys = [self.evaluate(key).obj for key in path]
        keys.append(_WHOLE if key_node is None else self.evaluate(key_node).obj)
        if not self._has(root) and not self.namespace.opaque:
            return  # mutating a name never bound: Python raises NameError
        updated = copy.copy(current.obj)  # the containers on the path are copied as well
        if _mutated(updated, keys, apply):
            self._bind(root, Value(updated, current.origin), statement)
            self._update_aliases(root, current.obj, updated)
        else:
            self._bind(root, UNKNOWN_VALUE, statement)

    def _import(self, statement: ast.Import | ast.ImportFrom) -> None:
        if isinstance(statement, ast.ImportFrom):
            self._import_from(statement)
            return
        for alias in statement.names:
            if alias.asname:
                self._bind(alias.asname, Value(Symbol(alias.name)), statement)
            else:
                top = alias.name.split('.')[0]
                self._bind(top, Value(Symbol(top)), statement)

    def _import_from(self, statement: ast.ImportFrom) -> None:
        module = statement.module or ''
        prefix = '.' * statement.level + module
        for alias in statement.names:
            if alias.name == '*':
                self._star_import(module, statement)
                continue
            qualname = '{0}.{1}'.format(prefix, alias.name) if prefix else alias.name
            imported = self._imported_binding(module, statement.level, alias.name)
            if imported is None:
                self._bind(alias.asname or alias.name, resolve_symbol(Symbol(qualname)), statement)
            else:
                self._set(alias.asname or alias.name, imported)

    def _imported_binding(self, module: str, level: int, name: str) -> Binding | None:
        """Return a name's binding in a project module (``from .base import env``)."""
        if self.loader is None or (level == 0 and not module):
            return None
        imported = self.loader.module(self.path, module, level)
        if imported is None:
            return None
        return imported.bindings.get(name)

    def _star_import(self, module: str, statement: ast.ImportFrom) -> None:
        if self.loader is None:
            self.namespace.forget_all()
            return
        if self.loader.exists(self.path, module, statement.level) is False:
            self.namespace.dead = True  # ImportError: this path of the module stops here
            return
        imported = self.loader.module(self.path, module, statement.level)
        here = False
        if imported is None and statement.level == 0:
            # An installed package's module: its values are reported at this import.
            imported = self.loader.installed(module)
            here = True
        if imported is None:
            self.namespace.forget_all()
            return
        self.namespace.opaque = self.namespace.opaque or imported.opaque
        for name, binding in imported.bindings.items():
            if name.startswith('_'):
                continue
            if here:
                binding = Binding(binding.value, statement.lineno, statement.col_offset, self.path)
            self._set(name, binding)

    def _if(self, statement: ast.If, nesting: int) -> None:
        self._bind_walruses(statement.test, statement)
        test = self.evaluate(statement.test)
        truthiness = truth(test.obj)
        if self.frame is not None and self.frame.origin is None:
            self.frame.origin = test.origin  # ``if raw in TRUE: return True``: DEBUG's origin
        if truthiness is True:
            self._block(statement.body, nesting)
        elif truthiness is False:
            self._block(statement.orelse, nesting)
        else:
            self._branches([statement.body, statement.orelse], nesting)

    def _bind_walruses(self, test: ast.expr, statement: ast.stmt) -> None:
        """
        ``if secret := os.getenv(K):``: bind what a test's ``:=`` binds before the branches run.

        Only those Python surely runs (the test itself, the left of a comparison, the
        first operand of ``and``/``or``, under ``not``); any other ``:=`` makes its
        name unknown.
        """
        sure = _sure_walruses(test)
        for node in walk(test):
            if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                value = self.evaluate(node.value) if node in sure else UNKNOWN_VALUE
                self._bind(node.target.id, value, statement)

    def _branches(self, blocks: Sequence[Sequence[ast.stmt]], nesting: int) -> None:
        start = self.namespace
        outcomes: list[Namespace] = []
        for block in blocks:
            self.namespace = start.copy()
            self._block(block, nesting)
            outcomes.append(self.namespace)
        merged = outcomes[0]
        for outcome in outcomes[1:]:
            merged = merged.merge(outcome)
        self.namespace = merged

    def _try(self, statement: ast.Try, nesting: int) -> None:
        found = self._imports_found(statement.body)
        if found is not None:
            # ``try: from .local import * except ImportError: ...``: the file decides.
            if found:
                self._block([*statement.body, *statement.orelse], nesting)
            elif statement.handlers:
                self._block(statement.handlers[0].body, nesting)
            self._block(statement.finalbody, nesting)
            return
        start = self.namespace.copy()
        outer_uncertain = self._uncertain
        self._uncertain = False
        self._catching += 1
        self._block(statement.body, nesting)
        self._catching -= 1
        certain = not self._uncertain
        self._uncertain = outer_uncertain or self._uncertain
        raised = self.namespace.raised if self.namespace.dead else None
        if raised is not None and self._catch(statement, raised, nesting):
            return
        if raised is not None:
            # Not caught here. In a body (or an outer ``try``) the path ends; at module level
            # the value is unknown, as a required variable outside ``try`` is.
            if self.frame is not None or self._catching:
                return
            self.namespace = start.copy()
            self._block(statement.body, nesting)
        self._block(statement.orelse, nesting)
        succeeded = self.namespace
        if certain and raised is None:
            # Every value of the body is decided: it does not raise, no handler runs.
            self._block(statement.finalbody, nesting)
            return
        if statement.handlers:
            partial = start.copy() if succeeded.dead else start.merge(succeeded)
            partial.dead = False
            for except_handler in statement.handlers:
                self.namespace = partial.copy()
                self._block(except_handler.body, nesting)
                succeeded = succeeded.merge(self.namespace)
        self.namespace = succeeded
        self._block(statement.finalbody, nesting)

    def _catch(self, statement: ast.Try, raised: str, nesting: int) -> bool:
        """The body surely raises ``raised``: the path an empty environment takes is its handler."""
        catcher = _matching_handler(statement.handlers, raised)
        if catcher is None:
            return False
        self.namespace = self.namespace.copy()
        self.namespace.dead = False
        self.namespace.raised = None
        if catcher.name:
            self._bind(catcher.name, UNKNOWN_VALUE, statement)
        self._block(catcher.body, nesting)
        self._block(statement.finalbody, nesting)
        return True

    def _with(self, statement: ast.With | ast.AsyncWith, nesting: int) -> None:
        """
        A ``with`` body runs; under ``contextlib.suppress(ImportError)``, missing imports do not.

        ``with suppress(ImportError): from .local import *`` is the optional import of
        ``try: ... except ImportError: pass``: taken only when the file exists.
        """
        missing = self._imports_found(statement.body) is False
        if missing and self._suppresses_import_error(statement):
            return
        self._block(statement.body, nesting)

    def _suppresses_import_error(self, statement: ast.With | ast.AsyncWith) -> bool:
        if len(statement.items) != 1:
            return False
        manager = statement.items[0].context_expr
        if not isinstance(manager, ast.Call):
            return False
        function = self.evaluate(manager.func).obj
        if not (isinstance(function, Symbol) and function.qualname == 'contextlib.suppress'):
            return False
        return any(
            isinstance(argument, ast.Name) and argument.id in _IMPORT_ERRORS
            for argument in manager.args
        )

    def _imports_found(self, body: Sequence[ast.stmt]) -> bool | None:
        """For a ``try`` body of relative imports only, tell whether every module exists."""
        if self.loader is None or not body:
            return None
        found = True
        for statement in body:
            if not isinstance(statement, ast.ImportFrom) or statement.level == 0:
                return None
            exists = self.loader.exists(self.path, statement.module or '', statement.level)
            if exists is None:
                return None
            found = found and exists
        return found

    def _delete(self, statement: ast.Delete) -> None:
        for target in statement.targets:
            if isinstance(target, ast.Name):
                self.namespace.bindings.pop(target.id, None)
                self._holders_of = None  # rebuilt at the next mutation
            elif isinstance(target, ast.Subscript):
                self._mutate(target.value, statement, _delete_item, target.slice)
            else:
                self._forget_touched([statement])

    def _forget_touched(self, statements: Iterable[ast.stmt]) -> None:
        for statement in statements:
            if _is_dynamic(statement, _UNFOLLOWED):
                self.expose(self.home)  # ``while ...: globals()[k] = ...``
                continue
            if self.frame is not None and frames.returns_inside(statement):
                self.frame.unknown_exit = True  # it may return: the result is unknown
            for name in _touched_names(statement):
                self._bind(name, UNKNOWN_VALUE, statement)


#: Statements whose evaluation we can tell raises (a required variable read, a raising call).
_SIMPLE: Final = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)
#: Exceptions and the classes that catch them besides themselves.
_CATCHERS: Final = types.MappingProxyType({
    'KeyError': frozenset(('LookupError',)),
})
_CATCH_ALL: Final = frozenset(('Exception', 'BaseException'))


def _raised_name(statement: ast.Raise) -> str | None:
    """The class a ``raise`` statement raises, by name (None: a re-raise or unknown)."""
    raised = statement.exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return None if raised is None else _class_name(raised)


def _matching_handler(
    catchers: Sequence[ast.ExceptHandler],
    raised: str,
) -> ast.ExceptHandler | None:
    """The first ``except`` clause that catches an exception of class ``raised`` (by name)."""
    names = {raised, *_CATCH_ALL, *_CATCHERS.get(raised, frozenset())}
    for catcher in catchers:
        if catcher.type is None:
            return catcher  # a bare ``except:``
        caught = catcher.type.elts if isinstance(catcher.type, ast.Tuple) else [catcher.type]
        if names & {_class_name(written) for written in caught}:
            return catcher
    return None


def _class_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


@final
class _Loop:
    """The paths that left a ``for`` body early: by ``break`` and by ``continue``."""

    def __init__(self) -> None:
        self.breaks: list[Namespace] = []
        self.continues: list[Namespace] = []


def _merged(namespace: Namespace, others: Iterable[Namespace]) -> Namespace:
    for other in others:
        namespace = namespace.merge(other)
    return namespace


def _iteration_items(iterable: Value) -> list[Value] | None:
    """The items a ``for`` loop runs over, when the collection is fully known and small."""
    collection = iterable.obj
    if not isinstance(collection, (list, tuple, str, dict, set, frozenset)) or not iterable.known:
        return None
    if len(collection) > frames.MAX_ITERATIONS:
        return None
    ordered = collection
    if isinstance(collection, (set, frozenset)):
        ordered = sorted(collection, key=repr)
    return [Value(copy.deepcopy(item), iterable.origin) for item in ordered]


_Writes = Mapping[str, Binding]


def _joined_writes(
    parent: ModuleEvaluator,
    paths: Sequence[_Writes],
) -> dict[str, Binding]:
    """A call's writes to module-level names, joined over its exits (one path unwritten: as was)."""
    joined: dict[str, Binding] = {}
    for name in sorted({name for written in paths for name in written}):
        bindings = [written.get(name) or parent.module_binding(name) for written in paths]
        outcome = bindings[0]
        for other in bindings[1:]:
            both_unset = outcome is None and other is None
            outcome = None if both_unset else join_bindings(outcome, other)
        if outcome is not None:
            joined[name] = outcome
    return joined


def _methods_unknown(attributes: Mapping[str, Binding]) -> dict[str, Binding]:
    """
    A method read through an instance is a bound method or a computed value: unknown.

    A ``@staticmethod`` is the function itself, read through the class or an instance.
    """
    return {
        name: dataclasses.replace(binding, value=UNKNOWN_VALUE)
        if isinstance(binding.value.obj, Function) and not _is_static(binding.value.obj.node)
        else binding
        for name, binding in attributes.items()
    }


def _rebound(start: Mapping[str, Binding], bindings: Mapping[str, Binding]) -> dict[str, Binding]:
    """The names a block bound or rebound: their binding is not the one they started with."""
    return {
        name: binding for name, binding in bindings.items()
        if start.get(name) is not binding
    }


class _Whole:
    """The key that means "the container itself"."""


_WHOLE: Final = _Whole()


def _set_item(container: object, key: object, item: object) -> bool:
    container[key] = item  # type: ignore[index]
    return True


def _delete_item(container: object, key: object) -> bool:
    del container[key]  # type: ignore[attr-defined]  # noqa: WPS420 - the statement modelled
    return True


def _augment_item(
    function: _InplaceOperator | None,
    increment: Value,
    container: object,
    key: object,
) -> bool:
    """``container[key] += increment``, as an ``apply`` for ``_mutate``."""
    if function is None or not increment.known:
        return False
    current_item = copy.copy(container[key])  # type: ignore[index]
    return _set_item(container, key, function(current_item, increment.obj))


def _include_pattern(item: object) -> project.Pattern | None:
    if isinstance(item, OptionalPattern):
        return project.Pattern(item.pattern, optional=True)
    if isinstance(item, str):
        return project.Pattern(str(item))
    return None


def _call_mutator(method: str, arguments: Sequence[Value], container: object, key: object) -> bool:
    """``container.method(*arguments)`` (or of its item), as an ``apply`` for ``_mutate``."""
    target = container
    if key is not _WHOLE:
        target = copy.copy(container[key])  # type: ignore[index]
        container[key] = target  # type: ignore[index]
    getattr(target, method)(*(copy.deepcopy(argument.obj) for argument in arguments))
    return True


def _subscript_path(node: ast.expr) -> tuple[str | None, list[ast.expr]]:
    """Return the root name of ``a[k1][k2]`` (None if not a name) and its keys, in source order."""
    path: list[ast.expr] = []
    while isinstance(node, ast.Subscript):
        path.append(node.slice)
        node = node.value
    root = node.id if isinstance(node, ast.Name) else None
    return root, list(reversed(path))


def _mutated(
    updated: object,
    keys: Sequence[object],
    apply: Callable[[object, object], bool],
) -> bool:
    """Apply a mutation at ``keys`` inside ``updated``; False when it is undecidable."""
    try:
        return _apply_at(updated, keys, apply)
    except _MUTATION_ERRORS:
        return False


def _apply_at(
    target: object,
    keys: Sequence[object],
    apply: Callable[[object, object], bool],
) -> bool:
    *path, final_key = keys
    for key in path:
        if not is_known(key):
            return False
        # Copy each container on the way down: values are shared, never changed in place.
        child = copy.copy(target[key])  # type: ignore[index]
        target[key] = child  # type: ignore[index]
        target = child
    if not (final_key is _WHOLE or is_known(final_key)):
        return False
    return apply(target, final_key)


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_dynamic(statement: ast.stmt, builtins: frozenset[str] = _DYNAMIC) -> bool:
    """Tell whether a statement may write any module-level name."""
    # Blocks of if/try/with are judged statement by statement; loops are not run, so whole.
    kinds = (ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.AsyncFor, ast.While)
    if not isinstance(statement, kinds):
        return False
    return any(_calls_dynamic(node, builtins) for node in walk(statement))


def _calls_dynamic(node: ast.AST, builtins: frozenset[str]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in builtins
    )


def _is_static(function: ast.FunctionDef) -> bool:
    """``@staticmethod`` alone: ``Cls.method(...)`` runs the body on the arguments as written."""
    decorators = function.decorator_list
    return len(decorators) == 1 and isinstance(decorators[0], ast.Name) and (
        decorators[0].id == 'staticmethod'
    )


def _sure_walruses(test: ast.expr) -> list[ast.NamedExpr]:
    """The ``:=`` of a test that run whatever the values: along its first operands."""
    sure: list[ast.NamedExpr] = []
    node: ast.expr | None = test
    while node is not None:
        if isinstance(node, ast.NamedExpr):
            sure.append(node)
            node = node.value
        elif isinstance(node, ast.Compare):
            node = node.left
        elif isinstance(node, ast.BoolOp):
            node = node.values[0]
        elif isinstance(node, ast.UnaryOp):
            node = node.operand
        else:
            node = None
    return sure


def _walrus_targets(statement: ast.stmt) -> list[str]:
    """Return the names ``:=`` binds in a simple statement (compound ones are walked per block)."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
        return []
    return [
        node.target.id for node in walk(statement)
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name)
    ]


def _touched_names(statement: ast.stmt) -> set[str]:
    """Return the module-level names a statement may bind or mutate."""
    names: set[str] = set()
    for node in walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            root = _root_name(node.func.value)
            if root is not None and node.func.attr in _MUTATORS:
                names.add(root)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            root = _root_name(node)
            if root is not None:
                names.add(root)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split('.')[0] for alias in node.names)
    return names
