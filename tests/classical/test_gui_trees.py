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
        qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)
        assert page.last_error == ""
        (run,) = context.project.runs(kind="train")
        assert run.config["model"]["trees"] == (7 if family == "rf" else 7 * 4) and run.metrics["test_accuracy"] >= 0.9
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
