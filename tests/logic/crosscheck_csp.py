"""
Cross-check the CSP policy builders of ``flake8_djsec.logic.csp`` against the real providers.

Not a test module (pytest does not collect it) and not a dependency of the suite. Run by
hand with Django 6.1 and django-csp 4 importable (Python 3.12+), and again with django-csp
3.8 (any Django it supports) for the ``CSP_*`` settings, for instance::

    python3.13 -m venv /tmp/xcsp && /tmp/xcsp/bin/pip install django==6.1.3 django-csp==4.0
    PYTHONPATH=. /tmp/xcsp/bin/python tests/logic/crosscheck_csp.py
    python3.12 -m venv /tmp/xcsp3 && /tmp/xcsp3/bin/pip install "django==5.2.*" django-csp==3.8
    PYTHONPATH=. /tmp/xcsp3/bin/python tests/logic/crosscheck_csp.py

Each case is a directive mapping. The real ``django.utils.csp.build_policy`` (Django) and
``csp.utils.build_policy`` (django-csp 4, from ``CONTENT_SECURITY_POLICY``) render it with a
nonce, the header is parsed as a browser does, and the result is compared with our builder's
directives (our nonce source stands for the real one). A provider that raises must be
UNDECIDED here. Prints one line per disagreement; exits 1 if there is any.
"""

from __future__ import annotations

import sys

from flake8_djsec.logic import csp
from flake8_djsec.logic.evaluation.constants import DJANGO_CSP_NONCE, DJANGO_NONCE

_NONCE = 'realnonce'
_CASES: tuple[dict[str, object], ...] = (
    {'default-src': ["'self'"]},
    {'default-src': ["'self'"], 'script-src': ["'self'", DJANGO_NONCE, "'unsafe-inline'"]},
    {'default-src': "'self' https:", 'script-src': ('a.example', 'b.example')},
    {'Default-Src': ["'self'; script-src *"], 'script-src': ["'none'"]},
    {'img-src': {"'self'", 'data:'}, 'upgrade-insecure-requests': True, 'frame-src': None},
    {'script-src': [], 'object-src': False, 'base-uri': ["'none'"]},
    {'script_src': ['*'], 'default-src': ["'none'"]},
    {'script-src': ["'self'", 1]},
    {'script-src': [DJANGO_CSP_NONCE, "'strict-dynamic'"]},
    {'script-src': [DJANGO_NONCE]},
    {'script-src': ["'self'", "'self'"]},
)


def _parse(header: str) -> dict[str, tuple[str, ...]]:
    directives: dict[str, tuple[str, ...]] = {}
    for text in header.split(';'):
        tokens = text.split()
        if tokens and tokens[0].lower() not in directives:
            directives[tokens[0].lower()] = tuple(tokens[1:])
    return directives


def _ours(policy: csp.BuiltPolicy) -> object:
    if not isinstance(policy, csp.Policy):
        return policy
    nonce = "'nonce-{0}'".format(_NONCE)
    return {
        name: tuple(nonce if source == csp.NONCE_SOURCE else source for source in directive.sources or ())
        for name, directive in policy.directives.items()
    }


def _real_django(case: dict[str, object]) -> object:
    from django.utils.csp import CSP, build_policy  # noqa: WPS433 - needs Django 6.1
    from csp.constants import NONCE  # noqa: WPS433

    real = {
        key: _swap(_swap(value, DJANGO_NONCE, CSP.NONCE), DJANGO_CSP_NONCE, NONCE)
        for key, value in case.items()
    }
    try:
        return _parse(build_policy(real, _NONCE)) if real else None
    except Exception:  # the middleware would raise on every response
        return csp.UNDECIDED


def _real_django_csp(case: dict[str, object]) -> object:
    from django.test import override_settings  # noqa: WPS433
    from csp.constants import NONCE  # noqa: WPS433
    from csp.utils import build_policy  # noqa: WPS433

    real = {key: _swap(value, DJANGO_CSP_NONCE, NONCE) for key, value in case.items()}
    with override_settings(CONTENT_SECURITY_POLICY={'DIRECTIVES': real}):
        try:
            return _parse(build_policy(nonce=_NONCE))
        except Exception:  # the middleware would raise on every response
            return csp.UNDECIDED


def _swap(value: object, marker: str, real: object) -> object:
    if isinstance(value, list):
        return [real if item == marker else item for item in value]
    if isinstance(value, tuple):
        return tuple(real if item == marker else item for item in value)
    return value


_LEGACY_CASES: tuple[dict[str, object], ...] = (
    {},
    {'CSP_DEFAULT_SRC': None, 'CSP_SCRIPT_SRC': ["'self'"]},
    {'CSP_SCRIPT_SRC': "'self' 'unsafe-inline'", 'CSP_UPGRADE_INSECURE_REQUESTS': True},
    {'CSP_SCRIPT_SRC': ("'self'",), 'CSP_INCLUDE_NONCE_IN': ['script-src', 'style-src']},
    {'CSP_BLOCK_ALL_MIXED_CONTENT': False, 'CSP_OBJECT_SRC': []},
    {'CSP_SCRIPT_SRC': {"'self'"}},
    {'CSP_DEFAULT_SRC': ["'self'", 2]},
)


def _legacy_main() -> int:
    from django.test import override_settings  # noqa: WPS433
    from csp.utils import build_policy  # noqa: WPS433

    failures = 0
    for case in _LEGACY_CASES:
        with override_settings(**case):
            try:
                real: object = _parse(build_policy(nonce=_NONCE))
            except Exception:  # the middleware would raise on every response
                real = csp.UNDECIDED
        nonce_in = case.get('CSP_INCLUDE_NONCE_IN', ['default-src'])
        ours = _ours(csp.legacy_policy(case, nonce_in, ()))
        if real != ours:
            failures += 1
            sys.stdout.write('django-csp<4 {0!r}: real {1!r}, ours {2!r}\n'.format(case, real, ours))
    sys.stdout.write('{0} legacy cases, {1} disagreement(s)\n'.format(len(_LEGACY_CASES), failures))
    return 1 if failures else 0


def main() -> int:
    """Compare every case; print disagreements."""
    from importlib.metadata import version  # noqa: WPS433

    import django  # noqa: WPS433
    from django.conf import settings  # noqa: WPS433

    settings.configure()
    django.setup()
    if int(version('django-csp').split('.')[0]) < 4:
        return _legacy_main()
    failures = 0
    for case in _CASES:
        for name, real, ours in (
            ('django', _real_django(case), _ours(csp.django_policy(case, 'SECURE_CSP'))),
            ('django-csp', _real_django_csp(case), _ours(csp.django_csp_policy({'DIRECTIVES': case}, 'X'))),
        ):
            if real != ours:
                failures += 1
                sys.stdout.write('{0} {1!r}: real {2!r}, ours {3!r}\n'.format(name, case, real, ours))
    sys.stdout.write('{0} cases x 2 providers, {1} disagreement(s)\n'.format(len(_CASES), failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
