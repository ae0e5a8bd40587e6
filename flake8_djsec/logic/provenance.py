"""
Value provenance for the code rules: is an expression's text fixed by the code?

One question, asked of any expression at one place of a module: *safe* (made only
of constants the code controls, escaped or sanitised HTML, quoted identifiers,
ORM-compiled SQL, numbers) or *not provably safe*, with a description of the
first part that is not (``the function argument author``, ``request.GET["q"]``).
It follows local and module variables (the assignments that reach the place),
loop variables, f-strings, ``%``, ``.format``, ``+``, ``join``, comprehensions,
the class's constants and the module's own functions (their ``return`` values,
with the call's arguments in place of the parameters), and a function's
parameters back to what the module's calls pass (``provenance_callers``: entry
points, where users' data comes in, are reported as they are). A budget and a depth
bound stop it cleanly: what it cannot decide is *unknown*, which the rules keep
silent about. Pure: no flake8, no violations; the knowledge is in
``provenance_tables``.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
import string
from collections.abc import Iterator, Mapping
from typing import Final, final

from flake8_djsec.logic import provenance_callers
from flake8_djsec.logic import provenance_tables as tables
from flake8_djsec.logic.shape import ModuleShape, ScopeBindings, child_nodes

#: How many expressions one question may look at, and how deep it may nest.
BUDGET: Final = 3000
MAX_DEPTH: Final = 60
#: How many calls of the module's own functions may be inlined into each other.
MAX_CALLS: Final = 6
#: How much of an expression's source a description shows.
_SHOWN: Final = 40

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: A binding: its statement, and the target (or the statement) that binds the name.
_Bound = tuple[ast.AST, ast.AST]
#: Every name a scope binds -> its bindings in source order.
_ScopeBindings = ScopeBindings
_SCOPES: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BRANCHES: Final = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.match_case, ast.ExceptHandler)
_CONVERSION: Final = re.compile(r'%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)')
_NUMERIC_TYPES: Final = frozenset('diouxXeEfFgG%')
_NUMERIC_SPEC: Final = re.compile(r'[bcdoxXneEfFgG%]$')
_CONSTANT_NAME: Final = re.compile(r'^_*[A-Z][A-Z0-9_]*$')
_DUNDER: Final = re.compile(r'^__\w+__$')
_FORM_NAME: Final = re.compile(r'^_*(?:\w+_)?form$')
_BINDS_BEFORE_BODY: Final = (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.ExceptHandler)

#: Kinds of unsafe parts.
ARGUMENT: Final = 'argument'
REQUEST: Final = 'request'
FIELD: Final = 'field'
#: A call of another module's function: not provably safe, but not known unsafe either.
CALL: Final = 'call'
#: An object another module's class builds (``Preference(...)``): its attributes are not seen.
OBJECT: Final = 'object'
#: A call known to return unescaped text (``markdown()``, ``json.dumps()``).
SOURCE: Final = 'source'
VALUE: Final = 'value'
#: Not decided (budget, depth): the rules stay silent.
UNKNOWN: Final = 'unknown'
#: A bare argument of a function that is no entry point and that no visible call passes:
#: not provably safe, not known unsafe (its callers are in other modules).
PASSED: Final = 'passed'
#: An argument of a management command's ``handle()``: the operator's command line.
COMMAND: Final = 'command'
#: Kinds that are not reported and give way to a reported part built into the same string.
WEAK: Final = frozenset((UNKNOWN, CALL, PASSED, COMMAND, OBJECT))


@final
@dataclasses.dataclass(frozen=True)
class Verdict:
    """The answer: safe, or the first part that is not and how it is built in."""

    safe: bool
    #: What the unsafe part is, for the message (empty when safe).
    unsafe: str = ''
    #: One of the kinds above (empty when safe).
    kind: str = ''
    #: The formatting that builds the unsafe part into the string (``an f-string``), if any.
    how: str = ''

    def built(self, how: str) -> Verdict:
        """The same verdict, built into a string by ``how`` (the innermost one is kept)."""
        if self.safe or self.how:
            return self
        return dataclasses.replace(self, how=how)


SAFE: Final = Verdict(safe=True)
_UNDECIDED: Final = Verdict(safe=False, unsafe='an expression too deep to follow', kind=UNKNOWN)


@final
@dataclasses.dataclass(frozen=True)
class Sanitizers:
    """What a rule counts as safe, on top of constants and numbers."""

    #: Qualified names of calls whose result is safe.
    qualnames: frozenset[str]
    #: Names of calls, without an import we can see, whose result is safe.
    names: frozenset[str]
    #: Methods, on any receiver, whose result is safe.
    methods: frozenset[str]
    #: Attributes whose value is safe.
    attributes: frozenset[str] = tables.SAFE_ATTRIBUTES
    #: Qualified names and names of the rule's sinks: their results are judged where they are.
    sinks: frozenset[str] = frozenset()
    #: Whether ``form[name]`` (a bound field, rendered with its value escaped) is safe.
    bound_fields: bool = False


HTML: Final = Sanitizers(
    qualnames=tables.HTML_SANITIZERS,
    names=tables.HTML_SANITIZER_NAMES,
    methods=tables.HTML_SANITIZER_METHODS,
    attributes=tables.SAFE_ATTRIBUTES | tables.HTML_SAFE_ATTRIBUTES,
    bound_fields=True,
)
SQL: Final = Sanitizers(
    qualnames=frozenset(),
    names=tables.SQL_SANITIZER_METHODS,
    methods=tables.SQL_SANITIZER_METHODS,
)


@final
@dataclasses.dataclass(frozen=True)
class _Frame:
    """Where names are looked up: a function (or the module) at a place, and inlined arguments."""

    function: _Function | None
    at: ast.AST
    arguments: Mapping[str, tuple[ast.expr, _Frame]] = dataclasses.field(default_factory=dict)
    #: Comprehension variables: name -> the iterable whose elements they take.
    local: Mapping[str, tuple[ast.expr, _Frame]] = dataclasses.field(default_factory=dict)
    calls: int = 0
    #: A function inlined at a call: its parameters are that call's arguments.
    inlined: bool = False
    #: Functions whose callers are being followed (a recursive call adds nothing).
    following: frozenset[int] = frozenset()


@final
class Provenance:
    """Answers the question for one module; build once per module, ask many times."""

    def __init__(
        self,
        body: list[ast.stmt],
        imports: Mapping[str, str],
        sanitizers: Sanitizers,
        shape: ModuleShape | None = None,
    ) -> None:
        """Keep the module's statements and imports; ``shape`` is shared by its analyses."""
        self._body = body
        self._imports = imports
        self._sanitizers = sanitizers
        self._shape = ModuleShape(body) if shape is None else shape
        self._scope_bindings = self._shape.scope_bindings
        self._sites = self._shape.shared(
            'call sites', functools.partial(provenance_callers.CallSites, body),
        )
        self._classes = self._shape.shared(
            'classes', functools.partial(provenance_callers.Classes, body),
        )
        self._fields: frozenset[str] | None = None
        self._spent = 0

    def judge(self, node: ast.expr, at: ast.AST | None = None) -> Verdict:
        """Tell whether ``node``'s text is fixed by the code, read at ``at`` (default: node)."""
        self._spent = 0
        place = node if at is None else at
        function = self.function_of(place)
        frame = self._site_frame(place, function, 0, frozenset()) or _Frame(
            function=function, at=place,
        )
        try:
            return self._judge(node, frame, 0)
        except RecursionError:  # pragma: no cover - the depth bound comes first
            return _UNDECIDED

    def literal_texts(self, node: ast.expr, at: ast.AST) -> list[str]:
        """The string literals an expression is built from, through the names it reads."""
        texts: list[str] = []
        frame = _Frame(function=self.function_of(at), at=at)
        pending: list[tuple[ast.expr, int]] = [(node, 0)]
        while pending and len(texts) < BUDGET:
            current, depth = pending.pop()
            for child in ast.walk(current):
                if isinstance(child, ast.Constant) and isinstance(child.value, str):
                    texts.append(child.value)
                elif isinstance(child, ast.Name) and depth < 2:
                    pending.extend(
                        (value, depth + 1) for value, _ in self._assigned_values(child.id, frame)
                    )
        return texts

    def formatted_parts(self, node: ast.expr, at: ast.AST) -> list[tuple[str, ast.expr]]:
        """
        Each part formatted into a string, with the literal text just before its placeholder.

        f-strings, ``.format()`` and ``%`` on a literal template, through the names
        the expression reads (two assignments deep), as ``literal_texts`` does.
        """
        found: list[tuple[str, ast.expr]] = []
        frame = _Frame(function=self.function_of(at), at=at)
        pending: list[tuple[ast.expr, int]] = [(node, 0)]
        while pending and len(found) < BUDGET:
            current, depth = pending.pop()
            for child in ast.walk(current):
                found.extend(self._parts_of(child, frame))
                if isinstance(child, ast.Name) and depth < 2:
                    pending.extend(
                        (value, depth + 1) for value, _ in self._assigned_values(child.id, frame)
                    )
        return found

    def function_of(self, node: ast.AST) -> _Function | None:
        """The innermost function holding a node, or None at module level."""
        for parent in self._ancestors(node):
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return parent
        return None

    # -- expressions -----------------------------------------------------------------------

    def _judge(self, node: ast.expr, frame: _Frame, depth: int) -> Verdict:
        self._spent += 1
        if depth > MAX_DEPTH or self._spent > BUDGET:
            return _UNDECIDED
        deeper = depth + 1
        if isinstance(node, ast.Constant):
            return SAFE
        if isinstance(node, ast.JoinedStr):
            return self._all(
                [part for part in node.values if not _numeric_placeholder(part)], frame, deeper,
            ).built('an f-string')
        if isinstance(node, ast.FormattedValue):
            return self._judge(node.value, frame, deeper)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self._all(node.elts, frame, deeper)
        if isinstance(node, ast.Dict):
            return self._all([*filter(None, node.keys), *node.values], frame, deeper)
        if isinstance(node, ast.Starred):
            return self._judge(node.value, frame, deeper)
        if isinstance(node, ast.IfExp):
            return self._all([node.body, node.orelse], frame, deeper)
        if isinstance(node, ast.BoolOp):
            return self._all(node.values, frame, deeper)
        if isinstance(node, (ast.Compare, ast.UnaryOp)):
            return SAFE  # a boolean or a number
        if isinstance(node, ast.BinOp):
            return self._operation(node, frame, deeper)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self._comprehension(node, frame, deeper)
        if isinstance(node, ast.Name):
            return self._name(node.id, frame, deeper)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, frame, deeper)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, frame, deeper)
        if isinstance(node, ast.Call):
            return self._call(node, frame, deeper)
        if isinstance(node, ast.NamedExpr):
            return self._judge(node.value, frame, deeper)
        if isinstance(node, ast.Await):
            return self._judge(node.value, frame, deeper)
        return Verdict(safe=False, unsafe='the expression {0}'.format(_shown(node)), kind=VALUE)

    def _all(self, nodes: list[ast.expr], frame: _Frame, depth: int) -> Verdict:
        """Safe when every part is; else the first unsafe part, undecided ones last."""
        weak: Verdict | None = None
        for node in nodes:
            if isinstance(node, ast.Constant):
                continue  # long literal lists cost nothing
            verdict = self._judge(node, frame, depth)
            if verdict.kind in WEAK:
                weak = weak or verdict
            elif not verdict.safe:
                return verdict
        return weak or SAFE

    def _operation(self, node: ast.BinOp, frame: _Frame, depth: int) -> Verdict:
        if isinstance(node.op, ast.Add):
            operands = _added(node)
            if any(_is_numeral(operand) for operand in operands):
                return SAFE  # n + 1: a number (text + 1 raises)
            return self._all(operands, frame, depth).built('concatenation')
        if isinstance(node.op, ast.Mod):
            return self._percent(node, frame, depth)
        if isinstance(node.op, ast.Mult):
            # "&#9733;" * int(score), ["%s"] * len(ids): the text is the left (or right) operand's.
            if _is_number(node.right):
                return self._judge(node.left, frame, depth)
            if _is_number(node.left):
                return self._judge(node.right, frame, depth)
            return self._all([node.left, node.right], frame, depth)
        return SAFE  # -, /, //, **, <<, &, |: numbers or sets of numbers

    def _percent(self, node: ast.BinOp, frame: _Frame, depth: int) -> Verdict:
        template = node.left
        if isinstance(template, ast.Constant) and isinstance(template.value, str):
            conversions = _CONVERSION.findall(template.value)
            if all(conversion in _NUMERIC_TYPES for conversion in conversions):
                return SAFE
        return self._all([node.left, node.right], frame, depth).built('% formatting')

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        frame: _Frame,
        depth: int,
    ) -> Verdict:
        local = dict(frame.local)
        for generator in node.generators:
            for name in _stored_names(generator.target):
                local[name] = (generator.iter, dataclasses.replace(frame, local=dict(local)))
        inner = dataclasses.replace(frame, local=local)
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        return self._all(elements, inner, depth)

    def _subscript(self, node: ast.Subscript, frame: _Frame, depth: int) -> Verdict:
        if _from_request(node):
            return _requested(node)
        if isinstance(node.slice, ast.Slice):
            return self._judge(node.value, frame, depth)
        if self._sanitizers.bound_fields and self._is_form(node.value, frame):
            return SAFE  # form["title"]: a BoundField, its widget rendered with the value escaped
        verdict = self._judge(node.value, frame, depth)
        if verdict.safe or verdict.kind not in {ARGUMENT, PASSED}:
            return verdict
        # An item of a collection argument (context["comment"]) is a record's data: reported
        # even when no caller is visible.
        unsafe = '{0} of {1}'.format(_shown(node), verdict.unsafe)
        return Verdict(safe=False, unsafe=unsafe, kind=ARGUMENT)

    def _is_form(self, receiver: ast.expr, frame: _Frame) -> bool:
        """
        Tell whether a subscripted value is a form (``form``, ``self.admin_form``).

        By its name, and only when no binding that reaches the place gives it the
        request's data or a function's result (``form = json.loads(request.body)``);
        a class's instance (``form = ReviewForm(request.POST)``) is a form.
        """
        if isinstance(receiver, ast.Name):
            name = receiver.id
        elif isinstance(receiver, ast.Attribute):
            name = receiver.attr
        else:
            return False
        if not _FORM_NAME.match(name) or _from_request(receiver):
            return False
        if not isinstance(receiver, ast.Name) or frame.function is None or name in frame.local:
            return True
        bindings = self._reaching(name, frame.function, frame.at) or []
        return all(_is_form_value(binding[0]) for binding in bindings)

    # -- names -----------------------------------------------------------------------------

    def _name(self, name: str, frame: _Frame, depth: int) -> Verdict:
        if name in frame.local:
            iterable, outer = frame.local[name]
            return self._judge(iterable, outer, depth)
        if self._guarded(name, frame, depth):
            return SAFE
        function = frame.function
        if function is not None:
            bindings = self._reaching(name, function, frame.at)
            parameter = name in _argument_names(function)
            if bindings is not None and parameter and not self._dominates(
                bindings[0][0], frame.at, function,
            ):
                # if x is None: x = ...: the argument still reaches on the other path
                return _first_unsafe([
                    self._bindings(name, bindings, frame, depth),
                    self._parameter(name, frame, depth),
                ])
            if bindings is not None:
                return self._bindings(name, bindings, frame, depth)
            if parameter:
                return self._parameter(name, frame, depth)
            enclosing = self.function_of(function)
            if enclosing is not None:
                return self._name(name, _Frame(function=enclosing, at=function), depth)
        return self._module_name(name, frame, depth)

    def _parameter(self, name: str, frame: _Frame, depth: int) -> Verdict:
        if name in frame.arguments:
            passed, caller = frame.arguments[name]
            return self._judge(passed, caller, depth)
        if name in {'self', 'cls'}:
            return Verdict(safe=False, unsafe='the object {0}'.format(name), kind=VALUE)
        reported = Verdict(
            safe=False, unsafe='the function argument {0}'.format(name), kind=ARGUMENT,
        )
        function = frame.function
        if function is None or frame.inlined:
            return reported
        klass = self._class_holding(function)
        if provenance_callers.is_command(function, klass):
            unsafe = 'the command-line option {0}'.format(name)
            return Verdict(safe=False, unsafe=unsafe, kind=COMMAND)
        if provenance_callers.is_entry_point(
            function, klass, name, registered=self._sites.is_registered(function),
        ):
            return reported
        sites = self._sites.of(function, klass)
        if not sites:
            return dataclasses.replace(reported, kind=PASSED)
        return self._passed(name, function, sites, frame, depth)

    def _passed(
        self,
        name: str,
        function: _Function,
        sites: list[provenance_callers.Site],
        frame: _Frame,
        depth: int,
    ) -> Verdict:
        """Judge what the module's calls pass for a parameter: safe when every one is."""
        if frame.calls >= MAX_CALLS:
            return _UNDECIDED
        unseen = Verdict(safe=False, unsafe='the function argument {0}'.format(name), kind=PASSED)
        following = frame.following | {id(function)}
        verdicts: list[Verdict] = []
        for call, bound in sites:
            caller = self.function_of(call)
            if caller is not None and id(caller) in following:
                continue  # a recursive call passes what is already being judged
            passed = provenance_callers.passed_value(function, call, name, bound=bound)
            if passed is None:
                verdicts.append(unseen)
                continue
            value, is_default = passed
            if is_default:
                site: _Frame | None = _Frame(function=None, at=function, calls=frame.calls + 1)
            else:
                site = self._site_frame(call, caller, frame.calls + 1, following)
            verdicts.append(_UNDECIDED if site is None else self._judge(value, site, depth))
        if not verdicts or self._sites.is_value(function):
            verdicts.append(unseen)  # also handed over as a value: callers we do not see
        return _first_unsafe(verdicts)

    def _site_frame(
        self, call: ast.AST, caller: _Function | None, calls: int, following: frozenset[int],
    ) -> _Frame | None:
        """Where a place (a call site's arguments) is read, with the comprehensions around it."""
        around: list[ast.comprehension] = []
        for parent in self._ancestors(call):
            if parent is caller:
                break
            if isinstance(parent, ast.Lambda):
                return None  # a lambda's parameters: not followed
            if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                around = [*parent.generators, *around]
        frame = _Frame(function=caller, at=call, calls=calls, following=following)
        local: dict[str, tuple[ast.expr, _Frame]] = {}
        for generator in around:
            for stored in _stored_names(generator.target):
                local[stored] = (generator.iter, dataclasses.replace(frame, local=dict(local)))
        return dataclasses.replace(frame, local=local)

    def _class_holding(self, function: _Function) -> ast.ClassDef | None:
        around = self._ancestors(function)
        return around[0] if around and isinstance(around[0], ast.ClassDef) else None

    def _bindings(
        self, name: str, bindings: list[tuple[ast.AST, ast.AST]], frame: _Frame, depth: int,
    ) -> Verdict:
        return _first_unsafe([
            self._binding(name, statement, target, frame, depth) for statement, target in bindings
        ])

    def _binding(
        self, name: str, statement: ast.AST, target: ast.AST, frame: _Frame, depth: int,
    ) -> Verdict:
        at = dataclasses.replace(frame, at=statement, local={})
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            value = statement.value
            if value is None:
                return Verdict(safe=False, unsafe='the variable {0}'.format(name), kind=VALUE)
            if isinstance(statement, ast.AugAssign) and not isinstance(statement.op, ast.Add):
                return SAFE  # *=, -=, ...: numbers, or text repeated
            return self._judge(_unpacked(target, name, value), at, depth).built(
                'concatenation' if isinstance(statement, ast.AugAssign) else '',
            )
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.comprehension)):
            return self._judge(statement.iter, at, depth)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return SAFE  # a function or a class, not text
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            return self._imported(name)
        if isinstance(statement, ast.ExceptHandler):
            # Its text is built by the code that raised it, often another module's.
            return Verdict(safe=False, unsafe='the exception {0}'.format(name), kind=CALL)
        return Verdict(safe=False, unsafe='the variable {0}'.format(name), kind=VALUE)

    def _module_name(self, name: str, frame: _Frame, depth: int) -> Verdict:
        if frame.function is None:
            bound = self._class_body_value(name, frame.at)
            if bound is not None and bound.value is not None:
                return self._judge(bound.value, dataclasses.replace(frame, at=bound), depth)
        bindings = self._reaching(name, None, frame.at if frame.function is None else None)
        if bindings is not None:
            module_frame = dataclasses.replace(frame, function=None, arguments={}, local={})
            return self._bindings(name, bindings, module_frame, depth)
        if name in self._imports or self._star_imports():
            return self._imported(name)  # a star import brings the names no statement binds
        return Verdict(safe=False, unsafe='the name {0}'.format(name), kind=VALUE)

    def _star_imports(self) -> bool:
        return any(
            isinstance(statement, ast.ImportFrom)
            and any(alias.name == '*' for alias in statement.names)
            for statement in self._body
        )

    def _class_body_value(self, name: str, at: ast.AST) -> ast.Assign | ast.AnnAssign | None:
        """In a class body, the earlier statement of the body that binds a name (with a value)."""
        around = self._ancestors(at)
        klass = around[0] if around and isinstance(around[0], ast.ClassDef) else None
        if klass is None:
            return None
        found: ast.Assign | ast.AnnAssign | None = None
        for statement in klass.body:
            if statement is at or not _before(statement, at):
                break
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                if any(_is_name(target, name) for target in _targets(statement)):
                    found = statement
        return found

    def _imported(self, name: str) -> Verdict:
        if _CONSTANT_NAME.match(name) or _DUNDER.match(name):
            return SAFE  # a constant imported from the project (settings, constants, __version__)
        # Another module's object (cache, a helper): what it holds is not seen.
        return Verdict(safe=False, unsafe='the imported name {0}'.format(name), kind=CALL)

    def _guarded(self, name: str, frame: _Frame, depth: int) -> bool:
        """Tell whether the place is reached only when the name equals a constant or is in one."""
        scope = frame.function
        if scope is None:
            return False
        for test, positive in self._guards(frame.at, scope):
            if _type_checked(test, name, positive):
                return True  # assert isinstance(x, int), type(x) is datetime: a number or a date
            if _checks(test, name, positive) and self._judge(
                _checked_against(test), frame, depth,
            ).safe:
                return True
        return False

    def _guards(self, at: ast.AST, scope: _Function) -> Iterator[tuple[ast.expr, bool]]:
        """Tests that hold at a place: enclosing ``if`` bodies, earlier ``if not ...: return``."""
        child: ast.AST = at
        for parent in self._ancestors(at):
            if isinstance(parent, ast.If):
                yield parent.test, _holds_in(parent, child)
            if isinstance(parent, (ast.Assert,)):
                yield parent.test, True
            for statement in _earlier_statements(parent, child):
                if isinstance(statement, ast.If) and _exits(statement.body):
                    yield statement.test, False
                elif isinstance(statement, ast.Assert):
                    yield statement.test, True
            if parent is scope:
                return
            child = parent

    # -- attributes and calls --------------------------------------------------------------

    def _attribute(self, node: ast.Attribute, frame: _Frame, depth: int) -> Verdict:
        if node.attr in tables.META_ATTRIBUTES and _is_meta(node.value):
            return SAFE  # Model._meta.label
        if node.attr in self._sanitizers.attributes or _is_key_attribute(node.attr):
            return SAFE  # request.user.id is a key too
        file_url = _file_url(node)
        if node.attr in self._number_fields() or file_url in self._number_fields():
            return SAFE  # the module's models' number fields, and their files' URLs
        if tables.FILE_FIELD_NAME.search(file_url):
            return SAFE  # obj.photo.url, obj.symbol.svg_file.url: a storage URL, percent-encoded
        if _from_request(node):
            return _requested(node)
        if _CONSTANT_NAME.match(node.attr) or _is_member_value(node) or _DUNDER.match(node.attr):
            return SAFE  # constants, enum values, __doc__ and __name__: the code's
        member = self._class_member(node, frame)
        settings = self._settings(node, frame, depth)
        if member is not None:
            return _first_unsafe([self._member(member, node, frame, depth), *settings])
        if settings:
            return _first_unsafe(settings)
        root = _root_name(node)
        if root is not None and self._is_model(root, frame):
            return Verdict(
                safe=False, unsafe='the model field {0}'.format(_shown(node)), kind=FIELD,
            )
        unsafe = 'the attribute {0}'.format(_shown(node))
        elements = self._elements(node, frame, depth)
        if elements is not None and elements.safe:
            return SAFE  # an attribute of an element of a constant (PREFERENCES.items())
        if (elements is not None and elements.kind in {UNKNOWN, OBJECT}) or self._of_unseen_result(
            node, frame,
        ):
            return Verdict(safe=False, unsafe=unsafe, kind=CALL)
        return Verdict(safe=False, unsafe=unsafe, kind=FIELD)

    def _settings(self, node: ast.Attribute, frame: _Frame, depth: int) -> list[Verdict]:
        """What the class's (and its module relatives') methods set ``self.x`` to, judged."""
        if not _is_name(node.value, 'self'):
            return []
        klass = self._class_of(node.value, frame)
        if klass is None:
            return []
        classes = self._classes.family(klass)
        settings = self._classes.attribute_settings(classes, node.attr)
        if settings and frame.calls >= MAX_CALLS:
            return [_UNDECIDED]
        return [
            self._judge(value, _Frame(
                function=method, at=statement, calls=frame.calls + 1, following=frame.following,
            ), depth)
            for value, method, statement in settings
        ]

    def _elements(self, node: ast.Attribute, frame: _Frame, depth: int) -> Verdict | None:
        """What a loop variable's iterable holds, for an attribute of the variable (else None)."""
        root = _root_name(node)
        if root is None or not isinstance(_base(node), ast.Name):
            return None
        if root in frame.local:
            iterable, outer = frame.local[root]
            return self._judge(iterable, outer, depth)
        if frame.function is None:
            return None
        bindings = self._reaching(root, frame.function, frame.at)
        if not bindings or not all(
            isinstance(statement, (ast.For, ast.AsyncFor)) for statement, _ in bindings
        ):
            return None
        return _first_unsafe([
            self._judge(statement.iter, dataclasses.replace(frame, at=statement), depth)
            for statement, _ in bindings
            if isinstance(statement, (ast.For, ast.AsyncFor))
        ])

    def _of_unseen_result(self, node: ast.Attribute, frame: _Frame) -> bool:
        """
        Tell whether an attribute is read from what another module's code returned.

        ``f().x``, ``Imported.x``, or ``x.y`` with every binding of ``x`` that reaches
        the place a call (no ORM query), an imported name or an item or attribute of one
        (``admin.site._registry[Page]``): not seen, as the call's result itself is not.
        """
        if not isinstance(node.value, ast.Name) or frame.function is None:
            return self._is_unseen_value(node.value, frame)
        name = node.value.id
        if name in frame.local:
            return False
        bindings = self._reaching(name, frame.function, frame.at)
        if bindings is None:
            return self._is_unseen_value(node.value, frame)
        return bool(bindings) and all(
            isinstance(statement, ast.Assign) and self._is_unseen_value(statement.value, frame)
            for statement, _ in bindings
        )

    def _is_unseen_value(self, value: ast.expr, frame: _Frame) -> bool:
        while isinstance(value, (ast.Subscript, ast.Attribute)) and not _from_request(value):
            value = value.value
        if isinstance(value, ast.Call):
            return _is_unseen_call(value)
        if not isinstance(value, ast.Name) or value.id in frame.local:
            return False
        if frame.function is not None and value.id in _argument_names(frame.function):
            return False
        bindings = self._reaching(value.id, None, None) or []
        if not bindings:
            return self._star_imports()
        return all(
            isinstance(statement, (ast.Import, ast.ImportFrom)) for statement, _ in bindings
        )

    def _member(
        self, member: ast.AST, node: ast.Attribute, frame: _Frame, depth: int,
    ) -> Verdict:
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _is_property(member):
                return self._returns(member, [], [], frame, depth, bound=True)
            return SAFE  # a method, not text
        if isinstance(member, (ast.Assign, ast.AnnAssign)) and member.value is not None:
            if _is_field(member.value):
                unsafe = 'the model field {0}'.format(_shown(node))
                return Verdict(safe=False, unsafe=unsafe, kind=FIELD)
            return self._judge(member.value, _Frame(function=None, at=member), depth)
        return Verdict(safe=False, unsafe='the attribute {0}'.format(_shown(node)), kind=FIELD)

    def _call(self, node: ast.Call, frame: _Frame, depth: int) -> Verdict:
        function = node.func
        name = _call_name(node)
        qualname = self._qualname(function)
        sanitizers = self._sanitizers
        if qualname in sanitizers.qualnames or qualname in sanitizers.sinks:
            return SAFE
        if name in tables.NUMERIC_CALLS or _is_composable(node):
            return SAFE
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if isinstance(function, ast.Attribute):
            receiver = function.value
            if name in sanitizers.methods or _is_sanitizer_receiver(name, receiver):
                return SAFE
            if name == 'render' and _is_template(receiver):
                return SAFE  # Template("...").render(context): auto-escaped
            member = self._class_member(function, frame)
            if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return self._returns(member, node.args, node.keywords, frame, depth, bound=True)
            if _from_request(receiver) and name in tables.REQUEST_BUILDERS and node.args:
                return self._all(arguments, frame, depth)  # the validated host and the path given
            if _from_request(receiver):
                return _requested(node)
            if name in tables.QUERYSET_CALLS or (
                name in tables.MODEL_CALLS and '.objects' in _shown(function, 200)
            ):
                unsafe = 'the model rows of {0}()'.format(_shown(function))
                return Verdict(safe=False, unsafe=unsafe, kind=FIELD)
            if name in tables.LOOKUPS:
                # d.get(key, default): an item of d, or the default; the key is not in it.
                parts = [receiver, *node.args[1:], *(keyword.value for keyword in node.keywords)]
                return self._all(parts, frame, depth)
            if name in tables.STRING_METHODS:
                how = _method_how(name)
                return self._all([receiver, *arguments], frame, depth).built(how)
        elif isinstance(function, ast.Name):
            if function.id not in self._imports and name in sanitizers.names:
                return SAFE
            if function.id not in self._imports and function.id in sanitizers.sinks:
                return SAFE
            if self._escapes_unless_off(function.id, frame):
                return SAFE
            defined = self._module_function(function.id, frame)
            if defined is not None:
                return self._returns(defined, node.args, node.keywords, frame, depth, bound=False)
        if name in tables.GETTEXT_CALLS or name in tables.PROPAGATING_CALLS:
            return self._all(arguments, frame, depth)
        unsafe = 'the result of {0}()'.format(_shown(function))
        if self._is_source_call(node, name, qualname, frame) and not (
            self._escaping_encoder(node) or _escaping_extension(node)
        ):
            # Unescaped output of its input: safe input gives safe output, unseen input unseen.
            given = self._all(node.args[:1], frame, depth)
            if given.safe or given.kind in WEAK:
                return given  # an argument no visible call passes: its callers decide, as elsewhere
            return Verdict(safe=False, unsafe=unsafe, kind=SOURCE)
        return Verdict(safe=False, unsafe=unsafe, kind=OBJECT if _is_class_name(name) else CALL)

    def _returns(
        self,
        function: _Function,
        args: list[ast.expr],
        keywords: list[ast.keyword],
        frame: _Frame,
        depth: int,
        *,
        bound: bool,
    ) -> Verdict:
        """Judge what a function of the module returns, the call's arguments in its parameters."""
        if frame.calls >= MAX_CALLS:
            return _UNDECIDED
        signature = function.args
        parameters = [argument.arg for argument in (*signature.posonlyargs, *signature.args)]
        if bound and parameters:
            parameters = parameters[1:]
        passed: dict[str, tuple[ast.expr, _Frame]] = {}
        for parameter, argument in zip(parameters, args):
            if not isinstance(argument, ast.Starred):
                passed[parameter] = (argument, frame)
        for keyword in keywords:
            if keyword.arg is not None:
                passed[keyword.arg] = (keyword.value, frame)
        for parameter, default in _defaults(function):
            passed.setdefault(parameter, (default, _Frame(function=None, at=function)))
        results = [
            statement.value for statement in _own_nodes(function)
            if isinstance(statement, ast.Return) and statement.value is not None
        ]
        for result in results:
            inner = _Frame(
                function=function, at=result, arguments=passed, calls=frame.calls + 1, inlined=True,
            )
            verdict = self._judge(result, inner, depth)
            if not verdict.safe:
                return verdict
        return SAFE

    def _escapes_unless_off(self, name: str, frame: _Frame) -> bool:
        """
        Django's ``needs_autoescape`` idiom: ``esc = conditional_escape`` in a filter.

        The other binding (``def esc(x): return x``) runs only when the template turned
        auto-escaping off, the template author's choice.
        """
        scope = frame.function
        if scope is None or 'autoescape' not in _argument_names(scope):
            return False
        for statement, _ in self._bindings_in(scope).get(name, ()):
            if isinstance(statement, ast.Assign) and isinstance(
                statement.value, (ast.Name, ast.Attribute),
            ):
                qualname = self._qualname(statement.value)
                shown = _shown(statement.value)
                if qualname in self._sanitizers.qualnames or shown in self._sanitizers.names:
                    return True
        return False

    def _is_source_call(
        self, node: ast.Call, name: str | None, qualname: str | None, frame: _Frame,
    ) -> bool:
        """``markdown(x)``, ``json.dumps(x)``, and ``render``/``convert`` of a markdown object."""
        if self._resolved_source(node.func, name, qualname):
            return True
        function = node.func
        if name not in tables.MARKUP_METHODS or not isinstance(function, ast.Attribute):
            return False
        receivers = [function.value]
        if isinstance(function.value, ast.Name):
            receivers.extend(value for value, _ in self._assigned_values(function.value.id, frame))
        return any(
            isinstance(receiver, ast.Call) and self._resolved_source(
                receiver.func, _call_name(receiver), self._qualname(receiver.func),
            )
            for receiver in receivers
        )

    def _resolved_source(self, function: ast.expr, name: str | None, qualname: str | None) -> bool:
        """
        A source by its import when it has one (``markdown.markdown``, ``json.dumps``).

        A function imported from elsewhere (the project's ``render_markdown``, which may
        clean its output) is not one by its name; an unresolved name is judged by it.
        """
        root = _root_name(function)
        if root is None or root not in self._imports:
            return _is_source(name, qualname)
        resolved = str(qualname)
        library = resolved.split('.')[0]
        return resolved in tables.TEXT_SOURCES or library in tables.TEXT_SOURCE_MODULES

    def _escaping_encoder(self, node: ast.Call) -> bool:
        """
        Tell whether ``json.dumps(..., cls=Encoder)`` names an encoder that may escape HTML.

        Not proof: the rules stay silent (another module's class), unless the encoder is
        one known not to escape (``DjangoJSONEncoder``) or a class of this module that
        calls no escaping function.
        """
        encoder = next((keyword.value for keyword in node.keywords if keyword.arg == 'cls'), None)
        if encoder is None or _call_name(node) != 'dumps':
            return False
        shown = _shown(encoder, 200).rsplit('.', 1)[-1]
        if shown in tables.PLAIN_JSON_ENCODERS:
            return False
        klass = self._class_of(encoder, _Frame(function=None, at=node))
        if klass is None:
            return True
        return any(
            isinstance(child, ast.Call) and (
                _call_name(child) in self._sanitizers.names
                or self._qualname(child.func) in self._sanitizers.qualnames
            )
            for child in ast.walk(klass)
        )

    def _number_fields(self) -> frozenset[str]:
        """Attributes the module's models declare as numbers, dates, keys (``_id``), file URLs."""
        if self._fields is None:
            self._fields = self._shape.shared(
                'number fields', functools.partial(_module_number_fields, self._body),
            )
        return self._fields

    def _parts_of(self, node: ast.AST, frame: _Frame) -> list[tuple[str, ast.expr]]:
        if isinstance(node, ast.JoinedStr):
            return _fstring_parts(node)
        here = dataclasses.replace(frame, at=node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == 'format':
                templates = self._templates(node.func.value, here)
                return [part for text in templates for part in _format_parts(text, node)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            templates = self._templates(node.left, here)
            return [part for text in templates for part in _percent_parts(text, node.right)]
        return []

    def _templates(self, node: ast.expr, frame: _Frame) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if not isinstance(node, ast.Name):
            return []
        return [
            value.value for value, _ in self._assigned_values(node.id, frame)
            if isinstance(value, ast.Constant) and isinstance(value.value, str)
        ]

    # -- the module ------------------------------------------------------------------------

    def _reaching(
        self, name: str, scope: _Function | None, at: ast.AST | None,
    ) -> list[tuple[ast.AST, ast.AST]] | None:
        """
        The bindings of a name that reach a place: the last one every path runs, and later ones.

        None when the scope never binds the name. At module level without a place
        (read from a function, which runs after the module), every binding counts
        from the last unconditional one.
        """
        found = [
            (statement, target) for statement, target in self._bindings_in(scope).get(name, ())
            if at is None or _before(statement, at) or _runs_before_body(statement, at)
        ]
        if not found:
            return None
        root: ast.AST | None = scope
        start = 0
        for position, (statement, _) in enumerate(found):
            if not isinstance(statement, ast.AugAssign) and self._dominates(statement, at, root):
                start = position
        return found[start:]

    def _bindings_in(self, scope: _Function | None) -> _ScopeBindings:
        """Every name a scope binds, with its bindings in source order: one walk per scope."""
        key = id(scope)
        cached = self._scope_bindings.get(key)
        if cached is None:
            cached = _all_bindings(scope, self._body)
            self._scope_bindings[key] = cached
        return cached

    def _dominates(self, statement: ast.AST, at: ast.AST | None, root: ast.AST | None) -> bool:
        """Tell whether every path to the place runs the statement (no branch between them)."""
        around = set(map(id, self._ancestors(at))) if at is not None else set()
        child = statement
        for parent in self._ancestors(statement):
            if parent is root:
                return True
            if isinstance(parent, _BRANCHES) and (
                id(parent) not in around or not _same_branch(parent, child, at, self)
            ):
                return False
            child = parent
        return True

    def _assigned_values(self, name: str, frame: _Frame) -> list[tuple[ast.expr, ast.AST]]:
        bindings = self._reaching(name, frame.function, frame.at) or []
        return [
            (statement.value, statement) for statement, _ in bindings
            if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign))
            and statement.value is not None
        ]

    def _module_function(self, name: str, frame: _Frame) -> _Function | None:
        scope = frame.function
        while scope is not None:
            for node in _own_nodes(scope):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                    return node
            scope = self.function_of(scope)
        for statement in self._body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if statement.name == name:
                    return statement
        return None

    def _class_member(self, node: ast.Attribute, frame: _Frame) -> ast.AST | None:
        """The class-body statement an ``self.x``, ``cls.x`` or ``Class.x`` reads, if any."""
        klass = self._class_of(node.value, frame)
        if klass is None:
            return None
        for statement in klass.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if statement.name == node.attr:
                    return statement
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = _targets(statement)
                if any(_is_name(target, node.attr) for target in targets):
                    return statement
        return None

    def _class_of(self, receiver: ast.expr, frame: _Frame) -> ast.ClassDef | None:
        if not isinstance(receiver, ast.Name):
            return None
        if receiver.id in {'self', 'cls'} and frame.function is not None:
            for parent in self._ancestors(frame.function):
                if isinstance(parent, ast.ClassDef):
                    return parent
            return None
        for statement in self._body:
            if isinstance(statement, ast.ClassDef) and statement.name == receiver.id:
                return statement
        return None

    def _is_model(self, root: str, frame: _Frame) -> bool:
        """Tell whether a name is bound to ORM results (a loop over them, ``.get()``)."""
        for value, _ in self._assigned_values(root, frame):
            if isinstance(value, ast.Call) and _call_name(value) in tables.MODEL_CALLS:
                return True
        scope = frame.function
        if scope is None:
            return False
        for node in _own_nodes(scope):
            if isinstance(node, (ast.For, ast.AsyncFor)) and root in _stored_names(node.target):
                return '.objects' in _shown(node.iter, 200) or (
                    isinstance(node.iter, ast.Call) and _call_name(node.iter) in tables.MODEL_CALLS
                )
        return False

    def _qualname(self, node: ast.expr) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self._imports.get(node.id, node.id))
        return '.'.join(reversed(parts))

    def _ancestors(self, node: ast.AST | None) -> tuple[ast.AST, ...]:
        if node is None:
            return ()
        return self._shape.ancestors(node)


