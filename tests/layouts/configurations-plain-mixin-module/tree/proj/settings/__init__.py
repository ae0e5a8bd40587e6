from configurations import Configuration

from .base import BaseSettings


class CommonConfiguration(BaseSettings, Configuration):
    pass


class Dev(CommonConfiguration):
    DEBUG = True


class Prod(CommonConfiguration):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
