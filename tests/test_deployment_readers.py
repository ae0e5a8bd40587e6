"""The deployment-file readers on small files on disk: what each finds, with file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_djsec.logic.deployment import (
    commands,
    compose,
    docker,
    envfiles,
    exclusions,
    files,
    interpolation,
    kubernetes,
    platforms,
    repository,
    servers,
    yamldocs,
)
from flake8_djsec.logic.deployment.model import Kind, Process
from flake8_djsec.logic.deployment.reading import MAX_FILE_BYTES, Reading


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding='utf-8')
    return root


def _summary(processes: list[Process]) -> list[tuple[str, str, str | None, str]]:
    return [
        (process.label, process.kind.value, process.module, str(process.module_where))
        for process in processes
    ]


def _never_development(name: str) -> bool:
    return 'local' in name


@pytest.mark.parametrize(('command', 'runs', 'program', 'module'), [
    ('gunicorn config.wsgi --bind 0.0.0.0:5000', 'server', 'gunicorn', None),
    (['python', '-m', 'uvicorn', 'x.asgi:app'], 'server', 'uvicorn', None),
    ('daphne -b 0.0.0.0 proj.asgi:application', 'server', 'daphne', None),
    ('uwsgi --ini uwsgi.ini', 'server', 'uwsgi', None),
    ('hypercorn proj.asgi:app', 'server', 'hypercorn', None),
    ('waitress-serve proj.wsgi:application', 'server', 'waitress-serve', None),
    ('python manage.py runserver 0.0.0.0:8000 --settings=a.local', 'server', 'manage.py', 'a.local'),
    ('DJANGO_SETTINGS_MODULE=p.prod celery -A p worker', 'worker', 'celery', 'p.prod'),
    ('export DJANGO_SETTINGS_MODULE=q; exec gunicorn q.wsgi', 'server', 'gunicorn', 'q'),
    ('gunicorn -e DJANGO_SETTINGS_MODULE=z.s z.wsgi', 'server', 'gunicorn', 'z.s'),
    ('gunicorn --env=DJANGO_SETTINGS_MODULE=z.s z.wsgi', 'server', 'gunicorn', 'z.s'),
    ('sh -c "python manage.py migrate && gunicorn p.wsgi"', 'server', 'gunicorn', None),
    ('python manage.py collectstatic --noinput --settings=x.build', 'build', 'manage.py', 'x.build'),
    ('pytest --ds=x', 'tests', 'pytest', None),
    ('/start', 'other', 'start', None),
])
def test_commands(command: str | list[str], runs: str, program: str, module: str | None) -> None:
    """A command line: what its main step runs, and the module it names."""
    main = commands.read(command).main
    assert main is not None
    assert (main.runs.value, main.program, main.module) == (runs, program, module)


def test_unclosed_quote_is_unreadable() -> None:
    """A command shlex cannot split is unreadable, never guessed."""
    assert not commands.read('gunicorn "x').readable


@pytest.mark.parametrize(('text', 'known', 'expected'), [
    ('${A}', {'A': '1'}, '1'),
    ('${B:-two}', {}, 'two'),
    ('${B-two}', {'B': ''}, ''),
    ('${B:-two}', {'B': ''}, 'two'),
    ('$A/$A', {'A': 'x'}, 'x/x'),
    ('$$A', {}, '$A'),
    ('${UNSET}', {}, None),
    ('${A:?required}', {'A': '1'}, None),
    ('${A:-${B}}', {}, None),
])
def test_interpolation(text: str, known: dict[str, str], expected: str | None) -> None:
    """``${VAR}`` forms in the empty environment: an undecidable reference is None."""
    assert interpolation.interpolate(text, known) == expected


def test_self_reference_is_unknown() -> None:
    """A variable defined by itself (``A=${A:-x}``) is unknown."""
    assert interpolation.interpolate('${A:-x}', {}, itself='A') is None


def test_env_file(tmp_path: Path) -> None:
    """python-dotenv's parser: export, quotes, interpolation in order; bad lines said once."""
    _write(tmp_path, {'.env': (
        'export A=1\nB="two ${A}"\nC=${C:-x}\nD=${NOPE:-dflt}\nE=\'${A}\'\n'
        'not an assignment\nF=${UNSET}\n'
    )})
    reading = Reading(str(tmp_path))
    found = envfiles.read(reading, str(tmp_path / '.env'), 'x')
    assert found is not None
    assert [(variable.name, variable.value, variable.where.line) for variable in found] == [
        ('A', '1', 1), ('B', 'two 1', 2), ('D', 'dflt', 4), ('E', '${A}', 5),
    ]
    assert [(str(unknown.where), unknown.reason) for unknown in reading.unknowns] == [
        ('.env:3', 'the value of C cannot be decided'),
        ('.env:6', 'a line the env-file parser rejects'),
        ('.env:7', 'the value of F cannot be decided'),
    ]


