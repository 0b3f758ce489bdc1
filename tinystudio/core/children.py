"""Child processes (emulators, host boards, compilers, model trials) that never outlive TinyStudio.

Every child is spawned here: in its own process group (so stopping it also stops what it started, such
as the compiler's cc1 and as), with Linux's parent-death signal set to SIGKILL (so a crashed or killed
TinyStudio takes its children with it), and listed until it is stopped, so ``stop_all`` can end them all
when the command line receives SIGTERM. Linux delivers the parent-death signal when the *thread* that
spawned the child ends: spawn from the thread that also waits for the child or closes it.

The signal is armed by util-linux's ``setpriv --pdeathsig`` in front of the command (then sh checks that the
parent is still there, as the signal is only armed once setpriv runs), not by Python code run
between fork and exec (``preexec_fn``): that forces a full fork(), which runs every library's fork handlers in
a process full of threads, and gRPC's (loaded once a search has used Ray) can block the fork, and the whole
program with it, for ever. Without setpriv (not Linux, or an old util-linux) the pre-exec step remains.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_live: set[subprocess.Popen[Any]] = set()


def _die_with(parent: int) -> Callable[[], None]:
    """The child's pre-exec step: SIGKILL it when ``parent`` goes; exit at once if it is already gone."""

    def preexec() -> None:
        if _libc is not None:
            _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return preexec


_PARENT_CHECK = '[ "$PPID" = "$0" ] || exit 1; exec "$@"'
"""Run by sh between setpriv and the program, the signal armed: a parent that died before setpriv armed it
(Popen returns once setpriv runs, not once it has armed it) leaves the child to another parent, and it
exits instead of running on. $0 is the parent's pid, "$@" the command."""


@functools.cache
def _find_setpriv() -> tuple[str, str] | None:
    """util-linux's setpriv, if it can set the parent-death signal (2.33 and newer), and sh; else None."""
    path = shutil.which("setpriv") if _libc is not None else None
    sh = shutil.which("sh")
    if path is None or sh is None:
        return None
    try:
        probe = subprocess.run([path, "--pdeathsig", "KILL", "--", sh, "-c", _PARENT_CHECK, str(os.getpid()),
                                "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return (path, sh) if probe.returncode == 0 else None


def _program(args: list[str], popen: dict[str, Any]) -> str:
    """The full path of the program ``args`` names, as Popen would find it: setpriv starts it, so a missing
    program must still raise FileNotFoundError here, in the parent, as Popen does (PermissionError for a file
    that cannot be run)."""
    name = str(args[0])
    env = popen.get("env")
    path = os.get_exec_path(env) if env is not None else None
    if os.sep in name:
        base = popen.get("cwd")
        found = name if base is None or os.path.isabs(name) else os.path.join(str(base), name)
        if not os.path.exists(found):
            raise FileNotFoundError(2, "No such file or directory", name)
        if not (os.path.isfile(found) and os.access(found, os.X_OK)):  # Popen's word for it, not "missing"
            raise PermissionError(13, "Permission denied", name)
        return os.path.abspath(found)  # setpriv runs in ``cwd``: a relative cwd must not count twice
    found = shutil.which(name, path=os.pathsep.join(path) if path is not None else None)
    if found is None:
        raise FileNotFoundError(2, "No such file or directory", name)
    return found


def spawn(args: list[str], **popen: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen(args, **popen)`` as a child that dies with this process (see module docstring)."""
    found = _find_setpriv()
    if found is not None and "executable" not in popen:
        setpriv, sh = found
        command = [setpriv, "--pdeathsig", "KILL", "--", sh, "-c", _PARENT_CHECK, str(os.getpid()),
                   _program(args, popen), *map(str, args[1:])]
        proc: subprocess.Popen[Any] = subprocess.Popen(command, start_new_session=True, **popen)
    else:
        proc = subprocess.Popen(args, start_new_session=True, preexec_fn=_die_with(os.getpid()), **popen)
    _live.add(proc)
    return proc


def run(
    args: list[str],
    *,
    input: bytes | str | None = None,  # noqa: A002 - the name subprocess.run uses
    timeout: float | None = None,
    **popen: Any,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run(args, input=..., capture_output=True, timeout=...)`` for a child spawned here: on a
    timeout (TimeoutExpired is raised as subprocess.run does) or any interruption its group is stopped."""
    proc = spawn(args, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except BaseException:
        stop(proc, grace=0.0)
        raise
    finally:
        _live.discard(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _signal_group(proc: subprocess.Popen[Any], sig: int) -> None:
    if proc.poll() is None:  # never signal a group whose leader is reaped: its id may be reused
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)


def stop(proc: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """End ``proc`` and its process group: SIGTERM, then SIGKILL after ``grace`` seconds; reap it."""
    try:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
    finally:
        _live.discard(proc)


def stop_all() -> None:
    """Kill every child still running (for SIGTERM and exit): no grace, the parent is going away."""
    for proc in list(_live):
        _signal_group(proc, signal.SIGKILL)
        with contextlib.suppress(Exception):
            proc.wait(timeout=1.0)
        _live.discard(proc)


atexit.register(stop_all)
