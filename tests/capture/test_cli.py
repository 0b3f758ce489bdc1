"""The capture and simboard commands as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from process_helpers import killed_after
from tinystudio.cli.main import main
from tinystudio.core.store import Project


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "cli.tsp"
    Project.create(path).close()
    return path


def test_capture_from_the_simulated_board_prints_the_new_sample(project_path, capsys):
    rc = main(["capture", str(project_path), "--simulated", "--activity", "pendulum", "--label", "swing",
               "--seconds", "1", "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["axes"] == 6 and len(out["axis_names"]) == 6
    assert out["rate_hz"] > 0
    # one second of data at the detected rate (the estimate may be refined during a loaded run)
    assert abs(out["frames"] - out["rate_hz"] * 1) <= max(2, 0.05 * out["rate_hz"])
    with Project.open(project_path) as p:
        info = p.sample_info(out["sample_id"])
        assert info.label == "swing" and info.frames == out["frames"]


def test_capture_from_a_port_with_a_timestamp_column(project_path, capsys, fake_board):
    fake_board.stream(lambda i: b"t_ms:%d,x:%d,y:%d\n" % (10 * i, i % 5, i % 3), rate_hz=100.0)
    rc = main(["capture", str(project_path), "--port", fake_board.path, "--label", "tap", "--seconds", "0.5",
               "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["axis_names"] == ["x", "y"] and out["rate_hz"] == 100.0 and out["frames"] == 50


def test_capture_from_a_missing_port_is_one_line_and_exit_1(project_path, capsys):
    rc = main(["capture", str(project_path), "--port", "/dev/ttyTINYSTUDIO_NOPE", "--label", "x", "--seconds", "1"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "does not exist" in err and err.count("\n") == 1


def test_capture_without_a_board_choice_says_how(project_path, capsys):
    assert main(["capture", str(project_path), "--label", "x", "--seconds", "1"]) == 1
    assert "--simulated" in capsys.readouterr().err


@pytest.mark.slow
def test_simboard_command_streams_on_the_printed_port_until_stopped():
    import serial

    proc = subprocess.Popen(
        [sys.executable, "-m", "tinystudio", "simboard", "--activity", "abduction", "--rate", "100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with killed_after(proc):
            path = proc.stdout.readline().strip()
        assert os.path.realpath(path).startswith("/dev/")  # a stable link to the board's current pty
        port = serial.Serial(path, 115200, timeout=0.2)
        data = b""
        deadline = time.monotonic() + 5
        while data.count(b"\n") < 20 and time.monotonic() < deadline:
            data += port.read(4096)
        port.close()
        lines = data.split(b"\n")[1:-1]
        assert len(lines) >= 10
        assert all(line.startswith(b"accX:") for line in lines)
        values = np.array([[float(t.split(b":")[1]) for t in line.split(b",")] for line in lines])
        assert values.shape[1] == 6
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    assert proc.returncode == 0
