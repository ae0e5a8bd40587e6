from acme_defaults.django import *  # noqa: F403

ALLOWED_HOSTS = ["web.example.com"]
