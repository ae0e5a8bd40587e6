from os import environ

from split_settings.tools import include, optional

environ.setdefault("DJANGO_ENV", "production")
_ENV = environ["DJANGO_ENV"]

_base_settings = (
    "components/common.py",
    "environments/{0}.py".format(_ENV),
    optional("environments/local.py"),
)

include(*_base_settings)
