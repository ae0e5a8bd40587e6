"""``flake8 --format=sarif`` end to end: the real flake8 executable, mixed with pycodestyle's codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import run_flake8
from tests.test_sarif import validate

SETTINGS = '''\
import os
DEBUG = True \n\
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]  # a comment that makes this line longer than the limit of 79 characters
'''

VIEWS = '''\
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def hook(request):
    return None
'''

#: ``path:row:col: CODE text`` as flake8's default formatter prints it.
DEFAULT_LINE = re.compile(r'^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>\w+) (?P<text>.*)$')


def _project(project) -> Path:  # type: ignore[no-untyped-def]
    return project({'proj/settings.py': SETTINGS, 'proj/views.py': VIEWS})  # type: ignore[no-any-return]


def _rows(document: dict[str, Any]) -> list[tuple[str, int, int, str, str]]:
    rows = []
    for result in document['runs'][0]['results']:
        location = result['locations'][0]['physicalLocation']
        rows.append((
            location['artifactLocation']['uri'],
            location['region']['startLine'],
            location['region']['startColumn'],
            result['ruleId'],
            result['message']['text'],
        ))
    return rows


def _default_rows(output: str) -> list[tuple[str, int, int, str, str]]:
    rows = []
    for line in output.splitlines():
        match = DEFAULT_LINE.match(line)
        assert match, line
        rows.append((
            match.group('path').removeprefix('./'), int(match.group('line')), int(match.group('col')),
            match.group('code'), match.group('text'),
        ))
    return rows


def test_output_file_is_valid_sarif_with_every_plugins_codes(project) -> None:  # type: ignore[no-untyped-def]
    """DJS, E and W codes in one valid log; positions equal flake8's own output, 1-based."""
    root = _project(project)
    result = run_flake8(['--format=sarif', '--output-file=reports/flake8.sarif', '.'], root)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ''
    document = json.loads((root / 'reports' / 'flake8.sarif').read_text(encoding='utf-8'))
    validate(document)
    rows = _rows(document)
    codes = {row[3] for row in rows}
    assert {'DJS100', 'DJS122', 'E501', 'W291'} <= codes
    default = run_flake8(['.'], root)
    assert sorted(rows) == sorted(_default_rows(default.stdout))
    assert ('proj/views.py', 4, 2, 'DJS122', 'view exempted from CSRF protection by @csrf_exempt; '
            'send the CSRF token instead, or justify the exemption') in rows
    assert ('proj/settings.py', 2, 13, 'W291', 'trailing whitespace') in rows
    rules = {rule['id']: rule for rule in document['runs'][0]['tool']['driver']['rules']}
    assert rules['DJS122']['helpUri'].endswith('/docs/rules/DJS122.md')
    for code in codes - {rule for rule in rules if rule.startswith('DJS')}:
        assert 'helpUri' not in rules[code]
        assert rules[code]['shortDescription']['text']
    run = document['runs'][0]
    assert run['originalUriBaseIds']['%SRCROOT%']['uri'] == '{0}/'.format(root.resolve().as_uri())


def test_output_file_is_replaced_not_appended(project) -> None:  # type: ignore[no-untyped-def]
    """flake8 appends to --output-file; a SARIF log replaces the old one, so it stays JSON."""
    root = _project(project)
    (root / 'out.sarif').write_text('an old report\n', encoding='utf-8')
    for _ in range(2):
        run_flake8(['--format=sarif', '--output-file=out.sarif', '--select=DJS', '.'], root)
    validate(json.loads((root / 'out.sarif').read_text(encoding='utf-8')))


def test_stdout_tee_source_and_statistics(project) -> None:  # type: ignore[no-untyped-def]
    """Without a file the log is standard output; --tee writes both; side reports go to stderr."""
    root = _project(project)
    result = run_flake8(
        ['--format=sarif', '--show-source', '--statistics', '--tee', '--output-file=out.sarif', '.'],
        root,
    )
    document = json.loads(result.stdout)
    validate(document)
    assert json.loads((root / 'out.sarif').read_text(encoding='utf-8')) == document
    assert re.search(r'^1 +DJS100 DEBUG is True', result.stderr, re.MULTILINE), result.stderr
    debug = next(item for item in document['runs'][0]['results'] if item['ruleId'] == 'DJS100')
    region = debug['locations'][0]['physicalLocation']['region']
    assert region['snippet'] == {'text': 'DEBUG = True '}
    assert debug['level'] == 'error'


def test_clean_run_is_an_empty_valid_log(project) -> None:  # type: ignore[no-untyped-def]
    """No finding: exit 0 and a log with every rule and no result."""
    root = project({'app/__init__.py': ''})
    result = run_flake8(['--format=sarif', '--select=DJS,E,W,F', '.'], root)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    validate(document)
    assert document['runs'][0]['results'] == []


def test_stdin_display_name_and_jobs_agree(project) -> None:  # type: ignore[no-untyped-def]
    """A buffer with a display name is located by it; -j1 and -j2 write the same log."""
    root = _project(project)
    buffer = run_flake8(
        ['--format=sarif', '--select=DJS', '--stdin-display-name=./proj/settings.py', '-'],
        root, stdin=SETTINGS,
    )
    uris = {row[0] for row in _rows(json.loads(buffer.stdout))}
    assert uris == {'proj/settings.py'}
    serial = run_flake8(['--format=sarif', '-j1', '.'], root)
    parallel = run_flake8(['--format=sarif', '-j2', '.'], root)
    assert serial.stdout == parallel.stdout


def test_absolute_path_through_a_symbolic_link_is_relative(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A file named through a link to the working directory still gets a %SRCROOT% URI."""
    root = _project(project)
    link = tmp_path.parent / '{0}-link'.format(tmp_path.name)
    link.symlink_to(root, target_is_directory=True)
    try:
        result = run_flake8(['--format=sarif', '--select=DJS', str(link / 'proj' / 'settings.py')], root)
    finally:
        link.unlink()
    results = json.loads(result.stdout)['runs'][0]['results']
    assert 'DJS100' in {item['ruleId'] for item in results}
    for item in results:
        location = item['locations'][0]['physicalLocation']
        assert location['artifactLocation'] == {'uri': 'proj/settings.py', 'uriBaseId': '%SRCROOT%'}
