from configurations import values

from .common import Common


class Production(Common):
    ALLOWED_HOSTS = ["shop.example.com"]
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = values.IntegerValue(31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
