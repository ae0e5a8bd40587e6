INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
]
PERMISSIONS_POLICY = {"camera": []}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {"default-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"]},
}
