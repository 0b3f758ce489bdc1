"""The Train step's Tune tab shows its Pareto table and chart together: at 1024x640 both in view once the tab
is opened (the chart sat below the tab's fold, behind a scroll inside the tab), the table's figures all shown;
at 1600x1000 the chart beside the table, every row of a five-point front and the plots above still in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.gui.layout_check import columns_out_of_view, hidden_part, rows_hidden
from tests.gui.test_walk import people_project, window  # noqa: F401 - fixtures
from tinystudio.app import tune as tune_app
from tinystudio.core.search.outcome import COMPLETE, Budget, TrialOutcome, TuneResult
from tinystudio.core.store import Project
from tinystudio.gui.widgets.tune_panel import TunePanel

pytestmark = pytest.mark.usefixtures("light_app_theme")

FIGURES = ["Acc.", "Flash", "RAM", "ms", "Model", "DSP"]
"""The columns a user compares points by."""
CHART_PX = 60
"""Height inside the chart's axes that tells five points apart."""


def _settle(rounds: int = 30) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _trial(n: int, accuracy: float, flash: int, family: str, dsp: str) -> TrialOutcome:
    params = {"window_ms": 1000.0, "dsp": dsp, "dsp_params": {}, "family": family,
              "model_params": {"units": 16, "layers": 2} if family == "dense" else {"trees": 20},
              "compression": "int8"}
    return TrialOutcome(n, params, COMPLETE, accuracy, accuracy - 0.02, accuracy, flash, flash // 3,
                        flash / 10_000, 0)


def _searched(path: Path) -> Path:
    """``path`` with a finished search stored as a ``tune`` run: five points on its front, one off it."""
    trials = [_trial(0, 0.95, 40_000, "dense", "spectral"), _trial(1, 0.9, 12_800, "dense", "spectral"),
              _trial(2, 0.85, 5_000, "rf", "statistics"), _trial(3, 0.8, 900, "rf", "statistics"),
              _trial(4, 0.7, 600, "gbt", "statistics"), _trial(5, 0.3, 30_000, "gbt", "spectral")]
    result = TuneResult("mps2-an386", Budget(), trials, "grouped", {}, 1)
    with Project.open(path) as project:
        data = result.to_dict()
        data["base_impulse"] = {}
        project.add_run(tune_app.RUN_KIND, {"target": "mps2-an386", "trials": 6}, data, {}, None, name="tune")
    return path


def _in_view_together(panel: TunePanel, window) -> None:  # noqa: F811
    table, chart = panel.table, panel.chart
    assert hidden_part(table, window) == 0 and hidden_part(chart, window) == 0
    assert panel.findChild(QScrollArea).verticalScrollBar().maximum() == 0  # nothing scrolled away in the tab
    assert chart.getPlotItem().vb.height() >= CHART_PX
    axis = chart.getAxis("left")  # its rotated title whole, not "accuracy (%" cut by a short chart
    text = axis.label.boundingRect().width() - 2 * axis.label.document().documentMargin()
    assert text <= axis.geometry().height()
    assert columns_out_of_view(table, FIGURES) == [] and not set(FIGURES) & set(table.hidden_columns())
    assert not {-1, 0} & set(rows_hidden(table, window))  # the heading and the recommended row


def test_the_tune_tabs_table_and_chart_are_in_view_together_at_1024x640_and_1600x1000(window, tmp_path):  # noqa: F811
    window.open_project(str(_searched(people_project(tmp_path / "people.tsproj", split=True))))
    page = window.show_step("Impulse / Train")
    panel = page.tune
    page.results_tabs.setCurrentWidget(panel)
    _settle()
    assert panel.table.rowCount() == 5
    _in_view_together(panel, window)  # before: the chart 60-180 px below the fold of the tab's own scroll
    assert (window.width(), window.height()) == (1024, 640)

    window.resize(1600, 1000)
    _settle()
    _in_view_together(panel, window)
    table, chart = panel.table, panel.chart
    left_of_chart = chart.mapTo(window, QPoint(0, 0)).x()
    assert left_of_chart >= table.mapTo(window, QPoint(table.width(), 0)).x()  # beside, not under the table
    assert rows_hidden(table, window) == []  # the whole front
    assert page._column.verticalScrollBar().maximum() == 0  # and the plots above it, all on one screen
    for plot in (page.preview.plot, page.matrix.plot, *page.curves.plots.values()):
        assert hidden_part(plot, window) == 0


def test_back_on_the_runs_tab_the_plots_get_their_room_back_at_1600x1000(window, tmp_path):  # noqa: F811
    window.resize(1600, 1000)
    window.open_project(str(_searched(people_project(tmp_path / "people.tsproj", split=True))))
    page = window.show_step("Impulse / Train")
    _settle()
    before = page._right.sizes()
    page.results_tabs.setCurrentWidget(page.tune)
    _settle()
    assert page._right.sizes()[-1] > before[-1]  # the Tune tab took room from the plots ...
    page.results_tabs.setCurrentWidget(page.runs)
    _settle()
    after = page._right.sizes()
    assert all(abs(a - b) <= 2 for a, b in zip(after, before, strict=True)), (before, after)  # ... and gave it back
