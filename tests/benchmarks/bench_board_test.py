"""Benchmark: the on-device test of 1,000 windows of 128 x 6 on the emulated Cortex-M4F (mps2-an386), from
the deploy call to the stored result with a warm build, with the time split into build, boot + transfer +
compute (the stream) and the rest; once with the test set placed in the board's memory at launch and once
streamed over the emulated UART (as every window was sent before), in the same run.

Synthetic data: 4 labels of 6-axis noise at 50 Hz, recordings of 128-frame windows (stride = window), a
tiny dense model trained one epoch; all recordings but one per label in the test split.

Run: python tests/benchmarks/bench_board_test.py [--windows N] [--quick]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tinystudio.app import deploy as deploy_module  # noqa: E402
from tinystudio.app.deploy import deploy  # noqa: E402
from tinystudio.core.compress import compress  # noqa: E402
from tinystudio.core.features import suggest_for_project  # noqa: E402
from tinystudio.core.formats import import_files  # noqa: E402
from tinystudio.core.store import Project  # noqa: E402
from tinystudio.core.training import train  # noqa: E402

RATE_HZ = 50.0
FRAMES = 128
AXES = 6
LABELS = ("idle", "walk", "run", "wave")


def write_recordings(out: Path, windows: int) -> list[Path]:
    """Per label: one training recording of 20 windows and test recordings of 25 windows each."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    paths = []
    per_label = -(-windows // len(LABELS))
    for k, label in enumerate(LABELS):
        sizes = [20] + [25] * (-(-per_label // 25))
        for i, n in enumerate(sizes):
            t = np.arange(n * FRAMES)[:, None] / RATE_HZ
            signal = np.round(1000 * np.sin(2 * np.pi * (k + 1) * t + np.arange(AXES))
                              + rng.normal(0, 300, (n * FRAMES, AXES)))
            path = out / f"{label}.{i:03d}.csv"
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("timestamp," + ",".join(f"a{j}" for j in range(AXES)) + "\n")
                for j, row in enumerate(signal):
                    fh.write(f"{j * 1000 / RATE_HZ:g}," + ",".join(f"{v:g}" for v in row) + "\n")
            paths.append(path)
    return paths


def timed_deploy(project: Project, variant_id: int, bulk: bool) -> tuple[float, dict]:
    saved = deploy_module.QemuTarget.bulk_capacity
    if not bulk:  # the board's memory takes no test set: every window goes over the emulated UART
        deploy_module.QemuTarget.bulk_capacity = lambda self: 0  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        r = deploy(project, variant_id, "mps2-an386", device_dsp=True).results
        return time.perf_counter() - start, r
    finally:
        deploy_module.QemuTarget.bulk_capacity = saved  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--windows", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="100 windows: proves the script still runs")
    args = parser.parse_args()
    if args.quick:
        args.windows = 100
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Project.create(root / "synthetic.tsproj") as project:
            import_files(project, write_recordings(root / "csv", args.windows))
            samples = project.samples()
            train_ids = [s.id for s in samples if s.name.endswith(".000.csv") or ".000" in s.name]
            project.set_split(train_ids, "train")
            project.set_split([s.id for s in samples if s.id not in train_ids], "test")
            impulse = suggest_for_project(project)
            impulse.window.window_ms = impulse.window.stride_ms = FRAMES * 1000 / RATE_HZ
            impulse.model.epochs = 1
            run_id = train(project, impulse).run_id
            variant_id = compress(project, run_id, "ptq")
            deploy(project, variant_id, "mps2-an386", device_dsp=True)  # the build, then warm
            print(f"{'mode':<28} {'windows':>7} {'total':>8} {'build':>7} {'stream':>8} {'other':>7} "
                  f"{'per window':>11} {'agree':>6}")
            for label, bulk in (("streamed over the UART", False), ("test set in memory", True)):
                total, r = timed_deploy(project, variant_id, bulk)
                t = r["timing"]
                other = total - t["build_seconds"] - t["stream_seconds"]
                print(f"{label:<28} {r['windows']:>7} {total:7.2f}s {t['build_seconds']:6.2f}s "
                      f"{t['stream_seconds']:7.2f}s {other:6.2f}s {1000 * t['stream_seconds'] / r['windows']:9.2f}ms "
                      f"{r['agreement']:6.1%}")


if __name__ == "__main__":
    main()
