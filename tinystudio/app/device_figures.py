"""The figures an embedded engineer asks of an on-device test, computed from a stored result's
per-window data: latency percentiles (DSP and NN, after a warm-up window) in counter units and in
milliseconds, inference rate and duty cycle, per-class precision/recall/F1 on the device, the windows
where board and host disagree, and the energy estimate. The CLI, the Deploy page and the report all
show these same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.targets.energy import board_power

WARMUP_WINDOWS = 1
BENCH_RUNS = 20  # repetitions of the BENCH run after the test, unless the user asks for another number
MAX_BENCH_RUNS = 0xFFFF  # the BENCH request carries the count in 16 bits
DEFAULT_RATE_HZ = 1.0
DEFAULT_SLEEP_UA = 10.0
DEFAULT_BATTERY_MAH = 220.0  # a CR2032 coin cell
# The duty-cycle inputs people may give (the CLI refuses others by name, the Deploy page's boxes stop there):
# beyond them the estimate reads "inf%" or a 300-digit rate, below them a battery life of 300 digits of years.
MIN_RATE_HZ = 0.001
MAX_RATE_HZ = 100_000.0
MAX_SLEEP_UA = 100_000.0
MIN_BATTERY_MAH = 1.0
MAX_BATTERY_MAH = 1_000_000.0


def bench_runs_problem(value: object) -> str | None:
    """Why ``value`` cannot be the number of BENCH repetitions (None when it can): the one rule the CLI's
    --bench-runs and the Deploy page's box both follow."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"not a whole number: {value!r}"
    if not 1 <= value <= MAX_BENCH_RUNS:
        return f"must be from 1 to {MAX_BENCH_RUNS}: {value}"
    return None


def check_bench_runs(value: object) -> int:
    """``value`` as a BENCH repetition count, or UserError naming what is wrong."""
    problem = bench_runs_problem(value)
    if problem is not None or not isinstance(value, int):
        raise UserError(f"BENCH runs: {problem}")
    return value


def _ms_per_count(unit: str, clock_hz: float | None) -> float | None:
    """Milliseconds per counter unit: microseconds are a time already; cycles and instructions need a clock."""
    if "second" in unit:
        return 1e-3
    return 1000.0 / clock_hz if clock_hz else None


def latency_figures(counts: list[int], bench: dict[str, Any] | None, unit: str, clock_hz: float | None,
                    estimate: bool) -> dict[str, Any]:
    """min, median, p95 and max of ``counts`` after the warm-up window, with the BENCH run beside them."""
    values = np.asarray(counts[WARMUP_WINDOWS:] if len(counts) > WARMUP_WINDOWS else counts, dtype=np.float64)
    out: dict[str, Any] = {"unit": unit, "windows": int(len(values)), "warmup_skipped": WARMUP_WINDOWS}
    if len(values):
        out.update(min=float(values.min()), median=float(np.median(values)),
                   p95=float(np.percentile(values, 95)), max=float(values.max()))
    else:
        out.update(min=0.0, median=0.0, p95=0.0, max=0.0)
    out["bench"] = dict(bench) if bench else None
    per = _ms_per_count(unit, clock_hz)
    out["ms"] = None if per is None else {k: out[k] * per for k in ("min", "median", "p95", "max")}
    if per is not None and bench:
        for k in ("min", "mean", "max"):
            out["ms"][f"bench_{k}"] = float(bench[k]) * per
    out["ms_estimate"] = bool(estimate and per is not None and "second" not in unit)
    return out


def per_class(labels: list[str], confusion: list[list[int]]) -> list[dict[str, Any]]:
    """Precision, recall and F1 of each class from the on-device confusion matrix (rows true, columns predicted)."""
    cm = np.asarray(confusion, dtype=np.float64)
    rows = []
    for i, label in enumerate(labels):
        tp = cm[i, i]
        predicted, actual = cm[:, i].sum(), cm[i, :].sum()
        precision = float(tp / predicted) if predicted else 0.0
        recall = float(tp / actual) if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"label": label, "precision": precision, "recall": recall, "f1": f1, "support": int(actual)})
    return rows


