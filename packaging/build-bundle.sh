#!/usr/bin/env bash
# Build the self-contained desktop bundle in dist/tinystudio/ (about 2 GB, a few minutes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/packaging/setup.sh" setup
cd "$ROOT"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/tinystudio.spec
echo "built dist/tinystudio/tinystudio"
