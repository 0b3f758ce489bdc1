"""`tinystudio capture P --simulated` killed mid-recording (kill -9), then another recording: the recovered
sample is kept, but the simulated board's playback position was only saved when a recording ended, so the
next recording streamed the very readings the recovered one holds (the same signal twice in the project,
under another label or in another split). Now the position is claimed when the recording starts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project

REPO = Path(__file__).resolve().parents[2]


def _chunks(path: Path) -> int:
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT COUNT(*) FROM sample_chunks").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_the_recording_after_a_killed_one_streams_new_readings(tmp_path: Path):
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    capture = subprocess.Popen(
        [sys.executable, "-m", "tinystudio", "capture", str(project), "--simulated", "--label", "wave",
         "--seconds", "10"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _chunks(project) < 8 and time.monotonic() < deadline and capture.poll() is None:
            time.sleep(0.1)
        assert _chunks(project) >= 8, "the capture did not commit 4 s of chunks"
    finally:
        capture.send_signal(signal.SIGKILL)
        capture.wait()

    code, _out, err = run_cli("capture", str(project), "--simulated", "--label", "rest", "--seconds", "2")
    assert code == 0, err
    with Project.open(project) as p:
        killed, after = (p.load_signal(s.id) for s in p.samples())
    assert killed.shape[0] >= 25
    rows = {row.tobytes() for row in killed}
    shared = sum(row.tobytes() in rows for row in after)
    assert shared == 0, f"{shared} of {after.shape[0]} readings of the new recording repeat the killed one"
    assert not np.array_equal(killed[:10], after[:10])
