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

