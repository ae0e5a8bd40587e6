import os

from proj import app_config

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
ROOT_URLCONF = "proj.urls"
DATABASES = app_config.DATABASES
FEATURES = app_config.FEATURES
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
