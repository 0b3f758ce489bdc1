"""Calibrate the search's latency model on a board: measure the suite's models (instructions or cycles
per inference from the board's counter) and fit ``count = a*MACs + b*ops + c`` by non-negative least
squares on relative errors.

Prints one measurement per model and the coefficients as the row of tinystudio/targets/latency_table.py
(with the date and the models measured, its provenance). The tune search converts a count to
milliseconds with the board's clock_hz.

Run: python tests/benchmarks/calibrate_latency.py [--boards B ...] [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import suite_models  # noqa: E402
from tinystudio.core.codegen import generate  # noqa: E402
from tinystudio.core.codegen.graph import read_model  # noqa: E402
from tinystudio.core.compress.figures import model_figures  # noqa: E402
from tinystudio.core.errors import UserError  # noqa: E402
from tinystudio.targets import Target, get_target  # noqa: E402

MODELS = ("fully_connected_relu", "flatten_dense", "conv2d_same_relu", "depthwise_same_relu", "avg_pool_valid",
          "motion_cnn_1d", "dense_autoencoder", "ds_cnn_kws")
QUICK = ("fully_connected_relu", "conv2d_same_relu", "depthwise_same_relu", "motion_cnn_1d")


def model_cost(name: str) -> tuple[int, int]:
    """(MACs, generated ops) of a suite model, as the search computes them for a trial's model."""
    tflite = suite_models.build(name)
    return model_figures(tflite, measure_code=False).macs, len(read_model(tflite).ops)


def measure(name: str, runs: int, work: Path, target: Target) -> float:
    """Mean NN count per inference of suite model ``name`` built for ``target`` (BENCH over ``runs``)."""
    folder = work / name
    generate(suite_models.build(name), folder)
    artifact = target.build(folder, work / "cache")
    rng = np.random.default_rng(0)
    with target.launch(artifact) as link:
        info = link.client.hello()
        link.client.infer(rng.integers(-128, 128, info.raw_input_bytes, dtype=np.int8).tobytes(), timeout=600)
        return float(link.client.bench(runs, timeout=600 * runs).nn_mean)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", nargs="*", default=["mps2-an386", "microbit", "mps3-an547", "host"])
    parser.add_argument("--quick", action="store_true", help="four small models")
    args = parser.parse_args()
    models = QUICK if args.quick else MODELS
    with tempfile.TemporaryDirectory(prefix="tinystudio-calibrate-") as tmp:
        for board in args.boards:
            target = get_target(board)
            rows = []
            for name in models:
                macs, ops = model_cost(name)
                try:
                    count = measure(name, 1 if board != "host" else 50, Path(tmp) / board, target)
                except UserError as exc:  # a model that does not fit the board is left out of its fit
                    print(f"{board:<12} {name:<22} {exc}", flush=True)
                    continue
                rows.append((macs, ops, count))
                print(f"{board:<12} {name:<22} MACs {macs:>10} ops {ops:>3} count {count:>14.1f}", flush=True)
            a = np.array([[r[0], r[1], 1.0] for r in rows])
            y = np.array([r[2] for r in rows])
            # relative least squares: a small model's error weighs as much as a large one's
            w = np.maximum(y, 1.0)  # a microsecond counter reads 0 for the smallest models
            coef, _ = nnls(a / w[:, None], y / w)  # no negative cost per MAC, op or call
            pred = a @ coef
            worst = float(np.max(np.abs(pred - y) / np.maximum(y, 1.0)))
            print(f"{board}: count = {coef[0]:.6g}*MACs + {coef[1]:.6g}*ops + {coef[2]:.6g}  "
                  f"(worst relative error {worst:.1%} over {len(rows)} models)")
            print(f'    "{board}": LatencyCoefficients({coef[0]:.6g}, {coef[1]:.6g}, {coef[2]:.6g}, '
                  f'"{datetime.date.today()}: {len(rows)} suite models, worst error {worst:.0%}"),', flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
