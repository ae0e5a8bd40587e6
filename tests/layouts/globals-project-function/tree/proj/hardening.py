SECURE_DEFAULTS = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def harden(namespace):
    for name, setting in SECURE_DEFAULTS.items():
        namespace[name] = setting
    namespace.setdefault("SECURE_SSL_REDIRECT", True)