def test_committed_follows_gitignore(tmp_path: Path) -> None:
    """An env file is committed unless a .gitignore (root or nested) ignores it."""
    _write(tmp_path, {
        '.gitignore': '.env\n.envs/*\n!.envs/.local/\n',
        '.env': 'A=1\n',
        '.envs/.production/.django': 'A=1\n',
        '.envs/.local/.django': 'A=1\n',
        'deploy/.gitignore': 'secret.env\n',
        'deploy/secret.env': 'A=1\n',
        'deploy/public.env': 'A=1\n',
    })
    reading = Reading(str(tmp_path))
    assert [
        reading.committed(str(tmp_path / name))
        for name in (
            '.env', '.envs/.production/.django', '.envs/.local/.django',
            'deploy/secret.env', 'deploy/public.env', 'missing.env',
        )
    ] == [False, False, True, False, True, False]


BOMB = ''.join(
    '{0}: &{0} [{1}]\n'.format(name, ', '.join(['*{0}'.format(previous)] * 9) if previous else 'x')
    for previous, name in zip(['', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], 'abcdefgh')
)


@pytest.mark.parametrize(('text', 'reason'), [
    (BOMB, 'YAML that expands past 50000 nodes or 60 levels (aliases)'),
    ('services: [\n', 'malformed YAML (ParserError)'),
])
def test_yaml_caps(text: str, reason: str) -> None:
    """Alias bombs, malformed and deeply nested YAML are unknown, with the reason."""
    assert yamldocs.load(text) == reason


def test_deep_yaml_is_unknown() -> None:
    """5,000 nested lists: the parser's or our depth cap, never a RecursionError."""
    assert isinstance(yamldocs.load('{0}1{1}\n'.format('[' * 5000, ']' * 5000)), str)
    assert isinstance(yamldocs.load('{0}1{1}\n'.format('[' * 100, ']' * 100)), str)


def test_yaml_merge_keys_and_lines() -> None:
    """``<<: *base`` merges; each key keeps its line."""
    documents = yamldocs.load('x: &base\n  environment:\n    A: 1\nweb:\n  <<: *base\n  command: gunicorn\n')
    assert isinstance(documents, list)
    web = documents[0]['web']  # type: ignore[index]
    assert dict(web) == {'environment': {'A': '1'}, 'command': 'gunicorn'}
    assert web.lines == {'environment': 2, 'command': 6}


COMPOSE = '''\
services:
  django: &django
    build:
      context: .
    env_file:
      - ./.envs/.production/.django
    environment:
      DJANGO_SECURE_SSL_REDIRECT: "${SSL:-True}"
    command: /start
  celeryworker:
    <<: *django
    command: celery -A config worker
  postgres:
    image: postgres
    env_file: ./.envs/.production/.postgres
  migrate:
    <<: *django
    command: python manage.py migrate --settings=config.settings.migrations
  loop:
    extends: loop2
  loop2:
    extends: loop
'''


