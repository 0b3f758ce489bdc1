"""Running the real `tinystudio` command in a child process, damaging a stored variant as a bad disk or an
older release would leave it, and finding emulators a test started."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def tinystudio(*argv: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `python -m tinystudio ARGV` in a child process (a crash there cannot take the tests down)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "tinystudio", *argv], capture_output=True, text=True,
                          timeout=timeout, env=env)


def damage_stored_variant(project: Path, variant_id: int, data: bytes) -> None:
    """Overwrite a variant's stored .tflite bytes in the project file, below the store's checks."""
    with sqlite3.connect(project) as conn:
        assert conn.execute("UPDATE variants SET tflite = ? WHERE id = ?", (data, variant_id)).rowcount == 1
    conn.close()


def emulators_mentioning(text: str) -> list[str]:
    """Command lines of running QEMU processes that mention ``text``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "qemu-system" in args and text in args:
            found.append(args)
    return found
