"""Children (compilers, emulators, trials) start even when a library's fork handler would block a fork, die
with TinyStudio when it is killed outright, and a missing program is still FileNotFoundError at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tinystudio.core import children

REPO = Path(__file__).resolve().parents[2]


def _python(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the program was still running after {timeout:.0f} s")


def test_a_child_starts_while_a_fork_handler_would_block_every_fork():
    """gRPC (loaded once a search has used Ray) registers such handlers; a fork that runs them can wait for
    ever, and a compile or an emulator start with it. Starting a child must not run them."""
    run = _python("import os, time\n"
                  "from tinystudio.core import children\n"
                  "os.register_at_fork(before=lambda: time.sleep(3600))\n"
                  "print(children.run(['echo', 'started'], timeout=30, text=True).stdout, end='')\n", timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "started\n"


def test_a_child_dies_with_a_parent_killed_outright():
    """The parent kills itself as soon as the child is spawned, often before setpriv has armed the signal (1
    child in 40 outlived it then): the child still ends (no output pipe is left to it, so a survivor fails the
    check below instead of holding the run open)."""
    run = _python("import os, subprocess\n"
                  "from tinystudio.core import children\n"
                  "proc = children.spawn(['sleep', '600'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
                  "print(proc.pid, flush=True)\n"
                  "os.kill(os.getpid(), 9)\n")
    pid = int(run.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "the child outlived its killed parent"


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def test_a_missing_program_is_file_not_found_and_a_relative_one_runs_from_its_folder(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        children.spawn(["tinystudio-no-such-program"])
    with pytest.raises(FileNotFoundError):
        children.spawn(["./missing"], cwd=tmp_path)
    script = tmp_path / "hello"
    script.write_text("#!/bin/sh\necho hello from $0\n")
    script.chmod(0o755)
    run = children.run(["./hello"], cwd=tmp_path, timeout=30, text=True)
    assert run.returncode == 0 and run.stdout.startswith("hello from")
    assert run.args == ["./hello"]
