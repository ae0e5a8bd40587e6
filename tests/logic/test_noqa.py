"""Where missing-setting findings go: the line flake8's ``# noqa`` rules leave visible."""

from __future__ import annotations

import argparse
import ast
import textwrap

import pytest
from flake8.processor import FileProcessor

from flake8_djsec.logic.noqa import codes_of, hides_everything, home_line, names_ours, noqa_text


def home(source: str, start: int = 1) -> int:
    """The home line of a dedented module."""
    text = textwrap.dedent(source)
    return home_line(text, ast.parse(text), start)


@pytest.mark.parametrize(('text', 'expected'), [
    ('x = 1\n', None),
    ('x = 1  # noqa\n', frozenset()),
    ('x = 1  # NOQA\n', frozenset()),
    ('x = 1  # noqa: F403\n', frozenset({'F403'})),
    ('x = 1  # noqa:F403,DJS111\n', frozenset({'F403', 'DJS111'})),
    ('x = 1  # noqa: F403 DJS1\n', frozenset({'F403', 'DJS1'})),
    # Codes need digits: ``# noqa: DJS`` and ``# noqa : F403`` are bare for flake8.
    ('x = 1  # noqa: DJS\n', frozenset()),
    ('x = 1  # noqa : F403\n', frozenset()),
    ('x = 1  # noqa - star import\n', frozenset()),
])
def test_codes_as_flake8_reads_them(text: str, expected: frozenset[str] | None) -> None:
    """flake8's pattern: letters then digits after ``# noqa:``, else a bare noqa."""
    assert codes_of(text) == expected


def test_bare_and_ours() -> None:
    """A bare noqa hides everything; a noqa naming a DJS code or prefix is ours."""
    assert hides_everything('from .base import *  # noqa\n')
    assert not hides_everything('from .base import *  # noqa: F403\n')
    assert names_ours('x  # noqa: F403, DJS111\n')
    assert names_ours('x  # noqa: DJS1\n')
    assert not names_ours('x  # noqa: F403\n')
    assert not names_ours('x  # noqa\n')


SOURCES = (
    'from .base import (\n    A,\n)  # noqa\nx = 1\n',
    'X = """\nline\n"""  # noqa\nY = 1  # noqa: F401\n',
    'from .base import *  # noqa\n\n\nclass A:\n    B = 1\n',
    'x = (1 +\n     2)  # noqa: E501\n',
    'def f(\n    a,\n):  # noqa\n    return a\n',
)


@pytest.mark.parametrize('source', SOURCES)
def test_noqa_text_is_flake8s(source: str) -> None:
    """The text searched for each line is what flake8's FileProcessor searches."""
    lines = source.splitlines(keepends=True)
    options = argparse.Namespace(
        hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None,
        verbose=0, disable_noqa=False,
    )
    processor = FileProcessor('x.py', options, lines=list(lines))
    mapping = noqa_text(lines)
    for number in range(1, len(lines) + 1):
        assert mapping.get(number) == processor.noqa_line_for(number)


def test_multi_line_string_shares_its_noqa() -> None:
    """A multi-line string is one range: the noqa after it covers each of its lines."""
    mapping = noqa_text(['X = """\n', 'text\n', '"""  # noqa\n', 'x = 1\n'])
    assert hides_everything(mapping[1])
    assert hides_everything(mapping[2])
    assert not hides_everything(mapping[4])


@pytest.mark.parametrize(('source', 'expected'), [
    ('from .base import *\nDEBUG = False\n', 1),
    ('from .base import *  # noqa: F403\nDEBUG = False\n', 1),
    ('from .base import *  # noqa\nDEBUG = False\n', 2),
    ('from .base import *  # noqa\nfrom .base import A  # noqa\n\nDEBUG = False\n', 3),
    # flake8 looks on each line of a bracketed statement alone: only the noqa'd line is hidden.
    ('from .base import (  # noqa\n    A,\n)  # noqa\nDEBUG = False\n', 2),
    ('X = """\nProduction.\n"""  # noqa\nDEBUG = False\n', 4),
    ('"""Production."""\nfrom .base import *  # noqa\n', 1),
    # Ours, in the head, wins over an earlier line that no bare noqa covers.
    ('"""Production."""\nfrom .base import *  # noqa\n# noqa: DJS111 - HSTS at the proxy\nX = 1\n', 3),
    ('from .base import *  # noqa: F403, DJS111\nDEBUG = False\n', 1),
    # Past the head, a DJS noqa is a value's own (``# noqa: DJS101`` on a key): not the home.
    ('from .base import *\nSECRET_KEY = "x"  # noqa: DJS101\n', 1),
    # Every line hidden: the user silenced the module, line 1 it stays.
    ('from .base import *  # noqa\n', 1),
    ('', 1),
])
def test_module_home(source: str, expected: int) -> None:
    """The first line no bare noqa covers, or the head's line whose noqa names our codes."""
    assert home(source) == expected


def test_class_home_moves_past_a_bare_noqa() -> None:
    """A configuration class's line with a bare noqa: its next line."""
    source = 'import x\n\n\nclass Production(Base):  # noqa\n    DEBUG = False\n'
    assert home(source, 4) == 5
    assert home(source.replace('  # noqa', ''), 4) == 4
