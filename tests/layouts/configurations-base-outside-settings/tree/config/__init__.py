from .local import Local  # noqa: F401
from .production import Production  # noqa: F401
