"""
The sessions of ``scripts/test.sh``: the test suite on each supported Python, and the linters.

``tests-3.10`` ... ``tests-3.13``: one environment per interpreter (``.nox/tests-3-12``) with
flake8-djsec installed editable with its ``test`` extra only (no linters, no Django: the
parity test runs Django in the environments of ``scripts/parity.sh``), then pytest; nox's
arguments after ``--`` go to pytest. The primary interpreter (3.11, the ``python3`` of the
project's machines) runs the parity test with its full corpus; the others run it with
``MATRIX_PARITY_EXAMPLES`` modules per Django series, so the plugin side of the comparison runs
on every interpreter without repeating the whole corpus four times.

``lint``: flake8 with wemake-python-styleguide over ``flake8_djsec/``, then ``mypy --strict``
once for each supported Python version (``--python-version``), in an environment of its own
(``.[lint]``), on the interpreter running nox.

``scripts/test.sh`` finds the interpreters (``PATH``, then pyenv's versions), selects the
sessions of those it found and says which it skipped; ``nox -s tests-3.12 -- tests/test_rules.py``
works directly where ``python3.12`` is on ``PATH``.
"""

from __future__ import annotations

import os

import nox

PYTHONS = ('3.10', '3.11', '3.12', '3.13')
PRIMARY = '3.11'
#: Parity modules per Django series on the non-primary interpreters (the primary: the default).
MATRIX_PARITY_EXAMPLES = '1000'

nox.options.reuse_venv = 'yes'
nox.options.error_on_external_run = True


@nox.session(python=PYTHONS, download_python='never')
def tests(session: nox.Session) -> None:
    """The test suite on one interpreter."""
    session.install('--disable-pip-version-check', '--quiet', '-e', '.[test]')
    env = {}
    if session.python != PRIMARY:
        env['DJSEC_PARITY_EXAMPLES'] = os.environ.get('DJSEC_MATRIX_PARITY_EXAMPLES', MATRIX_PARITY_EXAMPLES)
    session.run('python', '-m', 'pytest', *session.posargs, env=env)


@nox.session(download_python='never')
def lint(session: nox.Session) -> None:
    """wemake-python-styleguide and mypy --strict over the package."""
    session.install('--disable-pip-version-check', '--quiet', '-e', '.[lint]')
    session.run('flake8', 'flake8_djsec')
    for version in PYTHONS:
        session.run('mypy', '--strict', '--python-version', version, 'flake8_djsec')