# -- helpers over nodes ------------------------------------------------------------------


def _bindings_of(
    name: str, scope: _Function | None, body: list[ast.stmt],
) -> list[tuple[ast.AST, ast.AST]]:
    """``(statement, target)`` for each binding of a name in a scope, in source order."""
    nodes = _own_nodes(scope) if scope is not None else _module_nodes(body)
    found: list[tuple[ast.AST, ast.AST]] = []
    for node in nodes:
        target = _bound_target(node, name)
        if target is not None:
            found.append((node, target))
    return sorted(found, key=_position)


def _all_bindings(
    scope: _Function | None, body: list[ast.stmt],
) -> _ScopeBindings:
    nodes = _own_nodes(scope) if scope is not None else _module_nodes(body)
    found: _ScopeBindings = {}
    for node in nodes:
        if isinstance(node, ast.expr) and not isinstance(node, ast.NamedExpr):
            continue  # of the expressions only := binds (``_names_bound``)
        for name in _names_bound(node):
            target = _bound_target(node, name)
            if target is not None:
                found.setdefault(name, []).append((node, target))
    for bindings in found.values():
        bindings.sort(key=_position)
    return found


def _names_bound(node: ast.AST) -> set[str]:
    """The names a statement may bind (checked exactly by ``_bound_target``)."""
    if isinstance(node, ast.Assign):
        return {name for target in node.targets for name in _stored_names(target)}
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
        return _stored_names(node.target)
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return {
            name for item in node.items if item.optional_vars is not None
            for name in _stored_names(item.optional_vars)
        }
    if isinstance(node, ast.ExceptHandler):
        return {node.name} if node.name else set()
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split('.')[0] for alias in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return set(node.names)
    return set()


