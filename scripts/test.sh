#!/usr/bin/env bash
# Set up a virtual environment, install flake8-djsec with its test and lint extras,
# then run the test suite, wemake-python-styleguide and mypy --strict over the package.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
venv=${VENV:-.venv}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test,lint]"
echo "== Django environments for the parity test"
bash scripts/parity.sh
echo "== pytest"
"$venv/bin/python" -m pytest "$@"
echo "== flake8 with wemake-python-styleguide over flake8_djsec/"
"$venv/bin/flake8" flake8_djsec
echo "== mypy --strict"
"$venv/bin/mypy" --strict flake8_djsec
echo "== all checks passed"
