"""
Env files (``.env``, ``.envs/.production/.django``, what compose ``env_file:`` names).

Parsed with python-dotenv's parser (imported only when an env file is read):
quotes, ``export``, comments and multi-line values as it reads them, each binding
with its line. Values are interpolated in file order (``interpolation``);
single-quoted values are literal. A line the parser rejects, or a value that
cannot be decided, is unknown (said once, the variable left unset).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from flake8_djsec.logic.deployment.interpolation import interpolate
from flake8_djsec.logic.deployment.model import Variable
from flake8_djsec.logic.deployment.reading import Reading


def read(
    reading: Reading,
    path: str,
    loaded_by: str = '',
    known: Mapping[str, str] | None = None,
) -> list[Variable] | None:
    """Return the variables an env file sets, in order; None when it cannot be read."""
    text = reading.text(path)
    if text is None:
        return None
    from dotenv.parser import parse_stream  # noqa: WPS433 - lazily: only when an env file exists

    scope = dict(known or {})
    committed = reading.committed(path)
    found: list[Variable] = []
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.line
        if binding.error:
            reading.unknown(path, 'a line the env-file parser rejects', line)
            continue
        if binding.key is None or binding.value is None:
            continue
        value = binding.value if _single_quoted(binding.original.string) else interpolate(
            binding.value, scope, binding.key,
        )
        if value is None:
            reading.unknown(path, 'the value of {0} cannot be decided'.format(binding.key), line)
            scope.pop(binding.key, None)
            continue
        scope[binding.key] = value
        found.append(Variable(
            binding.key, value, reading.where(path, line), loaded_by, committed,
        ))
    return found


def _single_quoted(original: str) -> bool:
    _, _, raw = original.partition('=')
    return raw.lstrip().startswith("'")
