"""
SARIF 2.1.0 documents from lint findings, for GitHub code scanning and other viewers.

This module is pure: it turns rows into a JSON-ready ``dict`` and never
imports flake8, reads files or looks at the working directory. It serves
``flake8 --format=sarif`` (``flake8_djsec.formatter``) and any other command
that has findings as rows.

API:

- ``Finding(path, line, column, code, message, snippet=None)``: one row.
  ``path`` as the linter printed it (relative such as ``./proj/settings.py``,
  absolute, or ``stdin``); ``line`` and ``column`` **1-based**, as flake8
  prints them (``%(row)d:%(col)d``; flake8 already adds 1 to a plugin's
  0-based ``col_offset``); ``code`` such as ``DJS100`` or ``E501``;
  ``message`` the text after the code (a leading ``code`` is dropped);
  ``snippet`` the source line, when the caller wants it shown.
- ``build(findings, *, root=None, version=__version__) -> dict``: one SARIF
  log with one run. A plain 5- or 6-tuple is accepted as a row.
  ``tool.driver`` is flake8-djsec with every ``DJS`` code of the catalogue
  as a rule (summary, *Reasoning*/*Solution* help text, in Markdown, which
  reads as plain text too, ``helpUri`` to the
  rule page, Django ids, CWE tag ``external/cwe/cwe-NNN``,
  ``security-severity``), plus a generic rule for every other code seen
  (``E501``, ``WPS110``, ...: the code and the first words of its first
  message, no ``helpUri``). Rules are ordered by id; results by path, line,
  column, code and message, so equal input gives an equal document.
  Relative paths, and absolute paths under ``root``, become URIs relative to
  ``%SRCROOT%`` (``root``, an absolute folder, usually the working
  directory the linter ran in, is then recorded as ``originalUriBaseIds``);
  other absolute paths become ``file://`` URIs.
- ``level(code) -> str``: the SARIF level of a code (``error`` for high and
  critical ``DJS`` codes, ``warning`` for medium ones and for other
  plugins' codes, ``note`` for low ones).
- ``dumps(document) -> str``: the JSON text (two-space indent, UTF-8 kept).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NamedTuple, final
from urllib.parse import quote

from flake8_djsec import __version__, documentation
from flake8_djsec.violations import CATALOGUE
from flake8_djsec.violations.base import Severity, Violation

#: The schema every document names (SARIF 2.1.0 with errata 01).
SCHEMA_URI: Final = (
    'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
)
SARIF_VERSION: Final = '2.1.0'
TOOL_NAME: Final = 'flake8-djsec'
#: The base that relative artifact URIs are relative to.
SRCROOT: Final = '%SRCROOT%'
#: The SARIF level of each severity.
LEVELS: Final = MappingProxyType({
    Severity.none: 'warning',
    Severity.low: 'note',
    Severity.medium: 'warning',
    Severity.high: 'error',
    Severity.critical: 'error',
})
#: The level of a code that is not ours.
OTHER_LEVEL: Final = 'warning'
#: How many words of its first message name another plugin's code.
SUMMARY_WORDS: Final = 8

_TEXT: Final = 'text'
#: Distinct paths whose URI is remembered (one run rarely names more).
_PATHS_CACHED: Final = 4096
_ID: Final = 'id'
_BY_CODE: Final = MappingProxyType({
    violation.full_code(): violation for violation in CATALOGUE
})


@final
class Finding(NamedTuple):
    """One reported problem (see the module docstring for each field)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    snippet: str | None = None


def level(code: str) -> str:
    """Return the SARIF level of a code."""
    violation = _BY_CODE.get(code)
    if violation is None:
        return OTHER_LEVEL
    return LEVELS[violation.severity]


def build(
    findings: Iterable[Sequence[Any]],
    *,
    root: Path | None = None,
    version: str = __version__,
) -> dict[str, Any]:
    """Return a SARIF log (a JSON-ready ``dict``) of the findings."""
    rows = [_normalise(Finding(*row)) for row in findings]
    uris = {row.path: _uri(row.path, root) for row in rows}
    rows.sort(key=lambda row: (uris[row.path], *row[1:5]))  # then line, column, code, message
    rules = _RuleTable.rules(rows)
    run: dict[str, Any] = {
        'tool': {'driver': {
            'name': TOOL_NAME,
            'version': version,
            'semanticVersion': version,
            'informationUri': documentation.REPOSITORY_URL,
            'rules': rules,
        }},
        'columnKind': 'unicodeCodePoints',
        'results': _located(rows, rules, uris),
    }
    if root is not None:
        folder = '{0}/'.format(root.as_uri().rstrip('/'))
        run['originalUriBaseIds'] = {SRCROOT: {'uri': folder}}
    return {'$schema': SCHEMA_URI, 'version': SARIF_VERSION, 'runs': [run]}


