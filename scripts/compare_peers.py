"""
Compare flake8-djsec with bandit and semgrep's Django rules on real projects.

Usage::

    python scripts/compare_peers.py --semgrep-rules RULES_DIR PROJECT [PROJECT ...]

RULES_DIR is a local copy of the ``python/django`` folder of the semgrep-rules
repository (semgrep runs offline: ``--metrics=off``, no registry). The script
builds a virtual environment under ``.peers/`` (flake8 with this checkout,
bandit, semgrep), runs the three tools on each project, sorts their findings
into the categories they share (XSS through ``mark_safe``, raw SQL, CSRF
exemption, settings, ...), and prints per project what each tool found that the
others did not, as Markdown, with the unmatched findings listed for review.
``--json FILE`` writes every finding. Nothing is asserted: this is a
measurement, not a test, and it needs fetched projects, so CI does not run it.

Two findings match when they are in the same category, the same file, and at
most ``--slack`` lines apart (tools report a multi-line call at different lines).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / '.peers'
TOOLS = ('djsec', 'bandit', 'semgrep')

#: Our codes by category.
DJSEC_CATEGORIES = {
    'DJS160': 'xss', 'DJS161': 'sql', 'DJS122': 'csrf', 'DJS150': 'admin',
    'DJS101': 'secrets', 'DJS106': 'secrets', 'DJS151': 'auth', 'DJS152': 'auth',
    'DJS153': 'auth', 'DJS154': 'auth',
}
#: bandit tests by category (the others are Python-generic and counted as "other").
BANDIT_CATEGORIES = {
    'B308': 'xss', 'B703': 'xss', 'B608': 'sql', 'B610': 'sql', 'B611': 'sql',
    'B105': 'secrets', 'B106': 'secrets', 'B107': 'secrets',
}
#: semgrep rule id fragments by category, tried in order.
SEMGREP_CATEGORIES = (
    ('mark-safe', 'xss'), ('safestring', 'xss'), ('xss', 'xss'), ('html', 'xss'),
    ('formathtml', 'xss'), ('autoescape', 'xss'),
    ('sql', 'sql'), ('raw-query', 'sql'), ('extra', 'sql'), ('custom-expression', 'sql'),
    ('csrf', 'csrf'), ('password', 'auth'), ('secure-cookies', 'settings'),
    ('throttle', 'settings'), ('template', 'template'),
)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One finding of one tool, normalised."""

    tool: str
    rule: str
    category: str
    path: str
    line: int
    message: str
    project: str = ''
    #: The full rule id (semgrep's check id), which categories are read from.
    category_key: str = ''


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('projects', nargs='+', type=Path)
    parser.add_argument('--semgrep-rules', type=Path, required=True)
    parser.add_argument('--slack', type=int, default=3)
    parser.add_argument('--json', type=Path)
    parser.add_argument('--list-limit', type=int, default=25)
    parser.add_argument('--venv', type=Path, default=PEERS, help='environment to build or reuse')
    parser.add_argument(
        '--from-json', type=Path, help='re-tabulate the findings a --json run wrote (no tool runs)',
    )
    options = parser.parse_args(argv)
    if options.from_json:
        return _retabulate(options)
    binaries = _environment(options.venv)
    everything: list[Finding] = []
    for project in options.projects:
        findings = [
            dataclasses.replace(finding, project=project.name)
            for finding in _run_all(binaries, project.resolve(), options.semgrep_rules.resolve())
        ]
        everything.extend(findings)
        print(_report(project.name, findings, options.slack, options.list_limit), flush=True)
    if options.json:
        options.json.write_text(
            json.dumps([dataclasses.asdict(finding) for finding in everything], indent=1),
            encoding='utf-8',
        )
    return 0


def _retabulate(options: argparse.Namespace) -> int:
    rows = json.loads(options.from_json.read_text(encoding='utf-8'))
    findings = [_recategorised(Finding(**row)) for row in rows]
    for project in options.projects:
        mine = [finding for finding in findings if finding.project == project.name]
        print(_report(project.name, mine, options.slack, options.list_limit))
    return 0


def _recategorised(finding: Finding) -> Finding:
    if finding.tool == 'djsec':
        category = DJSEC_CATEGORIES.get(finding.rule, 'settings')
    elif finding.tool == 'bandit':
        category = BANDIT_CATEGORIES.get(finding.rule, 'other')
    else:
        category = _semgrep_category(finding.category_key or finding.rule)
    return dataclasses.replace(finding, category=category)


