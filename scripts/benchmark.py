"""
Benchmark: flake8-djsec against flake8 alone and against its peers, side by side, as ratios.

Usage::

    python scripts/benchmark.py [--tree DIR ...] [--split-sizes 100,200,400] [--runs 5]
                                [--jobs 1,auto] [--semgrep-rules DIR] [--no-peers]
                                [--output docs/benchmark.md]

Trees: Django's own source (the newest wheel, downloaded with pip into the bench
folder) unless ``--tree`` names others, plus one generated split-settings project
per ``--split-sizes`` entry (``scripts/split_project.py``: N component modules
star-imported by a base module, and deployment modules on top).

On every tree, on the same explicit list of ``.py`` files, it times: flake8
without the plugin; flake8 with it; ``flake8 --select=DJS``; ``flake8-djsec
check``; bandit with all its tests and with its Django-relevant tests only (bandit
has no parallel option, so it runs at ``-j 1`` only); semgrep with a local copy of
semgrep-rules' ``python/django`` folder (offline: ``--metrics=off``, no registry),
``--jobs 1`` and ``--jobs`` one per CPU. Runs alternate round-robin (the order
rotates every round) so that a noisy neighbour slows every tool alike; the table
gives medians of ``--runs`` and ratios against flake8 without the plugin at the
same ``-j``. The plugin's own cost is also measured in process (its ``run()`` on
files already parsed, as flake8 hands them), the low-noise figure.

Each tool runs from its own virtual environment under the bench folder
(``.bench/``, git-ignored): flake8 alone, flake8 with this checkout (reinstalled
on every invocation), bandit, semgrep. A peer that cannot be installed, or
semgrep without ``--semgrep-rules``, is skipped and the output says so.
Nothing is asserted: performance is reported, not tested (tests/test_benchmark.py
only checks that the script still runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib.util
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / '.bench'
FLAKE8 = 'flake8>=7.3,<8'
BANDIT = 'bandit==1.9.4'
SEMGREP = 'semgrep==1.185.0'
#: bandit's tests for the categories the plugin covers (compare_peers.py sorts them the same
#: way): hard-coded passwords, mark_safe, SQL built from strings, QuerySet.extra and RawSQL.
BANDIT_DJANGO_TESTS = 'B105,B106,B107,B308,B608,B610,B611,B703'
#: Folders no tool is given (each tool's own default exclusions agree on these).
SKIPPED_FOLDERS = frozenset(('.git', '__pycache__', '.tox', '.nox', '.venv', '.eggs'))
#: Per command; a run over this is reported as failed.
TIMEOUT = 3600


@dataclasses.dataclass(frozen=True)
class Tree:
    """A tree of files to lint, and its size."""

    name: str
    path: Path
    files: tuple[str, ...]
    lines: int
    #: For a generated split-settings project: its number of component modules.
    components: int | None = None


@dataclasses.dataclass
class Row:
    """One command on one tree, and its timings."""

    label: str
    jobs: str
    argv: list[str]
    kind: str
    output: Path | None = None
    seconds: list[float] = dataclasses.field(default_factory=list)
    found: str = ''
    failure: str = ''


@dataclasses.dataclass
class Tools:
    """The executables, and why a peer is missing."""

    plain: Path
    plugin: Path
    bandit: Path | None
    semgrep: Path | None
    rules: Path | None
    notes: list[str]
    versions: dict[str, str]


def main(argv: Sequence[str] | None = None) -> int:
    """Build the environments and trees, run the benchmark, print (and write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--tree', type=Path, action='append', default=[],
                        help='a tree to lint instead of Django source (repeatable)')
    parser.add_argument('--split-sizes', default='100,200,400',
                        help='component counts of the generated split-settings projects')
    parser.add_argument('--runs', type=int, default=5, help='timed runs of every command')
    parser.add_argument('--jobs', default='1,auto', help='-j values for the tools that have one')
    parser.add_argument('--semgrep-rules', type=Path,
                        help="semgrep-rules' python/django folder (or the repository holding it)")
    parser.add_argument('--no-peers', action='store_true', help='time neither bandit nor semgrep')
    parser.add_argument('--bench-dir', type=Path, default=BENCH,
                        help='where the environments and trees live (default .bench/)')
    parser.add_argument('--output', type=Path, help='also write the report (Markdown) here')
    parser.add_argument('--plugin-seconds', type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.plugin_seconds:
        return _plugin_seconds(options.plugin_seconds)
    bench = options.bench_dir.resolve()
    bench.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    tools = _tools(bench, options)
    trees = _trees(bench, options)
    jobs = [value.strip() for value in options.jobs.split(',') if value.strip()]
    results = []
    for tree in trees:
        results.append((tree, _measure(tree, tools, jobs, options.runs, bench)))
        report = _report(results, tools, options, load_before, os.getloadavg(), argv)
        if options.output:  # rewritten after every tree: a long run that is stopped keeps its part
            options.output.write_text(report, encoding='utf-8')
    print(report, end='')
    return 0


# Environments -------------------------------------------------------------------------------

def _venv(target: Path, packages: Sequence[str], *, refresh: Sequence[str] = ()) -> Path | None:
    """A virtual environment with the packages (installed once) and ``refresh`` (every time)."""
    python = target / 'bin' / 'python'
    pip = [sys.executable, '-m', 'pip', '--python', str(python), 'install', '-q',
           '--disable-pip-version-check']
    try:
        if not python.exists():
            subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(target)], check=True)
            subprocess.run([*pip, *packages], check=True)
        if refresh:
            subprocess.run([*pip, '--no-deps', '--force-reinstall', *refresh], check=True)
    except subprocess.CalledProcessError:
        return None
    return target / 'bin'


