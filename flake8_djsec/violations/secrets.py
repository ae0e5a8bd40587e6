"""DJS100-109: secrets, debug, hosts."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class DebugEnabledViolation(Violation):
    """
    ``DEBUG`` is truthy in deployment settings.

    Reasoning:
        With ``DEBUG`` on, any error page shows the full traceback, local
        variables, the settings (with their values) and the SQL queries to
        whoever triggers it. Django also keeps every query in memory.

    Solution:
        Set ``DEBUG = False`` in deployment settings, or read it from the
        environment with a false default, so that a forgotten variable
        fails safe. Keep ``DEBUG = True`` in development modules
        (``settings/dev.py``, ``local.py``), which this rule does not judge.

    Configuration:
        Which modules are deployment settings: ``--djsec-deploy-settings``,
        ``--djsec-settings-patterns`` and ``--djsec-dev-patterns``; evaluate
        under set variables with ``--djsec-env DJANGO_DEBUG=0`` (these apply
        to every settings rule).

    Known problems:
        A value that cannot be decided statically (an unknown function's
        result, a required environment variable) is not reported.
        ``os.environ.get("DEBUG", "False")`` *is* reported: the string
        ``"False"`` is truthy.

    Example::

        # Correct:
        DEBUG = env.bool("DJANGO_DEBUG", default=False)

        # Wrong:
        DEBUG = True
        DEBUG = os.environ.get("DEBUG", "False")  # a non-empty string

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#debug
        - https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug

    .. versionadded:: 0.1.0
    """

    code = 100
    error_template = 'DEBUG is {value} in deployment settings{origin}; set DEBUG = False'
    scope = Scope.deploy
    severity = Severity.high
    django_ids = ('security.W018',)
    cwe = 489


@final
class HardcodedSecretKeyViolation(Violation):
    """
    ``SECRET_KEY`` is written in the source.

    Reasoning:
        Whoever reads the repository (contributors, CI logs, a leaked
        backup) can forge session cookies, password reset tokens and
        anything else Django signs. A literal default of an environment
        look-up is the same leak: it is what runs when the variable is
        forgotten.

    Solution:
        Read the key from the environment with no default, so that a
        missing key stops the deployment instead of running with a public
        one.

    Known problems:
        Only ``SECRET_KEY``; other credentials are DJS106.

    Example::

        # Correct:
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

        # Wrong:
        SECRET_KEY = "k3y-wr1tten-1n-th3-s0urce"
        SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "fallback-key")

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key
        - https://cwe.mitre.org/data/definitions/798.html

    .. versionadded:: 0.1.0
    """

    code = 101
    error_template = (
        'SECRET_KEY is written in the source{origin}; '
        'read it from the environment with no default'
    )
    scope = Scope.settings
    severity = Severity.critical
    cwe = 798


@final
class WeakSecretKeyViolation(Violation):
    """
    ``SECRET_KEY`` is missing, empty, short, repetitive, or Django's insecure placeholder.

    Reasoning:
        Django's signing (sessions, password resets, messages) is only as
        strong as the key. Django's own check requires at least 50
        characters, at least 5 distinct ones, and no ``django-insecure-``
        prefix (the key ``startproject`` generates for development).

    Solution:
        Generate a key with
        ``python -c "from django.core.management.utils import get_random_secret_key; print(get_random_secret_key())"``
        and provide it through the environment.

    Known problems:
        A key read from the environment with no default is unknown and not
        reported. The message never shows the key.

    Example::

        # Correct:
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

        # Wrong:
        SECRET_KEY = "django-insecure-3x@mple"
        SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")

    References:
        - https://docs.djangoproject.com/en/stable/ref/checks/#security
        - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key

    .. versionadded:: 0.1.0
    """

    code = 102
    error_template = (
        'SECRET_KEY {problem}{origin}; use a random key of at least 50 characters '
        'from the environment'
    )
    scope = Scope.deploy
    severity = Severity.high
    django_ids = ('security.W009',)
    cwe = 330


@final
class WeakSecretKeyFallbackViolation(Violation):
    """
    An entry of ``SECRET_KEY_FALLBACKS`` fails the ``SECRET_KEY`` strength test.

    Reasoning:
        Django accepts signatures made with any fallback key, so a weak
        fallback is as bad as a weak ``SECRET_KEY``.

    Solution:
        Remove old keys once their sessions expired, and keep only long
        random keys, read from the environment.

    Known problems:
        Entries that cannot be decided statically are not reported.

    Example::

        # Correct:
        SECRET_KEY_FALLBACKS = env.list("DJANGO_OLD_SECRET_KEYS", default=[])

        # Wrong:
        SECRET_KEY_FALLBACKS = ["django-insecure-old"]

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key-fallbacks

    .. versionadded:: 0.1.0
    """

    code = 103
    error_template = (
        'SECRET_KEY_FALLBACKS[{index}] {problem}{origin}; remove it or use a random key '
        'of at least 50 characters'
    )
    scope = Scope.deploy
    severity = Severity.high
    django_ids = ('security.W025',)
    cwe = 330


@final
class EmptyAllowedHostsViolation(Violation):
    """
    ``ALLOWED_HOSTS`` is empty in deployment settings.

    Reasoning:
        With ``DEBUG = False`` Django answers every request with
        "400 Bad Request" when ``ALLOWED_HOSTS`` is empty: the deployment
        is broken, or someone "fixes" it with ``["*"]``.

    Solution:
        List the host names the site serves, from the environment.

    Known problems:
        ``os.environ.get("HOSTS", "").split(",")`` is ``[""]``, not empty:
        Django does not warn, and neither do we.

    Example::

        # Correct:
        ALLOWED_HOSTS = ["www.example.com"]

        # Wrong:
        ALLOWED_HOSTS = []

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts

    .. versionadded:: 0.1.0
    """

    code = 104
    error_template = (
        'ALLOWED_HOSTS is empty in deployment settings{origin}; '
        'list the host names the site serves'
    )
    scope = Scope.deploy
    severity = Severity.medium
    django_ids = ('security.W020',)
    cwe = 16


@final
class WildcardAllowedHostsViolation(Violation):
    """
    ``ALLOWED_HOSTS`` contains ``"*"``: any ``Host`` header is accepted.

    Reasoning:
        Django builds absolute URLs (password reset e-mails, redirects)
        from the ``Host`` header. Accepting any host enables host header
        poisoning: a reset link pointing to the attacker's domain.

    Solution:
        List the exact host names, or a leading-dot domain
        (``".example.com"``) for subdomains.

    Known problems:
        Some platforms validate the host at a proxy; the header still
        reaches Django unchecked if the proxy is ever bypassed.

    Example::

        # Correct:
        ALLOWED_HOSTS = [".example.com"]

        # Wrong:
        ALLOWED_HOSTS = ["*"]

    References:
        - https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation
        - https://cwe.mitre.org/data/definitions/644.html

    .. versionadded:: 0.1.0
    """

    code = 105
    error_template = (
        "ALLOWED_HOSTS contains '*'{origin}: any Host header is accepted; "
        'list the host names the site serves'
    )
    scope = Scope.deploy
    severity = Severity.medium
    cwe = 644


@final
class HardcodedCredentialViolation(Violation):
    """
    A credential is written in the settings source.

    Reasoning:
        Database passwords, e-mail passwords, API keys and tokens in the
        repository are readable by everyone who can read the code and
        stay in its history forever.

    Solution:
        Read them from the environment (or a secrets manager) with no
        default.

    Known problems:
        Fires on ``DATABASES[*]["PASSWORD"]``, ``EMAIL_HOST_PASSWORD``, and
        settings whose names end in ``PASSWORD``, ``SECRET``, ``SECRET_KEY``
        (other than ``SECRET_KEY``, DJS101), ``TOKEN`` or ``API_KEY``, when
        the value is a non-empty string written in the source (a literal,
        or a literal default of an environment look-up). The message never
        shows the value. A password inside a dict literal is reported on its
        key's line (``"PASSWORD": "x"``), so ``# noqa: DJS106`` goes there.

    Example::

        # Correct:
        EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]

        # Wrong:
        EMAIL_HOST_PASSWORD = "hunter2"

    References:
        - https://cwe.mitre.org/data/definitions/798.html

    .. versionadded:: 0.1.0
    """

    code = 106
    error_template = (
        '{setting} is a credential written in the source{origin}; '
        'read it from the environment with no default'
    )
    scope = Scope.settings
    severity = Severity.critical
    cwe = 798


@final
class DebugPropagateExceptionsViolation(Violation):
    """
    ``DEBUG_PROPAGATE_EXCEPTIONS`` is truthy in deployment settings.

    Reasoning:
        Django then lets exceptions escape to the WSGI/ASGI server instead
        of rendering its 500 page; many servers show the traceback to the
        client.

    Solution:
        Remove the setting or set it to ``False`` in deployment settings.

    Known problems:
        None known.

    Example::

        # Correct:
        DEBUG_PROPAGATE_EXCEPTIONS = False

        # Wrong:
        DEBUG_PROPAGATE_EXCEPTIONS = True

    References:
        - https://docs.djangoproject.com/en/stable/ref/settings/#debug-propagate-exceptions

    .. versionadded:: 0.1.0
    """

    code = 107
    error_template = 'DEBUG_PROPAGATE_EXCEPTIONS is {value}{origin}; set it to False in deployment'
    scope = Scope.deploy
    severity = Severity.medium
    cwe = 209
