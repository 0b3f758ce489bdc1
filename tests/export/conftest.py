"""Export fixtures: BasicMotions with a random forest and gradient-boosted trees on the spectral block and a
forest on window statistics, trained once per session (seconds, no TensorFlow); each test that writes to
the project takes a copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli


@pytest.fixture(scope="session")
def trees_trained(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """(project, variant id by name): 'rf' and 'gbt' on spectral features, 'rf-statistics' on window statistics,
    each run with its tree variant."""
    path = tmp_path_factory.mktemp("tree-export") / "bm.tsproj"
    shutil.copy(bm_split_project, path)
    variants: dict[str, int] = {}
    for name, family, dsp in (("rf", "rf", "spectral"), ("gbt", "gbt", "spectral"),
                              ("rf-statistics", "rf", "statistics")):
        code, out, err = run_cli("train", str(path), "--model", family, "--dsp", dsp, "--json")
        assert code == 0, err
        run_id = json.loads(out)["run_id"]
        code, out, err = run_cli("variants", str(path), "--json")
        assert code == 0, err
        variants[name] = next(v["variant_id"] for v in json.loads(out)["variants"] if v["run_id"] == run_id)
    return path, variants
