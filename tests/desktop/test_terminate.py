"""Stopping the desktop app from outside: SIGTERM (a logout, `kill`, a service manager) closes the window as
"Stop and quit" does instead of leaving a window that no longer answers its signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.slow
@pytest.mark.parametrize("argv", (["gui"], []), ids=("gui-command", "bare"))
def test_sigterm_closes_the_window_and_the_process_ends(tmp_path: Path, argv: list[str]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    project = tmp_path / "p.tsproj"
    subprocess.run([sys.executable, "-m", "tinystudio", "new", str(project)], env=env, check=True,
                   capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "tinystudio", *argv, str(project)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        time.sleep(8)  # the window is up and streaming from the simulated board
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            pytest.fail("the app was still running 30 s after SIGTERM")
