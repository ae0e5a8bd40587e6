"""
Content Security Policies as a browser reads them, built from each provider's settings.

Each provider (Django 6's ``ContentSecurityPolicyMiddleware``, django-csp 4, django-csp
before 4.0) turns settings into a header the way its own ``build_policy`` does; the header
is then parsed as CSP Level 3 says (directives split on ``;``, names case-insensitive, the
first of duplicate directives wins). The questions rules ask follow CSP Level 3's fallback
lists. ``None`` from a builder means "no header"; ``UNDECIDED`` means we cannot tell.
"""

from __future__ import annotations

import dataclasses
import enum
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Final, final

from flake8_djsec.logic.evaluation.constants import DJANGO_CSP_NONCE, DJANGO_NONCE
from flake8_djsec.logic.evaluation.values import contains, is_data, is_known

#: The source a nonce placeholder becomes in a response that uses the nonce.
NONCE_SOURCE: Final = "'nonce-djsec'"

#: django-csp 4's ``DEFAULT_DIRECTIVES`` (``csp/utils.py``): the only keys it sends.
DJANGO_CSP_DIRECTIVES: Final[Mapping[str, object]] = types.MappingProxyType({
    **dict.fromkeys((
        'child-src', 'connect-src', 'script-src', 'script-src-attr', 'script-src-elem',
        'object-src', 'style-src', 'style-src-attr', 'style-src-elem', 'font-src',
        'frame-src', 'img-src', 'manifest-src', 'media-src', 'prefetch-src', 'base-uri',
        'plugin-types', 'sandbox', 'form-action', 'frame-ancestors', 'navigate-to',
        'report-uri', 'report-to', 'require-sri-for', 'require-trusted-types-for',
        'trusted-types', 'webrtc', 'worker-src',
    )),
    'default-src': ["'self'"],
    'upgrade-insecure-requests': False,
    'block-all-mixed-content': False,
})

#: django-csp < 4.0's directives (``csp/utils.py: from_settings``), each read from a
#: ``CSP_*`` setting, with their defaults: django-csp 4's list without ``webrtc``.
LEGACY_DIRECTIVES: Final[Mapping[str, object]] = types.MappingProxyType({
    name: default for name, default in DJANGO_CSP_DIRECTIVES.items() if name != 'webrtc'
})

#: Sources that allow any origin for a fetch (``*`` and the broad schemes).
ANY_SOURCES: Final = frozenset(('*', 'http:', 'https:', 'data:', 'http://*', 'https://*'))
_HASH_PREFIXES: Final = ("'sha256-", "'sha384-", "'sha512-")
_UNSAFE_INLINE: Final = "'unsafe-inline'"
_UNSAFE_EVAL: Final = "'unsafe-eval'"
_STRICT_DYNAMIC: Final = "'strict-dynamic'"
_DEFAULT_SRC: Final = 'default-src'
_SCRIPT_SRC: Final = 'script-src'
_ELEMENT_CHAIN: Final = ('script-src-elem', _SCRIPT_SRC, _DEFAULT_SRC)
_ATTRIBUTE_CHAIN: Final = ('script-src-attr', _SCRIPT_SRC, _DEFAULT_SRC)
_SCRIPT_CHAIN: Final = (_SCRIPT_SRC, _DEFAULT_SRC)
_OBJECT_CHAIN: Final = ('object-src', _DEFAULT_SRC)
_BASE_URI: Final = 'base-uri'
_LEGACY_ORIGINS: Final = types.MappingProxyType({
    name: 'CSP_{0}'.format(name.upper().replace('-', '_')) for name in LEGACY_DIRECTIVES
})
_LEGACY_ITEMS: Final = tuple(LEGACY_DIRECTIVES.items())
_NO_DEFAULT: Final = 'has no default-src: resources without their own directive load from anywhere'
_NO_OBJECTS: Final = (
    "has no object-src and no default-src to cover it: plugins load from anywhere; "
    "set object-src 'none'"
)
_NO_BASE_URI: Final = (
    'has no base-uri (it never falls back to default-src): an injected <base> tag '
    "redirects relative script URLs; set base-uri 'none' or 'self'"
)


