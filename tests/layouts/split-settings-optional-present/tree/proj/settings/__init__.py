from split_settings.tools import include, optional

include(
    "components/*.py",
    optional("environments/production.py"),
    optional("local_settings.py"),
)
