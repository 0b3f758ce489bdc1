"""The Deploy step's Classes tab after a real test on the host board: a class with no test windows shows its
recall and F1 as '-' (nothing to divide by), not as 0.0 % beside 100 % for the classes that were measured."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window, make_project
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext

pytestmark = pytest.mark.usefixtures("light_app_theme")


def test_a_class_without_test_windows_has_no_recall_on_the_classes_tab(qtbot, tmp_path):
    from tinystudio.app import train as train_app
    from tinystudio.gui.main_window import MainWindow

    path = make_project(tmp_path / "a.tsproj", ["pendulum"] * 3 + ["abduction"] * 5 + ["upright_row"] * 4)
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    try:
        win.resize(1024, 640)
        win.show()
        win.open_project(str(path))
        report = win.show_step("Data").run_split()
        assert report is not None and any("none in test" in w for w in report.warnings)
        missing = next(label for label in ("pendulum", "abduction", "upright_row")
                       if f"'{label}' has none in test" in " ".join(report.warnings))
        with Project.open(path) as project:  # a random forest: fitted in a second, a variant at once
            impulse = train_app.default_impulse(project)
            impulse.model.preset, impulse.model.params = "rf", {}
            train_app.train(project, impulse)
        win.open_project(str(path))
        page = win.show_step("Deploy")
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        with qtbot.waitSignal(page.deploy_finished, timeout=300_000):
            page.start_deploy()
        assert page.last_error == ""
        page.result_tabs.setCurrentIndex([page.result_tabs.tabText(i) for i in range(page.result_tabs.count())]
                                         .index("Classes"))
        QApplication.processEvents()
        table = page.figures.per_class
        rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 5)]
                for r in range(table.rowCount())}
        assert rows[missing][3] == "0"
        empty = [label for label, cells in rows.items() if cells[3] == "0"]
        for label, (_precision, recall, f1, count) in rows.items():
            if count == "0":
                assert recall == "-" and f1 == "-", label
                assert "no test window" in table.item(list(rows).index(label), 2).toolTip()
            else:
                assert recall.endswith("%") and f1.endswith("%"), label
        assert 0 < len(empty) < len(rows)
    finally:
        page = win.pages.get("Deploy")
        if page is not None and page.worker is not None:
            page.worker.cancel()
            qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
        close_main_window(win)
