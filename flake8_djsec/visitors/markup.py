"""DJS160: ``mark_safe``/``SafeString`` on a string whose text the code does not control."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from typing import Final

from flake8_djsec.logic import provenance, provenance_silence
from flake8_djsec.visitors.base import CodeFinding
from flake8_djsec.visitors.index import CodeIndex
from flake8_djsec.violations.code import MarkSafeViolation

#: Sinks: calls that turn auto-escaping off for their argument.
MARK_SAFE: Final = frozenset((
    'django.utils.safestring.mark_safe',
    'django.utils.safestring.SafeString',
    'django.utils.safestring.SafeText',
    'django.utils.safestring.SafeData',
    'django.utils.html.mark_safe',
    'django.utils.html.SafeString',
    'django.utils.html.SafeText',
    'django.utils.text.mark_safe',
))
_BARE_NAMES: Final = frozenset(name.rsplit('.', 1)[-1] for name in MARK_SAFE)
#: Source words without which DJS160 cannot fire.
TRIGGERS: Final = ('mark_safe', 'SafeString', 'SafeText', 'SafeData')
#: Unsafe parts the rule does not report: undecided values, and results of other modules'
#: functions that no table calls a source, arguments no entry point or visible call passes
#: (precision first).
SILENT_KINDS: Final = provenance.WEAK


def check_mark_safe(index: CodeIndex) -> Iterator[CodeFinding]:
    """Report ``mark_safe(x)`` and ``SafeString(x)`` unless ``x`` is provably safe."""
    subclasses = _safe_subclasses(index)
    sinks = _sinks(index, subclasses)
    if not sinks:
        return
    judge = provenance.Provenance(index.body, index.imports, dataclasses.replace(
        provenance.HTML, sinks=MARK_SAFE | _BARE_NAMES | subclasses,
    ), index.shape)
    for call, function in sinks:
        yield from _judged(judge, call, function)


def _judged(judge: provenance.Provenance, call: ast.Call, function: str) -> Iterator[CodeFinding]:
    verdict = judge.judge(call.args[0], call)
    if not verdict.safe and verdict.kind not in SILENT_KINDS:
        yield CodeFinding(MarkSafeViolation, call.lineno, call.col_offset, {
            'function': function, 'argument': _describe(verdict),
        })


def _sinks(index: CodeIndex, subclasses: frozenset[str]) -> list[tuple[ast.Call, str]]:
    """The calls that mark their first argument safe, outside pytest fixtures."""
    found: list[tuple[ast.Call, str]] = []
    for call in index.calls:
        function = _mark_safe_name(index, call, subclasses)
        if function is not None and call.args:
            if not provenance_silence.is_fixture(index.function_at(call.lineno)):
                found.append((call, function))
    return found


def _describe(verdict: provenance.Verdict) -> str:
    if verdict.how:
        return '{0} with {1}'.format(verdict.how, verdict.unsafe)
    return verdict.unsafe


def _mark_safe_name(index: CodeIndex, call: ast.Call, subclasses: frozenset[str]) -> str | None:
    qualname = index.qualname(call.func)
    if qualname in MARK_SAFE:
        return qualname.rsplit('.', 1)[-1]
    function = call.func
    if isinstance(function, ast.Name):
        if function.id in subclasses:
            return function.id
        # Used without an import we can see (a star import, a re-export): the name says it.
        if function.id in _BARE_NAMES and function.id not in index.imports:
            return function.id
    return None


def _safe_subclasses(index: CodeIndex) -> frozenset[str]:
    """Classes of the module that derive from ``SafeData``/``SafeString`` (their call is a sink)."""
    found: set[str] = set()
    classes = [statement for statement in index.body if isinstance(statement, ast.ClassDef)]
    for klass in classes:
        if any(_is_safe_base(index, base, found) for base in klass.bases):
            found.add(klass.name)
    return frozenset(found)


def _is_safe_base(index: CodeIndex, base: ast.expr, found: set[str]) -> bool:
    qualname = index.qualname(base) or ''
    if qualname in MARK_SAFE or qualname in found:
        return True
    return qualname in _BARE_NAMES and qualname not in index.imports
