"""Trained projects for session fixtures: the split BasicMotions project copied, trained briefly and
quantized to int8 once, and private copies for the tests that write to it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tinystudio.core.store import Project

if TYPE_CHECKING:
    from tinystudio.core.training import TrainResult


@dataclass(frozen=True)
class TrainedProject:
    path: Path
    run_id: int
    variant_id: int


def train_copy(source: Path, dest: Path, epochs: int, *, sized: bool = False) -> TrainResult:
    """``source`` copied to ``dest`` and trained once for ``epochs`` (the TrainResult). The impulse is the one
    the data suggests; ``sized=True`` takes it as the app does (every parameter written out, the model's
    widths sized to the data) and trains through the app."""
    shutil.copy(source, dest)
    with Project.open(dest) as project:
        if sized:
            from tinystudio.app import train as train_app

            impulse = train_app.default_impulse(project)
            impulse.model.epochs = epochs
            return train_app.train(project, impulse)
        from tinystudio.core.features import suggest_for_project
        from tinystudio.core.training import train

        impulse = suggest_for_project(project)
        impulse.model.epochs = epochs
        return train(project, impulse)


def train_and_quantize(source: Path, dest: Path, epochs: int, *, sized: bool = False) -> TrainedProject:
    """``train_copy`` and the run's int8 variant."""
    from tinystudio.core.compress import compress

    run_id = train_copy(source, dest, epochs, sized=sized).run_id
    with Project.open(dest) as project:
        variant_id = compress(project, run_id, "ptq")
    return TrainedProject(dest, run_id, variant_id)


def private_copy(source: Path, folder: Path, name: str = "copy.tsproj") -> Path:
    """A copy of the project file ``source`` in ``folder`` (its own cache folder, so builds start clean)."""
    dest = folder / name
    shutil.copy(source, dest)
    return dest
