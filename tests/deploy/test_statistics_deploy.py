"""The window-statistics block end to end: trained from the command line with a random forest and with the
dense network (int8), deployed on the emulated Cortex-M4F with the statistics computed by the board's own C, and
every window's features and scores identical to the host's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("qemu_available")]


@pytest.mark.parametrize("model", ["rf", "dense"])
def test_statistics_pipeline_on_the_emulated_board_agrees_with_the_host(bm_split_project: Path, tmp_path: Path,
                                                                        model: str) -> None:
    path = tmp_path / "bm.tsproj"
    shutil.copy(bm_split_project, path)
    code, out, err = run_cli("train", str(path), "--dsp", "statistics", "--model", model, "--epochs", "3", "--json")
    assert code == 0, err
    run_id = json.loads(out)["run_id"]
    with Project.open(path) as project:
        variant = project.variants(run_id)[-1]["id"]  # the network's int8 variant, or the forest itself
        assert project.runs()[-1].config["impulse"]["dsp"]["block"] == "statistics"
    code, out, err = run_cli("deploy", str(path), "--target", "mps2-an386", "--variant", str(variant), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["agreement"] == 1.0 and report["windows"] > 0
    with Project.open(path) as project:
        result = project.device_results(variant)[-1]["results"]
    assert result["mode"] == "dsp_on_board" and result["hello"]["dsp_on_board"]
    assert result["feature_error"]["max_abs"] == 0.0  # the board's statistics are the host's, bit for bit
    assert result["scores_identical"] == 1.0  # every window's scores, byte for byte
    assert result["latency"]["dsp"]["mean"] > 0
