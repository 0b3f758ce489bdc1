#!/usr/bin/env bash
# Check the desktop bundle as CI does: build it into build/bundle-check (gitignored), then, from a folder
# outside the checkout, time `--version` and the window on a virtual screen, run its selftest, print the
# figures, and delete the bundle again. The exit code is the selftest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/build/bundle-check"
ELSEWHERE="$(mktemp -d)"
trap 'rm -rf "$OUT" "$ELSEWHERE"' EXIT
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
seconds_since() { local ms=$(( ($(date +%s%N) - $1) / 1000000 )); printf "%d.%01d" $(( ms / 1000 )) $(( ms % 1000 / 100 )); }

say "building the desktop bundle"
started=$(date +%s%N)
bash "$ROOT/packaging/build-bundle.sh" "$OUT"
build_time=$(seconds_since "$started")
EXE="$OUT/tinystudio/tinystudio"
size=$(du -sh "$OUT/tinystudio" | cut -f1)

cd "$ELSEWHERE"
export XDG_CONFIG_HOME="$ELSEWHERE/config" XDG_STATE_HOME="$ELSEWHERE/state" TMPDIR="$ELSEWHERE"
unset PYTHONPATH
say "starting the bundle from $ELSEWHERE"
started=$(date +%s%N)
"$EXE" --version
version_time=$(seconds_since "$started")
window_time=$(bash "$ROOT/packaging/startup-time.sh" "$EXE" 2>&1 | tail -1) || window_time="not measured: $window_time"

say "the bundle's selftest"
started=$(date +%s%N)
rc=0
"$EXE" selftest || rc=$?
selftest_time=$(seconds_since "$started")

say "bundle figures"
echo "size             $size"
echo "build time       $build_time s"
echo "--version        $version_time s"
echo "window           $window_time"
echo "selftest         $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)") in $selftest_time s"
exit "$rc"
