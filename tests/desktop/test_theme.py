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
