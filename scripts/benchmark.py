"""
Benchmark: what flake8-djsec adds to a flake8 run, as ratios, on a large real tree.

Usage: ``python scripts/benchmark.py [TREE] [--runs N]``; with ``--command``,
``flake8-djsec check`` against ``flake8 --select=DJS`` instead (see
``command_table``). It builds two virtual
environments under ``.bench/`` (flake8 alone; flake8 with this checkout
installed), then times, on the same files: flake8 without the plugin, flake8
with it, and ``--select=DJS`` runs. TREE defaults to Django's own source
(downloaded with pip into ``.bench/``). Prints a Markdown table; nothing is
asserted: performance is reported, not tested.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / '.bench'


def _venv(name: str, packages: list[str]) -> Path:
    target = BENCH / name
    python = target / 'bin' / 'python'
    if not python.exists():
        subprocess.run([sys.executable, '-m', 'venv', str(target)], check=True)
        subprocess.run(
            [str(python), '-m', 'pip', 'install', '-q', '--disable-pip-version-check', *packages],
            check=True,
        )
    return target / 'bin' / 'flake8'


def _django_tree() -> Path:
    tree = BENCH / 'django-src'
    if not tree.exists():
        wheels = BENCH / 'wheels'
        subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '-q', '--no-deps', '--only-binary=:all:',
             '--python-version', '3.12', 'django', '-d', str(wheels)],
            check=True,
        )
        wheel = sorted(wheels.glob('Django-*.whl')) + sorted(wheels.glob('django-*.whl'))
        with zipfile.ZipFile(wheel[-1]) as archive:
            archive.extractall(tree)
    return tree


def _time(command: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    timings = []
    lines = 0
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        timings.append(time.perf_counter() - start)
        lines = len(result.stdout.splitlines())
    return statistics.median(timings), lines


def _plugin_seconds(tree: Path) -> tuple[float, int]:
    """Time the plugin alone, in this process, on files already parsed (as flake8 hands them)."""
    import ast  # noqa: WPS433 - only the in-process measurement needs them

    from flake8_djsec.analysis import analyse
    from flake8_djsec.options.config import DjsecConfig

    parsed = []
    for path in sorted(tree.rglob('*.py')):
        try:
            source = path.read_text(encoding='utf-8')
            parsed.append((str(path), source, ast.parse(source)))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
    config = DjsecConfig()
    start = time.perf_counter()
    findings = sum(len(analyse(module, name, source, config)) for name, source, module in parsed)
    return time.perf_counter() - start, findings


def command_table(tree: Path, runs: int) -> None:
    """
    Time the standalone command against ``flake8 --select=DJS`` on the same tree.

    Both run isolated from configuration files, serially and with one job per
    CPU, alternating so that a noisy neighbour slows both; medians of ``runs``.
    The two outputs must hold the same findings (the command's equivalence
    tests require it); their line counts are printed to show it.
    """
    flake8 = _venv('command', ['flake8>=7.3,<8', str(ROOT)])
    python = flake8.with_name('python')
    subprocess.run(
        [str(python), '-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-deps',
         '--force-reinstall', str(ROOT)],
        check=True,
    )
    command = flake8.with_name('flake8-djsec')
    print('tree: {0} ({1} Python files), median of {2} runs'.format(
        tree, sum(1 for _ in tree.rglob('*.py')), runs,
    ))
    print('| jobs | flake8 --select=DJS (s) | flake8-djsec check (s) | check / flake8 | lines |')
    print('|---|---|---|---|---|')
    for jobs in ('1', 'auto'):
        flake8_times: list[float] = []
        command_times: list[float] = []
        lines = []
        for _ in range(runs):
            seconds, flake8_lines = _time(
                [str(flake8), '--isolated', '--select=DJS', '-j', jobs, '.'], tree, 1,
            )
            flake8_times.append(seconds)
            seconds, command_lines = _time(
                [str(command), 'check', '--isolated', '--jobs', jobs, '.'], tree, 1,
            )
            command_times.append(seconds)
            lines = [flake8_lines, command_lines]
        flake8_median = statistics.median(flake8_times)
        command_median = statistics.median(command_times)
        print('| {0} | {1:.2f} | {2:.2f} | {3:.3f} | {4} / {5} |'.format(
            jobs, flake8_median, command_median, command_median / flake8_median, *lines,
        ))


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('tree', nargs='?', type=Path)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--jobs', default='1')
    parser.add_argument(
        '--command', action='store_true',
        help='time flake8-djsec check against flake8 --select=DJS instead',
    )
    arguments = parser.parse_args()
    BENCH.mkdir(exist_ok=True)
    if arguments.command:
        command_table((arguments.tree or _django_tree()).resolve(), arguments.runs)
        return 0
    plain = _venv('plain', ['flake8>=7.3,<8'])
    plugin = _venv('plugin', ['flake8>=7.3,<8', str(ROOT)])
    tree = (arguments.tree or _django_tree()).resolve()
    files = sum(1 for _ in tree.rglob('*.py'))
    base = ['--isolated', '-j', arguments.jobs, '.']
    rows = [
        ('flake8 without the plugin', [str(plain), *base]),
        ('flake8 with the plugin', [str(plugin), *base]),
        ('flake8 --select=DJS (plugin only)', [str(plugin), '--select=DJS', *base]),
    ]
    results = [(label, *_time(command, tree, arguments.runs)) for label, command in rows]
    reference = results[0][1]
    print('tree: {0} ({1} Python files), median of {2} runs, -j {3}'.format(
        tree, files, arguments.runs, arguments.jobs,
    ))
    print('| run | seconds | ratio to flake8 without the plugin | output lines |')
    print('|---|---|---|---|')
    for label, seconds, lines in results:
        print('| {0} | {1:.2f} | {2:.3f} | {3} |'.format(label, seconds, seconds / reference, lines))
    plugin_seconds, findings = _plugin_seconds(tree)
    print('| the plugin alone, in process (run() on parsed files) | {0:.3f} | {1:.4f} | {2} |'.format(
        plugin_seconds, plugin_seconds / reference, findings,
    ))
    return 0


if __name__ == '__main__':
    sys.exit(main())
