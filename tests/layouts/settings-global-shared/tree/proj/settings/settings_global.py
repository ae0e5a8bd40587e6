import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True
ROOT_URLCONF = "proj.urls"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
