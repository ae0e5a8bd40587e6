"""The pure parts of the real-project oracle (scripts/realworld.py): no network, no snapshots."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location('realworld', ROOT / 'scripts' / 'realworld.py')
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules['realworld'] = module
    spec.loader.exec_module(module)
    return module


realworld = _load()
HEADER = '\t'.join(realworld.FIELDS)
ROW = '\t'.join((
    'demo', 'owner/demo', 'a' * 40, 'split,environ', 'proj.settings.production', 'src',
    'DJANGO_SECRET_KEY=x DATABASE_URL=sqlite:///db', 'Dockerfile:3', 'a note',
))


def test_manifest_row_is_parsed() -> None:
    (project,) = realworld.parse_manifest(HEADER + '\n' + ROW + '\n')
    assert project.name == 'demo'
    assert project.styles == ('split', 'environ')
    assert project.env == (('DJANGO_SECRET_KEY', 'x'), ('DATABASE_URL', 'sqlite:///db'))
    assert project.mirror_name == 'owner+demo'
    assert project.settings_candidates() == (
        'src/proj/settings/production.py', 'src/proj/settings/production/__init__.py',
    )


def test_no_env_is_a_dash() -> None:
    row = ROW.replace('DJANGO_SECRET_KEY=x DATABASE_URL=sqlite:///db', '-').replace('\tsrc\t', '\t.\t')
    (project,) = realworld.parse_manifest(HEADER + '\n' + row)
    assert project.env == ()
    assert project.settings_candidates()[0] == 'proj/settings/production.py'


@pytest.mark.parametrize(('old', 'new', 'message'), [
    ('a' * 40, 'abc', 'commit'),
    ('split,environ', 'split,monolith', 'unknown style'),
    ('proj.settings.production', 'proj/settings.py', 'dotted'),
    ('DATABASE_URL=sqlite:///db', 'novalue', 'NAME=VALUE'),
    ('\tsrc\t', '\t../up\t', 'inside the repository'),
    ('owner/demo', 'demo', 'owner/name'),
])
def test_defective_rows_are_refused(old: str, new: str, message: str) -> None:
    with pytest.raises(realworld.ManifestError, match=message):
        realworld.parse_manifest(HEADER + '\n' + ROW.replace(old, new, 1))


def test_header_is_required() -> None:
    with pytest.raises(realworld.ManifestError, match='header'):
        realworld.parse_manifest(ROW)


def test_committed_manifests_parse_with_unique_names() -> None:
    projects = realworld.read_manifests()
    assert len(projects) >= 20
    assert len({project.name for project in projects}) == len(projects)


def test_committed_reviews_parse() -> None:
    for verdict in realworld.read_reviews().values():
        assert verdict.verdict in {'right', 'wrong'}
        assert verdict.reason


def test_mapping_comes_from_the_catalogue() -> None:
    mapping = realworld.load_mapping()
    assert mapping['security.W018'] == 'DJS100'
    assert {mapping['security.W010'], mapping['security.W011'], mapping['security.W012']} == {'DJS115'}
    assert realworld.ids_of('DJS115', mapping) == ['security.W010', 'security.W011', 'security.W012']


def test_an_id_mirrored_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match='mirrored by'):
        realworld.mapping_of([('DJS100', ('security.W018',)), ('DJS999', ('security.W018',))])


def test_comparison_at_the_level_of_codes() -> None:
    mapping = realworld.mapping_of([
        ('DJS100', ('security.W018',)), ('DJS115', ('security.W010', 'security.W012')),
        ('DJS111', ('security.W004',)),
    ])
    output = '\n'.join((
        './proj/settings/production.py:1:1: DJS115 SESSION_COOKIE_SECURE is False',
        './proj/settings/base.py:3:1: DJS100 DEBUG is True',
        './proj/settings/base.py:9:1: DJS150 something beyond Django',
        'a line that is not a finding',
    ))
    findings = realworld.parse_flake8(output)
    assert [finding.location for finding in findings] == [
        'proj/settings/production.py:1', 'proj/settings/base.py:3', 'proj/settings/base.py:9',
    ]
    comparison = realworld.compare(['security.W012', 'security.W004', 'security.E100'], findings, mapping)
    assert comparison.expected == {'DJS115', 'DJS111'}
    assert comparison.agreed == {'DJS115'}
    assert comparison.missing == {'DJS111'}
    assert comparison.contradicted == {'DJS100'}
    assert [finding.code for finding in comparison.beyond] == ['DJS150']


def test_review_file_format() -> None:
    text = 'project\tlocation\tcode\tverdict\treason\ndemo\tproj/urls.py:5\tDJS150\tright\tan exempt view\n'
    reviews = realworld.parse_review(text)
    assert reviews['demo', 'proj/urls.py:5', 'DJS150'].verdict == 'right'
    with pytest.raises(realworld.ManifestError):
        realworld.parse_review(text.replace('right', 'maybe'))


def _record(name: str, ids: list[str], output: str, chosen: list[str], **extra: object) -> dict[str, object]:
    findings = [
        {'path': f.path, 'line': f.line, 'code': f.code, 'text': f.text}
        for f in realworld.parse_flake8(output)
    ]
    record: dict[str, object] = {
        'name': name, 'repo': 'owner/' + name, 'commit': 'b' * 40, 'documented': 'Dockerfile:3',
        'settings_file': 'proj/settings/production.py',
        'django_result': {'django': '6.1', 'ids': ids, 'error': None, 'stubbed': []},
        'ours': findings, 'chosen': {'deployments': [{'module': module} for module in chosen]},
    }
    record.update(extra)
    return record


def test_variables_given_to_django_are_those_ours_used() -> None:
    answer = {'deployments': [
        {'module': 'proj/settings/production.py', 'variables': [
            {'name': 'DEBUG', 'value': '0'}, {'name': 'DJANGO_SETTINGS_MODULE', 'value': 'proj.settings'},
            {'name': 'SECRET_KEY', 'value': 'from-the-env-file'},
        ]},
        {'module': 'proj/settings/worker.py', 'variables': [{'name': 'WORKER', 'value': '1'}]},
    ]}
    variables = realworld.deployment_variables(answer, 'proj/settings/production.py', {'SECRET_KEY': 'given'})
    assert variables == {'DEBUG': '0', 'SECRET_KEY': 'given'}


def test_deployment_choice_against_the_documented_module() -> None:
    module = 'proj/settings/production.py'
    assert realworld.choice(_record('a', [], '', [module])) == 'exact'
    assert realworld.choice(_record('a', [], '', [module, 'proj/settings/base.py'])) == 'among'
    assert realworld.choice(_record('a', [], '', ['proj/settings/base.py'])) == 'other'
    assert realworld.choice(_record('a', [], '', [module], documented='-')) == '-'


def test_totals_and_page_on_synthetic_records() -> None:
    output = '\n'.join((
        './proj/settings/production.py:1:1: DJS111 SECURE_HSTS_SECONDS is 0',
        './proj/settings/base.py:3:1: DJS100 DEBUG is True',
        './proj/views.py:9:2: DJS122 view exempted from CSRF protection',
    ))
    records = [
        _record('one', ['security.W004', 'security.W008'], output, ['proj/settings/production.py']),
        _record('two', [], '', ['proj/settings/base.py']),
        {'name': 'three', 'repo': 'owner/three', 'commit': 'c' * 40, 'error': 'no snapshot at /x'},
    ]
    mapping = realworld.load_mapping()
    reviews = {('one', 'proj/views.py:9', 'DJS122'): realworld.Verdict('right', 'a webhook')}
    total = realworld.totals(records, mapping, reviews)
    assert (total.loaded, total.expected, total.agreed, total.contradicted) == (2, 2, 1, 1)
    assert (total.beyond, total.right, total.wrong, total.unreviewed) == (1, 1, 0, 0)
    assert (total.documented, total.chose_exactly, total.chose_among) == (2, 1, 1)
    assert total.recall() == '1/2 (50%)'
    projects = realworld.parse_manifest(HEADER + '\n' + ROW.replace('demo', 'one', 1))
    page = realworld.render({'after': {'commit': 'abc1234', 'records': records}}, projects)
    assert '| after | abc1234 | 6.1 | 2/3 | 1/2 (50%) | 1 |' in page
    assert 'contradicted DJS100 at `proj/settings/base.py:3`' in page
    assert 'missing DJS110 (security.W008)' in page
    assert 'three (after): `no snapshot at /x`' in page


def test_deployments_child_names_the_module_and_its_variables(tmp_path: Path) -> None:
    (tmp_path / 'proj').mkdir()
    (tmp_path / 'proj' / '__init__.py').write_text('')
    (tmp_path / 'proj' / 'settings.py').write_text(
        'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nROOT_URLCONF = "proj.urls"\n',
    )
    (tmp_path / 'Dockerfile').write_text(
        'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings DJANGO_SECRET_KEY=from-the-image API_TOKEN=tok\n'
        'CMD ["gunicorn", "proj.wsgi"]\n',
    )
    project = realworld.parse_manifest(HEADER + '\n' + ROW.replace('\tsrc\t', '\t.\t'))[0]
    flake8 = str(Path(sys.executable).parent / 'flake8')
    answer = realworld.run_deployments(flake8, project, tmp_path, 'proj/settings.py')
    modules = [deployment['module'] for deployment in answer['deployments']]
    assert modules == ['proj/settings.py']
    variables = realworld.deployment_variables(answer, 'proj/settings.py', dict(project.env))
    assert variables['DJANGO_SECRET_KEY'] == 'x'  # the manifest's value wins, unmasked
    assert variables["API_TOKEN"] == "tok"  # secrets are not masked for Django
    assert "DJANGO_SETTINGS_MODULE" not in variables
    chosen = realworld.run_deployments(flake8, project, tmp_path, None)
    assert [deployment['module'] for deployment in chosen['deployments']] == ['proj/settings.py']


def test_a_configuration_class_of_the_documented_package_is_the_documented_deployment() -> None:
    record = _record('a', [], '', [], settings_file='config/__init__.py', variables={'DJANGO_CONFIGURATION': 'Production'})
    record['chosen'] = {'deployments': [{'module': 'config/production.py', 'configuration': 'Production'}]}
    assert realworld.choice(record) == 'exact'
    record['chosen'] = {'deployments': [
        {'module': 'config/production.py', 'configuration': 'Production'},
        {'module': 'config/common.py', 'configuration': 'Common'},
    ]}
    assert realworld.choice(record) == 'among'
    record['chosen'] = {'deployments': [
        {'module': 'config/production.py', 'configuration': 'Production'},
        {'module': 'config/production.py', 'configuration': 'Staging'},
    ]}
    assert realworld.choice(record) == 'among'
    record['chosen'] = {'deployments': [{'module': 'config/local.py', 'configuration': 'Local'}]}
    assert realworld.choice(record) == 'other'
