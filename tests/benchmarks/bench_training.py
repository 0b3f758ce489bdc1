"""Benchmark: BasicMotions training (wall time, peak memory) and DSP cost per window for every block.

Run: python tests/benchmarks/bench_training.py [--epochs N] [--quick]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import write_basic_motions_csv  # noqa: E402
from tinystudio.core.dsp import make_block  # noqa: E402
from tinystudio.core.features import suggest_for_project  # noqa: E402
from tinystudio.core.formats import import_files  # noqa: E402
from tinystudio.core.split import assign_splits  # noqa: E402
from tinystudio.core.store import Project  # noqa: E402
from tinystudio.core.training import train  # noqa: E402

DSP_CASES = (
    ("raw", {}, 100.0, 200, 3, "motion 2 s @ 100 Hz, 3 axes"),
    ("spectral", {"fft_length": 64}, 100.0, 200, 3, "motion 2 s @ 100 Hz, 3 axes"),
    ("spectral", {"fft_length": 64, "filter": "lowpass", "cutoff_hz": 20.0}, 100.0, 200, 3,
     "same + low-pass"),
    ("mfe", {}, 16000.0, 16000, 1, "audio 1 s @ 16 kHz"),
    ("mfcc", {}, 16000.0, 16000, 1, "audio 1 s @ 16 kHz"),
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def bench_dsp() -> None:
    print("DSP cost per window (numpy float32 on the host; ops = counted floating-point operations)")
    print(f"{'block':<10} {'case':<32} {'output':>10} {'ops':>12} {'ms/window':>10} {'ms/window, batch of 64':>24}")
    rng = np.random.default_rng(0)
    for name, params, rate, frames, axes, case in DSP_CASES:
        block = make_block(name, params, rate, frames, axes)
        one = rng.normal(size=(frames, axes)).astype(np.float32)
        many = rng.normal(size=(64, frames, axes)).astype(np.float32)
        block(one)
        t = time.perf_counter()
        reps = 5
        for _ in range(reps):
            block(one)
        single = (time.perf_counter() - t) / reps * 1000
        t = time.perf_counter()
        block.transform(many)
        batched = (time.perf_counter() - t) / 64 * 1000
        shape = "x".join(map(str, block.output_shape))
        print(f"{name:<10} {case:<32} {shape:>10} {block.ops():>12,} {single:>10.3f} {batched:>24.3f}")


def bench_training(epochs: int | None, per_label: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_basic_motions_csv(Path(tmp) / "csv", per_label)
        project = Project.create(Path(tmp) / "bm.tinystudio")
        import_files(project, paths)
        assign_splits(project)
        impulse = suggest_for_project(project)
        if epochs:
            impulse.model.epochs = epochs
        rss_before = peak_rss_mb()
        t = time.perf_counter()
        result = train(project, impulse)
        first = time.perf_counter() - t
        t = time.perf_counter()
        again = train(project, impulse)
        second = time.perf_counter() - t
        project.close()
    m = result.metrics
    print(f"\nBasicMotions training ({len(paths)} recordings, split 70/15/15)")
    print(f"impulse: window {impulse.window.window_ms:g}/{impulse.window.stride_ms:g} ms, {impulse.dsp.block}, "
          f"{impulse.model.preset}, {impulse.model.epochs} epochs, seed {impulse.model.seed}")
    print("windows train/validation/test: "
          + "/".join(str(result.config["dataset"][s]["windows"]) for s in ("train", "validation", "test")))
    print(f"model: {m['params']:,} parameters, {m['macs']:,} MACs; DSP {m['dsp_ops']:,} ops per window")
    print(f"wall time, first run (includes TensorFlow import): {first:.2f} s")
    print(f"wall time, second run: {second:.2f} s")
    print(f"validation accuracy {m['validation_accuracy']:.3f}, test accuracy {m['test_accuracy']:.3f}"
          f" (second run identical: {again.test.confusion == result.test.confusion})")
    print(f"peak RSS before training: {rss_before:.0f} MB, after: {peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, help="override the suggested epoch count")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds: proves the script still runs")
    args = parser.parse_args()
    if args.quick:  # one epoch on five recordings per activity
        args.epochs = 1
    bench_dsp()
    bench_training(args.epochs, 5 if args.quick else None)


if __name__ == "__main__":
    main()
