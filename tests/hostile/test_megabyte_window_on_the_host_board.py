"""A window of a megabyte (250,000 float32 samples: 16 kHz audio of 15.6 s, or a long vibration record) tested
on the host board: the host wrote the window's 2,000 UPLOAD frames in one go while the board answered each one,
the board's answers filled the link, the board waited to write them and the host waited to write the rest:
`tinystudio deploy` hung for ever with no CPU and no message. Now the windows stream with a bounded number of
requests in flight and the test ends with its result."""

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


def _long_windows_project(path: Path) -> Path:
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for label, scale in (("quiet", 1.0), ("loud", 2.0)):
            for _ in range(5):
                signal = (rng.standard_normal((FRAMES, 1)) * scale).astype(np.float32)
                project.add_sample(signal, 1000.0, ["x"], label)
        assign_splits(project)
    return path


def test_a_megabyte_window_streams_to_the_host_board_and_the_test_ends(tmp_path: Path):
    path = _long_windows_project(tmp_path / "long.tsproj")
    code, _out, err = run_cli("train", str(path), "--dsp", "statistics", "--model", "rf",
                              "--window-ms", str(FRAMES))
    assert code == 0, err
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-m", "tinystudio", "deploy", str(path), "--target", "host", "--json"],
                         env=env, capture_output=True, text=True, timeout=240)  # hung for ever before
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    with Project.open(path) as project:
        test_windows = sum(1 for s in project.samples() if s.split == "test")
    assert result["windows"] >= test_windows > 0
    assert result["agreement"] == 1.0
