"""The values the static evaluator computes, and the helpers rules use on them."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Final, final


@final
class Unknown:
    """The value of an expression that cannot be decided statically."""

    def __repr__(self) -> str:
        """Render the marker in test failures."""
        return 'UNKNOWN'

    def __copy__(self) -> Unknown:
        """Keep the marker a singleton when a value is copied."""
        return self

    def __deepcopy__(self, memo: object) -> Unknown:
        """Keep the marker a singleton when a value is deep-copied."""
        return self


#: The one marker for an undecidable value; never produces a finding.
UNKNOWN: Final = Unknown()


@final
@dataclasses.dataclass(frozen=True)
class Symbol:
    """An imported or builtin name, such as ``os.environ.get``."""

    qualname: str

    def attribute(self, name: str) -> Symbol:
        """Return the symbol for an attribute of this one."""
        return Symbol('{0}.{1}'.format(self.qualname, name))


@final
@dataclasses.dataclass(frozen=True)
class Value:
    """An evaluated expression: the object and where it came from."""

    obj: object
    origin: str | None = None
    #: The evaluator built the object from decided parts (``MIDDLEWARE += [...]`` on a decided
    #: list): no need to inspect it, which would make a list grown a statement at a time quadratic.
    decided: bool = dataclasses.field(default=False, compare=False, repr=False)

    @functools.cached_property
    def known(self) -> bool:
        """Tell whether the whole value, nested items included, is decided (computed once)."""
        return self.decided or is_known(self.obj)


#: The value of anything that cannot be decided.
UNKNOWN_VALUE: Final = Value(UNKNOWN)


@final
@dataclasses.dataclass(frozen=True)
class KeyedUnknown:
    """A dict whose keys are among ``keys`` and whose values are unknown (``env.email_url()``)."""

    keys: frozenset[str]


@final
@dataclasses.dataclass(frozen=True)
class OptionalPattern:
    """django-split-settings' ``optional("pattern")``: a pattern that may match no file."""

    pattern: str


@final
class Sourced(str):  # noqa: WPS600 - a string that keeps where it came from
    """
    A string a variable set, carrying that variable's origin wherever it is put.

    A value's origin belongs to the whole setting; a string put into a container
    (``DATABASES["default"]["PASSWORD"]``) would lose it, and a password read from
    a git-ignored env file would look written in the source.
    """

    origin: str

    def __new__(cls, text: str, origin: str) -> Sourced:  # noqa: D102
        made = super().__new__(cls, text)
        made.origin = origin
        return made

    def __reduce__(self) -> tuple[type[Sourced], tuple[str, str]]:  # noqa: WPS603
        """Copy and pickle with the origin (``str`` would rebuild from the text alone)."""
        return Sourced, (str(self), self.origin)


_ATOMS: Final = (str, bytes, int, float, complex, bool, type(None))
_CONTAINERS: Final = (list, tuple, set, frozenset)
#: Containers nested deeper than this are not inspected (and count as unknown).
_MAX_NESTING: Final = 20


def is_known(obj: object, depth: int = 0) -> bool:
    """Tell whether an object holds no unknown part and no opaque symbol."""
    if isinstance(obj, _ATOMS):
        return True
    if depth > _MAX_NESTING:
        return False
    if isinstance(obj, _CONTAINERS):
        return all(is_known(item, depth + 1) for item in obj)
    if isinstance(obj, dict):
        return all(
            is_known(key, depth + 1) and is_known(item, depth + 1)
            for key, item in obj.items()
        )
    return False


def is_data(obj: object) -> bool:
    """Tell whether an object is plain data (possibly with unknown parts)."""
    return isinstance(obj, (*_ATOMS, *_CONTAINERS, dict))


def truth(obj: object) -> bool | None:
    """Return the truthiness of a value, or None when it is undecidable."""
    if isinstance(obj, (*_ATOMS, *_CONTAINERS, dict)):
        return bool(obj)
    return None


def contains(container: object, item: object) -> bool | None:
    """
    Return ``item in container`` as Python would, or None when undecidable.

    A container with unknown parts still *contains* an item found among its
    known parts, but never provably lacks one.
    """
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    if isinstance(container, dict):
        container = list(container)
    if not isinstance(container, _CONTAINERS):
        return None
    undecided = False
    for element in _iterate(container):
        if not is_known(element):
            undecided = True
        elif _same(element, item):
            return True
    return None if undecided else False


def strings_of(obj: object) -> list[str] | None:
    """Return a sequence of strings as a list, or None unless fully known."""
    if not isinstance(obj, _CONTAINERS) or not is_known(obj):
        return None
    elements = list(_iterate(obj))
    if all(isinstance(element, str) for element in elements):
        return [str(element) for element in elements]
    return None


def same_value(left: object, right: object) -> bool:
    """Tell whether two known values are equal and of the same type (``1`` is not ``True``)."""
    try:
        return kind(left) is kind(right) and bool(left == right)
    except Exception:  # exotic objects
        return False


def kind(obj: object) -> type:
    """The exact type that decides equality (``1`` is not ``True``); ``Sourced`` is a string."""
    return str if isinstance(obj, Sourced) else type(obj)


def _iterate(container: Iterable[object]) -> Iterable[object]:
    return iter(container)


def _same(left: object, right: object) -> bool:
    try:
        return bool(left == right)
    except Exception:  # comparison of exotic objects
        return False
