"""Benchmark: DSP block against the network it feeds, on the emulated Cortex-M4F (QEMU mps2-an386).

For each pipeline (a DSP block and a network taking its features) the firmware is built with the block
on the board; one window goes through, then BENCH repeats DSP + network N times. Printed per pipeline:
DSP and NN emulated instructions per window (-icount shift=0, identical run after run; not real
Cortex-M cycles), DSP/NN and whether DSP is at most half the network (the goal), the largest difference
between the board's features and the host's float32 block, and the DSP figure of the first firmware DSP
code (BEFORE_DSP, measured once).

Networks: the MLPerf Tiny DS-CNN keyword spotter on 49x10 MFCC and, the same layers, on 49x40 MFE; the
suite's motion 1D CNN on raw 100x6 windows; the product's default dense and cnn1d presets on spectral
features of 100x6 windows at 10 Hz; the dense preset on window statistics of 100x6 windows at 10 Hz and of
250x6 windows at 50 Hz (5 s: the sort grows faster than the window); the product's default audio impulse
(MFCC defaults, dscnn preset).
Weights are random (instruction counts do not depend on them); models are cached like the suite's.

Run: python tests/benchmarks/bench_dsp_qemu.py [--runs N] [--quick] [pipeline ...]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import suite_models  # noqa: E402
from tinystudio.core.codegen import generate  # noqa: E402
from tinystudio.core.dsp import DspBlock, make_block  # noqa: E402
from tinystudio.targets import get_target  # noqa: E402

KWS = {"frame_length_ms": 40.0, "frame_stride_ms": 20.0, "n_mels": 40}


def _ds_cnn_mfe() -> bytes:
    """The suite's DS-CNN keyword spotter with a 49x40 input (MFE with 40 bands), 12 classes."""
    return suite_models.ds_cnn(40)


def _preset(preset: str, shape: tuple[int, ...], classes: int) -> Callable[[], bytes]:
    """The product's model preset (default parameters) for ``shape`` inputs, random weights, int8."""

    def build() -> bytes:
        from tinystudio.core.models import model_spec
        from tinystudio.core.models.keras_builder import build_keras

        return suite_models._convert(build_keras(model_spec(preset, None, shape, classes), seed=3), 3)

    build.__qualname__ = f"preset_{preset}_{'x'.join(map(str, shape))}"
    return build


def cached_model(name: str, builder: Callable[[], bytes]) -> bytes:
    """.tflite bytes of a suite model by name, or of a builder here, cached next to the suite's models."""
    if name in suite_models.APP_MODELS:
        return suite_models.build(name)
    key = hashlib.sha256((name + inspect.getsource(builder)).encode()).hexdigest()[:16]
    path = suite_models.cache_dir() / f"bench-dsp-{name}-{key}.tflite"
    if not path.exists():
        data = builder()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path.read_bytes()


@dataclass(frozen=True)
class Pipeline:
    label: str
    block: str
    params: dict[str, Any]
    rate: float
    frames: int
    axes: int
    model: str
    builder: Callable[[], bytes] | None = None

    def make_block(self) -> DspBlock:
        return make_block(self.block, self.params, self.rate, self.frames, self.axes)


SPECTRAL_SHAPE = (6 * (5 + 8),)
STATISTICS_SHAPE = (6 * 9,)
PIPELINES = {
    "kws-mfcc": Pipeline("KWS MFCC + DS-CNN", "mfcc", {**KWS, "n_coeffs": 10}, 16000.0, 16000, 1, "ds_cnn_kws"),
    "kws-mfe": Pipeline("KWS MFE + DS-CNN", "mfe", KWS, 16000.0, 16000, 1, "ds_cnn_mfe", _ds_cnn_mfe),
    "motion-raw": Pipeline("motion raw + cnn1d", "raw", {}, 10.0, 100, 6, "motion_cnn_1d"),
    "motion-spectral-dense": Pipeline("motion spectral + dense", "spectral", {}, 10.0, 100, 6, "dense_78",
                                      _preset("dense", SPECTRAL_SHAPE, 4)),
    "motion-spectral-cnn1d": Pipeline("motion spectral + cnn1d", "spectral", {}, 10.0, 100, 6, "cnn1d_78",
                                      _preset("cnn1d", SPECTRAL_SHAPE, 4)),
    "motion-statistics-dense": Pipeline("motion statistics + dense", "statistics", {}, 10.0, 100, 6, "dense_54",
                                        _preset("dense", STATISTICS_SHAPE, 4)),
    "motion-statistics-250": Pipeline("statistics 250 frames + dense", "statistics", {}, 50.0, 250, 6, "dense_54",
                                      _preset("dense", STATISTICS_SHAPE, 4)),
    "audio-default": Pipeline("audio defaults MFCC + dscnn", "mfcc", {}, 16000.0, 16000, 1, "dscnn_98x13",
                              _preset("dscnn", (98, 13), 4)),
}
QUICK = ["kws-mfcc", "motion-raw"]
BEFORE_DSP = {"kws-mfcc": 14.707e6, "kws-mfe": 14.663e6, "motion-raw": 0.028e6, "motion-spectral-dense": 0.137e6,
              "motion-spectral-cnn1d": 0.137e6, "audio-default": 13.296e6}
