"""Who is still writing a live recording: the writer holds an OS lock on a small file for as long as it
records, so any process opening the project can tell a recording in progress from one whose writer
crashed. The OS drops the lock when the writer dies, however it dies (even SIGKILL).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False when another holder has it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    """The lock is only meaningful while the path still names the file we locked."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)


class WriterLock:
    """Held by the process that writes one recording; ``release`` when the recording is saved."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, path: Path, attempts: int = 200) -> WriterLock:
        """Create and lock ``path`` (OSError when the folder cannot hold it or it stays locked)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(attempts):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            if _try_lock(fd) and _same_file(fd, path):
                return cls(path, fd)
            os.close(fd)  # a finished writer is removing its old file: wait for it, then start afresh
            time.sleep(0.01)
        raise OSError(f"could not lock {path}")

    def release(self) -> None:
        """Remove the file while still holding it, then let go (so no one locks a file about to vanish)."""
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None


def take_over(path: Path) -> WriterLock | None:
    """Lock the file of a writer that is gone, to finish its recording; None while it is alive."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return WriterLock(path, None)  # no file: the writer never made one, or it is gone
    except OSError:
        return None
    if _try_lock(fd) and _same_file(fd, path):
        return WriterLock(path, fd)
    os.close(fd)
    return None
