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


@enum.unique
class Severity(enum.Enum):
    """
    How much a finding weighs, for reports that rank findings (SARIF, code scanning).

    The value is the ``security-severity`` score GitHub code scanning reads
    (0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical).
    """

    #: Not a security finding (DJS000: the plugin itself).
    none = 0
    #: Defence in depth: a header or policy that narrows an attack.
    low = 3.0
    #: Weakens a protection an attacker needs a second step to use.
    medium = 5.5
    #: Exposes data or a protection directly (debug pages, plain-text cookies, CSRF off).
    high = 7.5
    #: A credential readable by anyone who reads the source.
    critical = 9.0

    @property
    def score(self) -> float:
        """Return the ``security-severity`` score."""
        return float(self.value)

    def describe(self) -> str:
        """Return the severity as the rule pages and ``rules`` listing show it."""
        if self is Severity.none:
            return '``none`` (not a security finding)'
        return '``{0}`` (``security-severity`` {1:.1f} in SARIF reports)'.format(
            self.name, self.score,
        )


#: The Django series this release knows.
SUPPORTED_DJANGO: Final = ('4.2', '5.2', '6.0', '6.1')


class Violation:
    """
    The base of every ``DJS`` code.

    Subclasses are ``@final`` and set ``code``, ``error_template``, ``scope``,
    ``severity``, ``cwe`` (unless no CWE applies), and, when they mirror one
    of Django's system checks, ``django_ids``.
    """

    code: ClassVar[int]
    error_template: ClassVar[str]
    scope: ClassVar[Scope]
    #: How much a finding weighs (SARIF level and ``security-severity``).
    severity: ClassVar[Severity]
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
