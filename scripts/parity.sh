#!/usr/bin/env bash
# Build one virtual environment per supported Django series for the differential parity
# test (tests/parity/): django42, django52, django60, django61 under $DJSEC_PARITY_VENVS
# (default ~/.cache/flake8-djsec-parity, kept across clones like a CI cache), each with that
# Django from PyPI, the environment libraries the generated modules use (django-environ,
# python-decouple) and the settings libraries layouts load (django-split-settings'
# include(), django-configurations' classes; tests/layouts/), each pinned to a release that
# supports every series. An interpreter
# is looked for on PATH and under `pyenv root`; a series with none is skipped, and this
# script says which and why. Existing environments are reused (one that lacks a library
# of the list gets it installed in place: no rebuild, nothing removed under a running test);
# missing ones are built in
# parallel, one builder per series at a time (flock). DJSEC_PARITY_SERIES="5.2 6.1" limits
# the series.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pythons.sh
source scripts/pythons.sh  # find_python, pyenv_root
libraries=(django-environ==0.14.0 python-decouple==3.8 django-split-settings==1.3.2 django-configurations==2.5.1)
# series, then the Python 3 minor versions it supports, preferred first
table=(
  "4.2 11 10 12"
  "5.2 11 12 13 10"
  "6.0 12 13"
  "6.1 13 12"
)
wanted=${DJSEC_PARITY_SERIES:-4.2 5.2 6.0 6.1}
root=${DJSEC_PARITY_VENVS:-${XDG_CACHE_HOME:-$HOME/.cache}/flake8-djsec-parity}
mkdir -p "$root"
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

describe() {  # the Django and Python of a virtual environment
  "$1/bin/python" -c 'import django, sys; print(django.get_version(), "on Python", sys.version.split()[0])'
}

build() {  # series venv probe python: create the environment, install Django
  local series=$1 venv=$2 probe=$3 python=$4 log="$reports/$1.log"
  rm -rf "$venv"
  if "$python" -m venv "$venv" >"$log" 2>&1 \
    && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "django==$series.*" "${libraries[@]}" >>"$log" 2>&1 \
    && "$venv/bin/python" -c "$probe" >>"$log" 2>&1; then
    echo "parity: Django $series in $venv ($(describe "$venv"), built)"
  else
    rm -rf "$venv"
    echo "parity: Django $series SKIPPED: could not install django==$series.* with $python:"
    tail -n 5 "$log" | sed 's/^/parity:   /'
  fi
}

prepare() {  # series minors: reuse or build the series' environment
  local series=$1 minors=$2 venv="$root/django${1/./}" python="" version
  local same="import django; assert django.VERSION[:2] == (${series%.*}, ${series#*.})"
  local probe="import environ, decouple, split_settings.tools, configurations.importer; $same"
  exec 9>"$root/django${series/./}.lock"
  flock 9
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$probe" 2>/dev/null; then
    echo "parity: Django $series in $venv ($(describe "$venv"))"
    return
  fi
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$same" 2>/dev/null \
    && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "${libraries[@]}" >"$reports/$series.log" 2>&1 \
    && "$venv/bin/python" -c "$probe" 2>/dev/null; then
    echo "parity: Django $series in $venv ($(describe "$venv"), libraries added)"
    return
  fi
  for version in $minors; do
    python=$(find_python "$version") && break
  done
  if [ -z "$python" ]; then
    echo "parity: Django $series SKIPPED: no Python 3.{${minors// /,}} on PATH or in $pyenv_root/versions"
    return
  fi
  build "$series" "$venv" "$probe" "$python"
}

for row in "${table[@]}"; do
  read -r series minors <<<"$row"
  case " $wanted " in *" $series "*) ;; *) continue ;; esac
  prepare "$series" "$minors" >"$reports/$series.out" &
done
wait
cat "$reports"/*.out 2>/dev/null
echo "parity: $(grep -L SKIPPED "$reports"/*.out 2>/dev/null | wc -l) Django series ready"
