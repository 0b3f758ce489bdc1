"""`tinystudio simboard` started first and `tinystudio capture --port PTY` a little later, as a tester does
(or a sketch running since power-up): what the board sent meanwhile arrives in one burst when the port
opens. The burst was counted as lines arriving in real time: a 50 Hz board read as 170 Hz, and a 4 s
recording was saved as 7 s at 57.1 Hz (a 500 Hz board: 1,110 frames at 620 Hz for 1 s). Now the backlog
only marks where counting starts: the rate is the board's own and the recording is as long as asked."""

from __future__ import annotations

import time
from pathlib import Path

from tinystudio.core.store import Project
from tinystudio.device.capture import CaptureSession
from tinystudio.device.simboard import SimBoard


def test_a_backlog_on_opening_changes_neither_the_rate_nor_the_recording(tmp_path: Path):
    board = SimBoard(rate_hz=500)
    path = board.start()
    try:
        time.sleep(1.5)  # nobody reads: more piles up than the pseudo-terminal holds (its flush drops the rest)
        with Project.create(tmp_path / "p.tsproj") as project, CaptureSession(path) as session:
            ready = session.wait_ready(timeout=10)
            assert ready.rate_hz == 500.0
            session.start_recording(project, "tap", seconds=1.0)
            saved = session.wait_recording(timeout=20)
            assert saved is not None and saved.sample_id is not None, saved
            info = project.sample_info(saved.sample_id)
        assert (info.rate_hz, info.frames) == (500.0, 500)
    finally:
        board.stop()
