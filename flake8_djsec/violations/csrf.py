"""DJS120-129: CSRF, cookies, CORS."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class SessionCookieHttpOnlyViolation(Violation):
    """
    ``SESSION_COOKIE_HTTPONLY`` is not ``True`` while sessions are in use.

    Reasoning:
        JavaScript can then read the session cookie, so one cross-site
        scripting bug becomes a session takeover.

    Solution:
        Remove the setting (Django's default is ``True``) or set it to ``True``.

    Known problems:
        Mirrors Django's W013, W014 and W015 as one code.

    Example::

        # Correct:
        SESSION_COOKIE_HTTPONLY = True

        # Wrong:
        SESSION_COOKIE_HTTPONLY = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly
        - https://cwe.mitre.org/data/definitions/1004.html

    .. versionadded:: 0.1.0
    """

    code = 120
    error_template = (
        'SESSION_COOKIE_HTTPONLY is {value}{origin} while sessions are in use; set it to True'
    )
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W013', 'security.W014', 'security.W015')
    cwe = 1004


@final
class CsrfMiddlewareMissingViolation(Violation):
    """
    ``django.middleware.csrf.CsrfViewMiddleware`` is not in ``MIDDLEWARE``.

    Reasoning:
        Without the middleware no view is protected against cross-site
        request forgery unless each one is decorated by hand.

    Solution:
        Add ``"django.middleware.csrf.CsrfViewMiddleware"`` to ``MIDDLEWARE``.

    Known problems:
        Django matches the exact dotted path; so do we. A subclass under
        another path is reported (silence the line).

    Example::

        # Correct:
        MIDDLEWARE = [
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ]

        # Wrong:
        MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

    References:
        - https://docs.djangoproject.com/en/stable/ref/csrf/
        - https://cwe.mitre.org/data/definitions/352.html

    .. versionadded:: 0.1.0
    """

    code = 121
    error_template = "MIDDLEWARE lacks 'django.middleware.csrf.CsrfViewMiddleware'; add it"
    scope = Scope.deploy
    severity = Severity.high
    django_ids = ('security.W003',)
    cwe = 352


@final
class CsrfExemptViolation(Violation):
    """
    A view is exempted from CSRF protection.

    Reasoning:
        ``csrf_exempt`` turns off Django's protection for that view: any
        site the user visits can submit requests to it with the user's
        cookies.

    Solution:
        Send the CSRF token (``{% csrf_token %}``, the ``X-CSRFToken``
        header). A webhook that is authenticated by a signature, not by
        cookies, is a legitimate exemption: say so with
        ``# noqa: DJS122`` and a comment.

    Known problems:
        Reports ``@csrf_exempt``, ``csrf_exempt(view)`` and
        ``method_decorator(csrf_exempt, ...)`` for the name imported from
        ``django.views.decorators.csrf`` (aliases included) or used
        unimported.

    Example::

        # Correct:
        @require_POST
        def update_profile(request): ...

        # Wrong:
        @csrf_exempt
        def update_profile(request): ...

    References:
        - https://docs.djangoproject.com/en/stable/ref/csrf/#django.views.decorators.csrf.csrf_exempt
        - https://cwe.mitre.org/data/definitions/352.html

    .. versionadded:: 0.1.0
    """

    code = 122
    error_template = (
        'view exempted from CSRF protection by {how}; '
        'send the CSRF token instead, or justify the exemption'
    )
    scope = Scope.code
    severity = Severity.medium
    cwe = 352


@final
class SameSiteNoneViolation(Violation):
    """
    ``SESSION_COOKIE_SAMESITE`` or ``CSRF_COOKIE_SAMESITE`` is ``None``/``"None"``.

    Reasoning:
        ``SameSite=Lax`` (Django's default) keeps browsers from sending the
        cookie on cross-site POSTs, a second line against CSRF. ``None``
        switches that off; ``"None"`` sends ``SameSite=None`` explicitly.

    Solution:
        Keep the default ``"Lax"`` or use ``"Strict"``; use ``"None"`` only
        for a cookie that must work in third-party iframes.

    Known problems:
        Embedded apps need ``"None"``: silence this code on that line.

    Example::

        # Correct:
        SESSION_COOKIE_SAMESITE = "Lax"

        # Wrong:
        SESSION_COOKIE_SAMESITE = None

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-samesite
        - https://cwe.mitre.org/data/definitions/1275.html

    .. versionadded:: 0.1.0
    """

    code = 123
    error_template = (
        '{setting} is {value}{origin}: the cookie is sent on cross-site requests; '
        "use 'Lax' or 'Strict'"
    )
    scope = Scope.deploy
    severity = Severity.medium
    cwe = 1275


@final
class InsecureTrustedOriginViolation(Violation):
    """
    ``CSRF_TRUSTED_ORIGINS`` trusts a plain-HTTP origin or every origin.

    Reasoning:
        A trusted origin may send unsafe requests with the user's CSRF
        cookie. An ``http://`` origin can be impersonated by anyone on the
        network; ``https://*`` trusts every site.

    Solution:
        Trust only ``https://`` origins you control, such as
        ``https://*.example.com``.

    Known problems:
        ``http://localhost``, ``http://127.0.0.1`` and ``http://[::1]`` are
        allowed.

    Example::

        # Correct:
        CSRF_TRUSTED_ORIGINS = ["https://admin.example.com"]

        # Wrong:
        CSRF_TRUSTED_ORIGINS = ["http://admin.example.com", "https://*"]

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins

    .. versionadded:: 0.1.0
    """

    code = 124
    error_template = 'CSRF_TRUSTED_ORIGINS trusts {entry}{origin}{problem}; trust only https:// origins you control'
    scope = Scope.settings
    severity = Severity.high
    cwe = 352


@final
class CorsAllowAllViolation(Violation):
    """
    django-cors-headers allows every origin.

    Reasoning:
        ``CORS_ALLOW_ALL_ORIGINS`` (or the old ``CORS_ORIGIN_ALLOW_ALL``), or
        an origin regex that matches anything, lets every web site read
        your API's responses in its visitors' browsers. With
        ``CORS_ALLOW_CREDENTIALS`` the responses include the visitors'
        authenticated data.

    Solution:
        List the origins in ``CORS_ALLOWED_ORIGINS``.

    Known problems:
        A fully public, unauthenticated API may want this: silence the line.

    Example::

        # Correct:
        CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

        # Wrong:
        CORS_ALLOW_ALL_ORIGINS = True

    References:
        - https://github.com/adamchainz/django-cors-headers#configuration
        - https://cwe.mitre.org/data/definitions/942.html

    .. versionadded:: 0.1.0
    """

    code = 125
    error_template = '{setting} allows every origin{origin}{credentials}; list the allowed origins in CORS_ALLOWED_ORIGINS'
    scope = Scope.settings
    severity = Severity.high
    cwe = 942


@final
class TrustedOriginSchemeViolation(Violation):
    """
    A ``CSRF_TRUSTED_ORIGINS`` entry has no scheme.

    Reasoning:
        Since Django 4.0 entries are origins (``https://example.com``), not
        host names; Django refuses to start (system check 4_0.E001) and the
        entry never matched anything anyway.

    Solution:
        Write the scheme: ``https://example.com``.

    Known problems:
        None known.

    Example::

        # Correct:
        CSRF_TRUSTED_ORIGINS = ["https://example.com"]

        # Wrong:
        CSRF_TRUSTED_ORIGINS = ["example.com"]

    References:
        - https://docs.djangoproject.com/en/stable/releases/4.0/#csrf-trusted-origins-changes-4-0

    .. versionadded:: 0.1.0
    """

    code = 126
    error_template = "CSRF_TRUSTED_ORIGINS entry {entry} has no scheme{origin}; write it as 'https://{host}'"
    scope = Scope.settings
    severity = Severity.low
    django_ids = ('4_0.E001',)
    cwe = 352
