"""The per-layer profile of an on-device test: a second firmware built from the same model with each op
timed (codegen ``profile=True``), run on a few test windows, and turned into one row per layer: op,
output shape, time in counter units and milliseconds, MACs, counts per MAC and share of the total.

It is a separate build because timing every op adds a counter read between ops; the test's own latency
figures stay those of the image that ships. Emulated boards count instructions, so their milliseconds
are an estimate at the board's clock, labelled so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.app.formatting import fmt_count, fmt_percent
from tinystudio.core.codegen import CodegenReport, generate
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.device.profile_client import ProfileReading, read_profile
from tinystudio.device.runner_client import RunnerError

if TYPE_CHECKING:
    from pathlib import Path

    from tinystudio.core.dsp import DspBlock
    from tinystudio.device.runner_protocol import HelloInfo
    from tinystudio.targets.base import Artifact, BoardLink, Target

PROFILE_WINDOWS = 5  # test windows the profiling build runs, spread over the test split
PROFILE_RUNS = 3  # repetitions of each window (the board keeps min and median per op)
TIMEOUT_S = 60.0


def ms_per_count(unit: str, clock_hz: float | None) -> float | None:
    """Milliseconds per counter unit: microseconds are a time already; cycles and instructions need a clock."""
    if "second" in unit:
        return 1e-3
    return 1000.0 / clock_hz if clock_hz else None


def pick_windows(windows: list[bytes], count: int = PROFILE_WINDOWS) -> list[bytes]:
    """Up to ``count`` windows spread evenly over the test split (first and last included)."""
    if len(windows) <= count:
        return list(windows)
    return [windows[int(i)] for i in np.linspace(0, len(windows) - 1, count).round()]


def profile_on_board(
    board: Target,
    tflite: bytes,
    model_dir: Path,
    cache_dir: Path,
    name: str,
    dsp: DspBlock | None,
    windows: list[bytes],
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Build the profiling image of ``tflite`` for ``board``, run it on a few of ``windows`` (raw, as the
    test sends them) and return ``{"per_layer": rows, "profile": summary}`` for the stored result."""
    progress = progress or no_progress
    cancel = cancel or CancelToken()
    progress(0.0, "generating the profiling build (each layer timed)")
    report = generate(tflite, model_dir, name=name, cancel=cancel, profile=True)
    artifact = board.build(model_dir, cache_dir, lambda f, m: progress(0.05 + 0.6 * f, m), cancel, dsp=dsp)
    cancel.raise_if_cancelled()
    chosen = pick_windows(windows)
    readings: list[ProfileReading] = []
    progress(0.7, f"starting {board.title} with the profiling build")
    with _launch(board, artifact, chosen) as link:
        info = link.client.hello(timeout=10.0)
        if info.model_hash != report.model_hash:
            raise UserError(f"the board runs model {info.model_hash}, not the profiling build ({report.model_hash})")
        for i, window in enumerate(chosen):
            cancel.raise_if_cancelled()
            if link.bulk_windows == len(chosen):  # in the emulated board's memory since launch
                result = link.client.infer_at(i, timeout=TIMEOUT_S)
            else:
                result = link.client.infer(window, timeout=TIMEOUT_S)
            if result.status != 0:
                raise UserError(f"the profiling build failed on the board (status {result.status})")
            reading = read_profile(link.client, PROFILE_RUNS, timeout=TIMEOUT_S)
            if reading.status != 0:
                raise RunnerError(f"the profiling build failed on the board (status {reading.status})")
            readings.append(reading)
            progress(0.7 + 0.3 * (i + 1) / len(chosen), f"timing each layer: window {i + 1}/{len(chosen)}")
    return profile_results(report, readings, info)


def _launch(board: Target, artifact: Artifact, windows: list[bytes]) -> BoardLink:
    """Start the board; an emulated one gets the windows in its memory (long audio windows would take
    seconds each over the emulated UART)."""
    from tinystudio.targets.qemu import QemuTarget

    if isinstance(board, QemuTarget) and windows:
        if len(windows) * ((len(windows[0]) + 3) // 4 * 4) <= board.bulk_capacity():
            return board.launch(artifact, bulk=windows)
    return board.launch(artifact)


def profile_results(report: CodegenReport, readings: list[ProfileReading], info: HelloInfo) -> dict[str, Any]:
    """Per-layer rows and a summary from the readings of several windows (median of their medians)."""
    unit = info.counter_kind.label
    per_ms = ms_per_count(unit, info.clock_hz)
    estimate = "instruction" in unit
    layers = {layer.op_index: layer for layer in report.layers if layer.timed}
    order = [o.op_index for o in readings[0].ops]
    if set(order) != set(layers):
        raise RunnerError("the board's profile names other ops than the model it was built from")
    counts = np.asarray([[o.median for o in r.ops] for r in readings], dtype=np.float64)
    mins = np.asarray([[o.min for o in r.ops] for r in readings], dtype=np.int64).min(axis=0)
    median = np.median(counts, axis=0)
    total = float(median.sum())
    rows = []
    for k, op_index in enumerate(order):
        layer = layers[op_index]
        count = float(median[k])
        rows.append({
            "op_index": op_index,
            "op": layer.kind,
            "output": layer.output,
            "output_shape": list(layer.output_shape),
            "count": count,
            "count_min": int(mins[k]),
            "ms": None if per_ms is None else count * per_ms,
            "macs": layer.macs,
            "per_mac": count / layer.macs if layer.macs else None,
            "share": count / total if total else 0.0,
        })
    whole = float(np.median([r.whole_median for r in readings]))
    return {
        "per_layer": rows,
        "profile": {
            "unit": unit,
            "clock_hz": info.clock_hz,
            "ms_estimate": estimate and per_ms is not None,
            "windows": len(readings),
            "runs": readings[0].runs,
            "sum": total,
            "whole": whole,
            "sum_ms": None if per_ms is None else total * per_ms,
            "macs": int(sum(layer.macs for layer in layers.values())),
        },
    }


def table_lines(r: dict[str, Any]) -> list[str]:
    """The per-layer profile of a stored result as text lines (empty when it has none)."""
    rows, p = r.get("per_layer"), r.get("profile")
    if not rows or not p:
        return []
    est = " (estimate)" if p["ms_estimate"] else ""
    lines = [f"per layer ({p['unit']}; median of {p['windows']} windows x {p['runs']} runs, profiling build){est}",
             f"  {'op':>3} {'layer':<18} {'output':<14} {'count':>12} {'ms':>8} {'MACs':>11} {'/MAC':>6} {'share':>6}"]
    for row in rows:
        shape = "x".join(map(str, row["output_shape"]))
        ms = f"{row['ms']:.3g}" if row["ms"] is not None else "-"
        per = f"{row['per_mac']:.2f}" if row["per_mac"] is not None else "-"
        lines.append(f"  {row['op_index']:>3} {row['op'][:18]:<18} {shape[:14]:<14} {fmt_count(row['count']):>12} "
                     f"{ms:>8} {fmt_count(row['macs']):>11} {per:>6} {fmt_percent(row['share']):>6}")
    lines.append(f"  sum of layers {fmt_count(p['sum'])} of {fmt_count(p['whole'])} {p['unit']} for the whole "
                 f"inference ({fmt_percent(p['sum'] / p['whole'] if p['whole'] else None)})")
    return lines
