"""GUI fixtures: small real projects (a few labelled recordings; BasicMotions trained briefly and quantized),
each test working on its own copy of the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import app_theme
import numpy as np
import pytest
from trained_projects import TrainedProject, private_copy, train_and_quantize

from tinystudio.core.store import Project

EPOCHS = 4


@pytest.fixture(scope="session")
def gui_trained(bm_split_project: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainedProject:
    """BasicMotions split 70/15/15, one short training run (the impulse as the app sizes it) and its int8
    variant."""
    return train_and_quantize(bm_split_project, tmp_path_factory.mktemp("gui_trained") / "bm.tsproj", EPOCHS,
                              sized=True)


@pytest.fixture
def trained_copy(gui_trained: TrainedProject, tmp_path: Path) -> Path:
    return private_copy(gui_trained.path, tmp_path, "trained.tsproj")


def make_project(path: Path, labels: list[str], seconds: float = 2.0, rate_hz: float = 50.0) -> Path:
    """A project with one three-axis recording per entry of ``labels`` (a noisy sine per label)."""
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for i, label in enumerate(labels):
            t = np.arange(int(seconds * rate_hz)) / rate_hz
            signal = np.stack([np.sin(2 * np.pi * (1 + i) * t + k) for k in range(3)], axis=1)
            signal += 0.05 * rng.standard_normal(signal.shape)
            project.add_sample(signal.astype(np.float32), rate_hz, ["x", "y", "z"], label, units=["g"] * 3,
                               name=f"rec{i}")
    return path


@pytest.fixture
def light_app_theme(qapp: Any) -> None:
    """The app's own style sheet, fonts and spacing (as ``tinystudio gui`` starts); kept for the next test that
    asks for it and undone before any other (tests/app_theme.py)."""
    app_theme.use(qapp)


@pytest.fixture
def laptop_window(qtbot: Any) -> Iterator[Any]:
    """The main window, shown at a 1024x640 laptop's size; a job still running at the end is cancelled and
    waited for before the window is closed."""
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.main_window import MainWindow

    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    yield win
    for page in win.pages.values():
        worker = getattr(page, "worker", None)
        if worker is not None:
            worker.cancel()
            qtbot.waitUntil(lambda page=page: page.worker is None, timeout=60_000)
    close_main_window(win)


def close_main_window(win: Any) -> None:
    """End what a test's main window started: each page's background work, then the app context."""
    for page in win.pages.values():
        shutdown = getattr(page, "shutdown", None)
        if callable(shutdown):
            shutdown()
    win.context.close()
