"""The pipeline for one file: classify, evaluate, run the rules, report."""

from __future__ import annotations

import ast
import dataclasses
import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final, TypeVar, final

from flake8_djsec import presets
from flake8_djsec.logic import noqa, positions, project
from flake8_djsec.logic.evaluation.settings import Setting, StaticSettings, evaluate_module
from flake8_djsec.logic.evaluation.values import strings_of
from flake8_djsec.logic.roles import Role, classify
from flake8_djsec.logic.runs import RUN
from flake8_djsec.options import versions
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import Finding
from flake8_djsec.violations.base import Scope
from flake8_djsec.violations.internal import InternalErrorViolation
from flake8_djsec.visitors.base import CodeRule
from flake8_djsec.visitors.index import build_index

#: File names flake8 gives a buffer read from stdin without ``--stdin-display-name``.
STDIN_NAMES: Final = frozenset(('stdin', '-', ''))
#: How much of an internal error's repr the DJS000 message shows.
_MAX_ERROR: Final = 100

_Outcome = TypeVar('_Outcome')


@final
class _EveryFile:
    """The owner of an internal error: every file that judges the deployment reports it."""


_EVERY_FILE: Final = _EveryFile()
#: A module's text by path (None: a buffer with no name).
_Texts = Callable[[str | None], str | None]
#: A judged deployment's report and the file that reports it.
_Judged = tuple['str | None | _EveryFile', 'Report']


@final
@dataclasses.dataclass(frozen=True, order=True)
class Report:
    """One line of output: where, and the full message."""

    line: int
    col: int
    message: str


def analyse(
    tree: ast.Module,
    filename: str,
    source: str | None,
    config: DjsecConfig,
) -> list[Report]:
    """Run every rule that applies to the file; never raises."""
    path = None if filename in STDIN_NAMES else filename
    reports: list[Report] = []
    try:
        role = classify(path, tree, config.settings_patterns, config.dev_patterns)
    except Exception as error:  # never crash flake8
        return [_internal('classify', error)]
    with RUN.active(config):  # one configuration object per flake8 run
        judges = _guard('classify', functools.partial(_judges_settings, role, path, config))
        if isinstance(judges, Report):
            reports.append(judges)
        elif judges:
            settings = _guard('settings', functools.partial(
                _listed, _settings_reports, tree, path, source, config,
            ))
            reports.extend([settings] if isinstance(settings, Report) else settings)
    reports.extend(_code_reports(tree, _triggered(source)))
    return sorted(set(reports))


def _judges_settings(role: Role, path: str | None, config: DjsecConfig) -> bool:
    """
    Settings work for settings modules, development-named ones included, and named modules.

    A development-named module is no deployment itself unless the user names it,
    but a deployment may still load it; a module ``--djsec-deploy-settings``
    names is settings whatever its name or content.
    """
    if role is not Role.other:
        return True
    return path is not None and bool(config.deploy_settings) and project.named_by_option(
        path, config.deploy_settings,
    )


def _settings_reports(
    tree: ast.Module,
    path: str | None,
    source: str | None,
    config: DjsecConfig,
) -> Iterator[Report]:
    """Judge the deployment modules that load this file; report what belongs to it."""
    if path is None:
        # A buffer with no name: judge it alone, read nothing from disk.
        yield from _owned(_judge(tree, None, config, None, texts=lambda _: source), None)
        return
    linted = project.canonical(path)
    # The file as it is on disk: its group and deployments are shared by the run.
    # An editor's buffer that differs from the file: judged with the buffer, alone.
    on_disk = source is not None and project.adopt(linted, source, tree)
    group = _guard('settings discovery', functools.partial(
        _group, linted, config, None if on_disk else tree,
    ))
    if isinstance(group, Report):
        yield group
        return
    texts = functools.partial(_text, linted, source)
    for deployment in group.deployments():
        yield from _owned(
            _judged(group, deployment, (linted, texts), config, shared=on_disk), linted,
        )


def _text(linted: str, source: str | None, path: str | None) -> str | None:
    """A module's text: the linted buffer for the linted file, else the file on disk."""
    if path == linted:
        return source
    return None if path is None else project.source_text(path)