def _bound_target(node: ast.AST, name: str) -> ast.AST | None:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if name in _stored_names(target):
                return target
        return None
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
        return node.target if name in _stored_names(node.target) else None
    if isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None and name in _stored_names(item.optional_vars):
                return item.optional_vars
        return None
    if isinstance(node, ast.ExceptHandler):
        return node if node.name == name else None
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        bound = {(alias.asname or alias.name).split('.')[0] for alias in node.names}
        return node if name in bound else None
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node if node.name == name else None
    if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
        return node
    return None


def _own_nodes(scope: _Function) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of the functions and classes nested in it."""
    pending: list[ast.AST] = list(reversed(scope.body))
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, _SCOPES):
            continue  # its name is bound here; its body is its own scope
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            continue  # comprehension variables are the comprehension's own
        pending.extend(reversed(child_nodes(node)))


def _module_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    pending: list[ast.AST] = list(reversed(body))
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, _SCOPES) or isinstance(
            node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp),
        ):
            continue
        pending.extend(reversed(child_nodes(node)))


def _position(binding: tuple[ast.AST, ast.AST]) -> tuple[int, int]:
    node = binding[0]
    return getattr(node, 'lineno', 0), getattr(node, 'col_offset', 0)


def _before(statement: ast.AST, at: ast.AST) -> bool:
    """Tell whether a statement ends before a place starts."""
    end = (getattr(statement, 'end_lineno', 0) or 0, getattr(statement, 'end_col_offset', 0) or 0)
    return end <= (getattr(at, 'lineno', 0), getattr(at, 'col_offset', 0))


def _runs_before_body(statement: ast.AST, at: ast.AST) -> bool:
    """A ``for``, ``with`` or ``except`` binds its names before its body, where the place may be."""
    if not isinstance(statement, _BINDS_BEFORE_BODY):
        return False
    start = (getattr(at, 'lineno', 0), getattr(at, 'col_offset', 0))
    first = statement.body[0]
    end = (statement.end_lineno or 0, statement.end_col_offset or 0)
    return (first.lineno, first.col_offset) <= start <= end


def _same_branch(parent: ast.AST, child: ast.AST, at: ast.AST | None, engine: Provenance) -> bool:
    """Tell whether the place is in the same field (body, orelse) of a branch as the child."""
    if at is None:
        return False
    path = [at, *engine._ancestors(at)]  # noqa: WPS437 - one module's own helper
    for position, node in enumerate(path):
        if node is parent and position:
            return _field_of(parent, path[position - 1]) == _field_of(parent, child)
    return False


def _field_of(parent: ast.AST, child: ast.AST) -> str:
    for field, value in ast.iter_fields(parent):
        if value is child or (isinstance(value, list) and any(item is child for item in value)):
            return field
    return ''


def _holds_in(statement: ast.If, child: ast.AST) -> bool:
    """True in the ``if`` body, False in the ``else``."""
    return any(node is child for node in statement.body) or statement.test is child


def _earlier_statements(parent: ast.AST, child: ast.AST) -> list[ast.stmt]:
    for _, value in ast.iter_fields(parent):
        if isinstance(value, list) and any(item is child for item in value):
            position = next(index for index, item in enumerate(value) if item is child)
            return [item for item in value[:position] if isinstance(item, ast.stmt)]
    return []


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def _checks(test: ast.expr, name: str, positive: bool) -> bool:
    """Tell whether a test that holds (or fails, ``positive`` False) pins a name to constants."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _checks(test.operand, name, not positive)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) and positive:
        return any(_checks(value, name, positive) for value in test.values)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and not positive:
        return any(_checks(value, name, positive) for value in test.values)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not _is_name(test.left, name):
        return False
    operator = test.ops[0]
    if positive:
        return isinstance(operator, (ast.In, ast.Eq))
    return isinstance(operator, (ast.NotIn, ast.NotEq))


