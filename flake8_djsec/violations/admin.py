"""DJS150: the admin site."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class DefaultAdminUrlViolation(Violation):
    """
    The admin site is mounted at the default URL ``admin/``.

    Reasoning:
        Every scanner on the internet tries ``/admin/``: the default URL
        draws credential stuffing and brute force to your staff logins.
        A less guessable path is cheap defence in depth.

    Solution:
        Mount the admin at a path of your own (from the environment, if
        you like) and, if you want to watch attackers, put
        django-admin-honeypot at ``admin/``.

    Known problems:
        Fires for ``admin.site.urls`` and other ``AdminSite`` instances
        (``*.site.urls``, ``*_site.urls``) mounted at ``admin/`` with
        ``path``, ``re_path`` or ``url``; a honeypot's urls at ``admin/`` do
        not fire.

    Example::

        # Correct:
        path("staff-7f3a/", admin.site.urls)

        # Wrong:
        path("admin/", admin.site.urls)

    References:
        - https://docs.djangoproject.com/en/stable/ref/contrib/admin/#hooking-adminsite-instances-into-your-urlconf
        - https://cwe.mitre.org/data/definitions/307.html

    .. versionadded:: 0.1.0
    """

    code = 150
    error_template = "admin site mounted at the default URL {route}; mount it at a path of your own"
    scope = Scope.code
    severity = Severity.low
    cwe = 307
