"""DJS122: views exempted from CSRF protection."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from flake8_djsec.visitors.base import CodeFinding
from flake8_djsec.visitors.index import CodeIndex
from flake8_djsec.violations.csrf import CsrfExemptViolation

CSRF_EXEMPT: Final = 'django.views.decorators.csrf.csrf_exempt'
WATCHED: Final = frozenset(('csrf_exempt',))
_METHOD_DECORATORS: Final = frozenset((
    'django.utils.decorators.method_decorator', 'method_decorator',
))


def check_csrf_exempt(index: CodeIndex) -> Iterator[CodeFinding]:
    """Report each use of Django's ``csrf_exempt``, naming the form it takes."""
    references = [node for node in index.references if _is_csrf_exempt(index, node)]
    references.extend(_alias_uses(index))
    if not references:
        return
    forms = _forms(index)
    for node in references:
        yield CodeFinding(
            CsrfExemptViolation, node.lineno, node.col_offset,
            {'how': forms.get(id(node), 'csrf_exempt')},
        )


def _forms(index: CodeIndex) -> dict[int, str]:
    """Map the id of each node where ``csrf_exempt`` may appear to the form it takes there."""
    forms: dict[int, str] = {id(node): '@csrf_exempt' for node in index.decorators}
    for call in index.calls:
        forms[id(call.func)] = 'csrf_exempt(...)'
        if index.qualname(call.func) in _METHOD_DECORATORS:
            for argument in (*call.args, *(keyword.value for keyword in call.keywords)):
                for element in _elements(argument):
                    forms[id(element)] = 'method_decorator(csrf_exempt)'
    return forms


def _alias_uses(index: CodeIndex) -> list[ast.Name]:
    """Uses of ``csrf_exempt`` imported under another name: as decorator, call, or argument."""
    aliases = {
        local for local, qualname in index.imports.items()
        if qualname == CSRF_EXEMPT and local not in WATCHED
    }
    if not aliases:
        return []
    candidates: list[ast.expr] = list(index.decorators)
    for call in index.calls:
        candidates.append(call.func)
        candidates.extend(element for argument in call.args for element in _elements(argument))
    return [
        node for node in candidates
        if isinstance(node, ast.Name) and node.id in aliases
    ]


def _is_csrf_exempt(index: CodeIndex, node: ast.Name | ast.Attribute) -> bool:
    qualname = index.qualname(node)
    if qualname == CSRF_EXEMPT:
        return True
    # Used without an import we can see (a star import, a re-export): the name says it.
    return isinstance(node, ast.Name) and node.id not in index.imports


def _elements(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    return [node]
