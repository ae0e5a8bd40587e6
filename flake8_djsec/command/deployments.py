"""
``flake8-djsec deployments [options] [PATH ...]``: which settings modules we judge, and why.

For every settings module below the paths (flake8's walk and configuration, as
``check`` reads them): the deployment modules with the rule and the file and line
that chose each, the variables each is evaluated with and where each came from
(secrets masked), the Django and django-csp versions each is judged with when an option,
a pin in the repository or an installed package decided them, the settings modules that
are not deployments with the reason,
and the deployment files that could not be read. ``--format=json`` gives the same
as one JSON object. A user who disagrees learns which option to set.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

from flake8_djsec.command import arguments, files
from flake8_djsec.command.errors import UsageError
from flake8_djsec.logic import project, roles, sources
from flake8_djsec.logic.runs import RUN
from flake8_djsec.options import versions
from flake8_djsec.options.config import DjsecConfig

#: Exit statuses: listed, or a usage error.
LISTED: Final = 0
USAGE: Final = 2
#: Variable names whose values are masked.
_SECRET: Final = re.compile('SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|DSN|_URL$', re.IGNORECASE)
_MASK: Final = '********'
_GIVEN: Final = 'given with --djsec-env'

Report = dict[str, object]


def deployments(argv: Sequence[str], prog: str = 'flake8-djsec deployments') -> int:
    """Run the command; return its exit status."""
    try:
        parsed, filenames = _parse(argv, prog)
    except UsageError as error:
        sys.stderr.write('flake8-djsec: error: {0}\n'.format(error))
        return USAGE
    options = parsed.options
    with RUN.active(parsed.config):
        report = build(filenames, parsed.config)
    render = as_json if options.output_format == 'json' else as_text
    sys.stdout.write(render(report))
    return LISTED


def _parse(argv: Sequence[str], prog: str) -> tuple[arguments.Arguments, list[str]]:
    parsed = arguments.parse(argv, prog)
    options = parsed.options
    if options.output_format == 'sarif':
        raise UsageError('deployments has --format=text or --format=json')
    return parsed, files.expand(
        options.filenames, [*options.exclude, *options.extend_exclude], options.filename,
    )


def build(filenames: Sequence[str], config: DjsecConfig) -> Report:
    """Everything the listing shows, as plain data."""
    modules = list(_settings_modules(filenames, config))
    chosen: dict[str, Report] = {}
    judged: set[str] = set()
    unknowns: dict[str, Report] = {}
    groups: list[project.SettingsGroup] = []
    for path in modules:
        group = project.SettingsGroup(
            path, config.settings_patterns, config.dev_patterns, config.deploy_settings,
            configuration=config.env.get('DJANGO_CONFIGURATION'),
        )
        groups.append(group)
        for deployment in group.deployments():
            judged.add(deployment.path)
            key = _key(deployment)
            if key not in chosen:
                chosen[key] = _deployment(group, deployment, config)
        _gather_unknowns(group, unknowns)
    excluded = [
        _not_deployment(group, module)
        for group, module in zip(groups, modules)
        if module not in judged
    ]
    return {
        'deployments': [chosen[key] for key in sorted(chosen)],
        'not_deployments': sorted(excluded, key=lambda entry: str(entry['module'])),
        'unknown': [unknowns[key] for key in sorted(unknowns)],
    }


def _key(deployment: project.Deployment) -> str:
    name = _shown(deployment.path)
    return name if deployment.configuration is None else '{0}:{1}'.format(
        name, deployment.configuration,
    )


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith('..') else relative.replace(os.sep, '/')


def _settings_modules(filenames: Sequence[str], config: DjsecConfig) -> Iterator[str]:
    """The settings modules among the files (path patterns, then top-level names)."""
    for filename in filenames:
        source = sources.read_source(filename)
        tree = None if source is None else sources.parse_source(source.raw, filename)
        if tree is None or not isinstance(tree, ast.Module):
            continue
        role = roles.classify(filename, tree, config.settings_patterns, config.dev_patterns)
        if role is not roles.Role.other:
            yield project.canonical(filename)


def _deployment(
    group: project.SettingsGroup, deployment: project.Deployment, config: DjsecConfig,
) -> Report:
    why, named_at = group.explain(deployment)
    environment = group.environment(deployment, config.env, config.env_files)
    return {
        'module': _shown(deployment.path),
        'configuration': deployment.configuration,
        'why': why,
        'named_at': _shown(named_at) if os.path.isabs(named_at) else named_at,
        'variables': _variables(environment, config.env),
        'versions': _versions(config, deployment.path),
    }


def _versions(config: DjsecConfig, path: str) -> Report:
    """The Django and django-csp series the module is judged with, and where each came from."""
    pinned = versions.for_module(config, path)
    csp_series = pinned.django_csp_version
    return {
        'django': '{0}.{1}'.format(*pinned.django_version),
        'django_origin': pinned.django_version_origin,
        'django_csp': None if csp_series is None else '{0}.{1}'.format(*csp_series),
        'django_csp_origin': pinned.django_csp_version_origin,
    }


def _variables(environment: Mapping[str, str], given: Mapping[str, str]) -> list[Report]:
    origins = getattr(environment, 'origins', None)
    if not isinstance(origins, dict):
        origins = {}
    shown: list[Report] = []
    for name in sorted(environment):
        origin = origins.get(name) or ''
        if not origin and name in given:
            origin = _GIVEN
        shown.append({
            'name': name,
            'value': _MASK if _SECRET.search(name) else environment[name],
            'origin': origin,
        })
    return shown


def _not_deployment(group: project.SettingsGroup, path: str) -> Report:
    return {'module': _shown(path), **_reason(group, path)}


def _reason(group: project.SettingsGroup, path: str) -> Report:
    if group.is_development(path):
        return {'reason': 'development name', 'where': ''}
    ruled_out = group.ruled_out(path)
    if ruled_out is not None:
        return {
            'reason': '{0} ({1})'.format(ruled_out.kind.value, ruled_out.label),
            'where': str(ruled_out.module_where or ruled_out.where),
        }
    importers = sorted(
        _shown(member) for member in group.members
        if any(include.path == path for include in group.includes(member))
    )
    if importers:
        return {'reason': 'imported by {0}'.format(', '.join(importers)), 'where': ''}
    component = group.component(path)
    if component is not None:
        return {'reason': component, 'where': ''}
    return {'reason': 'not named: other modules are the deployments', 'where': ''}


def _gather_unknowns(group: project.SettingsGroup, unknowns: dict[str, Report]) -> None:
    declared = group.declared()
    if declared is None:
        return
    for unknown in declared[1].unknowns:
        key = '{0} {1}'.format(unknown.where, unknown.reason)
        unknowns.setdefault(key, {'where': str(unknown.where), 'reason': unknown.reason})
    for process in declared[2].unresolved:
        key = '{0} {1}'.format(process.where, process.module)
        unknowns.setdefault(key, {
            'where': str(process.module_where or process.where),
            'reason': '{0} names {1}, which is no module of the project'.format(
                process.label, process.module,
            ),
        })


def as_json(report: Report) -> str:
    """The listing as one JSON object."""
    return '{0}\n'.format(json.dumps(report, indent=2, sort_keys=True))


def as_text(report: Report) -> str:
    """The listing for a terminal."""
    lines = ['deployment modules:']
    for deployment in _entries(report, 'deployments'):
        lines.append('  {0}{1}: {2}{3}'.format(
            deployment['module'], _suffix(' class ', deployment['configuration']),
            deployment['why'], _suffix(' at ', deployment['named_at']),
        ))
        lines.extend(_version_lines(deployment))
        lines.extend(
            '    {0}={1}{2}'.format(
                variable['name'], variable['value'], _suffix(' ', variable['origin'], '({0})'),
            )
            for variable in _entries(deployment, 'variables')
        )
    lines.append('not deployments:')
    lines.extend(
        '  {0}: {1}{2}'.format(module['module'], module['reason'], _suffix(' at ', module['where']))
        for module in _entries(report, 'not_deployments')
    )
    unknown = _entries(report, 'unknown')
    if unknown:
        lines.append('unknown (read as naming and setting nothing):')
        lines.extend('  {0}: {1}'.format(place['where'], place['reason']) for place in unknown)
    return '{0}\n'.format('\n'.join(lines))


def _version_lines(deployment: Report) -> list[str]:
    """A ``versions:`` line when an option, a pin or an installed package decided one."""
    known = deployment.get('versions')
    if not isinstance(known, dict) or not (known['django_origin'] or known['django_csp_origin']):
        return []
    return ['    versions: Django {0}{1}, django-csp {2}{3}'.format(
        known['django'], _suffix(' ', known['django_origin'], '({0})'),
        known['django_csp'] or 'unknown', _suffix(' ', known['django_csp_origin'], '({0})'),
    )]


def _suffix(prefix: str, text: object, template: str = '{0}') -> str:
    return '{0}{1}'.format(prefix, template.format(text)) if text else ''


def _entries(report: Report, key: str) -> list[Report]:
    listed = report.get(key)
    if not isinstance(listed, list):
        return []
    return [entry for entry in listed if isinstance(entry, dict)]
