"""Recordings of huge but finite values (1e37: a sensor logged in the wrong unit, a corrupted export) make the
spectral block's float32 arithmetic overflow to inf and nan. Training went on with nan features: the network
learned nothing and the int8 step that follows killed the process with a segmentation fault (exit status 139,
no message). Now training stops in one line naming the cause, in a subprocess so a crash would show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project


def _huge_project(path: Path) -> Path:
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for label, scale in (("big", 1e37), ("small", 1.0)):
            for _ in range(6):
                signal = (rng.standard_normal((200, 3)) * scale).astype(np.float32)
                project.add_sample(signal, 50.0, ["x", "y", "z"], label)
        assign_splits(project)
    return path


def test_training_on_values_that_overflow_the_dsp_is_one_line_not_a_crash(tmp_path: Path):
    path = _huge_project(tmp_path / "huge.tsproj")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TF_CPP_MIN_LOG_LEVEL": "2"}
    run = subprocess.run([sys.executable, "-m", "tinystudio", "train", str(path), "--epochs", "1"],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    assert "overflow" in run.stderr and "scale the recordings down" in run.stderr
    assert "Traceback" not in run.stderr and "RuntimeWarning" not in run.stderr
    with Project.open(path) as project:
        assert project.runs() == []  # no run trained on nan features