def test_compose(tmp_path: Path) -> None:
    """Services that run Django, their env files and environment, extends cycles unknown."""
    _write(tmp_path, {
        'docker-compose.production.yml': COMPOSE,
        '.envs/.production/.django': 'DJANGO_SETTINGS_MODULE=config.settings.production\nDJANGO_SECURE_HSTS_SECONDS=518400\n',
        '.envs/.production/.postgres': 'POSTGRES_PASSWORD=x\n',
        'Dockerfile': 'FROM python\nENV PYTHONUNBUFFERED=1\n',
    })
    reading = Reading(str(tmp_path))
    found = compose.read(reading, str(tmp_path / 'docker-compose.production.yml'), _never_development)
    assert _summary(found) == [
        ('docker-compose.production.yml service django', 'deployment', 'config.settings.production', '.envs/.production/.django:1'),
        ('docker-compose.production.yml service celeryworker', 'deployment', 'config.settings.production', '.envs/.production/.django:1'),
        ('docker-compose.production.yml service migrate', 'build-only', 'config.settings.migrations', 'docker-compose.production.yml:18'),
    ]
    django = found[0]
    assert [(variable.name, variable.value, str(variable.where)) for variable in django.variables] == [
        ('PYTHONUNBUFFERED', '1', 'Dockerfile:2'),
        ('DJANGO_SETTINGS_MODULE', 'config.settings.production', '.envs/.production/.django:1'),
        ('DJANGO_SECURE_HSTS_SECONDS', '518400', '.envs/.production/.django:2'),
        ('DJANGO_SECURE_SSL_REDIRECT', 'True', 'docker-compose.production.yml:8'),
    ]
    assert django.variables[2].origin() == (
        'from DJANGO_SECURE_HSTS_SECONDS in .envs/.production/.django, '
        'loaded by docker-compose.production.yml service django'
    )
    assert [str(unknown.where) for unknown in reading.unknowns] == ['docker-compose.production.yml:22']


def test_compose_include_cycle(tmp_path: Path) -> None:
    """``include:`` is followed; a cycle is said once, never a hang."""
    _write(tmp_path, {
        'compose.yaml': 'include:\n  - other.yaml\nservices:\n  web:\n    command: gunicorn a.wsgi\n',
        'other.yaml': 'include:\n  - compose.yaml\nservices:\n  worker:\n    command: celery -A a worker\n',
    })
    reading = Reading(str(tmp_path))
    found = compose.read(reading, str(tmp_path / 'compose.yaml'), _never_development)
    assert [process.label for process in found] == ['other.yaml service worker', 'compose.yaml service web']
    assert [unknown.reason for unknown in reading.unknowns] == [
        'an include: cycle or chain deeper than 8',
    ]


def test_dockerfile(tmp_path: Path) -> None:
    """The final stage's ENV with ARG defaults, CMD, and build-only RUN modules."""
    _write(tmp_path, {'Dockerfile': (
        'FROM python AS build\nENV DJANGO_SETTINGS_MODULE=nope\nFROM python:3.12\n'
        'ARG ENVIRONMENT=production\n'
        'ENV DJANGO_SETTINGS_MODULE=config.settings.${ENVIRONMENT} \\\n    SECURE=1\n'
        'RUN DJANGO_SETTINGS_MODULE=config.settings.build python manage.py collectstatic --noinput\n'
        'CMD ["gunicorn", "config.wsgi"]\n'
    )})
    found = docker.read(Reading(str(tmp_path)), str(tmp_path / 'Dockerfile'))
    assert _summary(found) == [
        ('Dockerfile RUN manage.py', 'build-only', 'config.settings.build', 'Dockerfile:7'),
        ('Dockerfile', 'deployment', 'config.settings.production', 'Dockerfile:5'),
    ]
    assert found[1].reason == 'runs gunicorn'


@pytest.mark.parametrize('content', ['\\\n\\\n\\\n', '# only a comment\n', ''])
def test_dockerfile_without_instructions(tmp_path: Path, content: str) -> None:
    """A Dockerfile of continuation lines (or nothing) is unknown."""
    _write(tmp_path, {'Dockerfile': content})
    reading = Reading(str(tmp_path))
    assert docker.read(reading, str(tmp_path / 'Dockerfile')) == []
    assert [unknown.reason for unknown in reading.unknowns] == ['no Dockerfile instruction']


