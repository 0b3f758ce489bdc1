"""Shared BasicMotions fixtures: one imported and split project per session, one CLI-trained copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli
from datasets import write_basic_motions_csv

EPOCHS = 30



@pytest.fixture(scope="session")
def bm_project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BasicMotions imported from its CSV files and split 70/15/15, through the CLI."""
    root = tmp_path_factory.mktemp("basic_motions")
    paths = write_basic_motions_csv(root / "csv")
    project = root / "bm.tinystudio"
    assert run_cli("new", str(project))[0] == 0
    code, _, err = run_cli("import", str(project), *map(str, paths))
    assert code == 0, err
    code, _, err = run_cli("split", str(project))
    assert code == 0, err
    return project


@pytest.fixture
def bm_copy(bm_project_path: Path, tmp_path: Path) -> Path:
    """A private copy of the split BasicMotions project."""
    dest = tmp_path / "copy.tinystudio"
    shutil.copy(bm_project_path, dest)
    return dest


@pytest.fixture(scope="session")
def cli_trained(bm_project_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A copy trained once from the CLI with default settings; returns (project, --json output)."""
    dest = tmp_path_factory.mktemp("trained") / "trained.tinystudio"
    shutil.copy(bm_project_path, dest)
    code, out, err = run_cli("train", str(dest), "--json", "--epochs", str(EPOCHS), "--seed", "3")
    assert code == 0, err
    return dest, json.loads(out)
