"""The Deploy page with "Time each layer": after a real deploy on the emulated M4 the Per layer tab lists
every layer with its share as a bar, and the Arena plan tab draws one rectangle per buffer with none
overlapping another, in the main window at 1024x640."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.slow


@pytest.mark.usefixtures("qemu_available")
def test_profiled_deploy_fills_the_per_layer_table_and_arena_chart_at_1024x640(qtbot, project_copy, trained):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    try:
        window.open_project(str(project_copy))
        window.resize(1024, 640)
        window.show()
        page = window.show_step("Deploy")
        # the board is named: the board chosen last is remembered in the settings other tests share
        page.target_combo.setCurrentIndex(page.target_combo.findData("mps2-an386"))
        assert page.layer_table.table.rowCount() == 0 and "Time each layer" in page.layer_table.note.text()
        page.profile_check.setChecked(True)
        with qtbot.waitSignal(page.deploy_finished, timeout=240000):
            qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
        assert page.last_error == ""
        r = page.shown_result
        rows = r["per_layer"]
        table = page.layer_table.table
        assert table.rowCount() == len(rows) > 0
        assert [table.item(i, 1).text() for i in range(len(rows))] == [row["op"] for row in rows]
        note = page.layer_table.note.text()
        assert "emulated instructions" in note and "estimate" in note and "add up to" in note
        slowest = max(range(len(rows)), key=lambda i: rows[i]["share"])
        assert table.item(slowest, 2).data(Qt.ItemDataRole.UserRole + 1) == 1.0  # the longest bar

        page.result_tabs.setCurrentWidget(page.layer_table)
        QApplication.processEvents()
        assert table.isVisible() and table.viewport().height() >= table.rowHeight(0) * min(4, len(rows))
        bar = table.visualRect(table.model().index(0, 2))  # the bars are in view without scrolling sideways
        assert bar.right() <= table.viewport().width()
        assert (window.width(), window.height()) == (1024, 640)

        page.result_tabs.setCurrentWidget(page.arena_chart)
        QApplication.processEvents()
        page.arena_chart.grab()  # paints at the size the window gives it
        drawn = page.arena_chart.buffer_rects()
        assert len(drawn) == len(r["arena_plan"]["buffers"]) > 0
        assert page.arena_chart.width() >= 300 and page.arena_chart.height() >= 180
        for i, (a, _) in enumerate(drawn):
            assert page.arena_chart.rect().contains(a.toAlignedRect().adjusted(1, 1, -1, -1))
            for b, _ in drawn[i + 1:]:
                overlap = a.intersected(b)
                assert overlap.width() < 0.5 or overlap.height() < 0.5  # touching edges at most
    finally:
        window.context.close()
