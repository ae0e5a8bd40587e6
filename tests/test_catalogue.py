"""The violation catalogue polices itself: codes, docstrings, templates, options, docs."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import string
import sys
import typing
from pathlib import Path
from types import ModuleType

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import flake8_djsec.violations
from flake8_djsec import documentation
from flake8_djsec.checker import DjsecChecker
from flake8_djsec.documentation import Docstring
from flake8_djsec.violations import (
    CATALOGUE,
    admin,
    auth,
    by_code,
    code as code_violations,
    csp,
    csrf,
    headers,
    https,
    internal,
    secrets,
)
from flake8_djsec.violations.base import Scope, Severity, Violation

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / documentation.DEFAULT_OUTPUT
RULES_MD = ROOT.parent / 'shared' / 'RULES.md'
README = ROOT / 'README.md'

#: The catalogue's modules, in code order.
MODULES = (internal, secrets, https, csrf, headers, csp, admin, auth, code_violations)
#: Sections every docstring has (*Configuration* is optional).
REQUIRED_SECTIONS = ('Reasoning', 'Solution', 'Known problems', 'Example', 'References')
#: DJS000 reports our own failure: no insecure/fixed code pair, nothing to cite.
NO_CODE_EXAMPLE = frozenset(('DJS000',))
NO_REFERENCES = frozenset(('DJS000',))

CODE_IDS = [violation.full_code() for violation in CATALOGUE]


def _source_classes(module: ModuleType) -> list[ast.ClassDef]:
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding='utf-8'))
    return [node for node in tree.body if isinstance(node, ast.ClassDef)]


def _class_code(node: ast.ClassDef) -> int | None:
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and [getattr(target, 'id', None) for target in statement.targets] == ['code']
            and isinstance(statement.value, ast.Constant)
        ):
            return int(statement.value.value)
    return None


def _docstring(violation: type[Violation]) -> Docstring:
    return Docstring.parse(violation.__doc__)


# (a) the generated pages ----------------------------------------------------------------


def test_pages_are_current() -> None:
    """docs/rules/ holds exactly what the generator renders from the catalogue now."""
    expected = documentation.render_all()
    on_disk = {
        path.name: path.read_text(encoding='utf-8')
        for path in DOCS.glob('*.md')
    } if DOCS.is_dir() else {}
    outdated = sorted(
        name for name in expected.keys() | on_disk.keys()
        if expected.get(name) != on_disk.get(name)
    )
    assert not outdated, (
        '{0} is stale ({1}); regenerate it from the repository root with: {2}'.format(
            DOCS.relative_to(ROOT), ', '.join(outdated), documentation.REGENERATE,
        )
    )


def test_every_code_has_a_page_and_an_index_row() -> None:
    """One page per code, and the index links each of them."""
    pages = documentation.render_all()
    assert set(pages) == {'{0}.md'.format(code) for code in CODE_IDS} | {'README.md', documentation.PARITY_NAME}
    for code in CODE_IDS:
        assert '({0}.md)'.format(code) in pages['README.md']
        assert pages['{0}.md'.format(code)].splitlines()[2].startswith('# {0}: '.format(code))


def test_main_writes_checks_and_removes_stale_pages(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The command writes the pages; ``--check`` fails on a changed or stale page."""
    output = tmp_path / 'rules'
    assert documentation.main([str(output)]) == 0
    assert documentation.main(['--check', str(output)]) == 0
    assert sorted(path.name for path in output.iterdir()) == sorted(documentation.render_all())

    (output / 'DJS100.md').write_text('edited by hand\n', encoding='utf-8')
    (output / 'DJS999.md').write_text('a code that no longer exists\n', encoding='utf-8')
    capsys.readouterr()
    assert documentation.main(['--check', str(output)]) == 1
    assert 'DJS100.md, DJS999.md' in capsys.readouterr().err
    assert (output / 'DJS999.md').exists()

    assert documentation.main([str(output)]) == 0
    assert not (output / 'DJS999.md').exists()
    assert documentation.write_pages(output, check=True) == []


def test_page_layout() -> None:
    """A page has ruff's sections, in order, and the metadata of the class."""
    page = documentation.render_all()['DJS115.md']
    headings = [line for line in page.splitlines() if line.startswith('#')]
    assert headings == [
        '# DJS115: `SESSION_COOKIE_SECURE` is not `True` while sessions are in use',
        '## What it does',
        '## Why is this bad?',
        '## Solution',
        '## Example',
        '## Known problems',
        '## Metadata',
        '## References',
        '## Added in',
    ]
    assert '`security.W010`, `security.W011`, `security.W012`' in page
    assert '[CWE-614](https://cwe.mitre.org/data/definitions/614.html)' in page
    assert '- <https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure>' in page
    assert '```python\nSESSION_COOKIE_SECURE = False\n```\n\nUse instead:\n\n```python\nSESSION_COOKIE_SECURE = True\n```' in page