def _tools(bench: Path, options: argparse.Namespace) -> Tools:
    notes: list[str] = []
    plugin = _venv(bench / 'plugin', [FLAKE8], refresh=[str(ROOT)])  # this checkout, as it is now
    if plugin is None:
        raise SystemExit('benchmark: cannot install flake8 with this checkout')
    # flake8 alone: the very versions of flake8, pycodestyle, pyflakes and mccabe of the other.
    frozen = _run([sys.executable, '-m', 'pip', '--python', str(plugin / 'python'), 'list',
                   '--format=freeze'], Path.cwd())
    same = [line for line in frozen.splitlines() if line.split('==')[0].lower() in
            {'flake8', 'pycodestyle', 'pyflakes', 'mccabe'}]
    plain = _venv(bench / 'plain', same or [FLAKE8])
    if plain is None:
        raise SystemExit('benchmark: cannot install flake8')
    versions = {
        'flake8 (without the plugin)': ' '.join(_run([str(plain / 'flake8'), '--version'], bench).split()),
        'flake8 (with the plugin)': ' '.join(_run([str(plugin / 'flake8'), '--version'], bench).split()),
    }
    bandit = semgrep = rules = None
    if options.no_peers:
        notes.append('bandit and semgrep skipped: --no-peers')
    else:
        bandit = _venv(bench / 'bandit', [BANDIT])
        if bandit is None:
            notes.append('bandit skipped: {0} could not be installed'.format(BANDIT))
        else:
            versions['bandit'] = _run([str(bandit / 'bandit'), '--version'], bench).splitlines()[0]
        rules = _rules(options.semgrep_rules)
        if rules is None:
            notes.append(
                'semgrep skipped: no rules (--semgrep-rules DIR, a copy of semgrep-rules\' '
                'python/django folder; semgrep runs offline here)'
                if options.semgrep_rules is None else
                'semgrep skipped: no rule files under {0}'.format(options.semgrep_rules),
            )
        else:
            semgrep = _venv(bench / 'semgrep', [SEMGREP])
            if semgrep is None:
                notes.append('semgrep skipped: {0} could not be installed'.format(SEMGREP))
                rules = None
            else:
                versions['semgrep'] = 'semgrep {0}'.format(
                    _run([str(semgrep / 'semgrep'), '--version'], bench).strip(),
                )
                versions['semgrep rules'] = _rules_version(rules)
    return Tools(
        plain / 'flake8', plugin / 'flake8', bandit and bandit / 'bandit',
        semgrep and semgrep / 'semgrep', rules, notes, versions,
    )


def _rules(given: Path | None) -> Path | None:
    if given is None:
        return None
    for candidate in (given / 'python' / 'django', given / 'django', given):
        if candidate.is_dir() and any(candidate.rglob('*.yaml')):
            return candidate.resolve()
    return None


def _rules_version(rules: Path) -> str:
    files = sorted(rules.rglob('*.yaml'))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return '{0} rule files in {1} (sha256 of their bytes {2})'.format(
        len(files), rules.name, digest.hexdigest()[:12],
    )


# Trees -------------------------------------------------------------------------------------

