# Sourced by scripts/test.sh and scripts/parity.sh. find_python MINOR prints an interpreter of
# Python 3.MINOR that can make virtual environments: python3.MINOR on PATH, else
# `pyenv root`/versions/3.MINOR.*/bin/python3.MINOR (pyenv's shims run those only when selected,
# so they are called directly); it returns 1 when there is none.
pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")

find_python() {
  local candidate
  for candidate in "python3.$1" "$pyenv_root"/versions/3."$1".*/bin/python3."$1"; do
    if "$candidate" -c "import sys, venv; assert sys.version_info[:2] == (3, $1)" 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}
