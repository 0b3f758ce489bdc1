"""Benchmark: the on-device test of 100 and 1,000 windows of 128 x 6 on the emulated Cortex-M4F (mps2-an386), from
the deploy call (the user's click) to the stored result with a warm build, with the time split into build, boot,
transfer, compute, store and host preparation (the test split's features and the host reference). Each size runs
four ways: the board runs the DSP block (int16 samples) or takes the host's features (int8 model input), with the
test set placed in the board's memory at launch or streamed over the emulated UART, pipelined.

Compute is the board's wall time per inference (from a BENCH run) times the windows; transfer is the rest of the
stream (requests, windows and answers on the link, and the host's checks per window). Targets: 1,000 windows in
at most 20 s, 100 windows in at most 6 s.

Synthetic data: 4 labels of 6-axis integer counts at 50 Hz, recordings of 128-frame windows (stride = window), a
tiny dense model trained one epoch; one recording per label for training, the rest in the test split.

Run: python tests/benchmarks/bench_board_test.py [--windows 100,1000] [--quick]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tinystudio.app import deploy as deploy_module  # noqa: E402
from tinystudio.app.deploy import DeployResult, deploy  # noqa: E402
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


def timed_deploy(project: Project, variant_id: int, device_dsp: bool, in_memory: bool) -> tuple[float, DeployResult]:
    saved = deploy_module.QemuTarget.bulk_capacity
    if not in_memory:  # the board's memory takes no test set: every window goes over the emulated UART
        deploy_module.QemuTarget.bulk_capacity = lambda self, artifact=None: 0  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        result = deploy(project, variant_id, "mps2-an386", device_dsp=device_dsp)
        return time.perf_counter() - start, result
    finally:
        deploy_module.QemuTarget.bulk_capacity = saved  # type: ignore[method-assign]


def use_test_windows(project: Project, train_ids: list[int], windows: int) -> None:
    """Put the first recordings (25 windows each, labels in turn) in the test split until ``windows``."""
    rest = [s for s in project.samples() if s.id not in train_ids]
    rest.sort(key=lambda s: (re.search(r"\.(\d{3})", s.name).group(1), s.name))  # type: ignore[union-attr]
    keep = [s.id for s in rest[: -(-windows // 25)]]  # recording number first, then label
    project.set_split(keep, "test")
    others = [s.id for s in rest if s.id not in keep]
    if others:
        project.set_split(others, None)


HEADER = (f"{'path':<42} {'windows':>7} {'total':>8} {'build':>7} {'boot':>6} {'transfer':>9} {'compute':>8} "
          f"{'store':>6} {'prep':>6} {'per window':>11} {'agree':>6}")


def row(total: float, result: DeployResult) -> str:
    r = result.results
    t, how = r["timing"], r["transfer"]
    path = f"{'in memory' if how['test_set'] != 'streamed' else 'streamed'} {how['format']}" + (
        " pipelined" if how["pipelined"] else "") + (" (DSP on board)" if r["mode"] == "dsp_on_board" else "")
    prep = total - t["build_seconds"] - t["boot_seconds"] - t["stream_seconds"] - result.store_seconds
    return (f"{path:<42} {r['windows']:>7} {total:7.2f}s {t['build_seconds']:6.2f}s {t['boot_seconds']:5.2f}s "
            f"{t['transfer_seconds']:8.2f}s {t['compute_seconds']:7.2f}s {result.store_seconds:5.2f}s {prep:5.2f}s "
            f"{1000 * t['stream_seconds'] / r['windows']:9.2f}ms {r['agreement']:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--windows", default="100,1000", help="test split sizes, comma-separated")
    parser.add_argument("--quick", action="store_true", help="100 windows: proves the script still runs")
    args = parser.parse_args()
    sizes = [100] if args.quick else [int(w) for w in args.windows.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Project.create(root / "synthetic.tsproj") as project:
            import_files(project, write_recordings(root / "csv", max(sizes)))
            samples = project.samples()
            train_ids = [s.id for s in samples if ".000" in s.name]
            project.set_split(train_ids, "train")
            use_test_windows(project, train_ids, max(sizes))
            impulse = suggest_for_project(project)
            impulse.window.window_ms = impulse.window.stride_ms = FRAMES * 1000 / RATE_HZ
            impulse.model.epochs = 1
            run_id = train(project, impulse).run_id
            variant_id = compress(project, run_id, "ptq")
            use_test_windows(project, train_ids, min(sizes))
            for device_dsp in (True, False):  # both firmware builds, then warm
                deploy(project, variant_id, "mps2-an386", device_dsp=device_dsp)
            print(HEADER)
            for windows in sizes:
                use_test_windows(project, train_ids, windows)
                for device_dsp in (True, False):
                    for in_memory in (True, False):
                        total, result = timed_deploy(project, variant_id, device_dsp, in_memory)
                        print(row(total, result), flush=True)


if __name__ == "__main__":
    main()
