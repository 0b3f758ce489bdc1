"""A device that ends its lines with a carriage return alone (sensor modules such as Atlas Scientific's EZO
circuits print '7.02\r'): capture saw one endless line and gave up with "could not make sense of the data
... check that the sketch prints one reading per line". Now CR alone ends a line when no line feed comes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.capture.conftest import FakeBoard
from tinystudio.core.store import Project
from tinystudio.device.capture import CaptureSession


def test_lines_ended_by_cr_alone_are_captured(tmp_path: Path):
    board = FakeBoard()
    try:
        board.stream(lambda i: b"%d.%02d,%d\r" % (7, i % 100, i % 4), rate_hz=50.0)
        with Project.create(tmp_path / "p.tsproj") as project, CaptureSession(board.path) as session:
            ready = session.wait_ready(timeout=10)
            assert ready.layout is not None and ready.layout.axes == 2 and ready.rate_hz == 50.0
            session.start_recording(project, "ph", seconds=1.0)
            saved = session.wait_recording(timeout=20)
            assert saved is not None and saved.sample_id is not None, saved
            signal = project.load_signal(saved.sample_id)
        assert signal.shape == (50, 2)
        assert ((signal[:, 0] >= 7) & (signal[:, 0] < 8)).all()
        assert (np.diff(signal[:, 1]) % 4 == 1).all()  # every reading, in order
    finally:
        board.close()
