"""One look in both colour schemes: the palette, the plots' background and the window icon follow the
theme; TINYSTUDIO_THEME overrides the system's scheme."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from tinystudio.gui import theme
from tinystudio.gui.icon import icon_files


@pytest.fixture
def app_theme(monkeypatch):
    app = QApplication.instance()
    old_palette, old_sheet, old_style = app.palette(), app.styleSheet(), app.style().name()
    yield app
    app.setStyle(old_style)
    app.setPalette(old_palette)
    app.setStyleSheet(old_sheet)
    theme.apply_plot_theme(theme.LIGHT)
    theme._current = theme.LIGHT


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_palette_and_plots_follow_the_chosen_scheme(qtbot, monkeypatch, app_theme, make_window, scheme):
    monkeypatch.setenv(theme.THEME_ENV, scheme)
    chosen = theme.apply_theme(app_theme)
    assert chosen.name == scheme
    window = make_window()
    window_colour = app_theme.palette().color(QPalette.ColorRole.Window)
    text_colour = app_theme.palette().color(QPalette.ColorRole.WindowText)
    assert (window_colour.lightness() < 80) == (scheme == "dark")
    assert abs(window_colour.lightness() - text_colour.lightness()) > 120  # text reads on its background
    plots = window.findChildren(pg.GraphicsView)
    assert plots, "the pages have plots"
    for plot in plots:  # including those a page made with a fixed white background
        assert plot.backgroundBrush().color().name() == chosen.plot_background


def test_without_override_the_system_scheme_decides(monkeypatch, app_theme):
    monkeypatch.setenv(theme.THEME_ENV, "auto")
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    assert theme.choose_theme() is theme.DARK
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    assert theme.choose_theme() is theme.LIGHT


def test_the_window_has_the_app_icon(make_window):
    assert {p.name for p in icon_files()} == {"tinystudio.svg", "tinystudio-256.png"}
    window = make_window()
    icon = window.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(64, 64).toImage().pixelColor(32, 32).alpha() == 255  # drawn, not an empty square


_SWITCH_WITH_GARBAGE = """
import gc, os
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from tinystudio.gui import theme
app = QApplication([])
shown = []
for _ in range(5):
    page = QWidget()
    layout = QVBoxLayout(page)
    for _ in range(3):
        layout.addWidget(pg.PlotWidget())
    shown.append(page)
for turn in range(6):
    gc.disable()  # closed windows left in reference cycles, as pyqtgraph's plots leave them
    for _ in range(10):
        closed = QWidget()
        QVBoxLayout(closed).addWidget(pg.PlotWidget())
        cycle = {"window": closed}
        cycle["cycle"] = cycle
    del closed, cycle
    gc.enable()
    theme.apply_theme(app, theme.DARK if turn % 2 else theme.LIGHT)
print("switched", flush=True)
os._exit(0)
"""


def test_switching_scheme_while_closed_plot_windows_await_collection_does_not_crash(tmp_path):
    """The system's scheme can change at any moment; the collector once deleted a closed plot window while Qt
    was restyling every widget, and the app died of a segmentation fault (seen in the test run as well)."""
    import os
    import subprocess
    import sys

    script = tmp_path / "switch.py"
    script.write_text(_SWITCH_WITH_GARBAGE)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0 and "switched" in run.stdout, run.stderr[-2000:]