def test_page_without_django_id_and_with_configuration() -> None:
    """A rule beyond ``check --deploy`` says so; *Configuration* is rendered."""
    page = documentation.render_all()['DJS112.md']
    assert '**Mirrors Django check:** none: beyond `check --deploy`' in page
    assert '## Configuration\n\n`--djsec-hsts-min-seconds`' in page


# the docstring parser ----------------------------------------------------------------------


def test_parser_reads_sections_whatever_the_indentation() -> None:
    """Indentation, header case and ``::`` do not matter; order is kept."""
    doc = Docstring.parse('''Summary on
      two lines.

      Known Problems:
            None known,
            really.

      Reasoning::
         Because.

         - a list
           item
         - another

      Example::

         # correct
         X = 1

         #Wrong:
         X = 2

      .. versionadded:: 1.2.3
    ''')
    assert doc.summary == 'Summary on two lines.'
    assert list(doc.sections) == ['Known problems', 'Reasoning', 'Example']
    assert doc.sections['Known problems'] == 'None known,\nreally.'
    assert doc.examples == (('correct', 'X = 1'), ('wrong', 'X = 2'))
    assert doc.version_added == '1.2.3'


def test_parser_keeps_an_unlabelled_example() -> None:
    """An example without Correct/Wrong markers is kept whole, unlabelled."""
    doc = Docstring.parse('Summary.\n\nExample::\n\n    ./x.py:1:1: DJS000 boom\n')
    assert doc.examples == (('', './x.py:1:1: DJS000 boom'),)
    assert doc.version_added is None


@pytest.mark.parametrize(('docstring', 'problem'), [
    ('Summary.\n\nReasons:\n    typo\n', 'not a known section header'),
    ('Summary.\n\nSolution:\n    a\n\nSolution:\n    b\n', 'appears twice'),
    ('Summary.\n\nStray text.\n', 'not a known section header'),
    ('Summary.\n\n.. versionadded:: 1.0\n    indented, after the directive\n', 'outside a section'),
])
def test_parser_rejects_what_it_cannot_place(docstring: str, problem: str) -> None:
    """Unknown or repeated sections and stray text are errors, not silently dropped."""
    with pytest.raises(ValueError, match=problem):
        Docstring.parse(docstring)


def test_markdown_of_references_and_literals() -> None:
    """rST literals and reference forms become Markdown."""
    doc = '''Summary with ``code``.

    Solution:
        Use ``A`` then
        ``B``; see::

            X = 1

    References:
        - https://example.com/a
        - `Example docs <https://example.com/b>`_
        - Plain text
    '''
    violation = type('FakeViolation', (Violation,), {
        '__doc__': doc, 'code': 999, 'error_template': 'x', 'scope': Scope.code, 'severity': Severity.low,
    })
    page = documentation.render_all((violation,))['DJS999.md']
    assert '# DJS999: Summary with `code`\n' in page
    assert 'Use `A` then `B`; see:\n\n```python\nX = 1\n```' in page
    assert '- <https://example.com/a>\n- [Example docs](https://example.com/b)\n- Plain text' in page


# (b) codes ------------------------------------------------------------------------------


def test_catalogue_is_sorted_and_unique() -> None:
    """CATALOGUE is in strictly increasing code order, and by_code finds every entry."""
    codes = [violation.code for violation in CATALOGUE]
    assert codes == sorted(set(codes))
    for violation in CATALOGUE:
        assert by_code(violation.full_code().lower()) is violation


def test_every_violation_module_is_catalogued() -> None:
    """A new module of violations cannot be forgotten: all its classes are in CATALOGUE."""
    package = flake8_djsec.violations
    names = {info.name for info in pkgutil.iter_modules(package.__path__)} - {'base'}
    assert names == {module.__name__.rsplit('.', 1)[1] for module in MODULES}
    found = {
        member
        for name in names
        for member in vars(importlib.import_module('{0}.{1}'.format(package.__name__, name))).values()
        if isinstance(member, type) and issubclass(member, Violation) and member is not Violation
    }
    assert found == set(CATALOGUE)


