from configurations import Configuration, values


class Common(Configuration):
    SECRET_KEY = values.SecretValue()
    DEBUG = values.BooleanValue(False)
    ALLOWED_HOSTS = values.ListValue(["localhost"])
    INSTALLED_APPS = ["django.contrib.sessions"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware", "csp.middleware.CSPMiddleware",
    ]
    PERMISSIONS_POLICY = {"camera": []}
    SECURE_HSTS_SECONDS = values.IntegerValue(3600)
    SESSION_COOKIE_SECURE = False


class Dev(Common):
    DEBUG = True
    SECRET_KEY = "dev"


class Staging(Dev):
    ALLOWED_HOSTS = ["*"]


class Production(Common):
    ALLOWED_HOSTS = ["shop.example.com"]
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_COOKIE_SECURE = True
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"object-src": ["'none'"], "base-uri": ["'none'"]}}
