"""DJS160: ``mark_safe``/``SafeString`` on a string that is not fixed by the source."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from flake8_djsec.visitors.base import CodeFinding, shown_source
from flake8_djsec.visitors.dynamic import Strings
from flake8_djsec.visitors.index import CodeIndex
from flake8_djsec.violations.code import MarkSafeViolation

MARK_SAFE: Final = frozenset((
    'django.utils.safestring.mark_safe',
    'django.utils.safestring.SafeString',
    'django.utils.safestring.SafeText',
    'django.utils.html.mark_safe',
    'django.utils.html.SafeString',
))
_BARE_NAMES: Final = frozenset(name.rsplit('.', 1)[-1] for name in MARK_SAFE)
#: Calls that return escaped (or already safe) HTML.
SAFE_HTML_CALLS: Final = frozenset((
    'format_html', 'format_html_join', 'escape', 'conditional_escape', 'escapejs', 'json_script',
    'render_to_string', 'mark_safe', 'urlencode', 'quote', 'intcomma', 'naturaltime',
))
#: How much of an argument's source the message shows.
_SHOWN: Final = 40
#: Source words without which DJS160 cannot fire.
TRIGGERS: Final = ('mark_safe', 'SafeString', 'SafeText')


def check_mark_safe(index: CodeIndex) -> Iterator[CodeFinding]:
    """Report ``mark_safe(x)`` and ``SafeString(x)`` unless ``x`` is fixed by the source."""
    for call in index.calls:
        function = _mark_safe_name(index, call)
        if function is None or not call.args:
            continue
        argument = call.args[0]
        strings = Strings(index, call.lineno, SAFE_HTML_CALLS)
        if strings.is_safe(argument):
            continue
        yield CodeFinding(MarkSafeViolation, call.lineno, call.col_offset, {
            'function': function, 'argument': _describe(strings, argument),
        })


def _mark_safe_name(index: CodeIndex, call: ast.Call) -> str | None:
    qualname = index.qualname(call.func)
    if qualname in MARK_SAFE:
        return qualname.rsplit('.', 1)[-1]
    # Used without an import we can see (a star import, a re-export): the name says it.
    function = call.func
    if isinstance(function, ast.Name) and function.id in _BARE_NAMES:
        if function.id not in index.imports:
            return function.id
    return None


def _describe(strings: Strings, argument: ast.expr) -> str:
    how = strings.built_how(argument)
    if how:
        return how
    if isinstance(argument, ast.Name):
        return 'the variable {0}'.format(argument.id)
    if isinstance(argument, ast.Attribute):
        return 'the value {0}'.format(shown_source(argument, _SHOWN))
    if isinstance(argument, ast.Call):
        return 'the result of {0}()'.format(shown_source(argument.func, _SHOWN))
    return 'an expression'
