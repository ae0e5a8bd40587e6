"""DJS140-149: Content Security Policy."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class CspMissingViolation(Violation):
    """
    No Content Security Policy is enforced.

    Reasoning:
        A Content Security Policy tells the browser which scripts may run.
        Without one, a single cross-site scripting bug (an unescaped value,
        a ``|safe`` filter, a ``mark_safe``) runs the attacker's script with
        the user's session.

    Solution:
        On Django 6.0+, add ``"django.middleware.csp.ContentSecurityPolicyMiddleware"``
        to ``MIDDLEWARE`` and set ``SECURE_CSP``; on older series install
        django-csp 4, add ``"csp.middleware.CSPMiddleware"`` and set
        ``CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}``.
        The code fires when no CSP middleware is in ``MIDDLEWARE``, or when
        the middleware has an empty enforcing policy: ``SECURE_CSP = {}``
        (Django's default), no ``CONTENT_SECURITY_POLICY``, django-csp's
        ``"DIRECTIVES": None``, or an ``EXCLUDE_URL_PREFIXES`` entry of
        ``"/"`` or ``""`` that exempts every path. Django's middleware counts
        from Django 6.0 on (``--djsec-django-version``).

    Configuration:
        ``--djsec-django-version`` and ``--djsec-django-csp-version`` name
        the series; without them the versions the repository pins decide
        (lock files, ``pyproject.toml``, requirements files: see DJS145),
        else the installed packages, else the newest Django and an unknown
        django-csp. The message names where a version came from:
        ``CONTENT_SECURITY_POLICY is not set, so django-csp 4 sends no header
        (django-csp 4.0.1 pinned in requirements/production.txt); it ignores
        CSP_DEFAULT_SRC, written for django-csp < 4.0``.

    Known problems:
        A policy sent by the web server, a proxy or per-view decorators is
        invisible to us: silence this code then. When only a report-only
        policy is configured DJS146 reports instead. With django-csp and
        neither its 4.x settings nor a known version
        (``--djsec-django-csp-version``) we cannot tell whether a policy is
        sent (django-csp < 4.0 always sends ``default-src 'self'``, 4.x sends
        nothing without ``CONTENT_SECURITY_POLICY``) and stay quiet, as we do
        when ``MIDDLEWARE`` is undecidable.

    Example::

        # Correct:
        MIDDLEWARE = [..., "django.middleware.csp.ContentSecurityPolicyMiddleware"]
        SECURE_CSP = {
            "default-src": [CSP.SELF],
            "object-src": [CSP.NONE],
            "base-uri": [CSP.NONE],
        }

        # Wrong:
        MIDDLEWARE = [...]  # no CSP middleware

    References:
        - https://docs.djangoproject.com/en/dev/ref/csp/
        - https://django-csp.readthedocs.io/en/latest/configuration.html
        - https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP
        - https://cwe.mitre.org/data/definitions/1021.html

    .. versionadded:: 0.1.0
    """

    code = 140
    severity = Severity.medium
    error_template = 'no enforced Content Security Policy: {problem}'
    scope = Scope.deploy
    cwe = 693


@final
class CspUnsafeScriptViolation(Violation):
    """
    The enforced policy allows ``'unsafe-inline'`` or ``'unsafe-eval'`` for scripts.

    Reasoning:
        ``'unsafe-inline'`` lets every inline ``<script>`` and event handler
        run, so an injected one runs too: the policy no longer stops cross-site
        scripting. ``'unsafe-eval'`` lets strings become code (``eval``,
        ``new Function``), which turns many injections into script execution.

    Solution:
        Give inline scripts a nonce (``CSP.NONCE`` with Django,
        ``csp.constants.NONCE`` with django-csp) or a hash, or move them to
        files. Browsers that support nonces and hashes ignore
        ``'unsafe-inline'`` in a source list that also holds one (or
        ``'strict-dynamic'``), so ``'unsafe-inline'`` kept there for old
        browsers is not reported. Remove ``'unsafe-eval'``; nothing
        neutralises it.
        The directives judged follow CSP Level 3's fallbacks: inline
        ``<script>`` elements use ``script-src-elem``, then ``script-src``,
        then ``default-src``; event handlers ``script-src-attr``, then
        ``script-src``, then ``default-src``; ``eval`` ``script-src``, then
        ``default-src``. The message names the directive, the source and the
        setting that wrote it.

    Known problems:
        Django and django-csp put the nonce in the header only on responses
        that use it (``{{ csp_nonce }}``); on other pages ``'unsafe-inline'``
        next to a nonce is live. We judge the pages that use the nonce.
        A report-only policy enforces nothing and is not judged (DJS146).

    Example::

        # Correct:
        SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}

        # Wrong:
        SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

    References:
        - https://www.w3.org/TR/CSP3/#allow-all-inline
        - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/script-src
        - https://cwe.mitre.org/data/definitions/79.html

    .. versionadded:: 0.1.0
    """

    code = 141
    severity = Severity.medium
    error_template = '{setting} allows {source} for scripts in {directive}: {detail}'
    scope = Scope.deploy
    cwe = 79


@final
class CspBroadSourceViolation(Violation):
    """
    The enforced policy has no ``default-src``, allows any source for scripts or plugins, or lacks ``object-src``/``base-uri``.

    Reasoning:
        Directives missing from a policy allow everything: without
        ``default-src`` each resource type with no directive of its own loads
        from anywhere. ``*``, ``http:``, ``https:`` and ``data:`` in the
        directive that governs scripts (``script-src-elem``/``script-src``,
        else ``default-src``) or plugins (``object-src``, else
        ``default-src``) let an attacker load script from any origin they
        control, which defeats the policy. ``base-uri`` never falls back to
        ``default-src``: without it an injected ``<base>`` tag makes relative
        script URLs load from the attacker's host.

    Solution:
        Start from ``default-src 'self'`` (or ``'none'``), add
        ``object-src 'none'`` and ``base-uri 'none'`` (or ``'self'``), and list
        the hosts scripts really come from, or use nonces with
        ``'strict-dynamic'`` (which makes browsers ignore host and scheme
        sources, so ``https:`` kept there for old browsers is not reported).

    Known problems:
        One finding per problem, at the setting that holds the policy (for
        django-csp < 4.0, the ``CSP_*`` setting of the directive; a missing
        one on line 1). django-csp 4 adds ``default-src 'self'`` when the
        policy's ``DIRECTIVES`` omit it, and so do we.

    Example::

        # Correct:
        SECURE_CSP = {
            "default-src": [CSP.SELF],
            "object-src": [CSP.NONE],
            "base-uri": [CSP.NONE],
        }

        # Wrong:
        SECURE_CSP = {"script-src": [CSP.SELF, "https:"]}

    References:
        - https://www.w3.org/TR/CSP3/#directive-fallback-list
        - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/base-uri
        - https://cwe.mitre.org/data/definitions/829.html

    .. versionadded:: 0.1.0
    """

    code = 142
    severity = Severity.low
    error_template = '{setting} {problem}'
    scope = Scope.deploy
    cwe = 829


@final
class CspSettingNotDictViolation(Violation):
    """
    ``SECURE_CSP`` or ``SECURE_CSP_REPORT_ONLY`` is set to something other than a dict (or ``None``).

    Reasoning:
        Django 6.0+ reads each CSP setting as a mapping of directives to
        sources. Anything else is a configuration error: Django's system
        check framework reports security.E026 and the middleware fails on
        every response.

    Solution:
        Write a dict: ``SECURE_CSP = {"default-src": [CSP.SELF]}``; use
        ``{}`` (or ``None``) for no policy.

    Known problems:
        Mirrors security.E026 exactly: Django 6.0 and later only
        (``--djsec-django-version``); ``None`` is accepted.

    Example::

        # Correct:
        SECURE_CSP = {"default-src": [CSP.SELF]}

        # Wrong:
        SECURE_CSP = "default-src 'self'"

    References:
        - https://docs.djangoproject.com/en/dev/ref/settings/#secure-csp
        - https://docs.djangoproject.com/en/dev/ref/checks/#security

    .. versionadded:: 0.1.0
    """

    code = 143
    severity = Severity.low
    error_template = '{setting} is {value}{origin}, not a dict; write the policy as a dict of directives'
    scope = Scope.settings
    django_ids = ('security.E026',)
    django_versions = ('6.0', '6.1')
    cwe = 1188


@final
class CspNonceWithoutContextProcessorViolation(Violation):
    """
    A policy uses ``CSP.NONCE`` but no template backend has the ``csp`` context processor.

    Reasoning:
        With ``ContentSecurityPolicyMiddleware`` on, ``CSP.NONCE`` puts a
        nonce in the header; templates get it as ``csp_nonce`` only from
        ``django.template.context_processors.csp``. Without it no ``<script>``
        carries the nonce, so the nonce protects nothing and the pages break,
        or ``'unsafe-inline'`` stays the only way scripts run.

    Solution:
        Add ``"django.template.context_processors.csp"`` to the
        ``context_processors`` option of at least one template backend.

    Known problems:
        Mirrors security.W027 exactly (Django 6.1 and later,
        ``--djsec-django-version``): the middleware is in ``MIDDLEWARE``,
        ``SECURE_CSP`` or ``SECURE_CSP_REPORT_ONLY`` is a dict one of whose
        values is or contains ``CSP.NONCE``, and no dict in ``TEMPLATES`` has
        the processor in ``OPTIONS["context_processors"]``. Reported at the
        policy setting.

    Example::

        # Correct:
        TEMPLATES = [{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"context_processors": ["django.template.context_processors.csp"]},
        }]

        # Wrong:
        TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {}}]

    References:
        - https://docs.djangoproject.com/en/dev/ref/templates/api/#django-template-context-processors-csp
        - https://docs.djangoproject.com/en/dev/ref/checks/#security

    .. versionadded:: 0.1.0
    """

    code = 144
    severity = Severity.low
    error_template = (
        "{setting} uses CSP.NONCE but no template backend has "
        "'django.template.context_processors.csp'; templates never see the nonce"
    )
    scope = Scope.deploy
    django_ids = ('security.W027',)
    django_versions = ('6.1',)
    cwe = 1188


@final
class CspLegacySettingsViolation(Violation):
    """
    django-csp's ``CSP_*`` settings (before 4.0) are used.

    Reasoning:
        django-csp 4.0 replaced the ``CSP_*`` settings by the
        ``CONTENT_SECURITY_POLICY`` dict and no longer reads them: after an
        upgrade the policy they describe is silently gone (django-csp reports
        csp.E001). django-csp < 4.0 is no longer maintained.

    Solution:
        Move the policy to ``CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}``
        (``CONTENT_SECURITY_POLICY_REPORT_ONLY`` for ``CSP_REPORT_ONLY``),
        with the ``csp.constants`` names, and delete the ``CSP_*`` settings.
        On Django 6.0+ the built-in ``SECURE_CSP`` is another way.

    Configuration:
        ``--djsec-django-csp-version X.Y`` (``djsec-django-csp-version`` in
        ``setup.cfg``) names the django-csp series the project runs. Without
        it the repository's own pins decide, read from the deployment
        module's folder upward (never above the folder holding ``.git``):
        lock files (``uv.lock``, ``poetry.lock``, ``Pipfile.lock``), then
        ``pyproject.toml`` (``[project]`` dependencies, optional ones,
        dependency groups, ``[tool.poetry]``) and ``Pipfile``, then
        requirements files (``requirements*.txt``, ``requirements/*.txt``,
        production ones first, with their ``-r``/``-c`` includes). A pin
        counts when it is exact (``==4.0.1``, a lock entry) or when every
        release it allows is on one side of 4.0 (``>=4.0``, ``~=4.0``,
        ``<4``). Else the installed django-csp; else unknown. Before 4.0 the
        ``CSP_*`` settings are the policy: DJS140-DJS142 and DJS146 judge it
        and this code is silent (the series the project runs reads them and
        reports no csp.E001). From 4.0 they are ignored; unknown, with no
        ``CONTENT_SECURITY_POLICY`` setting either, we do not guess. The
        message says where the version came from.

    Known problems:
        Reported at each ``CSP_*`` setting django-csp 4 checks for, when the
        series is 4.0+ or unknown. When the project runs django-csp 4 and
        nothing else sends a policy, the message says that no policy is sent
        (DJS140 reports the same at the top of the module, naming the
        ignored settings), e.g. ``CSP_DEFAULT_SRC is a django-csp < 4.0
        setting, which django-csp 4 ignores (django-csp 4.0.1 pinned in
        requirements/production.txt): no Content Security Policy is sent``.

    Example::

        # Correct:
        CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF]}}

        # Wrong:
        CSP_DEFAULT_SRC = ("'self'",)

    References:
        - https://django-csp.readthedocs.io/en/latest/migration-guide.html

    .. versionadded:: 0.1.0
    """

    code = 145
    severity = Severity.medium
    error_template = '{setting} is a django-csp < 4.0 setting, which django-csp 4 ignores{problem}; move it to CONTENT_SECURITY_POLICY'
    scope = Scope.settings
    cwe = 1188


@final
class CspReportOnlyViolation(Violation):
    """
    A Content Security Policy is configured only in report-only mode.

    Reasoning:
        ``Content-Security-Policy-Report-Only`` makes the browser report
        violations and block nothing. It is a step while rolling out a
        policy; left alone, the site has no CSP protection.

    Solution:
        Once the reports are clean, move the policy to ``SECURE_CSP``
        (``CONTENT_SECURITY_POLICY`` with django-csp 4; drop
        ``CSP_REPORT_ONLY`` with django-csp < 4.0). Keeping a stricter
        report-only policy next to an enforced one is fine.

    Known problems:
        A policy sent by the web server is invisible to us. DJS140 stays
        quiet while this code fires.

    Example::

        # Correct:
        SECURE_CSP = {"default-src": [CSP.SELF]}

        # Wrong:
        SECURE_CSP_REPORT_ONLY = {"default-src": [CSP.SELF]}

    References:
        - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy-Report-Only

    .. versionadded:: 0.1.0
    """

    code = 146
    severity = Severity.low
    error_template = '{setting} is a report-only policy and no policy is enforced: {problem}'
    scope = Scope.deploy
    cwe = 693


@final
class CspExcludePrefixesStringViolation(Violation):
    """
    django-csp 4's ``EXCLUDE_URL_PREFIXES`` is a string.

    Reasoning:
        django-csp 4 turns the value into a tuple, so a string becomes one
        prefix per character: ``"/admin"`` holds ``"/"``, which every path
        starts with, and no response gets the policy (csp.E002).

    Solution:
        Use a list or tuple: ``"EXCLUDE_URL_PREFIXES": ["/admin"]``.

    Known problems:
        Mirrors csp.E002 (django-csp 4): judged in ``CONTENT_SECURITY_POLICY``
        and ``CONTENT_SECURITY_POLICY_REPORT_ONLY`` when they are dicts.

    Example::

        # Correct:
        CONTENT_SECURITY_POLICY = {"EXCLUDE_URL_PREFIXES": ["/admin"], "DIRECTIVES": {...}}

        # Wrong:
        CONTENT_SECURITY_POLICY = {"EXCLUDE_URL_PREFIXES": "/admin", "DIRECTIVES": {...}}

    References:
        - https://django-csp.readthedocs.io/en/latest/configuration.html

    .. versionadded:: 0.1.0
    """

    code = 147
    severity = Severity.medium
    error_template = "{setting}['EXCLUDE_URL_PREFIXES'] is {value}, a string: each character is a prefix; use a list"
    scope = Scope.settings
    cwe = 1188