"""DSP emulated instructions per window of the same pipelines with the firmware's first DSP code (a complex
radix-2 FFT of the zero-imaginary signal, a dense mel filterbank, log10f per band), measured at commit
df5a7ee with this script: the reference the 'before' column quotes (pipelines added later have none)."""


def window(p: Pipeline) -> np.ndarray:
    """A deterministic test window: a decaying tone plus noise (audio) or per-axis sines plus noise."""
    rng = np.random.default_rng(5)
    t = np.arange(p.frames)[:, None] / p.rate
    freqs = rng.uniform(0.05, 0.4, p.axes) * p.rate
    x = np.sin(2 * np.pi * freqs * t) * np.exp(-2 * t) + rng.normal(0, 0.05, (p.frames, p.axes))
    return x.astype(np.float32)


def measure(p: Pipeline, runs: int, work: Path) -> dict[str, float]:
    block = p.make_block()
    folder = work / p.model
    if not folder.exists():
        generate(cached_model(p.model, p.builder or (lambda: b"")), folder)
    target = get_target("mps2-an386")
    artifact = target.build(folder, work / "cache", dsp=block)
    x = window(p)
    with target.launch(artifact) as link:
        link.client.hello()
        result = link.client.infer(x.tobytes(), timeout=600)
        features = np.frombuffer(link.client.features(), dtype=np.float32)
        bench = link.client.bench(runs, timeout=600 * runs)
    if result.status != 0 or bench.status != 0:
        raise RuntimeError(f"{p.label}: the board reported status {result.status}/{bench.status}")
    expected = block(x).ravel()
    diff = np.abs(features.astype(np.float64) - expected)
    return {"dsp": bench.dsp_mean, "nn": bench.nn_mean,
            "abs": float(diff.max()), "rel": float((diff / (np.abs(expected) + 1e-6)).max())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="two pipelines, one run: proves the script still runs")
    parser.add_argument("pipelines", nargs="*", help=f"pipelines (default: all): {', '.join(PIPELINES)}")
    args = parser.parse_args()
    names = args.pipelines or (QUICK if args.quick else list(PIPELINES))
    unknown = [n for n in names if n not in PIPELINES]
    if unknown:
        parser.error(f"unknown pipeline {unknown[0]} (choose from {', '.join(PIPELINES)})")
    runs = 1 if args.quick else args.runs
    print("QEMU mps2-an386 (Cortex-M4F), -icount shift=0: emulated instructions per window, not Cortex-M cycles")
    header = (f"{'pipeline':<30} {'DSP instr':>11} {'NN instr':>11} {'DSP/NN':>7} {'goal <=0.5':>10} "
              f"{'max |diff|':>10} {'DSP before':>11}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="tinystudio-bench-dsp-") as tmp:
        for name in names:
            p = PIPELINES[name]
            m = measure(p, runs, Path(tmp))
            ratio = m["dsp"] / m["nn"]
            print(f"{p.label:<30} {m['dsp'] / 1e6:>10.3f}M {m['nn'] / 1e6:>10.3f}M {ratio:>7.2f} "
                  f"{'met' if ratio <= 0.5 else 'NOT met':>10} {m['abs']:>10.2g} "
                  + (f"{BEFORE_DSP[name] / 1e6:>10.3f}M" if name in BEFORE_DSP else f"{'-':>11}"),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
