"""flake8-djsec: Django security misconfigurations as flake8 ``DJS`` errors."""

from importlib import metadata

try:
    __version__ = metadata.version('flake8-djsec')
except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
    __version__ = '0.0.0'