@pytest.mark.parametrize('module', MODULES, ids=lambda module: module.__name__.rsplit('.', 1)[1])
def test_codes_increase_in_file_order(module: ModuleType) -> None:
    """Within each module, codes are unique and increase from top to bottom."""
    codes = [_class_code(node) for node in _source_classes(module)]
    assert None not in codes
    assert codes == sorted(set(codes)), codes


@pytest.mark.parametrize('module', MODULES, ids=lambda module: module.__name__.rsplit('.', 1)[1])
def test_codes_lie_in_their_modules_group(module: ModuleType) -> None:
    """The module docstring names the group (``DJS110-119``); its codes lie in it."""
    bounds = re.match(r'DJS(\d+)(?:-(\d+))?:', module.__doc__ or '')
    assert bounds, 'module docstring should start with "DJSnnn-nnn:"'
    low, high = int(bounds.group(1)), int(bounds.group(2) or bounds.group(1))
    for node in _source_classes(module):
        code = _class_code(node)
        assert code is not None, node.name
        assert low <= code <= high, node.name


# (c) documentation ----------------------------------------------------------------------


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_class_is_final(violation: type[Violation]) -> None:
    """
    Every violation class is ``@final``: in its source, and at runtime from Python 3.11.

    ``typing.final`` sets ``__final__`` from 3.11 only; on 3.10 the source is the evidence:
    a decorator that names ``typing.final`` in the class's module.
    """
    module = inspect.getmodule(violation)
    assert module is not None
    node = next(node for node in _source_classes(module) if node.name == violation.__name__)
    decorators = {ast.unparse(decorator) for decorator in node.decorator_list}
    namespace = {**vars(module), 'typing': typing}
    assert any(
        eval(decorator, namespace) is typing.final  # noqa: S307 - a dotted name from our source
        for decorator in decorators
        if re.fullmatch(r'[\w.]+', decorator)
    ), '{0} is not decorated with typing.final: {1}'.format(violation.__name__, sorted(decorators))
    if sys.version_info >= (3, 11):
        assert getattr(violation, '__final__', False) is True


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_summary(violation: type[Violation]) -> None:
    """A one-line summary sentence, as ``Violation.summary`` sees it."""
    doc = _docstring(violation)
    assert doc.summary
    assert doc.summary == violation.summary().strip(), 'the summary should fit on one line'
    assert doc.summary.endswith('.')


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_docstring_sections(violation: type[Violation]) -> None:
    """Every required section, non-empty, in the documented order."""
    doc = _docstring(violation)
    required = [
        section for section in REQUIRED_SECTIONS
        if not (section == 'References' and violation.full_code() in NO_REFERENCES)
    ]
    missing = [section for section in required if not doc.sections.get(section)]
    assert not missing, 'missing sections: {0}'.format(missing)
    order = [section for section in documentation.SECTIONS if section in doc.sections]
    assert list(doc.sections) == order
    assert doc.version_added, 'no ".. versionadded::"'


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_examples(violation: type[Violation]) -> None:
    """A Correct and a Wrong example, in that order, that are valid Python."""
    doc = _docstring(violation)
    if violation.full_code() in NO_CODE_EXAMPLE:
        assert doc.examples, 'an example of the output, at least'
        return
    assert [label for label, _ in doc.examples] == ['correct', 'wrong']
    for label, code in doc.examples:
        assert code, label
        ast.parse(code.replace('...', 'None'))


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_references_are_links(violation: type[Violation]) -> None:
    """Every reference is a bullet with a URL."""
    references = _docstring(violation).sections.get('References', '')
    for line in references.splitlines():
        assert re.match(r'- .*https?://\S+', line), line


# (d) messages ---------------------------------------------------------------------------


def test_error_templates_are_unique() -> None:
    """No two codes share a message."""
    templates = [violation.error_template for violation in CATALOGUE]
    assert len(set(templates)) == len(templates)


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_error_template_renders(violation: type[Violation]) -> None:
    """One line, named placeholders only, and every one of them can be filled."""
    template = violation.error_template
    assert template.strip() == template
    assert '\n' not in template
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    assert all(name.isidentifier() for name in fields), fields
    message = violation.message(**{name: '<{0}>'.format(name) for name in fields})
    assert message.startswith('{0} '.format(violation.full_code()))
    assert '{' not in message.replace('{{', '').replace('<', '')


# (e) RULES.md ---------------------------------------------------------------------------


def _rules_table() -> dict[str, tuple[str, tuple[str, ...]]]:
    """``code -> (scope, Django ids)`` from RULES.md's tables."""
    if not RULES_MD.is_file():
        pytest.skip('{0} is absent (CI has it at ../shared/RULES.md)'.format(RULES_MD))
    rows = {}
    for line in RULES_MD.read_text(encoding='utf-8').splitlines():
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        if re.fullmatch(r'DJS\d{3}', cells[0]):
            rows[cells[0]] = (cells[1], _django_ids(cells[-1]))
    return rows


