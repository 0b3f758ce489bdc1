"""A capture running in one process while other processes open the same project (as a user does with a
second terminal or the GUI): nothing of the recording is cut, and a killed capture is still recovered."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from process_helpers import killed_after
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow

SECONDS = 10


def tinystudio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tinystudio", *args], capture_output=True, text=True, timeout=120)


def start_capture(project, seconds: float) -> subprocess.Popen[str]:
    """Start `tinystudio capture --simulated` and return once it says it is recording."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinystudio", "capture", str(project), "--simulated", "--activity", "pendulum",
         "--label", "swing", "--seconds", str(seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    with killed_after(proc):
        line = proc.stderr.readline()
    assert line.startswith("recording"), line + proc.stderr.read()
    return proc


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "live.tsproj"
    Project.create(path).close()
    return path


def test_info_import_and_another_window_during_a_capture_keep_the_whole_recording(project, tmp_path):
    csv = tmp_path / "walk.csv"
    csv.write_text("x,y\n" + "".join(f"{i},{-i}\n" for i in range(200)))
    capture = start_capture(project, SECONDS)
    try:
        time.sleep(1.0)  # let a few chunks reach the file
        info = tinystudio("info", str(project), "--json")
        imported = tinystudio("import", str(project), str(csv), "--label", "walk", "--rate", "50")
        with Project.open(project) as window:  # what the GUI does when it opens the project
            shown = [s.label for s in window.samples()]
        still_recording = capture.poll() is None
        out, err = capture.communicate(timeout=60)
    finally:
        capture.kill()
    assert still_recording, "the other commands must run while the capture is still recording"
    assert info.returncode == 0, info.stderr
    shown_by_info = json.loads(info.stdout)
    assert (shown_by_info["samples"], shown_by_info["recording"]) == (0, 1)  # in progress: not a sample yet
    assert imported.returncode == 0, imported.stderr
    assert "walk" in shown and "swing" not in shown
    assert capture.returncode == 0, err
    with Project.open(project) as p:
        (swing,) = p.samples(label="swing")
        assert len(p.samples(label="walk")) == 1
    # the whole recording is kept: within a frame of what its rate says
    assert abs(swing.frames - SECONDS * swing.rate_hz) <= 1, (swing.frames, swing.rate_hz)
    assert f"saved {swing.frames} frames" in out


def test_a_killed_capture_is_recovered_at_the_next_open(project):
    capture = start_capture(project, 60)
    try:
        time.sleep(3.0)  # several half-second chunks are committed by now
        with Project.open(project) as viewer:  # opening while it records leaves it alone
            assert viewer.samples() == []
    finally:
        capture.send_signal(signal.SIGKILL)
        capture.communicate(timeout=30)
    assert capture.returncode == -signal.SIGKILL
    info = tinystudio("info", str(project), "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["samples"] == 1
    with Project.open(project) as p:
        (swing,) = p.samples()
        assert swing.label == "swing" and swing.status == "complete"
        assert swing.frames >= swing.rate_hz  # at least the first second was kept
        assert p.load_signal(swing.id).shape == (swing.frames, 6)