@pytest.mark.parametrize(('content', 'reason'), [
    (b'A=1\x00\n', 'binary (a NUL byte)'),
    (b'A=\xff\xfe\n', 'not UTF-8 text'),
    (b'A=' + b'x' * (MAX_FILE_BYTES + 1), 'larger than {0} bytes'.format(MAX_FILE_BYTES)),
])
def test_unreadable_files(tmp_path: Path, content: bytes, reason: str) -> None:
    """Binary, undecodable and oversized files are unknown, said once."""
    _write(tmp_path, {'.env': content})
    reading = Reading(str(tmp_path))
    assert envfiles.read(reading, str(tmp_path / '.env')) is None
    assert envfiles.read(reading, str(tmp_path / '.env')) is None
    assert [unknown.reason for unknown in reading.unknowns] == [reason]


def test_platforms(tmp_path: Path) -> None:
    """Procfile, fly.toml, render.yaml: processes and build steps."""
    _write(tmp_path, {
        'Procfile': (
            'web: gunicorn p.wsgi --env DJANGO_SETTINGS_MODULE=p.settings.heroku\n'
            'release: python manage.py migrate --settings=p.settings.release\n'
            'worker: celery -A p worker\n'
        ),
        'fly.toml': (
            '[env]\nDJANGO_SETTINGS_MODULE = "f.settings"\n[processes]\napp = "gunicorn f.wsgi"\n'
            '[deploy]\nrelease_command = "python manage.py migrate --settings=f.mig"\n'
        ),
        'render.yaml': (
            'services:\n  - type: web\n    name: site\n    startCommand: gunicorn r.wsgi\n'
            '    buildCommand: DJANGO_SETTINGS_MODULE=r.build python manage.py collectstatic\n'
            '    envVars:\n      - key: DJANGO_SETTINGS_MODULE\n        value: r.settings.render\n'
        ),
    })
    reading = Reading(str(tmp_path))
    found = (
        platforms.read_procfile(reading, str(tmp_path / 'Procfile'))
        + platforms.read_fly(reading, str(tmp_path / 'fly.toml'))
        + platforms.read_render(reading, str(tmp_path / 'render.yaml'))
    )
    assert _summary(found) == [
        ('Procfile web', 'deployment', 'p.settings.heroku', 'Procfile:1'),
        ('Procfile release', 'build-only', 'p.settings.release', 'Procfile:2'),
        ('Procfile worker', 'deployment', None, 'None'),
        ('fly.toml process app', 'deployment', 'f.settings', 'fly.toml:2'),
        ('fly.toml release_command', 'build-only', 'f.mig', 'fly.toml:6'),
        ('render.yaml service site', 'deployment', 'r.settings.render', 'render.yaml:7'),
        ('render.yaml service site buildCommand', 'build-only', 'r.build', 'render.yaml:5'),
    ]


def test_app_json(tmp_path: Path) -> None:
    """app.json's env: plain and {"value": ...} entries; generated secrets are not values."""
    _write(tmp_path, {'app.json': (
        '{\n  "env": {\n    "DJANGO_SETTINGS_MODULE": {"value": "h.settings.heroku"},\n'
        '    "SECRET_KEY": {"generator": "secret"},\n    "DEBUG": "False"\n  }\n}\n'
    )})
    reading = Reading(str(tmp_path))
    found = platforms.read_app_json(reading, str(tmp_path / 'app.json'), has_procfile=False)
    assert _summary(found) == [('app.json', 'deployment', 'h.settings.heroku', 'app.json:3')]
    assert [(variable.name, variable.value) for variable in found[0].variables] == [
        ('DJANGO_SETTINGS_MODULE', 'h.settings.heroku'), ('DEBUG', 'False'),
    ]


