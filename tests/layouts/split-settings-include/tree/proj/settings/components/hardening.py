# Run after common.py by include(): its names are already bound here.
DEBUG = False
ALLOWED_HOSTS = ["app.example.org"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = True
MIDDLEWARE += ["django.middleware.common.CommonMiddleware"]  # noqa: F821
