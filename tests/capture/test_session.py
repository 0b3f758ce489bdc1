"""Capture sessions over real pseudo-terminals: lossless recording, bad input, pulled cables."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tinystudio.device.capture import CaptureSession
from tinystudio.device.ports import SIMULATED_PORT


def line_with_garbage(i: int) -> bytes:
    """Line i carries i in its second column; odd lines of every kind are mixed in between."""
    good = b"%d,%d,%d\n" % (i % 7, i, -i)
    extra = {
        13: b"ERR overflow\n",
        27: b"1,nan,3\n",
        41: b"inf,1,2\n",
        55: b"1,2\n",
        69: b"4" * 10_000 + b",1\n",
        83: b"\x8f\x00\xff\xfe" * 40 + b"\n",
    }.get(i % 100, b"")
    return extra + good


def test_every_valid_line_received_while_recording_is_kept(fake_board, project):
    total = 600
    writer = fake_board.stream(line_with_garbage, rate_hz=200.0, count=total)
    with CaptureSession(fake_board.path) as session:
        session.wait_ready(30)
        session.start_recording(project, "mixed")
        writer.join(timeout=10)
        time.sleep(0.3)
        session.stop_recording()
        result = session.wait_recording(30)
        st = session.status()
    assert result is not None and result.sample_id is not None
    signal = project.load_signal(result.sample_id)
    got = signal[:, 1].astype(int)
    # consecutive from wherever recording began, through the very last line sent
    np.testing.assert_array_equal(got, np.arange(got[0], total))
    np.testing.assert_array_equal(signal[:, 2], -signal[:, 1])
    assert st.stats.skipped > 0
    info = project.sample_info(result.sample_id)
    assert info.label == "mixed" and info.axes == 3 and info.rate_hz == 200.0


def test_fixed_length_recording_has_exactly_the_requested_frames(project):
    with CaptureSession(SIMULATED_PORT, activity="pendulum", sim_rate_hz=50) as session:
        session.wait_ready(30)
        session.start_recording(project, "pendulum", seconds=1.0)
        result = session.wait_recording(30)
    assert result is not None and result.sample_id is not None
    info = project.sample_info(result.sample_id)
    assert info.frames == 50
    assert info.axis_names == ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")
    assert info.status == "complete"


def test_pulled_cable_keeps_the_sample_and_reconnects_to_the_same_board(project):
    with CaptureSession(SIMULATED_PORT, activity="abduction", sim_rate_hz=50) as session:
        session.wait_ready(30)
        session.start_recording(project, "abduction")
        time.sleep(0.8)
        board = session.simboard
        assert board is not None
        old_path = board.path
        board.unplug()
        result = session.wait_recording(30)
        assert session.status().state == "disconnected"
        # something else takes the old pty number, so the board comes back elsewhere
        board.plug()
        new_path = board.path
        deadline = time.monotonic() + 30
        while session.status().state != "streaming" and time.monotonic() < deadline:
            time.sleep(0.05)
        st = session.status()
        events = [e.kind for e in session.events()]
        session.wait_ready(30)
        session.start_recording(project, "abduction", seconds=0.5)
        second = session.wait_recording(30)
    assert result is not None and result.sample_id is not None
    assert "disconnected" in result.message
    assert project.sample_info(result.sample_id).frames > 10
    assert st.state == "streaming"
    assert "disconnected" in events and "reconnected" in events
    assert second is not None and second.sample_id is not None
    assert old_path and new_path


def test_a_board_that_vanishes_is_reported_and_nothing_crashes(fake_board, project):
    fake_board.stream(lambda i: b"%d,%d\n" % (i % 3, i), rate_hz=100.0)
    session = CaptureSession(fake_board.path).start()
    try:
        session.wait_ready(30)
        session.start_recording(project, "gone")
        time.sleep(0.5)
        fake_board.close()
        result = session.wait_recording(30)
        assert session.status().state == "disconnected"
    finally:
        session.stop()
    assert result is not None and result.sample_id is not None
    assert "disconnected" in result.message
    assert project.sample_info(result.sample_id).frames > 10


def test_garbage_at_the_wrong_baud_gives_a_clear_message(fake_board):
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 256, 64, dtype=np.uint8).tobytes()
    fake_board.stream(lambda i: noise, rate_hz=200.0)
    with CaptureSession(fake_board.path) as session:
        with pytest.raises(Exception, match="baud") as err:
            session.wait_ready(1.5)
    assert type(err.value).__name__ == "UserError"


def test_the_simulated_board_switches_activity(project):
    with CaptureSession(SIMULATED_PORT, activity="upright_row", sim_rate_hz=100) as session:
        session.wait_ready(30)
        session.start_recording(project, "upright_row", seconds=0.5)
        still = session.wait_recording(30)
        session.set_activity("abduction")
        session.start_recording(project, "abduction", seconds=0.5)
        moving = session.wait_recording(30)
    assert still is not None and moving is not None
    a = project.load_signal(still.sample_id)
    b = project.load_signal(moving.sample_id)
    assert b.std(axis=0).sum() > a.std(axis=0).sum()
