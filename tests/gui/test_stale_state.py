"""No page shows stale state: after a relabel, File > New / Open, a deploy, a cancelled training or a
switch of project, every page shows what the open project holds now (real widgets, real project files)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import close_main_window, make_project
from tinystudio.gui.context import AppContext


@pytest.fixture
def window(qtbot):
    from tinystudio.gui.main_window import MainWindow

    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    yield win
    close_main_window(win)


def _curve_points(page) -> int:
    return sum(len(item.xData) for item in page.plot.listDataItems() if item.xData is not None)


def test_data_preview_follows_a_relabel(window, tmp_path):
    window.open_project(str(make_project(tmp_path / "a.tsproj", ["idle", "shake"])))
    page = window.show_step("Data")
    page.table.selectRow(0)
    assert "idle" in page.preview_title.text()
    page.relabel(page.selected_ids(), "resting")
    assert "resting" in page.preview_title.text() and "idle" not in page.preview_title.text()
    assert _curve_points(page) > 0


def test_data_preview_is_cleared_by_a_new_project(window, tmp_path):
    window.open_project(str(make_project(tmp_path / "a.tsproj", ["idle", "shake"])))
    page = window.show_step("Data")
    page.table.selectRow(1)
    assert "shake" in page.preview_title.text() and _curve_points(page) > 0
    assert window.new_project(str(tmp_path / "b.tsproj"))
    assert "shake" not in page.preview_title.text()
    assert _curve_points(page) == 0
    assert page.shown_id is None


def test_split_warnings_of_another_project_are_gone_after_reopening(window, tmp_path):
    one_each = make_project(tmp_path / "one.tsproj", ["idle", "shake"])
    plenty = make_project(tmp_path / "plenty.tsproj", ["idle", "shake"] * 10)
    window.open_project(str(one_each))
    page = window.show_step("Data")
    report = page.run_split()
    assert report is not None and report.warnings
    assert report.warnings[0][:30] in page.summary.text()
    window.open_project(str(plenty))
    assert report.warnings[0][:30] not in page.summary.text()


def test_device_status_line_is_cleared_when_switching_projects(window, qtbot, tmp_path):
    window.new_project(str(tmp_path / "rec.tsproj"))
    page = window.show_step("Device")
    page.select_simulated()
    assert page.connect_port()
    qtbot.waitUntil(lambda: page.session.status().rate_hz is not None, timeout=5000)
    page.seconds_box.setValue(0.3)
    page.label_box.setCurrentText("shake")
    page.record_button.click()
    qtbot.waitUntil(lambda: "saved" in page.message_label.text().lower(), timeout=5000)
    window.open_project(str(make_project(tmp_path / "other.tsproj", ["idle"])))
    assert "saved" not in page.message_label.text().lower()
    assert "saved" not in window.statusBar().currentMessage().lower()


@pytest.mark.slow
def test_deploy_does_not_ask_for_training_when_a_model_exists(window, tmp_path, trained_copy):
    window.open_project(str(make_project(tmp_path / "empty.tsproj", ["idle"])))
    page = window.show_step("Deploy")
    assert "Train a model" in page.status.text()
    window.open_project(str(trained_copy))
    assert page.model_combo.count() > 0 and page.deploy_button.isEnabled()
    assert "Train a model" not in page.status.text()


@pytest.mark.slow
def test_cancelled_training_keeps_showing_the_last_completed_run(window, qtbot, trained_copy, gui_trained):
    window.open_project(str(trained_copy))
    page = window.show_step("Impulse / Train")
    stored = window.context.project.run(gui_trained.run_id)
    assert page.matrix.labels  # reopening shows the latest run
    form = page.form
    form.epochs.setValue(200)
    epochs: list[object] = []
    page._bridge.epoch.connect(epochs.append)
    page.start_training()
    qtbot.waitUntil(lambda: len(epochs) >= 2, timeout=120000)
    page.cancel_job()
    qtbot.waitUntil(lambda: page.worker is None, timeout=120000)
    assert [r.id for r in window.context.project.runs("train")] == [gui_trained.run_id]
    assert page.matrix.labels == ["badminton", "running", "standing", "walking"]
    assert page.curves.data["loss"] == pytest.approx(stored.curves["loss"])
    assert f"Run {gui_trained.run_id}" in page.matrix.title.text()
    assert f"Showing run {gui_trained.run_id}" in page.status.text()


def test_cancelling_the_first_training_claims_no_run_on_screen(window, qtbot, tmp_path):
    """With no run stored yet, a cancelled training says only that nothing was stored; before, it said it
    was "showing the last completed run" beside empty plots and "No results yet"."""
    window.open_project(str(make_project(tmp_path / "a.tsproj", ["idle", "shake"] * 6)))
    window.show_step("Data").run_split()
    page = window.show_step("Impulse / Train")
    page.form.epochs.setValue(500)
    epochs: list[object] = []
    page._bridge.epoch.connect(epochs.append)
    page.start_training()
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=120000)
    page.cancel_job()
    qtbot.waitUntil(lambda: page.worker is None, timeout=120000)
    assert window.context.project.runs("train") == []
    assert "no run was stored" in page.status.text()
    assert "showing" not in page.status.text().lower()
    assert not page.matrix.labels


@pytest.mark.slow
def test_compress_shows_device_latency_after_a_deploy_and_deploy_agrees_after_reopening(
    window, qtbot, trained_copy, gui_trained
):
    window.open_project(str(trained_copy))
    compress = window.show_step("Compress")
    latency_col = [compress.table.horizontalHeaderItem(i).text() for i in range(compress.table.columnCount())
                   ].index("Latency on device")
    assert "not measured" in compress.table.item(0, latency_col).text()
    deploy = window.show_step("Deploy")
    assert deploy.board_label.text() == "No board contacted yet"
    deploy.target_combo.setCurrentIndex(deploy.target_combo.findData("host"))
    with qtbot.waitSignal(deploy.deploy_finished, timeout=180000):
        qtbot.mouseClick(deploy.deploy_button, Qt.MouseButton.LeftButton)
    assert deploy.last_error == ""
    window.show_step("Compress")
    assert "not measured" not in compress.table.item(0, latency_col).text()
    assert "host" in compress.table.item(0, latency_col).text()

    # reopening: the board panel, the results and the matrix all show the stored result
    window.open_project(str(trained_copy))
    window.show_step("Deploy")
    assert deploy.history.rowCount() == 1
    assert deploy.matrix.labels == ["badminton", "running", "standing", "walking"]
    assert "No results" not in deploy.matrix.title.text()
    assert deploy.board_label.text() != "No board contacted yet"
    assert deploy.accuracy_label.text() != "-"


def test_deploy_board_panel_is_reset_by_a_project_without_results(window, tmp_path, qtbot):
    page = window.pages["Deploy"]
    page.board_label.setText("host · firmware 1")
    window.open_project(str(make_project(tmp_path / "a.tsproj", ["idle"])))
    assert page.board_label.text() == "No board contacted yet" and page.matrix.labels == []


def test_data_actions_can_be_pressed_only_with_something_to_act_on(window, tmp_path):
    """Before, Relabel…, Move, Delete, Crop and Cut… were enabled with no sample selected or shown, and
    pressing them did nothing."""
    window.open_project(str(make_project(tmp_path / "a.tsproj", ["idle", "shake"])))
    page = window.show_step("Data")
    per_selection = (page.relabel_button, page.move_combo, page.delete_button)
    per_shown = (page.crop_button, page.cut_button)
    assert page.shown_id is None and not page.selected_ids()
    assert not any(w.isEnabled() for w in (*per_selection, *per_shown))
    assert page.import_button.isEnabled() and page.split_button.isEnabled()
    page.table.selectRow(1)
    assert all(w.isEnabled() for w in (*per_selection, *per_shown))
    page.delete_selected(confirm=False)
    assert not page.selected_ids() or all(w.isEnabled() for w in per_selection)
    assert window.new_project(str(tmp_path / "b.tsproj"))
    assert not any(w.isEnabled() for w in (*per_selection, *per_shown))
