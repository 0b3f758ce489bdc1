"""The Deploy page's figures: latency percentiles, rate and duty cycle from the rate spin box, energy,
per-class metrics, the windows board and host disagree on (a double click shows the sample on the Data
step) and the Report… button writing the selected results side by side."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow

pytestmark = pytest.mark.slow


@pytest.fixture
def window(qtbot, project_copy):
    context = AppContext()
    context.set_project(Project.open(project_copy))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    yield win
    page = win.pages["Deploy"]
    if page.worker is not None:
        page.worker.cancel()
        page.worker.wait(30000)
    for p in win.pages.values():
        shutdown = getattr(p, "shutdown", None)
        if callable(shutdown):
            shutdown()
    context.close()


def _deploy(qtbot, page, board: str) -> dict:
    page.target_combo.setCurrentIndex(page.target_combo.findData(board))
    with qtbot.waitSignal(page.deploy_finished, timeout=180000):
        qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    assert page.last_error == ""
    return page.shown_result


def test_figures_rate_disagreement_click_and_report(qtbot, window, tmp_path):
    page = window.show_step("Deploy")
    r = _deploy(qtbot, page, "host")
    panel = page.figures
    assert page.report_button.isEnabled()  # the new result is selected in the history: Report… writes it
    assert panel.caption.text().startswith(f"<b>Result {page.selected_results()[0]}: variant")
    assert "min / median / p95 / max" in panel.percentiles.text() and "microseconds" in panel.percentiles.text()
    assert panel.per_class.rowCount() == 4 and panel.per_class.item(0, 0).text() == "badminton"
    assert panel.energy_label.text() == "no power figure for this board"
    assert "disagree on 0 of" in panel.disagree_title.text() and panel.disagreements.isHidden()
    duty = panel.figures["rate"]["duty_cycle"]
    panel.rate_spin.setValue(panel.rate_spin.value() * 10)  # ten times the rate: ten times the duty cycle
    assert panel.figures["rate"]["duty_cycle"] == pytest.approx(10 * duty)
    assert "duty cycle" in panel.rate_label.text()

    # a result where the board classed one window differently from the host
    project = page.context.project
    k = len(r["predictions"]) - 1
    flipped = dict(r, predictions=list(r["predictions"]))
    flipped["predictions"][k] = (r["host_predictions"][k] + 1) % 4
    flipped_id = project.add_device_result(r["variant_id"], r["target"], flipped)
    page.context.results_changed.emit()
    page.history.selectRow(0)  # the newest
    assert page.shown_result["predictions"] == flipped["predictions"]
    assert panel.disagreements.rowCount() == 1 and "disagree on 1 of" in panel.disagree_title.text()
    sample_id = r["window_samples"][k]
    assert panel.disagreements.item(0, 0).text() == str(sample_id)
    data = window.pages["Data"]
    data.label_filter.setCurrentText("running" if project.sample_info(sample_id).label != "running" else "walking")
    panel.disagreements.cellDoubleClicked.emit(0, 0)
    assert window.stack.currentWidget() is data
    assert data.shown_id == sample_id and data.selected_ids() == [sample_id]  # the filter no longer hides it
    # the shaded band is on that very window, ready to be cut out as a sample of its own
    cut = project.run(r["run_id"]).config["impulse"]["window"]
    rate = project.sample_info(sample_id).rate_hz
    start = r["window_index"][k] * round(cut["stride_ms"] * rate / 1000) / rate
    assert data.selection() == pytest.approx((start, start + round(cut["window_ms"] * rate / 1000) / rate), abs=1e-6)

    window.show_step("Deploy")
    page.history.selectAll()  # both results, compared side by side
    assert page.report_button.isEnabled()
    assert len(page.selected_results()) == 2
    out = tmp_path / "deploy.html"
    page.write_report(str(out))
    html = out.read_text(encoding="utf-8")
    assert "Report written to" in page.status.text()
    assert "<h2>Side by side</h2>" in html and f'id="result-{flipped_id}"' in html
    assert "<svg" in html and "on 1 test windows" in html


@pytest.mark.usefixtures("qemu_available")
def test_qemu_result_shows_estimated_ms_and_energy(qtbot, window):
    window.resize(1024, 640)  # the smallest window the app is made for
    page = window.show_step("Deploy")
    _deploy(qtbot, page, "mps2-an386")
    QApplication.processEvents()
    table = page.figures.per_class  # every column of the per-class table in view, none cut off
    assert table.horizontalScrollBar().maximum() == 0 and table.viewport().width() > 0
    text = page.figures.percentiles.text()
    assert "emulated instructions" in text and "ms (estimate)" in text
    energy = page.figures.energy_label.text()
    assert energy.startswith("Estimate: ") and "µJ per inference" in energy and "DS9405" in energy
    assert "typical, unverified" in energy  # the F429's run current was not checked against its datasheet
    days = page.figures.figures["energy"]["battery_hours"]
    page.figures.sleep_spin.setValue(page.figures.sleep_spin.value() * 10)  # more sleep current: shorter life
    assert page.figures.figures["energy"]["battery_hours"] < days


def test_figures_follow_the_chosen_board_and_model(qtbot, window):
    """Choosing another board shows its newest result, or says there is none: never another board's figures."""
    page = window.show_step("Deploy")
    first = _deploy(qtbot, page, "host")
    first_id = page.selected_results()[0]
    other = page.target_combo.findData("mps2-an500")
    page.target_combo.setCurrentIndex(other)
    page.target_combo.activated.emit(other)  # what a person's pick sends
    assert page.figures.result is None and page.shown_result is None and page.matrix.counts.size == 0
    assert page.figures.caption.text().startswith("No stored result of this model on this board yet")
    assert page.history.selectedItems() == [] and not page.report_button.isEnabled()
    host = page.target_combo.findData("host")
    page.target_combo.setCurrentIndex(host)
    page.target_combo.activated.emit(host)
    assert page.selected_results() == [first_id] and page.shown_result == first
    assert page.figures.caption.text().startswith(f"<b>Result {first_id}:")


