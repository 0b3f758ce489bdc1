"""Every test's window settings (size, step, splitter positions, recent projects) live in a folder of its own,
never in the user's configuration: a layout one test's window saves when it closes cannot shape the next
test's window (a test used to clear them by hand so that the next one's plot kept its size)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSplitter

from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

FOLDERS: list[Path] = []
"""The settings folders of the tests in this module that saved a window's layout."""


def test_a_closed_window_saves_its_layout_in_the_tests_folder_not_the_users(qtbot, settings_folder, user_settings):
    window = MainWindow(AppContext())  # the settings the app opens when started as a program
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_step("Data")
    splitter = window.pages["Data"].findChildren(QSplitter)[0]
    total = sum(splitter.sizes())
    splitter.setSizes([total // 5, total - total // 5])
    window.close()
    saved = Path(window.context.settings.fileName())
    assert settings_folder in saved.parents and saved.is_file()
    stored = QSettings(str(saved), QSettings.Format.IniFormat)
    assert stored.value("window/geometry") and any(k.startswith("splitters/data/") for k in stored.allKeys())
    assert user_settings.folder not in saved.parents
    assert user_settings.now() == user_settings.at_start  # nothing written, changed or added there
    FOLDERS.append(settings_folder)


def test_the_next_test_starts_without_a_saved_layout(qtbot, settings_folder):
    context = AppContext()
    assert settings_folder not in FOLDERS
    assert context.settings.allKeys() == []  # before: the last test's geometry, step and splitters
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.height() == 800  # a first start's size, not one a test left
    assert window.stack.currentWidget() is window.pages["Device"]  # the first step, not the Data step left
