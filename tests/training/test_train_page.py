"""The Impulse / Train page with a real project: sizes, DSP preview, training with curves, runs, cancel."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.train_page import TrainPage

pytestmark = pytest.mark.slow


@pytest.fixture
def page(qtbot, bm_copy):
    context = AppContext()
    context.set_project(Project.open(bm_copy))
    page = TrainPage(context)
    qtbot.addWidget(page)
    yield page
    page.shutdown()
    context.close()


def test_defaults_sizes_and_preview_come_from_the_data(page):
    imp = page.form.impulse()
    assert imp.dsp.block == "spectral" and imp.model.preset == "dense"
    text = page.size_label.text()
    assert "6 axes at 10 Hz" in text and "parameters" in text and "MACs" in text
    assert page.preview.features is not None  # a spectrum of the first sample is drawn
    page.form.dsp_block.setCurrentIndex(page.form.dsp_block.findData("raw"))
    assert page.preview.image in page.preview.plot.getPlotItem().items  # raw window shown as an image
    assert page.preview.features.shape == (int(imp.window.window_ms / 100), 6)


def test_statistics_block_is_offered_with_its_parameters_and_preview(page):
    """The impulse editor lists the statistics block; choosing it shows its parameters, puts it in the
    impulse, and previews one line per axis over the named statistics (names gone again for spectral)."""
    form = page.form
    form.dsp_block.setCurrentIndex(form.dsp_block.findData("statistics"))
    assert form.dsp_block.currentText() == "Window statistics"
    assert set(form.dsp_editors) == {"scale", "filter", "cutoff_hz", "percentiles"}
    form.dsp_editors["percentiles"].setChecked(False)
    imp = form.impulse()
    assert imp.dsp.block == "statistics" and imp.dsp.params["percentiles"] is False
    assert page.preview.features is not None and page.preview.features.shape == (6 * 4,)
    bottom = page.preview.plot.getAxis("bottom")
    assert [name for _, name in bottom._tickLevels[0]] == ["mean", "std", "min", "max"]
    assert "Window statistics: 24 features" in page.preview.caption.text()
    form.dsp_block.setCurrentIndex(form.dsp_block.findData("spectral"))
    assert page.preview.plot.getAxis("bottom")._tickLevels is None


def test_train_shows_curves_matrix_and_run_history(qtbot, page):
    page.form.epochs.setValue(30)
    qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.worker is None, timeout=180_000)
    assert page.last_error == ""
    assert len(page.curves.data["loss"]) == 30
    runs = page.context.project.runs(kind="train")
    assert len(runs) == 1 and page.runs.rowCount() == 1
    assert runs[0].metrics["test_accuracy"] >= 0.9
    # the int8 line states its accuracies as the line above it does: in %, never as a share (0.667)
    status = page.status.text()
    assert "int8 PTQ" in status and re.search(r"float \d+\.\d%, int8 PTQ \d+\.\d%", status), status
    counts = page.matrix.counts
    assert page.matrix.labels == ["badminton", "running", "standing", "walking"]
    assert counts.sum() == runs[0].config["dataset"]["test"]["windows"]
    assert np.trace(counts) / counts.sum() == pytest.approx(runs[0].metrics["test_accuracy"])
    page.split_combo.setCurrentText("validation")
    assert page.matrix.counts.sum() == runs[0].config["dataset"]["validation"]["windows"]
    assert page.context.project.get_setting("impulse")["model"]["epochs"] == 30


def test_cancel_leaves_no_run(qtbot, page):
    page.form.epochs.setValue(500)
    qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)
    assert "cancelled" in page.status.text()
    assert page.context.project.runs(kind="train") == []
    assert page.train_button.isEnabled()


def test_impossible_settings_disable_train_with_a_reason(page):
    page.form.dsp_block.setCurrentIndex(page.form.dsp_block.findData("mfcc"))
    assert not page.train_button.isEnabled()
    assert "audio" in page.size_label.text()


def test_defaults_follow_data_imported_later_until_the_user_edits_them(qtbot, tmp_path):
    from datasets import write_basic_motions_csv
    from tinystudio.core.formats import import_files

    context = AppContext()
    context.set_project(Project.create(tmp_path / "late.tsproj"))
    page = TrainPage(context)
    qtbot.addWidget(page)
    empty_default = page.form.impulse().window.window_ms
    paths = write_basic_motions_csv(tmp_path / "bm")
    import_files(context.project, paths[:40])
    context.samples_changed.emit()
    suggested = page.form.impulse().window.window_ms
    assert suggested != empty_default and suggested <= 10_000  # fits the 10 s recordings at 10 Hz
    page.form.window_ms.setValue(1500)  # the user's choice now wins over later data
    import_files(context.project, paths[40:])
    context.samples_changed.emit()
    assert page.form.impulse().window.window_ms == 1500
    context.close()