@final
class Undecided(enum.Enum):
    """A policy (or part of one) the evaluator cannot decide."""

    undecided = 'undecided'


UNDECIDED: Final = Undecided.undecided


@final
@dataclasses.dataclass(frozen=True)
class Directive:
    """One directive as the browser reads it; ``sources`` is None when undecidable."""

    name: str
    sources: tuple[str, ...] | None
    setting: str

    @property
    def lowered(self) -> tuple[str, ...]:
        """Return the sources lowercased (keywords and schemes are case-insensitive)."""
        return tuple(source.lower() for source in self.sources or ())


@final
@dataclasses.dataclass(frozen=True)
class Policy:
    """One header's policy: its directives, and the setting that wrote it."""

    setting: str
    directives: Mapping[str, Directive]
    #: Set when the provider exempts every path (django-csp ``EXCLUDE_URL_PREFIXES``).
    exempt_all: str | None = None

    @property
    def effective(self) -> bool:
        """Tell whether responses carry the policy with at least one directive."""
        return bool(self.directives) and self.exempt_all is None

    def resolve(self, chain: Sequence[str]) -> Directive | Undecided | None:
        """Return the directive a fallback list lands on, None when all are absent."""
        for name in chain:
            directive = self.directives.get(name)
            if directive is None:
                continue
            return UNDECIDED if directive.sources is None else directive
        return None


@final
@dataclasses.dataclass(frozen=True)
class Weakness:
    """A problem of a policy: which directive (None: the policy), which source, and why."""

    setting: str
    directive: str | None
    source: str | None
    detail: str


BuiltPolicy = Policy | Undecided | None


@final
class _Render(enum.Enum):
    """How one directive's value renders, when it is not plain text."""

    skip = 'skip'  # the provider leaves the directive out
    opaque = 'opaque'  # the value is undecidable: so is this directive
    fail = 'fail'  # the provider raises on every response: the policy is undecidable


_Rendered = str | _Render
_Segment = tuple[str, str | None]
_Renderer = Callable[[object], _Rendered]


# --- building policies, one function per provider -----------------------------------


def django_policy(config: object, setting: str) -> BuiltPolicy:
    """Django 6's ``build_policy`` over ``SECURE_CSP`` (or ``SECURE_CSP_REPORT_ONLY``)."""
    if not isinstance(config, dict) or not config:
        return _not_a_dict(config)  # ``if config``: an empty dict sends no header
    if not all(isinstance(key, str) for key in config):
        return UNDECIDED
    segments = _render(config.items(), _django_value)
    if segments is None:
        return UNDECIDED
    return _parse(segments, {}, setting)


def _django_value(values: object) -> _Rendered:
    """Render one directive's value as Django's ``build_policy`` does."""
    if not is_known(values):
        return _Render.opaque
    try:
        skipped = values in (None, False)
    except Exception:  # exotic values: Django would fail too
        return _Render.fail
    if skipped:
        return _Render.skip
    if values is True:
        return ''
    return _django_list(_as_list(values))


def _django_list(listed: list[object] | None) -> _Rendered:
    if listed is None or DJANGO_CSP_NONCE in listed:
        return _Render.fail  # Django's join fails on django-csp's NONCE object
    if not listed:
        return _Render.skip
    return _join([NONCE_SOURCE if item == DJANGO_NONCE else item for item in listed])


def django_csp_policy(config: object, setting: str) -> BuiltPolicy:
    """django-csp 4's ``build_policy`` over ``CONTENT_SECURITY_POLICY`` (or ``_REPORT_ONLY``)."""
    if not isinstance(config, dict):
        return _not_a_dict(config)
    directives = config.get('DIRECTIVES', {}) if config else None
    if directives is None:
        return None
    if not isinstance(directives, dict) or not all(isinstance(key, str) for key in directives):
        return UNDECIDED
    segments = _render(
        [(name, directives.get(name, default)) for name, default in DJANGO_CSP_DIRECTIVES.items()],
        _django_csp_value,
    )
    if segments is None:
        return UNDECIDED
    policy = _parse(segments, {}, setting)
    return _exempted(policy, config.get('EXCLUDE_URL_PREFIXES'), as_tuple=True)


