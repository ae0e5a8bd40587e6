"""DJS140-149: Content Security Policy (Django: security.E026, W027; django-csp: csp.E001, E002)."""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Final, final

from flake8_djsec.logic import csp
from flake8_djsec.logic.evaluation.settings import MISSING, Setting, StaticSettings
from flake8_djsec.logic.evaluation.values import is_data, truth
from flake8_djsec.options.config import DjsecConfig
from flake8_djsec.rules.base import Finding, finding, has_middleware, show
from flake8_djsec.violations import csp as codes

DJANGO_CSP_MIDDLEWARE: Final = 'django.middleware.csp.ContentSecurityPolicyMiddleware'
DJANGO_CSP_APP_MIDDLEWARE: Final = 'csp.middleware.CSPMiddleware'
CSP_CONTEXT_PROCESSOR: Final = 'django.template.context_processors.csp'
DJANGO_SETTINGS: Final = ('SECURE_CSP', 'SECURE_CSP_REPORT_ONLY')
DJANGO_CSP_SETTINGS: Final = ('CONTENT_SECURITY_POLICY', 'CONTENT_SECURITY_POLICY_REPORT_ONLY')
#: The settings django-csp 4's csp.E001 looks for, and ``CSP_INCLUDE_NONCE_IN``.
LEGACY_SETTINGS: Final = (
    *(csp.legacy_setting(name) for name in csp.LEGACY_DIRECTIVES),
    'CSP_REPORT_ONLY',
    'CSP_EXCLUDE_URL_PREFIXES',
    'CSP_REPORT_PERCENTAGE',
    'CSP_INCLUDE_NONCE_IN',
)
#: Django's first series with ``SECURE_CSP`` (and E026), and the one that added W027.
DJANGO_CSP_SINCE: Final = (6, 0)
DJANGO_W027_SINCE: Final = (6, 1)
#: The django-csp series that replaced the ``CSP_*`` settings by ``CONTENT_SECURITY_POLICY``.
DJANGO_CSP_DICT_SINCE: Final = (4, 0)
_ENFORCE_HINT: Final = types.MappingProxyType({
    'SECURE_CSP_REPORT_ONLY': 'enforce it with SECURE_CSP',
    'CONTENT_SECURITY_POLICY_REPORT_ONLY': 'enforce it with CONTENT_SECURITY_POLICY',
    'CSP_REPORT_ONLY': 'set CSP_REPORT_ONLY = False to enforce it',
})
_LEGACY_REPORT_ONLY: Final = 'CSP_REPORT_ONLY is true, so django-csp < 4.0 sends no enforced header'
#: How many ignored ``CSP_*`` settings DJS140 names.
_SHOWN_LEGACY: Final = 3
_ENFORCE: Final = 0
_REPORT: Final = 1
_Pair = tuple[csp.BuiltPolicy, csp.BuiltPolicy]


@final
@dataclasses.dataclass(frozen=True)
class _Provider:
    """A CSP middleware: its dotted path and the two policies it sends (or why not)."""

    middleware: str
    policies: _Pair
    empty: tuple[str, str]  # (setting to blame, why) when it enforces nothing


@final
@dataclasses.dataclass(frozen=True)
class _Headers:
    """The policies responses carry, after the middleware run in response order."""

    enforced: csp.Policy | None
    report_only: csp.Policy | None
    empty: tuple[str, str] | None  # None: no CSP middleware at all


