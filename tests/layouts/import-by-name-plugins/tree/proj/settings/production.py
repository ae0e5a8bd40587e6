import importlib

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = True

PLUGINS = ["proj.plugins.payments", "proj.plugins.missing"]
for plugin in PLUGINS:
    try:
        importlib.import_module(plugin)
        __import__(plugin)
    except ImportError:
        pass
