#!/usr/bin/env bash
# Build the self-contained desktop bundle with PyInstaller (about 2 GB, a few minutes):
#
#   bash packaging/build-bundle.sh [DIST]    # the app lands in DIST/tinystudio/ (default: dist/)
#
# PyInstaller's scratch folder (build/bundle-work, gitignored) is removed afterwards. TINYSTUDIO_VENV names
# an existing environment to build with instead of setting up .venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$(realpath -m "${1:-$ROOT/dist}")"
VENV="${TINYSTUDIO_VENV:-$ROOT/.venv}"
WORK="$ROOT/build/bundle-work"
if [ -z "${TINYSTUDIO_VENV:-}" ]; then
  bash "$ROOT/packaging/setup.sh" setup
fi
trap 'rm -rf "$WORK"' EXIT
started=$(date +%s)
# the checkout first on the path, so the bundle holds this tree's code whatever the environment has installed
PYTHONPATH="$ROOT" "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/tinystudio.spec"
echo "built $DIST/tinystudio/tinystudio: $(du -sh "$DIST/tinystudio" | cut -f1) in $(( $(date +%s) - started )) s"
