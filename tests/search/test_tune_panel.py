"""The Train page's Tune tab with a real project, offscreen: a search with progress fills the Pareto table and
chart, Train selected stores a new run with its variant marked for deploy, Cancel stops a search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tinystudio.app import tune as tune_app
from tinystudio.app.variants import marked_variant
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.train_page import TrainPage
from tinystudio.gui.widgets.tune_panel import TunePanel

pytestmark = pytest.mark.slow


@pytest.fixture
def panel(qtbot, bm_copy):
    context = AppContext()
    context.set_project(Project.open(bm_copy))
    page = TrainPage(context)
    qtbot.addWidget(page)
    tabs = page.results_tabs
    found = [tabs.widget(i) for i in range(tabs.count()) if tabs.tabText(i) == "Tune"]
    assert len(found) == 1 and isinstance(found[0], TunePanel)
    yield found[0]
    found[0].shutdown()
    page.shutdown()
    context.close()


def _only(panel: TunePanel, *families: str) -> None:
    for name, box in panel.families.items():
        box.setChecked(name in families)


def test_search_shows_the_front_and_trains_a_chosen_row(qtbot, panel):
    panel.board.setCurrentIndex(panel.board.findData("mps2-an386"))
    panel.trials.setValue(3)
    panel.epochs.setValue(1)
    _only(panel, "rf", "gbt")
    seen: list[int] = []
    panel.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert not panel.start_button.isEnabled() and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=180_000)
    assert panel.result is not None, panel.status.text()
    assert panel.table.rowCount() == len(panel.result.front) >= 1
    assert len(panel.points) == panel.table.rowCount()  # one marker per front point on the chart
    assert any(0 < v < 1000 for v in seen)  # progress moved while trials came in
    last = panel.table.rowCount()
    panel.table.selectRow(last - 1)
    assert panel.train_button.isEnabled()
    qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.worker is None, timeout=180_000)
    assert panel.picked is not None, panel.status.text()
    project = panel.context.project
    assert project.runs("train")[-1].id == panel.picked.run_id
    assert marked_variant(project) == panel.picked.variant_id
    assert panel.picked.point.number == panel.result.front[last - 1].number
    assert tune_app.latest(project) is not None


def test_cancel_stops_a_search(qtbot, panel):
    panel.board.setCurrentIndex(panel.board.findData("host"))
    panel.trials.setValue(3)
    panel.epochs.setValue(200)
    _only(panel, "dense")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "searching" in panel.status.text(), timeout=30_000)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60_000)
    assert panel.status.text().startswith("Cancelled") and panel.start_button.isEnabled()