def _judged(
    group: project.SettingsGroup,
    deployment: project.Deployment,
    linted_texts: tuple[str, _Texts],
    config: DjsecConfig,
    *,
    shared: bool,
) -> list[_Judged]:
    """A deployment's reports, if it loads the linted file: judged once a run when shared."""
    linted, texts = linted_texts
    deployment_tree = group.tree(deployment.path)
    if deployment_tree is None or linted not in group.closure(deployment):
        return []
    variables = group.environment(deployment, config.env, config.env_files)
    judge = functools.partial(
        _judge, deployment_tree, deployment, config, group.tree, variables, texts=texts,
    )
    return RUN.remember(('judged', deployment), judge) if shared else judge()


def _group(linted: str, config: DjsecConfig, buffer: ast.Module | None) -> project.SettingsGroup:
    """The settings group around a file; one per folder and members in a run, unless a buffer."""
    group = project.SettingsGroup(
        linted,
        config.settings_patterns,
        config.dev_patterns,
        config.deploy_settings,
        None if buffer is None else {linted: buffer},
        config.env.get('DJANGO_CONFIGURATION'),
    )
    if buffer is not None:
        return group
    key = ('group', os.path.dirname(linted), tuple(group.members))
    return RUN.remember(key, lambda: group)


def _owned(judged: Iterable[_Judged], linted: str | None) -> Iterator[Report]:
    """The reports of a judged deployment that belong to the linted file."""
    for owner, report in judged:
        if owner is _EVERY_FILE or owner == linted:
            yield report


def _judge(  # noqa: WPS211 - the deployment, its environment, and how its files are read
    tree: ast.Module,
    deployment: project.Deployment | None,
    config: DjsecConfig,
    trees: Callable[[str], ast.Module | None] | None,
    variables: Mapping[str, str] | None = None,
    *,
    texts: _Texts,
) -> list[_Judged]:
    """Run the settings rules on one deployment (module or class): each report and its file."""
    where = None if deployment is None else deployment.path
    pinned = _guard('versions', functools.partial(versions.for_module, config, where))
    if isinstance(pinned, Report):
        return [(_EVERY_FILE, pinned)]
    config = pinned  # the versions the repository pins for this deployment, where no option did
    evaluated = _guard('evaluation', functools.partial(
        _evaluate, tree, deployment, config, trees, variables,
    ))
    if isinstance(evaluated, Report):
        return [(_EVERY_FILE, evaluated)]
    home = _Home(evaluated, texts, trees)
    return [
        judged for rule in presets.SETTINGS_RULES
        for judged in _apply(rule, evaluated, config, home)
    ]


def _apply(
    rule: Callable[..., Iterable[Finding]],
    settings: StaticSettings,
    config: DjsecConfig,
    home: _Home,
) -> list[_Judged]:
    """One settings rule's findings, placed; its failure is every file's DJS000."""
    outcome = _guard(rule.__name__, functools.partial(_listed, rule, settings, config))
    if isinstance(outcome, Report):
        return [(_EVERY_FILE, outcome)]
    if not outcome:
        return []
    silenced = _silenced_checks(settings)  # read only when the rule found something
    located = (
        _locate(finding, settings, home) for finding in outcome
        if not _is_silenced(finding, silenced)
    )
    return [judged for judged in located if judged is not None]


def _silenced_checks(settings: StaticSettings) -> frozenset[str]:
    """The check ids ``SILENCED_SYSTEM_CHECKS`` names, when its value is known."""
    return frozenset(strings_of(settings['SILENCED_SYSTEM_CHECKS'].value) or ())


def _is_silenced(finding: Finding, silenced: frozenset[str]) -> bool:
    """A mirrored code whose every Django id is silenced: ``check --deploy`` shows nothing."""
    ids = finding.violation.django_ids
    return bool(ids) and silenced.issuperset(ids)


