"""The Cross-validation tab at 1024x640: each fold's accuracy is in view beside the chart, without a sideways
scroll, even when the people held out have long names; the empty chart is in % from the start."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window
from tests.gui.test_crossval_names import PEOPLE, _people
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext

pytestmark = pytest.mark.usefixtures("light_app_theme")


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def test_each_folds_accuracy_is_in_view_at_1024x640(qtbot, tmp_path):
    """Before, the fold table took a third of the tab: 'Fold', 'Held out' and a sliver of 'Accuracy', the
    figures themselves behind a sideways scroll bar."""
    from tinystudio.app import crossval as crossval_app
    from tinystudio.app import train as train_app
    from tinystudio.gui.main_window import MainWindow

    path = _people(tmp_path / "people.tsproj")
    with Project.open(path) as project:
        impulse = train_app.default_impulse(project)
        impulse.model.preset, impulse.model.params = "rf", {}  # trees: a fold in a second, no TensorFlow
        result = crossval_app.cross_validate(project, impulse)
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    try:
        win.resize(1024, 640)
        win.show()
        win.open_project(str(path))
        page = win.show_step("Impulse / Train")
        page.results_tabs.setCurrentWidget(page.crossval)
        _settle()
        view = page.crossval
        assert view.chart.getViewBox().viewRange()[1][1] >= 99  # an empty chart already reads 0..100 %
        view.set_result(result)
        _settle()
        table, header = view.table, view.table.horizontalHeader()
        accuracy = 2
        assert table.horizontalHeaderItem(accuracy).text() == "Accuracy"
        right = header.sectionViewportPosition(accuracy) + header.sectionSize(accuracy)
        assert header.sectionViewportPosition(accuracy) >= 0 and right <= table.viewport().width()
        assert table.columnWidth(accuracy) >= header.sectionSizeHint(accuracy)
        long_name = max(PEOPLE, key=len)
        held_out = [table.item(r, 1).text() for r in range(table.rowCount())]
        assert long_name in held_out  # named in full, the tooltip too, even when the column is narrower
        assert table.item(held_out.index(long_name), 1).toolTip() == long_name
        assert view.chart.width() >= 150  # the chart keeps room for its bars
    finally:
        close_main_window(win)


def test_the_status_line_gives_the_cross_validation_in_percent_as_the_tab(qtbot, tmp_path):
    """Pressing Cross-validate (random forest: seconds) ends with the mean in % in the status line, the
    figure the tab shows; before, it was the CLI table's last line, 'Accuracy 0.597 ± 0.213 ...'."""
    from tinystudio.app.formatting import fmt_percent
    from tinystudio.gui.main_window import MainWindow

    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    try:
        win.resize(1024, 640)
        win.show()
        win.open_project(str(_people(tmp_path / "people.tsproj")))
        page = win.show_step("Impulse / Train")
        page.form.preset.setCurrentIndex(page.form.preset.findData("rf"))
        page.start_crossval()
        qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)
        shown = page.crossval._result
        assert shown is not None
        mean = fmt_percent(shown.summary()["mean"])
        assert mean in page.status.text() and mean in page.crossval.summary.text()
        assert "Cross-validation done" in page.status.text()
    finally:
        close_main_window(win)
