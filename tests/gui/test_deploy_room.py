"""The Deploy step's room after real tests on boards: at 1024x640 the Latency tab shows the energy estimate's
sentence (with the percentiles and the rate) without scrolling, and at 1600x1000 the history lists five
results whole instead of two and a half rows under a mostly empty tab."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window, make_project
from tests.gui.layout_check import hidden_part, rows_hidden
from tests.gui.test_project_switch import LABELS, _forest
from tinystudio.app.figure_text import energy_sentence
from tinystudio.gui.context import AppContext

pytestmark = pytest.mark.usefixtures("light_app_theme")


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _deploy(qtbot, page, target: str) -> None:
    page.target_combo.setCurrentIndex(page.target_combo.findData(target))
    with qtbot.waitSignal(page.deploy_finished, timeout=300_000):
        page.start_deploy()
    assert page.last_error == ""


@pytest.mark.skipif(shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None,
                    reason="qemu-system-arm or arm-none-eabi-gcc is not installed")
def test_energy_in_view_at_1024x640_and_five_results_listed_at_1600x1000(qtbot, tmp_path):
    """Before: at 1024x640 the energy sentence began 25 px above the tab's fold (its µJ and battery life
    below it); at 1600x1000 the history kept two and a half rows."""
    from tinystudio.gui.main_window import MainWindow

    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    try:
        win.resize(1024, 640)
        win.show()
        win.open_project(str(_forest(make_project(tmp_path / "a.tsproj", LABELS))))
        page = win.show_step("Deploy")
        for _ in range(4):
            _deploy(qtbot, page, "host")
        _deploy(qtbot, page, "mps2-an386")  # the emulated M4F: a power figure, so an energy estimate
        page.result_tabs.setCurrentIndex(1)
        _settle()
        figures = page.figures
        assert page.result_tabs.tabText(1) == "Latency"
        sentence = energy_sentence(figures.figures["energy"])
        assert figures.energy_label.text().startswith(sentence) and "µJ per inference" in sentence
        lines = figures.energy_label.fontMetrics().boundingRect(
            QRect(0, 0, figures.energy_label.width(), 10_000), Qt.TextFlag.TextWordWrap, sentence).height()
        assert hidden_part(figures.energy_label, win, 0, lines) == 0, "the energy sentence is below the fold"
        for label in (figures.caption, figures.percentiles, figures.rate_label):
            assert hidden_part(label, win) == 0
        assert "mps2-an386" in figures.caption.text() and "QEMU" in figures.caption.toolTip()
        assert (win.width(), win.height()) == (1024, 640)

        win.resize(1600, 1000)
        _settle()
        assert page.history.rowCount() == 5
        assert rows_hidden(page.history, win) == []
        for label in (figures.percentiles, figures.rate_label, figures.energy_label):
            assert hidden_part(label, win) == 0
    finally:
        close_main_window(win)
