SECRET_KEY = "django-insecure-only-for-development"
DEBUG = False
ROOT_URLCONF = "proj.urls"
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
