"""A new user's walk through the window on a 1024x640 laptop screen: what matters during each action is
in view and readable without scrolling or resizing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.gui.conftest import close_main_window
from tests.gui.layout_check import clipped_cells, columns_out_of_view, hidden_part, rows_hidden
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow
from tinystudio.gui.widgets.tune_panel import CHART_MIN_HEIGHT

SMALL = (1024, 640)


pytestmark = pytest.mark.usefixtures("light_app_theme")


def _settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.resize(*SMALL)
    win.show()
    yield win
    close_main_window(win)


SPLIT_OF = {"anna": "train", "bob": "train", "carl": "validation", "dora": "test"}


def people_project(path: Path, split: bool = False) -> Path:
    """Recordings as the simulated board makes them: long exercise names, one group per person; ``split``
    puts each person on one side as the split does."""
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for person in ("anna", "bob", "carl", "dora"):
            for label in ("pendulum", "abduction", "forward_elevation"):
                signal = rng.standard_normal((200, 6)).astype(np.float32)
                project.add_sample(signal, 50.0, ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"], label,
                                   group=person, split=SPLIT_OF[person] if split else None)
    return path


def test_data_table_shows_whole_labels_and_the_group_column(window, tmp_path):
    """The sample table opens with every label readable and the Group column (what the split keeps
    together) in view, not behind an empty Name column and a sideways scroll."""
    window.open_project(str(people_project(tmp_path / "people.tsproj")))
    page = window.show_step("Data")
    _settle()
    assert columns_out_of_view(page.table, ["Label", "Split", "Group"]) == []
    assert clipped_cells(page.table, 2) == []


def _wait_idle(qtbot, page) -> None:
    if page.worker is not None:
        page.worker.cancel()
    qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)


@pytest.mark.slow
def test_training_curves_stay_in_view_through_a_run_at_1024x640(window, qtbot, tmp_path):
    """On a 1024x640 screen the loss and accuracy plots, axis titles included, are in view while the run
    trains and when it has finished (before, the finished run's confusion-matrix legend of long class
    names and the two-line result pushed their lower part below the fold)."""
    window.open_project(str(people_project(tmp_path / "people.tsproj", split=True)))
    page = window.show_step("Impulse / Train")
    _settle()
    page.form.epochs.setValue(2)
    page.start_training()
    _settle()
    for name, plot in page.curves.plots.items():
        assert hidden_part(plot, window) == 0, f"{name} while training"
    qtbot.waitUntil(lambda: page.worker is None, timeout=300_000)
    _settle()
    assert "Run 1 done" in page.status.text()
    for name, plot in page.curves.plots.items():
        assert hidden_part(plot, window) == 0, f"{name} after the run"


@pytest.mark.parametrize("tab", ["Cross-validation", "Tune"])
def test_an_opened_results_tab_is_readable_at_1024x640(window, tmp_path, tab):
    """Choosing the Cross-validation or Tune tab shows its table and chart at a readable height, in view
    (before, they sat under the fold in a strip under 90 px high, the Tune tab scrolling inside it). The Tune
    tab shows its controls, table and chart together, with no scroll inside it."""
    window.open_project(str(people_project(tmp_path / "people.tsproj")))
    page = window.show_step("Impulse / Train")
    _settle()
    index = [page.results_tabs.tabText(i) for i in range(page.results_tabs.count())].index(tab)
    page.results_tabs.setCurrentIndex(index)
    _settle()
    shown = page.results_tabs.currentWidget()
    table = shown.table
    chart = shown.chart
    assert hidden_part(table, window) == 0
    assert hidden_part(chart, window) == 0
    if tab == "Tune":  # its chart sits under the table: both in the column's view, no scroll inside the tab
        assert shown.findChild(QScrollArea).verticalScrollBar().maximum() == 0
    assert chart.height() >= (CHART_MIN_HEIGHT if tab == "Tune" else 140)
    assert table.viewport().height() >= 3 * table.verticalHeader().defaultSectionSize()


def test_cross_validate_shows_its_results_tab_at_1024x640(window, qtbot, tmp_path):
    """Pressing Cross-validate at the top of the results column brings the tab its folds will fill into
    view, not the previous run's curves."""
    window.open_project(str(people_project(tmp_path / "people.tsproj")))
    page = window.show_step("Impulse / Train")
    _settle()
    page.start_crossval()
    _settle()
    try:
        assert page.results_tabs.currentWidget() is page.crossval
        assert hidden_part(page.crossval, window) == 0
    finally:
        _wait_idle(qtbot, page)


def _legend_boxes(plot) -> list[str]:
    """Legend boxes drawn inside ``plot``'s area, by the names they list."""
    import pyqtgraph as pg

    return [", ".join(label.text for _, label in item.items) for item in plot.scene().items()
            if isinstance(item, pg.LegendItem) and item.isVisible() and item.items]


