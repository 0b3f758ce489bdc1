"""A tree model's stored result names what ran: the host figure is the tree itself ("host", not "host int8")
and the board takes float32 features (not an int8 input), for results stored before deploys recorded the
model's kind too; the Compress step does not call its accuracy int8, and the Train step's empty curve plots
of a forest's run say why they are empty."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from cli_helpers import run_cli
from tests.gui.test_walk import people_project

pytestmark = pytest.mark.usefixtures("light_app_theme")


@pytest.mark.slow
def test_old_stored_forest_results_name_the_tree_and_its_float_input(qtbot, laptop_window, tmp_path):
    path = people_project(tmp_path / "people.tsproj", split=True)
    code, _out, err = run_cli("train", str(path), "--model", "rf")
    assert code == 0, err
    window = laptop_window  # the main window at 1024x640; a deploy still running is cancelled
    window.open_project(str(path))
    train = window.show_step("Impulse / Train")  # the forest's run: its empty curve plots say why
    assert "tree model" in train.curves.note() and not any(train.curves.data.values())
    compress = window.show_step("Compress")  # the forest's variant: no figure called int8
    assert compress.table.rowCount() == 1
    heads = [compress.table.horizontalHeaderItem(j).text() for j in range(compress.table.columnCount())]
    assert not [h for h in heads if "int8" in h]
    assert "int8" not in compress.chart.getAxis("left").labelText
    page = window.show_step("Deploy")
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    with qtbot.waitSignal(page.deploy_finished, timeout=180_000):
        page.start_deploy()
    assert page.last_error == ""
    fresh = page.shown_result
    assert fresh["model_kind"] == "tree"
    project = page.context.project
    old = {k: v for k, v in fresh.items() if k != "model_kind"}  # as a deploy stored it before
    gone = {**old, "variant_id": 999}  # and one whose variant was deleted since
    ids = [project.add_device_result(fresh["variant_id"], "host", old),
           project.add_device_result(None, "host", gone)]
    page.context.results_changed.emit()
    for result_id in ids:
        assert page._select_result(result_id)
        QApplication.processEvents()
        accuracy, board = page.accuracy_label.text(), page.board_label.text()
        assert "host int8" not in accuracy and "(host: " in accuracy, (result_id, accuracy)
        assert "float32" in board and " int8" not in board, (result_id, board)
        assert "arena" not in board or "no tensor arena" in board
    report = tmp_path / "old.html"
    page.history.clearSelection()
    page._select_result(ids[0])
    page.write_report(str(report))
    html = report.read_text(encoding="utf-8")
    assert "host int8" not in html and "(host " in html
