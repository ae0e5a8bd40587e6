import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ROOT_URLCONF = "proj.urls"
ALLOWED_HOSTS = ["example.com"]
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
