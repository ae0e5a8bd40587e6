from .base import *  # noqa
from .base import INSTALLED_APPS  # noqa

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_SSL_REDIRECT = True
CSRF_COOKIE_SECURE = True