def _django_csp_value(values: object) -> _Rendered:
    """Render one directive's value as django-csp 4's ``build_policy`` does."""
    if not is_known(values):
        return _Render.opaque
    if values is None:
        return _Render.skip
    listed = _as_list(values)
    if listed is None:
        return _Render.fail
    if len(listed) == 1 and isinstance(listed[0], bool):
        return '' if listed[0] else _Render.skip
    listed = [NONCE_SOURCE if item == DJANGO_CSP_NONCE else item for item in listed]
    return _join(list(dict.fromkeys(listed)))


def legacy_policy(
    settings: Mapping[str, object],
    include_nonce_in: object,
    exclude_url_prefixes: object,
) -> BuiltPolicy:
    """
    django-csp < 4.0's policy from its ``CSP_*`` settings (name to value, those assigned).

    A directive whose setting is absent has django-csp's default (``default-src 'self'``);
    a used nonce is appended to the directives ``CSP_INCLUDE_NONCE_IN`` lists.
    """
    segments = _render(
        [(name, settings.get(_LEGACY_ORIGINS[name], default)) for name, default in _LEGACY_ITEMS],
        _legacy_value,
    )
    nonce_in = _directive_names(include_nonce_in)
    if segments is None or nonce_in is None:
        return UNDECIDED
    policy = _parse(_add_nonce(segments, nonce_in), _LEGACY_ORIGINS, legacy_setting(_DEFAULT_SRC))
    if is_known(exclude_url_prefixes) and not isinstance(exclude_url_prefixes, (str, tuple)):
        return UNDECIDED  # str.startswith raises on a list: every response fails
    return _exempted(policy, exclude_url_prefixes, as_tuple=False)


def legacy_setting(directive: str) -> str:
    """Return the django-csp < 4.0 setting of a directive: ``script-src`` is ``CSP_SCRIPT_SRC``."""
    return 'CSP_{0}'.format(directive.upper().replace('-', '_'))


def _legacy_value(values: object) -> _Rendered:
    """Render one directive's value as django-csp < 4.0's ``build_policy`` does."""
    if not is_known(values):
        return _Render.opaque
    if values is None:
        return _Render.skip
    listed = _as_list(values, sort_sets=False)
    if listed is None:
        return _Render.fail
    if listed and isinstance(listed[0], bool):
        return '' if listed[0] else _Render.skip
    return _join(listed)


def _directive_names(names: object) -> list[str] | None:
    """``CSP_INCLUDE_NONCE_IN``: a known list or tuple of directive names, else None."""
    if not isinstance(names, (list, tuple)) or not is_known(names):
        return None
    strings = [name for name in names if isinstance(name, str)]
    return strings if len(strings) == len(names) else None


def _add_nonce(segments: Sequence[_Segment], names: Iterable[str]) -> list[_Segment]:
    """Append the nonce to the listed directives (creating them), as django-csp < 4.0 does."""
    extended = dict(segments)
    for name in names:
        if name in extended and extended[name] is None:
            continue  # an undecidable directive stays undecidable
        extended[name] = '{0} {1}'.format(extended.get(name) or '', NONCE_SOURCE).strip()
    return list(extended.items())


def _render(pairs: Iterable[tuple[str, object]], renderer: _Renderer) -> list[_Segment] | None:
    """Render each directive; None when the provider would fail on every response."""
    segments: list[_Segment] = []
    for name, values in pairs:
        rendered = renderer(values)
        if rendered is _Render.fail:
            return None
        if rendered is not _Render.skip:
            segments.append((name, rendered if isinstance(rendered, str) else None))
    return segments


def _not_a_dict(config: object) -> BuiltPolicy:
    """A falsy setting sends no header; anything else but a dict makes every response fail."""
    if not is_known(config) or config:
        return UNDECIDED
    return None