def test_servers(tmp_path: Path) -> None:
    """uwsgi.ini env lines, gunicorn.conf.py raw_env, systemd Environment= and ExecStart=."""
    _write(tmp_path, {
        'uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\nenv = DJANGO_SETTINGS_MODULE=proj.settings.prod\nenv = DEBUG=0\n',
        'gunicorn.conf.py': 'bind = "0.0.0.0"\nraw_env = [\n    "DJANGO_SETTINGS_MODULE=g.settings",\n    "X=1",\n]\n',
        'deploy/app.service': (
            '[Service]\nEnvironment="DJANGO_SETTINGS_MODULE=s.prod" "A=b c"\n'
            'ExecStart=/srv/venv/bin/gunicorn s.wsgi\n'
        ),
    })
    reading = Reading(str(tmp_path))
    found = (
        servers.read_uwsgi(reading, str(tmp_path / 'uwsgi.ini'))
        + servers.read_gunicorn(reading, str(tmp_path / 'gunicorn.conf.py'))
        + servers.read_systemd(reading, str(tmp_path / 'deploy/app.service'))
    )
    assert _summary(found) == [
        ('uwsgi.ini', 'deployment', 'proj.settings.prod', 'uwsgi.ini:3'),
        ('gunicorn.conf.py', 'deployment', 'g.settings', 'gunicorn.conf.py:3'),
        ('deploy/app.service', 'deployment', 's.prod', 'deploy/app.service:2'),
    ]
    assert [(variable.name, variable.value) for variable in found[0].variables] == [
        ('DJANGO_SETTINGS_MODULE', 'proj.settings.prod'), ('DEBUG', '0'),
    ]
    assert [(variable.name, variable.value) for variable in found[2].variables] == [
        ('DJANGO_SETTINGS_MODULE', 's.prod'), ('A', 'b c'),
    ]


@pytest.mark.parametrize(('name', 'content'), [
    ('uwsgi.ini', '[uwsgi\nenv = x\n'),
    ('gunicorn.conf.py', 'raw_env = [\n'),
    ('fly.toml', '[env\n'),
])
def test_malformed_server_files(tmp_path: Path, name: str, content: str) -> None:
    """Malformed INI, Python and TOML are unknown, never a crash."""
    _write(tmp_path, {name: content})
    reading = Reading(str(tmp_path))
    reader = {
        'uwsgi.ini': servers.read_uwsgi, 'gunicorn.conf.py': servers.read_gunicorn,
        'fly.toml': platforms.read_fly,
    }[name]
    assert reader(reading, str(tmp_path / name)) == []
    assert len(reading.unknowns) == 1


def test_kubernetes(tmp_path: Path) -> None:
    """A Deployment's container env (valueFrom left unset) and a migrate Job."""
    _write(tmp_path, {'k8s/web.yaml': '''\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: app
                  command: ["gunicorn", "k.wsgi"]
                  env:
                    - name: DJANGO_SETTINGS_MODULE
                      value: k.settings.production
                    - name: SECRET_KEY
                      valueFrom:
                        secretKeyRef: {name: s, key: k}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: migrate
        spec:
          template:
            spec:
              containers:
                - name: migrate
                  args: ["python", "manage.py", "migrate", "--settings=k.settings.migrate"]
        '''})
    reading = Reading(str(tmp_path))
    found = kubernetes.read(reading, str(tmp_path / 'k8s/web.yaml'))
    assert _summary(found) == [
        ('k8s/web.yaml Deployment web container app', 'deployment', 'k.settings.production', 'k8s/web.yaml:12'),
        ('k8s/web.yaml Job migrate container migrate', 'build-only', 'k.settings.migrate', 'k8s/web.yaml:26'),
    ]
    assert [variable.name for variable in found[0].variables] == ['DJANGO_SETTINGS_MODULE']


def test_exclusions(tmp_path: Path) -> None:
    """pytest/tox/setup.cfg/pyproject and CI workflows name modules tests and CI load."""
    _write(tmp_path, {
        'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = p.settings.test\n',
        'tox.ini': '[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE=p.settings.tox\n',
        'setup.cfg': '[tool:pytest]\nDJANGO_SETTINGS_MODULE = p.settings.cfg\n',
        'pyproject.toml': '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "p.settings.pyproject"\n',
        '.github/workflows/ci.yml': (
            'jobs:\n  test:\n    env:\n      DJANGO_SETTINGS_MODULE: p.settings.ci\n'
            '    steps:\n      - run: python manage.py check --deploy --settings=p.settings.check\n'
        ),
    })
    reading = Reading(str(tmp_path))
    found = [
        process
        for name in ('pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml')
        for process in exclusions.read_test_config(reading, str(tmp_path / name))
    ] + exclusions.read_workflow(reading, str(tmp_path / '.github/workflows/ci.yml'))
    assert [(process.kind, process.module, str(process.where)) for process in found] == [
        (Kind.tests, 'p.settings.test', 'pytest.ini:2'),
        (Kind.tests, 'p.settings.tox', 'tox.ini:3'),
        (Kind.tests, 'p.settings.cfg', 'setup.cfg:2'),
        (Kind.tests, 'p.settings.pyproject', 'pyproject.toml:2'),
        (Kind.ci, 'p.settings.check', '.github/workflows/ci.yml:6'),
        (Kind.ci, 'p.settings.ci', '.github/workflows/ci.yml:4'),
    ]