def _type_checked(test: ast.expr, name: str, positive: bool) -> bool:
    """Tell whether a test that holds (or fails) pins a name to number or date types."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _type_checked(test.operand, name, not positive)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) and positive:
        return any(_type_checked(value, name, positive) for value in test.values)
    if isinstance(test, ast.Call) and _call_name(test) == 'isinstance' and len(test.args) == 2:
        checked, types = test.args
        return positive and _is_name(checked, name) and _safe_types(types)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        operator = test.ops[0]
        holds = isinstance(operator, (ast.Is, ast.Eq)) if positive else isinstance(
            operator, (ast.IsNot, ast.NotEq),
        )
        return holds and _is_type_of(test.left, name) and _safe_types(test.comparators[0])
    return False


def _is_type_of(node: ast.expr, name: str) -> bool:
    """``type(name)``."""
    return isinstance(node, ast.Call) and _call_name(node) == 'type' and bool(node.args) and (
        _is_name(node.args[0], name)
    )


def _safe_types(node: ast.expr) -> bool:
    elements = node.elts if isinstance(node, ast.Tuple) else [node]
    return bool(elements) and all(
        _shown(element).rsplit('.', 1)[-1] in tables.SAFE_TYPES for element in elements
    )


def _checked_against(test: ast.expr) -> ast.expr:
    while isinstance(test, (ast.UnaryOp, ast.BoolOp)):
        test = test.operand if isinstance(test, ast.UnaryOp) else test.values[0]
    if isinstance(test, ast.Compare):
        return test.comparators[0]
    return test


def _unpacked(target: ast.AST, name: str, value: ast.expr) -> ast.expr:
    """The part of an assigned value a name takes: ``a, b = x, y`` gives ``b`` the ``y``."""
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
        if len(target.elts) == len(value.elts):
            for element, part in zip(target.elts, value.elts):
                if name in _stored_names(element):
                    return _unpacked(element, name, part)
    return value


def _defaults(function: _Function) -> list[tuple[str, ast.expr]]:
    positional = [*function.args.posonlyargs, *function.args.args]
    defaults = function.args.defaults
    names = [argument.arg for argument in positional[len(positional) - len(defaults):]]
    pairs = list(zip(names, defaults))
    pairs.extend(
        (argument.arg, default)
        for argument, default in zip(function.args.kwonlyargs, function.args.kw_defaults)
        if default is not None
    )
    return pairs


def _argument_names(function: _Function) -> set[str]:
    arguments = function.args
    names = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    names.extend(argument for argument in (arguments.vararg, arguments.kwarg) if argument)
    return {argument.arg for argument in names}


def _stored_names(target: ast.AST) -> set[str]:
    return {
        node.id for node in ast.walk(target)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _targets(statement: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return statement.targets if isinstance(statement, ast.Assign) else [statement.target]


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_property(function: _Function) -> bool:
    return any(
        _shown(decorator) in {'property', 'cached_property', 'functools.cached_property'}
        for decorator in function.decorator_list
    )


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


def _numeric_placeholder(part: ast.expr) -> bool:
    if not isinstance(part, ast.FormattedValue):
        return True  # the literal text of an f-string
    spec = part.format_spec
    if isinstance(spec, ast.JoinedStr) and spec.values:
        last = spec.values[-1]
        return isinstance(last, ast.Constant) and bool(_NUMERIC_SPEC.search(str(last.value)))
    return False


def _is_field(value: ast.expr) -> bool:
    """A model (or form, serializer) field declaration: its instances' values are data."""
    if not isinstance(value, ast.Call):
        return False
    name = _call_name(value) or ''
    return name.endswith('Field') or name in tables.KEY_FIELDS


