"""Constants that settings modules import from Django and its ecosystem."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Final

from flake8_djsec.logic.evaluation.values import Symbol, Value

#: ``django.utils.csp.CSP.NONCE``, the placeholder Django 6 replaces by the request's nonce.
DJANGO_NONCE: Final = '<CSP_NONCE_SENTINEL>'
#: Stands for django-csp 4's ``csp.constants.NONCE`` (a ``Nonce`` object, not a string).
DJANGO_CSP_NONCE: Final = '<csp.constants.NONCE>'

_CSP_SOURCES: Final[Mapping[str, str]] = types.MappingProxyType({
    'NONE': "'none'",
    'REPORT_SAMPLE': "'report-sample'",
    'SELF': "'self'",
    'STRICT_DYNAMIC': "'strict-dynamic'",
    'UNSAFE_EVAL': "'unsafe-eval'",
    'UNSAFE_HASHES': "'unsafe-hashes'",
    'UNSAFE_INLINE': "'unsafe-inline'",
    'WASM_UNSAFE_EVAL': "'wasm-unsafe-eval'",
})

#: Django 6's ``django.utils.csp.CSP`` members and django-csp 4's ``csp.constants``.
CONSTANTS: Final[Mapping[str, object]] = types.MappingProxyType({
    **{
        'django.utils.csp.CSP.{0}'.format(name): source
        for name, source in _CSP_SOURCES.items()
    },
    'django.utils.csp.CSP.NONCE': DJANGO_NONCE,
    'django.utils.csp.CSP.HEADER_ENFORCE': 'Content-Security-Policy',
    'django.utils.csp.CSP.HEADER_REPORT_ONLY': 'Content-Security-Policy-Report-Only',
    **{
        'csp.constants.{0}'.format(name): source
        for name, source in _CSP_SOURCES.items()
    },
    'csp.constants.NONCE': DJANGO_CSP_NONCE,
    'csp.constants.UNSAFE_ALLOW_REDIRECTS': "'unsafe-allow-redirects'",
    'csp.constants.HEADER': 'Content-Security-Policy',
    'csp.constants.HEADER_REPORT_ONLY': 'Content-Security-Policy-Report-Only',
})


def resolve_symbol(symbol: Symbol) -> Value:
    """Return a known constant's value, or the symbol itself."""
    constant = CONSTANTS.get(symbol.qualname)
    if constant is None:
        return Value(symbol)
    return Value(constant)
