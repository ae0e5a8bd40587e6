"""DJS151-159: authentication."""

from __future__ import annotations

from typing import final

from flake8_djsec.violations.base import Scope, Severity, Violation


@final
class BruteForceProtectionMissingViolation(Violation):
    """
    ``django.contrib.auth`` is installed and no login brute-force protection is.

    Reasoning:
        Django's login views (the admin's included) accept any number of
        password attempts: nothing slows down credential stuffing or a
        dictionary attack on one account.

    Solution:
        Install a lockout or rate-limit app and wire it: django-axes
        (``"axes"``, its middleware and backend), django-defender
        (``"defender"`` and its middleware) or django-allauth's account app,
        whose login rate limits are on by default.

    Known problems:
        Counts as protection: the apps ``axes``, ``defender``,
        ``allauth.account``, ``cerberus``, ``account_locker``,
        ``BruteBuster``, ``ratelimitbackend`` and ``django_ratelimit``
        (whose decorators we cannot see), their middleware, and the
        ``ratelimitbackend`` authentication backend. A limit enforced by
        your own views, a proxy or a WAF is invisible: silence the code
        then. Silent when ``INSTALLED_APPS`` or ``AUTHENTICATION_BACKENDS``
        cannot be decided (an undecided ``MIDDLEWARE`` entry is taken for
        no protection: each package above needs its app or backend too), when
        ``AUTHENTICATION_BACKENDS`` holds only remote-user backends (no
        password is checked), and when django-axes or allauth's limits are
        turned off by a setting we cannot decide.

    Example::

        # Correct:
        INSTALLED_APPS = [..., "django.contrib.auth", "axes"]

        # Wrong:
        INSTALLED_APPS = [..., "django.contrib.auth"]

    References:
        - https://django-axes.readthedocs.io/en/latest/2_installation.html
        - https://django-defender.readthedocs.io/
        - https://docs.allauth.org/en/latest/account/rate_limits.html
        - https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks
        - https://cwe.mitre.org/data/definitions/307.html

    .. versionadded:: 0.1.0
    """

    code = 151
    error_template = (
        'django.contrib.auth is installed and no login brute-force protection is on{problem}; '
        'install and wire django-axes or django-defender'
    )
    scope = Scope.deploy
    severity = Severity.medium
    cwe = 307


@final
class AxesNotWiredViolation(Violation):
    """
    django-axes is installed but not wired: its middleware or its backend is missing.

    Reasoning:
        django-axes 5 and later count failed logins in
        ``axes.backends.AxesStandaloneBackend``, which must come first in
        ``AUTHENTICATION_BACKENDS``: after ``ModelBackend`` a correct password
        logs a locked-out attacker in before axes is asked. Its check
        axes.W002 asks for ``axes.middleware.AxesMiddleware``, which turns a
        lockout into a response.

    Solution:
        Put ``"axes.backends.AxesStandaloneBackend"`` first in
        ``AUTHENTICATION_BACKENDS`` and add ``"axes.middleware.AxesMiddleware"``
        (last) to ``MIDDLEWARE``.

    Known problems:
        The older ``axes.backends.AxesBackend`` counts as the backend. A
        first backend of your project's own (which may subclass
        ``AxesStandaloneBackend``) keeps the code quiet; a first backend from
        Django or a well-known package (allauth, social-auth, guardian,
        django-auth-ldap, ...) does not. django-axes' own check
        (axes.W003) accepts the backend in any position; we ask for the
        first, as its documentation does.

    Example::

        # Correct:
        AUTHENTICATION_BACKENDS = [
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
        ]
        MIDDLEWARE = [..., "axes.middleware.AxesMiddleware"]

        # Wrong:
        INSTALLED_APPS = [..., "axes"]  # and nothing else

    References:
        - https://django-axes.readthedocs.io/en/latest/2_installation.html
        - https://cwe.mitre.org/data/definitions/307.html

    .. versionadded:: 0.1.0
    """

    code = 152
    error_template = 'django-axes is installed but not wired: {problem}'
    scope = Scope.deploy
    severity = Severity.medium
    cwe = 307


@final
class WeakPasswordHasherViolation(Violation):
    """
    The first entry of ``PASSWORD_HASHERS`` is a weak hasher.

    Reasoning:
        Django hashes every new password with the first hasher. MD5 and SHA1
        are fast (billions of guesses a second on one GPU), the unsalted ones
        fall to precomputed tables, and ``crypt`` keeps only eight characters
        of DES: a leaked table of these hashes is a list of passwords.

    Solution:
        Remove the setting (Django's default starts with PBKDF2) or put
        ``Argon2PasswordHasher``, ``ScryptPasswordHasher`` or
        ``PBKDF2PasswordHasher`` first; keep an old hasher later in the list
        only to read old hashes, which Django upgrades at the next login.

    Known problems:
        Judges Django's own hashers (``MD5PasswordHasher``,
        ``UnsaltedMD5PasswordHasher``, ``SHA1PasswordHasher``,
        ``UnsaltedSHA1PasswordHasher``, ``CryptPasswordHasher``); a hasher
        class of your own is not inspected. The fast MD5 hasher of test
        settings is fine: development settings report nothing.

    Example::

        # Correct:
        PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]

        # Wrong:
        PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    References:
        - https://docs.djangoproject.com/en/stable/topics/auth/passwords/#how-django-stores-passwords
        - https://cwe.mitre.org/data/definitions/916.html

    .. versionadded:: 0.1.0
    """

    code = 153
    error_template = (
        'PASSWORD_HASHERS starts with {value} ({weakness}); put Argon2PasswordHasher, '
        'ScryptPasswordHasher or PBKDF2PasswordHasher first'
    )
    scope = Scope.settings
    severity = Severity.medium
    cwe = 916


@final
class PasswordValidatorsMissingViolation(Violation):
    """
    ``django.contrib.auth`` is installed and ``AUTH_PASSWORD_VALIDATORS`` is empty.

    Reasoning:
        Django's default is no validator at all: ``"1"``, ``"password"`` and
        the user's own name are accepted as passwords by the admin, the
        password change form and ``createsuperuser``.

    Solution:
        Set ``AUTH_PASSWORD_VALIDATORS`` as ``startproject`` writes it:
        ``UserAttributeSimilarityValidator``, ``MinimumLengthValidator``,
        ``CommonPasswordValidator`` and ``NumericPasswordValidator``.

    Known problems:
        Projects whose users only sign in through single sign-on set no
        password: silence the code then. A missing setting is reported at
        the top of the deployment module, on its first line no bare ``# noqa``
        covers (``# noqa: DJS154`` in its imports silences it).

    Example::

        # Correct:
        AUTH_PASSWORD_VALIDATORS = [
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        ]

        # Wrong:
        AUTH_PASSWORD_VALIDATORS = []

    References:
        - https://docs.djangoproject.com/en/stable/topics/auth/passwords/#module-django.contrib.auth.password_validation
        - https://cwe.mitre.org/data/definitions/521.html

    .. versionadded:: 0.1.0
    """

    code = 154
    error_template = (
        'AUTH_PASSWORD_VALIDATORS is empty{origin}: any password is accepted; '
        'add Django\'s validators'
    )
    scope = Scope.deploy
    severity = Severity.medium
    cwe = 521
