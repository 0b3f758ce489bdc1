"""Desktop-app fixtures: a main window on real QSettings kept in a temporary INI file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot, settings_file: Path) -> Callable[[], MainWindow]:
    """Open a new main window reading and writing ``settings_file`` (as a fresh start of the app would)."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        context = AppContext(settings=QSettings(str(settings_file), QSettings.Format.IniFormat))
        window = MainWindow(context)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
