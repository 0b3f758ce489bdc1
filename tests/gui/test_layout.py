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