def test_repository_walk_and_root(tmp_path: Path) -> None:
    """The root is the folder with .git; the walk skips virtual environments and caches."""
    _write(tmp_path, {
        '.git/HEAD': 'ref\n',
        'src/proj/settings/production.py': 'DEBUG = False\n',
        'Dockerfile': 'FROM python\nENV DJANGO_SETTINGS_MODULE=proj.settings.production\n',
        'docker-compose.local.yml': 'services:\n  web:\n    command: python manage.py runserver --settings=proj.settings.local\n',
        '.venv/lib/Dockerfile': 'FROM x\nENV DJANGO_SETTINGS_MODULE=nope\n',
        'node_modules/x/Procfile': 'web: gunicorn nope.wsgi\n',
        '.env.example': 'A=1\n',
    })
    assert files.find_root(str(tmp_path / 'src/proj/settings')) == str(tmp_path)
    declared = repository.read(str(tmp_path), _never_development)
    assert _summary(list(declared.processes)) == [
        ('docker-compose.local.yml service web', 'development name', 'proj.settings.local', 'docker-compose.local.yml:3'),
        ('Dockerfile', 'deployment', 'proj.settings.production', 'Dockerfile:2'),
    ]
    assert declared.unused_env_files == ('.env.example',)
    assert files.resolve(str(tmp_path), 'proj.settings.production') == str(
        tmp_path / 'src/proj/settings/production.py',
    )


def test_time_cap_makes_the_rest_unknown(tmp_path: Path) -> None:
    """Past the time cap, files not read yet are unknown (a clock stands in for time)."""
    _write(tmp_path, {'a.env': 'A=1\n', 'b.env': 'B=1\n'})
    ticks = iter([0.0, 1.0, 1000.0])
    reading = Reading(str(tmp_path), clock=lambda: next(ticks))
    assert envfiles.read(reading, str(tmp_path / 'a.env')) is not None
    assert envfiles.read(reading, str(tmp_path / 'b.env')) is None
    assert [unknown.reason for unknown in reading.unknowns] == [
        'not read: the time cap for deployment files was reached',
    ]


def test_walk_entry_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A root with more entries than the cap: the walk stops, said once."""
    monkeypatch.setattr(files, 'MAX_WALK_ENTRIES', 5)
    _write(tmp_path, {'{0}.txt'.format(index): '' for index in range(10)})
    reading = Reading(str(tmp_path))
    assert files.walk(str(tmp_path), reading) == []
    assert [unknown.reason for unknown in reading.unknowns] == [
        'more than 5 entries below the root: the rest not read',
    ]


READERS = {
    'docker-compose.yml': lambda reading, path: compose.read(reading, path, _never_development),
    'Dockerfile': docker.read,
    'Procfile': platforms.read_procfile,
    'fly.toml': platforms.read_fly,
    'render.yaml': platforms.read_render,
    'uwsgi.ini': servers.read_uwsgi,
    'gunicorn.conf.py': servers.read_gunicorn,
    'unit.service': servers.read_systemd,
    'k8s.yaml': kubernetes.read,
    'tox.ini': exclusions.read_test_config,
    'pyproject.toml': exclusions.read_test_config,
    'ci.yml': exclusions.read_workflow,
    '.env': lambda reading, path: envfiles.read(reading, path) or [],
    'app.json': lambda reading, path: platforms.read_app_json(reading, path, has_procfile=False),
}


@pytest.mark.parametrize('name', sorted(READERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list(
    'abcXYZ_=:-[]{}()"\'$\\ \t\n#*&!<>|;,.0123456789\x00\r'
)) | st.characters(), max_size=400))
def test_readers_never_raise(tmp_path: Path, name: str, text: str) -> None:
    """Any text under any reader's name: a list of processes (maybe none), never an exception."""
    path = tmp_path / name
    path.write_text(
        'services:\n  web:\n    command: gunicorn x\n    environment: {0}\n'.format(text)
        if name.endswith('.yml') and len(text) % 2 else text,
        encoding='utf-8', errors='surrogatepass',
    )
    found = READERS[name](Reading(str(tmp_path)), str(path))
    assert isinstance(found, list)


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from([
        'gunicorn x.wsgi', 'DJANGO_SETTINGS_MODULE=a.b', '.env', 'web', 'Dockerfile', '${X:-y}',
    ]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from([
            'services', 'web', 'command', 'entrypoint', 'environment', 'env_file', 'extends',
            'include', 'build', 'context', 'dockerfile', 'path', 'service', 'file', 'kind',
            'containers', 'env', 'name', 'value', 'args', 'startCommand', 'buildCommand',
            'envVars', 'key', 'jobs', 'DJANGO_SETTINGS_MODULE', 'spec', 'template',
        ]),
        children, max_size=5,
    ),
    max_leaves=25,
)
_YAML_READERS = ('docker-compose.yml', 'render.yaml', 'k8s.yaml', 'ci.yml')


