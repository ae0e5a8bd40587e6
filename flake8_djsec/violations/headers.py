"""DJS130-139: security headers."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class SecurityMiddlewareMissingViolation(Violation):
    """
    ``django.middleware.security.SecurityMiddleware`` is not in ``MIDDLEWARE``.

    Reasoning:
        That middleware sends HSTS, ``X-Content-Type-Options``,
        ``Referrer-Policy`` and ``Cross-Origin-Opener-Policy``, and performs
        ``SECURE_SSL_REDIRECT``. Without it those settings do nothing.

    Solution:
        Put ``"django.middleware.security.SecurityMiddleware"`` first in
        ``MIDDLEWARE``.

    Known problems:
        Rules that depend on the middleware (DJS110, DJS111, DJS113, DJS114,
        DJS133, DJS134, DJS136) stay quiet while this one fires.

    Example::

        # Correct:
        MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", ...]

        # Wrong:
        MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", ...]

    References:
        - https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security

    .. versionadded:: 0.1.0
    """

    code = 130
    error_template = "MIDDLEWARE lacks 'django.middleware.security.SecurityMiddleware'; add it first"
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W001',)
    cwe = 693


@final
class ClickjackingMiddlewareMissingViolation(Violation):
    """
    ``django.middleware.clickjacking.XFrameOptionsMiddleware`` is not in ``MIDDLEWARE``.

    Reasoning:
        Without an ``X-Frame-Options`` header any site can load yours in an
        invisible frame and trick users into clicking (clickjacking).

    Solution:
        Add ``"django.middleware.clickjacking.XFrameOptionsMiddleware"``, or
        send CSP ``frame-ancestors`` and silence this code.

    Known problems:
        A CSP ``frame-ancestors`` directive protects modern browsers too;
        like Django, we only look for the middleware.

    Example::

        # Correct:
        MIDDLEWARE = [..., "django.middleware.clickjacking.XFrameOptionsMiddleware"]

        # Wrong:
        MIDDLEWARE = [...]  # without it

    References:
        - https://docs.djangoproject.com/en/stable/ref/clickjacking/
        - https://cwe.mitre.org/data/definitions/1021.html

    .. versionadded:: 0.1.0
    """

    code = 131
    error_template = (
        "MIDDLEWARE lacks 'django.middleware.clickjacking.XFrameOptionsMiddleware'; add it"
    )
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W002',)
    cwe = 1021


@final
class XFrameOptionsViolation(Violation):
    """
    ``X_FRAME_OPTIONS`` is not ``"DENY"`` while the clickjacking middleware is on.

    Reasoning:
        ``SAMEORIGIN`` lets any page of your own site frame the others,
        which one injectable page turns into clickjacking.

    Solution:
        ``X_FRAME_OPTIONS = "DENY"`` (Django's default since 3.0), and
        ``xframe_options_sameorigin`` on the few views that need framing.

    Known problems:
        Django compares exactly: ``"deny"`` (lower case) still fires.

    Example::

        # Correct:
        X_FRAME_OPTIONS = "DENY"

        # Wrong:
        X_FRAME_OPTIONS = "SAMEORIGIN"

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#x-frame-options

    .. versionadded:: 0.1.0
    """

    code = 132
    error_template = "X_FRAME_OPTIONS is {value}{origin}; set it to 'DENY'"
    scope = Scope.deploy
    severity = Severity.low
    django_ids = ('security.W019',)
    cwe = 1021


@final
class ContentTypeNosniffViolation(Violation):
    """
    ``SECURE_CONTENT_TYPE_NOSNIFF`` is not ``True`` while SecurityMiddleware is on.

    Reasoning:
        Without ``X-Content-Type-Options: nosniff`` a browser may execute an
        uploaded file as script or style because its content looks like one.

    Solution:
        Remove the setting (the default is ``True``) or set it to ``True``.

    Known problems:
        None known.

    Example::

        # Correct:
        SECURE_CONTENT_TYPE_NOSNIFF = True

        # Wrong:
        SECURE_CONTENT_TYPE_NOSNIFF = False

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secure-content-type-nosniff

    .. versionadded:: 0.1.0
    """

    code = 133
    error_template = 'SECURE_CONTENT_TYPE_NOSNIFF is {value}{origin}; set it to True'
    scope = Scope.deploy
    severity = Severity.low
    django_ids = ('security.W006',)
    cwe = 693


@final
class ReferrerPolicyViolation(Violation):
    """
    ``SECURE_REFERRER_POLICY`` is ``None`` or holds an invalid policy.

    Reasoning:
        ``None`` sends no ``Referrer-Policy`` header, so browsers fall back
        to their own default; an unknown value is ignored by browsers.

    Solution:
        Keep the default ``"same-origin"`` or use
        ``"strict-origin-when-cross-origin"``.

    Known problems:
        Mirrors Django's W022 (``None``) and E023 (invalid value). A
        comma-separated string lists fallbacks, as in Django.

    Example::

        # Correct:
        SECURE_REFERRER_POLICY = "same-origin"

        # Wrong:
        SECURE_REFERRER_POLICY = None

    References:
        - https://docs.djangoproject.com/en/stable/ref/middleware/#referrer-policy

    .. versionadded:: 0.1.0
    """

    code = 134
    error_template = (
        'SECURE_REFERRER_POLICY is {value}{origin}{problem}; '
        "use 'same-origin' or 'strict-origin-when-cross-origin'"
    )
    scope = Scope.deploy
    severity = Severity.low
    django_ids = ('security.W022', 'security.E023')
    cwe = 200


@final
class LeakyReferrerPolicyViolation(Violation):
    """
    ``SECURE_REFERRER_POLICY`` sends full URLs to other origins.

    Reasoning:
        ``unsafe-url`` and ``no-referrer-when-downgrade`` send the whole URL
        (path and query string: reset tokens, search terms, ids) to every
        site a page links to or loads from.

    Solution:
        ``"same-origin"`` or ``"strict-origin-when-cross-origin"``.

    Known problems:
        With a comma-separated list of fallbacks, browsers apply the last
        policy they know; we judge that one. Django sends the header from
        ``SecurityMiddleware`` only: without it (DJS130) browsers use their
        default, ``strict-origin-when-cross-origin``, and this code is quiet.

    Example::

        # Correct:
        SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

        # Wrong:
        SECURE_REFERRER_POLICY = "unsafe-url"

    References:
        - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy
        - https://cwe.mitre.org/data/definitions/200.html

    .. versionadded:: 0.1.0
    """

    code = 135
    error_template = (
        'SECURE_REFERRER_POLICY {value} sends full URLs to other origins{origin}; '
        "use 'same-origin' or 'strict-origin-when-cross-origin'"
    )
    scope = Scope.deploy
    severity = Severity.low
    cwe = 200


@final
class CrossOriginOpenerPolicyViolation(Violation):
    """
    ``SECURE_CROSS_ORIGIN_OPENER_POLICY`` is not a valid policy.

    Reasoning:
        Browsers ignore an unknown value, so the window is not isolated
        from cross-origin openers (cross-window attacks, XS-Leaks).

    Solution:
        ``"same-origin"`` (the default), ``"same-origin-allow-popups"`` or
        ``"unsafe-none"``; ``None`` turns the header off deliberately.

    Configuration:
        ``--djsec-django-version`` names the Django series whose defaults
        apply (default: the version the repository pins, else the installed
        Django, else the newest).

    Known problems:
        Django 4.0 and later only.

    Example::

        # Correct:
        SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

        # Wrong:
        SECURE_CROSS_ORIGIN_OPENER_POLICY = "same_origin"

    References:
        - https://docs.djangoproject.com/en/stable/ref/middleware/#cross-origin-opener-policy

    .. versionadded:: 0.1.0
    """

    code = 136
    error_template = (
        "SECURE_CROSS_ORIGIN_OPENER_POLICY is {value}{origin}, not a valid policy; "
        "use 'same-origin'"
    )
    scope = Scope.deploy
    severity = Severity.low
    django_ids = ('security.E024',)
    cwe = 693


@final
class PermissionsPolicyMissingViolation(Violation):
    """
    No ``Permissions-Policy`` header is configured.

    Reasoning:
        Without a Permissions-Policy any script on your pages (and any
        frame you embed) may ask for the camera, microphone, geolocation,
        payment or USB APIs.

    Solution:
        Install django-permissions-policy, add
        ``"django_permissions_policy.PermissionsPolicyMiddleware"`` to
        ``MIDDLEWARE`` and set ``PERMISSIONS_POLICY`` to a dict that turns
        off what the site does not use.

    Known problems:
        A header added by the web server or proxy is invisible to us:
        silence this code then. django-permissions-policy sends no header
        for an empty ``PERMISSIONS_POLICY``, and ``PERMISSIONS_POLICY_REPORT_ONLY``
        alone (its report-only header) disables nothing: both are reported.

    Example::

        # Correct:
        MIDDLEWARE = [..., "django_permissions_policy.PermissionsPolicyMiddleware"]
        PERMISSIONS_POLICY = {"camera": [], "geolocation": [], "microphone": []}

        # Wrong:
        MIDDLEWARE = [...]  # no Permissions-Policy middleware

    References:
        - https://github.com/adamchainz/django-permissions-policy
        - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Permissions-Policy

    .. versionadded:: 0.1.0
    """

    code = 137
    error_template = 'no Permissions-Policy header: {problem}'
    scope = Scope.deploy
    severity = Severity.low
    cwe = 693


@final
class BrowserXssFilterViolation(Violation):
    """
    ``SECURE_BROWSER_XSS_FILTER`` is set, but it has had no effect since Django 4.0.

    Reasoning:
        Django 4.0 removed the setting and its ``X-XSS-Protection`` header;
        browsers had already dropped their XSS filters (which could be
        abused to leak data). Setting it suggests a protection that does
        not exist.

    Solution:
        Remove the setting and deploy a Content Security Policy.

    Known problems:
        None known.

    Example::

        # Correct:
        # (no SECURE_BROWSER_XSS_FILTER; a CSP instead)

        # Wrong:
        SECURE_BROWSER_XSS_FILTER = True

    References:
        - https://docs.djangoproject.com/en/stable/releases/4.0/#securitymiddleware-no-longer-sets-the-x-xss-protection-header

    .. versionadded:: 0.1.0
    """

    code = 138
    error_template = (
        'SECURE_BROWSER_XSS_FILTER has had no effect since Django 4.0; '
        'remove it and use a Content Security Policy'
    )
    scope = Scope.settings
    severity = Severity.low
    django_ids = ()
    cwe = 1021
