"""
YAML documents read with PyYAML's safe loader, under caps, with lines kept.

PyYAML is imported only when a YAML deployment file exists. Documents are
composed (never constructed: no tags run, no objects built) and walked into
plain maps, lists and strings, each map remembering the line of each key. The
walk counts every node it visits, aliases each time they are met, so an alias
bomb (``a: &a [*b, *b, ...]``) stops at ``MAX_NODES``; nesting stops at
``MAX_DEPTH``. Past either cap, or on any parser error, the file is unknown.
"""

from __future__ import annotations

from typing import Any, Final, final

#: Nodes visited per file (aliases counted each time).
MAX_NODES: Final = 50_000
#: How deep maps and lists nest.
MAX_DEPTH: Final = 60
_MERGE: Final = '<<'
_NULL_TAG: Final = 'tag:yaml.org,2002:null'


@final
class TooLarge(Exception):  # noqa: N818 - a signal, not an error for users
    """The walk passed a cap."""


@final
class Map(dict[str, object]):  # noqa: WPS600 - a dict that knows its lines
    """A YAML mapping: string keys, values, and the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        """Start an empty mapping at ``line``."""
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of a key, else the mapping's own."""
        return self.lines.get(key, self.line)


@final
class Seq(list[object]):  # noqa: WPS600 - a list that knows its lines
    """A YAML sequence and the line of each item (1-based)."""

    def __init__(self, line: int) -> None:
        """Start an empty sequence at ``line``."""
        super().__init__()
        self.line = line
        self.lines: list[int] = []


def load(text: str) -> list[object] | str:
    """Return a file's documents as plain values, or why it cannot be read."""
    import yaml  # noqa: WPS433 - lazily: only when a YAML deployment file exists

    loader: Any = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    try:
        nodes = list(yaml.compose_all(text, Loader=loader))
    except _malformed(yaml) as error:  # noqa: WPS455 - yaml is imported lazily
        return 'malformed YAML ({0})'.format(type(error).__name__)
    budget = [MAX_NODES]
    try:
        return [_plain(node, budget, 0) for node in nodes if node is not None]
    except TooLarge:
        return 'YAML that expands past {0} nodes or {1} levels (aliases)'.format(
            MAX_NODES, MAX_DEPTH,
        )


def _malformed(yaml: Any) -> tuple[type[BaseException], ...]:
    """What composing hostile YAML may raise: parser errors, depth, size."""
    return (yaml.YAMLError, RecursionError, MemoryError, ValueError)


def _plain(node: Any, budget: list[int], depth: int) -> object:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise TooLarge()
    kind = node.id
    if kind == 'scalar':
        return None if node.tag == _NULL_TAG else str(node.value)
    line = node.start_mark.line + 1
    if kind == 'sequence':
        sequence = Seq(line)
        for item in node.value:
            sequence.append(_plain(item, budget, depth + 1))
            sequence.lines.append(item.start_mark.line + 1)
        return sequence
    mapping = Map(line)
    for key_node, value_node in node.value:
        key = _plain(key_node, budget, depth + 1)
        value = _plain(value_node, budget, depth + 1)
        if key == _MERGE:
            _merge(mapping, value)
        elif isinstance(key, str):
            mapping[key] = value
            mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _merge(mapping: Map, merged: object) -> None:
    """``<<: *base`` (or a list of them): keys not set yet come from the merged maps."""
    sources = merged if isinstance(merged, list) else [merged]
    for source in sources:
        if not isinstance(source, Map):
            continue
        for key, value in source.items():
            if key not in mapping:
                mapping[key] = value
                mapping.lines[key] = source.line_of(key)


def child(parent: object, key: str) -> object:
    """A map's value at ``key`` (None when the parent is no map)."""
    return parent.get(key) if isinstance(parent, Map) else None


def line_of(parent: object, key: str, fallback: int = 0) -> int:
    """The line of a map's key, else ``fallback``."""
    return parent.line_of(key) if isinstance(parent, Map) else fallback


def environment(value: object) -> list[tuple[str, str | None, int]]:
    """
    A compose/CI ``environment:`` as (name, value, line): a map, or a list of ``K=V``.

    A name without a value (``- DEBUG``, ``DEBUG:``) passes the host's variable
    through: its value is None (unknown).
    """
    found: list[tuple[str, str | None, int]] = []
    if isinstance(value, Map):
        for name, item in value.items():
            found.append((name, item if isinstance(item, str) else None, value.line_of(name)))
    elif isinstance(value, Seq):
        for item, line in zip(value, value.lines):
            if isinstance(item, str):
                name, separator, named = item.partition('=')
                found.append((name.strip(), named if separator else None, line))
    return found
