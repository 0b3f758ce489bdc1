"""The window-statistics block end to end: trained from the command line with a random forest and with the
dense network (int8), and spectral features + statistics with a forest, deployed on the emulated Cortex-M4F
with the features computed by the board's own C, and every window's features and scores identical to the
host's; the dense one exported as a C library gives the host's scores too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from export_helpers import scores_on_host

from cli_helpers import run_cli
from tinystudio.app.export_model import export_model
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def _train(source: Path, folder: Path, model: str, dsp: str = "statistics") -> tuple[Path, int, int]:
    """A copy of ``source`` with a ``dsp`` + ``model`` run: (project, run id, its deployable variant)."""
    path = folder / "bm.tsproj"
    shutil.copy(source, path)
    code, out, err = run_cli("train", str(path), "--dsp", dsp, "--model", model, "--epochs", "3", "--json")
    assert code == 0, err
    run_id = json.loads(out)["run_id"]
    with Project.open(path) as project:
        assert project.runs()[-1].config["impulse"]["dsp"]["block"] == dsp
        return path, run_id, project.variants(run_id)[-1]["id"]  # the network's int8 variant, or the forest


@pytest.fixture(scope="module")
def statistics_dense(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """The dense network on window statistics, trained once for the board and the C library tests; each takes
    a copy."""
    return _train(bm_split_project, tmp_path_factory.mktemp("statistics-dense"), "dense")


def _trained_copy(request: pytest.FixtureRequest, folder: Path, model: str, dsp: str) -> tuple[Path, int, int]:
    """A project with a ``dsp`` + ``model`` run in ``folder``: the module's dense run copied, else trained."""
    if (dsp, model) != ("statistics", "dense"):
        return _train(request.getfixturevalue("bm_split_project"), folder, model, dsp)
    source, run_id, variant = request.getfixturevalue("statistics_dense")
    path = folder / "bm.tsproj"
    shutil.copy(source, path)
    return path, run_id, variant


@pytest.mark.usefixtures("qemu_available")
@pytest.mark.parametrize(("dsp", "model"), [("statistics", "rf"), ("statistics", "dense"),
                                             ("spectral-statistics", "rf")])
def test_statistics_pipeline_on_the_emulated_board_agrees_with_the_host(request: pytest.FixtureRequest,
                                                                        tmp_path: Path, dsp: str,
                                                                        model: str) -> None:
    """Window statistics (and spectral features with them, for a forest) computed by the board's C."""
    path, _, variant = _trained_copy(request, tmp_path, model, dsp)
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


def test_statistics_c_library_gives_the_host_scores(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if shutil.which("cc") is None:
        pytest.skip("no host C compiler")
    path, run_id, variant = _trained_copy(request, tmp_path, "dense", "statistics")
    out = tmp_path / "lib"
    with Project.open(path) as project:
        export_model(project, variant, "c-library", out)
        data = pipeline_data(project, run_id)
        host_scores = Int8Reference(project.variant_tflite(variant)).outputs(data.features("test"))
        raw = data.raw("test")
    scores = scores_on_host(out, raw, tmp_path)
    assert len(raw) > 0 and np.array_equal(scores, host_scores)  # raw windows in, the host's int8 scores out
