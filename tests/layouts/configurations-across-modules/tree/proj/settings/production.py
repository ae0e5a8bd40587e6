from .common import Common
from .mixins import SecureCookies


class Production(SecureCookies, Common):
    ALLOWED_HOSTS = ["shop.example.com"]
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"object-src": ["'none'"], "base-uri": ["'none'"]}}