def _environment(venv: Path) -> dict[str, Path]:
    python = venv / 'bin' / 'python'
    if not python.exists():
        subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    subprocess.run(
        [str(python), '-m', 'pip', 'install', '-q', '--disable-pip-version-check',
         str(ROOT), 'bandit', 'semgrep'],
        check=True,
    )
    return {name: venv / 'bin' / name for name in ('flake8', 'bandit', 'semgrep')}


def _run_all(binaries: dict[str, Path], project: Path, rules: Path) -> list[Finding]:
    return [
        *_djsec(binaries['flake8'], project),
        *_bandit(binaries['bandit'], project),
        *_semgrep(binaries['semgrep'], project, rules),
    ]


def _djsec(flake8: Path, project: Path) -> Iterable[Finding]:
    result = subprocess.run(
        [str(flake8), '--select=DJS', '--format=%(path)s\t%(row)d\t%(code)s\t%(text)s', '.'],
        cwd=project, capture_output=True, text=True, check=False,
    )
    for row in result.stdout.splitlines():
        path, line, code, text = row.split('\t', 3)
        category = DJSEC_CATEGORIES.get(code, 'settings')
        yield Finding('djsec', code, category, _relative(path), int(line), text)


def _bandit(bandit: Path, project: Path) -> Iterable[Finding]:
    result = subprocess.run(
        [str(bandit), '-r', '.', '-f', 'json', '-q'],
        cwd=project, capture_output=True, text=True, check=False,
    )
    for issue in json.loads(result.stdout or '{}').get('results', []):
        rule = issue['test_id']
        yield Finding(
            'bandit', rule, BANDIT_CATEGORIES.get(rule, 'other'), _relative(issue['filename']),
            int(issue['line_number']), issue['issue_text'],
        )


def _semgrep(semgrep: Path, project: Path, rules: Path) -> Iterable[Finding]:
    result = subprocess.run(
        [str(semgrep), 'scan', '--config', str(rules), '--metrics=off', '--json', '--quiet',
         '--disable-version-check', '.'],
        cwd=project, capture_output=True, text=True, check=False,
    )
    for issue in json.loads(result.stdout or '{}').get('results', []):
        rule = issue['check_id'].rsplit('.', 1)[-1]
        yield Finding(
            'semgrep', rule, _semgrep_category(issue['check_id']), _relative(issue['path']),
            int(issue['start']['line']), ' '.join(issue['extra'].get('message', '').split())[:160],
            category_key=issue['check_id'],
        )


def _semgrep_category(check_id: str) -> str:
    lowered = check_id.lower()
    for fragment, category in SEMGREP_CATEGORIES:
        if fragment in lowered:
            return category
    return 'other'


def _relative(path: str) -> str:
    return re.sub(r'^\./', '', path)


def _matches(finding: Finding, others: list[Finding], slack: int) -> bool:
    return any(
        other.category == finding.category and other.path == finding.path
        and abs(other.line - finding.line) <= slack
        for other in others
    )


def _report(name: str, findings: list[Finding], slack: int, limit: int) -> str:
    by_tool = {tool: [finding for finding in findings if finding.tool == tool] for tool in TOOLS}
    categories = sorted({finding.category for finding in findings})
    lines = [
        '## {0}'.format(name), '',
        '| category | djsec | bandit | semgrep | only djsec | only bandit | only semgrep |',
        '|---|---|---|---|---|---|---|',
    ]
    unique: dict[str, list[Finding]] = {tool: [] for tool in TOOLS}
    for category in categories:
        counts = []
        only = []
        for tool in TOOLS:
            mine = [finding for finding in by_tool[tool] if finding.category == category]
            others = [finding for finding in findings if finding.tool != tool]
            alone = [finding for finding in mine if not _matches(finding, others, slack)]
            unique[tool].extend(alone)
            counts.append(str(len(mine)))
            only.append(str(len(alone)))
        lines.append('| {0} | {1} | {2} |'.format(category, ' | '.join(counts), ' | '.join(only)))
    for tool in TOOLS:
        shown = [finding for finding in unique[tool] if finding.category != 'other']
        if not shown:
            continue
        lines.extend(['', '### only {0} ({1}, "other" left out)'.format(tool, len(shown)), ''])
        for finding in shown[:limit]:
            lines.append('- `{0}:{1}` {2} {3}'.format(
                finding.path, finding.line, finding.rule, finding.message[:140],
            ))
        if len(shown) > limit:
            lines.append('- ... {0} more'.format(len(shown) - limit))
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    sys.exit(main())
