"""`tune --ray ADDRESS` where nothing listens (a typo, a cluster not started): one line at once, where Ray
itself retried for minutes, printing warnings."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free again once closed: nothing listens there


def test_tune_with_no_cluster_at_the_address_is_one_line_at_once(bm_split_project: Path, tmp_path: Path):
    project = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, project)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    address = f"127.0.0.1:{_closed_port()}"
    cmd = [sys.executable, "-m", "tinystudio", "tune", str(project), "--target", "mps2-an386",
           "--trials", "1", "--no-train", "--ray", address]
    try:
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"tune --ray {address} was still waiting after 60 s") from None
    assert run.returncode != 0
    assert f"no Ray cluster answers at {address}" in run.stderr and "Traceback" not in run.stderr
