"""The editor, pre-commit and CI snippets of README.md and docs/ci.md parse and do what they say."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from flake8_djsec import __version__
from tests.conftest import run_flake8
from tests.test_sarif import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / 'examples' / 'insecure_project'
#: The values the VS Code Flake8 extension accepts in ``flake8.severity``.
VSCODE_SEVERITIES = frozenset(('Error', 'Warning', 'Information', 'Hint'))


def _blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding='utf-8')
    return re.findall(r'^```{0}\n(.*?)^```$'.format(language), text, re.MULTILINE | re.DOTALL)


def _settings(key: str) -> dict[str, Any]:
    for block in _blocks(ROOT / 'README.md', 'json'):
        settings = json.loads(block)
        if key in settings:
            return settings  # type: ignore[no-any-return]
    raise AssertionError('no JSON block with {0!r} in README.md'.format(key))


def test_vscode_settings(tmp_path: Path) -> None:
    """The VS Code block is JSON, uses the extension's values, and its args run."""
    settings = _settings('flake8.args')
    assert settings['flake8.importStrategy'] == 'fromEnvironment'
    severity = settings['flake8.severity']
    assert set(severity.values()) <= VSCODE_SEVERITIES
    assert {'E', 'F', 'I', 'W', 'DJS'} <= set(severity)
    # The extension runs flake8 on the saved file by its absolute path, with these args.
    result = run_flake8([*settings['flake8.args'], str(EXAMPLE / 'mysite' / 'settings.py')], tmp_path)
    assert result.returncode == 1
    assert ' DJS100 ' in result.stdout


def test_pylsp_settings() -> None:
    """The pylsp block enables flake8 and turns the linters flake8 already runs off."""
    plugins = _settings('pylsp')['pylsp']['plugins']
    assert plugins['flake8'] == {'enabled': True}
    assert all(plugins[name] == {'enabled': False} for name in ('pycodestyle', 'pyflakes', 'mccabe'))


def test_pre_commit_snippet() -> None:
    """The pre-commit block is the flake8 hook with this release as an additional dependency."""
    (block,) = [text for text in _blocks(ROOT / 'README.md', 'yaml') if 'PyCQA/flake8' in text]
    (repo,) = yaml.safe_load(block)['repos']
    assert repo['repo'] == 'https://github.com/PyCQA/flake8'
    assert tuple(int(part) for part in repo['rev'].split('.')) >= (7, 3)
    (hook,) = repo['hooks']
    assert hook['id'] == 'flake8'
    assert hook['additional_dependencies'] == ['flake8-djsec=={0}'.format(__version__)]


def test_github_actions_workflow_commands(tmp_path: Path) -> None:
    """The workflow parses; its flake8 steps, run on the example, write valid SARIF and fail last."""
    (block,) = _blocks(ROOT / 'docs' / 'ci.md', 'yaml')
    workflow = yaml.safe_load(block)
    job = workflow['jobs']['flake8-djsec']
    assert job['permissions']['security-events'] == 'write'
    steps = job['steps']
    upload = next(step for step in steps if step.get('uses', '').startswith('github/codeql-action/upload-sarif@'))
    commands = [shlex.split(step['run']) for step in steps if step.get('run', '').startswith('flake8 ')]
    assert len(commands) == 2
    assert '--output-file={0}'.format(upload['with']['sarif_file']) in commands[0]
    output = tmp_path / upload['with']['sarif_file']
    lint = [
        '--output-file={0}'.format(output) if part.startswith('--output-file=') else part
        for part in commands[0][1:]
    ]
    lint_result = run_flake8(lint, EXAMPLE)
    assert lint_result.returncode == 0, lint_result.stderr
    document = json.loads(output.read_text(encoding='utf-8'))
    validate(document)
    assert {result['ruleId'] for result in document['runs'][0]['results']} >= {'DJS100', 'DJS150'}
    assert run_flake8(commands[1][1:], EXAMPLE).returncode == 1
