"""Hostile fixtures: BasicMotions with a random forest trained (seconds, no TensorFlow) and tested once on the
host board, so a test can reach the newest features (live, report, export) quickly; each test takes a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli


@pytest.fixture(scope="session")
def forest_deployed(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BasicMotions split 70/15/15, one random-forest run (its variant marked) and one host on-device result."""
    path = tmp_path_factory.mktemp("forest") / "forest.tsproj"
    shutil.copy(bm_split_project, path)
    code, _out, err = run_cli("train", str(path), "--model", "rf")
    assert code == 0, err
    code, _out, err = run_cli("deploy", str(path), "--target", "host")
    assert code == 0, err
    return path


@pytest.fixture
def forest_copy(forest_deployed: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "forest.tsproj"
    shutil.copy(forest_deployed, dest)
    return dest
