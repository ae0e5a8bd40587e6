#!/usr/bin/env bash
# The test command (README.md; CI runs it through .ci/run). Through nox (noxfile.py):
#   1. .venv: a small environment with nox alone (pinned below), made with $PYTHON (python3).
#   2. scripts/parity.sh: the Django environments of the parity test, once for all interpreters.
#   3. The Python matrix: for each of 3.10 3.11 3.12 3.13, python3.X on PATH, else
#      `pyenv root`/versions/3.X.*/bin/python3.X. Each one found runs the nox session tests-3.X
#      (.nox/tests-3-X: flake8-djsec editable with the `test` extra, then pytest); each one not
#      found is reported SKIPPED with the reason. Under CI=true, no interpreter at all is an error.
#   4. The nox session lint (.nox/lint, the `lint` extra): flake8 with wemake-python-styleguide
#      over flake8_djsec/, and mypy --strict for each of Python 3.10 to 3.13.
# It ends with the interpreters that ran, those skipped, and the time of each session.
#
# Arguments go to pytest in every tests session. A subset, quickly, on one interpreter:
#   DJSEC_PYTHONS=3.11 DJSEC_LINT=0 bash scripts/test.sh tests/test_rules.py -x
# DJSEC_PYTHONS: the interpreters wanted (default "3.10 3.11 3.12 3.13").
# DJSEC_LINT=0: no lint session. DJSEC_MATRIX_PARITY_EXAMPLES: the parity corpus per Django
# series on the interpreters other than 3.11 (noxfile.py; 3.11 runs the full corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pythons.sh
source scripts/pythons.sh  # find_python, pyenv_root
python=${PYTHON:-python3}
venv=${VENV:-.venv}
nox_requirement=nox==2026.10.20
supported=(3.10 3.11 3.12 3.13)
wanted=${DJSEC_PYTHONS:-${supported[*]}}

echo "== nox ($nox_requirement) in $venv"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$nox_requirement"

echo "== Django environments for the parity test"
bash scripts/parity.sh

echo "== Python matrix"
# nox looks interpreters up on PATH: expose each one found as python3.X in one folder.
interpreters=.nox/.interpreters
rm -rf "$interpreters"
mkdir -p "$interpreters"
sessions=()
ran=()
skipped=()
for version in $wanted; do
  case " ${supported[*]} " in
    *" $version "*) ;;
    *) echo "matrix: Python $version is not supported (${supported[*]})" >&2; exit 2 ;;
  esac
  if found=$(find_python "${version#3.}"); then
    read -r full executable < <("$found" -c 'import sys; print(sys.version.split()[0], sys.executable)')
    ln -s "$executable" "$interpreters/python$version"
    echo "matrix: Python $version: $full ($executable)"
    sessions+=("tests-$version")
    ran+=("$version")
  else
    reason="no python$version on PATH or in $pyenv_root/versions"
    echo "matrix: Python $version SKIPPED: $reason"
    skipped+=("$version ($reason)")
  fi
done
if [ ${#sessions[@]} -eq 0 ]; then
  echo "matrix: no interpreter found of: $wanted" >&2
  exit 1
fi
if [ "${DJSEC_LINT:-1}" != 0 ]; then
  sessions+=(lint)
fi

status=0
PATH="$PWD/$interpreters:$PATH" "$venv/bin/nox" --download-python never \
  --sessions "${sessions[@]}" -- "$@" || status=$?

echo "== matrix: ran on Python ${ran[*]}"
if [ ${#skipped[@]} -eq 0 ]; then
  echo "== matrix: skipped none"
else
  printf '== matrix: skipped Python %s\n' "${skipped[@]}"
fi
if [ "$status" -ne 0 ]; then
  echo "== FAILED (nox exit status $status; its summary above names the failed sessions)"
  exit "$status"
fi
echo "== all checks passed"
