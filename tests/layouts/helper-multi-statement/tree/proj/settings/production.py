from .base import *  # noqa: F403
from .env import env_flag, env_int

DEBUG = env_flag("DJANGO_DEBUG", "yes")
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT", "true")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", "no")
CSRF_COOKIE_SECURE = True
