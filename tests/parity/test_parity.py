"""
Differential test: our findings against Django's own ``check --deploy``, module by module.

For each supported Django series with a virtual environment built by ``scripts/parity.sh``
(``.venv-django42``, ...), hypothesis generates settings modules (``tests/parity/corpus.py``),
one subprocess of that environment runs Django's checks on all of them
(``tests/parity/django_checks.py``, empty environment, JSON in and out), and the real
pipeline (``flake8_djsec.analysis.analyse``, then the ``flake8`` executable) judges the same
sources as ``settings.py``. Django's ids map to our codes through the violation classes'
``django_ids``; for every module the mirrored codes we report must equal the codes of the
ids Django reports. A failure prints each disagreeing module, Django's ids and our codes.

The number of modules per series is ``DJSEC_PARITY_EXAMPLES`` (default ``EXAMPLES``);
generation is derandomized, so CI sees the same corpus every run.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from flake8_djsec.analysis import analyse
from flake8_djsec import documentation
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.violations import CATALOGUE
from flake8_djsec.violations.base import SUPPORTED_DJANGO
from tests.conftest import run_flake8
from tests.parity import corpus

ROOT: Final = Path(__file__).resolve().parents[2]
RUNNER: Final = Path(__file__).with_name('django_checks.py')
#: Modules generated per Django series (about 6 s of generation, 10 s of ours, per 1000).
EXAMPLES: Final = int(os.environ.get('DJSEC_PARITY_EXAMPLES', '3000'))
#: Where each series' summary goes, a file per interpreter (printed at the end by conftest.py).
SUMMARIES: Final = ROOT / '.parity'

#: Django id -> our code, from the catalogue.
CODE_OF: Final = {
    django_id: violation.full_code()
    for violation in CATALOGUE
    for django_id in violation.django_ids
}
MIRRORED: Final = frozenset(CODE_OF.values())
#: Ids RULES.md assigns to codes not in the catalogue yet (tolerated only while unmapped).
PENDING: Final = frozenset(('security.E026', 'security.W027'))
#: Checks Django runs that no settings module can fail statically (RULES.md, out of scope).
OUT_OF_SCOPE: Final = frozenset(('security.E100', 'security.E101', 'security.E102'))

_CODE: Final = re.compile(r'\bDJS\d{3}\b')


def venv_root() -> Path:
    """Where ``scripts/parity.sh`` keeps the Django environments (same default)."""
    cache = os.environ.get('XDG_CACHE_HOME') or str(Path.home() / '.cache')
    return Path(os.environ.get('DJSEC_PARITY_VENVS') or Path(cache) / 'flake8-djsec-parity')


def venv_python(series: str) -> Path:
    """Return the interpreter of the series' virtual environment (``.../django52``)."""
    return venv_root() / 'django{0}'.format(series.replace('.', '')) / 'bin' / 'python'


def version(series: str) -> tuple[int, int]:
    major, minor = series.split('.')
    return int(major), int(minor)


def generate(series: str, count: int) -> list[corpus.Module]:
    """Return ``count`` (or a few fewer, after de-duplication) modules, deterministically."""
    modules: dict[str, corpus.Module] = {}

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(corpus.modules(version(series)))
    def collect(module: corpus.Module) -> None:
        modules.setdefault(module.source(), module)

    collect()
    return list(modules.values())


