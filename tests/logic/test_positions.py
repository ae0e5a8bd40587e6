"""Where a finding about a key inside a dict setting goes: the line that wrote the key."""

from __future__ import annotations

import ast

import pytest

from flake8_djsec.logic.positions import key_line

LITERAL = 'DATABASES = {\n    "default": {\n        "PASSWORD": "x",\n    },\n}\n'
KEYS = ('default', 'PASSWORD')


@pytest.mark.parametrize(('after', 'expected'), [
    ('', 3),
    ('DATABASES["default"]["HOST"] = "db"\n', 3),
    ('DATABASES["default"].update({"PORT": "5432"})\n', 3),
    ('DATABASES["default"]["PASSWORD"] = "y"\n', 6),
    ('DATABASES["default"].update({\n    "PASSWORD": "y",\n})\n', 7),
    ('DATABASES["default"] = {"PASSWORD": "y"}\n', 6),
    ('DATABASES["default"].update(load())\n', None),  # written by what we do not read
    ('DATABASES["default"] = load()\n', None),
    ('print(DATABASES)\n', 3),
])
def test_the_last_statement_that_wrote_the_key(after: str, expected: int | None) -> None:
    """Statements that change other keys are read back past; the key's own writer decides."""
    source = LITERAL + after
    tree = ast.parse(source)
    last = tree.body[-1].lineno
    assert key_line(tree, last, KEYS, 'DATABASES') == expected
