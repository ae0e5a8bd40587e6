"""
Compare flake8-djsec with bandit and semgrep's Django rules on real projects.

Usage::

    python scripts/compare_peers.py --semgrep-rules RULES_DIR PROJECT [PROJECT ...]

RULES_DIR is a local folder of semgrep rules (for example the ``python/django``
folder of the semgrep-rules repository, or the XSS and SQL rules of it only);
semgrep runs offline (``--metrics=off``, no registry). By default the script
builds a virtual environment under ``.peers/`` (flake8 with this checkout,
bandit, semgrep); ``--tools-venv DIR`` uses an environment that already has
bandit and semgrep (nothing is installed), and ``--djsec LABEL=FLAKE8`` (once
per checkout, for example ``before=...`` and ``after=...``) names the flake8
executables of the checkouts to compare. ``--only`` runs some tools only;
``--from-json`` (repeatable) merges the findings earlier ``--json`` runs wrote
instead of running anything.

Findings are sorted into the categories the tools share (``xss``: ``mark_safe``
and ``SafeString`` sinks; ``xss-response``: semgrep's rules on ``HttpResponse``,
a sink DJS160 does not cover; ``sql``; and, without ``--select``, CSRF,
settings, ...). ``--select DJS160,DJS161`` with ``--bandit-tests
B308,B703,B608,B610,B611`` (the defaults) compares the code rules.

Per project the report gives a side-by-side table, every finding of a peer that
no flake8-djsec checkout reports (for review), and, with ``--verdicts FILE``, a
reviewer's verdicts: a tab-separated file of ``project, path, line, verdict,
reason`` rows (verdict ``true``: a real injection; anything else: not one). For
every peer finding a reviewer confirms as a true injection the report says
whether each checkout reports it too. A verdict covers the findings of every
tool at most ``--slack`` lines away in the same file and category.

Findings in test code (the plugin's default ``--djsec-test-patterns``: ``tests/``,
``test/``, ``test_*.py``, ``*_tests.py``, ``*_test.py``, ``tests.py``, ``conftest.py``)
are left out of the side-by-side table and the review lists.
Nothing is asserted: this is a measurement, not a test, and it needs fetched
projects, so CI does not run it.
"""

from __future__ import annotations

