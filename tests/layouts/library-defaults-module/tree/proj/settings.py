import os

from mylib.conf.app_settings import *  # noqa: F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
ROOT_URLCONF = "proj.urls"
SESSION_COOKIE_SECURE = True
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
] + LIB_MIDDLEWARE  # noqa: F405
