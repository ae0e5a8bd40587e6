from .dev import *  # noqa: F403

SECRET_KEY = None
