"""Trained projects for session fixtures: the split BasicMotions project copied, trained briefly and
quantized to int8 once, and private copies for the tests that write to it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core.store import Project


@dataclass(frozen=True)
class TrainedProject:
    path: Path
    run_id: int
    variant_id: int


def train_and_quantize(source: Path, dest: Path, epochs: int, *, sized: bool = False) -> TrainedProject:
    """``source`` copied to ``dest``, one training run of ``epochs`` and its int8 variant. The impulse is the
    one the data suggests; ``sized=True`` takes it as the app does (every parameter written out, the
    model's widths sized to the data) and trains through the app."""
    from tinystudio.core.compress import compress

    shutil.copy(source, dest)
    with Project.open(dest) as project:
        if sized:
            from tinystudio.app import train as train_app

            impulse = train_app.default_impulse(project)
            impulse.model.epochs = epochs
            run_id = train_app.train(project, impulse).run_id
        else:
            from tinystudio.core.features import suggest_for_project
            from tinystudio.core.training import train

            impulse = suggest_for_project(project)
            impulse.model.epochs = epochs
            run_id = train(project, impulse).run_id
        variant_id = compress(project, run_id, "ptq")
    return TrainedProject(dest, run_id, variant_id)


def private_copy(source: Path, folder: Path, name: str = "copy.tsproj") -> Path:
    """A copy of the project file ``source`` in ``folder`` (its own cache folder, so builds start clean)."""
    dest = folder / name
    shutil.copy(source, dest)
    return dest
