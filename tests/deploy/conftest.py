"""Shared deploy fixtures: BasicMotions imported, split, trained briefly and quantized to int8 once per
session; each test that stores results works on its own copy of that project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tinystudio.core.store import Project

EPOCHS = 12


@dataclass(frozen=True)
class TrainedProject:
    path: Path
    run_id: int
    variant_id: int


@pytest.fixture(scope="session")
def trained(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainedProject:
    """BasicMotions (import, 70/15/15 split), a short training run and its int8 variant."""
    from tinystudio.core.compress import compress
    from tinystudio.core.features import suggest_for_project
    from tinystudio.core.training import train

    path = tmp_path_factory.mktemp("deploy") / "bm.tsproj"
    shutil.copy(bm_split_project, path)
    with Project.open(path) as project:
        impulse = suggest_for_project(project)
        impulse.model.epochs = EPOCHS
        run_id = train(project, impulse).run_id
        variant_id = compress(project, run_id, "ptq")
    return TrainedProject(path, run_id, variant_id)


@pytest.fixture
def project_copy(trained: TrainedProject, tmp_path: Path) -> Path:
    """A private copy of the trained project (its own cache folder, so builds start clean)."""
    dest = tmp_path / "copy.tsproj"
    shutil.copy(trained.path, dest)
    return dest


@pytest.fixture
def project(project_copy: Path) -> Iterator[Project]:
    with Project.open(project_copy) as p:
        yield p


@pytest.fixture(scope="session")
def qemu_available() -> None:
    if shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
