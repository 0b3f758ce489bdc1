"""Benchmark: the whole Deploy loop on BasicMotions (quantize, generate C, build, launch, stream the test
split, bench, store) on the host board and the emulated Cortex-M4F, cold and warm (cached build), and
the per-window INFER round trip.

Run: python tests/benchmarks/bench_deploy.py [--epochs N] [--rounds N] [--quick]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import write_basic_motions_csv  # noqa: E402
from tinystudio.app.deploy import deploy  # noqa: E402
from tinystudio.core.compress import compress  # noqa: E402
from tinystudio.core.features import suggest_for_project  # noqa: E402
from tinystudio.core.formats import import_files  # noqa: E402
from tinystudio.core.split import assign_splits  # noqa: E402
from tinystudio.core.store import Project  # noqa: E402
from tinystudio.core.training import train  # noqa: E402
from tinystudio.targets import get_target  # noqa: E402


def round_trips(project: Project, variant_id: int, target: str, dsp_on_board: bool, rounds: int) -> list[float]:
    """Wall time of single INFER round trips on one test window, board already running (ms). The model is
    generated where and as deploy generates it, so the firmware deploy just built is reused from the cache."""
    from tinystudio.core.codegen import generate
    from tinystudio.core.int8_reference import Int8Reference
    from tinystudio.core.pipeline_data import pipeline_data

    board = get_target(target)
    variant = next(v for v in project.variants() if v["id"] == variant_id)
    data = pipeline_data(project, variant["run_id"])
    tflite = project.variant_tflite(variant_id)
    model_dir = project.cache_dir / "deploy" / f"variant-{variant_id}" / "model"
    generate(tflite, model_dir, name=f"variant_{variant_id}")
    artifact = board.build(model_dir, project.cache_dir / "firmware", dsp=data.block if dsp_on_board else None)
    if dsp_on_board:
        payload = data.raw("test")[0].astype(np.float32).tobytes()
    else:
        payload = Int8Reference(tflite).quantize(data.features("test")[0].ravel()).tobytes()
    times = []
    with board.launch(artifact) as link:
        link.client.hello()
        for _ in range(rounds):
            start = time.perf_counter()
            link.client.infer(payload, timeout=30)
            times.append(1000.0 * (time.perf_counter() - start))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds: proves the script still runs")
    args = parser.parse_args()
    if args.quick:  # five recordings per activity, one epoch, cold builds only, a few round trips
        args.epochs, args.rounds = 1, 5
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "bm.tsproj"
        with Project.create(path) as project:
            import_files(project, write_basic_motions_csv(root / "csv", 5 if args.quick else None))
            assign_splits(project)
            impulse = suggest_for_project(project)
            impulse.model.epochs = args.epochs
            run_id = train(project, impulse).run_id
            start = time.perf_counter()
            variant_id = compress(project, run_id, "ptq")
            metrics = next(v for v in project.variants() if v["id"] == variant_id)["metrics"]
            print(f"quantize (int8 PTQ + TFLM test scoring): {time.perf_counter() - start:.2f} s, "
                  f"{metrics['tflite_bytes']} B .tflite, int8 test accuracy {metrics['test_accuracy']:.3f}")
            boards = [("host", True), ("host", False)]
            if shutil.which("qemu-system-arm"):
                boards += [("mps2-an386", True), ("mps2-an386", False)]
            print(f"\n{'board':<11} {'mode':<24} {'build':>9} {'total':>8} {'stream':>8} {'per window':>11} "
                  f"{'agree':>6} {'NN mean':>9} {'DSP mean':>9} unit")
            trips = []
            for target, dsp in boards:
                for label in ("cold",) if args.quick else ("cold", "warm"):
                    if label == "cold":
                        shutil.rmtree(project.cache_dir / "firmware", ignore_errors=True)
                    r = deploy(project, variant_id, target, device_dsp=dsp).results
                    t, lat = r["timing"], r["latency"]
                    mode = ("dsp_on_board" if dsp else "features_from_host") + f" {label}"
                    print(f"{target:<11} {mode:<24} {t['build_seconds']:8.2f}s {t['total_seconds']:7.2f}s "
                          f"{t['stream_seconds']:7.2f}s {t['round_trip_ms']:9.2f}ms {r['agreement']:6.1%} "
                          f"{lat['nn']['mean']:9.0f} {lat['dsp']['mean']:9.0f} {lat['unit']}")
                times = round_trips(project, variant_id, target, dsp, args.rounds)
                mode = "raw float32 window, DSP on board" if dsp else "int8 features"
                trips.append(f"  {target:<11} {mode:<33} median {statistics.median(times):7.2f} ms, "
                             f"p95 {np.percentile(times, 95):7.2f} ms, max {max(times):7.2f} ms")
            print(f"\nINFER round trip on a running board ({args.rounds} calls, one test window):")
            print("\n".join(trips))


if __name__ == "__main__":
    main()
