"""The application's own configuration, which settings.py reads."""

DEBUG = True
SECRET_KEY = "not-the-django-secret-key"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "app.sqlite3"}}
FEATURES = ["search"]
