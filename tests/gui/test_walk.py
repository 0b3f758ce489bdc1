"""A new user's walk through the window on a 1024x640 laptop screen: what matters during each action is
in view and readable without scrolling or resizing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.layout_check import clipped_cells, columns_out_of_view
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

SMALL = (1024, 640)


@pytest.fixture(autouse=True)
def app_theme(qapp):
    """The app's own style sheet, fonts and spacing (as ``tinystudio gui`` starts), undone afterwards."""
    from tinystudio.gui import theme

    style, palette, font, sheet = qapp.style().name(), qapp.palette(), qapp.font(), qapp.styleSheet()
    theme.apply_theme(qapp, theme.LIGHT)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyle(style)


def _settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.resize(*SMALL)
    win.show()
    yield win
    for page in win.pages.values():
        shutdown = getattr(page, "shutdown", None)
        if callable(shutdown):
            shutdown()
    win.context.close()


def people_project(path: Path) -> Path:
    """Recordings as the simulated board makes them: long exercise names, one group per person."""
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for person in ("anna", "bob", "carl", "dora"):
            for label in ("pendulum", "abduction", "forward_elevation"):
                signal = rng.standard_normal((200, 6)).astype(np.float32)
                project.add_sample(signal, 50.0, ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"], label,
                                   group=person)
    return path


def test_data_table_shows_whole_labels_and_the_group_column(window, tmp_path):
    """The sample table opens with every label readable and the Group column (what the split keeps
    together) in view, not behind an empty Name column and a sideways scroll."""
    window.open_project(str(people_project(tmp_path / "people.tsproj")))
    page = window.show_step("Data")
    _settle()
    assert columns_out_of_view(page.table, ["Label", "Split", "Group"]) == []
    assert clipped_cells(page.table, 2) == []
