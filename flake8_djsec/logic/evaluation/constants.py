"""Constants that settings modules import from Django and its ecosystem."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Final

from flake8_djsec.logic.evaluation.values import Symbol, Value

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
    'django.utils.csp.CSP.NONCE': '<CSP_NONCE_SENTINEL>',
    'django.utils.csp.CSP.HEADER_ENFORCE': 'Content-Security-Policy',
    'django.utils.csp.CSP.HEADER_REPORT_ONLY': 'Content-Security-Policy-Report-Only',
    **{
        'csp.constants.{0}'.format(name): source
        for name, source in _CSP_SOURCES.items()
    },
    'csp.constants.NONCE': "'csp-nonce'",
})


def resolve_symbol(symbol: Symbol) -> Value:
    """Return a known constant's value, or the symbol itself."""
    constant = CONSTANTS.get(symbol.qualname)
    if constant is None:
        return Value(symbol)
    return Value(constant)
