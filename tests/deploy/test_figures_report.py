"""What an on-device test tells an embedded engineer: latency percentiles in counter units and ms,
inference rate and duty cycle, per-class metrics, the windows where board and host disagree, an energy
estimate, all in `deploy --json`; and `tinystudio report`, one self-contained HTML file that a real
browser engine (headless chromium) renders with its charts and tables."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.app.device_figures import device_figures
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project
from tinystudio.targets.energy import board_power

pytestmark = pytest.mark.slow


def _deploy_json(project_path: Path, *args: str) -> dict:
    code, out, err = run_cli("deploy", str(project_path), "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_deploy_json_on_the_host_board_carries_percentiles_per_class_and_window_sources(project_copy, trained):
    r = _deploy_json(project_copy, "--target", "host", "--variant", str(trained.variant_id), "--rate-hz", "50")
    with Project.open(project_copy) as project:
        stored = project.device_results()[-1]["results"]
        test_ids = pipeline_data(project, trained.run_id).windows.splits["test"].sample_ids
    # every test window is traced back to its sample and its position in it
    assert stored["window_samples"] == [int(s) for s in test_ids]
    first = stored["window_samples"].index(stored["window_samples"][-1])
    assert stored["window_index"][-1] == len(test_ids) - 1 - first
    for part in ("dsp", "nn"):
        s = r["latency"][part]["after_warmup"]
        counts = np.asarray(stored[f"{part}_counts"][1:])  # the first window is the warm-up
        assert s["windows"] == len(counts) == r["windows"] - 1
        assert (s["min"], s["median"], s["max"]) == (counts.min(), np.median(counts), counts.max())
        assert s["min"] <= s["median"] <= s["p95"] <= s["max"]
        assert s["unit"] == "microseconds" and s["ms"]["max"] == pytest.approx(s["max"] / 1000)
        assert s["ms_estimate"] is False and s["bench"]["mean"] >= 0
    rate = r["rate"]
    lat = {part: r["latency"][part]["after_warmup"] for part in ("dsp", "nn")}
    inference_ms = (lat["nn"]["median"] + lat["dsp"]["median"]) / 1000
    assert rate["inference_ms"] == pytest.approx(inference_ms)
    assert rate["duty_cycle"] == pytest.approx(inference_ms / 1000 * 50)
    per_class = {c["label"]: c for c in r["per_class"]}
    for label, m in stored["evaluation"]["per_class"].items():
        assert per_class[label]["recall"] == pytest.approx(m["recall"])
        assert per_class[label]["precision"] == pytest.approx(m["precision"])
    assert sum(c["support"] for c in r["per_class"]) == r["windows"]
    assert r["disagreements"] == [] and r["agreement"] == 1.0
    assert r["energy"] is None  # the host process has no datasheet current


def test_disagreements_name_sample_window_and_both_labels(project, trained):
    """A stored result where the board's class of one window differs from the host's lists that window."""
    from tinystudio.app.deploy import deploy

    r = deploy(project, trained.variant_id, "host").results
    flipped = dict(r, predictions=list(r["predictions"]))
    k = len(flipped["predictions"]) // 2
    flipped["predictions"][k] = (flipped["host_predictions"][k] + 1) % len(r["confusion_matrix"]["labels"])
    [d] = device_figures(flipped)["disagreements"]
    labels = r["confusion_matrix"]["labels"]
    assert d == {"window": k, "sample_id": r["window_samples"][k], "window_index": r["window_index"][k],
                 "host": labels[r["host_predictions"][k]], "device": labels[flipped["predictions"][k]]}


def test_energy_is_latency_times_datasheet_power_and_labelled_an_estimate():
    from tinystudio.app.device_figures import energy_figures

    real = board_power("nucleo-f429zi")
    assert real is not None and not real.emulated and "DS9405" in real.source
    e = energy_figures("nucleo-f429zi", 0.002, rate_hz=10, sleep_ua=5, battery_mah=1000)
    assert e["estimate"] and e["uj_per_inference"] == pytest.approx(0.002 * real.volts * real.active_ma / 1000 * 1e6)
    average = 0.02 * real.active_ma + 0.98 * 0.005
    assert e["average_ma"] == pytest.approx(average) and e["battery_hours"] == pytest.approx(1000 / average)
    emulated = board_power("mps2-an386")
    assert emulated is not None and emulated.emulated and "emulated" in emulated.source
    assert emulated.active_ma == pytest.approx(real.active_ma * 25 / 180)  # the class figure at its own clock
    for name in ("b-l475e-iot01a", "nucleo-h743zi", "nrf52840dk", "pico"):
        assert board_power(name) is not None
    assert board_power("host") is None


@pytest.mark.usefixtures("qemu_available")
def test_deploy_json_on_qemu_gives_estimated_ms_and_energy(project_copy, trained):
    r = _deploy_json(project_copy, "--variant", str(trained.variant_id), "--rate-hz", "20", "--battery-mah", "500")
    nn, dsp = r["latency"]["nn"]["after_warmup"], r["latency"]["dsp"]["after_warmup"]
    assert nn["unit"] == "emulated instructions" and nn["ms_estimate"] and dsp["on_board"]
    assert nn["ms"]["median"] == pytest.approx(nn["median"] / 25e6 * 1000)  # the board's 25 MHz clock
    assert nn["bench"]["mean"] > 0 and r["latency"]["bench_runs"] == 20
    e = r["energy"]
    assert e["estimate"] and e["emulated"] and e["battery_mah"] == 500 and e["rate_hz"] == 20
    seconds = (nn["median"] + dsp["median"]) / 25e6
    assert e["uj_per_inference"] == pytest.approx(seconds * e["volts"] * e["active_ma"] * 1000)
    assert r["model_hash"] and len(r["per_class"]) == 4


def test_text_summary_shows_percentiles_rate_per_class_and_disagreements(project_copy, trained):
    code, out, err = run_cli("deploy", str(project_copy), "--target", "host", "--variant", str(trained.variant_id))
    assert code == 0, err
    assert re.search(r"^ NN: [\d,]+ / [\d,]+ / [\d,]+ / [\d,]+ microseconds; BENCH mean", out, re.M), out
    assert "duty cycle is" in out and "precision / recall / F1" in out
    assert "windows where board and host disagree: 0" in out
    assert "energy: no power figure for this board" in out


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium is not installed (packaging/setup.sh test installs it)")
    return exe


MEASURE = """<script>
document.addEventListener('DOMContentLoaded', () => {
  const sizes = [...document.querySelectorAll('svg')].map(s => {
    const b = s.getBoundingClientRect(); return [Math.round(b.width), Math.round(b.height)]; });
  const bars = [...document.querySelectorAll('svg')].map(s =>
    [...s.querySelectorAll('rect.bar')].filter(r => r.getBBox().width > 0 && r.getBBox().height > 0).length);
  const rows = {};
  document.querySelectorAll('table').forEach(t => {
    rows[t.className] = (rows[t.className] || []).concat([t.querySelectorAll('tbody tr').length]); });
  const out = document.createElement('pre'); out.id = 'measured';
  out.textContent = JSON.stringify({svg: sizes, bars: bars, rows: rows}); document.body.appendChild(out);
});
</script>"""


def _render(html: Path, tmp_path: Path) -> dict:
    """The report in headless chromium: rendered sizes of its SVGs and the rows of each table."""
    probe = tmp_path / "measured.html"  # the report plus a script measuring what the engine laid out
    probe.write_text(html.read_text(encoding="utf-8").replace("</head>", MEASURE + "</head>"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([_chromium(), *flags, "--dump-dom", probe.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    match = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert match, dom[-2000:]
    shot = tmp_path / "report.png"
    subprocess.run([_chromium(), *flags, f"--screenshot={shot}", "--window-size=1000,2000", html.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000  # a page with content, not a blank image
    return json.loads(match.group(1).replace("&quot;", '"'))


@pytest.mark.usefixtures("qemu_available")
def test_report_compares_two_deploys_and_renders_in_chromium(project_copy, trained, tmp_path):
    board = _deploy_json(project_copy, "--variant", str(trained.variant_id))
    host = _deploy_json(project_copy, "--target", "host", "--variant", str(trained.variant_id))
    out = tmp_path / "report.html"
    code, text, err = run_cli("report", str(project_copy), "--result", str(board["result_id"]),
                              "--result", str(host["result_id"]), "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere
    assert "<img" not in html and "<link" not in html and "<script" not in html
    assert board["model_hash"] in html and host["model_hash"] in html
    measured = _render(out, tmp_path)
    # per result: the DSP and NN histograms, the memory bars of the board that has a budget, the arena plan
    assert len(measured["svg"]) == 7 and all(w > 0 and h > 0 for w, h in measured["svg"])
    assert all(n > 0 for n in measured["bars"]), measured["bars"]  # every chart draws bars: none is blank
    rows = measured["rows"]
    assert rows["compare"] == [2]
    assert rows["confusion"] == [4, 4] and rows["per-class"] == [4, 4]
    assert rows["latency"] == [4, 4]  # DSP and NN, in counter units and in ms
    assert len(rows["energy"]) == 1  # only the emulated board has a power figure
    assert rows["data"] == [4]
    assert "typical, unverified" in html  # the emulated M4's current was not checked against its datasheet


def test_report_compare_puts_the_newest_result_of_each_variant_board_and_mode_side_by_side(
        project_copy, trained, tmp_path):
    variant = str(trained.variant_id)
    first = _deploy_json(project_copy, "--target", "host", "--variant", variant)
    again = _deploy_json(project_copy, "--target", "host", "--variant", variant)  # replaces the first here
    features = _deploy_json(project_copy, "--target", "host", "--variant", variant, "--features-from-host")
    out = tmp_path / "compare.html"
    code, _, err = run_cli("report", str(project_copy), "--compare", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert f'id="result-{again["result_id"]}"' in html and f'id="result-{features["result_id"]}"' in html
    assert f'id="result-{first["result_id"]}"' not in html
    measured = _render(out, tmp_path)
    assert measured["rows"]["compare"] == [2] and measured["rows"]["confusion"] == [4, 4]
    # DSP and NN histograms, and only the NN one where the host sent the features; the host has no budget;
    # the arena plan of each
    assert len(measured["svg"]) == 5 and all(n > 0 for n in measured["bars"])


def test_report_of_a_project_without_results_is_one_clear_line(tmp_path, trained):
    path = tmp_path / "p.tsproj"
    shutil.copy(trained.path, path)
    code, out, err = run_cli("report", str(path), "--out", str(tmp_path / "r.html"))
    assert code != 0 and "no on-device result yet: deploy a model first" in err
    assert len(err.strip().splitlines()) == 1
