"""`tinystudio deploy PROJECT`: build firmware with an int8 model variant, flash the board, stream the test
split through it and report on-device accuracy, agreement with the host, latency and memory."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from tinystudio.app.boards import DEFAULT_BOARD, board_choices, target_names
from tinystudio.app.device_figures import (
    BENCH_RUNS,
    DEFAULT_BATTERY_MAH,
    DEFAULT_RATE_HZ,
    DEFAULT_SLEEP_UA,
    MAX_BATTERY_MAH,
    MAX_RATE_HZ,
    MAX_SLEEP_UA,
    MIN_BATTERY_MAH,
    MIN_RATE_HZ,
    bench_runs_problem,
    device_figures,
)
from tinystudio.app.figure_text import energy_sentence, host_model, rate_sentence
from tinystudio.app.formatting import (
    fmt_bytes,
    fmt_count,
    fmt_duration,
    fmt_latency,
    fmt_percent,
    fmt_test_transfer,
)
from tinystudio.cli.common import open_project, print_progress


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("deploy", help="test a model on a board (default: the emulated Cortex-M4 bench board)")
    p.add_argument("project")
    p.add_argument("--run", type=int, help="training run to deploy (default: the variant marked with `variants --use`, "
                   "else the newest run); quantized to int8 if needed")
    p.add_argument("--variant", type=int, help="model variant to deploy (overrides --run and the mark)")
    default = next(c for c in board_choices(attached=set()) if c.name == DEFAULT_BOARD)  # no USB scan here
    p.add_argument("--target", choices=target_names(), default=DEFAULT_BOARD,
                   help=f"board (default: {default.name}, {default.title})")
    p.add_argument("--port", help="serial port of a real board (default: found by its probe's USB VID/PID)")
    p.add_argument("--probe", help="unique id of the debug probe to flash through (see `tinystudio boards`)")
    p.add_argument("--features-from-host", action="store_true",
                   help="compute DSP features on the host and send them (default: the board runs the DSP block)")
    p.add_argument("--profile", action="store_true",
                   help="also time each layer with a second, profiling build (per-layer time, MACs, share)")
    p.add_argument("--bench-runs", type=_bench_runs, default=BENCH_RUNS, metavar="N",
                   help=f"repetitions of the BENCH run on the last test window (default {BENCH_RUNS})")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    add_estimate_arguments(p)
    p.set_defaults(func=run)


def add_estimate_arguments(p: argparse.ArgumentParser) -> None:
    """The duty-cycle inputs of the rate and energy estimate (shared with `tinystudio report`)."""
    p.add_argument("--rate-hz", type=_number(MIN_RATE_HZ, MAX_RATE_HZ), default=DEFAULT_RATE_HZ,
                   help=f"inferences per second for the duty cycle and battery estimate (default {DEFAULT_RATE_HZ:g})")
    p.add_argument("--sleep-ua", type=_number(0.0, MAX_SLEEP_UA), default=DEFAULT_SLEEP_UA,
                   help=f"sleep current between inferences in microamps (default {DEFAULT_SLEEP_UA:g})")
    p.add_argument("--battery-mah", type=_number(MIN_BATTERY_MAH, MAX_BATTERY_MAH), default=DEFAULT_BATTERY_MAH,
                   help=f"battery capacity in mAh (default {DEFAULT_BATTERY_MAH:g}, a coin cell)")


def _bench_runs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    problem = bench_runs_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def _number(low: float, high: float) -> Callable[[str], float]:
    """An argument type for a finite number from ``low`` to ``high`` (the Deploy page's range)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:,.0f}: {text}")
        return value

    return parse


def summary_json(result_id: int, r: dict[str, Any], figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """The documented --json fields of a stored result, with its figures (percentiles, per-class metrics,
    rate, energy, disagreements) when given, and its per-layer profile when the result has one."""
    lat = r["latency"]
    mem = r["memory"]
    out: dict[str, Any] = {
        "result_id": result_id,
        "variant_id": r["variant_id"],
        "run_id": r["run_id"],
        "target": r["target"],
        "mode": r["mode"],
        "windows": r["windows"],
        "accuracy": r["accuracy"],
        "host_accuracy": r["host_accuracy"],
        "agreement": r["agreement"],
        "confusion_matrix": dict(r["confusion_matrix"]),
        "latency": {
            part: {"mean": lat[part]["mean"], "max": lat[part]["max"], "unit": lat[part]["unit"]}
            for part in ("dsp", "nn")
        },
        "memory": {"flash": mem["flash"], "ram": mem["ram"], "budget": mem["budget"]},
        "model_hash": r["hello"]["model_hash"],
        "board": {k: r["hello"].get(k) for k in ("board", "firmware", "protocol", "clock_hz", "counter")},
        "timing": r.get("timing"),
        "transfer": r.get("transfer"),
        **{k: r[k] for k in ("per_layer", "profile", "profile_error", "arena_plan") if k in r},
    }
    if figures:  # mean and worst are over every window; the percentiles skip the warm-up window
        for part in ("dsp", "nn"):
            out["latency"][part]["after_warmup"] = figures["latency"][part]
        out["latency"]["bench_runs"] = figures["latency"]["bench_runs"]
        out.update({k: v for k, v in figures.items() if k != "latency"})
    return out


def run(args: argparse.Namespace) -> int:
    from tinystudio.app.deploy import Connection, deploy_model

    with open_project(args.project) as project:
        result = deploy_model(project, args.target, variant_id=args.variant, run_id=args.run,
                              device_dsp=False if args.features_from_host else None, progress=print_progress,
                              connection=Connection(args.port, args.probe), profile=args.profile,
                              bench_runs=args.bench_runs)
    r = result.results
    figures = device_figures(r, args.rate_hz, args.sleep_ua, args.battery_mah)
    if args.json:
        print(json.dumps(summary_json(result.result_id, r, figures)))
        return 0
    _print_summary(result.result_id, r)
    print_figures(figures)
    print_layers(r)
    return 0


def print_layers(r: dict[str, Any]) -> None:
    """The per-layer profile when the deploy made one (or why it could not)."""
    from tinystudio.app.layer_profile import table_lines

    lines = table_lines(r)
    if lines:
        print("\n" + "\n".join(lines))
    elif r.get("profile_error"):
        print(f"\nper-layer profile failed: {r['profile_error']}")


def print_figures(f: dict[str, Any]) -> None:
    """Percentiles, rate, per-class metrics, energy and the disagreements, as text."""
    lat = f["latency"]
    print(f"\nlatency after {lat['nn']['warmup_skipped']} warm-up window (min / median / p95 / max"
          + (f"; BENCH mean of {lat['bench_runs']} runs)" if lat.get("bench_runs") else ")"))
    for part, title in (("dsp", "DSP"), ("nn", "NN")):
        s = lat[part]
        if part == "dsp" and not s["on_board"]:
            continue
        counts = " / ".join(fmt_count(s[k]) for k in ("min", "median", "p95", "max"))
        line = f"{title:>3}: {counts} {s['unit']}"
        if s["bench"]:
            b = s["bench"]
            line += f"; BENCH mean {fmt_count(b['mean'])} (min {fmt_count(b['min'])}, max {fmt_count(b['max'])})"
        if s["ms"]:
            ms = " / ".join(f"{s['ms'][k]:.3g}" for k in ("min", "median", "p95", "max"))
            line += f"; {ms} ms" + (" (estimate)" if s["ms_estimate"] else "")
        print(line)
    print(rate_sentence(f["rate"]))
    print("\non-device per class: precision / recall / F1 (support)")
    for c in f["per_class"]:
        print(f"  {c['label']:<16} {fmt_percent(c['precision'])} / {fmt_percent(c['recall'])} / "
              f"{fmt_percent(c['f1'])} ({c['support']})")
    e = f["energy"]
    print(f"\nenergy: {energy_sentence(e, micro='u')}")
    if e:
        print(f"  source: {e['source']}")
    d = f["disagreements"]
    print(f"\nwindows where board and host disagree: {len(d)}")
    for w in d[:20]:
        print(f"  sample {w['sample_id']} window {w['window_index']}: host {w['host']}, board {w['device']}")
    if len(d) > 20:
        print(f"  ... and {len(d) - 20} more (see --json)")


def _print_summary(result_id: int, r: dict[str, Any]) -> None:
    h, lat, mem = r["hello"], r["latency"], r["memory"]
    where = "DSP on the board" if r["mode"] == "dsp_on_board" else "features sent from the host"
    print(f"result {result_id}: variant {r['variant_id']} on {r['target_title']} ({where})")
    print(f"board {h['board']}, firmware {h['firmware']}, model {h['model_hash']}, "
          f"arena {fmt_bytes(h['arena_bytes'])}")
    print(f"on-device accuracy {fmt_percent(r['accuracy'])} on {r['windows']} test windows "
          f"({host_model(r)} {fmt_percent(r['host_accuracy'])}); agreement with the host {fmt_percent(r['agreement'])}")
    travelled = fmt_test_transfer(r)
    if travelled:
        print(travelled)
    if r.get("feature_error"):
        fe = r["feature_error"]
        print(f"board DSP vs host DSP: max difference {fe['max_abs']:.3g} (relative {fe['max_rel']:.3g}); "
              f"network bit-exact on {fmt_percent(r['nn_bit_exact'])} of windows")
    for part, title in (("dsp", "DSP"), ("nn", "NN")):
        s = lat[part]
        ms = fmt_duration(s["mean"], lat["unit"], h.get("clock_hz"))  # cycles in ms at the board's clock
        print(f"{title:>3} latency: {fmt_latency(s['mean'], lat['unit'], s['max'])}" + (f"; mean {ms}" if ms else ""))
    budget = mem["budget"]
    if budget:
        print(f"flash {fmt_bytes(mem['flash'])} of {fmt_bytes(budget['flash'])} "
              f"({fmt_percent(mem['flash'] / budget['flash'])}), RAM {fmt_bytes(mem['ram'])} of "
              f"{fmt_bytes(budget['ram'])} ({fmt_percent(mem['ram'] / budget['ram'])}; "
              f"stack peak {fmt_bytes(mem['stack_peak'])})")
    else:
        print(f"RAM {fmt_bytes(mem['ram'])} (stack peak {fmt_bytes(mem['stack_peak'])}); "
              "this board has no memory budget")
    cm = r["confusion_matrix"]
    width = max(8, *(len(label) for label in cm["labels"]))
    print("\non-device confusion matrix (rows: true, columns: predicted)")
    print(" " * width + "  " + " ".join(f"{label[:7]:>7}" for label in cm["labels"]))
    for label, row in zip(cm["labels"], cm["counts"], strict=True):
        print(f"{label:<{width}}  " + " ".join(f"{c:>7}" for c in row))
