"""Files a board process reads while it runs (a test set placed in emulated memory, a sensor tape), named by
the process that made them, so that a later launch removes those of a process that is gone: a process killed
outright (SIGKILL, power cut) cannot remove its own, and each can be megabytes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def sweep(folder: Path, kind: str) -> None:
    """Remove ``kind`` files in ``folder`` left by processes that no longer run."""
    for path in Path(folder).glob(f"{kind}-*-*.bin"):
        owner = path.name[len(kind) + 1:].split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not _alive(int(owner)):
            with contextlib.suppress(OSError):
                path.unlink()


def board_file(folder: Path, kind: str, data: bytes) -> Path:
    """Write ``data`` to a new ``kind`` file in ``folder`` named by this process (stale ones swept first)."""
    sweep(folder, kind)
    fd, name = tempfile.mkstemp(prefix=f"{kind}-{os.getpid()}-", suffix=".bin", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