def _django_ids(cell: str) -> tuple[str, ...]:
    """
    ``security.W010, W011, W012`` -> three ids; ``—`` -> none.

    A cell wholly in parentheses names a check we do not mirror (retired, or a
    third-party app's): none. A trailing ``(6.0+)`` is a version note.
    """
    if cell.startswith('(') or not cell.strip('—- '):
        return ()
    ids = []
    prefix = ''
    for entry in re.sub(r'\s*\([^)]*\)', '', cell).split(','):
        entry = entry.strip()
        if '.' in entry:
            prefix = entry.rsplit('.', 1)[0]
            ids.append(entry)
        else:
            ids.append('{0}.{1}'.format(prefix, entry))
    return tuple(ids)


def test_django_id_cell_parser() -> None:
    """The RULES.md notations."""
    assert _django_ids('security.W022, E023') == ('security.W022', 'security.E023')
    assert _django_ids('security.E026 (6.0+)') == ('security.E026',)
    assert _django_ids('(security.W007, removed in 4.0)') == ()
    assert _django_ids('—') == ()
    assert _django_ids('4_0.E001') == ('4_0.E001',)


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_django_ids_agree_with_rules_md(violation: type[Violation]) -> None:
    """The Django ids of a class are RULES.md's "Django" column."""
    rows = _rules_table()
    code = violation.full_code()
    assert code in rows, '{0} is not in RULES.md'.format(code)
    assert violation.django_ids == rows[code][1]


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_scope_agrees_with_rules_md(violation: type[Violation]) -> None:
    """The scope of a class is RULES.md's "scope" column."""
    assert violation.scope.value == _rules_table()[violation.full_code()][0]


@pytest.mark.parametrize('violation', CATALOGUE, ids=CODE_IDS)
def test_severity_and_cwe(violation: type[Violation]) -> None:
    """Each class sets its own severity; every security code names a CWE, DJS000 neither."""
    assert isinstance(vars(violation).get('severity'), Severity), 'no severity in the class body'
    if violation.scope is Scope.internal:
        assert violation.severity is Severity.none
        assert violation.cwe is None
    else:
        assert violation.severity is not Severity.none
        assert isinstance(vars(violation).get('cwe'), int), 'no CWE in the class body'


def test_severity_scores_fall_in_code_scannings_bands() -> None:
    """GitHub ranks security-severity 0.1-3.9 low, 4-6.9 medium, 7-8.9 high, 9+ critical."""
    bands = {
        Severity.low: (0.1, 3.9), Severity.medium: (4.0, 6.9),
        Severity.high: (7.0, 8.9), Severity.critical: (9.0, 10.0),
    }
    for severity, (low, high) in bands.items():
        assert low <= severity.score <= high, severity
    assert Severity.none.score == 0


def test_project_urls_match_the_documented_repository() -> None:
    """pyproject's [project.urls] and the rule pages' addresses agree."""
    urls = tomllib.loads((ROOT / 'pyproject.toml').read_text(encoding='utf-8'))['project']['urls']
    assert urls['Repository'] == documentation.REPOSITORY_URL
    assert urls['Documentation'] == '{0}README.md'.format(documentation.PAGES_URL)
    assert documentation.page_url(CATALOGUE[1]) == '{0}/blob/main/docs/rules/DJS100.md'.format(
        documentation.REPOSITORY_URL,
    )


# (f) options ----------------------------------------------------------------------------


class _RecordingManager:
    def __init__(self) -> None:
        self.names: list[str] = []

    def add_option(self, *names: str, **_: object) -> None:
        self.names.extend(name for name in names if name.startswith('--'))


def _declared_options() -> list[str]:
    manager = _RecordingManager()
    DjsecChecker.add_options(manager)  # type: ignore[arg-type]
    return manager.names


def test_options_are_declared() -> None:
    """The checker declares its options (guards the recording manager below)."""
    assert '--djsec-hsts-min-seconds' in _declared_options()


@pytest.mark.parametrize('option', _declared_options())
def test_option_is_documented(option: str) -> None:
    """Every option is mentioned in some violation's docstring or in the README."""
    docstrings = ' '.join(violation.__doc__ or '' for violation in CATALOGUE)
    readme = README.read_text(encoding='utf-8') if README.is_file() else ''
    assert option in docstrings or option in readme, option
