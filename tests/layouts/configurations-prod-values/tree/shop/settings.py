from configurations import Configuration, values


class Base(Configuration):
    SECRET_KEY = values.SecretValue()
    DEBUG = values.BooleanValue(True)
    ALLOWED_HOSTS = values.ListValue(["localhost"])
    INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.sessions"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
        "csp.middleware.CSPMiddleware",
    ]
    PERMISSIONS_POLICY = {"microphone": []}
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"object-src": ["'none'"], "base-uri": ["'none'"]}}


class Prod(Base):
    DEBUG = values.BooleanValue(False)
    ALLOWED_HOSTS = values.ListValue(["shop.example.com"])
    SECURE_HSTS_SECONDS = values.IntegerValue(600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = values.BooleanValue(True)
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = values.BooleanValue(True)
    SESSION_COOKIE_SECURE = values.BooleanValue(False)
    CSRF_COOKIE_SECURE = True


class Dev(Base):
    SECRET_KEY = "dev-only"
    ALLOWED_HOSTS = ["*"]