def _as_list(values: object, *, sort_sets: bool = True) -> list[object] | None:
    if isinstance(values, (set, frozenset)) and sort_sets:
        try:
            return sorted(values)
        except TypeError:
            return None
    if isinstance(values, (list, tuple)):
        return list(values)
    return [values]


def _join(items: Sequence[object]) -> _Rendered:
    if not all(isinstance(item, str) for item in items):
        return _Render.fail  # str.join raises: the middleware fails on every response
    return ' '.join(str(item) for item in items)


def _exempted(policy: Policy, prefixes: object, *, as_tuple: bool) -> Policy:
    exempt = _exempts_every_path(prefixes, as_tuple=as_tuple)
    return dataclasses.replace(policy, exempt_all=exempt) if exempt else policy


def _exempts_every_path(prefixes: object, *, as_tuple: bool) -> str | None:
    """
    Tell whether ``EXCLUDE_URL_PREFIXES`` matches every path (each starts with ``/``).

    django-csp 4 takes ``tuple(prefixes)``, so a string is a tuple of characters;
    django-csp < 4.0 passes the value to ``str.startswith`` as it is.
    """
    if not is_known(prefixes) or not prefixes:
        return None
    if isinstance(prefixes, str) and not as_tuple:
        prefixes = (prefixes,)
    if not isinstance(prefixes, (str, list, tuple, set, frozenset, dict)):
        return None
    matching = [
        prefix for prefix in prefixes
        if isinstance(prefix, str) and '/'.startswith(prefix)
    ]
    if not matching:
        return None
    return 'exempts every path (prefix {0!r})'.format(matching[0])


def _parse(segments: Iterable[_Segment], origins: Mapping[str, str], setting: str) -> Policy:
    """Parse rendered directives as a browser parses the header (the first duplicate wins)."""
    directives: dict[str, Directive] = {}
    for key, rendered in segments:
        origin = origins.get(key, setting)
        if rendered is None:
            _add_directive(directives, key.split()[:1], origin, opaque=True)
            continue
        for text in '{0} {1}'.format(key, rendered).split(';'):
            _add_directive(directives, text.split(), origin, opaque=False)
    return Policy(setting, directives)


def _add_directive(
    directives: dict[str, Directive],
    tokens: Sequence[str],
    origin: str,
    *,
    opaque: bool,
) -> None:
    """Add a directive (name, then sources) unless one of that name came first."""
    if tokens and tokens[0].lower() not in directives:
        sources = None if opaque else tuple(tokens[1:])
        directives[tokens[0].lower()] = Directive(tokens[0].lower(), sources, origin)


# --- questions about a policy ---------------------------------------------------------


def inline_neutralised(directive: Directive) -> bool:
    """Tell whether a nonce, a hash or ``'strict-dynamic'`` makes ``'unsafe-inline'`` ignored."""
    return any(
        source.startswith(("'nonce-", *_HASH_PREFIXES)) or source == _STRICT_DYNAMIC
        for source in directive.lowered
    )


def script_weaknesses(policy: Policy) -> Iterator[Weakness]:
    """DJS141: ``'unsafe-inline'`` (not neutralised) or ``'unsafe-eval'`` for scripts."""
    inline = {
        directive.name: (directive, chain)
        for chain in (_ATTRIBUTE_CHAIN, _ELEMENT_CHAIN)
        if isinstance(directive := policy.resolve(chain), Directive)
        and _UNSAFE_INLINE in directive.lowered
        and not inline_neutralised(directive)
    }
    for directive, chain in inline.values():
        yield _weakness(directive, _UNSAFE_INLINE, chain, 'inline scripts and event handlers run')
    evaluated = policy.resolve(_SCRIPT_CHAIN)
    if isinstance(evaluated, Directive) and _UNSAFE_EVAL in evaluated.lowered:
        yield _weakness(
            evaluated, _UNSAFE_EVAL, _SCRIPT_CHAIN, 'eval() and new Function() run strings as code',
        )