@final
class _Home:
    """Where a deployment's missing settings go: found once, when one is missing."""

    def __init__(
        self,
        settings: StaticSettings,
        texts: _Texts,
        trees: Callable[[str], ast.Module | None] | None,
    ) -> None:
        self._settings = settings
        self._texts = texts
        self._trees = trees
        self._line: int | None = None

    def line(self) -> int:
        """The home line: the settings' own, moved past lines a bare ``# noqa`` covers."""
        if self._line is None:
            self._line = self._find()
        return self._line

    def tree(self, path: str) -> ast.Module | None:
        """A module's tree, as the deployment was judged with."""
        return None if self._trees is None else self._trees(path)

    def _find(self) -> int:
        start = self._settings.home_line
        path = self._settings.home_path
        text = self._texts(path)
        if text is None:
            return start
        tree = None if path is None or self._trees is None else self._trees(path)
        return noqa.home_line(text, tree, start)


def _evaluate(
    tree: ast.Module,
    deployment: project.Deployment | None,
    config: DjsecConfig,
    trees: Callable[[str], ast.Module | None] | None,
    variables: Mapping[str, str] | None = None,
) -> StaticSettings:
    where = deployment or project.Deployment('')
    return evaluate_module(
        tree, config.env if variables is None else variables, config.django_version,
        where.path or None, trees, where.configuration,
    )


def _holds(source: str, words: tuple[str, ...]) -> bool:
    """Tell whether the source holds every one of the words (a code rule's trigger)."""
    return all(word in source for word in words)


def _code_reports(tree: ast.Module, rules: list[CodeRule]) -> Iterator[Report]:
    if not rules:
        return  # a file that holds no rule's words is never indexed
    index = _guard('code index', lambda: build_index(tree, presets.WATCHED_NAMES))
    if isinstance(index, Report):
        yield index
        return
    for rule in rules:
        outcome = _guard(rule.__name__, functools.partial(_listed, rule, index))
        if isinstance(outcome, Report):
            yield outcome
            continue
        for finding in outcome:
            yield Report(finding.line, finding.col, finding.violation.message(**finding.params))


def _triggered(source: str | None) -> list[CodeRule]:
    """The code rules whose words the file holds (every rule for a buffer without text)."""
    return [
        rule for rule, triggers in presets.TRIGGERED_CODE_RULES
        if source is None or any(_holds(source, words) for words in triggers)
    ]


def _locate(finding: Finding, settings: StaticSettings, home: _Home) -> _Judged | None:
    """
    Place a finding: at the assignment of its setting, by the file holding it.

    A finding about a missing setting goes on the deployment's home line: the
    first line of the deployment module (or from the ``class`` line of a
    configuration class) that no bare ``# noqa`` covers (logic/noqa.py).
    """
    setting = settings[finding.setting] if finding.setting else None
    message = finding.violation.message(**finding.params)
    if setting is not None and setting.assigned:
        line = _key_line(setting, finding.keys, home)
        if line is not None:
            return setting.path, Report(line, 0, message)
        return setting.path, Report(setting.line, setting.col, message)
    if finding.violation.scope is Scope.settings:
        return None  # settings rules judge only values written in the source
    return settings.home_path, Report(home.line(), 0, message)


def _key_line(setting: Setting, keys: tuple[object, ...], home: _Home) -> int | None:
    """A finding about a key inside a dict literal: the key's line (its column 0)."""
    if not keys or setting.path is None:
        return None
    return positions.key_line(home.tree(setting.path), setting.line, keys, setting.name)


def _listed(rule: Callable[..., Iterable[_Outcome]], *arguments: object) -> list[_Outcome]:
    """Run a rule to the end, so that its failures happen inside the guard."""
    return list(rule(*arguments))


def _guard(name: str, work: Callable[[], _Outcome]) -> _Outcome | Report:
    try:
        return work()
    except Exception as error:  # a failing rule must not stop the others
        return _internal(name, error)


def _internal(name: str, error: BaseException) -> Report:
    sys.stderr.write('flake8-djsec: internal error in {0}:\n'.format(name))
    sys.stderr.write(''.join(traceback.format_exception(type(error), error, error.__traceback__)))
    return Report(1, 0, InternalErrorViolation.message(rule=name, error=repr(error)[:_MAX_ERROR]))