def disagreements(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The test windows where the board's class differs from the host's: sample, window in it, both labels."""
    labels = r["confusion_matrix"]["labels"]
    samples = r.get("window_samples") or [None] * len(r["predictions"])
    index = r.get("window_index") or [None] * len(r["predictions"])
    return [
        {"window": i, "sample_id": samples[i], "window_index": index[i],
         "host": labels[h], "device": labels[d]}
        for i, (d, h) in enumerate(zip(r["predictions"], r["host_predictions"], strict=True)) if d != h
    ]


def energy_figures(target: str, inference_s: float | None, rate_hz: float, sleep_ua: float,
                   battery_mah: float) -> dict[str, Any] | None:
    """Energy per inference (latency x V x I) and battery life at ``rate_hz`` inferences per second,
    sleeping at ``sleep_ua`` in between; always an estimate. None for a board without a power figure."""
    power = board_power(target)
    if power is None or inference_s is None:
        return None
    active_a = power.active_ma / 1000.0
    uj = inference_s * power.volts * active_a * 1e6
    duty = min(1.0, inference_s * rate_hz)
    average_ma = duty * power.active_ma + (1.0 - duty) * sleep_ua / 1000.0
    return {
        "estimate": True,
        "chip": power.chip,
        "clock_hz": power.clock_hz,
        "active_ma": power.active_ma,
        "volts": power.volts,
        "source": power.source,
        "verified": power.verified,
        "basis": power.basis,
        "emulated": power.emulated,
        "uj_per_inference": uj,
        "rate_hz": rate_hz,
        "sleep_ua": sleep_ua,
        "battery_mah": battery_mah,
        "average_ma": average_ma,
        "battery_hours": battery_mah / average_ma if average_ma > 0 else None,
    }


def device_figures(r: dict[str, Any], rate_hz: float = DEFAULT_RATE_HZ, sleep_ua: float = DEFAULT_SLEEP_UA,
                   battery_mah: float = DEFAULT_BATTERY_MAH) -> dict[str, Any]:
    """All figures of a complete stored result ``r`` (see the module docstring)."""
    hello, lat = r["hello"], r["latency"]
    unit, clock = lat["unit"], hello.get("clock_hz")
    estimate = "instruction" in unit
    bench = lat.get("bench") or {}
    dsp_on_board = bool(lat["dsp"].get("on_board"))
    latency = {
        "dsp": latency_figures(r["dsp_counts"], bench.get("dsp") if dsp_on_board else None, unit, clock, estimate),
        "nn": latency_figures(r["nn_counts"], bench.get("nn"), unit, clock, estimate),
        "bench_runs": bench.get("runs"),
    }
    latency["dsp"]["on_board"] = dsp_on_board
    per = _ms_per_count(unit, clock)
    inference_s = None
    if per is not None:
        median = latency["nn"]["median"] + (latency["dsp"]["median"] if dsp_on_board else 0.0)
        inference_s = median * per / 1000.0
    duty = None if inference_s is None else inference_s * rate_hz
    rate = {
        "rate_hz": rate_hz,
        "inference_ms": None if inference_s is None else inference_s * 1000.0,
        "inferences_per_second": None if not inference_s else 1.0 / inference_s,
        "duty_cycle": duty,
        "keeps_up": None if duty is None else duty <= 1.0,  # False: the rate asks for more than the board can do
        "estimate": estimate,
    }
    cm = r["confusion_matrix"]
    return {
        "latency": latency,
        "rate": rate,
        "per_class": per_class(cm["labels"], cm["counts"]),
        "disagreements": disagreements(r),
        "energy": energy_figures(r["target"], inference_s, rate_hz, sleep_ua, battery_mah),
    }
