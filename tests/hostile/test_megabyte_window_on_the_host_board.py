"""A window of a megabyte (250,000 float32 samples: 16 kHz audio of 15.6 s, or a long vibration record) tested
on the host board: the host wrote the window's 2,000 UPLOAD frames in one go while the board answered each one,
the board's answers filled the link, the board waited to write them and the host waited to write the rest:
`tinystudio deploy` hung for ever with no CPU and no message. The same with 2,000 axes: each window's statistics
(18,000 floats, 140 answer frames) outgrew the link while the host wrote the next window. Now the windows stream
with a bounded number of requests in flight, and a window's large answer is read before the next is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project

FRAMES = 250_000


def _project(path: Path, frames: int, axes: int) -> Path:
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for label, scale in (("quiet", 1.0), ("loud", 2.0)):
            for _ in range(5):
                signal = (rng.standard_normal((frames, axes)) * scale).astype(np.float32)
                project.add_sample(signal, 1000.0, [f"ch{i}" for i in range(axes)], label)
        assign_splits(project)
    return path


def _deploy_on_the_host_ends_in_agreement(path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-m", "tinystudio", "deploy", str(path), "--target", "host", "--json"],
                         env=env, capture_output=True, text=True, timeout=240)  # hung for ever before
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    with Project.open(path) as project:
        test_windows = sum(1 for s in project.samples() if s.split == "test")
    assert result["windows"] >= test_windows > 0
    assert result["agreement"] == 1.0


def test_a_megabyte_window_streams_to_the_host_board_and_the_test_ends(tmp_path: Path):
    path = _project(tmp_path / "long.tsproj", FRAMES, 1)
    code, _out, err = run_cli("train", str(path), "--dsp", "statistics", "--model", "rf",
                              "--window-ms", str(FRAMES))
    assert code == 0, err
    _deploy_on_the_host_ends_in_agreement(path)


def test_windows_of_two_thousand_axes_stream_to_the_host_board_and_the_test_ends(tmp_path: Path):
    path = _project(tmp_path / "wide.tsproj", 150, 2000)
    code, _out, err = run_cli("train", str(path), "--dsp", "statistics", "--model", "rf", "--window-ms", "100",
                              "--stride-ms", "50")
    assert code == 0, err
    _deploy_on_the_host_ends_in_agreement(path)
