"""`tinystudio deploy`: the default emulated Cortex-M4 board runs the DSP and the model, --json carries
the documented fields, bad arguments are one clear line."""

from __future__ import annotations

import json

import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


@pytest.mark.usefixtures("qemu_available")
def test_deploy_json_on_the_default_qemu_board(project_copy, trained):
    code, out, err = run_cli("deploy", str(project_copy), "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["target"] == "mps2-an386" and r["mode"] == "dsp_on_board"
    labels = r["confusion_matrix"]["labels"]
    counts = r["confusion_matrix"]["counts"]
    assert len(counts) == len(labels) == 4 and sum(map(sum, counts)) == r["windows"] > 0
    for part in ("dsp", "nn"):
        lat = r["latency"][part]
        assert lat["unit"] == "emulated instructions"
        assert 0 < lat["mean"] <= lat["max"]
    mem = r["memory"]
    assert 0 < mem["flash"] <= mem["budget"]["flash"] and 0 < mem["ram"] <= mem["budget"]["ram"]
    # The board computes the features itself in float32 C; the network on top is TFLM-exact, so a
    # window can only flip when a feature lands on a quantization step boundary: agreement stays high.
    assert r["agreement"] >= 0.98
    assert 0.0 <= r["accuracy"] <= 1.0
    with Project.open(project_copy) as project:
        stored = project.device_results()
    assert [s["id"] for s in stored] == [r["result_id"]]
    detail = stored[0]["results"]
    assert detail["nn_bit_exact"] == 1.0
    assert detail["feature_error"]["max_rel"] < 1e-3
    assert detail["hello"]["counter"] == "emulated instructions"


def test_deploy_text_report_on_the_host_board(project_copy, trained):
    code, out, err = run_cli("deploy", str(project_copy), "--target", "host", "--variant", str(trained.variant_id))
    assert code == 0, err
    assert "agreement with the host 100.0%" in out
    assert "microseconds" in out and "confusion matrix" in out


@pytest.mark.usefixtures("qemu_available")
def test_deploy_text_report_gives_latency_in_ms_at_the_board_clock(project_copy, trained):
    code, out, err = run_cli("deploy", str(project_copy), "--variant", str(trained.variant_id))
    assert code == 0, err
    import re

    nn = next(line for line in out.splitlines() if line.startswith(" NN latency: "))
    match = re.fullmatch(r" NN latency: mean ([\d,]+), worst [\d,]+ emulated instructions; "
                         r"mean ≈ ([\d.e+-]+) ms at 25 MHz \(estimate\)", nn)
    assert match, nn
    mean = float(match.group(1).replace(",", ""))
    assert float(match.group(2)) == float(f"{mean / 25e6 * 1000:.3g}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--variant", "999"], "no model variant with id 999"),
        (["--run", "999"], "no run with id 999"),
        (["--port", "/dev/ttyACM0"], "a serial port or probe is given only for a real board; host is not one"),
    ],
)
def test_bad_arguments_are_one_clear_line(project_copy, args, message):
    code, out, err = run_cli("deploy", str(project_copy), "--target", "host", *args)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_project_without_training_says_what_to_do(tmp_path):
    path = tmp_path / "empty.tsproj"
    Project.create(path).close()
    code, _, err = run_cli("deploy", str(path))
    assert code == 1 and "train a model first" in err


def test_deploy_with_a_relative_project_path(project_copy, monkeypatch):
    """Users type `tinystudio deploy my.tsproj` inside the project folder: builds must still work."""
    import json
    import subprocess
    import sys

    monkeypatch.chdir(project_copy.parent)
    r = subprocess.run([sys.executable, "-m", "tinystudio", "deploy", project_copy.name, "--target", "host", "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-500:]
    assert json.loads(r.stdout)["accuracy"] >= 0.9
