"""A stable path for the standalone simulated board: a symbolic link that always names its current
pseudo-terminal, so a program reading the board finds it again after an unplug and replug (each plug
makes a new pty, ``/dev/pts/N``, and the old number may go to another terminal meanwhile).

The link exists only while the board is plugged in; a lock file beside it says which running board
owns the path, so two boards never fight over one link.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from tinystudio.core.errors import UserError
from tinystudio.core.writer_lock import WriterLock, take_over

DEFAULT_NAME = "tinystudio-simboard"


def _runtime_dir() -> Path:
    """The user's own folder for such links: $XDG_RUNTIME_DIR, else a private folder in the temp folder."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime) and os.access(runtime, os.W_OK):
        return Path(runtime)
    base = Path(tempfile.gettempdir()) / f"tinystudio-{os.getuid()}"
    base.mkdir(mode=0o700, exist_ok=True)
    if base.is_symlink() or base.stat().st_uid != os.getuid():
        raise UserError(f"{base} belongs to someone else: pass --link PATH")
    return base


class StableLink:
    """The link at ``path``, owned by this process until ``release``."""

    def __init__(self, path: Path, lock: WriterLock) -> None:
        self.path = path
        self._lock = lock

    @classmethod
    def claim(cls, path: str | os.PathLike[str] | None = None) -> StableLink:
        """Own ``path`` (default: the first free ``tinystudio-simboard[-N]`` in the user's runtime folder);
        a path another running board owns, or a file that is not a link, is refused in one line."""
        if path is not None:
            return cls._claim(Path(path).absolute(), explicit=True)
        base = _runtime_dir()
        for n in range(1, 100):
            found = cls._claim(base / (DEFAULT_NAME if n == 1 else f"{DEFAULT_NAME}-{n}"), explicit=False)
            if found is not None:
                return found
        raise UserError("99 simulated boards already run: pass --link PATH")

    @classmethod
    def _claim(cls, path: Path, explicit: bool) -> StableLink | None:
        if not path.parent.is_dir():
            raise UserError(f"folder {path.parent} does not exist")
        lock_path = path.with_name(path.name + ".lock")
        try:
            lock = WriterLock.acquire(lock_path, attempts=1)
        except OSError:
            if explicit:
                raise UserError(f"{path} is the link of another running simulated board: choose another --link") \
                    from None
            return None
        if path.exists() and not path.is_symlink():
            lock.release()
            raise UserError(f"{path} exists and is not a link: choose another --link")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # a link a board that is gone left behind
        return cls(path, lock)

    def point_at(self, device: str) -> None:
        """Make the link name ``device`` (replaced in one step, never missing for a reader in between)."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(device, tmp)
        os.replace(tmp, self.path)

    def clear(self) -> None:
        """Remove the link (the board is unplugged): nobody opens a pty number that may be reused."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def release(self) -> None:
        self.clear()
        self._lock.release()


def left_behind(path: str | os.PathLike[str]) -> bool:
    """True for a board's link whose board is gone (killed before it could remove it): the pty it names
    may belong to another terminal by now, so nobody should open it. A link no board made (such as
    /dev/serial/by-id/...) has no lock file beside it and is never left behind."""
    link = Path(path)
    lock_path = link.with_name(link.name + ".lock")
    if not link.is_symlink() or not lock_path.exists():
        return False
    held = take_over(lock_path)
    if held is None:
        return False  # its board runs
    held.release()  # the board is gone: its lock file goes too
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    return True
