"""The bounded read the suite relies on: a child that neither prints nor exits is killed, so the test that
reads its output fails instead of stalling every test after it."""

from __future__ import annotations

import subprocess
import sys

from process_helpers import killed_after


def test_a_silent_child_is_killed_and_the_blocked_read_ends():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        with killed_after(proc, 1.0):
            assert proc.stdout.read() == b""  # end of file: the child was killed
        assert proc.wait(timeout=30) < 0
    finally:
        proc.kill()
        proc.wait()


def test_a_child_that_ends_in_time_is_left_alone():
    proc = subprocess.Popen([sys.executable, "-c", "print('ready')"], stdout=subprocess.PIPE, text=True)
    with killed_after(proc, 60.0):
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    assert proc.wait(timeout=30) == 0
