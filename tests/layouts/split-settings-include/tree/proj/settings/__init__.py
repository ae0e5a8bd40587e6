from split_settings.tools import include, optional

include(
    "components/common.py",
    "components/hardening.py",
    optional("components/local.py"),
)