@pytest.mark.parametrize('name', _YAML_READERS)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_JSONISH)
def test_yaml_readers_on_any_structure(tmp_path: Path, name: str, document: object) -> None:
    """Well-formed YAML of any shape (lists where maps belong, numbers, nulls): never raises."""
    import yaml  # noqa: WPS433 - a test dependency too

    (tmp_path / '.env').write_text('X=1\n', encoding='utf-8')
    path = tmp_path / name
    path.write_text('# containers:\n' + yaml.safe_dump(document), encoding='utf-8')
    assert isinstance(READERS[name](Reading(str(tmp_path)), str(path)), list)


@pytest.mark.parametrize(('command', 'runs', 'program'), [
    ('bin/start-nginx gunicorn -c gunicorn.conf pydotorg.wsgi', 'server', 'gunicorn'),
    ('newrelic-admin run-program gunicorn x.wsgi', 'server', 'gunicorn'),
    ('ddtrace-run celery -A x worker', 'worker', 'celery'),
    ('uv run python manage.py collectstatic --settings=a.static', 'build', 'manage.py'),
    ('pip install gunicorn', 'other', 'pip'),
    ('uv pip install gunicorn', 'other', 'uv'),
    ('echo starting gunicorn', 'other', 'echo'),
])
def test_wrapper_programs(command: str, runs: str, program: str) -> None:
    """A wrapper running a server is the server; installing or naming one is not."""
    main = commands.read(command).main
    assert main is not None
    assert (main.runs.value, main.program) == (runs, program)


def test_uwsgi_ini_with_flag_lines(tmp_path: Path) -> None:
    """uWSGI flags without a value (``master``, ``strict``) are INI uWSGI accepts."""
    _write(tmp_path, {'uwsgi.ini': '[uwsgi]\nstrict\nmaster\nenv = DJANGO_SETTINGS_MODULE=p.prod\n'})
    reading = Reading(str(tmp_path))
    found = servers.read_uwsgi(reading, str(tmp_path / 'uwsgi.ini'))
    assert _summary(found) == [('uwsgi.ini', 'deployment', 'p.prod', 'uwsgi.ini:4')]
    assert reading.unknowns == ()