def start_django(series: str, modules: list[str]) -> subprocess.Popen[str]:
    """Start Django's checks on every module, in one subprocess with an empty environment."""
    process = subprocess.Popen(
        [str(venv_python(series)), str(RUNNER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={},
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps({'modules': modules}))
    process.stdin.close()
    return process


def finish_django(process: subprocess.Popen[str]) -> tuple[str, list[dict[str, object]]]:
    """Wait for Django's answer: its version and one result per module."""
    assert process.stdout is not None and process.stderr is not None
    stdout, stderr = process.stdout.read(), process.stderr.read()
    assert process.wait(timeout=600) == 0, stderr
    answer = json.loads(stdout)
    return answer['django'], answer['results']


def django_ids(series: str, modules: list[str]) -> tuple[str, list[dict[str, object]]]:
    """Run Django's checks on every module; return its version and results."""
    return finish_django(start_django(series, modules))


def our_codes(source: str, series: str) -> set[str]:
    """Every code the real pipeline reports for a source linted as ``proj/settings.py``."""
    config = DjsecConfig(django_version=version(series))
    reports = analyse(ast.parse(source), 'proj/settings.py', source, config)
    return {report.message.split()[0] for report in reports}


@dataclasses.dataclass
class Outcome:
    """One series' corpus, Django's verdicts and ours."""

    series: str
    django: str
    modules: list[str]
    ids: list[list[str]]
    errors: list[str | None]
    ours: list[set[str]]
    forms: collections.Counter[str]
    seconds: dict[str, float]

    def expected(self, index: int) -> set[str]:
        return {CODE_OF[django_id] for django_id in self.ids[index] if django_id in CODE_OF}

    def mirrored(self, index: int) -> set[str]:
        return self.ours[index] & MIRRORED

    def disagreements(self) -> Iterator[int]:
        for index in range(len(self.modules)):
            if self.errors[index] is None and self.expected(index) != self.mirrored(index):
                yield index

    def produced(self) -> collections.Counter[str]:
        return collections.Counter(django_id for ids in self.ids for django_id in set(ids))

    def summary(self) -> dict[str, object]:
        return {
            'series': self.series,
            'django': self.django,
            'modules': len(self.modules),
            'loaded': sum(error is None for error in self.errors),
            'agree': len(self.modules) - len(list(self.disagreements())),
            'forms': dict(sorted(self.forms.items())),
            'modules_per_django_id': dict(sorted(self.produced().items())),
            'seconds': self.seconds,
        }


_OUTCOMES: dict[str, Outcome] = {}


def outcome(series: str) -> Outcome:
    """Generate, judge and compare once per series (cached for the tests below)."""
    if series in _OUTCOMES:
        return _OUTCOMES[series]
    if not venv_python(series).exists():
        pytest.skip('Django {0}: no {1} (scripts/parity.sh builds it when a suitable Python exists)'.format(
            series, venv_python(series).parent.parent,
        ))
    started = time.perf_counter()
    written = generate(series, EXAMPLES)
    modules = [module.source() for module in written]
    generated = time.perf_counter()
    process = start_django(series, modules)  # Django works while we do (two processes)
    ours = [our_codes(source, series) for source in modules]
    judged = time.perf_counter()
    django, results = finish_django(process)
    finished = time.perf_counter()
    result = Outcome(
        series=series,
        django=django,
        modules=modules,
        ids=[list(item['ids']) for item in results],  # type: ignore[call-overload]
        errors=[item['error'] for item in results],  # type: ignore[misc]
        ours=ours,
        forms=sum((module.forms for module in written), collections.Counter()),
        seconds={
            'generate': round(generated - started, 2),
            'ours': round(judged - generated, 2),
            'django_after_ours': round(finished - judged, 2),
        },
    )
    _OUTCOMES[series] = result
    SUMMARIES.mkdir(exist_ok=True)
    name = 'django{0}-python{1}.{2}.json'.format(series.replace('.', ''), *sys.version_info[:2])
    (SUMMARIES / name).write_text(
        json.dumps(result.summary(), indent=1), encoding='utf-8',
    )
    return result


def _show(result: Outcome, index: int) -> str:
    return (
        '--- module {0} (Django {1}) ---\n{2}\nDjango ids:  {3}\nDjango as ours: {4}\n'
        'ours (mirrored): {5}\n'
    ).format(
        index, result.django, result.modules[index], sorted(result.ids[index]),
        sorted(result.expected(index)), sorted(result.mirrored(index)),
    )


@pytest.mark.parametrize('series', SUPPORTED_DJANGO)
def test_django_loads_every_generated_module(series: str) -> None:
    """The generator writes modules Django accepts (else the comparison would be empty)."""
    result = outcome(series)
    failed = [index for index, error in enumerate(result.errors) if error is not None]
    assert not failed, '\n'.join(
        '--- module {0} ---\n{1}\nDjango: {2}'.format(index, result.modules[index], result.errors[index])
        for index in failed[:5]
    )


@pytest.mark.parametrize('series', SUPPORTED_DJANGO)
def test_parity_with_django(series: str) -> None:
    """Module by module, our mirrored codes are exactly the codes of Django's ids."""
    result = outcome(series)
    wrong = list(result.disagreements())
    assert not wrong, '{0} of {1} modules disagree with Django {2}:\n{3}'.format(
        len(wrong), len(result.modules), result.django,
        '\n'.join(_show(result, index) for index in wrong[:8]),
    )
    assert len(result.modules) >= EXAMPLES * 0.9


@pytest.mark.parametrize('series', SUPPORTED_DJANGO)
def test_every_django_id_is_mapped(series: str) -> None:
    """Each id Django produced maps to a code (or is out of scope, or awaits its code)."""
    result = outcome(series)
    unmapped = set(result.produced()) - set(CODE_OF) - OUT_OF_SCOPE - PENDING
    assert not unmapped, 'Django {0} reports ids no code mirrors: {1}'.format(
        result.django, sorted(unmapped),
    )


@pytest.mark.parametrize('series', SUPPORTED_DJANGO)
def test_mapping_table_holds_for_the_corpus(series: str) -> None:
    """
    The table's claims are facts for this series.

    Every id a code mirrors "for" this series was produced by Django in the corpus, and a
    code whose ``django_versions`` leave the series out saw none of its ids.
    """
    result = outcome(series)
    produced = set(result.produced())
    for violation in CATALOGUE:
        ids = set(violation.django_ids)
        if not ids:
            continue
        if series in violation.django_versions:
            assert ids <= produced, '{0}: Django {1} never produced {2}'.format(
                violation.full_code(), result.django, sorted(ids - produced),
            )
        else:
            assert not ids & produced, '{0} leaves out {1}, yet Django produced {2}'.format(
                violation.full_code(), series, sorted(ids & produced),
            )


@pytest.mark.parametrize('series', SUPPORTED_DJANGO)
def test_flake8_executable_agrees_with_the_pipeline(series: str, tmp_path: Path) -> None:
    """The real ``flake8`` on a sample of the corpus reports what ``analyse`` reported."""
    result = outcome(series)
    sample = range(0, len(result.modules), max(1, len(result.modules) // 100))
    for index in sample:
        folder = tmp_path / 'm{0:05d}'.format(index)
        folder.mkdir()
        (folder / 'settings.py').write_text(result.modules[index], encoding='utf-8')
    completed = run_flake8(['--select=DJS', '--djsec-django-version={0}'.format(series), '.'], tmp_path)
    assert completed.returncode in {0, 1}, completed.stderr
    seen: dict[int, set[str]] = collections.defaultdict(set)
    for line in completed.stdout.splitlines():
        folder_name = line.split('/')[1]
        seen[int(folder_name[1:])].update(_CODE.findall(line)[:1])
    for index in sample:
        assert seen[index] == result.ours[index], _show(result, index)


def test_ci_runs_at_least_one_series() -> None:
    """Under CI every run exercises Django: scripts/parity.sh must have built a series."""
    if os.environ.get('CI') != 'true':
        pytest.skip('not CI')
    assert any(venv_python(series).exists() for series in SUPPORTED_DJANGO)


def test_parity_table_is_current() -> None:
    """docs/rules/parity.md is the table the violation classes render (checked above)."""
    page = ROOT / documentation.DEFAULT_OUTPUT / documentation.PARITY_NAME
    assert page.read_text(encoding='utf-8') == documentation.render_parity(), (
        'docs/rules/parity.md is stale; run: {0}'.format(documentation.REGENERATE)
    )
