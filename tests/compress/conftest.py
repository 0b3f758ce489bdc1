"""Shared compression fixtures: BasicMotions imported from CSV, split 70/15/15 and trained once (a small
dense network on spectral features); every method compresses that run once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from trained_projects import private_copy, train_copy

from tinystudio.core.store import Project

EPOCHS = 20
COMPRESS_EPOCHS = {"qat": 5, "prune": 10, "distill": 30}


@dataclass(frozen=True)
class TrainedRun:
    path: Path
    run_id: int
    float_test_accuracy: float
    teacher_params: int


@dataclass(frozen=True)
class Compressed:
    path: Path
    run: TrainedRun
    variants: dict[str, int]  # method -> variant id


@pytest.fixture(scope="session")
def trained_run(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainedRun:
    path = tmp_path_factory.mktemp("compress") / "bm.tsproj"
    result = train_copy(bm_split_project, path, EPOCHS)
    assert result.test is not None
    return TrainedRun(path, result.run_id, result.test.accuracy, int(result.metrics["params"]))


@pytest.fixture(scope="session")
def compressed(trained_run: TrainedRun, tmp_path_factory: pytest.TempPathFactory) -> Compressed:
    """Every method applied once to the trained run, in its own copy of the project."""
    from tinystudio.core.compress import METHODS, CompressOptions, compress

    path = tmp_path_factory.mktemp("compressed") / "bm.tsproj"
    shutil.copy(trained_run.path, path)
    variants = {}
    with Project.open(path) as project:
        for method in METHODS:
            options = CompressOptions(epochs=COMPRESS_EPOCHS.get(method), sparsity=0.5, student="dense")
            variants[method] = compress(project, trained_run.run_id, method, options)
    return Compressed(path, trained_run, variants)


@pytest.fixture
def trained_copy(trained_run: TrainedRun, tmp_path: Path) -> Path:
    return private_copy(trained_run.path, tmp_path)


@pytest.fixture
def project(trained_copy: Path) -> Iterator[Project]:
    with Project.open(trained_copy) as p:
        yield p