def source_weaknesses(policy: Policy) -> Iterator[Weakness]:
    """DJS142: no ``default-src``, any-source scripts or plugins, no ``object-src``/``base-uri``."""
    if _DEFAULT_SRC not in policy.directives:
        yield Weakness(policy.setting, None, None, _NO_DEFAULT)
    yield from _any_source(policy, (_ELEMENT_CHAIN, _SCRIPT_CHAIN), 'scripts', dynamic=True)
    if policy.resolve(_OBJECT_CHAIN) is None:
        yield Weakness(policy.setting, None, None, _NO_OBJECTS)
    yield from _any_source(policy, (_OBJECT_CHAIN,), 'plugins', dynamic=False)
    base = policy.directives.get(_BASE_URI)
    if base is None:
        yield Weakness(policy.setting, None, None, _NO_BASE_URI)
        return
    broad = _broad(base)
    if broad:
        detail = 'an injected <base> tag may point relative URLs anywhere'
        yield Weakness(base.setting, base.name, broad, detail)


def _any_source(
    policy: Policy,
    chains: Sequence[Sequence[str]],
    what: str,
    *,
    dynamic: bool,
) -> Iterator[Weakness]:
    """Any-source findings; with ``dynamic``, ``'strict-dynamic'`` makes them ignored."""
    landed = {
        directive.name: (directive, chain)
        for chain in reversed(chains)
        if isinstance(directive := policy.resolve(chain), Directive)
    }
    for directive, chain in landed.values():
        broad = _broad(directive)
        if broad and not (dynamic and _STRICT_DYNAMIC in directive.lowered):
            yield _weakness(directive, broad, chain, '{0} load from any origin'.format(what))


def _broad(directive: Directive) -> str | None:
    """Return the first any-origin source of a directive."""
    for source in directive.sources or ():
        if source.lower() in ANY_SOURCES:
            return source
    return None


def _weakness(directive: Directive, source: str, chain: Sequence[str], detail: str) -> Weakness:
    if directive.name == _DEFAULT_SRC and len(chain) > 1:
        detail = '{0} ({1} is not set, so default-src applies)'.format(detail, chain[-2])
    return Weakness(directive.setting, directive.name, source, detail)


# --- security.W027's predicates, as Django 6.1's security/base.py writes them ------------

#: What a template check returns when Django's own check would raise.
_RAISES: Final = 'raises'
_CONTAINERS: Final = (str, list, tuple, set, frozenset, dict)


def nonce_in_policy(policy: object) -> bool | None:
    """Django's ``_csp_policy_contains_nonce``: a value is, or contains, ``CSP.NONCE``."""
    if not isinstance(policy, dict):
        return False if is_data(policy) else None  # no .values(): Django says False
    verdicts = [_holds_nonce(sources) for sources in policy.values()]
    if True in verdicts:
        return True
    return None if None in verdicts else False


def _holds_nonce(sources: object) -> bool | None:
    """``sources == CSP.NONCE or CSP.NONCE in sources``, a TypeError being False."""
    if isinstance(sources, _CONTAINERS):
        return contains(sources, DJANGO_NONCE)
    return False if is_data(sources) else None


def context_processor_configured(templates: object, processor: str) -> bool | None:
    """Django's ``_csp_context_processor_configured``; None when undecidable or it raises."""
    if isinstance(templates, (str, dict)):
        return False  # iterates characters or keys: none is a dict
    if not isinstance(templates, (list, tuple, set, frozenset)):
        return None
    undecided = False
    for template in templates:
        verdict = _template_has_processor(template, processor)
        if verdict is _RAISES:
            return None
        if verdict is True:
            return True
        undecided = undecided or verdict is None
    return None if undecided else False


def _template_has_processor(template: object, processor: str) -> bool | str | None:
    if not isinstance(template, dict):
        return False if is_data(template) else None
    options = template.get('OPTIONS', {})
    if not isinstance(options, dict):
        return _RAISES if is_data(options) else None
    processors = options.get('context_processors', [])
    if isinstance(processors, _CONTAINERS):
        return contains(processors, processor)
    return _RAISES if is_data(processors) else None
