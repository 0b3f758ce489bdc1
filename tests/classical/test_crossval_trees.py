"""Grouped cross-validation of the tree families: the fold fitter scores the deployed model per fold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def test_crossval_of_a_random_forest(bm_split_project: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    code, out, err = run_cli("crossval", str(path), "--model", "rf", "--json")
    assert code == 0, err
    result = json.loads(out)
    accuracies = [f["accuracy"] for f in result["folds"]]
    assert len(accuracies) == 5 and min(accuracies) >= 0.8
    with Project.open(path) as project:
        assert project.runs("train") == [] and project.variants() == []  # folds store nothing
        (cv,) = project.runs("crossval")
    assert cv.config["impulse"]["model"]["preset"] == "rf"
