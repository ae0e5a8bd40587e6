"""The base of every violation: a code, a one-line message template, documentation."""

from __future__ import annotations

import enum
from typing import Any, ClassVar, Final


@enum.unique
class Scope(enum.Enum):
    """Where a rule looks (see RULES.md, "Scope")."""

    #: Merged values of a deployment settings module; may report a missing setting.
    deploy = 'deploy'
    #: Values written in a (non-development) settings module's source.
    settings = 'settings'
    #: Any Python file.
    code = 'code'
    #: The plugin itself.
    internal = 'any'


#: The Django series this release knows.
SUPPORTED_DJANGO: Final = ('4.2', '5.2', '6.0', '6.1')


class Violation:
    """
    The base of every ``DJS`` code.

    Subclasses are ``@final`` and set ``code``, ``error_template``, ``scope``,
    and, when they mirror one of Django's system checks, ``django_ids``.
    """

    code: ClassVar[int]
    error_template: ClassVar[str]
    scope: ClassVar[Scope]
    #: The Django system check ids the code mirrors (empty: beyond ``check --deploy``).
    django_ids: ClassVar[tuple[str, ...]] = ()
    #: The Django series the code applies to.
    django_versions: ClassVar[tuple[str, ...]] = SUPPORTED_DJANGO
    #: The CWE the misconfiguration belongs to.
    cwe: ClassVar[int | None] = None

    @classmethod
    def full_code(cls) -> str:
        """Return the code as flake8 shows it, such as ``DJS100``."""
        return 'DJS{0:03d}'.format(cls.code)

    @classmethod
    def message(cls, **params: Any) -> str:
        """Render the flake8 message: the code, then the filled template."""
        return '{0} {1}'.format(cls.full_code(), cls.error_template.format(**params))

    @classmethod
    def summary(cls) -> str:
        """Return the first line of the documentation."""
        return (cls.__doc__ or '').strip().splitlines()[0]
