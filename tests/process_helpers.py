"""Bounded waits on child processes: a test that reads a child's output line by line must end even when the
child neither prints what the test waits for nor exits (a hung test stalls the whole suite)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator

READ_LIMIT_S = 180.0


@contextlib.contextmanager
def killed_after(proc: subprocess.Popen, seconds: float = READ_LIMIT_S, *, group: bool = False) -> Iterator[None]:
    """Kill ``proc`` (its whole process group with ``group``) if it still runs ``seconds`` from now, so a
    blocked read of its pipes sees end of file and the test fails instead of waiting for ever."""

    def kill() -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()

    timer = threading.Timer(seconds, kill)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
