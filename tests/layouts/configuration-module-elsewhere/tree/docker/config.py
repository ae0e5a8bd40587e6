"""The container's own configuration: what proj/settings.py reads from it."""

DEBUG = True
SECRET_KEY = "docker-only"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
