"""`tinystudio export` of samples (CSV, Edge Impulse JSON) when a file cannot be written to the end: a full disk
(here the operating system's file-size limit, which fails the write the same way). It printed an OSError
traceback and left half a CSV behind; now it is one line saying which file and how many were written, and the
half-written file is removed so a later import does not take it for a recording."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.store import Project

LIMIT = 256 * 1024


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


@pytest.mark.parametrize("fmt", ["csv", "ei-json"])
def test_a_sample_export_that_cannot_be_written_is_one_line_and_leaves_no_half_file(tmp_path: Path, fmt: str):
    path = tmp_path / "long.tsproj"
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        project.add_sample(rng.standard_normal((40000, 3)).astype(np.float32), 100.0, ["x", "y", "z"], "walk")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-m", "tinystudio", "export", str(path), "--format", fmt, "--out", str(out)],
                         env=env, capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and run.stderr.startswith("tinystudio: error: cannot write")
    assert "0 of 1 sample(s) written" in run.stderr
    assert list(out.iterdir()) == []
