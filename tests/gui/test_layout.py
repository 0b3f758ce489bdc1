"""Every page fits laptop screens: at 1366x768, 1280x720 and 1024x640 (a 1280x800 screen at 125 %) no
input field is squeezed, cut off or scrolled out of view sideways, and no page makes the window grow."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import make_project
from tests.gui.layout_check import field_problems
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import STEPS, MainWindow

SIZES = ((1366, 768), (1280, 720), (1024, 640))


pytestmark = pytest.mark.usefixtures("light_app_theme")


def _check_every_page(qtbot, project_path: str, size: tuple[int, int]) -> list[str]:
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    try:
        window.open_project(project_path)
        window.resize(*size)
        window.show()
        QApplication.processEvents()
        problems: list[str] = []
        for title, _, _ in STEPS:
            page = window.show_step(title)
            for _ in range(3):
                QApplication.processEvents()
            if (window.width(), window.height()) != size:
                problems.append(f"{title}: the window grew to {window.width()}x{window.height()}")
            problems += [f"{title}: {p}" for p in field_problems(page, window)]
        return problems
    finally:
        for page in window.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                shutdown()
        window.context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pages_fit_with_recordings(qtbot, tmp_path, size):
    path = make_project(tmp_path / "fit.tsproj", ["idle", "shake", "circle"] * 3)
    assert _check_every_page(qtbot, str(path), size) == []


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pages_fit_with_a_trained_model_and_variants(qtbot, trained_copy, size):
    assert _check_every_page(qtbot, str(trained_copy), size) == []



def test_confusion_matrix_names_never_run_into_each_other(qtbot):
    from PySide6.QtGui import QFontMetrics

    from tinystudio.gui.widgets.confusion_matrix import ConfusionMatrixWidget

    labels = [f"activity_number_{k}_with_a_long_name" for k in range(8)]
    for width in (900, 420, 260):
        matrix = ConfusionMatrixWidget()
        qtbot.addWidget(matrix)
        matrix.resize(width, 360)
        matrix.show()
        matrix.set_matrix(labels, [[int(i == j) * 5 for j in range(8)] for i in range(8)], "Run 1, test:")
        QApplication.processEvents()
        cell = 1 / matrix.plot.getViewBox().viewPixelSize()[0]
        metrics = QFontMetrics(matrix.plot.font())
        names = [name for _, name in matrix.plot.getAxis("bottom")._tickLevels[0]]
        assert len(names) == 8
        assert all(metrics.horizontalAdvance(n) <= cell for n in names), (width, cell, names)


def test_live_plot_strips_have_no_scale_note(qtbot):
    import numpy as np

    from tinystudio.gui.widgets.capture_plot import CapturePlot

    plot = CapturePlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    plot.set_axes(["accX", "accY", "accZ"])
    plot.show_frames(np.full((200, 3), 0.0004, dtype=np.float32) + np.linspace(0, 1e-4, 200)[:, None], 200, 50.0)
    QApplication.processEvents()
    for strip in plot._plots:
        assert "x0.0" not in strip.getAxis("left").labelString()
        assert "x1e" not in strip.getAxis("left").labelString()


@pytest.mark.parametrize("height", (180, 260, 600))
def test_live_plot_value_labels_never_touch_on_short_strips(qtbot, height):
    """Six axes in a plot squeezed by a 640 px screen: each strip labels only as many values as fit apart."""
    import numpy as np

    from tinystudio.gui.widgets.capture_plot import TICK_PX, CapturePlot

    plot = CapturePlot()
    qtbot.addWidget(plot)
    plot.resize(700, height)
    plot.show()
    plot.set_axes([f"ax{i}" for i in range(6)])
    t = np.linspace(0, 10, 500, dtype=np.float32)[:, None]
    plot.show_frames(np.hstack([np.sin(t * k) * 10.0 ** (k - 3) for k in range(6)]).astype(np.float32), 500, 50.0)
    for _ in range(3):
        QApplication.processEvents()
    for strip in plot._plots:
        axis = strip.getAxis("left")
        low, high = strip.viewRange()[1]
        pixels = axis.geometry().height()
        for spacing, _offset in axis.tickSpacing(low, high, pixels):
            shown = (high - low) / spacing
            assert shown * TICK_PX <= pixels + TICK_PX, (height, pixels, low, high, spacing)


def test_first_window_fits_the_screen():
    """On a first start the window takes its usual size, but a 1024x640 screen gets a window that fits it."""
    from PySide6.QtCore import QSize

    from tinystudio.gui.main_window import FIRST_SIZE, first_size

    assert first_size(QSize(1920, 1080)) == FIRST_SIZE
    assert first_size(QSize(1024, 640)) == QSize(1024, 640)
    assert first_size(QSize(1366, 700)) == QSize(1280, 700)


def test_variants_table_and_training_curves_stay_readable_on_a_small_screen(qtbot, tmp_path):
    """At 1024x640 the Compress step shows at least four variant rows above its chart, and the Train step's
    loss and accuracy plots keep a readable height (the results column scrolls instead of squashing them)."""
    from tinystudio.gui.pages.train_page import CURVES_MIN_HEIGHT

    path = make_project(tmp_path / "small.tsproj", ["idle", "shake", "circle"] * 3)
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    try:
        window.open_project(str(path))
        window.resize(1024, 640)
        window.show()
        compress = window.show_step("Compress")
        QApplication.processEvents()
        table = compress.table
        assert table.viewport().height() >= 4 * table.verticalHeader().defaultSectionSize()
        train = window.show_step("Impulse / Train")
        QApplication.processEvents()
        for plot in train.curves.plots.values():
            assert plot.height() >= CURVES_MIN_HEIGHT - 10
            assert plot.getAxis("bottom").isVisible() and plot.getAxis("bottom").height() > 0
        assert (window.width(), window.height()) == (1024, 640)
    finally:
        for page in window.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                shutdown()
        window.context.close()
