"""The Train step's DSP preview shows its band powers' title whole in a 1024x640 window: rotated along the
y-axis it ran longer than the plot was high and read "log10 powe"."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window, make_project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")


def test_dsp_preview_y_title_fits_its_axis_at_1024x640(qtbot, tmp_path):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    try:
        window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle", "wave", "idle", "wave"])))
        page = window.show_step("Impulse / Train")
        form = page.form
        form.dsp_block.setCurrentIndex(form.dsp_block.findData("spectral"))
        form.dsp_editors["log"].setChecked(True)
        for _ in range(5):
            QApplication.processEvents()
        preview = page.preview
        title, box = preview.y_title, preview.plot.getPlotItem().vb
        assert title.isVisible() and title.toPlainText() == "log10 power"
        shown = title.mapRectToItem(box, title.boundingRect())  # the whole title inside the plot's area
        assert box.boundingRect().contains(shown), (shown, box.boundingRect())
        assert not preview.plot.getAxis("left").labelText.strip()  # no rotated title to be cut short
        plot, pane = preview.plot, preview.parentWidget()  # the whole plot, x-axis title too, in view
        bottom = plot.mapTo(pane, plot.rect().bottomLeft()).y()
        assert bottom <= pane.height(), (bottom, pane.height())
        form.dsp_editors["log"].setChecked(False)
        assert title.toPlainText() == "power"
    finally:
        close_main_window(window)
