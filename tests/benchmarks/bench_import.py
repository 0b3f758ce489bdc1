"""Benchmark: CSV import speed (rows per second) and peak memory on a large 6-axis file.

Usage: python tests/benchmarks/bench_import.py [--rows 1000000] [--repeat 3] [--quick]
Prints figures; asserts nothing. Each import runs in a fresh process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from tinystudio.core.formats import import_files
from tinystudio.core.store import Project
csv, proj = Path(sys.argv[1]), Path(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
with Project.create(proj) as p:
    report = import_files(p, [csv])
    frames = p.sample_info(report.sample_ids[0]).frames
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "frames": frames, "base_kb": base, "peak_kb": peak}))
"""


def write_csv(path: Path, rows: int) -> None:
    """A 6-axis accelerometer/gyro-like file with a millisecond timestamp, written in blocks."""
    rng = np.random.default_rng(0)
    with open(path, "w") as fh:
        fh.write("timestamp,accX,accY,accZ,gyrX,gyrY,gyrZ\n")
        block = 100_000
        for start in range(0, rows, block):
            n = min(block, rows - start)
            t = (np.arange(start, start + n) * 10).reshape(-1, 1)
            values = rng.normal(0, 4, size=(n, 6)).round(5)
            np.savetxt(fh, np.hstack([t, values]), fmt=["%d"] + ["%.5f"] * 6, delimiter=",")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds: proves the script still runs")
    args = ap.parse_args()
    if args.quick:
        args.rows, args.repeat = 20_000, 1
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "big.csv"
        t = time.perf_counter()
        write_csv(csv, args.rows)
        size_mb = csv.stat().st_size / 1e6
        print(f"wrote {args.rows:,} rows x 6 axes, {size_mb:.1f} MB in {time.perf_counter() - t:.1f} s")
        results = []
        for i in range(args.repeat):
            proj = Path(tmp) / f"p{i}.tsproj"
            out = subprocess.run([sys.executable, "-c", CHILD, str(csv), str(proj)], capture_output=True,
                                 text=True, check=True)
            results.append(json.loads(out.stdout))
        secs = [r["seconds"] for r in results]
        decoded_mb = args.rows * 6 * 4 / 1e6
        extra_mb = [(r["peak_kb"] - r["base_kb"]) / 1024 for r in results]
        med = statistics.median(secs)
        print(f"import time  median {med:.2f} s  (runs: {', '.join(f'{s:.2f}' for s in secs)})")
        print(f"rows/second  median {args.rows / med:,.0f}   ({size_mb / med:.1f} MB of text per second)")
        print(f"decoded signal {decoded_mb:.1f} MB; import peak memory above start: median "
              f"{statistics.median(extra_mb):.1f} MB ({statistics.median(extra_mb) / decoded_mb:.2f}x the signal)")


if __name__ == "__main__":
    main()
