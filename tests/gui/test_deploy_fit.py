"""The Deploy page's result tabs on a 1024x640 laptop screen: the figures are readable without hunting (no
scrolling inside a strip, no sideways scroll) and a 1600x1000 window lays them out side by side."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import close_main_window
from tests.gui.layout_check import columns_out_of_view, hidden_part
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("light_app_theme")


def _settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


@pytest.fixture
def deployed(qtbot, trained_copy) -> Iterator[MainWindow]:
    """The window at 1024x640 after a profiled deploy (Time each layer) of the trained model on the host board."""
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    try:
        win.open_project(str(trained_copy))
        page = win.show_step("Deploy")
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        page.profile_check.setChecked(True)
        with qtbot.waitSignal(page.deploy_finished, timeout=300_000):
            page.start_deploy()
        assert page.last_error == ""
        _settle()
        yield win
    finally:
        page = win.pages["Deploy"]
        if page.worker is not None:
            page.worker.cancel()
            qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
        close_main_window(win)


@pytest.mark.slow
def test_latency_and_layers_tabs_are_readable_at_1024x640_and_side_by_side_at_1600x1000(deployed):
    """At 1024x640 the Latency tab shows the percentile table and the inference rate without scrolling
    (before, the tab was a 240 px strip that hid the rate), and the Layers table fits its tab (before, it
    scrolled sideways): the layer, its share bar, its time and MACs in view, no sideways scroll bar. At
    1600x1000 the percentiles and the rate and energy stand side by side and every layer column is shown."""
    window = deployed
    page = window.pages["Deploy"]
    figures, layers = page.figures, page.layer_table
    page.result_tabs.setCurrentIndex(1)  # Latency
    _settle()
    assert page.result_tabs.tabText(1) == "Latency" and "p95" in figures.percentiles.text()
    assert hidden_part(figures.percentiles, window) == 0
    assert figures.rate_label.text().startswith("one inference takes")
    assert hidden_part(figures.rate_label, window) == 0, "the inference rate is below the tab's fold"
    page.result_tabs.setCurrentWidget(layers)
    _settle()
    table = layers.table
    assert table.rowCount() > 0
    assert table.horizontalScrollBar().maximum() == 0, "the layer table scrolls sideways"
    assert columns_out_of_view(table, ["Layer", "Share of time", "Time", "MACs"]) == []
    assert all(not table.isColumnHidden(c) for c in (1, 2, 3, 5))
    assert (window.width(), window.height()) == (1024, 640)

    window.resize(1600, 1000)
    _settle()
    assert layers.hidden_columns() == []
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    page.result_tabs.setCurrentIndex(1)
    _settle()
    assert figures.side_by_side()
    assert figures.rate_label.mapTo(window, figures.rate_label.rect().topLeft()).x() > \
        figures.percentiles.mapTo(window, figures.percentiles.rect().topRight()).x()
    for label in (figures.percentiles, figures.rate_label, figures.energy_label):
        assert hidden_part(label, window) == 0
