"""What `tinystudio capture` keeps and says when the line stream is hostile (overflowing numbers, huge
lines) or the cable is pulled for good, over real pseudo-terminals."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from tests.cli_helpers import run_cli
from tinystudio.app.capture import SIMULATED_PORT, record
from tinystudio.core.store import Project
from tinystudio.device import simboard
from tinystudio.device.linestream import LineStream

RATE = 100


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "cap.tsproj"
    Project.create(path).close()
    return path


def overflowing(i: int) -> bytes:
    """Line i: device millis, i, -i; some are followed by a line that is not a finite reading (last in its
    write, so the parser often meets it at the end of a chunk, where an overflowing stamp once crashed)."""
    good = b"%d,%d,%d\n" % (10 * i, i, -i)
    bad = {
        0: b"%s,%d,%d\n" % (b"7" * 10_000, i, -i),  # a timestamp of 10 kB of digits
        5: b"1e999,%d,%d\n" % (i, -i),  # a timestamp that overflows
        10: b"%d,1e999,0\n" % (10 * i),  # a value that overflows
        15: b"%d,%s,0\n" % (10 * i, b"4" * 10_000),  # 10 kB of digits
        20: b"%d,nan,inf\n" % (10 * i),
    }.get(i % 25, b"")
    return good + bad


def test_overflowing_lines_are_skipped_counted_and_reported(project_path, fake_board):
    fake_board.stream(overflowing, rate_hz=RATE)
    code, out, err = run_cli("capture", str(project_path), "--port", fake_board.path, "--label", "tap",
                             "--seconds", "2")  # fmt: skip
    assert code == 0, err
    with Project.open(project_path) as p:
        (info,) = p.samples()  # the one sample, complete; nothing half-written reappears
        signal = p.load_signal(info.id)
    assert info.rate_hz == RATE and info.frames == 2 * RATE
    np.testing.assert_array_equal(signal[:, 0], np.arange(signal[0, 0], signal[0, 0] + 2 * RATE))
    np.testing.assert_array_equal(signal[:, 1], -signal[:, 0])
    assert np.isfinite(signal).all()
    assert f"saved {2 * RATE} frames" in out
    skipped = next(line for line in out.splitlines() if line.startswith("skipped"))
    assert "not finite" in skipped
    assert "recording stopped" not in err and "error" not in err


def test_the_fast_parser_skips_values_that_overflow():
    stream = LineStream()
    stream.feed(b"junk\n", 0.0)
    for i in range(40):
        stream.feed(b"%d,%d\n" % (i, -i), 0.01 * i)
    assert stream.layout is not None and stream.layout.columns == 2
    batch = stream.feed(b"1,2\n1e999,3\n-1e999,4\n" + b"9" * 400 + b",5\n6,7\n", 1.0)
    assert batch.values.tolist() == [[1, 2], [6, 7]]
    assert stream.stats.nonfinite == 3


def test_a_cable_pulled_for_good_saves_what_came_and_exits_non_zero(project_path, fake_board):
    fake_board.stream(lambda i: b"%d,%d\n" % (i % 3, i), rate_hz=RATE)
    pull = threading.Timer(1.5, fake_board.close)  # pull the cable and never plug it back
    pull.start()
    try:
        code, out, err = run_cli("capture", str(project_path), "--port", fake_board.path, "--label", "cut",
                                 "--seconds", "10", "--timeout", "2")  # fmt: skip
    finally:
        pull.cancel()
    assert code != 0
    lines = err.strip().splitlines()
    waiting = next(i for i, line in enumerate(lines) if "waiting up to 2 s for it to come back" in line)
    gave_up = next(i for i, line in enumerate(lines) if "did not come back within 2 s" in line)
    assert waiting < gave_up == len(lines) - 1 and lines[-1].startswith("tinystudio: error:")
    assert "saved" in out
    with Project.open(project_path) as p:
        (info,) = p.samples()
    assert info.label == "cut" and 0 < info.frames < 10 * RATE


def test_a_board_that_comes_back_gets_the_rest_recorded(project_path):
    def pull_and_replug(_status) -> None:
        (board,) = simboard._running.values()

        def cable() -> None:
            time.sleep(0.8)
            board.unplug()
            time.sleep(0.5)
            board.plug()

        threading.Thread(target=cable, daemon=True).start()

    notices: list[str] = []
    with Project.open(project_path) as p:
        done = record(p, SIMULATED_PORT, "wave", 3, activity="pendulum", timeout=5,
                      on_ready=pull_and_replug, on_notice=notices.append)  # fmt: skip
        infos = [p.sample_info(sid) for sid in done.sample_ids]
    assert done.error is None
    assert len(infos) == 2 and all(i.label == "wave" for i in infos)
    assert sum(i.duration_s for i in infos) == pytest.approx(3, abs=1 / min(i.rate_hz for i in infos)), infos
    assert any("waiting up to 5 s" in n for n in notices) and any("is back" in n for n in notices)
