#!/usr/bin/env bash
# Set up TinyStudio from a fresh clone, then open the app or run the test suite.
#
#   bash packaging/setup.sh app    # install what is missing, open the desktop app
#   bash packaging/setup.sh test   # install what is missing, run every test
#   bash packaging/setup.sh setup  # only install
#
# System packages come from apt-get (with sudo when not root) and only when missing; Python packages go
# into .venv at the repository root, pinned by requirements.lock. A second run finds everything in place
# and starts at once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
MODE="${1:-app}"
shift || true

APT_PACKAGES=(
  # building and running firmware: host board, Cortex-M toolchain, emulated bench board
  gcc libc6-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # Qt's runtime libraries and a virtual screen for machines without a display
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 xvfb xauth
  # xwininfo: CI times the bundle's window on the virtual screen (packaging/startup-time.sh)
  x11-utils
)
if [ "$MODE" = test ]; then
  # the report test renders the HTML report in a real browser engine (headless)
  APT_PACKAGES+=(chromium)
fi

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ! find_python >/dev/null; then
    missing+=(python3 python3-venv)
  elif ! "$(find_python)" -c "import ensurepip, venv" 2>/dev/null; then
    missing+=(python3-venv)
  fi
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  if ! command -v apt-get >/dev/null; then
    say "missing system packages: ${missing[*]} (install them with your package manager)"
    return
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    say "apt-get failed; finishing any interrupted package setup and trying once more"
    as_root dpkg --configure -a
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

find_python() {
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

install_python_packages() {
  local stamp="$VENV/.tinystudio-stamp" want
  want="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements.lock" | sha256sum | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  local python
  python="$(find_python)" || { say "Python 3.11 to 3.13 is needed (apt-get install python3 python3-venv)"; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $("$python" --version)"
    "$python" -m venv "$VENV"
  fi
  say "installing pinned Python packages (first time: a few minutes, about 2.6 GB)"
  "$VENV/bin/python" -m pip install -q --upgrade "pip==24.3.1"
  "$VENV/bin/python" -m pip install -q -c "$ROOT/requirements.lock" -e "$ROOT[dev]"
  echo "$want" > "$stamp"
}

setup() {
  install_system_packages
  install_python_packages
}

run_app() {
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    say "no display found: starting TinyStudio on a virtual screen (Xvfb)"
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$VENV/bin/tinystudio" "$@"
  fi
  exec "$VENV/bin/tinystudio" "$@"
}

run_tests() {
  cd "$ROOT"
  say "lint (ruff)"
  "$VENV/bin/ruff" check tinystudio tests packaging
  say "layer contracts (import-linter)"
  "$VENV/bin/lint-imports" --no-cache
  say "tests (pytest, Qt offscreen)"
  export QT_QPA_PLATFORM=offscreen
  local rc=0
  "$VENV/bin/python" -m pytest "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    say "pytest collected no tests"
  fi
  return "$rc"
}

case "$MODE" in
  setup) setup ;;
  app) setup; run_app "$@" ;;
  test) setup; run_tests "$@" ;;
  *) echo "usage: bash packaging/setup.sh [app|test|setup]" >&2; exit 2 ;;
esac