def _base(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def _fstring_parts(node: ast.JoinedStr) -> list[tuple[str, ast.expr]]:
    found: list[tuple[str, ast.expr]] = []
    before = ''
    for part in node.values:
        if isinstance(part, ast.FormattedValue):
            found.append((before, part.value))
            before = ''
        elif isinstance(part, ast.Constant):
            before = str(part.value)
    return found


def _format_parts(template: str, call: ast.Call) -> list[tuple[str, ast.expr]]:
    """``"... {0} ... {name}".format(a, name=b)``: each argument with the text before its field."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return []
    positional = [argument for argument in call.args if not isinstance(argument, ast.Starred)]
    named = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    found: list[tuple[str, ast.expr]] = []
    automatic = 0
    for before, field, _, _ in fields:
        if field is None:
            continue
        key = re.split(r'[.\[]', field, maxsplit=1)[0]
        if not key:
            key, automatic = str(automatic), automatic + 1
        if key.isdigit():
            value = positional[int(key)] if int(key) < len(positional) else None
        else:
            value = named.get(key)
        if value is not None:
            found.append((before, value))
    return found


def _percent_parts(template: str, operand: ast.expr) -> list[tuple[str, ast.expr]]:
    """``"... %s ... %(name)s" % values``: each value with the text before its conversion."""
    values = operand.elts if isinstance(operand, ast.Tuple) else [operand]
    named = {
        key.value: value for key, value in zip(operand.keys, operand.values)
        if isinstance(key, ast.Constant)
    } if isinstance(operand, ast.Dict) else {}
    found: list[tuple[str, ast.expr]] = []
    start = 0
    position = 0
    for match in _CONVERSION.finditer(template):
        before = template[start:match.start()]
        start = match.end()
        if match.group(1) == '%':
            continue
        name = re.match(r'%\(([^)]*)\)', match.group(0))
        if name is not None:
            value = named.get(name.group(1))
        else:
            value = values[position] if position < len(values) else None
            position += 1
        if value is not None:
            found.append((before, value))
    return found


def _is_form_value(statement: ast.AST) -> bool:
    """A binding that may give a form: no assignment of request data or a function's result."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
        return True  # a parameter, a loop over forms, a with statement
    value = statement.value
    if value is None:
        return True
    if isinstance(value, ast.Call):
        return _is_class_name(_call_name(value))
    return not _from_request(value) and not isinstance(value, (ast.Dict, ast.DictComp))


def _requested(node: ast.expr) -> Verdict:
    return Verdict(safe=False, unsafe=_shown(node), kind=REQUEST)


def _first_unsafe(verdicts: list[Verdict]) -> Verdict:
    """The first reported verdict, else the first weak one, else safe."""
    weak: Verdict | None = None
    for verdict in verdicts:
        if verdict.kind in WEAK:
            weak = weak or verdict
        elif not verdict.safe:
            return verdict
    return weak or SAFE


def _is_key_attribute(name: str) -> bool:
    """A relation's column (``author_id``), ``_pk``, counts."""
    return name.endswith(tables.KEY_ATTRIBUTE_SUFFIXES) or name in tables.COUNT_ATTRIBUTES


def _is_member_value(node: ast.Attribute) -> bool:
    """``Kind.DELEGATE.value``: an enum member's value, label or name is the code's."""
    return node.attr in tables.MEMBER_ATTRIBUTES and isinstance(node.value, ast.Attribute) and bool(
        _CONSTANT_NAME.match(node.value.attr),
    )


def _is_unseen_call(call: ast.Call) -> bool:
    """
    An object another module's class builds (``Preference(label=...)``).

    What a function returns (``get_page()``) is usually a model instance: its
    attributes are data, reported.
    """
    return _is_class_name(_call_name(call)) and _call_name(call) not in tables.MODEL_CALLS


def _escaping_extension(node: ast.Call) -> bool:
    """
    ``markdown(text, extensions=["...escape_html"])``: an extension that says it escapes.

    Not proof (silent, not safe): its code is another module's.
    """
    return any(
        keyword.arg == 'extensions' and any(
            isinstance(child, ast.Constant) and isinstance(child.value, str)
            and any(word in child.value.lower() for word in tables.ESCAPING_WORDS)
            for child in ast.walk(keyword.value)
        )
        for keyword in node.keywords
    )


def _is_meta(node: ast.expr) -> bool:
    """``x._meta`` or a name for it (``opts``)."""
    if isinstance(node, ast.Attribute):
        return node.attr == '_meta'
    return _root_name(node) in {'opts', 'meta', '_meta'} and not isinstance(node, ast.Call)


def _is_class_name(name: str | None) -> bool:
    return bool(name) and str(name)[0].isupper() and not _CONSTANT_NAME.match(str(name))


def _module_number_fields(body: list[ast.stmt]) -> frozenset[str]:
    found: set[str] = set()
    for node in _module_nodes(body):
        if isinstance(node, ast.ClassDef):
            found.update(_declared_number_fields(node))
    return frozenset(found)


def _declared_number_fields(klass: ast.ClassDef) -> set[str]:
    found: set[str] = set()
    for statement in klass.body:
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)):
            continue
        value = statement.value
        if not isinstance(value, ast.Call):
            continue
        kind = _call_name(value) or ''
        names = {target.id for target in _targets(statement) if isinstance(target, ast.Name)}
        if kind.endswith(tables.NUMBER_FIELD_SUFFIXES) or any(
            keyword.arg == 'choices' for keyword in value.keywords
        ):
            found.update(names)  # a number, a date, or one of the code's choices
        elif kind in tables.KEY_FIELDS:
            found.update('{0}_id'.format(name) for name in names)
        elif kind in tables.FILE_FIELDS:
            found.update('{0}.url'.format(name) for name in names)
    return found


