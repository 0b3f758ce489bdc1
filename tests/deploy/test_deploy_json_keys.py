"""`deploy --json` is what scripts read: these are the keys they rely on (percentiles in counter units and
ms, BENCH, rate and duty cycle, per-class metrics, disagreements, energy with its source and whether its
current was checked, board identity, per-layer profile when the result has one). A key may be added; none
of these may go missing or change its meaning."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli_helpers import run_cli
from tinystudio.app.device_figures import device_figures
from tinystudio.app.figure_text import rate_sentence
from tinystudio.cli.cmd_deploy import summary_json
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow

TOP = {"result_id", "variant_id", "run_id", "target", "mode", "windows", "accuracy", "host_accuracy", "agreement",
       "confusion_matrix", "latency", "memory", "model_hash", "board", "timing", "rate", "per_class",
       "disagreements", "energy"}
PART = {"mean", "max", "unit", "after_warmup"}
AFTER_WARMUP = {"unit", "windows", "warmup_skipped", "min", "median", "p95", "max", "bench", "ms", "ms_estimate"}
MS = {"min", "median", "p95", "max", "bench_min", "bench_mean", "bench_max"}
BENCH = {"min", "mean", "max"}
RATE = {"rate_hz", "inference_ms", "inferences_per_second", "duty_cycle", "keeps_up", "estimate"}
PER_CLASS = {"label", "precision", "recall", "f1", "support"}
DISAGREEMENT = {"window", "sample_id", "window_index", "host", "device"}
ENERGY = {"estimate", "chip", "clock_hz", "active_ma", "volts", "source", "verified", "basis", "emulated",
          "uj_per_inference", "rate_hz", "sleep_ua", "battery_mah", "average_ma", "battery_hours"}
BOARD = {"board", "firmware", "protocol", "clock_hz", "counter"}


def _deploy_json(project_path, *args: str) -> dict:
    code, out, err = run_cli("deploy", str(project_path), "--json", *args)
    assert code == 0, err
    return json.loads(out)


def _check_latency(r: dict, dsp_on_board: bool) -> None:
    lat = r["latency"]
    assert {"dsp", "nn", "bench_runs"} <= set(lat)
    for part in ("dsp", "nn"):
        assert PART <= set(lat[part])
        s = lat[part]["after_warmup"]
        assert AFTER_WARMUP <= set(s)
        assert MS <= set(s["ms"])  # every board here has a clock or counts time itself
        if part == "nn" or dsp_on_board:
            assert BENCH <= set(s["bench"])
    assert lat["dsp"]["after_warmup"]["on_board"] is dsp_on_board


def test_host_board_json_keys_rate_and_disagreement_rows(project_copy, trained):
    r = _deploy_json(project_copy, "--target", "host", "--variant", str(trained.variant_id), "--rate-hz", "5",
                     "--bench-runs", "7")
    assert TOP <= set(r) and r["latency"]["bench_runs"] == 7
    _check_latency(r, dsp_on_board=True)
    assert RATE <= set(r["rate"]) and r["rate"]["keeps_up"] is True and r["rate"]["rate_hz"] == 5
    assert all(PER_CLASS <= set(c) for c in r["per_class"]) and len(r["per_class"]) == 4
    assert BOARD <= set(r["board"]) and r["board"]["counter"] == "microseconds"
    assert r["energy"] is None and r["disagreements"] == []
    assert "per_layer" not in r  # an ordinary build has no per-layer profile
    # how the windows travelled: the host board has no test set in memory; its pty holds requests sent ahead
    assert r["transfer"]["test_set"] == "streamed" and r["transfer"]["pipelined"] is True
    assert {"boot_seconds", "transfer_seconds", "compute_seconds"} <= set(r["timing"])

    with Project.open(project_copy) as project:
        row = project.device_results()[-1]
    stored = row["results"]
    # a rate the board cannot keep up with says so, in the JSON and in words
    too_fast = 10 * r["rate"]["inferences_per_second"]
    f = device_figures(stored, rate_hz=too_fast)
    assert f["rate"]["keeps_up"] is False and f["rate"]["duty_cycle"] > 1
    assert "more than the board can do" in rate_sentence(f["rate"])
    # one window classed differently on the board: its row names sample, window and both classes
    flipped = dict(stored, predictions=list(stored["predictions"]))
    flipped["predictions"][0] = (stored["host_predictions"][0] + 1) % 4
    [d] = summary_json(row["id"], flipped, device_figures(flipped))["disagreements"]
    assert set(d) == DISAGREEMENT and d["sample_id"] == stored["window_samples"][0]
    # a profiling build stores per_layer: --json carries it as stored
    layers = [{"layer": 0, "op": "CONV_2D", "cycles": 1200, "macs": 600}]
    assert summary_json(row["id"], dict(stored, per_layer=layers), device_figures(stored))["per_layer"] == layers


@pytest.mark.usefixtures("qemu_available")
def test_emulated_m33_json_carries_the_checked_energy_figure(project_copy, trained):
    r = _deploy_json(project_copy, "--target", "mps2-an505", "--variant", str(trained.variant_id),
                     "--rate-hz", "2", "--sleep-ua", "3", "--battery-mah", "1000")
    assert TOP <= set(r)
    _check_latency(r, dsp_on_board=True)
    e = r["energy"]
    assert ENERGY <= set(e)
    assert e["estimate"] and e["emulated"] and e["verified"] and e["basis"] == "datasheet figure"
    assert "nRF5340" in e["source"] and (e["rate_hz"], e["sleep_ua"], e["battery_mah"]) == (2, 3, 1000)
    assert r["latency"]["nn"]["after_warmup"]["ms_estimate"] is True  # emulated instructions at its clock
    assert r["board"]["clock_hz"] == 20_000_000


def test_bench_runs_out_of_range_is_refused_by_name(project_copy):
    done = subprocess.run([sys.executable, "-m", "tinystudio", "deploy", str(project_copy), "--bench-runs", "0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--bench-runs: must be from 1 to 65535: 0" in done.stderr
    assert "Traceback" not in done.stderr
