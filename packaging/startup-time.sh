#!/usr/bin/env bash
# Seconds from starting TinyStudio until its main window is on screen, on a virtual X screen (Xvfb):
#
#   bash packaging/startup-time.sh COMMAND...    # e.g. dist/tinystudio/tinystudio, or .venv/bin/tinystudio
#
# It opens a new project in a temporary folder, with scratch settings and logs. Needs xvfb-run and xwininfo.
set -euo pipefail
if ! command -v xvfb-run >/dev/null || ! command -v xwininfo >/dev/null; then
  echo "startup-time: needs xvfb-run and xwininfo (apt-get install xvfb x11-utils)" >&2
  exit 2
fi
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
export XDG_CONFIG_HOME="$SCRATCH/config" XDG_STATE_HOME="$SCRATCH/state"
"$@" new "$SCRATCH/startup.tsproj" >/dev/null
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  project="$1"; shift
  start=$(date +%s%N)
  "$@" "$project" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    if xwininfo -root -tree 2>/dev/null | grep -q "\"TinyStudio — startup.tsproj\""; then
      end=$(date +%s%N)
      kill "$pid"; wait "$pid" 2>/dev/null || true
      ms=$(( (end - start) / 1000000 ))
      printf "window shown after %d.%03d s\n" $(( ms / 1000 )) $(( ms % 1000 ))
      exit 0
    fi
    sleep 0.05
  done
  kill "$pid"; echo "no window within 60 s" >&2; exit 1' _ "$SCRATCH/startup.tsproj" "$@"
