"""The SARIF document builder (flake8_djsec.sarif), validated against the SARIF 2.1.0 schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flake8_djsec import __version__, documentation, sarif
from flake8_djsec.violations import CATALOGUE

SCHEMA_PATH = Path(__file__).parent / 'data' / 'sarif-schema-2.1.0.json'


def validate(document: dict[str, Any]) -> None:
    """Fail unless the document is valid SARIF 2.1.0 (the vendored OASIS schema)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding='utf-8'))
    jsonschema.Draft4Validator(schema).validate(document)


def rules_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the driver's rules by id."""
    return {rule['id']: rule for rule in document['runs'][0]['tool']['driver']['rules']}


ROWS = [
    ('./proj/settings.py', 12, 1, 'DJS100', 'DEBUG is True in deployment settings; set DEBUG = False'),
    ('./proj/settings.py', 3, 101, 'E501', 'line too long (117 > 100 characters)'),
    ('./proj/views.py', 10, 2, 'DJS122', 'DJS122 view exempted from CSRF protection by @csrf_exempt'),
    ('./proj/settings.py', 3, 5, 'W291', 'trailing whitespace'),
    ('./proj/views.py', 1, 1, 'WPS110', 'Found wrong variable name: data'),
]


def test_the_schema_is_the_real_one() -> None:
    """The vendored schema is OASIS's, and it rejects what is not SARIF."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding='utf-8'))
    assert schema['id'].endswith('/sarif-schema-2.1.0.json')
    with pytest.raises(jsonschema.ValidationError):
        validate({'version': '2.1.0', 'runs': [{'results': []}]})  # a run needs its tool
    with pytest.raises(jsonschema.ValidationError):
        validate({'version': '2.0.0', 'runs': []})


def test_document_validates_with_mixed_codes(tmp_path: Path) -> None:
    """Our codes and other plugins' codes, relative and absolute paths: valid SARIF."""
    rows = [*ROWS, (str(tmp_path / 'app' / 'a b.py'), 2, 1, 'F401', "'os' imported but unused")]
    document = sarif.build(rows, root=tmp_path)
    validate(document)
    assert document['version'] == '2.1.0'
    assert document['$schema'] == sarif.SCHEMA_URI
    run = document['runs'][0]
    assert run['originalUriBaseIds'] == {'%SRCROOT%': {'uri': '{0}/'.format(tmp_path.as_uri())}}
    locations = [result['locations'][0]['physicalLocation'] for result in run['results']]
    assert [location['artifactLocation']['uri'] for location in locations] == [
        'app/a%20b.py', 'proj/settings.py', 'proj/settings.py', 'proj/settings.py',
        'proj/views.py', 'proj/views.py',
    ]
    assert {location['artifactLocation']['uriBaseId'] for location in locations} == {'%SRCROOT%'}


def test_driver_and_catalogue_rules() -> None:
    """Every DJS code is a rule with our metadata, whether or not it was reported."""
    document = sarif.build([])
    validate(document)
    driver = document['runs'][0]['tool']['driver']
    assert driver['name'] == 'flake8-djsec'
    assert driver['version'] == __version__
    assert driver['informationUri'] == documentation.REPOSITORY_URL
    rules = rules_by_id(document)
    assert list(rules) == sorted(violation.full_code() for violation in CATALOGUE)
    debug = rules['DJS100']
    assert debug['name'] == 'DebugEnabled'
    assert debug['shortDescription']['text'] == '`DEBUG` is truthy in deployment settings.'
    assert debug['fullDescription']['text'].startswith(
        'With `DEBUG` on, any error page shows the full traceback, local variables,',  # unwrapped
    )
    assert debug['help']['text'] == debug['help']['markdown']
    assert debug['help']['text'].startswith(debug['fullDescription']['text'] + '\n\nSet `DEBUG = False` in')
    assert debug['helpUri'] == documentation.REPOSITORY_URL + '/blob/main/docs/rules/DJS100.md'
    assert debug['defaultConfiguration'] == {'level': 'error'}
    assert debug['properties'] == {
        'tags': ['security', 'external/cwe/cwe-489'],
        'precision': 'high',
        'security-severity': '7.5',
        'django-ids': ['security.W018'],
    }
    assert rules['DJS101']['properties']['security-severity'] == '9.0'
    assert 'django-ids' not in rules['DJS101']['properties']
    assert rules['DJS114']['defaultConfiguration'] == {'level': 'note'}
    internal = rules['DJS000']['properties']
    assert internal == {'tags': [], 'precision': 'high'}


