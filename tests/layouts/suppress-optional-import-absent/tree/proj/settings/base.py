import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware", "csp.middleware.CSPMiddleware",
]
PERMISSIONS_POLICY = {"camera": []}
SECURE_HSTS_SECONDS = 3600
SESSION_COOKIE_SECURE = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {"default-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"]},
}
