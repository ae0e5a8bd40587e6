"""The module shape: the enclosing nodes it finds by position are those of a full parent map."""

from __future__ import annotations

import ast
import textwrap

from flake8_djsec.logic import provenance_callers
from flake8_djsec.logic.shape import ModuleShape

SOURCE = textwrap.dedent('''
    import os

    @decorator(f"{os.sep}")
    class View(Base, metaclass=Meta):
        @property
        def name(self, a=default(), *, b: int = 2) -> str:
            x = [y for y in self.items if y]; z = {k: v for k, v in x}
            with open(a) as handle, lock:
                try:
                    return f"{x!r:>{width}} {z}" + handle.read()
                except (OSError, ValueError) as error:
                    raise Problem(error) from None
            match a:
                case {"key": [first, *rest]} if first:
                    return lambda q=1: q + first
                case _:
                    pass

    value = (1 if os.environ.get("A") else
             2); other = value
''')


def _parents(body: list[ast.stmt]) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for statement in body:
        for node in ast.walk(statement):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
    return parents


def _chain(node: ast.AST, parents: dict[int, ast.AST]) -> tuple[ast.AST, ...]:
    found = []
    current = parents.get(id(node))
    while current is not None:
        found.append(current)
        current = parents.get(id(current))
    return tuple(found)


def test_ancestors_are_the_parent_chain_of_every_node() -> None:
    """Every node of the module, positioned or not, gets exactly its chain of parents."""
    body = ast.parse(SOURCE).body
    shape = ModuleShape(body)
    parents = _parents(body)
    nodes = [
        node for statement in body for node in ast.walk(statement)
        if not isinstance(node, (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop))
    ]
    assert len(nodes) > 100
    for node in nodes:
        assert shape.ancestors(node) == _chain(node, parents), ast.dump(node)[:80]


def test_top_level_statements_and_foreign_nodes_have_no_ancestors() -> None:
    """The module's own statements stop the chain; a node of another tree has none."""
    body = ast.parse(SOURCE).body
    shape = ModuleShape(body)
    assert all(shape.ancestors(statement) == () for statement in body)
    assert shape.ancestors(ast.parse('x = 1').body[0]) == ()


CLASSES = textwrap.dedent('''
    class A: pass
    if flag:
        class B(A): pass
    try:
        class C(B): pass
    except Exception:
        class D(C):
            class Inner(D): pass
    def factory():
        class E(A): pass
        return E
    match value:
        case 1:
            class F(E): pass
    x = [lambda: 1 for _ in range(2)]
''')


def test_classes_are_found_in_the_order_of_a_full_walk() -> None:
    """Classes of blocks, handlers, functions and match cases; relatives in the same order."""
    body = ast.parse(CLASSES).body
    walked = [node for node in provenance_callers._walk(body) if isinstance(node, ast.ClassDef)]
    assert [klass.name for klass in walked] == ['F', 'E', 'D', 'Inner', 'C', 'B', 'A']
    classes = provenance_callers.Classes(body)
    family = classes.family(walked[-1])
    assert family == provenance_callers._family(walked, walked[-1])  # what a full walk gives
    assert len(family) == 7
    assert classes.family(walked[-1]) == family  # answered again from the first walk