def test_every_rule_page_exists() -> None:
    """Each helpUri names a page that the repository holds."""
    pages = Path(__file__).resolve().parent.parent / 'docs' / 'rules'
    for rule in rules_by_id(sarif.build([])).values():
        assert (pages / rule['helpUri'].rsplit('/', 1)[1]).is_file(), rule['id']


def test_other_plugins_codes_get_generic_rules() -> None:
    """E501, W291, WPS110: the code, the first words of the message, no helpUri."""
    rules = rules_by_id(sarif.build(ROWS))
    assert rules['E501'] == {
        'id': 'E501',
        'shortDescription': {'text': 'line too long (117 > 100 characters)'},
        'defaultConfiguration': {'level': 'warning'},
    }
    assert rules['WPS110']['shortDescription']['text'] == 'Found wrong variable name: data'
    long_message = ('B950', 'one two three four five six seven eight nine ten')
    rule = rules_by_id(sarif.build([('x.py', 1, 1, *long_message)]))['B950']
    assert rule['shortDescription']['text'] == 'one two three four five six seven eight ...'
    assert 'helpUri' not in rule


def test_results_are_ordered_and_levelled() -> None:
    """Results sort by path, line, column, code; levels follow severities; indexes match."""
    document = sarif.build(reversed(ROWS))
    assert document == sarif.build(ROWS)
    results = document['runs'][0]['results']
    keys = [
        (
            result['locations'][0]['physicalLocation']['artifactLocation']['uri'],
            result['locations'][0]['physicalLocation']['region']['startLine'],
            result['locations'][0]['physicalLocation']['region']['startColumn'],
            result['ruleId'],
            result['level'],
        )
        for result in results
    ]
    assert keys == [
        ('proj/settings.py', 3, 5, 'W291', 'warning'),
        ('proj/settings.py', 3, 101, 'E501', 'warning'),
        ('proj/settings.py', 12, 1, 'DJS100', 'error'),
        ('proj/views.py', 1, 1, 'WPS110', 'warning'),
        ('proj/views.py', 10, 2, 'DJS122', 'warning'),
    ]
    rules = document['runs'][0]['tool']['driver']['rules']
    for result in results:
        assert rules[result['ruleIndex']]['id'] == result['ruleId']
    # A message given with its code keeps only the text, as flake8's %(text)s.
    assert results[-1]['message']['text'] == 'view exempted from CSRF protection by @csrf_exempt'


def test_paths_and_columns() -> None:
    """An absolute path outside the root is a file URI; columns stay 1-based and at least 1."""
    document = sarif.build(
        [('/elsewhere/x.py', 1, 0, 'E902', 'FileNotFoundError'), ('stdin', 2, 1, 'DJS100', 'x')],
        root=Path('/srv/project'),
    )
    validate(document)
    locations = [result['locations'][0]['physicalLocation'] for result in document['runs'][0]['results']]
    assert locations[0]['artifactLocation'] == {'uri': 'file:///elsewhere/x.py'}
    assert locations[0]['region'] == {'startLine': 1, 'startColumn': 1}
    assert locations[1]['artifactLocation'] == {'uri': 'stdin', 'uriBaseId': '%SRCROOT%'}
    without_root = sarif.build([('/srv/project/settings.py', 1, 1, 'DJS100', 'x')])
    assert 'originalUriBaseIds' not in without_root['runs'][0]
    uri = without_root['runs'][0]['results'][0]['locations'][0]['physicalLocation']['artifactLocation']
    assert uri == {'uri': 'file:///srv/project/settings.py'}


def test_snippet_and_finding_rows() -> None:
    """A sixth field is the source line, shown as the region's snippet."""
    row = sarif.Finding('settings.py', 1, 1, 'DJS100', 'DEBUG is True', 'DEBUG = True\n')
    document = sarif.build([row])
    validate(document)
    region = document['runs'][0]['results'][0]['locations'][0]['physicalLocation']['region']
    assert region['snippet'] == {'text': 'DEBUG = True'}


def test_levels() -> None:
    """Severities map to SARIF levels; another plugin's code is a warning."""
    assert [sarif.level(code) for code in ('DJS101', 'DJS100', 'DJS110', 'DJS114', 'DJS000', 'E501')] == [
        'error', 'error', 'warning', 'note', 'warning', 'warning',
    ]


def test_dumps_is_json_that_keeps_unicode() -> None:
    """The JSON text round-trips and keeps non-ASCII characters as they are."""
    document = sarif.build([('é.py', 1, 1, 'E501', 'trop long: «é»')])
    text = sarif.dumps(document)
    assert '«é»' in text
    assert json.loads(text) == document
