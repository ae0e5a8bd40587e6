"""
scripts/benchmark.py still runs and prints its tables (a smoke test; nothing here is timed).

The script builds its flake8 environments with this test environment's pip (no
peers: bandit and semgrep stay optional, semgrep is far too big for a test) and
lints a two-file tree and a tiny generated split-settings project, once each.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / 'scripts' / 'benchmark.py'
ROWS = (
    'flake8 without the plugin', 'flake8 with the plugin', 'flake8 --select=DJS',
    'flake8-djsec check', 'the plugin alone, in process',
)
#: | run | -j | median s | min-max s | ratio | output |
_ROW = re.compile(
    r'^\| (?P<run>[^|]+) \| (?P<jobs>\w+) \| (?P<median>[0-9.]+) \| [0-9.]+-[0-9.]+ '
    r'\| (?P<ratio>[0-9.]+) \| (?P<output>[^|]+) \|$',
    re.MULTILINE,
)


def _tables(report: str) -> dict[str, dict[str, dict[str, str]]]:
    """Rows by tree heading, then by run label."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for section in report.split('\n### ')[1:]:
        heading = section.split('\n', 1)[0]
        tables[heading] = {match['run']: match.groupdict() for match in _ROW.finditer(section)}
    return tables


def test_benchmark_script_prints_every_row(tmp_path: Path) -> None:
    tree = tmp_path / 'tiny'
    (tree / 'app').mkdir(parents=True)
    (tree / 'app' / 'settings.py').write_text(
        'DEBUG = True\nSECRET_KEY = "x"\nALLOWED_HOSTS = []\nINSTALLED_APPS = []\n', encoding='utf-8',
    )
    (tree / 'app' / 'views.py').write_text(
        'from django.utils.safestring import mark_safe\n\n\ndef show(text):\n'
        '    return mark_safe(text)\n',
        encoding='utf-8',
    )
    output = tmp_path / 'report.md'
    result = subprocess.run(
        [sys.executable, str(SCRIPT), '--tree', str(tree), '--split-sizes', '3', '--runs', '1',
         '--jobs', '1', '--no-peers', '--bench-dir', str(tmp_path / 'bench'),
         '--output', str(output)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = output.read_text(encoding='utf-8')
    assert report == result.stdout
    assert 'bandit and semgrep skipped: --no-peers' in report
    assert re.search(r'^- flake8 \(with the plugin\): .*flake8-djsec', report, re.MULTILINE)
    tables = _tables(report)
    assert list(tables) == ['tiny: 2 files, 9 lines', 'split settings, 3 components: 17 files, 96 lines']
    for rows in tables.values():
        assert set(rows) == set(ROWS)
        assert all(float(row['median']) > 0 and float(row['ratio']) > 0 for row in rows.values())
        assert rows['flake8 without the plugin']['ratio'] == '1.000'
        # The same findings, whichever way the plugin runs: flake8 -> output lines.
        djs = rows['flake8 --select=DJS']['output']
        assert djs == rows['flake8-djsec check']['output']
        assert djs.replace('lines', 'findings') == rows['the plugin alone, in process']['output']
    assert tables['tiny: 2 files, 9 lines']['flake8 --select=DJS']['output'] != '0 lines'
    assert re.search(r'^\| 3 \| 17 \|( [0-9.-]+ \|){4}$', report, re.MULTILINE)
