from .settings_global import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
