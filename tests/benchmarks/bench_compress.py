"""Benchmark: every compression method on BasicMotions, for the default dense model (spectral features)
and a 1D CNN on raw windows: wall time per method and the figures the Compress step compares.

Run: python tests/benchmarks/bench_compress.py [--epochs N] [--sparsity S] [--quick]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import write_basic_motions_csv  # noqa: E402
from tinystudio.core.compress import METHODS, CompressOptions, compress  # noqa: E402
from tinystudio.core.compress.compare import variant_rows  # noqa: E402
from tinystudio.core.features import suggest_for_project  # noqa: E402
from tinystudio.core.formats import import_files  # noqa: E402
from tinystudio.core.impulse import DspConfig  # noqa: E402
from tinystudio.core.split import assign_splits  # noqa: E402
from tinystudio.core.store import Project  # noqa: E402
from tinystudio.core.training import train  # noqa: E402

CASES = (
    ("dense on spectral features", "spectral", None, "dense"),
    ("1D CNN on raw windows", "raw", "cnn1d", "cnn1d"),
)


def _pct(v: float | None) -> str:
    return "   -  " if v is None else f"{v * 100:5.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--epochs", type=int, default=30, help="training epochs of the float run")
    ap.add_argument("--sparsity", type=float, default=0.5)
    ap.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds: proves the script still runs")
    args = ap.parse_args()
    # quick: five recordings per activity, one epoch everywhere (float run and each method), first case only
    per_label, method_epochs, cases = (5, 1, CASES[:1]) if args.quick else (None, None, CASES)
    if args.quick:
        args.epochs = 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "bm.tsproj"
        with Project.create(path) as project:
            import_files(project, write_basic_motions_csv(root / "csv", per_label))
            assign_splits(project)
            for title, dsp, preset, student in cases:
                impulse = suggest_for_project(project)
                if dsp != impulse.dsp.block:
                    impulse.dsp = DspConfig(dsp, {})
                if preset:
                    impulse.model.preset = preset
                impulse.model.epochs = args.epochs
                t0 = time.perf_counter()
                result = train(project, impulse)
                train_s = time.perf_counter() - t0
                m = result.metrics
                print(f"\n== {title}: float run {result.run_id}, test {_pct(m['test_accuracy'])}, "
                      f"{m['params']} params, {m['macs']} MACs, trained in {train_s:.1f} s")
                seconds = {}
                for method in METHODS:
                    t0 = time.perf_counter()
                    vid = compress(project, result.run_id, method,
                                   CompressOptions(epochs=method_epochs, sparsity=args.sparsity, student=student))
                    seconds[vid] = time.perf_counter() - t0
                print(f"{'method':8} {'time':>7} {'int8 test':>9} {'val':>7} {'sparsity':>8} {'non-zero':>9} "
                      f"{'MACs':>7} {'weights':>8} {'code':>7} {'flash':>7} {'arena':>7}")
                for r in variant_rows(project, result.run_id):
                    print(f"{r.method:8} {seconds[r.variant_id]:6.1f}s {_pct(r.test_accuracy):>9} "
                          f"{_pct(r.validation_accuracy):>7} {_pct(r.sparsity):>8} {r.nonzero_params:9,} "
                          f"{r.macs:7,} {r.weights_bytes:7,}B {r.code_bytes or 0:6,}B {r.flash_bytes:6,}B "
                          f"{r.arena_bytes:6,}B")


if __name__ == "__main__":
    main()
