"""The Train step's DSP preview and confusion matrix stay readable after a run finishes in a project with
several runs, on a 1024x640 laptop and a 1600x1000 screen: the finished run's three-line result under the
buttons, or a position the user dragged or saved squeezed, took their room until both plots were about 30 px
tall (24 and 40 px inside their axes at 1024x640). Now the results column scrolls instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window
from tests.gui.layout_check import hidden_part
from tinystudio.app.train import RUN_KIND
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")

TRAIN = "Impulse / Train"
READABLE_PX = 75
"""Height inside the axes that a plot of a few curves or a 4x4 matrix reads at."""
CELL_PX = 18
"""A matrix cell with its count readable."""


def _settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _more_runs(path: Path, count: int) -> None:
    """``count`` more stored runs like the project's first one, as earlier trainings leave them."""
    with Project.open(path) as project:
        first = project.run(project.runs(kind=RUN_KIND)[0].id)
        for _ in range(count):
            project.add_run(RUN_KIND, first.config, first.metrics, first.curves, first.model, name=first.name)


def _readable(page) -> None:
    """Both plots keep a readable height inside their axes, wholly inside their pane (not under the buttons)."""
    pane = page._right.widget(0)  # the preview and the matrix side by side
    for plot in (page.preview.plot, page.matrix.plot):
        assert plot.getPlotItem().vb.height() >= READABLE_PX, plot.getPlotItem().vb.height()
        assert plot.mapTo(pane, QPoint(0, plot.height())).y() <= pane.height()
    cell = 1 / page.matrix.plot.getViewBox().viewPixelSize()[0]
    assert cell >= CELL_PX, cell


def test_a_finished_run_leaves_the_preview_and_matrix_readable_at_1024x640_and_1600x1000(laptop_window, qtbot,
                                                                                        trained_copy):
    _more_runs(trained_copy, 2)
    window = laptop_window
    window.open_project(str(trained_copy))
    page = window.show_step(TRAIN)
    page.form.epochs.setValue(2)
    page.start_training()
    qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)
    _settle()
    assert page.runs.rowCount() == 4
    assert len(page.status.text().split("<br>")) >= 2  # the finished run's result takes its lines ...
    _readable(page)  # ... from the column, which scrolls, not from the plots (before: 24 and 40 px)
    assert hidden_part(page.curves, window) == 0  # the run just finished stays in view
    window.resize(1600, 1000)
    _settle()
    _readable(page)
    assert page._column.verticalScrollBar().maximum() == 0  # a large screen shows it all without a scroll


def test_panes_dragged_or_saved_squeezed_keep_the_plots_readable(qtbot, trained_copy):
    def opened() -> MainWindow:
        window = MainWindow(AppContext())
        qtbot.addWidget(window)
        window.resize(1024, 640)
        window.show()
        qtbot.waitExposed(window)
        window.open_project(str(trained_copy))
        window.show_step(TRAIN)
        _settle()
        return window

    first = opened()
    page = first.pages[TRAIN]
    column = page._right
    total = sum(column.sizes())
    column.setSizes([0, total // 2, total - total // 2])  # the plots' pane dragged as far up as it goes
    _settle()
    _readable(page)
    close_main_window(first)
    first.close()  # remembers that position

    again = opened()
    try:
        _readable(again.pages[TRAIN])
    finally:
        close_main_window(again)
