"""What a new user sees on the Train step's Tune tab at 1024x640: the Pareto table's figures in view without
a sideways scroll, accuracy in % in the table as on the chart, a key naming the chart's marks, an empty chart
in % and the x axis's unit, nothing of another project's search after opening a project, and a Cancel before
any trial finished that says nothing was measured or stored."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.gui.layout_check import columns_out_of_view
from tests.gui.test_walk import SMALL, people_project, window  # noqa: F401 - fixtures
from tinystudio.app import tune as tune_app
from tinystudio.core.search.outcome import COMPLETE, Budget, TrialOutcome, TuneResult
from tinystudio.core.store import Project
from tinystudio.gui.widgets.tune_panel import EMPTY_X, INTRO, TunePanel

pytestmark = pytest.mark.usefixtures("light_app_theme")

FIGURES = ["Acc.", "Flash", "RAM", "ms", "Model", "DSP"]
"""The columns a user compares points by: accuracy, flash, RAM, latency, model family and DSP block."""


def _settle(rounds: int = 30) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _trial(n: int, accuracy: float, flash: int, family: str, dsp: str, latency: float) -> TrialOutcome:
    params = {"window_ms": 1000.0, "dsp": dsp, "dsp_params": {}, "family": family,
              "model_params": {"units": 16, "layers": 2} if family == "dense" else {"trees": 20},
              "compression": "int8"}
    return TrialOutcome(n, params, COMPLETE, accuracy, accuracy - 0.02, accuracy, flash, flash // 3, latency, 0)


def _searched(path: Path) -> TuneResult:
    """A project as a finished search leaves it: its result stored as a ``tune`` run (two points on the front,
    one trial off it, far to the right)."""
    result = TuneResult("mps2-an386", Budget(), [_trial(0, 2 / 3, 12_800, "dense", "spectral", 1.25),
                                                 _trial(1, 1 / 3, 900, "rf", "statistics", 0.08),
                                                 _trial(2, 0.3, 30_000, "gbt", "spectral", 3.0)], "grouped", {}, 1)
    with Project.open(path) as project:
        data = result.to_dict()
        data["base_impulse"] = {}
        project.add_run(tune_app.RUN_KIND, {"target": "mps2-an386", "trials": 3}, data, {}, None, name="tune")
    return result


def _tune_tab(window) -> TunePanel:  # noqa: F811
    page = window.show_step("Impulse / Train")
    tabs = page.results_tabs
    panel = next(tabs.widget(i) for i in range(tabs.count()) if tabs.tabText(i) == "Tune")
    assert isinstance(panel, TunePanel)
    tabs.setCurrentWidget(panel)
    _settle()
    return panel


def _ranges(panel: TunePanel) -> tuple[list[float], list[float]]:
    (x0, x1), (y0, y1) = panel.chart.getViewBox().viewRange()
    return [x0, x1], [y0, y1]


def test_the_pareto_table_shows_its_figures_in_percent_without_a_sideways_scroll(window, tmp_path):  # noqa: F811
    path = people_project(tmp_path / "people.tsproj", split=True)
    result = _searched(path)
    window.open_project(str(path))
    panel = _tune_tab(window)
    assert window.width() == SMALL[0]
    table = panel.table
    assert table.rowCount() == len(result.front) == 2
    assert columns_out_of_view(table, FIGURES) == []  # before: "#", "Accuracy" and a sliver
    shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert sum(table.columnWidth(c) for c in shown) <= table.viewport().width()  # nothing to scroll to
    heads = [table.horizontalHeaderItem(c) for c in range(table.columnCount())]
    assert all(h is not None and h.toolTip() for h in heads)  # a short heading says itself in full
    first = {table.horizontalHeaderItem(c).text(): table.item(0, c).text() for c in range(table.columnCount())}
    assert first["Acc."] == "66.7%"  # before: 0.667, beside a chart in %
    assert panel.points[-1][1] == pytest.approx(100 * 2 / 3)
    assert (first["Model"], first["DSP"]) == ("dense", "spectral")
    assert result.front[0].describe() in table.item(0, 0).toolTip()  # the whole point, whatever is left out


def test_the_chart_names_its_marks_in_a_key_row_and_its_x_axis_unit(window, tmp_path):  # noqa: F811
    path = people_project(tmp_path / "people.tsproj", split=True)
    _searched(path)
    window.open_project(str(path))
    panel = _tune_tab(window)
    assert panel.key.isVisible()
    scroll = panel.findChild(QScrollArea)
    least = scroll.widget().minimumSizeHint().height()
    assert scroll.widget().height() <= max(least, scroll.viewport().height())  # no tall chart to scroll
    assert panel.key.names == ["Pareto front", "trials off the front"]  # before: x marks without a word
    legends = [i for i in panel.chart.scene().items() if isinstance(i, pg.LegendItem) and i.isVisible()]
    assert legends == []  # a key row, not a box over the points
    axis = panel.chart.getAxis("bottom")
    assert (axis.labelText, axis.labelUnits) == ("flash", "KB")
    x, _ = _ranges(panel)
    assert x[0] <= 30_000 / 1024 <= x[1]  # the trial off the front, drawn in KB as the table gives it
    panel.x_axis.setCurrentIndex(panel.x_axis.findData("latency"))
    assert (axis.labelText, axis.labelUnits) == ("latency", "ms")


def test_opening_another_project_resets_the_chart_and_brings_back_the_intro(window, tmp_path):  # noqa: F811
    searched = people_project(tmp_path / "a.tsproj", split=True)
    _searched(searched)
    window.open_project(str(searched))
    panel = _tune_tab(window)
    x, y = _ranges(panel)
    assert x[1] > 25  # the search's own range, up to its 29 KB trial
    window.open_project(str(people_project(tmp_path / "b.tsproj", split=True)))
    _settle()
    assert _ranges(panel) == (list(EMPTY_X["flash"]), [0.0, 100.0])  # before: the other project's ranges
    assert panel.status.text() == INTRO  # before: an empty status line
    assert panel.table.rowCount() == 0 and not panel.key.isVisible()


def test_an_empty_chart_reads_in_percent_with_its_x_unit(window, tmp_path):  # noqa: F811
    window.open_project(str(people_project(tmp_path / "people.tsproj", split=True)))
    panel = _tune_tab(window)
    _, y = _ranges(panel)
    assert y == [0.0, 100.0]  # before: 0..1 beside "accuracy (%)"
    axis = panel.chart.getAxis("bottom")
    assert (axis.labelText, axis.labelUnits) == ("flash", "KB")  # before: no x label at all
    assert panel.status.text() == INTRO


@pytest.mark.slow
def test_cancel_before_any_trial_finished_says_nothing_was_measured(window, qtbot, tmp_path):  # noqa: F811
    path = people_project(tmp_path / "people.tsproj", split=True)
    window.open_project(str(path))
    panel = _tune_tab(window)
    panel.board.setCurrentIndex(panel.board.findData("host"))
    panel.trials.setValue(2)
    for name, box in panel.families.items():
        box.setChecked(name == "dense")
    panel.start()
    assert panel.worker is not None
    panel.cancel_job()  # before the first trial could finish
    qtbot.waitUntil(lambda: panel.worker is None, timeout=120_000)
    text = panel.status.text()
    assert text.startswith("Cancelled") and "no point was measured" in text and "no model was trained" in text
    project = window.context.project
    assert project.runs(tune_app.RUN_KIND) == [] and project.runs("train") == []  # as it says
    assert panel.progress.value() == 0 and panel.start_button.isEnabled()


def test_the_reference_off_the_front_is_a_row_of_its_own_and_selected(window, tmp_path):  # noqa: F811
    """Grouped scores, a smaller point scoring exactly as the reference forest: the table offers both, the
    reference marked off the front in its tooltip, and selects the reference as the command line trains it."""
    path = people_project(tmp_path / "people.tsproj", split=True)
    folds = {"cv_accuracies": [0.8, 0.7, 0.9], "cv_held_out": [["ann"], ["bob"], ["cy"]]}
    small, ref = _trial(0, 0.8, 900, "rf", "spectral", 0.1), _trial(1, 0.8, 40_000, "rf", "statistics", 0.1)
    for t in (small, ref):
        t.details = dict(folds)
    ref.params["model_params"] = {"trees": 100, "max_depth": 16, "split": "random"}
    result = TuneResult("mps2-an386", Budget(), [small, ref], "grouped", {}, 2, 1)
    with Project.open(path) as project:
        project.add_run(tune_app.RUN_KIND, {"target": "mps2-an386", "trials": 2},
                        {**result.to_dict(), "base_impulse": {}}, {}, None, name="tune")
    window.open_project(str(path))
    panel = _tune_tab(window)
    assert panel.table.rowCount() == 2 and len(result.front) == 1
    assert [r.row() for r in panel.table.selectionModel().selectedRows()] == [1]
    assert "Off the Pareto front" in panel.table.item(1, 0).toolTip()
    model = next(c for c in range(panel.table.columnCount()) if panel.table.horizontalHeaderItem(c).text() == "Model")
    assert [panel.table.item(r, model).text() for r in range(2)] == ["rf", "extra trees"]
    assert "1 point on the Pareto front" in panel.status.text() and "reference forest" in panel.status.text()