def dumps(document: dict[str, Any]) -> str:
    """Return the JSON text of a document."""
    return json.dumps(document, indent=2, ensure_ascii=False)


def _normalise(row: Finding) -> Finding:
    prefix = '{0} '.format(row.code)
    return row._replace(
        line=max(int(row.line), 1),
        column=max(int(row.column), 1),
        message=row.message.removeprefix(prefix),
    )


@final
class _RuleTable:
    """The ``rules`` of the driver: the catalogue, then other plugins' codes."""

    @classmethod
    def rules(cls, rows: Sequence[Finding]) -> list[dict[str, Any]]:
        """Return every catalogue rule and a generic rule per other code, by id."""
        table = {violation.full_code(): cls.rule(violation) for violation in CATALOGUE}
        for row in rows:
            if row.code not in table:
                table[row.code] = cls.other(row)
        return [table[code] for code in sorted(table)]

    @classmethod
    def rule(cls, violation: type[Violation]) -> dict[str, Any]:
        """Return the rule of one of our codes."""
        doc = documentation.Docstring.parse(violation.__doc__)
        reasoning = documentation.markdown(doc.sections.get('Reasoning') or doc.summary)
        solution = documentation.markdown(doc.sections.get('Solution', ''))
        help_text = '{0}\n\n{1}'.format(reasoning, solution).strip()
        return {
            _ID: violation.full_code(),
            'name': violation.__name__.removesuffix('Violation'),
            'shortDescription': {_TEXT: documentation.markdown(doc.summary)},
            'fullDescription': {_TEXT: reasoning},
            'help': {_TEXT: help_text, 'markdown': help_text},
            'helpUri': documentation.page_url(violation),
            'defaultConfiguration': {'level': LEVELS[violation.severity]},
            'properties': cls.properties(violation),
        }

    @classmethod
    def properties(cls, violation: type[Violation]) -> dict[str, Any]:
        """Return a rule's property bag: tags, CWE, ``security-severity``, Django ids."""
        security = violation.severity is not Severity.none
        tags = ['security'] if security else []
        if violation.cwe is not None:
            tags.append('external/cwe/cwe-{0}'.format(violation.cwe))
        properties: dict[str, Any] = {'tags': tags, 'precision': 'high'}
        if security:
            properties['security-severity'] = '{0:.1f}'.format(violation.severity.score)
        if violation.django_ids:
            properties['django-ids'] = list(violation.django_ids)
        return properties

    @classmethod
    def other(cls, row: Finding) -> dict[str, Any]:
        """Return a generic rule for another plugin's code, named by its first message."""
        words = row.message.split()
        summary = ' '.join(words[:SUMMARY_WORDS])
        if len(words) > SUMMARY_WORDS:
            summary = '{0} ...'.format(summary)
        return {
            _ID: row.code,
            'shortDescription': {_TEXT: summary or row.code},
            'defaultConfiguration': {'level': OTHER_LEVEL},
        }


def _located(
    rows: Sequence[Finding], rules: Sequence[dict[str, Any]], uris: Mapping[str, str],
) -> list[dict[str, Any]]:
    index = {rule[_ID]: position for position, rule in enumerate(rules)}
    return [_report(row, index[row.code], uris[row.path]) for row in rows]


def _report(row: Finding, rule_index: int, uri: str) -> dict[str, Any]:
    region: dict[str, Any] = {'startLine': row.line, 'startColumn': row.column}
    if row.snippet is not None:
        region['snippet'] = {_TEXT: row.snippet.rstrip('\r\n')}
    return {
        'ruleId': row.code,
        'ruleIndex': rule_index,
        'level': level(row.code),
        'message': {_TEXT: row.message},
        'locations': [{'physicalLocation': {
            'artifactLocation': _artifact(uri),
            'region': region,
        }}],
    }


def _artifact(uri: str) -> dict[str, str]:
    if uri.startswith('file:'):
        return {'uri': uri}
    return {'uri': uri, 'uriBaseId': SRCROOT}


@functools.lru_cache(maxsize=_PATHS_CACHED)
def _uri(path: str, root: Path | None) -> str:
    location = Path(path)  # normalises ``./`` and doubled separators
    if location.is_absolute():
        if root is None or not location.is_relative_to(root):
            return location.as_uri()
        location = location.relative_to(root)
    return quote(location.as_posix())
