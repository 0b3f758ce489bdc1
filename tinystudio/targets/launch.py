"""Starting a board process and connecting to it, shared by every board that runs as a local process
(QEMU, the host board): spawn it as a child that dies with TinyStudio, poll until its link opens or it
exits or the time is up, and never leave it running when connecting fails.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinystudio.core import children
from tinystudio.core.errors import UserError
from tinystudio.device.runner_client import RunnerClient
from tinystudio.targets.base import BoardLink

# Given the running process, the opened link (pyserial-like), or None to be asked again shortly.
Connect = Callable[[subprocess.Popen[bytes]], Any]


class BoardDidNotConnect(Exception):
    """The process ran but its link did not open in time (the caller decides whether to retry)."""


def launch_process(
    command: list[str],
    connect: Connect,
    *,
    failure: str,
    timeout: float,
    log_path: Path,
    stdout_pipe: bool = False,
) -> BoardLink:
    """Spawn ``command`` (stderr, and stdout unless ``stdout_pipe``, to ``log_path``) and call ``connect``
    until it returns a link; the process is stopped on any failure. Raises UserError starting with
    ``failure`` when the process cannot start or exits, BoardDidNotConnect when time runs out."""
    with open(log_path, "wb") as log:
        try:
            proc = children.spawn(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if stdout_pipe else log,
                stderr=log if stdout_pipe else subprocess.STDOUT,
            )
        except OSError as exc:
            raise UserError(f"{failure}: {exc.strerror}") from exc
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            port = connect(proc)
            if port is not None:
                return BoardLink(RunnerClient(port), port, proc)
            time.sleep(0.02)
    except BaseException:  # never leave a board behind, waiting for a host that is gone
        children.stop(proc, grace=0.5)
        raise
    exited = proc.poll() is not None
    children.stop(proc, grace=0.5)
    if exited:
        tail = log_path.read_text(errors="replace").strip().splitlines()[-1:] if log_path.exists() else []
        raise UserError(f"{failure}: {tail[0] if tail else 'no output'}")
    raise BoardDidNotConnect(failure)
