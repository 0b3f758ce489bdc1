"""Sample-rate detection through a real pseudo-terminal, at the extremes where other tools fail."""

from __future__ import annotations

import time

import pytest

from tinystudio.device.capture import CaptureSession
from tinystudio.device.rate import snap_rate


def wait_rate(session: CaptureSession, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = session.status()
        if st.rate_hz is not None:
            return st.rate_hz
        time.sleep(0.02)
    return None


def test_1hz_from_a_millis_timestamp_column(fake_board):
    # 1 Hz: a line per second, the first column is the board's millis() clock
    fake_board.stream(lambda i: b"%d,%d,%d\n" % (5000 + 1000 * i, i % 7, -i), rate_hz=1.0)
    with CaptureSession(fake_board.path) as session:
        rate = wait_rate(session, timeout=8)
        st = session.status()
    assert rate == 1.0
    assert st.rate_source == "device clock"
    assert st.layout is not None and st.layout.axes == 2  # the clock is not an axis


def test_few_hz_by_counting_lines(fake_board):
    fake_board.stream(lambda i: b"%d %d\n" % (i % 5, (i * 3) % 11), rate_hz=5.0)
    with CaptureSession(fake_board.path) as session:
        time.sleep(2.0)
        rate = wait_rate(session, timeout=5)
        st = session.status()
    assert rate == 5.0
    assert st.rate_source == "line count"


@pytest.mark.slow
def test_4khz_by_counting_lines(fake_board):
    fake_board.stream(lambda i: b"%d,%d,%d\n" % (i % 97, (i * 7) % 13, i % 2), rate_hz=4000.0)
    with CaptureSession(fake_board.path) as session:
        time.sleep(2.5)
        rate = wait_rate(session, timeout=5)
        st = session.status()
    assert rate == 4000.0
    assert st.stats.skipped == 0


def test_4khz_from_a_micros_timestamp_column(fake_board):
    fake_board.stream(lambda i: b"%d,%d\n" % (1_000_000 + 250 * i, i % 9), rate_hz=4000.0)
    with CaptureSession(fake_board.path) as session:
        rate = wait_rate(session, timeout=5)
        st = session.status()
    assert rate == 4000.0
    assert st.rate_source == "device clock"


def test_lost_lines_show_up_as_dropped_from_timestamp_gaps(fake_board):
    # every 10th line never arrives (as when a UART overruns); stamps are 10 ms apart
    def line(i: int) -> bytes:
        return b"" if i % 10 == 9 else b"%d,%d\n" % (10 * i, i % 4)

    fake_board.stream(line, rate_hz=100.0)
    with CaptureSession(fake_board.path) as session:
        time.sleep(2.0)
        st = session.status()
    assert st.rate_hz == 100.0
    assert st.dropped >= 10


def test_snapping_keeps_odd_rates():
    assert snap_rate(99.3) == 100.0
    assert snap_rate(4003.0) == 4000.0
    assert snap_rate(37.0) == 37.0
