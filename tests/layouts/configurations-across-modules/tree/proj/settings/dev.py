from .common import Common


class Dev(Common):
    DEBUG = True
    SECRET_KEY = "dev"
