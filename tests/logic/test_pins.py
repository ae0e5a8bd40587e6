"""The project's own pins: every file kind, specifiers, precedence, bounds and malformed input."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from flake8_djsec.logic import pinfiles, pins, specifiers
from flake8_djsec.options import versions

DEV_WORDS = ('dev', 'local', 'test', 'ci', 'docs')


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    (root / '.git').mkdir(parents=True, exist_ok=True)  # the repository's root: search stops
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


def found(root: Path, start: str = 'proj/settings.py') -> list[tuple[str, str, str, bool]]:
    """(package, spec, path relative to root, locked) of every pin, first first."""
    return [
        (pin.package, pin.spec, os.path.relpath(pin.path, root), pin.locked)
        for pin in pins.project_pins(str(root / start), DEV_WORDS)
    ]


def decided(root: Path, start: str = 'proj/settings.py') -> dict[str, tuple[object, str]]:
    """The series each package gets, and the origin the messages show, as the plugin decides."""
    every = pins.project_pins(str(root / start), DEV_WORDS)
    result: dict[str, tuple[object, str]] = {}
    for package, decide, label in (
        ('django', versions.django_series, 'Django'),
        ('django-csp', versions.django_csp_series, 'django-csp'),
    ):
        for pin in every:
            series = decide(pin.allowed) if pin.package == package else None
            if series is not None:
                where = os.path.relpath(pin.path, root)
                result[package] = (series, versions.origin(label, pin).replace(pin.path, where))
                break
    return result


# --- specifiers -------------------------------------------------------------------------


@pytest.mark.parametrize(('spec', 'series'), [
    ('==4.2.11', (4, 2)),
    ('== 5.2', (5, 2)),
    ('===5.1.3', (5, 1)),
    ('==5.2.*', (5, 2)),
    ('~=4.2', (4, 2)),  # below 5.0: Django's 4.x ends at 4.2
    ('~=4.2.3', (4, 2)),
    ('>=5.2,<5.3', (5, 2)),
    ('>=4.2, <5', (4, 2)),
    ('>=4.2,<5.0,!=4.2.1', (4, 2)),
    ('==5.0rc1', (5, 0)),
    ('==4.2.11+local', (4, 2)),
    ('<=5.2.4,>=5.2', (5, 2)),
    ('~=5.0', None),  # 5.0, 5.1, 5.2
    ('>=5.2', None),  # the future too
    ('<6', None),
    ('', None),
    ('>=5.2,<6.1', None),
])
def test_django_series_of_pep440(spec: str, series: tuple[int, int] | None) -> None:
    allowed = specifiers.pep440(spec)
    assert allowed is not None
    assert versions.django_series(allowed) == series


@pytest.mark.parametrize('spec', [
    '>=6,<5', '==4.2,==5.2', 'latest', '==1!2.0', '~=4', '>=4.2.*', '==' + '1.' * 150 + '1',
    '==4.2;', '=>4.2',
])
def test_unreadable_specifiers_are_none(spec: str) -> None:
    assert specifiers.pep440(spec) is None


@pytest.mark.parametrize(('spec', 'series'), [
    ('^4.2', (4, 2)),
    ('^4.2.7', (4, 2)),
    ('~4.2', (4, 2)),
    ('4.2.11', (4, 2)),
    ('4.2.*', (4, 2)),
    ('>=4.2,<5.0', (4, 2)),
    ('>= 5.2, < 5.3', (5, 2)),
    ('~=4.2', (4, 2)),
    ('^5.0', None),
    ('*', None),
])
def test_django_series_of_poetry(spec: str, series: tuple[int, int] | None) -> None:
    allowed = specifiers.poetry(spec)
    assert allowed is not None
    assert versions.django_series(allowed) == series


def test_poetry_alternatives_and_nonsense_are_none() -> None:
    assert specifiers.poetry('^4.2 || ^5.0') is None
    assert specifiers.poetry('^x') is None
    assert specifiers.poetry('^0.2.3') == specifiers.Range((0, 2, 3, 0, 0, 0), (0, 3, 0, 0, 0, 0))


@pytest.mark.parametrize(('spec', 'series'), [
    ('==4.0.1', (4, 0)),
    ('>=4.0', (4, 0)),  # every release from 4.0 on: django-csp 4's settings
    ('>=4.1', (4, 1)),
    ('~=4.0', (4, 0)),
    ('<4', versions.DJANGO_CSP_LEGACY),  # every release before 4.0: the CSP_* settings
    ('>=3.7,<4.0', (3, 7)),
    ('==3.8', (3, 8)),
    ('>=3.7', None),  # 3.7, 3.8 or 4.x
    ('', None),
])
def test_django_csp_series(spec: str, series: tuple[int, int] | None) -> None:
    allowed = specifiers.pep440(spec)
    assert allowed is not None
    assert versions.django_csp_series(allowed) == series


def test_old_django_is_the_oldest_supported_series() -> None:
    allowed = specifiers.pep440('==3.2.25')
    assert allowed is not None
    assert versions.django_series(allowed) == (4, 2)


# --- requirement lines ------------------------------------------------------------------


@pytest.mark.parametrize(('line', 'expected'), [
    ('Django==4.2.11', ('django', '==4.2.11')),
    ('django_csp >= 4.0', ('django-csp', '>= 4.0')),
    ('Django[argon2,bcrypt]==5.2.1 ; python_version >= "3.10"', ('django', '==5.2.1')),
    ('Django (>=5.2,<5.3)', ('django', '>=5.2,<5.3')),
    ('DJANGO.CSP==4.0', ('django-csp', '==4.0')),
])
def test_requirement(line: str, expected: tuple[str, str]) -> None:
    read = pinfiles.requirement(line)
    assert read is not None
    assert read[:2] == expected
    assert read[2] is not None


def test_url_requirement_allows_nothing_we_can_read() -> None:
    assert pinfiles.requirement('django @ https://example.com/Django-5.2.tar.gz') == (
        'django', '@ https://example.com/Django-5.2.tar.gz', None,
    )


def test_requirements_file_lines() -> None:
    text = (
        '# a comment\n'
        '--index-url https://example.com/simple\n'
        '-e git+https://github.com/x/django.git#egg=django\n'
        'Django==4.2.11 \\\n'
        '    --hash=sha256:0123 \\\n'
        '    --hash=sha256:4567\n'
        'django-csp>=4.0  # policy\n'
        'gunicorn==22.0\n'
        '-r base.txt\n'
        '--requirement=other.txt\n'
        '-cconstraints.txt\n'
        '--require-hashes\n'
        'https://example.com/pkg.tar.gz\n'
    )
    mentions, includes = pinfiles.requirements_file(text, pins.PACKAGES)
    assert [(mention.package, mention.spec) for mention in mentions] == [
        ('django', '==4.2.11'), ('django-csp', '>=4.0'),
    ]
    assert includes == ['base.txt', 'other.txt', 'constraints.txt']


# --- each file kind, end to end through the search ----------------------------------------


def test_requirements_txt(tmp_path: Path) -> None:
    root = write(tmp_path, {'requirements.txt': 'Django==5.2.1\ndjango-csp==4.0.1\n'})
    assert decided(root) == {
        'django': ((5, 2), 'Django 5.2.1 pinned in requirements.txt'),
        'django-csp': ((4, 0), 'django-csp 4.0.1 pinned in requirements.txt'),
    }


def test_requirements_folder_with_includes(tmp_path: Path) -> None:
    """Cookiecutter-style: production.txt includes base.txt, which holds the pins."""
    root = write(tmp_path, {
        'requirements/base.txt': 'django==4.2.11\ndjango-csp==3.8\n',
        'requirements/local.txt': '-r base.txt\ndjango==5.2\n',
        'requirements/production.txt': '-r ./base.txt\ngunicorn\n',
    })
    assert decided(root) == {
        'django': ((4, 2), 'Django 4.2.11 pinned in requirements/base.txt'),
        'django-csp': ((3, 8), 'django-csp 3.8 pinned in requirements/base.txt'),
    }


def test_production_requirements_before_others_and_development_last(tmp_path: Path) -> None:
    root = write(tmp_path, {
        'requirements-dev.txt': 'Django==5.1\n',
        'requirements.txt': 'Django==5.0\n',
        'requirements-prod.txt': 'Django==4.2\n',
    })
    assert [spec for _, spec, _, _ in found(root)] == ['==4.2', '==5.0', '==5.1']
    assert decided(root)['django'][0] == (4, 2)


def test_include_cycles_and_missing_includes_are_bounded(tmp_path: Path) -> None:
    root = write(tmp_path, {
        'requirements/a.txt': '-r b.txt\n-r missing.txt\n-r https://example.com/r.txt\n',
        'requirements/b.txt': '-r a.txt\n-r b.txt\nDjango==5.2\n',
    })
    # Each file is read once however often it is included (a.txt, then b.txt from a.txt).
    assert found(root) == [('django', '==5.2', 'requirements/b.txt', False)]


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    chain = {
        'requirements/r{0}.txt'.format(index): '-r r{0}.txt\n'.format(index + 1)
        for index in range(pins.MAX_INCLUDE_DEPTH + 3)
    }
    chain['requirements/r{0}.txt'.format(pins.MAX_INCLUDE_DEPTH + 3)] = 'Django==5.2\n'
    root = write(tmp_path, chain)
    # Every file is also listed in requirements/, so the pin is found, at the depth from it.
    assert found(root)[0][2] == 'requirements/r{0}.txt'.format(pins.MAX_INCLUDE_DEPTH + 3)
    seen: set[str] = set()
    start = str(root / 'requirements' / 'r0.txt')
    assert list(pins._requirements_pins(start, seen, pins.MAX_INCLUDE_DEPTH)) == []  # noqa: SLF001
    assert len(seen) == pins.MAX_INCLUDE_DEPTH


def test_pyproject_project_dependencies(tmp_path: Path) -> None:
    root = write(tmp_path, {'pyproject.toml': '''
        [project]
        name = "site"
        dependencies = ["Django>=5.2,<5.3", "requests"]

        [project.optional-dependencies]
        csp = ["django-csp>=4.0"]

        [dependency-groups]
        dev = ["Django==6.0", {include-group = "lint"}]
    '''})
    assert found(root) == [
        ('django', '>=5.2,<5.3', 'pyproject.toml', False),
        ('django-csp', '>=4.0', 'pyproject.toml', False),
        ('django', '==6.0', 'pyproject.toml', False),
    ]
    assert decided(root) == {
        'django': ((5, 2), 'Django >=5.2,<5.3 pinned in pyproject.toml'),
        'django-csp': ((4, 0), 'django-csp >=4.0 pinned in pyproject.toml'),
    }


def test_pyproject_poetry_tables(tmp_path: Path) -> None:
    root = write(tmp_path, {'pyproject.toml': '''
        [tool.poetry.dependencies]
        python = "^3.11"
        Django = {version = "^4.2", extras = ["argon2"]}

        [tool.poetry.group.web.dependencies]
        django-csp = "~4.0"
    '''})
    assert decided(root) == {
        'django': ((4, 2), 'Django ^4.2 pinned in pyproject.toml'),
        'django-csp': ((4, 0), 'django-csp ~4.0 pinned in pyproject.toml'),
    }


def test_uv_lock(tmp_path: Path) -> None:
    root = write(tmp_path, {
        'pyproject.toml': '[project]\nname = "site"\ndependencies = ["django>=5.0", "django-csp"]\n',
        'uv.lock': '''
            version = 1
            [[package]]
            name = "site"
            version = "0.1.0"
            source = { editable = "." }

            [[package]]
            name = "django"
            version = "5.1.4"
            source = { registry = "https://pypi.org/simple" }

            [[package]]
            name = "django-csp"
            version = "4.0"
        ''',
    })
    assert found(root)[:2] == [
        ('django', '5.1.4', 'uv.lock', True), ('django-csp', '4.0', 'uv.lock', True),
    ]
    assert decided(root) == {
        'django': ((5, 1), 'Django 5.1.4 locked in uv.lock'),
        'django-csp': ((4, 0), 'django-csp 4.0 locked in uv.lock'),
    }


def test_poetry_lock(tmp_path: Path) -> None:
    root = write(tmp_path, {'poetry.lock': '''
        [[package]]
        name = "Django"
        version = "4.2.16"
        optional = false

        [[package]]
        name = "django-csp"
        version = "3.8"

        [metadata]
        lock-version = "2.0"
    '''})
    assert decided(root) == {
        'django': ((4, 2), 'Django 4.2.16 locked in poetry.lock'),
        'django-csp': ((3, 8), 'django-csp 3.8 locked in poetry.lock'),
    }


def test_pipfile_lock_and_pipfile(tmp_path: Path) -> None:
    root = write(tmp_path, {
        'Pipfile.lock': json.dumps({
            '_meta': {'hash': {}},
            'default': {'django': {'version': '==5.2.2', 'hashes': []}},
            'develop': {'django-csp': {'version': '==4.0'}},
        }),
        'Pipfile': '[packages]\ndjango = "==5.0"\ndjango-csp = "*"\n',
    })
    assert found(root) == [
        ('django', '5.2.2', 'Pipfile.lock', True),
        ('django-csp', '4.0', 'Pipfile.lock', True),
        ('django', '==5.0', 'Pipfile', False),
        ('django-csp', '*', 'Pipfile', False),
    ]
    assert decided(root)['django'] == ((5, 2), 'Django 5.2.2 locked in Pipfile.lock')


def test_lock_files_before_declarations_before_requirements(tmp_path: Path) -> None:
    root = write(tmp_path, {
        'requirements.txt': 'Django==4.2\n',
        'pyproject.toml': '[project]\ndependencies = ["Django==5.0"]\n',
        'poetry.lock': '[[package]]\nname = "django"\nversion = "5.1"\n',
        'uv.lock': '[[package]]\nname = "django"\nversion = "5.2"\n',
    })
    assert [path for _, _, path, _ in found(root)] == [
        'uv.lock', 'poetry.lock', 'pyproject.toml', 'requirements.txt',
    ]


def test_undecidable_pin_lets_the_next_decide(tmp_path: Path) -> None:
    root = write(tmp_path, {
        'pyproject.toml': '[project]\ndependencies = ["Django>=4.2", "django-csp"]\n',
        'requirements.txt': 'Django==4.2.11\n',
    })
    assert decided(root) == {'django': ((4, 2), 'Django 4.2.11 pinned in requirements.txt')}


def test_nearest_folder_first_and_not_above_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / 'requirements.txt'
    outside.write_text('django-csp==3.8\n', encoding='utf-8')
    root = write(tmp_path / 'repo', {
        'requirements.txt': 'Django==5.0\n',
        'backend/requirements.txt': 'Django==5.2\n',
        'backend/proj/settings.py': '',
    })
    assert decided(root, 'backend/proj/settings.py') == {
        'django': ((5, 2), 'Django 5.2 pinned in backend/requirements.txt'),
    }
    assert [path for _, _, path, _ in found(root, 'backend/proj/settings.py')] == [
        'backend/requirements.txt', 'requirements.txt',
    ]


def test_folders_searched_are_bounded(tmp_path: Path) -> None:
    deep = 'a/b/c/d/e/f/g/proj/settings.py'
    root = write(tmp_path, {'requirements.txt': 'Django==5.2\n', deep: ''})
    assert found(root, deep) == []
    near = 'a/b/c/d/proj/settings.py'
    assert [path for _, _, path, _ in found(root, near)] == ['requirements.txt']


@pytest.mark.parametrize(('name', 'content'), [
    ('pyproject.toml', '[project\ndependencies = ["Django==5.2"]\n'),
    ('pyproject.toml', '[project]\ndependencies = "Django==5.2"\n'),
    ('pyproject.toml', '[tool.poetry]\ndependencies = ["Django"]\n'),
    ('pyproject.toml', b'[project]\ndependencies = ["Django==5.2"]\n\xff\xfe'),
    ('uv.lock', '[[package]]\nname = "django"\nversion = 5\n'),
    ('uv.lock', 'package = "django"\n'),
    ('uv.lock', '[[package]]\nname = ["django"]\nversion = "5.2"\n'),
    ('poetry.lock', '\x00\x01binary'),
    ('Pipfile.lock', '{"default": {"django": {"version": "==5.2"}'),
    ('Pipfile.lock', '[1, 2, 3]'),
    ('Pipfile.lock', '{"default": {"django": "==5.2"}}'),
    ('Pipfile.lock', '[' * 100_000 + ']' * 100_000),
    ('Pipfile', '[packages]\ndjango = 5.2\n'),
    ('requirements.txt', b'Django==5.2\xff\n'),
    ('requirements.txt', 'Django===\n-r\n--requirement\n-c\n\\'),
])
def test_malformed_files_pin_nothing(tmp_path: Path, name: str, content: str | bytes) -> None:
    root = write(tmp_path, {name: content})
    assert decided(root) == {}


def test_too_large_and_special_files_pin_nothing(tmp_path: Path) -> None:
    big = 'Django==5.2\n' + '# padding\n' * 300_000  # over the 2 MB read cap
    root = write(tmp_path, {'requirements.txt': big})
    (root / 'requirements').mkdir()
    os.mkfifo(root / 'requirements' / 'production.txt')
    (root / 'uv.lock').mkdir()
    assert found(root) == []


def test_a_file_is_read_again_only_when_it_changes(tmp_path: Path) -> None:
    root = write(tmp_path, {'requirements.txt': 'Django==5.0\n'})
    assert decided(root)['django'][0] == (5, 0)
    target = root / 'requirements.txt'
    target.write_text('Django==5.2\n', encoding='utf-8')
    os.utime(target, ns=(1, 1))  # another mtime and size: read again
    assert decided(root)['django'][0] == (5, 2)


def test_name_normalisation() -> None:
    assert pinfiles.normalize('Django_CSP') == 'django-csp'
    assert pinfiles.normalize('django.csp') == 'django-csp'
    assert pinfiles.normalize('Django') == 'django'


def test_without_a_toml_parser_toml_files_pin_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python 3.10 without tomli: pyproject.toml and uv.lock say nothing; the rest still counts."""
    monkeypatch.setattr(pinfiles, '_toml_loads', lambda: None)
    root = write(tmp_path, {
        'uv.lock': '[[package]]\nname = "django"\nversion = "5.1"\n',
        'pyproject.toml': '[project]\ndependencies = ["Django==5.0"]\n',
        'Pipfile.lock': json.dumps({'default': {'django-csp': {'version': '==4.0'}}}),
        'requirements.txt': 'Django==4.2\n',
    })
    assert found(root) == [
        ('django-csp', '4.0', 'Pipfile.lock', True), ('django', '==4.2', 'requirements.txt', False),
    ]
