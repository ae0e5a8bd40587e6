import contextlib

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = True

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
