"""A 200 MB CSV imports in bounded memory: the text is streamed, never held whole."""

import json
import subprocess
import sys

import numpy as np
import pytest

CHILD = r"""
import json, resource, sys
from pathlib import Path
from tinystudio.core.formats import import_files
from tinystudio.core.store import Project
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with Project.create(Path(sys.argv[2])) as p:
    sid = import_files(p, [Path(sys.argv[1])]).sample_ids[0]
    info = p.sample_info(sid)
print(json.dumps({"frames": info.frames, "axes": info.axes, "rate": info.rate_hz,
                  "extra_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base}))
"""


@pytest.mark.slow
def test_200mb_csv_peak_memory_under_twice_the_signal(tmp_path):
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(0)
    block = rng.normal(0, 4, size=(100_000, 6)).round(5)
    values = [",".join(f"{v:.5f}" for v in row) for row in block]  # formatted once, repeated under new times
    rows = 0
    with open(path, "w") as fh:
        fh.write("timestamp,accX,accY,accZ,gyrX,gyrY,gyrZ\n")
        while fh.tell() < 200e6:
            fh.write("".join(f"{2 * (rows + i)},{v}\n" for i, v in enumerate(values)))
            rows += len(values)
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(tmp_path / "p.tsproj")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert (result["frames"], result["axes"], result["rate"]) == (rows, 6, 500.0)
    decoded_kb = rows * 6 * 4 / 1024
    assert result["extra_kb"] < 2 * decoded_kb, f"peak {result['extra_kb']} kB for a {decoded_kb:.0f} kB signal"
