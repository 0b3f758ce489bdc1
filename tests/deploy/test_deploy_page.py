"""The Deploy page: the emulated bench board is the default, one click builds, flashes and tests, and the
on-device confusion matrix, latency and memory appear; Cancel stores nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.deploy_page import DeployPage

pytestmark = pytest.mark.slow


@pytest.fixture
def page(qtbot, project_copy):
    context = AppContext()
    context.set_project(Project.open(project_copy))
    widget = DeployPage(context)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    if widget.worker is not None:
        widget.worker.cancel()
        widget.worker.wait(30000)
    context.close()


@pytest.mark.usefixtures("qemu_available")
def test_button_shows_on_device_matrix_latency_and_memory(qtbot, page, trained):
    assert page.target_combo.currentData() == "mps2-an386"
    assert page.model_combo.currentData() == ("variant", trained.variant_id)
    assert page.matrix.labels == []
    with qtbot.waitSignal(page.deploy_finished, timeout=120000):
        qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    assert page.last_error == ""
    assert page.matrix.labels == ["badminton", "running", "standing", "walking"]
    assert page.matrix.counts.sum() == page.shown_result["windows"] > 0
    assert "emulated instructions" in page.nn_latency.text()
    assert "emulated instructions" in page.dsp_latency.text()
    assert "of 1024.0 KB" in page.flash_bar.format()
    assert "mps2-an386" in page.board_label.text()
    assert "%" in page.agreement_label.text()
    assert page.history.rowCount() == 1


def test_cancel_stores_nothing(qtbot, page, trained):
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=60000)
    assert "nothing was stored" in page.status.text()
    assert page.context.project.device_results() == []
    assert page.history.rowCount() == 0 and page.deploy_button.isEnabled()