def test_app_specs(tmp_path: Path) -> None:
    """DigitalOcean app specs (``spec:`` templates too) and App Engine's app.yaml."""
    _write(tmp_path, {
        '.do/deploy.template.yaml': '''\
            spec:
              services:
                - name: app
                  envs:
                    - key: ALLOWED_HOSTS
                      value: ${APP_DOMAIN}
                    - key: BUILD_ONLY
                      scope: BUILD_TIME
                      value: "1"
                    - key: DJANGO_SETTINGS_MODULE
                      value: "b.settings.base"
              workers:
                - name: jobs
                  run_command: celery -A b worker
            ''',
        'app.yaml': (
            'runtime: python312\nentrypoint: gunicorn -b :$PORT g.wsgi\n'
            'env_variables:\n  DJANGO_SETTINGS_MODULE: g.settings.appengine\n'
        ),
    })
    reading = Reading(str(tmp_path))
    found = platforms.read_app_spec(reading, str(tmp_path / '.do/deploy.template.yaml'))
    found += platforms.read_app_spec(reading, str(tmp_path / 'app.yaml'))
    assert _summary(found) == [
        ('.do/deploy.template.yaml component app', 'deployment', 'b.settings.base', '.do/deploy.template.yaml:10'),
        ('.do/deploy.template.yaml component jobs', 'deployment', None, 'None'),
        ('app.yaml', 'deployment', 'g.settings.appengine', 'app.yaml:4'),
    ]
    assert [variable.name for variable in found[0].variables] == ['DJANGO_SETTINGS_MODULE']


def test_production_files_are_preferred_for_variables(tmp_path: Path) -> None:
    """Two Dockerfiles name one module: the production one's variables are the deployment's."""
    from flake8_djsec.logic.deployment import plan  # noqa: WPS433 - this test only

    _write(tmp_path, {
        'p/settings/main.py': 'DEBUG = False\n',
        'docker/demo/Dockerfile': 'FROM x\nENV DJANGO_SETTINGS_MODULE=p.settings.main DB=sqlite\n',
        'docker/production/Dockerfile': 'FROM x\nENV DJANGO_SETTINGS_MODULE=p.settings.main DB=postgres\n',
    })
    declared = repository.read(str(tmp_path), _never_development)
    chosen = plan.plan(declared, lambda module: files.resolve(str(tmp_path), module))
    (process,) = chosen.named.values()
    assert process.label == 'docker/production/Dockerfile'
    assert plan.environment(process)['DB'] == 'postgres'


def test_helm_template_is_unknown_as_a_template(tmp_path: Path) -> None:
    """A Helm chart's template is said to be a template, not malformed YAML."""
    _write(tmp_path, {'helm/templates/deploy.yaml': (
        'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n'
        '        - name: web\n          image: {{ .Values.image }}\n'
    )})
    reading = Reading(str(tmp_path))
    assert kubernetes.read(reading, str(tmp_path / 'helm/templates/deploy.yaml')) == []
    assert [unknown.reason for unknown in reading.unknowns] == [
        'a template (Helm or Jinja {{ ... }}), not plain YAML',
    ]


def test_compose_development_services(tmp_path: Path) -> None:
    """A service's own name, its env file's folder or its configuration can say development."""
    from flake8_djsec.logic import roles  # noqa: WPS433 - the discovery's own word test
    from flake8_djsec.options.config import DEFAULT_DEV_PATTERNS  # noqa: WPS433

    _write(tmp_path, {
        'compose.yml': '''
            services:
              app-dev:
                command: gunicorn proj.wsgi
              app:
                command: gunicorn proj.wsgi
                env_file: env.d/development/common
              worker:
                command: celery -A proj worker
                environment:
                  DJANGO_CONFIGURATION: Development
              web:
                command: gunicorn proj.wsgi
                env_file: env.d/production/common
                environment:
                  DJANGO_CONFIGURATION: Production
        ''',
        'env.d/development/common': 'DJANGO_SECRET_KEY=dev-only\n',
        'env.d/production/common': 'DJANGO_SECRET_KEY=prod\n',
    })

    def is_development(name: str) -> bool:
        return roles.is_development(name, DEFAULT_DEV_PATTERNS)

    found = compose.read(Reading(str(tmp_path)), str(tmp_path / 'compose.yml'), is_development)
    assert [(process.label, process.kind.value, process.reason) for process in found] == [
        ('compose.yml service app-dev', 'development name', 'a service with a development name'),
        ('compose.yml service app', 'development name', 'loads env.d/development/common, a development env file'),
        ('compose.yml service worker', 'development name', 'runs the configuration Development'),
        ('compose.yml service web', 'deployment', 'runs gunicorn'),
    ]
