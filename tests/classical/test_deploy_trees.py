"""Random forest and gradient-boosted trees through the whole loop: trained from the CLI, listed in the
variants table with flash and RAM, deployed on the host board and on the emulated Cortex-M4F (DSP on the
board and features from the host) with every window's scores identical to the host model's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trees_project(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trees") / "bm.tsproj"
    shutil.copy(bm_split_project, path)
    for family in ("rf", "gbt"):
        code, out, err = run_cli("train", str(path), "--model", family, "--json")
        assert code == 0, err
        summary = json.loads(out)
        assert summary["test_accuracy"] >= 0.9  # an easy dataset: the pipeline works end to end
        assert summary["params"] > 0
    return path


def _variants(path: Path) -> dict[str, dict]:
    code, out, err = run_cli("variants", str(path), "--json")
    assert code == 0, err
    return {v["method"]: v for v in json.loads(out)["variants"]}


def test_trained_trees_are_variants_with_flash_and_ram(trees_project: Path) -> None:
    rows = _variants(trees_project)
    assert set(rows) == {"rf", "gbt"}
    for row in rows.values():
        assert row["flash_bytes"] == row["weights_bytes"] + row["code_bytes"] > 0  # tables plus compiled code
        assert row["code_bytes"] > 0 and row["arena_bytes"] > 0  # measured stack of one inference
        assert row["damaged"] is None and row["accuracy_change"] == 0.0  # the variant is the trained model
    with Project.open(trees_project) as project:
        kinds = {v["kind"] for v in project.variants()}
    assert kinds == {"rf", "gbt"}
    code, out, err = run_cli("compress", str(trees_project), "--run", str(rows["rf"]["run_id"]), "--method", "ptq")
    assert code == 1 and "needs no compression" in err and "Traceback" not in err


@pytest.mark.parametrize("target", ["host", "mps2-an386"])
@pytest.mark.parametrize("family", ["rf", "gbt"])
def test_deployed_trees_agree_with_the_host_model(trees_project: Path, tmp_path: Path, target: str,
                                                  family: str) -> None:
    if target != "host" and (shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None):
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
    path = tmp_path / "p.tsproj"
    shutil.copy(trees_project, path)
    variant = _variants(path)[family]["variant_id"]
    modes = [[], ["--features-from-host"]] if target != "host" else [[]]
    for extra in modes:
        code, out, err = run_cli("deploy", str(path), "--target", target, "--variant", str(variant), "--json",
                                 *extra)
        assert code == 0, err
        r = json.loads(out)
        assert r["agreement"] == 1.0 and r["windows"] > 0
        assert r["latency"]["nn"]["mean"] > 0 or target == "host"
    with Project.open(path) as project:
        results = [row["results"] for row in project.device_results(variant)]
    for res in results:
        assert res["scores_identical"] == 1.0  # every window's int8 scores, byte for byte
        assert res["nn_bit_exact"] == 1.0
    rows = _variants(path)
    assert rows[family]["device"]["target"] == target and rows[family]["device"]["nn_mean"] is not None
    code, out, err = run_cli("variants", str(path))
    assert code == 0 and family in out and target in out
