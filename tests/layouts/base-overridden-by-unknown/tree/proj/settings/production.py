import os

from .base import *  # noqa: F403

# Required: the deployment cannot start without it.
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
