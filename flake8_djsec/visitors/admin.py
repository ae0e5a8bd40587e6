"""DJS150: the admin site mounted at the default ``admin/`` URL."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from flake8_djsec.visitors.base import CodeFinding
from flake8_djsec.visitors.index import CodeIndex
from flake8_djsec.violations.admin import DefaultAdminUrlViolation

_ROUTE_FUNCTIONS: Final = frozenset((
    'django.urls.path', 'django.urls.re_path', 'django.conf.urls.url', 'django.conf.urls.re_path',
    'path', 're_path', 'url',
))
_REGEX_FUNCTIONS: Final = frozenset(('re_path', 'url'))
_DEFAULT_ROUTES: Final = frozenset(('admin/', 'admin', 'admin/?'))
#: Fake admin login pages (django-admin-honeypot and its forks, django-admin-trap): at
#: ``admin/`` they are the advice, not the problem.
HONEYPOT_MODULES: Final = ('admin_honeypot', 'django_admin_trap', 'honeyguard', 'jellyglass')
#: Words a file must hold, both, for DJS150 to fire: the route and the ``.urls`` of a site.
TRIGGER: Final = ('admin', 'urls')


def check_admin_url(index: CodeIndex) -> Iterator[CodeFinding]:
    """Report ``path("admin/", admin.site.urls)`` and its ``re_path``/``url`` forms."""
    for call in index.calls:
        route = _default_admin_route(index, call)
        if route is not None:
            yield CodeFinding(
                DefaultAdminUrlViolation, call.lineno, call.col_offset, {'route': repr(route)},
            )


def _default_admin_route(index: CodeIndex, call: ast.Call) -> str | None:
    """Return the route of a call that mounts the admin site at the default URL, else None."""
    function = index.qualname(call.func)
    if function not in _ROUTE_FUNCTIONS:
        return None
    route = _argument(call, 0, 'route')
    view = _argument(call, 1, 'view')
    if route is None or view is None:
        return None
    if not (isinstance(route, ast.Constant) and isinstance(route.value, str)):
        return None
    is_regex = function.rsplit('.', 1)[-1] in _REGEX_FUNCTIONS
    if _is_default_route(route.value, is_regex) and _is_admin_site_urls(index, view):
        return route.value
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """Return a call's argument by position or keyword (``regex`` for ``url``)."""
    if len(call.args) > position:
        return call.args[position]
    names = {keyword, 'regex'} if keyword == 'route' else {keyword}
    for candidate in call.keywords:
        if candidate.arg in names:
            return candidate.value
    return None


def _is_default_route(route: str, is_regex: bool) -> bool:
    if is_regex:
        route = route.removeprefix('^').removesuffix('$').replace(r'\/', '/')
    return route in _DEFAULT_ROUTES


def _is_admin_site_urls(index: CodeIndex, node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and _is_include(index, node.func):
        return bool(node.args) and _is_admin_site_urls(index, node.args[0])
    if not (isinstance(node, ast.Attribute) and node.attr == 'urls'):
        return False
    qualname = index.qualname(node) or ''
    if qualname.split('.', 1)[0] in HONEYPOT_MODULES:
        return False
    owner = node.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, 'id', '')
    return 'site' in name.lower() or 'admin' in name.lower()


def _is_include(index: CodeIndex, function: ast.expr) -> bool:
    qualname = index.qualname(function) or ''
    return qualname.rsplit('.', 1)[-1] == 'include'