def _trees(bench: Path, options: argparse.Namespace) -> list[Tree]:
    given = [path.resolve() for path in options.tree] or [_django_tree(bench)]
    trees = [_tree(path.name, path) for path in given]
    split_project = _script('split_project')
    sizes = [int(size) for size in options.split_sizes.split(',') if size.strip()]
    for size in sizes:
        target = bench / 'split-{0}'.format(size)
        if target.exists():
            subprocess.run(['rm', '-rf', str(target)], check=True)
        split_project.write_split_project(target, components=size)
        trees.append(_tree('split settings, {0} components'.format(size), target, size))
    return trees


def _django_tree(bench: Path) -> Path:
    wheels = bench / 'wheels'
    found = sorted(wheels.glob('[Dd]jango-*.whl'))
    if not found:
        subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '-q', '--no-deps', '--only-binary=:all:',
             '--python-version', '3.12', 'django', '-d', str(wheels)],
            check=True,
        )
        found = sorted(wheels.glob('[Dd]jango-*.whl'))
    wheel = found[-1]
    tree = bench / wheel.name.split('-py')[0].replace('django', 'Django', 1)
    if not tree.exists():
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(tree)
    return tree


def _tree(name: str, path: Path, components: int | None = None) -> Tree:
    files = []
    lines = 0
    for found in sorted(path.rglob('*.py')):
        relative = found.relative_to(path)
        if SKIPPED_FOLDERS & set(relative.parts[:-1]):
            continue
        files.append(relative.as_posix())
        lines += found.read_bytes().count(b'\n')
    return Tree(name, path, tuple(files), lines, components)


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / 'scripts' / '{0}.py'.format(name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Measuring ---------------------------------------------------------------------------------

def _rows(tree: Tree, tools: Tools, jobs: list[str], out: Path) -> list[Row]:
    files = list(tree.files)
    slug = hashlib.sha256(tree.name.encode()).hexdigest()[:8]
    rows = []
    for job in jobs:
        flake8 = ['--isolated', '-j', job, *files]
        rows += [
            Row('flake8 without the plugin', job, [str(tools.plain), *flake8], 'plain'),
            Row('flake8 with the plugin', job, [str(tools.plugin), *flake8], 'plugin'),
            Row('flake8 --select=DJS', job, [str(tools.plugin), '--select=DJS', *flake8], 'select'),
            Row('flake8-djsec check', job, [str(tools.plugin.with_name('flake8-djsec')), 'check',
                                            '--isolated', '--jobs', job, *files], 'check'),
        ]
    if tools.bandit is not None:
        for label, tests, kind in (
            ('bandit, all tests', [], 'bandit'),
            ('bandit, Django-relevant tests', ['-t', BANDIT_DJANGO_TESTS], 'bandit-django'),
        ):
            output = out / '{0}-{1}.json'.format(slug, kind)
            rows.append(Row(label, '1', [str(tools.bandit), '-q', '-f', 'json', '-o', str(output),
                                         *tests, *files], kind, output))
    if tools.semgrep is not None and tools.rules is not None:
        for job in jobs:
            count = str(os.cpu_count() or 1) if job == 'auto' else job
            output = out / '{0}-semgrep-{1}.json'.format(slug, count)
            rows.append(Row('semgrep, python/django rules', job, [
                str(tools.semgrep), 'scan', '--config', str(tools.rules), '--metrics=off',
                '--disable-version-check', '--quiet', '--no-git-ignore', '--json', '-o',
                str(output), '--jobs', count, *files,
            ], 'semgrep', output))
    return rows


def _measure(tree: Tree, tools: Tools, jobs: list[str], runs: int, bench: Path) -> list[Row]:
    out = bench / 'out'
    out.mkdir(exist_ok=True)
    rows = _rows(tree, tools, jobs, out)
    listing = out / 'files.json'
    listing.write_text(json.dumps([str(tree.path / name) for name in tree.files]), encoding='utf-8')
    in_process = Row('the plugin alone, in process', '1', [
        str(tools.plugin.with_name('python')), str(Path(__file__).resolve()),
        '--plugin-seconds', str(listing),
    ], 'in-process')
    rows.append(in_process)
    print('# {0}: {1} files, {2} lines, {3} commands x {4} runs'.format(
        tree.name, len(tree.files), tree.lines, len(rows), runs,
    ), file=sys.stderr, flush=True)
    for round_number in range(runs):
        shift = round_number % len(rows)
        for row in rows[shift:] + rows[:shift]:  # round-robin, a different first every round
            if not row.failure:
                _once(row, tree.path)
        print('#   round {0}/{1} done, load {2:.2f}'.format(
            round_number + 1, runs, os.getloadavg()[0],
        ), file=sys.stderr, flush=True)
    return rows


def _once(row: Row, cwd: Path) -> None:
    start = time.perf_counter()
    try:
        result = subprocess.run(row.argv, cwd=cwd, capture_output=True, text=True,
                                check=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        row.failure = 'timed out after {0} s'.format(TIMEOUT)
        return
    elapsed = time.perf_counter() - start
    if result.returncode not in {0, 1}:
        row.failure = 'exit {0}: {1}'.format(result.returncode, result.stderr.strip()[-200:])
        return
    if row.kind == 'in-process':
        figures = json.loads(result.stdout)
        row.seconds.append(figures['seconds'])
        row.found = '{0} findings'.format(figures['findings'])
        return
    row.seconds.append(elapsed)
    row.found = _found(row, result.stdout)


def _found(row: Row, stdout: str) -> str:
    if row.output is None:
        return '{0} lines'.format(len(stdout.splitlines()))
    data = json.loads(row.output.read_text(encoding='utf-8') or '{}')
    findings = len(data.get('results', []))
    if row.kind == 'semgrep':
        paths = data.get('paths', {}).get('scanned', [])
        return '{0} findings, {1} files scanned, {2} errors'.format(
            findings, len(paths), len(data.get('errors', [])),
        )
    scanned = [name for name in data.get('metrics', {}) if name != '_totals']
    return '{0} findings, {1} files scanned'.format(findings, len(scanned))


def _plugin_seconds(listing: Path) -> int:
    """Time the plugin's run() on files already parsed, as flake8 hands them; print JSON."""
    import ast  # noqa: WPS433 - only this mode, run inside the plugin's environment, needs them

    from flake8_djsec.checker import DjsecChecker

    parsed = []
    for name in json.loads(listing.read_text(encoding='utf-8')):
        try:
            source = Path(name).read_text(encoding='utf-8')
            parsed.append((name, source.splitlines(keepends=True), ast.parse(source)))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
    start = time.perf_counter()
    findings = sum(
        len(list(DjsecChecker(tree, name, lines).run())) for name, lines, tree in parsed
    )
    print(json.dumps({'seconds': time.perf_counter() - start, 'findings': findings}))
    return 0


# Reporting ---------------------------------------------------------------------------------

def _median(row: Row) -> float:
    return statistics.median(row.seconds) if row.seconds else float('nan')


def _reference(rows: list[Row], jobs: str) -> Row | None:
    return next((row for row in rows if row.kind == 'plain' and row.jobs == jobs), None)


def _paired_overhead(rows: list[Row], jobs: str) -> float:
    """Median over rounds of (with - without) / without: each round's two runs were neighbours."""
    plain = _reference(rows, jobs)
    plugin = next((row for row in rows if row.kind == 'plugin' and row.jobs == jobs), None)
    if plain is None or plugin is None or not plain.seconds or not plugin.seconds:
        return float('nan')
    return statistics.median(
        (with_ - without) / without for with_, without in zip(plugin.seconds, plain.seconds)
    )


def _table(tree: Tree, rows: list[Row]) -> list[str]:
    lines = [
        '### {0}: {1} files, {2} lines'.format(tree.name, len(tree.files), tree.lines), '',
        '| run | -j | median s | min-max s | ratio to flake8 without the plugin | output |',
        '|---|---|---|---|---|---|',
    ]
    for row in rows:
        reference = _reference(rows, row.jobs if row.kind != 'in-process' else '1')
        if reference is None:
            reference = _reference(rows, '1') or rows[0]
        if row.failure:
            lines.append('| {0} | {1} | failed | | | {2} |'.format(row.label, row.jobs, row.failure))
            continue
        lines.append('| {0} | {1} | {2:.3f} | {3:.3f}-{4:.3f} | {5:.3f} | {6} |'.format(
            row.label, row.jobs, _median(row), min(row.seconds), max(row.seconds),
            _median(row) / _median(reference), row.found,
        ))
    return lines


def _headlines(results: list[tuple[Tree, list[Row]]]) -> list[str]:
    lines = ['## Headline figures', '']
    for tree, rows in results:
        jobs = sorted({row.jobs for row in rows if row.kind == 'plain'})
        parts = []
        for job in jobs:
            plain, plugin = _reference(rows, job), _find(rows, 'plugin', job)
            if plain and plugin and plain.seconds and plugin.seconds:
                parts.append('-j {0}: {1:+.1%} (medians), {2:+.1%} (paired rounds)'.format(
                    job, _median(plugin) / _median(plain) - 1, _paired_overhead(rows, job),
                ))
        in_process = _find(rows, 'in-process', '1')
        plain = _reference(rows, '1')
        if in_process and plain and in_process.seconds and plain.seconds:
            parts.append('in process: {0:.1%} of flake8 without it ({1:.3f} s)'.format(
                _median(in_process) / _median(plain), _median(in_process),
            ))
        lines.append('- {0}, what the plugin adds to a default flake8 run: {1}'.format(
            tree.name, '; '.join(parts),
        ))
        lines.extend(_against_peers(tree, rows))
    return lines


def _against_peers(tree: Tree, rows: list[Row]) -> list[str]:
    check = _find(rows, 'check', '1')
    select = _find(rows, 'select', '1')
    ours = [row for row in (check, select) if row and row.seconds]
    peers = [row for row in rows if row.kind in {'bandit', 'bandit-django', 'semgrep'} and row.seconds]
    lines = []
    for peer in peers:
        lines.append('  - {0} (-j {1}) takes {2}'.format(peer.label, peer.jobs, ', '.join(
            '{0:.1f}x the time of {1} -j 1'.format(_median(peer) / _median(row), row.label)
            for row in ours
        )))
    return lines


def _find(rows: list[Row], kind: str, jobs: str) -> Row | None:
    return next((row for row in rows if row.kind == kind and row.jobs == jobs), None)


def _linearity(results: list[tuple[Tree, list[Row]]]) -> list[str]:
    split = [(tree, rows) for tree, rows in results if tree.components is not None]
    if not split:
        return []
    lines = [
        '## Linearity: split-settings projects', '',
        'Milliseconds per settings module (files of the project), -j 1: flat means linear.', '',
        '| components | files | plugin in process | flake8 with - without | '
        'flake8 --select=DJS | flake8-djsec check |',
        '|---|---|---|---|---|---|',
    ]
    for tree, rows in split:
        count = len(tree.files)
        figures = []
        for kind in ('in-process', 'overhead', 'select', 'check'):
            if kind == 'overhead':
                plain, plugin = _reference(rows, '1'), _find(rows, 'plugin', '1')
                seconds = (_median(plugin) - _median(plain)) if plain and plugin else float('nan')
            else:
                row = _find(rows, kind, '1')
                seconds = _median(row) if row else float('nan')
            figures.append('{0:.2f}'.format(seconds * 1000 / count))
        lines.append('| {0} | {1} | {2} |'.format(tree.components, count, ' | '.join(figures)))
    return lines


def _machine(load_before: tuple[float, ...], load_after: tuple[float, ...]) -> list[str]:
    model = ''
    cpuinfo = Path('/proc/cpuinfo')
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding='utf-8', errors='replace').splitlines():
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    return [
        '- machine: {0}, {1} CPUs{2}'.format(
            platform.platform(), os.cpu_count(), ', {0}'.format(model) if model else '',
        ),
        '- Python {0}'.format(platform.python_version()),
        '- load average (1, 5, 15 min) before: {0}; after: {1}'.format(
            ', '.join('{0:.2f}'.format(value) for value in load_before),
            ', '.join('{0:.2f}'.format(value) for value in load_after),
        ),
    ]


def _report(
    results: list[tuple[Tree, list[Row]]],
    tools: Tools,
    options: argparse.Namespace,
    load_before: tuple[float, ...],
    load_after: tuple[float, ...],
    argv: Sequence[str] | None,
) -> str:
    arguments = list(sys.argv[1:] if argv is None else argv)
    lines = [
        '# Benchmark', '',
        'Generated by `python scripts/benchmark.py {0}` on {1} UTC.'.format(
            shlex.join(arguments), time.strftime('%Y-%m-%d %H:%M', time.gmtime()),
        ),
        'Medians of {0} runs, alternated round-robin; ratios against flake8 without the plugin '
        'at the same -j (bandit has no parallel option: -j 1 only; semgrep\'s `auto` is '
        '`--jobs` one per CPU). Every tool is given the same explicit list of `.py` files.'.format(
            options.runs,
        ), '',
        *_machine(load_before, load_after),
        *('- {0}: {1}'.format(name, version) for name, version in tools.versions.items()),
        *('- {0}'.format(note) for note in tools.notes),
        '',
        *_headlines(results), '',
    ]
    for tree, rows in results:
        lines.extend([*_table(tree, rows), ''])
    lines.extend(_linearity(results))
    return '\n'.join(lines).rstrip() + '\n'


def _run(command: list[str], cwd: Path) -> str:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False).stdout


if __name__ == '__main__':
    sys.exit(main())
