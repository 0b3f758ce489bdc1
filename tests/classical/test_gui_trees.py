"""The tree families in the app: chosen from the Train step's preset list, trained, and listed on the
Compress step with their flash and RAM (and nothing to compress)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.compress_page import CompressPage
from tinystudio.gui.pages.train_page import TrainPage

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("family", ["rf", "gbt"])
def test_train_a_tree_preset_and_see_its_variant(qtbot, bm_split_project: Path, tmp_path: Path, family: str) -> None:
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    context = AppContext()
    context.set_project(Project.open(path))
    page = TrainPage(context)
    qtbot.addWidget(page)
    try:
        index = page.form.preset.findData(family)
        assert index >= 0  # among the presets
        page.form.preset.setCurrentIndex(index)
        assert not page.form.epochs.isEnabled()  # no epochs for trees
        assert "tree ensemble" in page.size_label.text() and page.train_button.isEnabled()
        assert "trees" in page.form.model_editors
        page.form.model_editors["trees"].setText("7")
        if family == "rf":  # how a tree splits: chosen from a list, not typed
            split = page.form.model_editors["split"]
            assert [split.itemText(i) for i in range(split.count())] == ["best", "random"]
            split.setCurrentText("random")
        qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)
        assert page.last_error == ""
        (run,) = context.project.runs(kind="train")
        assert run.config["model"]["trees"] == (7 if family == "rf" else 7 * 4) and run.metrics["test_accuracy"] >= 0.9
        if family == "rf":
            assert run.config["impulse"]["model"]["params"]["split"] == "random"
        assert page.matrix.counts.sum() == run.config["dataset"]["test"]["windows"]
        compress = CompressPage(context)
        qtbot.addWidget(compress)
        compress.refresh()
        assert compress.table.rowCount() == 1
        cells = [compress.table.item(0, j).text() for j in range(compress.table.columnCount())]
        assert cells[1] == family and "B" in cells[8] and "(weights)" not in cells[8] and "B" in cells[9]
        assert not compress.compress_button.isEnabled() and "no compression" in compress.note.text()
        compress.shutdown()
    finally:
        page.shutdown()
        context.close()


def test_deploy_page_tests_a_forest_on_the_emulated_board(qtbot, bm_split_project: Path, tmp_path: Path) -> None:
    from cli_helpers import run_cli
    from tinystudio.gui.pages.deploy_page import DeployPage

    if shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    code, _out, err = run_cli("train", str(path), "--model", "rf", "--json")
    assert code == 0, err
    context = AppContext()
    context.set_project(Project.open(path))
    page = DeployPage(context)
    qtbot.addWidget(page)
    page.show()
    try:
        (variant,) = context.project.variants()
        assert page.model_combo.currentData() == ("variant", variant["id"])
        assert "host test accuracy" in page.model_combo.currentText()
        with qtbot.waitSignal(page.deploy_finished, timeout=120000):
            qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
        assert page.last_error == ""
        assert page.shown_result["agreement"] == 1.0 and page.shown_result["scores_identical"] == 1.0
        assert "100.0%" in page.agreement_label.text()
        assert "emulated instructions" in page.nn_latency.text()
    finally:
        if page.worker is not None:
            page.worker.cancel()
            page.worker.wait(30000)
        context.close()
