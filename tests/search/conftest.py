"""A small BasicMotions project (five recordings per activity, split 70/15/15) for the search's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def small_bm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datasets import write_basic_motions_csv
    from tinystudio.core.formats import import_files
    from tinystudio.core.split import assign_splits
    from tinystudio.core.store import Project

    root = tmp_path_factory.mktemp("tune_bm")
    path = root / "bm.tsproj"
    with Project.create(path) as project:
        import_files(project, write_basic_motions_csv(root / "csv", per_label=5))
        assign_splits(project)
    return path


@pytest.fixture
def bm_copy(small_bm: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bm.tsproj"
    shutil.copy(small_bm, path)
    return path
