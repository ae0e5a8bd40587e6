import os


def env_flag(name, default):
    raw = os.getenv(name, default).lower()
    if raw in ("1", "true", "yes"):
        return True
    return False


def env_int(name, default):
    try:
        return int(os.environ[name])
    except (KeyError, ValueError):
        return default
