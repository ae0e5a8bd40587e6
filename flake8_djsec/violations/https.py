"""DJS110-119: HTTPS."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class SslRedirectViolation(Violation):
    """
    ``SECURE_SSL_REDIRECT`` is not ``True`` while SecurityMiddleware is on.

    Reasoning:
        Without the redirect, a user who types ``example.com`` talks plain
        HTTP, where cookies and pages can be read and changed in transit.

    Solution:
        ``SECURE_SSL_REDIRECT = True``, or redirect at the load balancer and
        silence this code for that deployment module with ``# noqa: DJS110``.
        Behind a TLS-terminating proxy, also set ``SECURE_PROXY_SSL_HEADER``.

    Known problems:
        Like Django, we cannot see a redirect done by the proxy.
        Django compares with ``is True``: ``1`` or ``"True"`` still fire.

    Example::

        # Correct:
        SECURE_SSL_REDIRECT = True

        # Wrong:
        SECURE_SSL_REDIRECT = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect

    .. versionadded:: 0.1.0
    """

    code = 110
    error_template = (
        'SECURE_SSL_REDIRECT is {value}{origin}; set it to True '
        '(or redirect to HTTPS at the proxy)'
    )
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W008',)
    cwe = 319


@final
class HstsMissingViolation(Violation):
    """
    ``SECURE_HSTS_SECONDS`` is unset or 0 while SecurityMiddleware is on.

    Reasoning:
        Without HTTP Strict Transport Security a browser will try plain
        HTTP first, every time, and an attacker on the network can strip
        TLS from that first request.

    Solution:
        Once the whole site (and, for ``includeSubDomains``, every
        subdomain) works over HTTPS, set ``SECURE_HSTS_SECONDS`` to
        ``31536000`` (one year). Start lower while testing: browsers
        remember the header.

    Known problems:
        HSTS added by the proxy is invisible to Django and to us.

    Example::

        # Correct:
        SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365

        # Wrong:
        SECURE_HSTS_SECONDS = 0

    References:
        - https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security
        - https://cwe.mitre.org/data/definitions/319.html

    .. versionadded:: 0.1.0
    """

    code = 111
    error_template = (
        'SECURE_HSTS_SECONDS is {value}{origin}: no HSTS header is sent; '
        'set it to 31536000 once the site works over HTTPS'
    )
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W004',)
    cwe = 319


@final
class HstsTooShortViolation(Violation):
    """
    ``SECURE_HSTS_SECONDS`` is set but below the minimum (one year by default).

    Reasoning:
        A short max-age lets the protection lapse between visits, and the
        HSTS preload list requires at least one year (31536000 seconds).

    Solution:
        Raise it to 31536000 or more once the rollout is done.

    Configuration:
        ``--djsec-hsts-min-seconds`` (``djsec-hsts-min-seconds`` in
        ``setup.cfg``) sets the minimum; default 31536000.

    Known problems:
        A short value during a staged rollout is deliberate: silence this
        code on that line.

    Example::

        # Correct:
        SECURE_HSTS_SECONDS = 31536000

        # Wrong:
        SECURE_HSTS_SECONDS = 3600

    References:
        - https://hstspreload.org/#deployment-recommendations

    .. versionadded:: 0.1.0
    """

    code = 112
    error_template = 'SECURE_HSTS_SECONDS is {value} ({duration}){origin}; use at least {minimum}'
    scope = Scope.deploy
    severity = Severity.low
    cwe = 319


@final
class HstsSubdomainsViolation(Violation):
    """
    ``SECURE_HSTS_INCLUDE_SUBDOMAINS`` is not ``True`` while HSTS is on.

    Reasoning:
        A plain-HTTP subdomain can set cookies for the parent domain
        (cookie tossing) and is a way around HSTS.

    Solution:
        Set it to ``True`` once every subdomain serves HTTPS.

    Known problems:
        Django compares with ``is True``: ``1`` still fires.
        Quiet while SecurityMiddleware is off or HSTS is off (DJS130, DJS111).

    Example::

        # Correct:
        SECURE_HSTS_INCLUDE_SUBDOMAINS = True

        # Wrong:
        SECURE_HSTS_INCLUDE_SUBDOMAINS = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-include-subdomains

    .. versionadded:: 0.1.0
    """

    code = 113
    error_template = 'SECURE_HSTS_INCLUDE_SUBDOMAINS is {value}{origin}; set it to True'
    scope = Scope.deploy
    severity = Severity.low
    django_ids = ('security.W005',)
    cwe = 319


@final
class HstsPreloadViolation(Violation):
    """
    ``SECURE_HSTS_PRELOAD`` is not ``True`` while HSTS is on.

    Reasoning:
        Only a preloaded site is protected on a browser's very first visit.
        The header's ``preload`` directive is required to submit the domain
        to the browsers' preload list.

    Solution:
        Set it to ``True`` (with ``SECURE_HSTS_INCLUDE_SUBDOMAINS`` and at
        least a year of ``SECURE_HSTS_SECONDS``), then submit the domain.

    Known problems:
        Preloading is hard to undo; some teams decide against it. Silence
        this code then. Quiet while HSTS is off.

    Example::

        # Correct:
        SECURE_HSTS_PRELOAD = True

        # Wrong:
        SECURE_HSTS_PRELOAD = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-preload
        - https://hstspreload.org/

    .. versionadded:: 0.1.0
    """

    code = 114
    error_template = 'SECURE_HSTS_PRELOAD is {value}{origin}; set it to True'
    scope = Scope.deploy
    severity = Severity.low
    django_ids = ('security.W021',)
    cwe = 319


@final
class SessionCookieInsecureViolation(Violation):
    """
    ``SESSION_COOKIE_SECURE`` is not ``True`` while sessions are in use.

    Reasoning:
        The session cookie is then also sent over plain HTTP, where anyone
        on the network can copy it and take over the session.

    Solution:
        ``SESSION_COOKIE_SECURE = True``.

    Known problems:
        Sessions are in use when ``django.contrib.sessions`` is in
        ``INSTALLED_APPS`` or its middleware is in ``MIDDLEWARE``, as for
        Django's W010, W011 and W012 (one code for the three).

    Example::

        # Correct:
        SESSION_COOKIE_SECURE = True

        # Wrong:
        SESSION_COOKIE_SECURE = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure
        - https://cwe.mitre.org/data/definitions/614.html

    .. versionadded:: 0.1.0
    """

    code = 115
    error_template = 'SESSION_COOKIE_SECURE is {value}{origin} while sessions are in use; set it to True'
    scope = Scope.deploy
    severity = Severity.high
    django_ids = ('security.W010', 'security.W011', 'security.W012')
    cwe = 614


@final
class CsrfCookieInsecureViolation(Violation):
    """
    ``CSRF_COOKIE_SECURE`` is not ``True`` while the CSRF cookie is used.

    Reasoning:
        The CSRF token cookie then travels over plain HTTP, where it can be
        read and replayed.

    Solution:
        ``CSRF_COOKIE_SECURE = True`` (or ``CSRF_USE_SESSIONS = True`` with a
        secure session cookie).

    Known problems:
        Quiet when ``CsrfViewMiddleware`` is not in ``MIDDLEWARE`` (DJS121)
        or ``CSRF_USE_SESSIONS`` is truthy, like Django's W016.

    Example::

        # Correct:
        CSRF_COOKIE_SECURE = True

        # Wrong:
        CSRF_COOKIE_SECURE = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure

    .. versionadded:: 0.1.0
    """

    code = 116
    error_template = 'CSRF_COOKIE_SECURE is {value}{origin}; set it to True'
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W016',)
    cwe = 614


@final
class ProxySslHeaderViolation(Violation):
    """
    ``SECURE_PROXY_SSL_HEADER`` is not a 2-tuple of strings naming an ``HTTP_`` header.

    Reasoning:
        Django reads the header from ``request.META``, where every request
        header is prefixed with ``HTTP_``. A name without the prefix never
        matches (so HTTPS is never detected and ``SECURE_SSL_REDIRECT``
        loops), and a malformed value breaks every request.

    Solution:
        ``SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")``,
        and only behind a proxy that sets or strips that header.

    Known problems:
        We cannot tell whether your proxy really sets the header.

    Example::

        # Correct:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

        # Wrong:
        SECURE_PROXY_SSL_HEADER = ("X-Forwarded-Proto", "https")

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header

    .. versionadded:: 0.1.0
    """

    code = 117
    error_template = (
        "SECURE_PROXY_SSL_HEADER is {value}{origin}{problem}; use a 2-tuple such as "
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    scope = Scope.settings
    severity = Severity.medium
    cwe = 16
