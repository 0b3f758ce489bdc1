"""A `tinystudio live` killed outright (SIGKILL: no cleanup runs) leaves its sensor tape in the build cache;
the next launch removes it, and leaves a tape of a process that still runs alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from process_helpers import killed_after
from tinystudio.targets.board_files import board_file, sweep

pytestmark = pytest.mark.slow


def test_the_tape_of_a_killed_live_run_is_removed_by_the_next_run(project_copy: Path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "tinystudio", "live", str(project_copy), "--target", "host", "--fast"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        with killed_after(proc):
            for line in proc.stdout:  # the first classified window: the board runs on its tape
                if line.rstrip().endswith("]"):
                    break
            else:
                pytest.fail("live ended (or was stopped after a while) before its first classified window")
        tapes = list(Path(str(project_copy) + "-cache").rglob("tape-*.bin"))
        assert len(tapes) == 1
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert tapes[0].exists()  # nothing could remove it
    run = subprocess.run([*cmd, "--seconds", "0.5"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert list(Path(str(project_copy) + "-cache").rglob("tape-*.bin")) == []


def test_a_running_process_keeps_its_file(tmp_path: Path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        theirs = tmp_path / f"testset-{sleeper.pid}-abc.bin"
        theirs.write_bytes(b"x")
        mine = board_file(tmp_path, "testset", b"y")
        sweep(tmp_path, "testset")
        assert theirs.exists() and mine.read_bytes() == b"y"
    finally:
        sleeper.kill()
        sleeper.wait()
    time.sleep(0.05)
    sweep(tmp_path, "testset")
    assert not theirs.exists() and mine.exists()
