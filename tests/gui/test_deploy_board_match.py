"""After reopening a project, the Deploy page's figures belong to the board named in its Board box: that
board's newest stored result, or a line saying it has none yet, never the newest result of another board."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import close_main_window
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow
from tinystudio.gui.pages.deploy_page import NO_BOARD


@pytest.mark.slow
def test_reopened_deploy_page_shows_the_chosen_boards_result_or_none(qtbot, trained_copy):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    try:
        window.open_project(str(trained_copy))
        page = window.show_step("Deploy")
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        with qtbot.waitSignal(page.deploy_finished, timeout=180_000):
            qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
        assert page.last_error == ""

        # another board in the Board box (as the window restores it), then the project reopened
        page.target_combo.setCurrentIndex(page.target_combo.findData("mps2-an386"))
        window.open_project(str(trained_copy))
        assert page.history.rowCount() == 1  # the host's result is still listed ...
        assert not page.selected_results()  # ... but not shown as this board's
        assert page.accuracy_label.text() == "-" and page.board_label.text() == NO_BOARD
        assert page.matrix.labels == []
        assert "No stored result on mps2-an386" in page.matrix.title.text()

        # the board of the stored result: its figures are shown
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        window.open_project(str(trained_copy))
        assert len(page.selected_results()) == 1
        assert page.accuracy_label.text() != "-" and page.board_label.text().startswith("host")
        assert page.matrix.labels == ["badminton", "running", "standing", "walking"]
    finally:
        close_main_window(window)
