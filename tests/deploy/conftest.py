"""Shared deploy fixtures: BasicMotions imported, split, trained briefly and quantized to int8 once per
session; each test that stores results works on its own copy of that project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from trained_projects import TrainedProject, private_copy, train_and_quantize

from tinystudio.core.store import Project

EPOCHS = 12


@pytest.fixture(scope="session")
def trained(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainedProject:
    """BasicMotions (import, 70/15/15 split), a short training run and its int8 variant."""
    return train_and_quantize(bm_split_project, tmp_path_factory.mktemp("deploy") / "bm.tsproj", EPOCHS)


@pytest.fixture
def project_copy(trained: TrainedProject, tmp_path: Path) -> Path:
    """A private copy of the trained project (its own cache folder, so builds start clean)."""
    return private_copy(trained.path, tmp_path)


@pytest.fixture
def project(project_copy: Path) -> Iterator[Project]:
    with Project.open(project_copy) as p:
        yield p


@pytest.fixture(scope="session")
def qemu_available() -> None:
    if shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
