"""Ending this test process's own child processes (a board process), as a pulled cable ends a board."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def kill_children() -> None:
    """SIGKILL every direct child of this process (found in /proc by its parent id)."""
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            os.kill(int(entry.name), signal.SIGKILL)
