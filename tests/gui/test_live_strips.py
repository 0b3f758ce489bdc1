"""The Live on board strips are readable in a 1024x640 window while the board classifies: the signal and
score strips keep room for their ticks, and the rotated "class" and "score" titles stay within their own
strips instead of running into each other; saving sits beside Start and Stop."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from cli_helpers import run_cli
from tests.gui.test_live_units import _imu_project

pytestmark = pytest.mark.usefixtures("light_app_theme")


def _span(plot) -> tuple[float, float]:
    """Top and bottom of a strip's data area in the view's pixels."""
    rect = plot.vb.sceneBoundingRect()
    return rect.top(), rect.bottom()


@pytest.mark.slow
def test_live_strips_are_readable_at_1024x640(qtbot, laptop_window, tmp_path):
    path = _imu_project(tmp_path / "imu.tsproj")
    code, _out, err = run_cli("train", str(path), "--model", "rf")
    assert code == 0, err
    window = laptop_window  # the main window at 1024x640
    page = window.show_step("Deploy")
    live = page.live
    try:
        window.open_project(str(path))
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        page.tabs.setCurrentWidget(live)
        live.start()
        qtbot.waitUntil(lambda: live._drawn_windows > 0 or live.worker is None, timeout=120_000)
        assert live.last_error == ""
        for _ in range(5):
            QApplication.processEvents()
        assert window.width() == 1024 and window.height() == 640
        signal, score = _span(live.signal_plot), _span(live.score_plot)
        assert signal[1] - signal[0] >= 60, signal  # a strip a few dozen pixels high showed one tick
        assert score[1] - score[0] >= 50, score
        for plot in (live.band_plot, live.score_plot):  # rotated titles within their own strips
            axis = plot.getAxis("left")
            top, bottom = _span(plot)
            assert axis.label.boundingRect().width() <= bottom - top, (axis.labelText, top, bottom)
        band_bottom = _span(live.band_plot)[1]
        assert band_bottom <= score[0]
        assert live.view.geometry().bottom() <= live.height()  # the strips are wholly on the tab ...
        time_axis = live.score_plot.getAxis("bottom").sceneBoundingRect()
        assert time_axis.bottom() <= live.view.viewport().height()  # ... the time axis and its title too
    finally:
        live.stop()
        qtbot.waitUntil(lambda: live.worker is None, timeout=60_000)
