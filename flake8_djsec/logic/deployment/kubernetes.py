"""
Kubernetes manifests: the containers of Deployments, StatefulSets, Jobs, Pods...

Each container with a command or an ``env:`` naming ``DJANGO_SETTINGS_MODULE``
is a process; ``env:`` entries with a literal ``value`` are its variables
(``valueFrom`` secrets and config maps are unknown, left unset). Jobs and
CronJobs that run a build step (``migrate``) are build-only.
"""

from __future__ import annotations

from typing import Final

from flake8_djsec.logic.deployment import platforms, yamldocs
from flake8_djsec.logic.deployment.model import SETTINGS_VARIABLE, Kind, Process, Variable
from flake8_djsec.logic.deployment.reading import Reading

#: Manifests worth parsing: their text names containers.
MARKER: Final = 'containers:'
_MAX_PATH: Final = 8
_TEMPLATE: Final = '{{'


def read(reading: Reading, path: str) -> list[Process]:
    """The Django containers of a manifest's documents."""
    text = reading.text(path)
    if text is None or MARKER not in text:
        return []
    if _TEMPLATE in text:
        reading.unknown(path, 'a template (Helm or Jinja {{ ... }}), not plain YAML')
        return []
    documents = yamldocs.load(text)
    if isinstance(documents, str):
        reading.unknown(path, documents)
        return []
    committed = reading.committed(path)
    found: list[Process] = []
    for document in documents:
        kind = yamldocs.child(document, 'kind')
        name = yamldocs.child(yamldocs.child(document, 'metadata'), 'name')
        for container in _containers(document, 0):
            found.extend(
                _container(reading, path, '{0} {1}'.format(kind, name), container, committed)
            )
    return found


def _containers(node: object, depth: int) -> list[yamldocs.Map]:
    """Every ``containers:`` list item below a document (pod templates nest)."""
    if depth > _MAX_PATH or not isinstance(node, yamldocs.Map):
        return []
    found: list[yamldocs.Map] = []
    for key, value in node.items():
        if key in {'containers', 'initContainers'} and isinstance(value, list):
            found.extend(item for item in value if isinstance(item, yamldocs.Map))
        elif isinstance(value, yamldocs.Map):
            found.extend(_containers(value, depth + 1))
    return found


def _container(
    reading: Reading,
    path: str,
    owner: str,
    container: yamldocs.Map,
    committed: bool,
) -> list[Process]:
    label = '{0} {1} container {2}'.format(reading.relative(path), owner, container.get('name'))
    variables: list[Variable] = []
    env = container.get('env')
    if isinstance(env, yamldocs.Seq):
        for entry, line in zip(env, env.lines):
            name = yamldocs.child(entry, 'name')
            value = yamldocs.child(entry, 'value')
            if isinstance(name, str) and isinstance(value, str):
                variables.append(
                    Variable(name, value, reading.where(path, line), committed=committed)
                )
    words: list[str] = []
    for key in ('command', 'args'):
        written = container.get(key)
        if isinstance(written, list):
            words.extend(str(word) for word in written)
    where = reading.where(path, container.line)
    declared = platforms.process(label, where, words, tuple(variables)) if words else None
    if declared is not None:
        return [declared]
    module = next((variable for variable in variables if variable.name == SETTINGS_VARIABLE), None)
    if module is None or words and declared is None and _is_build(words):
        return []
    return [
        Process(
            label,
            where,
            Kind.deployment,
            module.value,
            module.where,
            tuple(variables),
            'sets {0}'.format(SETTINGS_VARIABLE),
        )
    ]


def _is_build(words: list[str]) -> bool:
    from flake8_djsec.logic.deployment import commands  # noqa: WPS433 - local to this question

    main = commands.read(words).main
    return main is not None and main.runs in {commands.Runs.build, commands.Runs.tests}
