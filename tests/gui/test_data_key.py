"""The Data step's waveform key sits beside its plot, never over the curves: at 1024x640 a six-axis sample's
legend box covered the first second of the waveform, and the y axis said "units in the legend" for a
recording whose legend named no units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect, QRectF
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.gui.conftest import close_main_window
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")

AXES = ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"]
UNITS = ["g", "g", "g", "dps", "dps", "dps"]


def _imu_project(path: Path, units: list[str] | None) -> Path:
    """Two five-second six-axis recordings, ``units`` declared or not."""
    t = np.arange(250)[:, None] / 50.0
    with Project.create(path) as project:
        for k, label in enumerate(("pendulum", "abduction")):
            signal = np.sin(2 * np.pi * (k + 1) * t + np.arange(6)).astype(np.float32)
            project.add_sample(signal, 50.0, AXES, label, units=units)
    return path


def _in_window(view: pg.GraphicsView, scene_rect: QRectF, window: QWidget) -> QRect:
    rect = view.mapFromScene(scene_rect).boundingRect()
    return QRect(view.mapTo(window, rect.topLeft()), rect.size())


def _key_rects(window: QWidget, plot: pg.PlotWidget) -> list[QRect]:
    """Where the waveform's axis names are shown, in window coordinates: a label or a legend box in the plot."""
    rects = [QRect(label.mapTo(window, QPoint(0, 0)), label.size())
             for label in window.findChildren(QLabel) if label.isVisible() and "accX" in label.text()]
    rects += [_in_window(plot, item.sceneBoundingRect(), window) for item in plot.scene().items()
              if isinstance(item, pg.LegendItem) and item.isVisible() and item.items]
    return rects


def _open(qtbot, path: Path) -> MainWindow:
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.open_project(str(path))
    return window


def test_six_axis_key_stays_off_the_curves_and_names_units(qtbot, tmp_path):
    window = _open(qtbot, _imu_project(tmp_path / "imu.tsproj", UNITS))
    try:
        page = window.show_step("Data")
        QApplication.processEvents()
        assert _key_rects(window, page.plot) == []  # no sample chosen: no key at all
        page.select_sample(page.context.project.samples()[0].id)
        QApplication.processEvents()
        view_box = _in_window(page.plot, page.plot.getPlotItem().vb.sceneBoundingRect(), window)
        keys = _key_rects(window, page.plot)
        assert keys, "the six axes are named somewhere"
        for key in keys:
            assert not key.intersects(view_box), (key, view_box)
            assert window.rect().contains(key)  # wraps rather than running off the window
        assert page.key.height() > 1.5 * page.key.fontMetrics().height()  # six names need a second line
        assert "accX [g]" in page.key.names() and "gyrZ [dps]" in page.key.names()
        for line in page.key.text().split("<br>"):  # a line breaks between entries, not after a line sample
            assert line.count("<img") == sum(n.replace(" ", "\u00a0") in line for n in page.key.names())
        assert page.plot.getPlotItem().getAxis("left").labelText == "value [g, dps]"
        page.clear_preview()
        QApplication.processEvents()
        assert _key_rects(window, page.plot) == []
    finally:
        close_main_window(window)


def test_recording_without_units_claims_none(qtbot, tmp_path):
    window = _open(qtbot, _imu_project(tmp_path / "bare.tsproj", None))
    try:
        page = window.show_step("Data")
        page.select_sample(page.context.project.samples()[0].id)
        QApplication.processEvents()
        assert page.plot.getPlotItem().getAxis("left").labelText == "value"
        assert page.key.names() == AXES  # names without empty brackets
    finally:
        close_main_window(window)