def check_csp_missing(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS140: no CSP middleware, or one whose enforcing policy is empty."""
    headers = _headers(settings, config)
    if headers is None or headers.enforced is not None or headers.report_only is not None:
        return
    if headers.empty is None:
        yield finding(
            codes.CspMissingViolation, settings['MIDDLEWARE'], problem=_add_middleware(config),
        )
        return
    blamed, why = headers.empty
    yield finding(codes.CspMissingViolation, settings[blamed], problem=why)


def check_csp_report_only(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS146: a report-only policy is configured and none is enforced."""
    headers = _headers(settings, config)
    if headers is None or headers.enforced is not None or headers.report_only is None:
        return
    name = headers.report_only.setting
    yield finding(
        codes.CspReportOnlyViolation,
        settings[name],
        setting=name,
        problem='browsers report violations and block nothing; {0}'.format(_ENFORCE_HINT[name]),
    )


def check_csp_unsafe_scripts(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS141: the enforced policy allows ``'unsafe-inline'``/``'unsafe-eval'`` for scripts."""
    headers = _headers(settings, config)
    if headers is None or headers.enforced is None:
        return
    for weakness in csp.script_weaknesses(headers.enforced):
        yield finding(
            codes.CspUnsafeScriptViolation,
            settings[weakness.setting],
            setting=weakness.setting,
            source=weakness.source,
            directive=weakness.directive,
            detail=weakness.detail,
        )


def check_csp_sources(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS142: no ``default-src``, any-source scripts or plugins, no ``object-src``/``base-uri``."""
    headers = _headers(settings, config)
    if headers is None or headers.enforced is None:
        return
    for weakness in csp.source_weaknesses(headers.enforced):
        problem = weakness.detail
        if weakness.directive is not None:
            problem = 'allows {0} in {1}: {2}'.format(weakness.source, weakness.directive, problem)
        yield finding(
            codes.CspBroadSourceViolation,
            settings[weakness.setting],
            setting=weakness.setting,
            problem=problem,
        )


def check_csp_setting_type(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS143: security.E026, a Django CSP setting that is not None and not a dict (6.0+)."""
    if config.django_version < DJANGO_CSP_SINCE:
        return
    for name in DJANGO_SETTINGS:
        setting = settings[name]
        value = setting.value
        if value is not None and not isinstance(value, dict) and is_data(value):
            yield finding(codes.CspSettingNotDictViolation, setting, setting=name)


def check_csp_nonce_processor(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS144: security.W027, ``CSP.NONCE`` without the ``csp`` context processor (6.1+)."""
    if config.django_version < DJANGO_W027_SINCE:
        return
    if not has_middleware(settings, DJANGO_CSP_MIDDLEWARE):
        return
    holding = [
        name for name, policy in _values(settings, DJANGO_SETTINGS).items()
        if csp.nonce_in_policy(policy)
    ]
    if not holding:
        return  # no nonce, or undecidable
    templates = settings['TEMPLATES'].value
    if csp.context_processor_configured(templates, CSP_CONTEXT_PROCESSOR) is False:
        yield finding(
            codes.CspNonceWithoutContextProcessorViolation,
            settings[holding[0]],
            setting=holding[0],
        )


def check_csp_legacy_settings(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS145: django-csp < 4.0 ``CSP_*`` settings (csp.E001); the project's series says more."""
    if _before_dict_settings(config):
        return  # the series the project runs reads them: they are its policy (csp.E001 is 4.0+)
    assigned = _assigned_legacy(settings)
    if not assigned:
        return
    problem = _legacy_problem(settings, config)
    for setting in assigned:
        yield finding(
            codes.CspLegacySettingsViolation, setting, setting=setting.name, problem=problem,
        )


def _before_dict_settings(config: DjsecConfig) -> bool:
    """The project is known to run django-csp < 4.0 (the ``CSP_*`` settings' series)."""
    series = config.django_csp_version
    return series is not None and series < DJANGO_CSP_DICT_SINCE


def _assigned_legacy(settings: StaticSettings) -> list[Setting]:
    """The ``CSP_*`` settings the module assigns, in the order they are written."""
    legacy = (settings[name] for name in LEGACY_SETTINGS)
    return sorted((setting for setting in legacy if setting.assigned), key=_written_at)


def _written_at(setting: Setting) -> tuple[str, int, int]:
    return setting.path or '', setting.line, setting.col


def _legacy_problem(settings: StaticSettings, config: DjsecConfig) -> str:
    """What the series the project runs (option, pin, installed) makes of the CSP_* settings."""
    series = config.django_csp_version
    if series is None:
        return ''
    where = csp_version_origin(config)
    headers = _headers(settings, config)
    if headers is not None and headers.enforced is None and headers.report_only is None:
        return ' ({0}): no Content Security Policy is sent'.format(where)
    return ' ({0})'.format(where)


def csp_version_origin(config: DjsecConfig) -> str:
    """Where the django-csp version came from: ``django-csp 4.0.1 pinned in requirements.txt``."""
    if config.django_csp_version_origin:
        return config.django_csp_version_origin
    series = config.django_csp_version or DJANGO_CSP_DICT_SINCE
    return 'django-csp {0}.{1}'.format(*series)


def check_csp_exclude_prefixes(settings: StaticSettings, config: DjsecConfig) -> Iterator[Finding]:
    """DJS147: django-csp 4's ``EXCLUDE_URL_PREFIXES`` is a string (csp.E002)."""
    if _before_dict_settings(config):
        return  # csp.E002 skips django-csp < 4.0
    for name in DJANGO_CSP_SETTINGS:
        setting = settings[name]
        policy = setting.value
        if isinstance(policy, dict) and isinstance(policy.get('EXCLUDE_URL_PREFIXES'), str):
            yield finding(
                codes.CspExcludePrefixesStringViolation,
                setting,
                setting=name,
                value=show(policy['EXCLUDE_URL_PREFIXES']),
            )


def django_csp_series(settings: StaticSettings, config: DjsecConfig) -> tuple[int, int] | None:
    """
    Return the django-csp series the project runs, or None when unknown.

    The option (or the installed package) decides; else a django-csp 4 setting being
    assigned means 4.x (no other series reads them).
    """
    if config.django_csp_version is not None:
        return config.django_csp_version
    if any(settings[name].assigned for name in DJANGO_CSP_SETTINGS):
        return DJANGO_CSP_DICT_SINCE
    return None


# --- which policies responses carry -------------------------------------------------------


def _headers(settings: StaticSettings, config: DjsecConfig) -> _Headers | None:
    """Run the CSP middleware in response order; None when undecidable."""
    providers = _providers(settings, config)
    if providers is None:
        return None
    enforced = _first(providers, _ENFORCE)
    report_only = _first(providers, _REPORT)
    if enforced is csp.UNDECIDED or report_only is csp.UNDECIDED:
        return None
    return _Headers(enforced, report_only, _why_empty(providers) if providers else None)


def _providers(settings: StaticSettings, config: DjsecConfig) -> list[_Provider] | None:
    """
    The CSP middleware in ``MIDDLEWARE``, last first: response middleware run bottom-up and
    none overwrites a header already set. None when ``MIDDLEWARE`` is undecidable.
    """
    present: list[_Provider | None] = []
    for path, build in _BUILDERS:
        listed = has_middleware(settings, path)
        if listed is None:
            return None
        present.append(build(settings, config) if listed else None)
    position = functools.partial(_last_index, settings['MIDDLEWARE'].value)
    return sorted(
        (provider for provider in present if provider is not None),
        key=lambda provider: -position(provider.middleware),
    )


def _first(providers: Sequence[_Provider], kind: int) -> csp.BuiltPolicy:
    for provider in providers:
        policy = provider.policies[kind]
        if policy is csp.UNDECIDED:
            return policy
        if isinstance(policy, csp.Policy) and policy.effective:
            return policy
    return None


def _why_empty(providers: Sequence[_Provider]) -> tuple[str, str]:
    provider = providers[0]
    policy = provider.policies[_ENFORCE]
    if isinstance(policy, csp.Policy) and policy.exempt_all:
        return policy.setting, "{0}['EXCLUDE_URL_PREFIXES'] {1}".format(
            policy.setting, policy.exempt_all,
        )
    return provider.empty


def _last_index(middleware: object, path: str) -> int:
    if not isinstance(middleware, (list, tuple)):
        return 0
    found = [index for index, item in enumerate(middleware) if item == path]
    return found[-1] if found else 0


def _django_provider(settings: StaticSettings, config: DjsecConfig) -> _Provider | None:
    """Django 6's ContentSecurityPolicyMiddleware (absent from older series)."""
    if config.django_version < DJANGO_CSP_SINCE:
        return None
    enforce = settings['SECURE_CSP']
    why = 'SECURE_CSP is {0}{1}, so ContentSecurityPolicyMiddleware sends no header; set SECURE_CSP'
    return _Provider(
        DJANGO_CSP_MIDDLEWARE,
        (
            csp.django_policy(enforce.value, 'SECURE_CSP'),
            csp.django_policy(settings['SECURE_CSP_REPORT_ONLY'].value, 'SECURE_CSP_REPORT_ONLY'),
        ),
        ('SECURE_CSP', why.format(show(enforce.value), _origin(enforce.assigned, enforce.origin))),
    )


def _django_csp_provider(settings: StaticSettings, config: DjsecConfig) -> _Provider:
    """django-csp's CSPMiddleware: 4.x settings, ``CSP_*`` before 4.0, or undecidable."""
    series = django_csp_series(settings, config)
    if series is None:
        undecided = (csp.UNDECIDED, csp.UNDECIDED)
        return _Provider(DJANGO_CSP_APP_MIDDLEWARE, undecided, ('', ''))
    if series < DJANGO_CSP_DICT_SINCE:
        return _legacy_provider(settings)
    enforce, report = (settings[name] for name in DJANGO_CSP_SETTINGS)
    why = 'CONTENT_SECURITY_POLICY is {0}, so django-csp 4 sends no header{1}'.format(
        'not set' if enforce.value is MISSING else show(enforce.value),
        _ignored_legacy(settings, config),
    )
    return _Provider(
        DJANGO_CSP_APP_MIDDLEWARE,
        (
            csp.django_csp_policy(_or_empty(enforce.value), enforce.name),
            csp.django_csp_policy(_or_empty(report.value), report.name),
        ),
        (enforce.name, why),
    )


def _ignored_legacy(settings: StaticSettings, config: DjsecConfig) -> str:
    """With a known django-csp 4 series: where it came from, and the CSP_* settings it ignores."""
    if config.django_csp_version is None:
        return ''  # the series is inferred from CONTENT_SECURITY_POLICY* being set
    where = ' ({0})'.format(csp_version_origin(config))
    assigned = [setting.name for setting in _assigned_legacy(settings)]
    if not assigned:
        return where
    shown = ', '.join(assigned[:_SHOWN_LEGACY])
    more = len(assigned) - _SHOWN_LEGACY
    return '{0}; it ignores {1}{2}, written for django-csp < 4.0'.format(
        where, shown, ' and {0} more'.format(more) if more > 0 else '',
    )


def _legacy_provider(settings: StaticSettings) -> _Provider:
    """django-csp < 4.0: one policy from ``CSP_*``, report-only when ``CSP_REPORT_ONLY``."""
    assigned = {
        name: setting_value
        for name, setting_value in _values(settings, LEGACY_SETTINGS).items()
        if setting_value is not MISSING
    }
    policy = csp.legacy_policy(
        assigned,
        assigned.get('CSP_INCLUDE_NONCE_IN', ['default-src']),
        assigned.get('CSP_EXCLUDE_URL_PREFIXES', ()),
    )
    return _Provider(
        DJANGO_CSP_APP_MIDDLEWARE,
        _legacy_pair(policy, truth(assigned.get('CSP_REPORT_ONLY', False))),
        ('CSP_REPORT_ONLY', _LEGACY_REPORT_ONLY),
    )


def _legacy_pair(policy: csp.BuiltPolicy, report_only: bool | None) -> _Pair:
    if report_only is None:
        return csp.UNDECIDED, csp.UNDECIDED
    if report_only and isinstance(policy, csp.Policy):
        return None, dataclasses.replace(policy, setting='CSP_REPORT_ONLY')
    return policy, None


def _values(settings: StaticSettings, names: Sequence[str]) -> dict[str, object]:
    return {name: settings[name].value for name in names}


def _or_empty(value: object) -> object:
    """django-csp reads a missing setting as ``{}``."""
    return {} if value is MISSING else value


def _origin(assigned: bool, origin: str | None) -> str:
    if origin:
        return ' ({0})'.format(origin)
    return '' if assigned else " (Django's default)"


def _add_middleware(config: DjsecConfig) -> str:
    where = ' ({0})'.format(config.django_version_origin) if config.django_version_origin else ''
    if config.django_version >= DJANGO_CSP_SINCE:
        return "MIDDLEWARE has no CSP middleware; add '{0}' and set SECURE_CSP{1}".format(
            DJANGO_CSP_MIDDLEWARE, where,
        )
    return (
        "MIDDLEWARE has no CSP middleware; add django-csp's '{0}' and set "
        'CONTENT_SECURITY_POLICY{1}'.format(DJANGO_CSP_APP_MIDDLEWARE, where)
    )


_MaybeProvider = _Provider | None
_Builder = Callable[[StaticSettings, DjsecConfig], _MaybeProvider]
_Registered = tuple[str, _Builder]
_BUILDERS: Final[tuple[_Registered, ...]] = (
    (DJANGO_CSP_MIDDLEWARE, _django_provider),
    (DJANGO_CSP_APP_MIDDLEWARE, _django_csp_provider),
)