def _file_url(node: ast.Attribute) -> str:
    """``self.image.url`` -> ``image.url`` (how file fields' URLs are kept with the numbers)."""
    if node.attr != 'url' or not isinstance(node.value, ast.Attribute):
        return ''
    return '{0}.url'.format(node.value.attr)


def _is_numeral(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    return _is_number(node)


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    return isinstance(node, ast.Call) and _call_name(node) in tables.NUMERIC_CALLS


def _is_composable(node: ast.Call) -> bool:
    """psycopg's ``sql.SQL(...)``, ``sql.Identifier(...)`` and their ``.format``/``.join``."""
    function = node.func
    if isinstance(function, ast.Attribute) and function.attr in {'format', 'join'}:
        receiver = function.value
        return isinstance(receiver, ast.Call) and _is_composable(receiver)
    return _call_name(node) in tables.PSYCOPG_COMPOSABLES and (
        isinstance(function, ast.Name) or _root_name(function) in {'sql', 'psycopg', 'psycopg2'}
    )


def _is_template(receiver: ast.expr) -> bool:
    if isinstance(receiver, ast.Call):
        return _call_name(receiver) in tables.TEMPLATE_FACTORIES
    return 'template' in _shown(receiver, 200).lower()


def _is_sanitizer_receiver(name: str | None, receiver: ast.expr) -> bool:
    if name not in {'clean', 'linkify', 'highlight'}:
        return False
    shown = _shown(receiver, 200).lower()
    return any(word in shown for word in (*tables.SANITIZER_RECEIVER_WORDS, 'pygments'))


def _is_source(name: str | None, qualname: str | None) -> bool:
    if qualname in tables.TEXT_SOURCES or name in tables.TEXT_SOURCES:
        return True
    return bool(name) and any(word in str(name).lower() for word in tables.TEXT_SOURCE_WORDS)


def _method_how(name: str | None) -> str:
    if name == 'format':
        return 'str.format()'
    if name == 'join':
        return 'join()'
    return ''


def _call_name(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def _from_request(node: ast.expr) -> bool:
    """Tell whether an attribute chain reads the request (``self.request.GET``)."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute) and node.attr in tables.REQUEST_NAMES:
            return True
        node = node.value
    return isinstance(node, ast.Name) and node.id in tables.REQUEST_NAMES


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _shown(node: ast.AST, limit: int = _SHOWN) -> str:
    """At most ``limit`` characters of a node's source; ``...`` for one too deep to print."""
    level: list[ast.AST] = [node]
    for _ in range(MAX_DEPTH):
        level = [child for parent in level for child in ast.iter_child_nodes(parent)]
        if not level:
            text = ast.unparse(node)
            return text if len(text) <= limit else '{0}...'.format(text[:limit])
    return '...'
