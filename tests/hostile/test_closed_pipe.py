"""`tinystudio samples P | head`: the reader goes away before the listing is written; the command stops
quietly instead of printing a BrokenPipeError traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from process_helpers import killed_after


def test_a_listing_into_a_closed_pipe_ends_without_a_traceback(bm_split_project: Path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "tinystudio", "samples", str(bm_split_project)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head` after its lines: nothing the command writes can arrive
    with killed_after(proc):
        err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
