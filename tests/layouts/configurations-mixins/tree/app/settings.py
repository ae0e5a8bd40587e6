import os

from configurations import Configuration, values


class Core(Configuration):
    BASE_DIR = os.path.dirname(__file__)
    INSTALLED_APPS = ["django.contrib.sessions", "corsheaders"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware", "csp.middleware.CSPMiddleware",
    ]
    PERMISSIONS_POLICY = {"camera": []}


class CORS:
    CORS_ORIGIN_ALLOW_ALL = values.BooleanValue(True)
    CORS_URLS_REGEX = r"^/api/.*$"


class Base(Core, CORS):
    SECRET_KEY = values.SecretValue()
    ALLOWED_HOSTS = values.ListValue(["app.example.com"])
    SECURE_HSTS_SECONDS = values.IntegerValue(3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = values.BooleanValue(True)
    SECURE_HSTS_PRELOAD = values.BooleanValue(True)
    SECURE_SSL_REDIRECT = values.BooleanValue(True)
    SESSION_COOKIE_SECURE = values.BooleanValue(True)
    CSRF_COOKIE_SECURE = values.BooleanValue(True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "PASSWORD": values.Value("pass", environ_name="DB_PASSWORD", environ_prefix=None),
        },
    }

    @property
    def RELEASE(self):
        return os.environ.get("RELEASE", "dev")

    @classmethod
    def post_setup(cls):
        super().post_setup()


class Development(Base):
    DEBUG = True
    SECURE_SSL_REDIRECT = False


class Build(Base):
    SECRET_KEY = values.Value("DummyKey")


class Production(Base):
    SECURE_HSTS_SECONDS = values.IntegerValue(31536000)


class ProductionInsecure(Production):
    SECRET_KEY = values.Value("not a secret")
    ALLOWED_HOSTS = values.ListValue(["*"])


class Staging(Production):
    SESSION_COOKIE_SECURE = False
