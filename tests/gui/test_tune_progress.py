"""The Tune panel's progress bar never shows a figure of another search: empty when a search starts, is
cancelled or fails, full only when one finished (before, a search that ran all its trials and then could
not be stored, the project being read-only, left a full bar beside "Failed" until the next start)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window
from tests.gui.test_walk import people_project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow
from tinystudio.gui.widgets.tune_panel import TunePanel

pytestmark = pytest.mark.usefixtures("light_app_theme")


@pytest.mark.slow
def test_tune_progress_bar_is_reset_on_start_cancel_failure_and_full_on_finish(qtbot, tmp_path):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    path = people_project(tmp_path / "people.tsproj", split=True)
    path.chmod(0o444)  # on a read-only share: it opens for viewing, and a search cannot be stored
    window.open_project(str(path))
    page = window.show_step("Impulse / Train")
    tune = next(page.results_tabs.widget(i) for i in range(page.results_tabs.count())
                if isinstance(page.results_tabs.widget(i), TunePanel))
    page.results_tabs.setCurrentWidget(tune)
    bar = tune.progress
    try:
        # networks only, under a 1 KB flash budget: every trial is pruned at once (no training), the bar
        # reaches its end, and storing the search fails
        for name, box in tune.families.items():
            box.setChecked(name in ("dense", "cnn1d"))
        tune.trials.setValue(3)
        tune.flash_kb.setValue(1)
        seen: list[int] = []
        bar.valueChanged.connect(seen.append)
        tune.start()
        assert bar.value() == 0
        qtbot.waitUntil(lambda: tune.worker is None, timeout=120_000)
        assert "read-only" in tune.last_error and "Failed" in tune.status.text()
        assert max(seen) == 1000  # every trial was run
        assert bar.value() == 0, "a failed search leaves its bar full"

        path.chmod(0o644)
        window.open_project(str(path))
        tune.start()  # again, now writable: it finishes and fills the bar
        qtbot.waitUntil(lambda: tune.worker is None, timeout=120_000)
        assert tune.last_error == "" and bar.value() == 1000
        # nothing fits 1 KB: the line says so instead of asking to choose a row of an empty table
        assert tune.table.rowCount() == 0 and "flash budget 1024 B" in tune.status.text()
        assert "Choose a row" not in tune.status.text()

        tune.flash_kb.setValue(0)  # the board's budget: trials train, and Cancel stops them
        tune.epochs.setValue(1)
        tune.start()
        assert bar.value() == 0 and tune.worker is not None
        tune.cancel_job()
        qtbot.waitUntil(lambda: tune.worker is None, timeout=180_000)
        QApplication.processEvents()
        assert bar.value() == 0 and tune.last_error == ""
    finally:
        if tune.worker is not None:
            tune.cancel_job()
            qtbot.waitUntil(lambda: tune.worker is None, timeout=180_000)
        close_main_window(window)
