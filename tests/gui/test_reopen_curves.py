"""Reopening a project with a trained run on a 1024x640 screen shows that run's loss and accuracy curves
whole, axis titles included, without scrolling (they sat about 10 px below the fold)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window
from tests.gui.layout_check import hidden_part
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1024, 640), (1600, 1000)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_reopened_runs_curves_are_whole_in_view(qtbot, trained_copy, size):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    try:
        window.open_project(str(trained_copy))
        page = window.show_step("Impulse / Train")
        for _ in range(6):
            QApplication.processEvents()
        assert page.curves.plots and all(plot.height() > 100 for plot in page.curves.plots.values())
        for name, plot in page.curves.plots.items():
            assert hidden_part(plot, window) == 0, f"{name}: {hidden_part(plot, window)} px out of view"
            assert plot.getAxis("bottom").isVisible()
        assert (window.width(), window.height()) == size
    finally:
        close_main_window(window)
