"""No plot shows an empty legend box: the Data step's waveform before a sample is chosen (or after it is
cleared) and the Compress step's chart without variants showed the frame of a legend naming nothing."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window, make_project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import STEPS, MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")


def _legends(window: MainWindow) -> tuple[list[str], list[list[str]]]:
    """The plots showing an empty legend box (by their class), and the names each shown legend lists."""
    empty, shown = [], []
    for view in window.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.LegendItem) and item.isVisible():
                names = [label.text for _, label in item.items]
                if names:
                    shown.append(names)
                else:
                    empty.append(type(view).__name__)
    return empty, shown


def test_no_plot_shows_an_empty_legend_box(qtbot, tmp_path):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    try:
        window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle", "shake", "circle"])))
        for title, _, _ in STEPS:  # every step as it opens: nothing drawn yet
            window.show_step(title)
            QApplication.processEvents()
            assert _legends(window)[0] == [], title
        data = window.show_step("Data")
        first = data.context.project.samples()[0].id
        data.show_sample(first)
        QApplication.processEvents()
        assert _legends(window)[0] == []
        assert data.key.isVisible() and data.key.names() == ["x [g]", "y [g]", "z [g]"]  # in its key row
        data.clear_preview()
        QApplication.processEvents()
        assert _legends(window) == ([], []) and not data.key.isVisible()
    finally:
        close_main_window(window)