def test_curve_keys_sit_beside_the_plots_and_name_every_curve(window, tmp_path):
    """At 1024x640 the training curves and the feature preview name their curves in a key line above the
    plot, every name readable, instead of a legend box that covered the curves (and, in the preview,
    showed four of six axis names)."""
    window.open_project(str(people_project(tmp_path / "people.tsproj", split=True)))
    page = window.show_step("Impulse / Train")
    _settle()
    for plot in (*page.curves.plots.values(), page.preview.plot):
        assert _legend_boxes(plot) == []
    for key, names in ((page.curves.key, ["train", "validation"]),
                       (page.preview.key, ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"])):
        assert key.names() == names
        assert key.isVisibleTo(window)
        assert key.height() >= key.heightForWidth(key.width()), "the key's second line is cut off"


@pytest.mark.slow
def test_device_figures_are_one_tab_away_and_in_view_at_1024x640(window, qtbot, trained_copy):
    """After a deploy on a 1024x640 screen the latency percentiles and the per-class table each sit in a
    tab beside the confusion matrix and are in view when it is chosen (before, they were more than a
    screen down the settings column, under the controls and the summary)."""
    window.open_project(str(trained_copy))
    page = window.show_step("Deploy")
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    with qtbot.waitSignal(page.deploy_finished, timeout=300_000):
        page.start_deploy()
    assert page.last_error == ""
    _settle()
    figures = page.figures
    assert figures.per_class.rowCount() > 0 and "p95" in figures.percentiles.text()
    for widget, check in ((figures.percentiles, lambda: hidden_part(figures.percentiles, window) == 0),
                          (figures.per_class, lambda: rows_hidden(figures.per_class, window) == [])):
        tab = next((i for i in range(page.result_tabs.count())
                    if page.result_tabs.widget(i).isAncestorOf(widget)), None)
        if tab is not None:
            page.result_tabs.setCurrentIndex(tab)
        _settle()
        assert check(), f"{type(widget).__name__} in tab {tab}"
    assert "Result" in figures.classes_caption.text()  # the page says whose classes these are


@pytest.mark.parametrize("view_height", [150, 240])
def test_live_view_value_labels_never_touch_at_1024x640(window, tmp_path, view_height):
    """The Live on board view's signal and score strips label only as many values as fit apart: at
    1024x640, with the board's text lines above, the score strip is a few dozen pixels high and its six
    labels 0 to 1.0 were drawn on top of each other."""
    from tinystudio.gui.widgets.capture_plot import TICK_PX

    window.open_project(str(people_project(tmp_path / "people.tsproj", split=True)))
    page = window.show_step("Deploy")
    page.tabs.setCurrentWidget(page.live)
    live = page.live
    live.view.setFixedHeight(view_height)  # what the running view's text lines leave it
    live.signal_plot.setYRange(-10, 6, padding=0)
    _settle()
    for plot in (live.signal_plot, live.score_plot):
        axis = plot.getAxis("left")
        low, high = plot.viewRange()[1]
        pixels = axis.geometry().height()
        for spacing, _offset in axis.tickSpacing(low, high, pixels):
            assert (high - low) / spacing * TICK_PX <= pixels + TICK_PX, (pixels, low, high, spacing)


@pytest.mark.slow
def test_a_live_run_says_why_build_is_greyed_out_and_offers_no_dead_cancel(window, qtbot, trained_copy):
    """While the board classifies live, Build, flash and test is disabled and the page says why (Stop it on
    the Live on board tab); Cancel, which would not stop the live run, is disabled too. After Stop both
    return to normal."""
    window.open_project(str(trained_copy))
    page = window.show_step("Deploy")
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    page.tabs.setCurrentWidget(page.live)
    page.live.start()
    try:
        qtbot.waitUntil(lambda: not page.live.start_button.isEnabled(), timeout=120_000)
        assert not page.deploy_button.isEnabled()
        why = page.status.text()
        assert "Stop" in why and "Live on board" in why and page.deploy_button.toolTip() == why
        assert not page.cancel_button.isEnabled()
    finally:
        page.live.stop()
    qtbot.waitUntil(lambda: page.live.start_button.isEnabled(), timeout=120_000)
    assert page.deploy_button.isEnabled() and page.status.text() == ""


@pytest.mark.slow
def test_compress_note_never_overlaps_the_variants_table_at_1024x640(window, trained_copy):
    """The note under the variants table (what flash and RAM count) wraps to several lines in a laptop
    screen's column; it takes its room from the pane instead of being drawn over the table's bottom."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QSplitter

    window.open_project(str(trained_copy))
    page = window.show_step("Compress")
    _settle()
    note, table = page.note, page.table
    panes = table.parentWidget().parentWidget()
    assert isinstance(panes, QSplitter)
    panes.setSizes([1, 10_000])  # the chart dragged up as far as it goes (or restored so)
    _settle()
    assert note.text() and note.isVisibleTo(window)
    assert note.height() >= note.heightForWidth(note.width()), "the note's last lines are cut off"
    table_bottom = table.mapTo(window, QPoint(0, table.height())).y()
    assert note.mapTo(window, QPoint(0, 0)).y() >= table_bottom, "the note is drawn over the table"


@pytest.mark.slow
def test_cross_validation_chart_names_its_mean_in_full(qtbot, tmp_path):
    """In a narrow Cross-validation tab the mean of the folds is named in full above the chart (its label
    on the dashed line was cut off at the chart's left edge and drawn over the first bar), and clearing
    the view removes it."""
    import pyqtgraph as pg

    from tinystudio.app import crossval as crossval_app
    from tinystudio.app import train as train_app
    from tinystudio.gui.widgets.crossval_view import CrossValView

    path = people_project(tmp_path / "people.tsproj", split=True)
    with Project.open(path) as project:
        impulse = train_app.default_impulse(project)
        impulse.model.epochs = 1
        result = crossval_app.cross_validate(project, impulse)
    view = CrossValView()
    qtbot.addWidget(view)
    view.resize(420, 300)
    view.show()
    view.set_result(result)
    _settle()
    box = view.chart.getViewBox().sceneBoundingRect()
    for item in view.chart.getPlotItem().items:
        label = getattr(item, "label", None) if isinstance(item, pg.InfiniteLine) else None
        if label is not None and label.isVisible():
            assert box.contains(label.mapRectToScene(label.boundingRect())), "the mean's label is cut off"
    title = view.chart.getPlotItem().titleLabel
    assert title.isVisible() and f"mean {100 * result.summary()['mean']:.1f} %" in title.text
    view.clear()
    assert not view.chart.getPlotItem().titleLabel.isVisible() or not view.chart.getPlotItem().titleLabel.text