@pytest.mark.usefixtures("qemu_available")
def test_page_shows_how_the_test_set_travelled_and_the_time_split(qtbot, window, tmp_path):
    """After a deploy on the emulated M4F the figures say where the test windows were (in the board's memory
    or streamed), in which sample format, and the build / boot / transfer / compute split the result stored;
    a result stored before the deploy recorded them shows no such line."""
    window.resize(1024, 640)  # the smallest window the app is made for
    page = window.show_step("Deploy")
    r = _deploy(qtbot, page, "mps2-an386")
    QApplication.processEvents()
    label = page.figures.transfer_label
    page.result_tabs.setCurrentIndex(next(i for i in range(page.result_tabs.count())  # the figures' tab
                                          if page.result_tabs.widget(i).isAncestorOf(label)))
    QApplication.processEvents()
    text, how, t = label.text(), r["transfer"], r["timing"]
    assert label.isVisible() and text.startswith(f"Test set: {r['windows']:,} windows ")
    where = "in the board's memory" if how["test_set"] == "in memory at launch" else "streamed over the link"
    assert where in text and f"({how['format']}, " in text
    assert (f"{t['total_seconds']:.1f} s: build {t['build_seconds']:.1f}, boot {t['boot_seconds']:.1f}, "
            f"transfer {t['transfer_seconds']:.1f}, compute {t['compute_seconds']:.1f}") in text
    assert label.height() >= label.heightForWidth(label.width())  # wrapped in full, no line cut off
    scroll = label.parent()
    while not isinstance(scroll, QScrollArea):
        scroll = scroll.parent()
    # the line at the bottom of its tab's view, as a person scrolls down to read it
    scroll.ensureWidgetVisible(label, 0, 0)
    QApplication.processEvents()
    shown = QRect(label.mapTo(scroll.viewport(), QPoint(0, 0)), label.size())
    assert scroll.viewport().rect().contains(shown)  # the whole line in view, neither edge cut off
    window.grab().save(str(tmp_path / "deploy_page_1024x640.png"))

    old = {k: v for k, v in r.items() if k not in ("transfer", "timing")}
    page.context.project.add_device_result(r["variant_id"], r["target"], old)
    page.context.results_changed.emit()
    page.history.selectRow(0)  # the newest: the old-style result
    assert page.shown_result == old
    assert label.isHidden() and label.text() == ""
    assert "min / median / p95 / max" in page.figures.percentiles.text()  # the other figures still shown
