"""The Device step's live plot of the simulated board is readable at 1024x640: each strip, a few dozen
pixels high with room for one tick, names the range of the values it draws, and the time axis says that
the values carry no unit (a serial line states none) instead of leaving the reader to guess one."""

from __future__ import annotations

import re

import pytest

from tests.gui.conftest import close_main_window, make_project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")

RANGE = re.compile(r"^(\w+)  (-?[\d.e+-]+) … (-?[\d.e+-]+)$")


def test_device_strips_name_their_range_and_say_there_is_no_unit(qtbot, tmp_path):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    try:
        window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle"])))
        page = window.show_step("Device")
        page.select_simulated()
        assert page.connect_port()
        plot = page.plot
        qtbot.waitUntil(lambda: plot.frames_drawn >= 3, timeout=10_000)
        assert plot._names == ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"]
        for name, title, curve in zip(plot._names, plot._titles, plot._curves, strict=True):
            match = RANGE.match(title.toPlainText())
            assert match and match.group(1) == name, title.toPlainText()
            low, high = float(match.group(2)), float(match.group(3))
            drawn = curve.yData  # the range named is that of the values drawn (to three digits)
            assert low == pytest.approx(float(drawn.min()), rel=5e-3, abs=1e-3)
            assert high == pytest.approx(float(drawn.max()), rel=5e-3, abs=1e-3)
        time_axis = plot._plots[-1].getAxis("bottom")
        assert "time before now (s)" in time_axis.labelText and "no units" in time_axis.labelText
        assert time_axis.label.boundingRect().width() <= time_axis.geometry().width()  # the note reads whole
        page.disconnect_port()
        plot.clear()  # as connecting again does
        assert [t.toPlainText() for t in plot._titles] == plot._names  # no range claimed for an empty strip
    finally:
        close_main_window(window)