import argparse
import ast
import collections
import dataclasses
import fnmatch
import json
import random
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / '.peers'
PEER_TOOLS = ('bandit', 'semgrep')

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
    ('httpresponse', 'xss-response'), ('raw-html-format', 'xss-response'),
    ('mark-safe', 'xss'), ('safestring', 'xss'), ('xss', 'xss'), ('html', 'xss'),
    ('formathtml', 'xss'), ('autoescape', 'xss'), ('is-safe', 'xss'),
    ('sql', 'sql'), ('raw-query', 'sql'), ('extra', 'sql'), ('custom-expression', 'sql'),
    ('csrf', 'csrf'), ('password', 'auth'), ('secure-cookies', 'settings'),
    ('throttle', 'settings'), ('template', 'template'),
)
#: The plugin's default test patterns (DJS160/DJS161 do not report test code).
TEST_PATTERNS = (
    'tests/', 'test/', 'test_*.py', '*_tests.py', '*_test.py', 'tests.py', 'conftest.py',
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


@dataclasses.dataclass(frozen=True)
class Verdict:
    """A reviewer's verdict on one location."""

    project: str
    path: str
    line: int
    true: bool
    reason: str


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the tables."""
    options = _parser().parse_args(argv)
    everything: list[Finding] = []
    for json_file in options.from_json or ():
        everything.extend(_load(json_file))
    if not options.from_json:
        everything.extend(_run(options))
    if options.json:
        options.json.write_text(
            json.dumps([dataclasses.asdict(finding) for finding in everything], indent=1),
            encoding='utf-8',
        )
    verdicts = _verdicts(options.verdicts) if options.verdicts else []
    names = [project.name for project in options.projects] or sorted(
        {finding.project for finding in everything},
    )
    print(_summary(names, everything, options, verdicts))
    if options.sample:
        print(_samples(options, everything, verdicts))
    for name in names:
        mine = [finding for finding in everything if finding.project == name]
        print(_report(name, mine, options, verdicts), flush=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('projects', nargs='*', type=Path)
    parser.add_argument('--semgrep-rules', type=Path)
    parser.add_argument('--slack', type=int, default=3)
    parser.add_argument('--json', type=Path, help='write every finding to this file')
    parser.add_argument('--list-limit', type=int, default=25)
    parser.add_argument('--venv', type=Path, default=PEERS, help='environment to build or reuse')
    parser.add_argument(
        '--tools-venv', type=Path,
        help='an environment with bandit and semgrep (nothing installed)',
    )
    parser.add_argument(
        '--djsec', action='append', metavar='LABEL=FLAKE8',
        help='a flake8 executable with a flake8-djsec checkout (repeatable)',
    )
    parser.add_argument('--select', default='DJS160,DJS161', help='our codes (flake8 --select)')
    parser.add_argument('--bandit-tests', default='B308,B703,B608,B610,B611')
    parser.add_argument('--only', help='comma-separated: djsec, bandit, semgrep')
    parser.add_argument(
        '--from-json', type=Path, action='append',
        help='merge the findings a --json run wrote (no tool runs; repeatable)',
    )
    parser.add_argument('--verdicts', type=Path, help='reviewer verdicts (tab-separated)')
    parser.add_argument('--semgrep-jobs', type=int, default=1)
    parser.add_argument(
        '--sample', type=int, default=0,
        help="tabulate a random sample of this many of each checkout's findings, with verdicts",
    )
    parser.add_argument('--seed', type=int, default=13, help='seed of --sample')
    return parser


def _load(json_file: Path) -> list[Finding]:
    rows = json.loads(json_file.read_text(encoding='utf-8'))
    return [_recategorised(Finding(**row)) for row in rows]


def _recategorised(finding: Finding) -> Finding:
    if finding.tool.startswith('djsec'):
        category = DJSEC_CATEGORIES.get(finding.rule, 'settings')
    elif finding.tool == 'bandit':
        category = BANDIT_CATEGORIES.get(finding.rule, 'other')
    else:
        category = _semgrep_category(finding.category_key or finding.rule)
    return dataclasses.replace(finding, category=category)


def _run(options: argparse.Namespace) -> list[Finding]:
    tools = set((options.only or 'djsec,bandit,semgrep').split(','))
    binaries = _environment(options.tools_venv or options.venv, install=not options.tools_venv)
    checkouts = dict(
        label.split('=', 1) for label in options.djsec or ['djsec={0}'.format(binaries['flake8'])]
    )
    found: list[Finding] = []
    for project in options.projects:
        where = project.resolve()
        runs: list[Iterable[Finding]] = []
        if 'djsec' in tools:
            runs.extend(
                _djsec(_tool_name(label), Path(flake8), where, options.select)
                for label, flake8 in checkouts.items()
            )
        if 'bandit' in tools:
            runs.append(_bandit(binaries['bandit'], where, options.bandit_tests))
        if 'semgrep' in tools:
            runs.append(_semgrep(
                binaries['semgrep'], where, options.semgrep_rules.resolve(), options.semgrep_jobs,
            ))
        for run in runs:
            found.extend(dataclasses.replace(finding, project=project.name) for finding in run)
        print('ran {0}'.format(project.name), file=sys.stderr, flush=True)
    return found


def _tool_name(label: str) -> str:
    return label if label.startswith('djsec') else 'djsec-{0}'.format(label)


def _environment(venv: Path, *, install: bool) -> dict[str, Path]:
    python = venv / 'bin' / 'python'
    if install:
        if not python.exists():
            subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
        subprocess.run(
            [str(python), '-m', 'pip', 'install', '-q', '--disable-pip-version-check',
             str(ROOT), 'bandit', 'semgrep'],
            check=True,
        )
    return {name: venv / 'bin' / name for name in ('flake8', 'bandit', 'semgrep')}


def _djsec(label: str, flake8: Path, project: Path, select: str) -> Iterable[Finding]:
    result = subprocess.run(
        [str(flake8), '--isolated', '--select={0}'.format(select),
         '--format=%(path)s\t%(row)d\t%(code)s\t%(text)s', '.'],
        cwd=project, capture_output=True, text=True, check=False,
    )
    for row in result.stdout.splitlines():
        path, line, code, text = row.split('\t', 3)
        category = DJSEC_CATEGORIES.get(code, 'settings')
        yield Finding(label, code, category, _relative(path), int(line), text)


def _bandit(bandit: Path, project: Path, tests: str) -> Iterable[Finding]:
    command = [str(bandit), '-r', '.', '-f', 'json', '-q']
    if tests:
        command.extend(['-t', tests])
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    for issue in json.loads(result.stdout or '{}').get('results', []):
        rule = issue['test_id']
        yield Finding(
            'bandit', rule, BANDIT_CATEGORIES.get(rule, 'other'), _relative(issue['filename']),
            int(issue['line_number']), issue['issue_text'],
        )


def _semgrep(semgrep: Path, project: Path, rules: Path, jobs: int) -> Iterable[Finding]:
    result = subprocess.run(
        [str(semgrep), 'scan', '--config', str(rules), '--metrics=off', '--json', '--quiet',
         '--disable-version-check', '--jobs', str(jobs), '.'],
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


def _is_test(path: str) -> bool:
    """Tell test code the way the plugin does (``tests/``: a folder; ``test_*.py``: a file name)."""
    folders = path.split('/')[:-1]
    for pattern in TEST_PATTERNS:
        if pattern.endswith('/'):
            if any(fnmatch.fnmatchcase(folder, pattern.rstrip('/')) for folder in folders):
                return True
        elif fnmatch.fnmatchcase(path.rsplit('/', 1)[-1], pattern):
            return True
    return False


#: Calls whose first argument is the text a sink receives.
SINK_NAMES = frozenset((
    'mark_safe', 'SafeString', 'SafeText', 'safe', 'execute', 'executemany', 'raw', 'extra',
    'RawSQL',
))
#: Translation calls: a literal passed through them is still a literal.
TRANSLATIONS = frozenset((
    '_', 'gettext', 'gettext_lazy', 'ugettext', 'ugettext_lazy', 'pgettext', 'pgettext_lazy',
    'ngettext', 'ngettext_lazy', 'format_lazy',
))


def literal_sink(root: Path, finding: Finding, cache: dict[str, ast.AST | None]) -> bool:
    """
    Tell whether every sink call on the finding's line receives literal text only.

    Literal text: a string constant, an f-string without fields, a translation call of a
    literal, ``+`` or ``%`` of literals (``extra()`` keyword arguments are read the same way).
    Such a finding cannot be an injection, so a reviewer does not need to open it.
    """
    if finding.path not in cache:
        try:
            cache[finding.path] = ast.parse((root / finding.path).read_bytes())
        except (OSError, SyntaxError, ValueError):
            cache[finding.path] = None
    tree = cache[finding.path]
    if tree is None:
        return False
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _callee(node) in SINK_NAMES
        and node.lineno <= finding.line <= (node.end_lineno or node.lineno)
    ]
    if not calls:
        return False
    innermost = min(calls, key=lambda node: (node.end_lineno or node.lineno) - node.lineno)
    texts = [*innermost.args[:1], *(keyword.value for keyword in innermost.keywords)]
    return bool(texts) and all(_is_literal(text) for text in texts)


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ''


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, int, float, bool)) or node.value is None
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(value, ast.Constant) for value in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_literal(node.left) and _is_literal(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_is_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(_is_literal(value) for value in node.values if value is not None)
    if isinstance(node, ast.Call) and _callee(node) in TRANSLATIONS:
        return all(_is_literal(argument) for argument in node.args)
    return False


def _near(finding: Finding, other: Finding, slack: int) -> bool:
    return (
        other.category == finding.category and other.path == finding.path
        and other.project == finding.project and abs(other.line - finding.line) <= slack
    )


def _matches(finding: Finding, others: Iterable[Finding], slack: int) -> bool:
    return any(_near(finding, other, slack) for other in others)


def _verdicts(path: Path) -> list[Verdict]:
    verdicts = []
    for row in path.read_text(encoding='utf-8').splitlines():
        if not row.strip() or row.startswith('#'):
            continue
        project, where, line, verdict, reason = (row.split('\t') + [''] * 5)[:5]
        true = verdict.strip().lower() == 'true'
        verdicts.append(Verdict(project, where, int(line), true, reason))
    return verdicts


def _verdict_for(finding: Finding, verdicts: list[Verdict], slack: int) -> Verdict | None:
    candidates = [
        verdict for verdict in verdicts
        if verdict.project == finding.project and verdict.path == finding.path
        and abs(verdict.line - finding.line) <= slack
    ]
    return min(candidates, key=lambda verdict: abs(verdict.line - finding.line), default=None)


def _labels(findings: Iterable[Finding]) -> list[str]:
    labels = {finding.tool for finding in findings if finding.tool.startswith('djsec')}
    return sorted(labels, key=lambda label: (label != 'djsec-before', label))


def _summary(
    names: list[str], findings: list[Finding], options: argparse.Namespace,
    verdicts: list[Verdict],
) -> str:
    slack = options.slack
    roots = {project.name: project for project in options.projects}
    labels = _labels(findings)
    header = ['project', *labels, 'bandit', 'semgrep', 'peer locations']
    for label in labels:
        header.extend([
            'of them reported by {0}'.format(label), 'not reported: literal text',
            'not reported: other',
        ])
    lines = [
        '## Side by side (xss / sql findings outside tests)', '',
        'A peer location is a file and line at least one of bandit and semgrep reports '
        '(B308 and B703 on the same `mark_safe` count once).', '',
        '| {0} |'.format(' | '.join(header)), '|{0}'.format('---|' * len(header)),
    ]
    totals = collections.Counter()
    for name in names:
        mine = [
            finding for finding in findings
            if finding.project == name and finding.category in {'xss', 'sql'}
            and not _is_test(finding.path)
        ]
        cells = [name]
        for tool in (*labels, 'bandit', 'semgrep'):
            counts = collections.Counter(
                finding.category for finding in _distinct(f for f in mine if f.tool == tool)
            )
            cells.append('{0} / {1}'.format(counts['xss'], counts['sql']))
        peers = _distinct(finding for finding in mine if finding.tool in PEER_TOOLS)
        cells.append(str(len(peers)))
        totals['peers'] += len(peers)
        cache: dict[str, ast.AST | None] = {}
        for label in labels:
            ours = [finding for finding in mine if finding.tool == label]
            reported = [finding for finding in peers if _matches(finding, ours, slack)]
            missed = [finding for finding in peers if finding not in reported]
            literal = [
                finding for finding in missed
                if name in roots and literal_sink(roots[name], finding, cache)
            ]
            cells.extend(str(len(group)) for group in (reported, literal))
            cells.append(str(len(missed) - len(literal)))
            totals[label, 'reported'] += len(reported)
            totals[label, 'literal'] += len(literal)
            totals[label, 'other'] += len(missed) - len(literal)
        lines.append('| {0} |'.format(' | '.join(cells)))
    total_cells = ['**total**', *([''] * (len(labels) + 2)), str(totals['peers'])]
    for label in labels:
        total_cells.extend(
            str(totals[label, kind]) for kind in ('reported', 'literal', 'other')
        )
    lines.append('| {0} |'.format(' | '.join(total_cells)))
    if verdicts:
        lines.extend(['', _confirmed(names, findings, slack, verdicts, labels)])
    return '\n'.join(lines) + '\n'


def _distinct(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per project, file, line and category (the first seen)."""
    seen: dict[tuple[str, str, int, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.project, finding.path, finding.line, finding.category), finding)
    return list(seen.values())


def _confirmed(
    names: list[str], findings: list[Finding], slack: int, verdicts: list[Verdict],
    labels: list[str],
) -> str:
    lines = [
        '## Peer findings a reviewer confirms as injections', '',
        '| project | path:line | peers | {0} | reason |'.format(' | '.join(labels)),
        '|---|---|---|{0}---|'.format('---|' * len(labels)),
    ]
    rows: dict[tuple[str, str, int], list[Finding]] = collections.defaultdict(list)
    for finding in findings:
        if finding.tool not in PEER_TOOLS or finding.project not in names:
            continue
        verdict = _verdict_for(finding, verdicts, slack)
        if verdict is not None and verdict.true:
            rows[(verdict.project, verdict.path, verdict.line)].append(finding)
    for (project, path, line), peers in sorted(rows.items()):
        verdict = _verdict_for(peers[0], verdicts, slack)
        reported = []
        for label in labels:
            ours = [finding for finding in findings if finding.tool == label]
            reported.append('yes' if any(_matches(peer, ours, slack) for peer in peers) else 'NO')
        tools = sorted({'{0} {1}'.format(peer.tool, peer.rule) for peer in peers})
        lines.append('| {0} | `{1}:{2}` | {3} | {4} | {5} |'.format(
            project, path, line, ', '.join(tools), ' | '.join(reported),
            verdict.reason if verdict else '',
        ))
    return '\n'.join(lines)


def sample(findings: list[Finding], size: int, seed: int) -> list[Finding]:
    """Draw ``size`` findings (all of them if fewer) in a reproducible order."""
    ordered = sorted(findings, key=_position)
    if len(ordered) <= size:
        return ordered
    drawn = random.Random(seed).sample(ordered, size)
    return sorted(drawn, key=_position)


def _position(finding: Finding) -> tuple[str, str, int, str]:
    return (finding.project, finding.path, finding.line, finding.rule)


def _samples(options: argparse.Namespace, findings: list[Finding], verdicts: list[Verdict]) -> str:
    roots = {project.name: project for project in options.projects}
    lines = ['## Precision on the samples (seed {0})'.format(options.seed), '']
    lines.extend([
        '| checkout | findings | sampled | reviewed | true | precision |',
        '|---|---|---|---|---|---|',
    ])
    tables = []
    for label in _labels(findings):
        mine = [
            finding for finding in findings
            if finding.tool == label and finding.category in {'xss', 'sql'}
        ]
        drawn = sample(mine, options.sample, options.seed)
        judged = [(finding, _verdict_for(finding, verdicts, 0)) for finding in drawn]
        reviewed = [verdict for _, verdict in judged if verdict is not None]
        true = sum(1 for verdict in reviewed if verdict.true)
        lines.append('| {0} | {1} | {2} | {3} | {4} | {5} |'.format(
            label, len(mine), len(drawn), len(reviewed), true,
            '{0:.0%}'.format(true / len(reviewed)) if reviewed else '-',
        ))
        tables.extend([
            '', '### Sample of {0} ({1} of {2})'.format(label, len(drawn), len(mine)), '',
            '| project | path:line | rule | code | verdict | reason |', '|---|---|---|---|---|---|',
        ])
        for finding, verdict in judged:
            tables.append('| {0} | `{1}:{2}` | {3} | {4} | {5} | {6} |'.format(
                finding.project, finding.path, finding.line, finding.rule,
                _code(roots.get(finding.project), finding),
                ('TRUE' if verdict.true else 'false') if verdict else 'not reviewed',
                verdict.reason if verdict else '',
            ))
    tables.extend(_missed_sample(options, findings, verdicts))
    return '\n'.join([*lines, *tables]) + '\n'


def _missed_sample(
    options: argparse.Namespace, findings: list[Finding], verdicts: list[Verdict],
) -> list[str]:
    """Sample the peer locations the newest checkout does not report (literal text left out)."""
    labels = _labels(findings)
    if not labels:
        return []
    label = labels[-1] if 'djsec-after' not in labels else 'djsec-after'
    roots = {project.name: project for project in options.projects}
    ours = [finding for finding in findings if finding.tool == label]
    cache: dict[tuple[str, str], ast.AST | None] = {}
    missed = []
    for finding in _distinct(
        finding for finding in findings
        if finding.tool in PEER_TOOLS and finding.category in {'xss', 'sql'}
        and not _is_test(finding.path)
    ):
        if _matches(finding, ours, options.slack) or finding.project not in roots:
            continue
        if literal_sink(roots[finding.project], finding, _file_cache(cache, finding.project)):
            continue
        missed.append(finding)
    drawn = sample(missed, options.sample, options.seed)
    lines = [
        '', '### Sample of peer locations {0} does not report ({1} of {2}, {3})'.format(
            label, len(drawn), len(missed), 'literal text left out',
        ), '',
        '| project | path:line | peer rule | code | verdict | reason |',
        '|---|---|---|---|---|---|',
    ]
    for finding in drawn:
        verdict = _verdict_for(finding, verdicts, 0)
        lines.append('| {0} | `{1}:{2}` | {3} {4} | {5} | {6} | {7} |'.format(
            finding.project, finding.path, finding.line, finding.tool, finding.rule,
            _code(roots.get(finding.project), finding),
            ('TRUE' if verdict.true else 'false') if verdict else 'not reviewed',
            verdict.reason if verdict else '',
        ))
    return lines


def _file_cache(cache: dict, project: str) -> dict[str, ast.AST | None]:
    return cache.setdefault(('files', project), {})


def _code(root: Path | None, finding: Finding) -> str:
    if root is None:
        return ''
    try:
        text = (root / finding.path).read_text(encoding='utf-8', errors='replace').splitlines()
    except OSError:
        return ''
    if not 0 < finding.line <= len(text):
        return ''
    line = ' '.join(text[finding.line - 1].split())
    if len(line) > 90:
        line = '{0}...'.format(line[:87])
    return '`{0}`'.format(line.replace('|', '\\|').replace('`', "'"))


def _report(
    name: str, findings: list[Finding], options: argparse.Namespace, verdicts: list[Verdict],
) -> str:
    slack = options.slack
    tools = (*_labels(findings), *PEER_TOOLS)
    by_tool = {tool: [finding for finding in findings if finding.tool == tool] for tool in tools}
    categories = sorted({finding.category for finding in findings})
    lines = [
        '## {0}'.format(name), '',
        '| category | {0} | {1} |'.format(
            ' | '.join(tools), ' | '.join('only {0}'.format(tool) for tool in tools),
        ),
        '|---|{0}'.format('---|---|' * len(tools)),
    ]
    unique: dict[str, list[Finding]] = {tool: [] for tool in tools}
    for category in categories:
        counts = []
        only = []
        for tool in tools:
            mine = [finding for finding in by_tool[tool] if finding.category == category]
            others = [
                finding for finding in findings
                if finding.tool != tool and not (
                    finding.tool.startswith('djsec') and tool.startswith('djsec')
                )
            ]
            alone = [finding for finding in mine if not _matches(finding, others, slack)]
            unique[tool].extend(alone)
            counts.append(str(len(mine)))
            only.append(str(len(alone)))
        lines.append('| {0} | {1} | {2} |'.format(category, ' | '.join(counts), ' | '.join(only)))
    for tool in tools:
        shown = [
            finding for finding in unique[tool]
            if finding.category != 'other' and not _is_test(finding.path)
        ]
        if not shown:
            continue
        lines.extend([
            '', '### only {0} ({1} outside tests, "other" left out)'.format(tool, len(shown)), '',
        ])
        for finding in shown[:options.list_limit]:
            verdict = _verdict_for(finding, verdicts, slack)
            lines.append('- `{0}:{1}` {2} {3}{4}'.format(
                finding.path, finding.line, finding.rule, finding.message[:140],
                ' -- {0}: {1}'.format(
                    'TRUE' if verdict.true else 'false', verdict.reason,
                ) if verdict else '',
            ))
        if len(shown) > options.list_limit:
            lines.append('- ... {0} more'.format(len(shown) - options.list_limit))
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    sys.exit(main())
