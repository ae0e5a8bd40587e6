"""DJS161: raw SQL built by string formatting, passed to raw(), extra(), RawSQL or execute()."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from typing import Final

from flake8_djsec.logic import provenance, provenance_silence
from flake8_djsec.visitors.base import CodeFinding
from flake8_djsec.visitors.index import CodeIndex
from flake8_djsec.violations.code import RawSqlViolation

RAW_SQL: Final = frozenset((
    'django.db.models.expressions.RawSQL', 'django.db.models.RawSQL',
))
#: Methods whose first argument is SQL: ``Manager.raw``, ``cursor.execute``/``executemany``.
SQL_METHODS: Final = frozenset(('raw', 'execute', 'executemany'))
#: ``QuerySet.extra`` arguments that hold SQL, and its positional parameters.
EXTRA_SQL_ARGUMENTS: Final = frozenset(('select', 'where', 'tables', 'order_by'))
_EXTRA_POSITIONS: Final = ('select', 'where', 'params', 'tables', 'order_by', 'select_params')
#: Unsafe parts the rule does not report: undecided values, and results of other modules'
#: functions that no table calls a source, arguments no entry point or visible call passes
#: (precision first).
SILENT_KINDS: Final = provenance.WEAK
#: Keyword names of the SQL argument (``RawSQL(sql=...)``, ``raw(raw_query=...)``).
_SQL_KEYWORDS: Final = frozenset(('sql', 'raw_query'))
#: Entry points that take nothing but SQL (the others need SQL words in the text).
_SQL_ONLY: Final = frozenset(('RawSQL()', '.extra()'))
#: Source words without which DJS161 cannot fire.
TRIGGERS: Final = ('.raw(', 'execute(', 'executemany(', '.extra(', 'RawSQL')
#: Generic method names (raw, execute) count only when the literal text reads as SQL.
_SQL_WORDS: Final = re.compile(
    r'\b(select|insert|update|delete|from|where|create|drop|alter|truncate|union|values|join)\b',
    re.IGNORECASE,
)


#: The text before a placeholder that puts a value (not an identifier) in the SQL.
_VALUE_POSITION: Final = re.compile(
    r"(?:[=<>']|\b(?:like|ilike|limit|offset|in|between|values|then|else|is|and|or)\s*\(?)\s*$",
    re.IGNORECASE,
)


def check_raw_sql(index: CodeIndex) -> Iterator[CodeFinding]:
    """Report SQL built by formatting a value the code does not control into it."""
    judge: provenance.Provenance | None = None
    for call in index.calls:
        sink = _sink(index, call)
        if sink is None:
            continue
        if provenance_silence.is_fixture(index.function_at(call.lineno)):
            continue  # a pytest fixture: test code
        if judge is None:
            judge = provenance.Provenance(index.body, index.imports, provenance.SQL, index.shape)
        yield from _judge(judge, call, sink)


def _judge(judge: provenance.Provenance, call: ast.Call, sink: str) -> Iterator[CodeFinding]:
    """Report the first SQL argument of one call that is built from a value not provably safe."""
    for argument in _sql_arguments(call, sink):
        # The text is read first: cheaper than the judgement, and most .execute() calls have
        # no SQL words of their own (a driver's, a backend's cursor handed its SQL).
        if sink not in _SQL_ONLY and not _reads_as_sql(judge.literal_texts(argument, call)):
            continue
        verdict = _as_value(judge, argument, call, judge.judge(argument, call))
        if not verdict.safe and verdict.how and verdict.kind not in SILENT_KINDS:
            yield CodeFinding(RawSqlViolation, argument.lineno, argument.col_offset, {
                'how': verdict.how, 'unsafe': verdict.unsafe, 'sink': sink,
            })
            return


def _as_value(
    judge: provenance.Provenance, argument: ast.expr, call: ast.Call, verdict: provenance.Verdict,
) -> provenance.Verdict:
    """
    A helper's argument formatted where a value goes (``= {epic_id}``, ``'{term}'``) is reported.

    A value could have been a query parameter: formatting it is the bug, whoever the
    unseen callers are. An identifier (``FROM {table}``, ``SEQUENCE {name}``) cannot be
    one, so its callers decide, and no call in the module passes it.
    """
    if verdict.kind != provenance.PASSED:
        return verdict
    for before, part in judge.formatted_parts(argument, call):
        if _VALUE_POSITION.search(before):
            found = judge.judge(part)
            if found.kind == provenance.PASSED:
                return dataclasses.replace(found, kind=provenance.ARGUMENT, how=verdict.how)
    return verdict


def _sink(index: CodeIndex, call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Attribute):
        if function.attr in SQL_METHODS:
            return '.{0}()'.format(function.attr)
        if function.attr == 'extra':
            return '.extra()'
    qualname = index.qualname(function)
    if qualname in RAW_SQL:
        return 'RawSQL()'
    if isinstance(function, ast.Name) and function.id == 'RawSQL' and 'RawSQL' not in index.imports:
        return 'RawSQL()'
    return None


def _sql_arguments(call: ast.Call, sink: str) -> list[ast.expr]:
    if sink != '.extra()':
        named = [keyword.value for keyword in call.keywords if keyword.arg in _SQL_KEYWORDS]
        return call.args[:1] or named
    found: list[ast.expr] = []
    for keyword in call.keywords:
        if keyword.arg in EXTRA_SQL_ARGUMENTS:
            found.extend(_entries(keyword.value))
    for name, argument in zip(_EXTRA_POSITIONS, call.args):
        if name in EXTRA_SQL_ARGUMENTS:
            found.extend(_entries(argument))
    return found


def _entries(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Dict):
        return list(node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    return [node]


def _reads_as_sql(texts: list[str]) -> bool:
    """Tell whether the literal text of a built string holds an SQL word."""
    return any(_SQL_WORDS.search(text) for text in texts)
