import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "proj.urls"
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
